"""Where the comparison shows: `portfolio summary --json`, the dashboard and the measure page, one worked example.

Measure 1.2 (plans to save 2 500 000 in 2026) is mapped to ansvar 41*; 1.1 (1 500 000) is not.
Regnskap 2024 on 41*: 1 000 000 a month (12 000 000).
Deflator 2025 4,30 %, 2026 3,40 %: adjusted baseline 2026 = 12 000 000 × 1,043 × 1,034 = 12 941 544.
Actuals 2026 Jan–Mar: 900 000 a month = 2 700 000 → extrapolated 2 700 000 / (3/12) = 10 800 000.
Indikasjon i regnskapet 2026 = 12 941 544 − 10 800 000 = 2 141 544.
Budget 2026 (period 0): 11 500 000 → tatt ut av budsjett = 12 941 544 − 11 500 000 = 1 441 544.
Mapped share of the plan: 2 500 000 / (1 500 000 + 2 500 000) = 0,625.
"""

import json

import pytest

from tracker.accounting import rules, services
from tracker.accounting.models import Deflator, LedgerLine
from tracker.accounting.rules import FilterSpec
from tracker.accounts.permissions import SYSTEM
from tracker.benefits.programme import programme_figures
from tracker.periods import Quarter
from tracker.portfolio.status import VEDTATT
from tracker.reports.collect import collect
from tracker.reports.layout import years_section
from tracker.reports.snapshot import ReportSnapshot

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4
Q2 = Quarter(2026, 2)


def _line(kind, year, period, amount, ansvar="4100"):
    return LedgerLine(
        kind=kind, year=year, period=period, ansvar=ansvar, art="10100", funksjon="265", prosjekt="", amount_nok=amount
    )


@pytest.fixture()
def measures(make_measure):
    """Two adopted measures with a plan for 2026 only; 1.2 is the one mapped below."""
    return {
        code: make_measure(code, plan={2026: saving_nok}, status=VEDTATT)
        for code, saving_nok in (("1.1", 1_500_000), ("1.2", 2_500_000))
    }


@pytest.fixture()
def mapped(measures, db):
    services.set_filters(measures["1.2"], [FilterSpec(ansvar="41*")], SYSTEM)
    db.session.add_all(_line("actual", 2024, month, 1_000_000) for month in range(1, 13))
    db.session.add_all(_line("actual", 2026, month, 900_000) for month in range(1, 4))
    # Lines outside the mapping count for nothing but the ledger's latest period.
    db.session.add_all([_line("actual", 2026, 3, 5_000_000, ansvar="5100"), _line("budget", 2026, 0, 11_500_000)])
    db.session.add_all([Deflator(year=2025, rate_basis_points=430), Deflator(year=2026, rate_basis_points=340)])
    db.session.commit()
    return measures["1.2"].programme


def test_summary_json_carries_the_ledger_per_year(mapped, runner):
    result = runner.invoke(args=["portfolio", "summary", "--json", "--as-of", "2026-Q2"])
    summary = json.loads(result.output)
    year = summary["years"]["2026"]
    assert (year["accounting_indicated_nok"], year["accounting_taken_out_nok"]) == (2_141_544, 1_441_544)
    # No actuals and no budget for 2027 yet: null, not zero.
    assert summary["years"]["2027"]["accounting_indicated_nok"] is None
    assert summary["years"]["2027"]["accounting_taken_out_nok"] is None
    assert year["planned_savings_nok"] == 4_000_000
    assert year["accounting_mapped_share"] == summary["accounting_mapped_share"] == 0.625


def test_summary_json_is_null_without_a_mapping(measures, runner):
    summary = json.loads(runner.invoke(args=["portfolio", "summary", "--json"]).output)
    assert all(row["accounting_indicated_nok"] is None for row in summary["years"].values())
    assert all(row["accounting_mapped_share"] in (0, 0.0, None) for row in summary["years"].values())


def test_dashboard_shows_reported_against_confirmed(mapped, client, login, make_user):
    login(make_user("ledergruppe"))
    text = client.get("/gevinster/?year=2026&quarter=2026-Q2").get_data(as_text=True)
    assert "Rapportert og bekreftet i regnskapet" in text
    assert 'data-figure="accounting-2026-indicated_nok" data-value="2141544"' in text
    assert 'data-figure="accounting-2026-taken_out_nok" data-value="1441544"' in text
    assert '<td class="num">63 %</td>' in text  # 0,625 of the plan is mapped


