"""Values every page needs."""

from flask import g
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
