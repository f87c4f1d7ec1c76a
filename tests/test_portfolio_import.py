"""Importing the report's portfolio: totals, idempotence, rejected files."""

import json

import pytest
from sqlalchemy import func, select

from tests.helpers import DATA_FILE
from tracker.accounts.permissions import SYSTEM
from tracker.benefits.summary import portfolio_summary
from tracker.measures.importing import PortfolioImportError, import_file
from tracker.portfolio.models import Measure, PlannedEffect

REPORT_TOTALS_MNOK = {"2025": "0,3", "2026": "26,0", "2027": "67,4", "2028": "80,6", "2029": "88,1", "2030": "91,3"}


def test_summary_reproduces_the_reports_totals_as_the_menu(elverum):
    from tracker.money import format_mnok

    summary = portfolio_summary(elverum)
    assert summary["programme"] == "Omstilling 2025"
    assert summary["measures"] == 44
    assert summary["years"]["2025"]["menu_nok"] == 280_000
    assert summary["groups"]["1"]["years"]["2026"]["menu_nok"] == 6_100_000
    assert {year: format_mnok(row["menu_nok"]) for year, row in summary["years"].items()} == REPORT_TOTALS_MNOK
    # Nothing is adopted after the import: the plan is 0, the menu 88,1 in 2029.
    assert all(row["planned_savings_nok"] == 0 for row in summary["years"].values())


def test_group_menus_match_tabell_4(elverum):
    expected = json.loads(DATA_FILE.read_text(encoding="utf-8"))["report_totals_mnok"]["by_group"]
    summary = portfolio_summary(elverum)
    for group, years in expected.items():
        for year, mnok in years.items():
            # Tabell 4 prints two decimals of mill. kr.
            saving_nok = summary["groups"][group]["years"][year]["menu_nok"]
            assert round(saving_nok / 1_000_000, 2) == pytest.approx(-mnok), (group, year)


def test_effect_type_menus_reproduce_tabell_3(elverum):
    """Every measure now has an effect type (named in the report or inferred from Tabell 3)."""
    from tracker.benefits.programme import programme_figures
    from tracker.money import format_mnok
    from tracker.periods import Quarter

    expected = json.loads(DATA_FILE.read_text(encoding="utf-8"))["report_totals_mnok"]["by_effect_type"]
    figures = programme_figures(elverum, Quarter(2026, 1))
    by_type = {kind.effect_type: kind for kind in figures.effect_types}
    assert set(by_type) == set(expected)  # no "Ikke angitt"
    for kind, years in expected.items():
        # The plan period; 2030 is outside it, where the report's rounding differs by 0,1 for one type.
        for year, mnok in ((year, mnok) for year, mnok in years.items() if 2026 <= int(year) <= 2029):
            assert format_mnok(by_type[kind].year(int(year)).menu_nok) == format_mnok(round(-mnok * 1_000_000)), (
                kind,
                year,
            )
    # Tabell 3, 2029: 41,7 / 30,9 / 12,0 / 3,6.
    shown = [format_mnok(by_type[kind].year(2029).menu_nok) for kind in expected]
    assert shown == ["41,7", "30,9", "12,0", "3,6"]


def test_importing_twice_creates_no_duplicates(elverum, db):
    result = import_file(DATA_FILE, SYSTEM)
    db.session.commit()
    assert result.created == [] and result.updated == [] and len(result.unchanged) == 44
    assert db.session.scalar(select(func.count()).select_from(Measure)) == 44
    assert db.session.scalar(select(func.count()).select_from(PlannedEffect)) == 44 * 6


def _broken_copy(tmp_path, mutate) -> str:
    doc = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    mutate(doc)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["measures"][2]["net_cost_change_mnok"].update({"2027": "mye"}),
            "Tiltak 1.3, felt net_cost_change_mnok.2027",
        ),
        (lambda d: d["measures"][0].update({"group": 9}), "Tiltak 1.1, felt group: ukjent arbeidsgruppe"),
        (lambda d: d["measures"][5].pop("code"), "Tiltak nr. 6 i filen, felt code: tiltakskode mangler"),
        (lambda d: d["measures"][7].update({"title": ""}), "Tiltak 2.1, felt title"),
        (
            lambda d: d["measures"][0]["milestones"][0].update({"due_date": "31.13.2026"}),
            "Tiltak 1.1, felt milestones[1].due_date",
        ),
    ],
)
def test_broken_file_is_rejected_whole(tmp_path, app, db, mutate, message):
    path = _broken_copy(tmp_path, mutate)
    with pytest.raises(PortfolioImportError) as caught:
        import_file(path, SYSTEM)
    db.session.rollback()
    assert any(message in error for error in caught.value.messages), caught.value.messages
    assert db.session.scalar(select(func.count()).select_from(Measure)) == 0


def test_reimport_updates_by_code_and_rejected_reimport_keeps_old_values(tmp_path, elverum, db, measure_by_code):
    path = _broken_copy(tmp_path, lambda d: d["measures"][0]["net_cost_change_mnok"].update({"2029": -0.7}))
    result = import_file(path, SYSTEM)
    db.session.commit()
    assert result.updated == ["1.1"]
    assert measure_by_code("1.1").planned_net_change_by_year()[2029] == -700_000

    bad = _broken_copy(tmp_path, lambda d: d["measures"][1]["net_cost_change_mnok"].update({"2029": "x"}))
    with pytest.raises(PortfolioImportError):
        import_file(bad, SYSTEM)
    db.session.rollback()
    assert measure_by_code("1.1").planned_net_change_by_year()[2029] == -700_000
