"""Caches keyed by the data version: computed once per key and version in each process, then reused.

Why: the programme's figures, the measure summaries and the heavy page fragments cost tens of
milliseconds for Elverum and most of a second for 5 000 measures, and change only when data does.
Each app (each gunicorn worker) keeps its own entries for the newest version it has read; the
version lives in the database (readmodel.version), so a write committed by any worker on any host
makes every worker compute afresh at its next request. Values must be immutable (frozen
dataclasses, tuples, Markup): one value is shared by every request of the worker.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import suppress
from typing import TypeVar

from flask import Flask, current_app

from tracker.extensions import db
from tracker.readmodel.version import current_version, forget_version

T = TypeVar("T")
EXTENSION = "tracker_readmodel"
# Enough for every quarter, year, filter and page anyone asks for between two writes; a bound so
# that odd query strings cannot grow a worker's memory. The least recently used entry goes first:
# someone reading hundreds of measures' pages must not push out the dashboard everyone opens.
MAX_ENTRIES = 512
# And a bound on the cached HTML (in characters): pages of hundreds of rows are cached per page,
# quarter and kind of reader, and a worker should not hold more than this of them.
MAX_TEXT = 32_000_000


class VersionedStore:
    """The entries of one data version; replaced whole when the version changes."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.entries: OrderedDict[Hashable, object] = OrderedDict()
        self.text = 0  # the characters of text held (text_size), counted as entries come
        self._lock = threading.Lock()

    def entries_for(self, version: int) -> OrderedDict[Hashable, object]:
        """The entries of this version, starting an empty set when the version moved (either way)."""
        if self.version != version:
            with self._lock:
                if self.version != version:
                    self.entries = OrderedDict()
                    self.text = 0
                    self.version = version
        return self.entries

    def make_room(self, entries: OrderedDict, size: int) -> None:
        """Drop the least recently used entries until one more of `size` characters fits both bounds."""
        if self.text + size > MAX_TEXT:
            self.text = sum(map(text_size, entries.values()))  # counted afresh: entries may have been cleared
        with suppress(KeyError):  # another thread emptied it meanwhile
            while entries and (len(entries) >= MAX_ENTRIES or self.text + size > MAX_TEXT):
                self.text -= text_size(entries.popitem(last=False)[1])
        self.text += size


def text_size(value: object) -> int:
    """The characters of text in a cached value: HTML, or a tuple of HTML fragments; 0 for anything else."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, tuple):
        return sum(len(item) for item in value if isinstance(item, str))
    return 0


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
        value = found[key]
    except KeyError:
        pass
    else:
        with suppress(KeyError):  # another thread of this worker dropped it meanwhile: still a good value
            found.move_to_end(key)
        return value  # type: ignore[return-value]
    value = compute()
    store().make_room(found, text_size(value))
    found[key] = value
    return value
