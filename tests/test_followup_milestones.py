"""Milestones: import from the data file, baseline vs current, state as of a date, `measures show`."""

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.helpers import DATA_FILE
from tracker.accounts.permissions import SYSTEM, PermissionDenied
from tracker.measures.excel import write_portfolio_workbook
from tracker.measures.importing import import_file
from tracker.milestones import services
from tracker.milestones.models import Milestone, MilestoneTombstone
from tracker.portfolio.queries import default_programme, load_measures

# Measure 1.3's milestones as the data file gives them (the report's own dates).
MILESTONES_1_3 = [
    {"what": "Tilføre midler til praktisk og variert undervisning", "when_text": "Vår 2026", "due_date": "2026-06-30"},
    {"what": "Reduksjon av 5 assistentårsverk", "when_text": "Høst 2026", "due_date": "2026-12-31"},
    {"what": "Innføring av tiltak for sosial kompetanse", "when_text": "Vår 2027", "due_date": "2027-06-30"},
    {"what": "Reduksjon av ytterligere 5 assistentårsverk", "when_text": "Høst 2027", "due_date": "2027-12-31"},
    {"what": "Netto reduksjon av 2 lærerårsverk", "when_text": "Høst 2028", "due_date": "2028-12-31"},
]


@pytest.fixture()
def measure(make_measure):
    """Measure 1.3 with its five milestones, imported through the portfolio import."""
    return make_measure("1.3", milestones=MILESTONES_1_3)


def test_import_brings_the_reports_milestones_with_when_text_and_no_done_dates(db, elverum, measure_by_code):
    rows = services.milestones_for(measure_by_code("1.3"))
    assert [(m.title, m.when_text, m.due_date) for m in rows][:2] == [
        (
            "Tilføre midler til praktisk og variert undervisning; starte prosess for tiltak for sosial "
            "kompetanse; fortsette kompetanseheving og tverrfaglig arbeid",
            "Vår 2026",
            date(2026, 6, 30),
        ),
        ("Reduksjon av 5 assistentårsverk", "Høst 2026", date(2026, 12, 31)),
    ]
    assert len(rows) == 5
    assert all(m.baseline_due_date == m.due_date for m in rows)
    assert db.session.scalar(select(func.count()).where(Milestone.done_date.is_not(None))) == 0


def test_reimport_changes_no_milestone(db, elverum, measure_by_code):
    milestone = services.milestones_for(measure_by_code("1.3"))[1]
    milestone.due_date = date(2027, 3, 31)
    milestone.title = "Reduksjon av 5 assistentårsverk (omformulert)"
    db.session.commit()
    count = db.session.scalar(select(func.count(Milestone.id)))

    import_file(DATA_FILE, SYSTEM)
    db.session.commit()

    assert db.session.scalar(select(func.count(Milestone.id))) == count
    assert db.session.get(Milestone, milestone.id).due_date == date(2027, 3, 31)


def test_moving_the_due_date_keeps_the_baseline(db, measure, make_user):
    admin = make_user("admin")
    milestone = services.milestones_for(measure)[1]
    services.update_milestone(milestone, admin, {"due_date": date(2027, 3, 31)})
    db.session.commit()
    assert (milestone.baseline_due_date, milestone.due_date) == (date(2026, 12, 31), date(2027, 3, 31))
    assert milestone.is_moved


def test_owner_edits_only_their_own_measures(db, measure, make_measure, make_user):
    owner, other = make_user("tiltaksansvarlig"), make_user("tiltaksansvarlig")
    mine = measure
    theirs = make_measure("1.1", owner=other, milestones=[{"what": "Tiltaket forberedes", "due_date": "2026-07-31"}])
    mine.owner_id = owner.id
    db.session.commit()

    services.create_milestone(mine, owner, {"title": "Ny milepæl", "due_date": date(2026, 5, 1)})
    db.session.commit()
    with pytest.raises(PermissionDenied):
        services.create_milestone(theirs, owner, {"title": "Ikke min", "due_date": date(2026, 5, 1)})
    with pytest.raises(PermissionDenied):
        services.update_milestone(services.milestones_for(theirs)[0], owner, {"done_date": date(2026, 1, 1)})
    assert all(m.done_date is None for m in services.milestones_for(theirs))
    assert "Ikke min" not in [m.title for m in services.milestones_for(theirs)]


