"""Caches keyed by the data version: computed once per key and version in each process, then reused.

Why: the programme's figures, the measure summaries and the heavy page fragments cost tens of
milliseconds for Elverum and most of a second for 5 000 measures, and change only when data does.
Each app (each gunicorn worker) keeps its own entries for the newest version it has read; the
version lives in the database (readmodel.version), so a write committed by any worker on any host
makes every worker compute afresh at its next request. Values must be immutable (frozen
dataclasses, tuples, Markup): one value is shared by every request of the worker.
"""

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import Flask, current_app

from tracker.extensions import db
from tracker.readmodel.version import current_version, forget_version

T = TypeVar("T")
EXTENSION = "tracker_readmodel"
# Enough for every quarter, year, filter and page anyone asks for between two writes; a bound so
# that odd query strings cannot grow a worker's memory.
MAX_ENTRIES = 512


class VersionedStore:
    """The entries of one data version; replaced whole when the version changes."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.entries: dict[Hashable, object] = {}
        self._lock = threading.Lock()

    def entries_for(self, version: int) -> dict[Hashable, object]:
        """The entries of this version, starting an empty set when the version moved (either way)."""
        if self.version != version:
            with self._lock:
                if self.version != version:
                    self.entries = {}
                    self.version = version
        return self.entries


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = VersionedStore()
    app.before_request(_read_version_afresh)


def _read_version_afresh() -> None:
    forget_version(db.session())


def store() -> VersionedStore:
    return current_app.extensions[EXTENSION]


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """compute()'s value for `key` at the current data version, computed once per process and version."""
    version = current_version(db.session())
    if version is None:
        return compute()
    found = store().entries_for(version)
    try:
        return found[key]  # type: ignore[return-value]
    except KeyError:
        pass
    value = compute()
    if len(found) >= MAX_ENTRIES:
        found.pop(next(iter(found)), None)
    found[key] = value
    return value
