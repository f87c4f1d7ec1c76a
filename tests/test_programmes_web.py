"""Two programmes side by side in the web: the switcher, every list per programme, the choice kept."""

import re

import pytest
from sqlalchemy import select

from tracker.accounts.permissions import SYSTEM
from tracker.audit.models import AuditEntry
from tracker.periods import Quarter
from tracker.portfolio.models import Programme
from tracker.reports import services as reports
from tracker.updates import services as updates

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4


def data_figures(html: str) -> dict[str, int | None]:
    found = re.findall(r'data-figure="([^"]+)" data-value="(-?\d*)"', html)
    return {key: (int(value) if value else None) for key, value in found}


def choose(client, programme, next_path="/gevinster/"):
    return client.post("/programmer/velg", data={"programme_id": str(programme.id), "next": next_path})


@pytest.fixture()
def leader(make_user):
    return make_user("ledergruppe", "leder")


def test_the_newest_open_programme_is_shown_until_the_user_chooses(two_programmes, leader, client, login):
    first, following = two_programmes["first"], two_programmes["next"]
    login(leader)

    dashboard = client.get("/gevinster/?year=2027").get_data(as_text=True)
    assert "<h1>Gevinstrealisering: Omstilling 2027</h1>" in dashboard
    assert data_figures(dashboard)["year-2027-planned_nok"] == 750_000  # 500 000 + 250 000
    overview = client.get("/portefolje/").get_data(as_text=True)
    assert "Digital hjemmetjeneste" in overview and "Samlokalisering av verksteder" in overview
    assert "Skolestruktur" not in overview and "Færre institusjonsplasser" not in overview

    response = choose(client, first)
    assert response.status_code == 302 and response.location.endswith("/gevinster/")
    assert leader.current_programme_id == first.id

    dashboard = client.get("/gevinster/?year=2026").get_data(as_text=True)
    assert "<h1>Gevinstrealisering: Omstilling test</h1>" in dashboard
    figures = data_figures(dashboard)
    assert figures["year-2026-planned_nok"] == 500_000  # 300 000 + 200 000
    assert figures["year-2029-planned_nok"] == 600_000 and figures["year-2029-target_nok"] == 2_000_000
    assert "year-2030-planned_nok" not in figures
    overview = client.get("/portefolje/").get_data(as_text=True)
    assert "Skolestruktur" in overview and "Færre institusjonsplasser" in overview
    assert "Digital hjemmetjeneste" not in overview
    assert following.id != first.id


def test_the_switcher_lists_the_programmes_newest_first_and_marks_the_current(two_programmes, leader, client, login):
    login(leader)
    html = client.get("/portefolje/").get_data(as_text=True)
    switcher = html[html.index('id="program-velger"') : html.index("</select>", html.index('id="program-velger"'))]
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]+)</option>', switcher)
    assert [(label, bool(selected)) for _, selected, label in options] == [
        ("Omstilling 2027 (2027–2030)", True),
        ("Omstilling test (2026–2029)", False),
    ]


def test_one_programme_shows_no_switcher(make_measure, leader, client, login):
    make_measure("1.1", {2026: 100_000})
    login(leader)
    assert 'id="program-velger"' not in client.get("/portefolje/").get_data(as_text=True)


def test_the_choice_is_remembered_after_logging_in_again(two_programmes, leader, client, login):
    login(leader)
    choose(client, two_programmes["first"])
    client.post("/logout")
    assert client.get("/gevinster/").status_code == 302  # logged out

    login(leader)
    assert "<h1>Gevinstrealisering: Omstilling test</h1>" in client.get("/gevinster/").get_data(as_text=True)


