"""Til behandling i ledergruppa: what the work queue lists, how meetings settle it, and the rules behind it."""

from datetime import date

import pytest
from werkzeug.exceptions import Forbidden

from tests.meetings_scene import Q3, build_people, build_scene
from tracker.accounts.permissions import SYSTEM
from tracker.audit.models import AuditEntry
from tracker.dependencies.services import add_dependency
from tracker.meetings import queue as work_queue
from tracker.meetings import rules, services
from tracker.meetings.models import MeetingItem
from tracker.milestones import services as milestones
from tracker.portfolio.status import UNDER_GJENNOMFORING, VEDTATT
from tracker.risks import services as risks
from tracker.risks.services import DEFAULT_INDICATORS
from tracker.updates import services as updates

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4
TODAY = date(2026, 11, 23)


@pytest.fixture()
def people(make_user):
    return build_people(make_user)


@pytest.fixture()
def scene(make_measure, make_figures, make_update, people):
    return build_scene(make_measure, make_figures, make_update, people)


def keys(found) -> list[str]:
    return [item.key for item in found.items]


def test_the_queue_lists_decisions_deviations_reviews_forecasts_at_risk_and_late_milestones_in_that_order(
    scene, app, make_measure, measure_by_code
):
    found = work_queue.work_queue(scene["programme"], TODAY)
    m11, m12, m13 = scene["1.1"], scene["1.2"], scene["1.3"]
    assert keys(found) == [
        f"beslutning:{scene['q4'].id}",
        f"avvik:{m11.id}:2026:2026-Q4",
        f"statusrapport:{scene['q3'].id}",
        f"statusrapport:{scene['q4'].id}",
        f"prognose:{m13.id}",
        f"milepael:{m13.id}",
    ]
    decision, deviation, review, _, at_risk, milestones = found.items
    assert (decision.subject, decision.owner, decision.detail) == (
        "1.2 Tiltak 1.2",
        "Ola Eier",
        "Avklare ny leverandør",
    )
    assert decision.title == "Ber om beslutning (4. kvartal 2026)"
    assert decision.href == f"/oppfolging/tiltak/{m12.id}/statusrapporter/2026-Q4"
    assert deviation.title == "Prognosen for 2026 er 0,2 mill. kr under planen"
    assert deviation.detail == "Korrigerende tiltak: Resten tas ut i 2027. Forklaring: Sent vedtak."
    assert deviation.href == f"/gevinster/tiltak/{m11.id}"
    assert review.title == "Statusrapport for 3. kvartal 2026 (Grønn) er ikke gjennomgått"
    # Due 01.10.2026, not done: 53 days late on 23.11.2026.
    assert milestones.title == "1 forsinket milepæl"
    assert milestones.detail == "«Ny vedtaksrutine» (53 dager over fristen 01.10.2026)."
    assert (milestones.days_late, milestones.href) == (53, f"/oppfolging/tiltak/{m13.id}/milepaeler")
    # A measure not yet adopted keeps the report's planned dates: its milestones are not late work.
    make_measure("1.4", milestones=[{"what": "Utredning", "due_date": "2026-01-01"}])
    assert f"milepael:{measure_by_code('1.4').id}" not in keys(work_queue.work_queue(scene["programme"], TODAY))
    # The late milestone puts 1.3's forecast at risk (issue 11's flag), with the reason.
    assert (at_risk.kind, at_risk.title, at_risk.subject) == ("prognose", "Prognosen er i fare", "1.3 Tiltak 1.3")
    assert at_risk.detail == "Milepælen «Ny vedtaksrutine» er forsinket (frist 01.10.2026)."
    assert at_risk.href == f"/gevinster/tiltak/{m13.id}"
    assert found.counts() == [
        ("beslutning", "Beslutning etterspurt", 1),
        ("avvik", "Avvik uten godkjent korrigerende tiltak", 1),
        ("statusrapport", "Statusrapport til gjennomgang", 2),
        ("prognose", "Prognose i fare", 1),
        ("milepael", "Forsinkede milepæler", 1),
    ]


