"""URL helpers: ids in URLs, and paths for pages that link thousands of rows."""

from flask import Flask, url_for
from werkzeug.routing import IntegerConverter, ValidationError

from tracker.database import MAX_ID


class IdConverter(IntegerConverter):
    """`<int:…>` in every URL: an id beyond the database's 32-bit range matches no route (a 404, not a 500)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)

    def to_python(self, value: str) -> int:
        if len(value) > len(str(MAX_ID)):
            raise ValidationError()
        return super().to_python(value)


def register_id_converter(app: Flask) -> None:
    """Make `<int:…>` the bounded IdConverter; before any blueprint adds its rules."""
    app.url_map.converters["int"] = IdConverter


def id_path_prefix(endpoint: str, name: str = "measure_id") -> str:
    """The path of `endpoint` without its trailing id, for pages that link thousands of rows.

    `prefix + str(id)` is the path url_for gives for that id, at a fraction of the cost per row.
    """
    path = url_for(endpoint, **{name: 0})
    if not path.endswith("/0"):
        raise ValueError(f"{endpoint} does not end with its id: {path}")
    return path[:-1]
