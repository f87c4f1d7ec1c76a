"""One writer for a measure's planned saving: positive saving in, stored as the report's net cost change."""

import pytest
from sqlalchemy import select

from tracker.accounts.permissions import SYSTEM, PermissionDenied
from tracker.benefits import services as benefits
from tracker.measures import importing
from tracker.measures.excel import write_portfolio_workbook
from tracker.portfolio import services as portfolio
from tracker.portfolio.models import Measure, PlanRevision
from tracker.portfolio.queries import default_programme

DOCUMENT = {
    "programme": {"name": "Prøveprogram", "plan_period": [2026, 2027], "target_mnok": {"2027": -1}},
    "groups": [{"number": 1, "name": "Skole"}],
    "measures": [{"code": "1.1", "group": 1, "title": "Færre skoler", "net_cost_change_mnok": {"2026": -0.3}}],
}


@pytest.fixture()
def measure(db) -> Measure:
    importing.import_document(DOCUMENT, SYSTEM)
    db.session.commit()
    return db.session.scalar(select(Measure).where(Measure.code == "1.1"))


@pytest.mark.parametrize(
    ("saving_nok", "stored_net_change_nok"),
    [(300_000, -300_000), (-120_000, 120_000), (0, 0)],  # a saving, a cost (2.11), no effect
)
def test_a_positive_saving_is_stored_as_a_negative_net_change(measure, db, saving_nok, stored_net_change_nok):
    change = portfolio.set_planned_saving(measure, 2027, saving_nok, "", SYSTEM)
    db.session.commit()
    assert measure.planned_net_change_by_year()[2027] == stored_net_change_nok
    assert (change.year, change.old_saving_nok, change.new_saving_nok) == (2027, None, saving_nok)
    assert change.net_change_diff() == {"old": None, "new": stored_net_change_nok}


def test_the_same_plan_is_no_change_and_none_removes_the_year(measure, db):
    assert portfolio.set_planned_saving(measure, 2026, 300_000, "Uendret", SYSTEM) is None
    change = portfolio.set_planned_saving(measure, 2026, None, "Tiltaket flyttes", SYSTEM)
    db.session.commit()
    assert (change.old_saving_nok, change.new_saving_nok) == (300_000, None)
    assert 2026 not in measure.planned_net_change_by_year()


def test_a_reason_keeps_the_change_in_the_plan_history_and_moves_the_version(measure, db, make_user):
    admin = make_user("admin")
    version = measure.version
    portfolio.set_planned_saving(measure, 2026, 250_000, "", SYSTEM)  # an import: the file is the record
    portfolio.set_planned_saving(measure, 2027, 400_000, " Budsjettvedtak ", admin)
    db.session.commit()
    [revision] = db.session.scalars(select(PlanRevision)).all()
    assert (revision.year, revision.old_saving_nok, revision.new_saving_nok) == (2027, None, 400_000)
    assert (revision.reason, revision.changed_by_id) == ("Budsjettvedtak", admin.id)
    assert measure.version > version


def test_only_an_admin_or_the_system_sets_the_plan(measure, db, make_user):
    with pytest.raises(PermissionDenied):
        portfolio.set_planned_saving(measure, 2026, 1, "Fordi", make_user("tiltaksansvarlig"))
    db.session.expire_all()
    assert measure.planned_net_change_by_year() == {2026: -300_000}


@pytest.fixture()
def writes(monkeypatch) -> list[tuple]:
    """Every call of set_planned_saving, whichever module calls it."""
    calls = []
    real = portfolio.set_planned_saving

    def spy(measure, year, saving_nok, reason, actor):
        calls.append((measure.code, year, saving_nok))
        return real(measure, year, saving_nok, reason, actor)

    for module in (portfolio, benefits, importing):
        monkeypatch.setattr(module, "set_planned_saving", spy)
    return calls


def test_the_edit_form_the_plan_form_and_both_imports_write_through_the_one_function(
    measure, db, writes, tmp_path, make_user
):
    admin = make_user("admin")
    portfolio.update_measure(measure, admin, measure.version, {"title": measure.title}, {2026: 200_000}, "Kutt")
    benefits.change_plan(measure, 2027, 500_000, "Vedtak", admin)
    importing.import_document(DOCUMENT, SYSTEM)  # puts 2026 back to 300 000
    assert measure.planned_net_change_by_year() == {2026: -300_000, 2027: -500_000}
    path = tmp_path / "portefolje.xlsx"
    write_portfolio_workbook(default_programme(), [measure], path)
    portfolio.set_planned_saving(measure, 2026, 1, "", SYSTEM)
    importing.import_file(path, SYSTEM)
    db.session.commit()
    assert measure.planned_net_change_by_year() == {2026: -300_000, 2027: -500_000}
    assert ("1.1", 2026, 200_000) in writes and ("1.1", 2027, 500_000) in writes
    assert writes.count(("1.1", 2026, 300_000)) == 2  # the JSON and the Excel import
