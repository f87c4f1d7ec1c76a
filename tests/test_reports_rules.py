"""Pure report rules: which quarters are due, snapshot JSON round trip, changes since last report."""

from dataclasses import replace
from datetime import date

import pytest

from tracker.periods import Quarter
from tracker.reports.changes import changes_between
from tracker.reports.due import MAX_CATCH_UP_QUARTERS, due_date, latest_due_quarter, reports_due
from tracker.reports.snapshot import (
    ChangeRow,
    IndicatorScore,
    MeasureLine,
    OrgRiskRow,
    ReportSnapshot,
    StaffRow,
    YearFigures,
)

Q = Quarter


@pytest.mark.parametrize(
    ("quarter", "days", "expected"),
    [
        (Q(2026, 3), 14, date(2026, 10, 14)),
        (Q(2026, 4), 14, date(2027, 1, 14)),
        (Q(2026, 1), 0, date(2026, 3, 31)),
        (Q(2024, 1), 30, date(2024, 4, 30)),
    ],
)
def test_due_date_is_days_after_the_quarters_last_day(quarter, days, expected):
    assert due_date(quarter, days) == expected


@pytest.mark.parametrize(
    ("today", "days", "expected"),
    [
        (date(2026, 10, 13), 14, Q(2026, 2)),  # Q3 not yet due the day before
        (date(2026, 10, 14), 14, Q(2026, 3)),  # due on the 14th day after 30.09
        (date(2026, 12, 31), 14, Q(2026, 3)),
        (date(2027, 1, 14), 14, Q(2026, 4)),
        (date(2026, 10, 1), 0, Q(2026, 3)),
        (date(2026, 9, 30), 0, Q(2026, 2)),
    ],
)
def test_latest_due_quarter(today, days, expected):
    assert latest_due_quarter(today, days) == expected


@pytest.mark.parametrize(
    ("today", "last_built", "expected"),
    [
        # First run ever: only the latest due quarter, for each audience.
        (date(2026, 10, 14), {"politikere": None, "amu": None}, [(Q(2026, 3), "amu"), (Q(2026, 3), "politikere")]),
        # Nothing due yet for Q3 on 13.10; Q2 already built.
        (date(2026, 10, 13), {"politikere": Q(2026, 2), "amu": Q(2026, 2)}, []),
        # Already built: nothing.
        (date(2026, 11, 1), {"politikere": Q(2026, 3), "amu": Q(2026, 3)}, []),
        # Down over a quarter: the missed quarter and the new one, oldest first.
        (
            date(2027, 1, 20),
            {"politikere": Q(2026, 2), "amu": Q(2026, 4)},
            [(Q(2026, 3), "politikere"), (Q(2026, 4), "politikere")],
        ),
    ],
)
def test_reports_due(today, last_built, expected):
    assert reports_due(today, last_built, 14) == expected


def test_catching_up_is_bounded():
    due = reports_due(date(2030, 1, 20), {"amu": Q(2020, 1)}, 14)
    assert len(due) == MAX_CATCH_UP_QUARTERS
    assert due[-1] == (Q(2029, 4), "amu")


def _line(code="1.1", **changes) -> MeasureLine:
    line = MeasureLine(
        code=code,
        title="Tiltak",
        group_number=1,
        status="vedtatt",
        status_label="Vedtatt",
        confidence="gul",
        confidence_label="Gul",
        planned_nok=1_000_000,
        forecast_nok=1_000_000,
        realised_nok=0,
        status_text="",
    )
    return replace(line, **changes)


def snapshot(**changes) -> ReportSnapshot:
    base = ReportSnapshot(
        audience="politikere",
        audience_label="Formannskapet og kommunestyret",
        period="2026-Q3",
        period_label="3. kvartal 2026",
        programme_name="Omstilling 2025",
        municipality="Elverum kommune",
        title="Statusrapport",
        is_example_data=False,
        collected_at="2026-10-14T06:00:00+00:00",
        focus_year=2026,
        target_year=2029,
        years=(YearFigures(2026, None, 26_000_000, 25_000_000, 20_000_000, 5_000_000, None),),
        groups=(),
        confidence_counts=(),
        deviations=(),
        decisions=(),
        measures=(_line(),),
        staff=(
            StaffRow(
                "1.1",
                "Tiltak",
                "Skole",
                12,
                -2.5,
                None,
                1.0,
                1.5,
                0.0,
                "Ikke drøftet",
                "Nei",
                "Ikke gjennomført",
                "Tekst",
            ),
        ),
        risk_indicators=("Ledelse",),
        org_risks=(OrgRiskRow("1.1", "Tiltak", (IndicatorScore("Ledelse", 4.0),), 4.0, "Ledelse", "Middels"),),
        milestones=(),
        changes=(),
        previous_period=None,
    )
    return replace(base, **changes)


def test_snapshot_survives_a_json_round_trip():
    original = snapshot(changes=(ChangeRow("1.1", "Tiltak", "Status", "Utredet", "Vedtatt"),), notes=("Merk",))
    restored = ReportSnapshot.from_json(original.to_json())
    assert restored == original
    assert isinstance(restored.measures[0], MeasureLine)
    assert restored.staff[0].fte_planned == -2.5


def test_no_previous_report_means_no_changes():
    assert changes_between(None, snapshot()) == ()


def test_changes_since_last_report_list_status_confidence_forecast_and_totals():
    previous = snapshot(
        period="2026-Q2",
        measures=(_line(status="utredet", status_label="Utredet", confidence="grønn", confidence_label="Grønn"),),
        years=(YearFigures(2026, None, 26_000_000, 26_000_000, 20_000_000, 1_000_000, None),),
    )
    current = snapshot(
        measures=(_line(forecast_nok=600_000), _line("1.2", title="Nytt")),
    )
    rows = changes_between(previous, current)
    assert [(r.code, r.what, r.old, r.new) for r in rows] == [
        ("", "Prognose 2026", "26,0 mill. kr", "25,0 mill. kr"),
        ("", "Realisert 2026", "1,0 mill. kr", "5,0 mill. kr"),
        ("1.1", "Status", "Utredet", "Vedtatt"),
        ("1.1", "Leveransesikkerhet", "Grønn", "Gul"),
        ("1.1", "Prognose", "1,0 mill. kr", "0,6 mill. kr"),
        ("1.2", "Nytt tiltak", "", "Vedtatt"),
    ]


def test_forecasts_of_different_focus_years_are_not_compared():
    previous = snapshot(period="2026-Q4", measures=(_line(forecast_nok=5),))
    current = snapshot(period="2027-Q1", focus_year=2027, measures=(_line(forecast_nok=9),))
    assert changes_between(previous, current) == ()


def test_org_risk_level_change_is_listed():
    previous = snapshot()
    risk = OrgRiskRow("1.1", "Tiltak", (IndicatorScore("Ledelse", 5.0),), 5.0, "Ledelse", "Høy")
    rows = changes_between(previous, snapshot(org_risks=(risk,)))
    assert [(r.what, r.old, r.new) for r in rows] == [("Organisatorisk risiko", "Middels", "Høy")]


def test_staff_changes_list_consultation_and_realised_fte():
    previous = snapshot()
    staff = replace(previous.staff[0], consultation="Drøftet 01.09.2026", fte_realised=-1.0)
    rows = changes_between(previous, snapshot(staff=(staff,)))
    assert [(r.what, r.old, r.new) for r in rows] == [
        ("Drøfting med tillitsvalgte", "Ikke drøftet", "Drøftet 01.09.2026"),
        ("Årsverk realisert", "–", "-1,0"),
    ]