@pytest.mark.parametrize(
    ("as_of", "states"),
    [
        ("2026-06-30", ["planned", "planned", "planned", "planned", "planned"]),
        ("2026-07-01", ["late", "planned", "planned", "planned", "planned"]),
        ("2027-01-01", ["late", "late", "planned", "planned", "planned"]),
    ],
)
def test_measures_show_json_gives_state_as_of_the_date(runner, measure, as_of, states):
    result = runner.invoke(args=["measures", "show", "1.3", "--json", "--as-of", as_of])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["code"] == "1.3"
    assert [m["state"] for m in data["milestones"]] == states
    assert data["milestones"][1] == {
        "title": "Reduksjon av 5 assistentårsverk",
        "when_text": "Høst 2026",
        "responsible": "",
        "baseline_due_date": "2026-12-31",
        "due_date": "2026-12-31",
        "done_date": None,
        "state": states[1],
    }
    assert set(data) >= {
        "code", "title", "status", "owner", "milestones", "kpis", "updates", "risk", "dependencies",
        "employee_consequences",
    }  # fmt: skip
    assert set(data["risk"]) >= {"indicators", "weakest", "average", "level"}


def test_a_done_milestone_is_done_from_its_done_date(runner, db, measure, make_user):
    milestone = services.milestones_for(measure)[0]
    services.update_milestone(milestone, make_user("admin"), {"done_date": date(2026, 7, 10)})
    db.session.commit()
    states = []
    for as_of in ("2026-07-09", "2026-07-10"):
        result = runner.invoke(args=["measures", "show", "1.3", "--json", "--as-of", as_of])
        states.append(json.loads(result.output)["milestones"][0]["state"])
    assert states == ["late", "done"]


def test_measures_show_unknown_code_fails(runner, measure):
    result = runner.invoke(args=["measures", "show", "9.99", "--json"])
    assert result.exit_code != 0
    assert "Fant ikke tiltak 9.99" in result.output


def _titles(measure) -> list[str]:
    return [m.title for m in services.milestones_for(measure)]


def test_a_milestone_deleted_in_the_tracker_stays_deleted_when_the_portfolio_is_imported_again(
    db, measure, make_measure
):
    """A tombstone by measure and title (as imported and as renamed) keeps the import from bringing it back."""
    first, second = services.milestones_for(measure)[:2]
    services.update_milestone(second, SYSTEM, {"title": "Fem færre assistentårsverk"})
    services.delete_milestone(first, SYSTEM)
    services.delete_milestone(second, SYSTEM)
    db.session.commit()
    remaining = _titles(measure)
    assert len(remaining) == 3

    make_measure("1.3", milestones=MILESTONES_1_3)  # the same portfolio file again
    assert _titles(measure) == remaining
    tombstones = set(db.session.scalars(select(MilestoneTombstone.title)))
    assert tombstones == {MILESTONES_1_3[0]["what"], MILESTONES_1_3[1]["what"], "Fem færre assistentårsverk"}

    # A renamed file entry is a new milestone; and the owner may add a deleted one back by hand.
    make_measure("1.3", milestones=[{"what": "Reduksjon av 5 assistentårsverk, revidert"}])
    services.create_milestone(measure, SYSTEM, {"title": MILESTONES_1_3[0]["what"]})
    db.session.commit()
    assert len(_titles(measure)) == 5


def test_a_deleted_milestone_stays_deleted_when_an_older_excel_export_is_imported(db, measure, tmp_path):
    path = tmp_path / "før-sletting.xlsx"
    programme = default_programme()
    write_portfolio_workbook(programme, load_measures(programme), path)
    services.delete_milestone(services.milestones_for(measure)[0], SYSTEM)
    db.session.commit()
    remaining = _titles(measure)

    import_file(path, SYSTEM)
    db.session.commit()
    assert _titles(measure) == remaining


def test_a_tombstone_is_written_once_per_title(db, measure):
    imported = services.milestones_for(measure)[0]
    again = services.create_milestone(measure, SYSTEM, {"title": imported.title})  # the same title by hand
    services.delete_milestone(imported, SYSTEM)
    db.session.commit()
    services.delete_milestone(again, SYSTEM)
    db.session.commit()
    assert list(db.session.scalars(select(MilestoneTombstone.title))) == [imported.title]
