"""Engine settings per database: SQLite gets WAL, a busy timeout and foreign keys."""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tracker.extensions import db


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


def _sqlite_on_connect(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def install_sqlite_pragmas(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not getattr(engine, "_tracker_pragmas", False):
            event.listen(engine, "connect", _sqlite_on_connect)
            engine._tracker_pragmas = True
