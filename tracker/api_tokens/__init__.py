"""API tokens: created and revoked by an admin, stored hashed, used by the read-only API."""
