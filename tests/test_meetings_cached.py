"""The work queue and the dashboard are cached (tracker.readmodel): what depends on the day, on meetings
or on who asks must still be right at once. The queue is cached per programme, day and data version,
the dashboard's fragments per quarter looked at, current quarter and data version; the queue's page of
items per kind of reader and the dashboard's preview as HTML per day and data version; the buttons,
the agenda form and the items a rejected form had checked are rendered per request."""

import re
from datetime import date

import pytest

from tests.meetings_scene import build_people, build_scene
from tracker.meetings.models import Meeting, MeetingItem

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4


@pytest.fixture()
def people(make_user):
    return build_people(make_user)


@pytest.fixture()
def scene(make_measure, make_figures, make_update, people):
    return build_scene(make_measure, make_figures, make_update, people)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ").split())


def _shown(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return text_of(response.get_data(as_text=True))


def test_a_recorded_decision_leaves_the_dashboards_preview_at_once(scene, people, client, login, db):
    login(people["leder"])
    before = _shown(client, "/gevinster/")
    assert "6 saker: beslutning etterspurt (1), avvik uten godkjent korrigerende tiltak (1)" in before
    client.post("/ledergruppe/moter", data={"meeting_date": "2026-11-25"})
    meeting = db.session.scalars(db.select(Meeting)).one()
    client.post("/ledergruppe/saksliste", data={"meeting": meeting.id, "keys": [f"beslutning:{scene['q4'].id}"]})
    item = db.session.scalars(db.select(MeetingItem)).one()
    assert "På sakslisten 25.11.2026" in _shown(client, "/gevinster/")
    client.post(
        f"/ledergruppe/saker/{item.id}/utfall",
        data={f"sak{item.id}-outcome": "beslutning", f"sak{item.id}-decision": "Ny leverandør."},
    )
    after = _shown(client, "/gevinster/")
    # The decision is settled and marks Q4's update reviewed: two items fewer.
    assert "4 saker: avvik uten godkjent korrigerende tiltak (1)" in after
    assert "beslutning etterspurt" not in after.lower()
    # The cached figures above and below the preview are those of before: nothing they show changed.
    assert "For 2026 er 0,3 av 1,8 mill. kr realisert; prognosen er 1,6 – 0,2 under planen" in after


def test_lateness_moves_with_the_day_without_any_write(scene, people, client, login, clock):
    login(people["leder"])
    late = "«Ny vedtaksrutine» ({} dager over fristen 01.10.2026)"
    assert late.format(53) in _shown(client, "/ledergruppe/")
    assert late.format(53) in _shown(client, "/gevinster/")
    clock.set(date(2026, 11, 24))
    assert late.format(54) in _shown(client, "/ledergruppe/")
    assert late.format(54) in _shown(client, "/gevinster/")


def test_a_meeting_is_on_the_agenda_only_until_its_day_has_passed(scene, people, client, login, db, clock):
    login(people["leder"])
    client.post("/ledergruppe/moter", data={"meeting_date": "2026-11-25"})
    meeting = db.session.scalars(db.select(Meeting)).one()
    client.post("/ledergruppe/saksliste", data={"meeting": meeting.id, "keys": [f"milepael:{scene['1.3'].id}"]})
    assert "På sakslisten 25.11.2026" in _shown(client, "/ledergruppe/")
    clock.set(date(2026, 11, 26))
    queue = _shown(client, "/ledergruppe/")
    assert "På sakslisten" not in queue and "Det er ikke satt opp noe kommende møte." in queue


def test_a_new_quarter_moves_the_dashboard_and_overview_to_the_new_year_without_any_write(
    scene, people, client, login, clock
):
    login(people["leder"])
    clock.set(date(2026, 12, 31))
    before = _shown(client, "/gevinster/")
    assert "Nøkkeltall 2026" in before and "For 2026 er" in before
    assert "avvik for 2026" in _shown(client, "/portefolje/")
    assert "1. kvartal 2027" not in client.get("/gevinster/?quarter=2026-Q4").get_data(as_text=True)
    clock.set(date(2027, 1, 1))
    after = _shown(client, "/gevinster/")
    assert "Nøkkeltall 2027" in after and "For 2027 er" in after and "For 2026 er" not in after
    assert "Tall per 1. kvartal 2027." in after
    assert "avvik for 2027" in _shown(client, "/portefolje/")  # the overview's default year follows too
    # An explicit quarter: the same figures, but the new quarter is offered in the choice of quarter.
    assert '<option value="2027-Q1">1. kvartal 2027</option>' in client.get("/gevinster/?quarter=2026-Q4").get_data(
        as_text=True
    )


def test_one_users_buttons_and_forms_never_reach_another(scene, people, app, login):
    admin, reader = app.test_client(), app.test_client()
    login(people["admin"], using=admin)
    login(people["leser"], using=reader)
    for path in ("/gevinster/", "/ledergruppe/", f"/portefolje/tiltak/{scene['1.1'].id}", "/portefolje/"):
        admins = admin.get(path).get_data(as_text=True)
        readers = reader.get(path).get_data(as_text=True)
        assert "Importer" in admins or 'type="checkbox"' in admins or "Rediger tiltak" in admins, path
        for own in ("Importer kvartalstall", "Importer portefølje", 'type="checkbox"', "Rediger tiltak 1.1"):
            assert own not in readers, (path, own)
    # The same cached figures for both.
    assert "For 2026 er 0,3 av 1,8 mill. kr realisert" in _shown(reader, "/gevinster/")


def test_a_rejected_agenda_form_keeps_its_checked_items_for_that_request_only(scene, people, client, login):
    login(people["leder"])
    key = f"beslutning:{scene['q4'].id}"
    checkbox = f'<input type="checkbox" name="keys" value="{key}" id="sak-beslutning-{scene["q4"].id}"'
    assert checkbox + ">" in client.get("/ledergruppe/").get_data(as_text=True)  # cached unchecked
    rejected = client.post("/ledergruppe/saksliste", data={"keys": [key]})  # no meeting chosen
    assert rejected.status_code == 400
    assert checkbox + " checked>" in rejected.get_data(as_text=True)
    assert checkbox + ">" in client.get("/ledergruppe/").get_data(as_text=True)
