"""Links in templates, built once per process and mount point.

Why: a page's header, menu and buttons call url_for two dozen times, about a tenth of a trivial
request's time, and a link depends only on the route map (fixed once the app is built), the mount
point (SCRIPT_NAME) and its values. Anything else (a relative endpoint, `_external`, `_anchor`,
values that are not plain text or numbers, url_defaults callbacks) is built afresh as before.
"""

from collections.abc import Callable
from functools import lru_cache

from flask import Flask, has_request_context, request

# Links with ids (a measure's pages) are cached too: enough for every page a worker serves often.
MAX_LINKS = 8192
_PLAIN = (str, int)


def install_cached_url_for(app: Flask) -> None:
    """Templates' url_for reuses the links it has built (Python code keeps flask.url_for)."""
    app.jinja_env.globals["url_for"] = cached_url_for(app)


def cached_url_for(app: Flask) -> Callable[..., str]:
    build = app.url_for

    @lru_cache(maxsize=MAX_LINKS)
    def built(script_root: str, endpoint: str, values: tuple) -> str:  # noqa: ARG001 (part of the key)
        return build(endpoint, **dict(values))

    def url_for(endpoint: str, **values) -> str:
        if not _is_plain(app, endpoint, values):
            return build(endpoint, **values)
        return built(request.script_root, endpoint, tuple(sorted(values.items())))

    return url_for


def _is_plain(app: Flask, endpoint: str, values: dict) -> bool:
    """Whether the link depends on nothing but the mount point, the endpoint and these values."""
    return (
        has_request_context()
        and not endpoint.startswith(".")
        and not app.url_default_functions
        # type(), not isinstance: True must not share an entry with 1.
        and all(not name.startswith("_") and type(value) in _PLAIN for name, value in values.items())
    )
