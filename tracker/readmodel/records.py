"""ORM records read once per data version, attached to each request's session without a statement.

Why: every page resolves the programme it shows (and a measure's page its measure) by primary key,
and on SQLite such a SELECT costs about a fifth of a trivial request. The read model keeps a
detached copy of the record's columns per data version; `session.merge(load=False)` makes a new
instance in the request's session from it without SQL (SQLAlchemy's caching pattern). Relationships
are not copied: they load as usual when read. Writes stay safe: a versioned row is updated
WHERE version = the copied one, so a save based on an older copy is refused like any stale save.
"""

from sqlalchemy import inspect
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from tracker.extensions import db
from tracker.readmodel.cache import cached
from tracker.readmodel.version import current_version


def cached_record(model: type, record_id: int, options: tuple = ()):
    """The record with this primary key (None when there is none), read once per data version.

    `options` are loader options for the read (a relation the caller reads too, joined).
    """
    session = db.session()
    held = session.identity_map.get(identity_key(model, record_id))
    # A record this session has changed must not be overwritten by the copy, and a transaction with
    # uncommitted changes reads afresh anyway (current_version None).
    if current_version(session) is None or (held is not None and session.is_modified(held)):
        return session.get(model, record_id, options=options)
    read = []  # the session's own instance, when this request reads the row (with what it loaded eagerly)

    def load():
        read.append(held if held is not None else session.get(model, record_id, options=options))
        return _detached_copy(read[0])

    copy = cached(("record", model.__name__, record_id), load)
    if held is not None or read:
        return held if held is not None else read[0]
    return None if copy is None else session.merge(copy, load=False)


def _detached_copy(record):
    """A clean detached instance holding the record's column values (shared, never changed)."""
    if record is None:
        return None
    mapper = inspect(record).mapper
    copy = mapper.class_manager.new_instance()
    for attribute in mapper.column_attrs:
        set_committed_value(copy, attribute.key, getattr(record, attribute.key))
    make_transient_to_detached(copy)
    return copy
