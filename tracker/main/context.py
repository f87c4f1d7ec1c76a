"""Values every page needs."""

from flask import g, url_for
from sqlalchemy import select

from tracker.extensions import db


def example_data_flag() -> bool:
    """Whether the database holds example data (shown as "Eksempeldata" on every page)."""
    if "has_example_data" not in g:
        from tracker.portfolio.models import Programme

        g.has_example_data = bool(
            db.session.scalar(select(Programme.id).where(Programme.has_example_data.is_(True)).limit(1))
        )
    return g.has_example_data


def id_path_prefix(endpoint: str, name: str = "measure_id") -> str:
    """The path of `endpoint` without its trailing id, for pages that link thousands of rows.

    `prefix + str(id)` is the path url_for gives for that id, at a fraction of the cost per row.
    """
    path = url_for(endpoint, **{name: 0})
    if not path.endswith("/0"):
        raise ValueError(f"{endpoint} does not end with its id: {path}")
    return path[:-1]