def test_risk_view_rounds_and_reports_show_the_current_programme_only(two_programmes, leader, client, login, db):
    first, following = two_programmes["first"], two_programmes["next"]
    updates.create_round(first, Quarter(2026, 3), Quarter(2026, 3).end_date.replace(day=15), SYSTEM)
    updates.create_round(following, Quarter(2027, 1), Quarter(2027, 1).end_date.replace(day=15), SYSTEM)
    reports.build_report(first, Quarter(2026, 3), "politikere", SYSTEM)
    db.session.commit()
    login(leader)

    risk = client.get("/oppfolging/risiko").get_data(as_text=True)
    assert "3.1 Samlokalisering av verksteder" in risk and "Skolestruktur" not in risk
    rounds = client.get("/oppfolging/runder").get_data(as_text=True)
    assert "1. kvartal 2027" in rounds and "3. kvartal 2026" not in rounds
    archive = client.get("/rapporter/").get_data(as_text=True)
    assert "Ingen rapporter er bygget ennå." in archive

    choose(client, first)
    risk = client.get("/oppfolging/risiko").get_data(as_text=True)
    assert "1.1 Skolestruktur" in risk and "Samlokalisering" not in risk
    rounds = client.get("/oppfolging/runder").get_data(as_text=True)
    assert "3. kvartal 2026" in rounds and "1. kvartal 2027" not in rounds
    archive = client.get("/rapporter/").get_data(as_text=True)
    assert "Ingen rapporter er bygget ennå." not in archive and "3. kvartal 2026" in archive


def test_the_owners_work_queue_is_per_programme(two_programmes, client, login):
    owner = two_programmes["owner"]
    login(owner)
    mine = client.get("/gevinster/mine").get_data(as_text=True)
    assert "3.1 Samlokalisering av verksteder" in mine and "Skolestruktur" not in mine
    assert "Du er også ansvarlig for 1 tiltak i andre programmer." in mine

    choose(client, two_programmes["first"], "/gevinster/mine")
    mine = client.get("/gevinster/mine").get_data(as_text=True)
    assert "1.1 Skolestruktur" in mine and "Samlokalisering" not in mine
    # Q4 2026: 1.1 plans 300 000 in 2026 and has no report yet, so it is due.
    assert "Rapporter tall for 1.1 Skolestruktur" in mine


def test_a_measure_of_another_programme_opens_read_as_usual_and_says_where_it_belongs(
    two_programmes, leader, client, login
):
    other = two_programmes["measures"][("Omstilling test", "1.1")]
    login(leader)  # works on Omstilling 2027, the default
    response = client.get(f"/portefolje/tiltak/{other.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Tiltak 1.1: Skolestruktur" in html
    assert "Dette tiltaket hører til programmet <strong>Omstilling test</strong>" in html
    assert client.get(f"/gevinster/tiltak/{other.id}").status_code == 200

    own = two_programmes["measures"][("Omstilling 2027", "1.1")]
    assert "hører til programmet" not in client.get(f"/portefolje/tiltak/{own.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"programme_id": "abc"}, 400, "Velg et program i listen."),
        ({}, 400, "Velg et program i listen."),
        ({"programme_id": "99999"}, 404, "Fant ikke programmet."),
        ({"programme_id": "9" * 40}, 400, "Velg et program i listen."),
    ],
)
def test_a_bad_choice_is_refused_in_norwegian(two_programmes, leader, client, login, data, status, message):
    login(leader)
    response = client.post("/programmer/velg", data=data)
    assert response.status_code == status and message in response.get_data(as_text=True)
    assert leader.current_programme_id is None


def test_the_switch_never_redirects_off_the_site(two_programmes, leader, client, login):
    login(leader)
    response = choose(client, two_programmes["first"], "//evil.example/")
    assert response.status_code == 302 and response.location == "/gevinster/"


# --- the admin's programme list and form -----------------------------------------------------------


