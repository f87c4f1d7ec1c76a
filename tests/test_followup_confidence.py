"""latest_confidence_by_measure: the contract BENEFITS uses for the risk-adjusted forecast."""

from tracker.database import utcnow
from tracker.periods import Quarter
from tracker.updates.models import StatusUpdate
from tracker.updates.services import latest_confidence_by_measure


def _update(db, measure, year, quarter, confidence, submitted=True):
    update = StatusUpdate(
        measure=measure, year=year, quarter=quarter, confidence=confidence, submitted_dt=utcnow() if submitted else None
    )
    db.session.add(update)
    return update


def test_latest_submitted_update_in_or_before_the_quarter_wins(db, elverum, measure_by_code):
    first, second = measure_by_code("1.1"), measure_by_code("1.3")
    _update(db, first, 2026, 1, "grønn")
    _update(db, first, 2026, 2, "gul")
    _update(db, first, 2026, 3, "rød")
    _update(db, second, 2025, 4, "gul/rød")
    _update(db, second, 2026, 2, "grønn", submitted=False)
    db.session.commit()

    assert latest_confidence_by_measure(elverum.id, Quarter(2026, 2)) == {first.id: "gul", second.id: "gul/rød"}
    assert latest_confidence_by_measure(elverum.id, Quarter(2026, 4)) == {first.id: "rød", second.id: "gul/rød"}
    assert latest_confidence_by_measure(elverum.id, Quarter(2025, 4)) == {second.id: "gul/rød"}
    assert latest_confidence_by_measure(elverum.id + 999, Quarter(2026, 4)) == {}
