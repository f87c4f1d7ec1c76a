"""Pure follow-up rules: milestone state, organisational-risk scoring, register levels, KPI trend."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tracker.kpis import rules as kpi_rules
from tracker.milestones import rules as milestone_rules
from tracker.periods import today_oslo
from tracker.risks import rules as risk_rules


@pytest.mark.parametrize(
    ("due", "done", "today", "expected"),
    [
        (date(2026, 3, 31), None, date(2026, 3, 31), "planned"),  # due today is not late yet
        (date(2026, 3, 31), None, date(2026, 4, 1), "late"),
        (date(2026, 3, 31), date(2026, 4, 15), date(2026, 4, 1), "late"),  # done later than the day asked about
        (date(2026, 3, 31), date(2026, 4, 15), date(2026, 4, 15), "done"),
        (date(2026, 3, 31), date(2026, 3, 1), date(2026, 2, 1), "planned"),
        (None, None, date(2030, 1, 1), "planned"),  # no due date: never late
        (None, date(2026, 1, 1), date(2026, 1, 1), "done"),
    ],
)
def test_milestone_state(due, done, today, expected):
    assert milestone_rules.state(due, done, today) == expected


@pytest.mark.parametrize(
    ("now_utc", "expected"),
    [
        # 31.03 21:59 UTC is 23:59 in Oslo (summer time from 29.03.2026): still the due day.
        (datetime(2026, 3, 31, 21, 59, tzinfo=UTC), "planned"),
        # 31.03 22:00 UTC is 01.04 00:00 in Oslo: the milestone is late although UTC says 31.03.
        (datetime(2026, 3, 31, 22, 0, tzinfo=UTC), "late"),
        # Winter: 31.12 22:59 UTC is 23:59 in Oslo; 23:00 UTC is already 01.01.
        (datetime(2025, 12, 31, 22, 59, tzinfo=UTC), "planned"),
        (datetime(2025, 12, 31, 23, 0, tzinfo=UTC), "late"),
    ],
)
def test_late_detection_uses_the_europe_oslo_date(now_utc, expected):
    due = date(now_utc.year, now_utc.month, now_utc.day)
    assert milestone_rules.state(due, None, today_oslo(now_utc)) == expected


@pytest.mark.parametrize(
    ("scores", "weakest", "average", "level"),
    [
        ({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}, ("a", "b", "c", "d", "e"), "1.00", "lav"),
        ({"a": 2, "b": 2, "c": 3, "d": 2, "e": 2}, ("c",), "2.20", "lav"),
        ({"a": 3, "b": 2, "c": 3, "d": 2, "e": 2}, ("a", "c"), "2.40", "lav"),
        ({"a": 3, "b": 3, "c": 2, "d": 2, "e": 3}, ("a", "b", "e"), "2.60", "middels"),  # average ≥ 2,5
        ({"a": 4, "b": 1, "c": 1, "d": 1, "e": 1}, ("a",), "1.60", "middels"),  # one 4
        ({"a": 5, "b": 1, "c": 1, "d": 1, "e": 1}, ("a",), "1.80", "høy"),  # one 5
        ({"a": 4, "b": 4, "c": 3, "d": 3, "e": 3}, ("a", "b"), "3.40", "middels"),
        ({"a": 4, "b": 4, "c": 4, "d": 3, "e": 3}, ("a", "b", "c"), "3.60", "høy"),  # average ≥ 3,5
        ({"a": 4, "b": 3, "c": 4, "d": 3}, ("a", "c"), "3.50", "høy"),  # exactly 3,5
        ({"a": 3, "b": 3, "c": 2}, ("a", "b"), "2.67", "middels"),
    ],
)
def test_org_risk_summary(scores, weakest, average, level):
    summary = risk_rules.summarise(scores)
    assert summary.weakest == weakest
    assert summary.average == Decimal(average)
    assert summary.level == level


def test_org_risk_level_uses_the_exact_average_not_the_rounded_one():
    # 101 threes and 99 fours: 699 / 200 = 3.495, shown as 3.50, but below 3.5: "middels", not "høy".
    scores = {str(i): 3 if i < 101 else 4 for i in range(200)}
    summary = risk_rules.summarise(scores)
    assert summary.average == Decimal("3.50")
    assert summary.level == "middels"


def test_org_risk_without_scores_is_none():
    assert risk_rules.summarise({}) is None


@pytest.mark.parametrize("bad", [0, 6, -1, True, "3", 2.5])
def test_org_risk_score_out_of_range_is_refused(bad):
    with pytest.raises(ValueError):
        risk_rules.summarise({"a": bad})


@pytest.mark.parametrize(
    ("probability", "consequence", "level"),
    [(1, 1, "lav"), (2, 3, "lav"), (2, 4, "middels"), (3, 4, "middels"), (3, 5, "høy"), (5, 5, "høy"), (None, 3, None)],
)
def test_register_level(probability, consequence, level):
    assert risk_rules.register_level(probability, consequence) == level


@pytest.mark.parametrize(
    ("values", "direction", "baseline", "expected"),
    [
        ([], "higher", Decimal(10), None),
        ([Decimal(12)], "higher", Decimal(10), "bedre"),
        ([Decimal(12)], "lower", Decimal(10), "verre"),
        ([Decimal(12)], "lower", None, None),
        ([Decimal(12), Decimal(9)], "lower", None, "bedre"),
        ([Decimal(12), Decimal(12)], "higher", Decimal(1), "uendret"),
    ],
)
def test_kpi_trend(values, direction, baseline, expected):
    assert kpi_rules.trend(values, direction, baseline) == expected


@pytest.mark.parametrize(
    ("baseline", "target", "latest", "expected"),
    [(100, 80, 90, 50), (100, 80, 80, 100), (100, 80, 110, -50), (10, 10, 10, None), (None, 5, 3, None)],
)
def test_kpi_progress(baseline, target, latest, expected):
    as_decimal = [None if v is None else Decimal(v) for v in (baseline, target, latest)]
    result = kpi_rules.progress_pct(*as_decimal)
    assert result == (None if expected is None else Decimal(expected))
