"""latest_confidence_by_measure: the contract BENEFITS uses for the risk-adjusted forecast."""

from tracker.periods import Quarter
from tracker.updates.services import latest_confidence_by_measure


def test_latest_submitted_update_in_or_before_the_quarter_wins(clock, make_measure, make_update):
    first, second = make_measure("1.1"), make_measure("1.3")
    make_update(first, Quarter(2026, 1), "grønn")
    make_update(first, Quarter(2026, 2), "gul")
    make_update(first, Quarter(2026, 3), "rød")
    make_update(second, Quarter(2025, 4), "gul/rød")
    make_update(second, Quarter(2026, 2), "grønn", submit=False)
    programme_id = first.programme_id

    assert latest_confidence_by_measure(programme_id, Quarter(2026, 2)) == {first.id: "gul", second.id: "gul/rød"}
    assert latest_confidence_by_measure(programme_id, Quarter(2026, 4)) == {first.id: "rød", second.id: "gul/rød"}
    assert latest_confidence_by_measure(programme_id, Quarter(2025, 4)) == {second.id: "gul/rød"}
    assert latest_confidence_by_measure(programme_id + 999, Quarter(2026, 4)) == {}
