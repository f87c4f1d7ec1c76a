"""URL helpers: ids in URLs, paths for pages that link thousands of rows, and safe targets for redirects."""

from urllib.parse import unquote, urlsplit

from flask import Flask, abort, current_app, has_request_context, url_for
from werkzeug.routing import IntegerConverter, ValidationError

from tracker.database import MAX_ID
from tracker.periods import Quarter


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


# Browsers drop tab, CR and LF anywhere in a URL and read a backslash as a slash, so
# "/<TAB>/evil.example" and "/<BACKSLASH>evil.example" both lead off the site, and a
# percent-encoded one may be decoded once more on the way: a target holding any is refused.
_DECODE_ROUNDS = 3


def id_path_prefix(endpoint: str, name: str = "measure_id") -> str:
    """The path of `endpoint` without its trailing id, for pages that link thousands of rows.

    `prefix + str(id)` is the path url_for gives for that id, at a fraction of the cost per row.
    """
    path = url_for(endpoint, **{name: 0})
    if not path.endswith("/0"):
        raise ValueError(f"{endpoint} does not end with its id: {path}")
    return path[:-1]


def path_for(endpoint: str, anchor: str | None = None, **values) -> str:
    """The path url_for gives, also outside a request (a service run by SYSTEM), where url_for needs SERVER_NAME."""
    if has_request_context():
        return url_for(endpoint, _anchor=anchor, **values)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return f"{path}#{anchor}" if anchor else path


def id_path_parts(endpoint: str, name: str) -> tuple[str, str]:
    """The path of `endpoint` before and after its id, for ids in the middle of a path (…/12/godkjenn)."""
    path = url_for(endpoint, **{name: 0})
    before, found, after = path.rpartition("/0/")
    if not found:
        raise ValueError(f"{endpoint} has no id between slashes: {path}")
    return before + "/", "/" + after


def _has_unsafe_character(text: str) -> bool:
    return any(ord(char) < 32 or ord(char) == 127 or char == "\\" for char in text)


def _decoded_forms(target: str) -> list[str]:
    """The target and what it becomes when percent-decoded again, up to a few times."""
    forms = [target]
    for _ in range(_DECODE_ROUNDS):
        decoded = unquote(forms[-1])
        if decoded == forms[-1]:
            break
        forms.append(decoded)
    return forms


def local_path(target: str | None) -> str | None:
    """`target` if it is a path on this site ("/…", not "//…"), else None.

    Used for `next` after log-in: anything that could lead a browser to another site is refused,
    also when it hides behind control characters, backslashes or percent-encoding.
    """
    if not target or not target.startswith("/"):
        return None
    for form in _decoded_forms(target):
        if _has_unsafe_character(form) or form.startswith("//"):
            return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return target


def quarter_or_404(key: str) -> Quarter:
    """The quarter a URL names (2026-Q2), or 404."""
    try:
        return Quarter.parse(key)
    except ValueError:
        abort(404)
