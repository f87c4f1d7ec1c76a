"""URL helpers for pages that link thousands of rows."""

from flask import url_for


def id_path_prefix(endpoint: str, name: str = "measure_id") -> str:
    """The path of `endpoint` without its trailing id, for pages that link thousands of rows.

    `prefix + str(id)` is the path url_for gives for that id, at a fraction of the cost per row.
    """
    path = url_for(endpoint, **{name: 0})
    if not path.endswith("/0"):
        raise ValueError(f"{endpoint} does not end with its id: {path}")
    return path[:-1]


def id_path_parts(endpoint: str, name: str) -> tuple[str, str]:
    """The path of `endpoint` before and after its id, for ids in the middle of a path (…/12/godkjenn)."""
    path = url_for(endpoint, **{name: 0})
    before, found, after = path.rpartition("/0/")
    if not found:
        raise ValueError(f"{endpoint} has no id between slashes: {path}")
    return before + "/", "/" + after