def test_missing_figures_and_status_updates_after_the_rounds_deadline(scene, app):
    updates.create_round(scene["programme"], Q3, date(2026, 10, 10), SYSTEM)
    found = work_queue.work_queue(scene["programme"], TODAY)
    missing = [item for item in found.items if item.kind == rules.MISSING]
    # 1.2 reported figures and a status update for Q3; 1.1 and 1.3 nothing. 10.10 → 23.11 is 44 days.
    assert [item.key for item in missing] == [
        f"mangler:2026-Q3:{scene['1.1'].id}",
        f"mangler:2026-Q3:{scene['1.3'].id}",
    ]
    assert missing[0].title == "Mangler tall og statusrapport for 3. kvartal 2026"
    assert missing[0].detail == "Tiltaksansvarlig: Ola Eier; 44 dager over fristen 10.10.2026."
    assert missing[0].days_late == 44
    assert found.reporting_round.period == Q3
    # Before the deadline nothing is late yet.
    assert not [
        i for i in work_queue.work_queue(scene["programme"], date(2026, 10, 10)).items if i.kind == rules.MISSING
    ]


def _assess(measure, score: int) -> None:
    scores = {key: score for key, _, _ in DEFAULT_INDICATORS}
    risks.create_assessment(measure, SYSTEM, date(2026, 9, 1), scores)


def test_a_leaders_and_a_units_organisational_risk_load_above_the_threshold(make_measure, people, db, app):
    owner, other = people["eier"], people["leder"]
    high = [
        make_measure("2.1", status=UNDER_GJENNOMFORING, owner=owner, affected_units=["Skolene"]),
        make_measure("2.2", status=UNDER_GJENNOMFORING, owner=owner, affected_units=["Hjemmetjenesten"]),
    ]
    medium = make_measure("2.3", status=VEDTATT, owner=other, affected_units=[" skolene "])
    make_measure("2.4", status=VEDTATT, owner=owner, affected_units=["Skolene"])  # not assessed: weighs as middels
    make_measure("2.5", owner=other, affected_units=["Skolene"])  # not in change: weighs nothing
    for measure in high:
        _assess(measure, 5)  # høy: 3 each
    _assess(medium, 3)  # middels: 2
    db.session.commit()
    found = work_queue.work_queue(high[0].programme, TODAY)
    # Ola Eier carries 3 + 3 + 2 = 8 and Skolene 3 + 2 + 2 = 7, above the default 6;
    # Hjemmetjenesten 3 and Lise Leder 2 stay below it.
    assert keys(found) == ["risiko:leder:ola eier", "risiko:enhet:skolene"]
    leader, unit = found.items
    assert (leader.subject, leader.title) == ("Ola Eier", "Risikobelastning 8 (grensen er 6)")
    assert leader.detail == "Tiltak i endring: 2.1 (høy), 2.2 (høy), 2.4 (ikke vurdert)."
    assert (unit.subject, unit.title) == ("Enhet: Skolene", "Risikobelastning 7 (grensen er 6) i enheten")
    assert unit.detail == "Tiltak i endring: 2.1 (høy), 2.3 (middels), 2.4 (ikke vurdert)."
    assert leader.href.endswith("/risiko#risikobelastning")
    app.config["RISK_LOAD_THRESHOLD"] = 1
    try:
        subjects = [i.subject for i in work_queue.work_queue(high[0].programme, TODAY).items]
        assert subjects == ["Ola Eier", "Enhet: Skolene", "Enhet: Hjemmetjenesten", "Lise Leder"]
    finally:
        app.config["RISK_LOAD_THRESHOLD"] = 6


def test_a_measure_building_on_a_late_one_is_at_risk_and_one_only_on_the_menu_is_not(scene, make_measure, db):
    """2.1 (adopted) builds on 1.3, whose milestone is late: its forecast is at risk too, saying why.
    1.4 is only on the menu (utredet): its own late date is the report's plan, not a forecast at risk."""
    m21 = make_measure("2.1", plan={2026: 200_000}, status=VEDTATT, owner=scene["1.1"].owner)
    add_dependency(m21, scene["1.3"], SYSTEM)
    m14 = make_measure("1.4", plan={2026: 100_000}, milestones=[{"what": "Utredning", "due_date": "2026-01-01"}])
    db.session.commit()
    found = {item.key: item for item in work_queue.work_queue(scene["programme"], TODAY).items}
    assert found[f"prognose:{m21.id}"].detail == "Bygger på tiltak 1.3, som har en forsinket milepæl."
    assert f"prognose:{m14.id}" not in found
    # Done on time after all: nothing late, nothing at risk.
    for milestone in milestones.milestones_for(scene["1.3"]):
        milestones.update_milestone(milestone, SYSTEM, {"done_date": date(2026, 9, 30)})
    db.session.commit()
    assert not [i for i in work_queue.work_queue(scene["programme"], TODAY).items if i.kind == rules.FORECAST_AT_RISK]