def test_an_admin_creates_a_programme_with_its_target(make_user, client, login, db):
    admin = make_user("admin")
    login(admin)
    assert client.get("/programmer/ny").status_code == 200
    form = {"name": " Omstilling 2030 ", "municipality": "Elverum kommune", "start_year": "2030", "end_year": "2033"}
    response = client.post("/programmer/ny", data={**form, "target": "25 000 000"})

    assert response.status_code == 302 and response.location.endswith("/programmer/")
    created = db.session.scalar(select(Programme).where(Programme.name == "Omstilling 2030"))
    assert (created.municipality, created.plan_years, created.is_closed) == (
        "Elverum kommune",
        [2030, 2031, 2032, 2033],
        False,
    )
    assert {t.year: t.savings_target_nok for t in created.targets} == {2033: 25_000_000}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "programme.create"))
    assert (entry.username, entry.object_label, entry.object_id) == (admin.username, "Omstilling 2030", created.id)
    listing = client.get("/programmer/").get_data(as_text=True)
    assert "Omstilling 2030 (standard)" in listing and "2030–2033" in listing


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Skriv et navn på programmet."),
        ({"name": "omstilling TEST"}, "Det finnes allerede et program som heter «omstilling TEST»."),
        ({"name": "a\x07b"}, "Teksten kan ikke inneholde"),
        ({"end_year": "2025"}, "Siste planår må være likt eller etter første"),
        ({"start_year": "abc"}, "Skriv et helt tall"),
        ({"start_year": "1800"}, "Skriv et årstall mellom 1900 og 2100."),
        ({"end_year": "2100", "start_year": "2030"}, "perioden kan ha høyst 50 år"),
        ({"target": "-5"}, "Sparemålet må være et beløp i kroner, 0 eller mer."),
        ({"target": "1,5"}, "må være et helt antall kroner"),
        ({"target": "9" * 5000}, "Teksten kan ha høyst 60 tegn, men har 5000."),
    ],
)
def test_the_programme_form_refuses_bad_input_in_norwegian(
    make_programme, make_user, client, login, db, changes, message
):
    make_programme()
    login(make_user("admin"))
    form = {"name": "Omstilling 2030", "start_year": "2030", "end_year": "2033", "target": "1 000 000", **changes}
    response = client.post("/programmer/ny", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html, html[:3000]
    assert db.session.scalar(select(Programme.id).where(Programme.name != "Omstilling test")) is None


@pytest.mark.parametrize("role", ["ledergruppe", "tiltaksansvarlig", "leser"])
def test_only_an_admin_may_list_create_or_close_programmes(two_programmes, make_user, client, login, db, role):
    user = make_user(role)
    login(user)
    first = two_programmes["first"]
    assert client.get("/programmer/").status_code == 403
    assert client.get("/programmer/ny").status_code == 403
    form = {"name": "Snik", "start_year": "2030", "end_year": "2033"}
    assert client.post("/programmer/ny", data=form).status_code == 403
    assert client.post(f"/programmer/{first.id}/avslutt").status_code == 403

    db.session.expire_all()
    assert db.session.scalar(select(Programme.id).where(Programme.name == "Snik")) is None
    assert first.is_closed is False
    refused = db.session.scalars(select(AuditEntry.changes).where(AuditEntry.action == "refused")).all()
    assert {"attempted": "programme.create"} in refused and {"attempted": "programme.close"} in refused


def _switcher_options(html: str) -> list[tuple[str, bool]]:
    switcher = html[html.index('id="program-velger"') : html.index("</select>", html.index('id="program-velger"'))]
    return [
        (label, bool(selected))
        for _, selected, label in re.findall(r'<option value="(\d+)"( selected)?>([^<]+)</option>', switcher)
    ]


def test_the_switchers_cached_list_follows_a_closed_programme_and_the_users_choice(
    two_programmes, leader, client, login, db
):
    """The header's list is kept per data version: closing the newest programme shows at once, and the
    default moves to the newest open one; a user's own choice is read per request."""
    login(leader)
    assert _switcher_options(client.get("/portefolje/").get_data(as_text=True))[0] == (
        "Omstilling 2027 (2027–2030)",
        True,
    )
    two_programmes["next"].is_closed = True
    db.session.commit()
    assert _switcher_options(client.get("/portefolje/").get_data(as_text=True)) == [
        ("Omstilling 2027 (2027–2030, avsluttet)", False),
        ("Omstilling test (2026–2029)", True),
    ]
    choose(client, two_programmes["next"])
    assert _switcher_options(client.get("/portefolje/").get_data(as_text=True))[0] == (
        "Omstilling 2027 (2027–2030, avsluttet)",
        True,
    )
