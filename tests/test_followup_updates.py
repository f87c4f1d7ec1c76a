"""Quarterly status updates: frozen once submitted, review by ledergruppe, rounds and reminders."""

from datetime import date

import pytest

from tracker.accounts.permissions import SYSTEM, PermissionDenied
from tracker.periods import Quarter, current_quarter
from tracker.updates import services
from tracker.updates.services import UpdateError, save_update

Q2 = Quarter(2026, 2)
VALUES = {
    "confidence": "gul",
    "confidence_justification": "Forsinket anskaffelse",
    "progress": "Plan vedtatt",
    "corrective_actions": "Ny framdriftsplan",
    "decisions_needed": "Godkjenne utsatt oppstart",
}


@pytest.fixture()
def measures(make_measure):
    """Four measures in two work groups, no owners yet."""
    return {code: make_measure(code) for code in ("1.1", "1.2", "1.3", "2.1")}


@pytest.fixture()
def programme(measures):
    return measures["1.1"].programme


@pytest.fixture()
def owned(db, measures, make_user):
    owner = make_user("tiltaksansvarlig", email="eier@example.no")
    measure = measures["1.3"]
    measure.owner_id = owner.id
    db.session.commit()
    return owner, measure


def test_owner_saves_a_draft_then_submits_and_it_is_frozen(db, owned):
    owner, measure = owned
    services.save_update(measure, Q2, owner, VALUES)
    db.session.commit()
    services.save_update(measure, Q2, owner, {**VALUES, "confidence": "gul/rød"}, submit=True)
    db.session.commit()

    with pytest.raises(UpdateError, match="kan ikke endres"):
        services.save_update(measure, Q2, owner, {**VALUES, "confidence": "grønn"})
    db.session.rollback()
    update = services.update_for(measure, Q2)
    assert (update.confidence, update.is_submitted) == ("gul/rød", True)


def test_a_submitted_update_cannot_be_edited_through_the_page(db, client, login, owned):
    owner, measure = owned
    services.save_update(measure, Q2, owner, VALUES, submit=True)
    db.session.commit()
    login(owner)
    response = client.post(
        f"/oppfolging/tiltak/{measure.id}/statusrapporter/{Q2.key}",
        data={**VALUES, "confidence": "grønn", "save": "1"},
    )
    assert response.status_code == 400  # shown again, refused (the text kept), not redirected
    db.session.expire_all()
    assert services.update_for(measure, Q2).confidence == "gul"


def test_confidence_must_be_one_of_the_five_levels(db, owned):
    owner, measure = owned
    with pytest.raises(UpdateError):
        services.save_update(measure, Q2, owner, {**VALUES, "confidence": "blå"})


def test_only_the_owner_or_admin_writes_the_update(db, owned, make_user):
    _, measure = owned
    for role in ("tiltaksansvarlig", "ledergruppe", "leser"):
        with pytest.raises(PermissionDenied):
            services.save_update(measure, Q2, make_user(role), VALUES)
    services.save_update(measure, Q2, make_user("admin"), VALUES)


def test_ledergruppe_comments_and_marks_reviewed_only_submitted_updates(db, owned, make_user):
    owner, measure = owned
    leader = make_user("ledergruppe")
    update = services.save_update(measure, Q2, owner, VALUES)
    db.session.commit()
    with pytest.raises(UpdateError):
        services.add_comment(update, leader, "For tidlig")
    services.save_update(measure, Q2, owner, VALUES, submit=True)
    services.add_comment(update, leader, "Ta dette opp i neste møte")
    services.mark_reviewed(update, leader)
    db.session.commit()
    assert [c.body for c in update.comments] == ["Ta dette opp i neste møte"]
    assert update.is_reviewed and update.reviewed_by_id == leader.id
    with pytest.raises(PermissionDenied):
        services.add_comment(update, owner, "Jeg kommenterer selv")


def test_round_overview_shows_who_has_submitted(db, owned, programme, measures, make_user):
    owner, measure = owned
    other = make_user("tiltaksansvarlig")
    measures["1.1"].owner_id = other.id
    reporting_round = services.create_round(programme, Q2, date(2026, 7, 10), make_user("admin"))
    services.save_update(measure, Q2, owner, VALUES, submit=True)
    services.save_update(measures["1.1"], Q2, other, VALUES)
    db.session.commit()
    states = {row.measure.code: row.state for row in services.round_overview(reporting_round)}
    assert states == {"1.1": "utkast", "1.2": "mangler", "1.3": "levert", "2.1": "mangler"}


def _setup_round(db, programme, measures, make_user):
    """Three owners: one has submitted, two are missing (one of them with two measures)."""
    done = make_user("tiltaksansvarlig", email="ferdig@example.no")
    late_a = make_user("tiltaksansvarlig", email="a@example.no")
    late_b = make_user("tiltaksansvarlig", email="b@example.no")
    for code, owner in (("1.1", done), ("1.2", late_a), ("1.3", late_a), ("2.1", late_b)):
        measures[code].owner_id = owner.id
    db.session.commit()
    services.save_update(measures["1.1"], Q2, done, VALUES, submit=True)
    services.create_round(programme, Q2, date(2026, 7, 10), SYSTEM)
    db.session.commit()


