"""A closed programme stays readable with its history, and nothing of it changes: page, service,
import or command line, each refused with the same Norwegian message, never a 500."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from tracker.accounts.permissions import SYSTEM
from tracker.audit.models import AuditEntry
from tracker.benefits import services as benefits
from tracker.benefits.models import BudgetTakeOut, QuarterlyFigure
from tracker.errors import ReadOnlyError
from tracker.measures.importing import PortfolioImportError, import_document
from tracker.meetings import services as meetings
from tracker.meetings.models import Meeting, MeetingItem
from tracker.meetings.queue import work_queue
from tracker.periods import Quarter
from tracker.portfolio import programmes, targets
from tracker.updates import services as updates

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4

TODAY = date(2026, 11, 23)
CLOSED = "Programmet «Omstilling test» er avsluttet og kan bare leses."
Q4 = Quarter(2026, 4)


@pytest.fixture()
def admin(make_user):
    return make_user("admin", "controller")


@pytest.fixture()
def closed(two_programmes, admin, make_figures, db):
    """The first programme, with an approved Q3 figure for 1.1, closed by the admin through the page."""
    measure = two_programmes["measures"][("Omstilling test", "1.1")]
    make_figures(measure, Quarter(2026, 3), 150_000, 300_000, approved_by=admin)
    programmes.set_closed(admin, two_programmes["first"], True)
    db.session.commit()
    return two_programmes


def test_an_admin_closes_and_reopens_a_programme_audited(two_programmes, admin, client, login, db):
    first = two_programmes["first"]
    login(admin)
    listing = client.get("/programmer/").get_data(as_text=True)
    assert "Avslutt «Omstilling test»" in listing

    response = client.post(f"/programmer/{first.id}/avslutt")
    assert response.status_code == 302
    db.session.expire_all()
    assert first.is_closed is True
    listing = client.get("/programmer/").get_data(as_text=True)
    assert "Avsluttet (bare lesing)" in listing and "Åpne «Omstilling test» igjen" in listing
    # Still listed for switching, marked closed.
    assert "Omstilling test (2026–2029, avsluttet)" in listing

    client.post(f"/programmer/{first.id}/gjenapne")
    db.session.expire_all()
    assert first.is_closed is False
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_type == "Programme").order_by(AuditEntry.id)
    ).all()
    assert actions == ["programme.close", "programme.reopen"]


def test_a_closed_programme_stays_readable_with_its_history(closed, admin, client, login):
    measure = closed["measures"][("Omstilling test", "1.1")]
    login(admin)
    client.post("/programmer/velg", data={"programme_id": str(closed["first"].id)})

    dashboard = client.get("/gevinster/?year=2026&quarter=2026-Q3").get_data(as_text=True)
    figures = dict(re.findall(r'data-figure="(year-2026-[a-z_]+)" data-value="(-?\d*)"', dashboard))
    assert (figures["year-2026-planned_nok"], figures["year-2026-realised_nok"]) == ("500000", "150000")
    assert "Omstilling test er avsluttet</strong> og kan bare leses" in dashboard

    page = client.get(f"/portefolje/tiltak/{measure.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Skolestruktur" in html
    # No edit, decision or owner buttons for anyone, the admin included.
    assert "Rediger tiltak 1.1" not in html and "Registrer vedtak" not in html and "Velg tiltaksansvarlig" not in html
    ledger = client.get(f"/gevinster/tiltak/{measure.id}").get_data(as_text=True)
    assert "Endre planlagt innsparing" not in ledger and "3. kvartal 2026" in ledger
    rounds = client.get("/oppfolging/runder").get_data(as_text=True)
    assert "Ny rapporteringsrunde" not in rounds
    assert client.get("/oppfolging/risiko").status_code == 200
    assert client.get("/rapporter/").status_code == 200


def test_the_owner_cannot_report_figures_in_a_closed_programme(closed, client, login, db):
    measure = closed["measures"][("Omstilling test", "1.1")]
    login(closed["owner"])
    url = f"/gevinster/tiltak/{measure.id}/kvartal/2026-Q4"
    assert client.get(url).status_code == 403
    response = client.post(url, data={"realised": "200 000", "forecast": "300 000"})
    assert response.status_code == 403 and CLOSED in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(QuarterlyFigure).where(QuarterlyFigure.quarter == 4)) == 0


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/portefolje/tiltak/{id}/rediger", None),
        ("/portefolje/tiltak/{id}/status", {"to_status": "under gjennomføring", "decided_date": "20.11.2026"}),
        ("/gevinster/tiltak/{id}/uttak", {"year": "2026", "amount": "100 000"}),
        ("/oppfolging/tiltak/{id}/milepaeler", {"title": "Ny milepæl", "due_date": "31.12.2026"}),
        # The owner's quarter on one page is an editing page: refused for the admin too.
        ("/oppfolging/tiltak/{id}/kvartalsrapport/2026-Q4", None),
        ("/oppfolging/tiltak/{id}/kvartalsrapport/2026-Q4", {"realised": "200 000", "forecast": "300 000"}),
    ],
)
def test_an_admin_change_to_a_closed_programme_is_refused_with_the_reason(closed, admin, client, login, db, path, data):
    measure = closed["measures"][("Omstilling test", "1.1")]
    version = measure.version
    login(admin)
    url = path.format(id=measure.id)
    posted = None if data is None else {"version": str(version), **data}
    response = client.get(url) if posted is None else client.post(url, data=posted)
    assert response.status_code == 403, response.get_data(as_text=True)[:2000]
    assert CLOSED in response.get_data(as_text=True)
    db.session.expire_all()
    assert (measure.status, measure.version) == ("vedtatt", version)
    assert db.session.scalar(select(func.count()).select_from(BudgetTakeOut)) == 0


def test_every_writer_is_stopped_even_one_that_forgets_to_check(closed, db):
    """The flush guard: a service called directly (as the command line does) cannot change a closed programme."""
    measure = closed["measures"][("Omstilling test", "1.1")]
    with pytest.raises(ReadOnlyError, match="avsluttet og kan bare leses"):
        benefits.set_take_out(measure, 2026, 100_000, "", SYSTEM)
        db.session.flush()
    db.session.rollback()
    figure = db.session.scalar(select(QuarterlyFigure).where(QuarterlyFigure.measure_id == measure.id))
    figure.explanation = "endret i ettertid"
    with pytest.raises(ReadOnlyError):
        db.session.flush()
    db.session.rollback()
    # The other programme is open: the same service works there.
    other = closed["measures"][("Omstilling 2027", "1.1")]
    benefits.set_take_out(other, 2027, 100_000, "", SYSTEM)
    db.session.commit()
    assert db.session.scalar(select(BudgetTakeOut.amount_nok)) == 100_000


def test_reminders_skip_the_rounds_of_a_closed_programme(closed, db):
    first, following = closed["first"], closed["next"]
    deadline = Quarter(2026, 4).end_date.replace(day=1)  # 2026-12-01, within a week of "today"?
    programmes.set_closed(SYSTEM, first, False)
    updates.create_round(first, Q4, deadline, SYSTEM)
    programmes.set_closed(SYSTEM, first, True)
    db.session.commit()
    assert updates.due_rounds(deadline, 0) == []
    programmes.set_closed(SYSTEM, first, False)
    db.session.commit()
    assert [r.programme_id for r in updates.due_rounds(deadline, 0)] == [first.id]
    assert following.is_closed is False


def test_importing_into_a_closed_programme_is_refused(closed, db):
    document = {
        "programme": {"name": "Omstilling test", "plan_period": [2026, 2029]},
        "groups": [{"number": 1, "name": "Barnehage og skole"}],
        "measures": [{"code": "1.9", "group": 1, "title": "Nytt tiltak", "net_cost_change_mnok": {}}],
    }
    with pytest.raises(PortfolioImportError) as refused:
        import_document(document, SYSTEM)
    assert refused.value.messages == [
        "Programmet «Omstilling test» er avsluttet og kan bare leses. Ingenting ble lagret. "
        "En administrator kan åpne det igjen under Programmer."
    ]


def test_the_command_line_refuses_a_closed_programme_and_still_reads_it(closed, runner):
    refused = runner.invoke(
        args=["updates", "create-round", "2026-Q4", "--deadline", "2026-12-15", "--programme", "Omstilling test"]
    )
    assert refused.exit_code == 1 and CLOSED in refused.output
    shown = runner.invoke(args=["measures", "show", "1.1", "--programme", "Omstilling test"])
    assert shown.exit_code == 0 and "1.1 Skolestruktur (vedtatt)" in shown.stdout


def test_the_api_reads_a_closed_programme(closed, make_api_token, client):
    token = make_api_token("leser")
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/programmes", headers=headers).get_json()["items"]
    assert [(row["name"], row["is_closed"]) for row in listed] == [
        ("Omstilling test", True),
        ("Omstilling 2027", False),
    ]
    rows = client.get("/api/v1/measure-years?programme=Omstilling test&year=2026", headers=headers).get_json()["items"]
    assert sorted((row["code"], row["planned_nok"]) for row in rows) == [("1.1", 300_000), ("2.1", 200_000)]


def test_a_closed_programmes_targets_are_read_not_changed(closed, admin, client, login, db):
    first = closed["first"]
    login(admin)
    client.post("/programmer/velg", data={"programme_id": str(first.id)})
    goals = client.get("/gevinster/mal").get_data(as_text=True)
    assert "Målbane" in goals and "Lagre målet" not in goals
    with pytest.raises(ReadOnlyError, match="avsluttet og kan bare leses"):
        targets.set_target(first, 2027, 1_000_000, "Nytt mål", admin)
    db.session.rollback()
    assert {t.year: t.savings_target_nok for t in first.targets} == {2029: 2_000_000}


@pytest.fixture()
def meeting(two_programmes, make_update, admin, db):
    """A meeting of the first programme with one item on its agenda (2.1's request for a decision), then closed."""
    first = two_programmes["first"]
    make_update(two_programmes["measures"][(first.name, "2.1")], Q4, "gul/rød", decisions_needed="Ny leverandør")
    found = meetings.create_meeting(first, date(2026, 12, 15), "Ledermøte", "", SYSTEM)
    decision = work_queue(first, TODAY).items[0]
    meetings.add_to_agenda(found, [decision.key], TODAY, SYSTEM)
    programmes.set_closed(admin, first, True)
    db.session.commit()
    return found


def test_a_closed_programmes_meetings_are_read_and_never_changed(meeting, two_programmes, admin, client, login, db):
    item = meeting.items[0]
    login(admin)
    client.post("/programmer/velg", data={"programme_id": str(two_programmes["first"].id)})
    page = client.get(f"/ledergruppe/moter/{meeting.id}").get_data(as_text=True)
    assert "Ledermøte" in page and "Færre institusjonsplasser" in page
    assert "Lagre utfallet av sak 1" not in page and "Ta sak 1 av sakslisten" not in page
    assert "Lagre møteopplysningene" not in page
    assert "Opprett møtet" not in client.get("/ledergruppe/moter").get_data(as_text=True)

    writes = [
        ("/ledergruppe/moter", {"meeting_date": "15.12.2026", "title": "Nytt møte", "attendees": ""}),
        (f"/ledergruppe/saker/{item.id}/fjern", {}),
        (
            f"/ledergruppe/saker/{item.id}/utfall",
            {
                f"sak{item.id}-version": str(item.version),
                f"sak{item.id}-outcome": "beslutning",
                f"sak{item.id}-decision": "Ja",
            },
        ),
    ]
    for path, data in writes:
        response = client.post(path, data=data)
        assert response.status_code == 403 and CLOSED in response.get_data(as_text=True), path
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1
    assert db.session.scalar(select(MeetingItem.outcome)) == ""
    with pytest.raises(ReadOnlyError):  # the flush guard behind the services: an item of a closed meeting
        item.decision = "endret i ettertid"
        db.session.flush()
    db.session.rollback()
    # The open programme holds meetings as before; the closed programme's meeting is not listed there.
    client.post("/programmer/velg", data={"programme_id": str(two_programmes["next"].id)})
    assert "Ledermøte" not in client.get("/ledergruppe/moter").get_data(as_text=True)
    created = client.post(
        "/ledergruppe/moter", data={"meeting_date": "15.12.2026", "title": "Nytt møte", "attendees": ""}
    )
    assert created.status_code == 302
