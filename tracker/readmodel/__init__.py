"""The versioned read model: a data version in the database, bumped by every write, and caches keyed by it."""
