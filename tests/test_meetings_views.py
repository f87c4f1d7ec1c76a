"""The ledergruppe pages: the queue, a meeting from agenda to minutes, the decision log, the PDFs, and who may do what."""

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from tests.helpers import page_forms
from tests.meetings_scene import build_people, build_scene
from tracker import palette
from tracker.meetings.models import Meeting, MeetingItem

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4


@pytest.fixture()
def people(make_user):
    return build_people(make_user)


@pytest.fixture()
def scene(make_measure, make_figures, make_update, people):
    return build_scene(make_measure, make_figures, make_update, people)


def text_of(html: str) -> str:
    """The page's text with tags and non-breaking spaces flattened, as a reader sees it."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ").split())


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_readers_see_the_queue_with_links_but_no_agenda_form(scene, people, client, login):
    login(people["leser"])
    html = client.get("/ledergruppe/").get_data(as_text=True)
    shown = text_of(html)
    assert "Beslutning etterspurt (1)" in shown and "1.2 Tiltak 1.2 : Ber om beslutning" in shown
    assert "Avklare ny leverandør" in shown and "Ansvarlig: Ola Eier" in shown
    assert f'href="/oppfolging/tiltak/{scene["1.2"].id}/statusrapporter/2026-Q4">Statusrapporten for 1.2</a>' in html
    assert 'type="checkbox"' not in html and "Sett valgte saker på sakslisten" not in html
    assert client.post("/ledergruppe/moter", data={"meeting_date": "2026-11-25"}).status_code == 403


def test_ledergruppe_holds_a_meeting_from_the_queue_to_the_minutes(scene, people, client, login, db):
    login(people["leder"])
    response = client.post("/ledergruppe/moter", data={"meeting_date": "2026-11-25", "title": "Ledermøte uke 48"})
    meeting = db.session.scalars(db.select(Meeting)).one()
    assert response.status_code == 302 and response.location.endswith(f"/ledergruppe/moter/{meeting.id}")
    decision_key = f"beslutning:{scene['q4'].id}"
    queue = client.get("/ledergruppe/").get_data(as_text=True)
    assert f'value="{decision_key}"' in queue and "Ledermøte uke 48 25.11.2026" in queue

    response = client.post("/ledergruppe/saksliste", data={"meeting": meeting.id, "keys": [decision_key]})
    assert response.status_code == 302
    item = db.session.scalars(db.select(MeetingItem)).one()
    assert item.title == "1.2 Tiltak 1.2: Ber om beslutning (4. kvartal 2026)"
    assert "På sakslisten 25.11.2026" in text_of(client.get("/ledergruppe/").get_data(as_text=True))

    field = f"sak{item.id}-"
    rejected = client.post(
        f"/ledergruppe/saker/{item.id}/utfall",
        data={field + "outcome": "oppfolging", field + "decision": "Hent tilbud"},
    )
    shown = text_of(rejected.get_data(as_text=True))
    assert "Velg hvem som følger opp." in shown and "Velg en frist for oppfølgingen." in shown
    assert "Hent tilbud</textarea>" in rejected.get_data(as_text=True)  # the typed text is kept
    assert not db.session.get(MeetingItem, item.id).is_recorded

    response = client.post(
        f"/ledergruppe/saker/{item.id}/utfall",
        data={field + "outcome": "beslutning", field + "decision": "Ny leverandør anskaffes innen mars."},
    )
    assert response.status_code == 302 and response.location.endswith(f"#sak-{item.id}")
    minutes = text_of(client.get(f"/ledergruppe/moter/{meeting.id}").get_data(as_text=True))
    assert "Utfall Beslutning" in minutes and "Ny leverandør anskaffes innen mars." in minutes
    assert "Registrert Lise Leder" in minutes
    assert decision_key not in client.get("/ledergruppe/").get_data(as_text=True)
    assert "Ny leverandør anskaffes innen mars." in text_of(
        client.get("/ledergruppe/beslutningslogg").get_data(as_text=True)
    )

    agenda = client.get(f"/ledergruppe/moter/{meeting.id}/saksliste.pdf")
    assert agenda.mimetype == "application/pdf" and agenda.headers["Cache-Control"] == "no-store"
    assert "Saksliste: Ledermøte uke 48" in pdf_text(agenda.data)
    assert "Ber om beslutning" in pdf_text(agenda.data) and "Ny leverandør" not in pdf_text(agenda.data)
    referat = pdf_text(client.get(f"/ledergruppe/moter/{meeting.id}/referat.pdf").data)
    assert "Referat og beslutningslogg: Ledermøte uke 48" in referat
    assert "Beslutning: Ny leverandør anskaffes innen mars." in referat
    assert client.get(f"/ledergruppe/moter/{meeting.id}/annet.pdf").status_code == 404


def test_a_follow_up_is_recorded_with_who_and_when_and_marked_done_from_the_log(scene, people, client, login, db):
    login(people["admin"])
    client.post("/ledergruppe/moter", data={"meeting_date": "2026-11-23"})
    meeting = db.session.scalars(db.select(Meeting)).one()
    key = f"avvik:{scene['1.1'].id}:2026:2026-Q4"
    client.post("/ledergruppe/saksliste", data={"meeting": meeting.id, "keys": [key]})
    item = db.session.scalars(db.select(MeetingItem)).one()
    field = f"sak{item.id}-"
    client.post(
        f"/ledergruppe/saker/{item.id}/utfall",
        data={
            field + "outcome": "oppfolging",
            field + "decision": "Ny plan til neste møte",
            field + "responsible": str(people["eier"].id),
            field + "due_date": "2026-12-10",
        },
    )
    item = db.session.get(MeetingItem, item.id)
    assert (item.responsible_id, item.due_date, item.is_open_followup) == (people["eier"].id, date(2026, 12, 10), True)
    queue = text_of(client.get("/ledergruppe/").get_data(as_text=True))
    assert "Oppfølging fra tidligere møte (1)" in queue and "Ansvarlig: Ola Eier; frist 10.12.2026." in queue
    response = client.post(f"/ledergruppe/saker/{item.id}/utfort", data={"next": "logg"})
    assert response.location.endswith("/ledergruppe/beslutningslogg")
    assert db.session.get(MeetingItem, item.id).done_dt is not None
    assert "Oppfølging fra tidligere møte" not in text_of(client.get("/ledergruppe/").get_data(as_text=True))


def test_an_item_can_be_taken_off_the_agenda_until_it_is_recorded(scene, people, client, login, db):
    login(people["leder"])
    client.post("/ledergruppe/moter", data={"meeting_date": "2026-11-30"})
    meeting = db.session.scalars(db.select(Meeting)).one()
    client.post("/ledergruppe/saksliste", data={"meeting": meeting.id, "keys": [f"milepael:{scene['1.3'].id}"]})
    item = db.session.scalars(db.select(MeetingItem)).one()
    client.post(f"/ledergruppe/saker/{item.id}/fjern")
    assert db.session.scalars(db.select(MeetingItem)).all() == []
    response = client.post("/ledergruppe/saksliste", data={"meeting": meeting.id, "keys": ["milepael:0"]})
    assert response.status_code == 400 and "Noen av sakene er ikke lenger til behandling." in response.get_data(
        as_text=True
    )


def test_the_dashboard_says_where_the_programme_stands_and_what_waits(scene, people, client, login):
    login(people["leder"])
    html = client.get("/gevinster/").get_data(as_text=True)
    shown = text_of(html)
    assert "Status mot målet" in shown
    # 2026, all three adopted: plan 300 000 + 1 000 000 + 500 000 (the menu is the same); forecast 100 000
    # (1.1's report) + 1 000 000 (1.2's Q3) + 500 000 (1.3's plan); realised 50 000 + 200 000. Risk-adjusted,
    # realised money never discounted: 1.1 50 000 + 0,75 × 50 000 = 87 500 (no update); 1.2 200 000 + 0,50 ×
    # 800 000 = 600 000 (gul/rød); 1.3 0,75 × 500 000 = 375 000; in all 1 062 500.
    assert (
        "For 2026 er 0,3 av 1,8 mill. kr realisert; prognosen er 1,6 – 0,2 under planen (risikojustert 1,1)."
        " Vedtatt: 1,8 mill. kr · Meny: 1,8 mill. kr." in shown
    )
    # 1.3's late milestone puts its forecast at risk: six items with it.
    assert "Til behandling i ledergruppa" in shown and "6 saker: beslutning etterspurt (1)" in shown
    assert 'href="/ledergruppe/"' in html
    assert 'data-figure="year-2026-gap_nok" data-value="">–</td>' in html
    assert '<link rel="stylesheet" href="/static/css/palette.css">' in html


def test_the_traffic_lights_come_from_the_one_palette_of_pages_and_reports():
    """The dashboard's badges and the overview's text use tracker.palette's colours, as the reports' charts do."""
    css = palette.stylesheet()
    assert ".confidence-gul-rod { color: #8a3300; }" in css
    assert ".badge.confidence-fill-rod { background: #c62828; color: #ffffff; }" in css
    assert palette.css_class("gul/rød") == "confidence confidence-gul-rod"
    assert (palette.fill_class("grønn"), palette.fill_class(None)) == ("confidence-fill-gronn", "confidence-fill-ingen")


def _form_with(html: str, field: str) -> dict[str, str]:
    return next(form for form in page_forms(html) if field in form)


def test_stale_saves_of_a_meetings_details_and_of_an_outcome_get_the_conflict_page(scene, people, app, login, db):
    """Lise and the admin open the meeting; the admin saves; Lise's stale save is a 409 keeping her input."""
    lise, admin = app.test_client(), app.test_client()
    login(people["leder"], using=lise)
    login(people["admin"], using=admin)
    lise.post("/ledergruppe/moter", data={"meeting_date": "23.11.2026"})
    meeting = db.session.scalars(db.select(Meeting)).one()
    lise.post("/ledergruppe/saksliste", data={"meeting": meeting.id, "keys": [f"milepael:{scene['1.3'].id}"]})
    item = db.session.scalars(db.select(MeetingItem)).one()
    page_url, prefix = f"/ledergruppe/moter/{meeting.id}", f"sak{item.id}-"
    lises_page, admins_page = lise.get(page_url).get_data(as_text=True), admin.get(page_url).get_data(as_text=True)

    details = _form_with(admins_page, "notes")
    assert admin.post(f"{page_url}/rediger", data={**details, "notes": "Adminens notat"}).status_code == 302
    refused = lise.post(f"{page_url}/rediger", data={**_form_with(lises_page, "notes"), "notes": "Lises notat"})
    shown = text_of(refused.get_data(as_text=True))
    assert refused.status_code == 409 and "Notater til referatet Adminens notat Lises notat" in shown
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).notes == "Adminens notat"

    outcome = {prefix + "outcome": "orientering", prefix + "decision": "Tatt til orientering."}
    saved = admin.post(
        f"/ledergruppe/saker/{item.id}/utfall", data={**_form_with(admins_page, prefix + "version"), **outcome}
    )
    assert saved.status_code == 302
    lises = {
        **_form_with(lises_page, prefix + "version"),
        prefix + "outcome": "beslutning",
        prefix + "decision": "Ny dato.",
    }
    refused = lise.post(f"/ledergruppe/saker/{item.id}/utfall", data=lises)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Beslutning eller oppfølging Tatt til orientering. Ny dato." in text_of(page)
    db.session.expire_all()
    assert db.session.get(MeetingItem, item.id).decision == "Tatt til orientering."
    # Sent again from the conflict page, Lise's outcome replaces the admin's.
    again = _form_with(page, prefix + "version")
    assert lise.post(f"/ledergruppe/saker/{item.id}/utfall", data=again).status_code == 302
    db.session.expire_all()
    assert (db.session.get(MeetingItem, item.id).decision, db.session.get(MeetingItem, item.id).version) == (
        "Ny dato.",
        3,
    )