def test_reminders_reach_each_missing_owner_exactly_once_per_round(
    app, db, programme, measures, make_user, smtp_server
):
    _setup_round(db, programme, measures, make_user)
    app.config["REMINDER_DAYS_BEFORE_DEADLINE"] = 7

    assert services.send_due_reminders(date(2026, 7, 2), SYSTEM) == 0  # eight days before: too early
    assert services.send_due_reminders(date(2026, 7, 3), SYSTEM) == 2
    assert services.send_due_reminders(date(2026, 7, 3), SYSTEM) == 0
    assert services.send_due_reminders(date(2026, 7, 9), SYSTEM) == 0

    recipients = sorted(message["to"][0] for message in smtp_server.messages)
    assert recipients == ["a@example.no", "b@example.no"]
    to_a = next(m["message"] for m in smtp_server.messages if m["to"] == ["a@example.no"])
    assert to_a["Subject"] == "Påminnelse: statusrapport for 2. kvartal 2026"
    body = to_a.get_content()
    assert "10.07.2026" in body and "1.2 " in body and "1.3 " in body and "2.1" not in body


def test_reminders_via_the_cli_and_none_after_the_deadline(
    app, runner, db, programme, measures, make_user, smtp_server
):
    _setup_round(db, programme, measures, make_user)
    assert services.send_due_reminders(date(2026, 7, 11), SYSTEM) == 0
    result = runner.invoke(args=["updates", "send-reminders", "--as-of", "2026-07-10"])
    assert result.exit_code == 0, result.output
    assert "Påminnelser sendt: 2" in result.output
    result = runner.invoke(args=["updates", "send-reminders", "--as-of", "2026-07-10"])
    assert "Påminnelser sendt: 0" in result.output
    assert len(smtp_server.messages) == 2


def test_a_failed_send_is_retried_on_the_next_run(app, db, programme, measures, make_user, smtp_server):
    _setup_round(db, programme, measures, make_user)
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # nothing listens there: the send fails and the claim is released
    try:
        assert services.send_due_reminders(date(2026, 7, 5), SYSTEM) == 0
    finally:
        app.config["MAIL_PORT"] = port
    assert services.send_due_reminders(date(2026, 7, 5), SYSTEM) == 2
    assert len(smtp_server.messages) == 2


def test_latest_submitted_update_feeds_the_confidence_contract(db, owned, programme):
    owner, measure = owned
    services.save_update(measure, Q2, owner, VALUES, submit=True)
    services.save_update(measure, Q2.next(), owner, {**VALUES, "confidence": "rød"})
    db.session.commit()
    assert services.latest_confidence_by_measure(programme.id, Q2.next()) == {measure.id: "gul"}


def test_two_schedulers_running_at_once_still_send_once_per_owner(app, db, programme, measures, make_user, smtp_server):
    """The claimed (round, owner) row, not the pre-check, is what stops the second sender."""
    import threading

    _setup_round(db, programme, measures, make_user)
    db.session.remove()
    results, errors = [], []
    start = threading.Barrier(2)

    def run():
        with app.app_context():
            try:
                start.wait()
                results.append(services.send_due_reminders(date(2026, 7, 5), SYSTEM))
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(results) == 2
    assert sorted(m["to"][0] for m in smtp_server.messages) == ["a@example.no", "b@example.no"]


def test_changes_and_refusals_are_audited(db, owned, make_user):
    from sqlalchemy import select

    from tracker.audit.models import AuditEntry

    owner, measure = owned
    services.save_update(measure, Q2, owner, VALUES)
    services.save_update(measure, Q2, owner, {**VALUES, "confidence": "rød"}, submit=True)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        services.save_update(measure, Q2.next(), make_user("leser"), VALUES)
    entries = list(
        db.session.scalars(select(AuditEntry).where(AuditEntry.measure_id == measure.id).order_by(AuditEntry.id))
    )
    actions = [
        entry.action for entry in entries if entry.action.startswith("status_update") or entry.action == "refused"
    ]
    assert actions == ["status_update.create", "status_update.submit", "refused"]
    assert entries[-2].changes["confidence"] == {"old": "gul", "new": "rød"}


def test_no_status_update_for_a_quarter_that_has_not_begun(make_measure, make_user):
    owner = make_user("tiltaksansvarlig")
    measure = make_measure("1.3", owner=owner)
    with pytest.raises(UpdateError, match="har ikke begynt"):
        save_update(measure, current_quarter().next(), owner, {"confidence": "gul"})
    assert save_update(measure, current_quarter(), owner, {"confidence": "gul"}).confidence == "gul"