def test_a_meeting_settles_the_decision_and_the_deviation_and_its_follow_up_comes_back(scene, people, db):
    leder, eier = people["leder"], people["eier"]
    programme, update = scene["programme"], scene["q4"]
    meeting = services.create_meeting(programme, date(2026, 11, 25), "", "Lise Leder, Per Rådmann", leder)
    decision_key, deviation_key = f"beslutning:{update.id}", f"avvik:{scene['1.1'].id}:2026:2026-Q4"
    added = services.add_to_agenda(meeting, [decision_key, deviation_key, decision_key], TODAY, leder)
    db.session.commit()
    assert [item.subject_key for item in added] == [decision_key, deviation_key]
    on_agenda = {item.key: item.on_agenda for item in work_queue.work_queue(programme, TODAY).items}
    assert on_agenda[decision_key] == "25.11.2026"

    decided, followed = added
    services.record_outcome(decided, services.OutcomeInput("beslutning", "Ny leverandør anskaffes"), leder)
    services.record_outcome(
        followed, services.OutcomeInput("oppfolging", "Legg fram ny plan", eier.id, date(2026, 12, 15)), leder
    )
    db.session.commit()
    assert update.is_reviewed  # a decision on a status update also reviews it
    after = work_queue.work_queue(programme, TODAY)
    assert decision_key not in keys(after) and deviation_key not in keys(after)
    assert f"statusrapport:{update.id}" not in keys(after)
    follow_up = next(item for item in after.items if item.kind == rules.FOLLOW_UP)
    assert follow_up.key == f"oppfolging:{followed.id}"
    assert follow_up.title == "Oppfølging fra møtet 25.11.2026: Legg fram ny plan"
    assert follow_up.detail == "Ansvarlig: Ola Eier; frist 15.12.2026."

    # The next meeting handles the follow-up: that closes it.
    later = services.create_meeting(programme, date(2026, 12, 16), "Ledermøte", "", leder)
    (again,) = services.add_to_agenda(later, [follow_up.key], TODAY, leder)
    services.record_outcome(again, services.OutcomeInput("orientering", "Planen er lagt fram"), leder)
    db.session.commit()
    assert followed.done_dt is not None and followed.done_by_id == leder.id
    assert follow_up.key not in keys(work_queue.work_queue(programme, TODAY))
    actions = [entry.action for entry in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]
    assert actions.count("meeting.record") == 3 and "meeting.followup_done" in actions and "meeting.agenda" in actions


def test_outcome_rules_and_who_may_hold_meetings(scene, people, db):
    for role in ("leser", "eier"):
        with pytest.raises(Forbidden):
            services.create_meeting(scene["programme"], TODAY, "", "", people[role])
    meeting = services.create_meeting(scene["programme"], TODAY, "", "", SYSTEM)
    (item,) = services.add_to_agenda(meeting, [f"beslutning:{scene['q4'].id}"], TODAY, SYSTEM)
    db.session.commit()
    assert meeting.title == "Ledergruppemøte"
    with pytest.raises(services.MeetingError) as refused:
        services.record_outcome(item, services.OutcomeInput("oppfolging", "  "), people["leder"])
    assert refused.value.errors_by_field == {
        "decision": "Skriv hva som ble besluttet eller skal følges opp.",
        "responsible": "Velg hvem som følger opp.",
        "due_date": "Velg en frist for oppfølgingen.",
    }
    with pytest.raises(services.MeetingError):
        services.add_to_agenda(meeting, ["beslutning:999999"], TODAY, people["leder"])
    services.record_outcome(item, services.OutcomeInput("beslutning", "Vedtatt"), people["admin"])
    with pytest.raises(services.MeetingError):
        services.remove_from_agenda(item, people["leder"])  # it is in the minutes now
    assert db.session.get(MeetingItem, item.id).decision == "Vedtatt"


@pytest.mark.parametrize(
    ("deadline", "text", "late"),
    [
        (date(2026, 10, 10), "44 dager over fristen 10.10.2026", 44),
        (date(2026, 11, 22), "1 dag over fristen 22.11.2026", 1),
        (date(2026, 11, 23), "frist 23.11.2026", 0),
        (date(2026, 12, 1), "frist 01.12.2026", 0),
        (None, "ingen frist", 0),
    ],
)
def test_lateness_in_days_and_words(deadline, text, late):
    assert rules.lateness_text(deadline, TODAY) == text
    assert rules.days_late(deadline, TODAY) == late
