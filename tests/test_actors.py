"""Who acts: every service that changes data takes a logged-in user or SYSTEM, and refuses None.

None used to mean three things (the operator in benefits, "system" in updates, anonymous in the
permissions). Now it means a bug: the service raises NoActorError before it changes anything.
"""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD
from tracker.accounting import services as accounting
from tracker.accounting.example import load_example_ledger
from tracker.accounting.importing import import_ledger
from tracker.accounting.rules import FilterSpec
from tracker.accounts import permissions
from tracker.accounts import services as accounts
from tracker.accounts.permissions import SYSTEM, NoActorError
from tracker.audit.models import AuditEntry
from tracker.database import utcnow
from tracker.demo import services as demo
from tracker.dependencies import services as dependencies
from tracker.extensions import db
from tracker.kpis import services as kpis
from tracker.measures import importing
from tracker.milestones import services as milestones
from tracker.periods import Quarter
from tracker.portfolio import services as portfolio
from tracker.portfolio.models import Measure, Programme, WorkGroup
from tracker.reports import services as reports
from tracker.risks import readiness
from tracker.risks import services as risks
from tracker.staff import services as staff
from tracker.updates import services as updates
from tracker.users import services as users

Q1 = Quarter(2026, 1)
UPDATE = {"confidence": "gul", "confidence_justification": "Forsinket", "progress": "", "corrective_actions": ""}
RISK = {"description": "Lite kapasitet", "probability_before": 3, "consequence_before": 4}
SCORES = {"ledelsesforankring": 2, "kapasitet": 5, "kompetanse": 3, "avhengigheter": 1, "medvirkning": 4}


@pytest.fixture()
def world(app, make_user):
    """A programme with two measures and one of every follow-up record, made by an admin."""
    admin, owner = make_user("admin"), make_user("tiltaksansvarlig")
    programme = Programme(name="Testkommune", start_year=2026, end_year=2029)
    group = WorkGroup(programme=programme, number=1, name="Gruppe 1")
    measure = Measure(programme=programme, group=group, code="1.1", sort_key="0001.0001", title="Tiltak A")
    other = Measure(programme=programme, group=group, code="1.2", sort_key="0001.0002", title="Tiltak B")
    db.session.add_all([programme, measure, other])
    db.session.flush()
    world = SimpleNamespace(programme=programme, measure=measure, other=other, admin=admin, owner=owner)
    world.milestone = milestones.create_milestone(measure, admin, {"title": "Plan vedtatt"})
    world.kpi = kpis.create_kpi(measure, admin, {"name": "Sykefravær", "direction": "lower", "unit": "%"})
    world.item = risks.add_risk_item(measure, admin, RISK)
    world.indicator = risks.indicators()[0]
    world.assessment = risks.create_assessment(measure, admin, date(2026, 2, 1), SCORES)
    world.dependency = dependencies.add_dependency(other, measure, admin)
    world.update = updates.save_update(measure, Q1, admin, UPDATE, submit=True)
    world.recipient = reports.add_recipient(admin, "amu", "AMU", "amu@example.no")
    world.accounting_filter = accounting.add_filter(measure, {"ansvar": "41*"}, admin)
    db.session.commit()
    return world


