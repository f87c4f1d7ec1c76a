"""Engine settings per database.

SQLite gets WAL (readers never wait for the writer), a busy timeout (a writer waits for the lock
instead of failing), foreign keys, and transactions that hold under several writers:

pysqlite's own transaction handling opens a transaction lazily, just before the first INSERT or
UPDATE, so a read-modify-write reads outside any transaction and can lose another writer's update;
and a transaction that already read and then writes cannot wait for the lock (SQLite answers
"database is locked" at once, whatever the busy timeout). Following SQLAlchemy's recipe for
pysqlite ("Serializable isolation / Savepoints / Transactional DDL") we turn pysqlite's handling
off (`isolation_level = None`) and emit BEGIN ourselves from the engine's "begin" event:

* a request that may change data (POST, PUT, PATCH, DELETE) and code inside `write_transaction()`
  (command-line commands marked `@writes`; the scheduler's jobs around each of their writes)
  start with BEGIN IMMEDIATE: the write lock is taken (waiting up to the busy timeout) before
  the first read, so every read-modify-write is serialised and none fails or is lost;
* everything else (GET pages, reports, CLI reads) keeps pysqlite's lazy deferred transaction:
  reads take no lock and hold no snapshot, as on PostgreSQL's READ COMMITTED, and a write starts
  the transaction at its first statement, where the busy timeout applies.

PostgreSQL needs none of this: its row locks (`with_for_update()`) or atomic UPDATEs serialise
read-modify-writes, and `pool_pre_ping` replaces connections the server closed.
"""

import functools
import os
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tracker.extensions import db
from tracker.files import create_owner_only, restrict_to_owner, sqlite_files

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_write_intent: ContextVar[bool] = ContextVar("tracker_write_intent", default=False)


def configure_engine_options(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if uri.startswith("sqlite"):
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", app.config["SQLITE_BUSY_TIMEOUT_S"])
        connect_args.setdefault("check_same_thread", False)
        options["connect_args"] = connect_args
    else:
        options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def wants_immediate_transaction() -> bool:
    """True inside `write_transaction()` and in requests whose method may change data."""
    if _write_intent.get():
        return True
    return has_request_context() and request.method not in SAFE_METHODS


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run a read-modify-write outside a request (CLI, scheduler, threads) as one serialised
    transaction: on SQLite it begins with BEGIN IMMEDIATE. Call it with no transaction open and
    commit inside it; what is left uncommitted at the end is rolled back, so the write lock never
    outlives the block. On PostgreSQL it changes nothing (lock rows with `with_for_update()`)."""
    if db.session().in_transaction():
        raise RuntimeError("write_transaction() must start a new transaction: commit or roll back first.")
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)
        if db.session().in_transaction():
            db.session.rollback()


def writes(function: Callable) -> Callable:
    """A command-line command that changes data runs inside `write_transaction()`, like a POST.

    Put it right above the function, under click's decorators. Jobs that hold no lock while they
    render or send mail (the report jobs, the reminders) use `write_transaction()` per write instead.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with write_transaction():
            return function(*args, **kwargs)

    return wrapper


def _sqlite_on_connect(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    # Autocommit mode while the pragmas run (journal_mode cannot change inside a transaction).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_begin(connection) -> None:
    dbapi_connection = connection.connection.driver_connection
    if wants_immediate_transaction():
        dbapi_connection.isolation_level = None
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        # pysqlite's legacy mode: a deferred BEGIN just before the first data-changing statement.
        dbapi_connection.isolation_level = ""


def _sqlite_on_savepoint(connection, name) -> None:  # noqa: ARG001
    # A SAVEPOINT outside a transaction would start (and its RELEASE end) one of its own.
    dbapi_connection = connection.connection.driver_connection
    if not dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if wants_immediate_transaction() else "BEGIN")


def _sqlite_file(engine: Engine) -> str | None:
    """The database file of a SQLite engine, or None for an in-memory database."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database


def _keep_sqlite_files_private(engine: Engine, path: str) -> None:
    """The database and its -wal and -shm files are readable by the tracker's user only.

    SQLite creates a new database file with the umask's mode (often world-readable) and gives the
    -wal and -shm files the database file's mode, so the file is created owner-only before SQLite
    opens it, and files from before are narrowed when a connection opens.
    """

    def create_owner_only_file(dialect, connection_record, cargs, cparams) -> None:  # noqa: ARG001
        # No such folder: SQLite itself then reports that it cannot open the file.
        with suppress(FileNotFoundError):
            create_owner_only(path)

    def narrow_existing_files(dbapi_connection, connection_record) -> None:  # noqa: ARG001
        restrict_to_owner(*sqlite_files(path))

    event.listen(engine, "do_connect", create_owner_only_file)
    event.listen(engine, "connect", narrow_existing_files)


def install_sqlite_pragmas(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not getattr(engine, "_tracker_pragmas", False):
            event.listen(engine, "connect", _sqlite_on_connect)
            event.listen(engine, "begin", _sqlite_on_begin)
            event.listen(engine, "savepoint", _sqlite_on_savepoint)
            path = _sqlite_file(engine)
            if path is not None:
                _keep_sqlite_files_private(engine, path)
            engine._tracker_pragmas = True
        if not getattr(app, "_tracker_request_transactions", False):
            app.teardown_request(_end_write_transaction)
            app._tracker_request_transactions = True


_FORKED_ENGINES: "weakref.WeakSet[Engine]" = weakref.WeakSet()


def drop_connections_after_fork(app: Flask) -> None:
    """A forked child (a gunicorn worker under preload_app) opens its own connections.

    Two processes on one connection corrupt each other's conversation with the database; the
    parent's pooled connections are dropped in the child without closing them (they are the
    parent's), as SQLAlchemy's guide to multiprocessing recommends.
    """
    with app.app_context():
        _FORKED_ENGINES.add(db.engine)


def _drop_inherited_connections() -> None:
    for engine in list(_FORKED_ENGINES):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_drop_inherited_connections)


def _end_write_transaction(exc: BaseException | None) -> None:  # noqa: ARG001
    """A data-changing request must not keep its write lock once it is answered.

    The view has committed what it meant to keep; in production the session is removed right
    after this anyway, but tests share one session across requests.
    """
    if request.method not in SAFE_METHODS and db.session().in_transaction():
        db.session.rollback()
