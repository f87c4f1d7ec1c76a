"""Status updates: drafting, submitting (then frozen), review, rounds and reminders."""

from sqlalchemy import and_, or_, select

from tracker.extensions import db
from tracker.periods import Quarter
from tracker.portfolio.models import Measure
from tracker.updates.models import StatusUpdate


def _up_to(up_to: Quarter):
    return or_(
        StatusUpdate.year < up_to.year,
        and_(StatusUpdate.year == up_to.year, StatusUpdate.quarter <= up_to.number),
    )


def latest_confidence_by_measure(programme_id: int, up_to: Quarter) -> dict[int, str]:
    """Measure id → confidence of its latest SUBMITTED update in or before `up_to`."""
    rows = db.session.execute(
        select(StatusUpdate.measure_id, StatusUpdate.confidence)
        .join(Measure, Measure.id == StatusUpdate.measure_id)
        .where(Measure.programme_id == programme_id, StatusUpdate.submitted_dt.is_not(None), _up_to(up_to))
        .order_by(StatusUpdate.measure_id, StatusUpdate.year, StatusUpdate.quarter)
    )
    # Ordered oldest first, so the last value written per measure is the latest quarter.
    return {measure_id: confidence for measure_id, confidence in rows}