# (service, a call of it with None as the actor); each must refuse before changing anything.
REFUSING_NONE = {
    "accounts.create_user": lambda _w: accounts.create_user("ny", TEST_PASSWORD, "leser", actor=None),
    "accounts.set_password": lambda w: accounts.set_password(w.owner, "nytt-passord-123", None),
    "accounts.update_user": lambda w: accounts.update_user(w.owner, None, "leser", "Kari", None, True),
    "accounts.change_own_password": lambda _w: accounts.change_own_password(None, TEST_PASSWORD, "nytt-passord-1"),
    "accounts.prune_login_records": lambda _w: accounts.prune_login_records(utcnow(), None),
    "users.create_account": lambda _w: users.create_account(None, "ny", "Ny", None, "leser", None),
    "users.update_account": lambda w: users.update_account(None, w.owner, "leser", "Kari", None, True),
    "users.reset_password": lambda w: users.reset_password(None, w.owner, None),
    "updates.save_update": lambda w: updates.save_update(w.other, Q1, None, UPDATE),
    "updates.add_comment": lambda w: updates.add_comment(w.update, None, "Bra"),
    "updates.mark_reviewed": lambda w: updates.mark_reviewed(w.update, None),
    "updates.create_round": lambda w: updates.create_round(w.programme, Q1, date(2026, 4, 10), None),
    "updates.send_due_reminders": lambda _w: updates.send_due_reminders(date(2026, 4, 5), None),
    "milestones.import_milestones": lambda w: milestones.import_milestones(w.measure, [{"what": "Ny"}], None),
    "milestones.create_milestone": lambda w: milestones.create_milestone(w.measure, None, {"title": "Ny"}),
    "milestones.update_milestone": lambda w: milestones.update_milestone(w.milestone, None, {"title": "Endret"}),
    "milestones.delete_milestone": lambda w: milestones.delete_milestone(w.milestone, None),
    "kpis.create_kpi": lambda w: kpis.create_kpi(w.measure, None, {"name": "Ny", "direction": "higher"}),
    "kpis.update_kpi": lambda w: kpis.update_kpi(w.kpi, None, {"name": "Endret", "direction": "higher"}),
    "kpis.record_measurement": lambda w: kpis.record_measurement(w.kpi, None, Q1, Decimal("7.5")),
    "kpis.delete_kpi": lambda w: kpis.delete_kpi(w.kpi, None),
    "risks.update_indicator": lambda w: risks.update_indicator(w.indicator, None, "Nytt navn", ["a"] * 5),
    "risks.create_assessment": lambda w: risks.create_assessment(w.measure, None, date(2026, 2, 1), SCORES),
    "risks.review_assessment": lambda w: risks.review_assessment(w.assessment, None),
    "risks.decide_status": lambda w: readiness.decide_status(w.measure, None, None, "vedtatt", date(2026, 3, 1)),
    "risks.add_risk_item": lambda w: risks.add_risk_item(w.measure, None, RISK),
    "risks.update_risk_item": lambda w: risks.update_risk_item(w.item, None, {**RISK, "description": "Endret"}),
    "risks.delete_risk_item": lambda w: risks.delete_risk_item(w.item, None),
    "dependencies.add_dependency": lambda w: dependencies.add_dependency(w.measure, w.other, None),
    "dependencies.remove_dependency": lambda w: dependencies.remove_dependency(w.dependency, None),
    "staff.save_consequence": lambda w: staff.save_consequence(w.measure, None, {"affected_units": "Alle"}),
    "reports.build_report": lambda w: reports.build_report(w.programme, Q1, "amu", None),
    "reports.request_build": lambda w: reports.request_build(None, w.programme, Q1, "amu", False),
    "reports.add_recipient": lambda _w: reports.add_recipient(None, "amu", "Ny", "ny@example.no"),
    "reports.remove_recipient": lambda w: reports.remove_recipient(None, w.recipient),
    "demo.load_demo": lambda _w: demo.load_demo(None, None),
    "accounting.set_filters": lambda w: accounting.set_filters(w.other, [FilterSpec(ansvar="31*")], None),
    "accounting.add_filter": lambda w: accounting.add_filter(w.other, {"ansvar": "31*"}, None),
    "accounting.remove_filter": lambda w: accounting.remove_filter(w.accounting_filter, None),
    "accounting.set_deflator": lambda _w: accounting.set_deflator(2026, 430, "Prop. 1 S", None),
    "accounting.import_ledger": lambda _w: import_ledger("hovedbok.csv", "actual", None, 0),
    "accounting.load_example_ledger": lambda w: load_example_ledger([w.other], 2026, 3, None),
    # The portfolio's writers refuse None through the permissions they call.
    "portfolio.update_measure": lambda w: portfolio.update_measure(w.measure, None, None, {"title": "Endret"}, {}),
    "portfolio.change_status": lambda w: portfolio.change_status(w.measure, None, None, "vedtatt", date(2026, 3, 1)),
    "portfolio.assign_owner": lambda w: portfolio.assign_owner(w.measure, None, None, w.owner),
    "measures.import_upload": lambda _w: importing.import_upload("portefolje.json", None),
}


def _all_rows() -> dict[str, list[tuple]]:
    """Every row of every table, to compare the database before and after a call."""
    return {
        table.name: sorted(tuple(map(repr, row)) for row in db.session.execute(select(table)))
        for table in db.metadata.sorted_tables
    }


@pytest.mark.parametrize("call", REFUSING_NONE.values(), ids=REFUSING_NONE.keys())
def test_a_service_refuses_none_as_its_actor_and_changes_nothing(world, call):
    before = _all_rows()
    with pytest.raises(NoActorError):
        call(world)
    assert _all_rows() == before


@pytest.mark.parametrize(
    "check",
    [
        lambda _m: permissions.require_admin(None),
        lambda m: permissions.require_measure_edit(None, m),
        lambda _m: permissions.require_comment(None),
        lambda _m: permissions.can_administer(None),
        lambda m: permissions.can_edit_measure(None, m),
        lambda _m: permissions.can_comment(None),
    ],
    ids=["require_admin", "require_measure_edit", "require_comment", "can_administer", "can_edit", "can_comment"],
)
def test_the_permission_helpers_refuse_none_without_recording_a_refusal(world, check):
    with pytest.raises(NoActorError):
        check(world.measure)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "refused")) is None


def test_system_has_every_right(world):
    permissions.require_admin(SYSTEM)
    permissions.require_measure_edit(SYSTEM, world.measure)
    permissions.require_comment(SYSTEM)
    assert permissions.can_edit_measure(SYSTEM, world.other) and permissions.can_comment(SYSTEM)


def _entry(action: str, label: str) -> AuditEntry:
    return db.session.scalar(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.object_label == label))


def test_system_changes_are_audited_as_system_without_a_user_id(world, runner):
    milestones.create_milestone(world.measure, SYSTEM, {"title": "Fra kommandolinjen"})
    db.session.commit()
    result = runner.invoke(args=["updates", "create-round", "2026-Q1", "--deadline", "2026-04-10"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["users", "create", "--username", "per", "--password", TEST_PASSWORD, "--role", "leser"]
    )
    assert result.exit_code == 0, result.output
    round_entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reporting_round.create"))
    entries = [_entry("milestone.create", "Fra kommandolinjen"), round_entry, _entry("user.create", "per")]
    assert [(entry.username, entry.user_id) for entry in entries] == [("system", None)] * 3