def test_large_difference_goes_to_the_dashboard_deviations(mapped, client, login, make_user):
    """Nothing reported for 1.2 against 2 141 544 in the ledger: over 25 % and over 250 000 kr."""
    comparison = services.programme_comparison(mapped, programme_figures(mapped, Q2).measures, [2026])
    assert [(code, row.year) for code, row in comparison.deviations] == [("1.2", 2026)]
    login(make_user("ledergruppe"))
    text = client.get("/gevinster/?year=2026&quarter=2026-Q2").get_data(as_text=True)
    assert "Store avvik mellom rapportert og regnskap" in text
    assert "Tiltak 1.2 2026: rapportert realisert hittil 0,0 mill. kr" in text


def test_measure_page_panel_shows_the_worked_example(mapped, measures, client, login, make_user):
    login(make_user("leser"))
    text = client.get(f"/portefolje/tiltak/{measures['1.2'].id}").get_data(as_text=True)
    for figure in (
        "12\u00a0941\u00a0544",
        "535\u00a0386",
        "2\u00a0141\u00a0544",
        "1\u00a0441\u00a0544",
        "t.o.m. periode 3",
    ):
        assert figure in text
    assert "stort avvik fra rapportert" in text


def test_politicians_report_has_the_column_and_the_line(mapped):
    snapshot = collect(mapped, Q2, "politikere")
    assert snapshot.year(2026).accounting_indicated_nok == 2_141_544
    assert ReportSnapshot.from_json(snapshot.to_json()) == snapshot
    section = years_section(snapshot)
    chart, line = section.blocks
    assert chart.table.header[-1] == "Bekreftet i regnskapet (helår)"
    row_2026 = next(row for row in chart.table.rows if row[0] == "2026")
    assert row_2026[-1] == "2,1"
    # So far: 12 941 544 × 3/12 − 2 700 000 = 535 386 → 0,5 mill. kr.
    assert line.text.startswith("Bekreftet i regnskapet 2026: 0,5 mill. kr hittil i år mot 0,0 mill. kr rapportert")
    assert "framskrevet for hele året 2,1 mill. kr" in line.text


def test_an_old_snapshot_without_accounting_still_renders(mapped):
    snapshot = collect(mapped, Q2, "politikere")
    stored = json.loads(snapshot.to_json())
    for key in ("accounting_mapped_share", "accounting_reported_mapped", "accounting_indicated_to_date"):
        stored.pop(key)
    for year in stored["years"]:
        year.pop("accounting_indicated_nok")
    old = ReportSnapshot.from_json(json.dumps(stored))
    assert "ingen tiltak er ennå koblet" in years_section(old).blocks[1].text


def test_a_report_counts_the_ledger_only_up_to_its_quarters_end(mapped, db):
    """Apr–Jun booked at 600 000 a month on 41*, and January 2027 too.

    Through June: (2 700 000 + 1 800 000) / (6/12) = 9 000 000 → 12 941 544 − 9 000 000 = 3 941 544.
    The Q1 report was as of March: 2 700 000 / (3/12) = 10 800 000 → 2 141 544, as before the new months.
    """
    db.session.add_all(_line("actual", 2026, month, 600_000) for month in range(4, 7))
    db.session.add(_line("actual", 2027, 1, 700_000))
    db.session.commit()
    assert collect(mapped, Quarter(2026, 1), "politikere").year(2026).accounting_indicated_nok == 2_141_544
    assert collect(mapped, Q2, "politikere").year(2026).accounting_indicated_nok == 3_941_544


@pytest.mark.parametrize(
    ("last_periods", "through", "expected"),
    [
        ({2024: 12, 2025: 12, 2026: 11}, (2026, 9), {2024: 12, 2025: 12, 2026: 9}),
        ({2026: 2}, (2026, 3), {2026: 2}),
        ({2026: 12, 2027: 1}, (2026, 12), {2026: 12}),
    ],
)
def test_periods_through_caps_the_quarters_year_and_drops_later_years(last_periods, through, expected):
    assert rules.periods_through(last_periods, *through) == expected
