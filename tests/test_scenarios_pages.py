"""The scenario pages: the plan against the menu, build, compare side by side (print, Excel), adopt, variants."""

import io
import re

import openpyxl
import pytest
from sqlalchemy import select

from tracker.accounts.permissions import SYSTEM
from tracker.audit.models import AuditEntry
from tracker.portfolio.models import Measure
from tracker.scenarios import queries, services

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23


@pytest.fixture()
def admin(make_user):
    return make_user("admin")


def _form_choices(elverum, db, chosen: dict[str, str]) -> dict:
    """The selection form's fields: m_<id> = "*" (whole), a variant key, or left out."""
    ids = {m.code: m.id for m in db.session.scalars(select(Measure))}
    return {f"m_{ids[code]}": value for code, value in chosen.items()}


def test_a_fresh_install_plans_nothing_and_shows_the_menu_with_a_call_to_action(elverum, client, login, make_user):
    login(make_user("ledergruppe"))
    dashboard = client.get("/gevinster/?year=2029").get_data(as_text=True)
    assert "Ingen tiltak er vedtatt ennå" in dashboard and 'href="/budsjettalternativer/"' in dashboard
    assert "Vedtatt: <strong>0,0 mill. kr</strong> · Meny: <strong>88,1 mill. kr</strong>" in dashboard
    assert 'data-figure="headline-planned_nok" data-value="0"' in dashboard
    # Status mot målet never counts the menu as plan: 2029 is the whole 40,0 under the target; 2026 (no
    # target, nothing adopted) has nothing to be measured against and shows no progress.
    standing = re.sub(r"<[^>]+>", " ", dashboard[dashboard.index("Status mot målet") :]).replace("\xa0", " ")
    standing = " ".join(standing.split())
    assert (
        "For 2029 er 0,0 av 40,0 mill. kr realisert; prognosen er 0,0 – 40,0 under målet (risikojustert 0,0)."
        " Vedtatt: 0,0 mill. kr · Meny: 88,1 mill. kr." in standing
    )
    assert "For 2026 er det verken mål eller vedtatt plan å måle mot; 0,0 mill. kr er realisert." in standing
    assert "Ingen vedtatt plan å måle mot" in standing
    index = client.get("/budsjettalternativer/").get_data(as_text=True)
    assert 'data-figure="plan-menu_nok" data-value="88100000"' in index
    assert 'data-figure="plan-planned_nok" data-value="0"' in index


def test_an_admin_builds_a_scenario_on_the_page_and_adopts_it(elverum, client, login, admin, db):
    login(admin)
    data = {"name": "Forslag fra kommunedirektøren", "description": "Til formannskapet"}
    data |= _form_choices(elverum, db, {"1.1": "*", "4.3": "*", "2.2": ""})
    response = client.post("/budsjettalternativer/nytt", data=data)
    assert response.status_code == 302
    scenario = queries.by_name(elverum, "Forslag fra kommunedirektøren")
    page = client.get(f"/budsjettalternativer/{scenario.id}").get_data(as_text=True)
    # 2029: 0,6 + 4,4 = 5,0 against 40,0.
    assert 'data-figure="scenario-2029-savings_nok" data-value="5000000"' in page
    assert 'data-figure="scenario-2029-gap_nok" data-value="35000000">35,0 under målet</td>' in page

    adopted = client.post(
        f"/budsjettalternativer/{scenario.id}/vedta",
        data={"decision_reference": "KS-sak 100/25", "decided_date": "15.12.2025", "body": "Kommunestyret"},
    )
    assert adopted.status_code == 302
    db.session.expire_all()
    assert {m.code for m in db.session.scalars(select(Measure).where(Measure.status == "vedtatt"))} == {"1.1", "4.3"}
    dashboard = client.get("/gevinster/?year=2029").get_data(as_text=True)
    assert "Vedtatt: <strong>5,0 mill. kr</strong> · Meny: <strong>88,1 mill. kr</strong>" in dashboard
    assert "Ingen tiltak er vedtatt ennå" not in dashboard


def test_only_admins_build_or_adopt(elverum, client, login, make_user):
    login(make_user("ledergruppe"))
    assert client.get("/budsjettalternativer/nytt").status_code == 403
    scenario = services.create_scenario(elverum, "A", "1.1", SYSTEM)
    assert client.post(f"/budsjettalternativer/{scenario.id}/vedta", data={}).status_code == 403


def test_three_scenarios_side_by_side_print_and_excel(elverum, client, login, make_user, db):
    found = [
        services.create_scenario(elverum, "Smalt", "1.1,2.3", SYSTEM),
        services.create_scenario(elverum, "Bredt", "1.1,2.3,4.3,5.1", SYSTEM),
        services.create_scenario(elverum, "Skole", "1.2", SYSTEM),
    ]
    db.session.commit()
    login(make_user("leser"))
    query = "&".join(f"id={s.id}" for s in found)
    html = client.get(f"/budsjettalternativer/sammenlign?{query}").get_data(as_text=True)
    assert all(f">{name}</th>" in html for name in ("Smalt", "Bredt", "Skole"))
    # 2029: Smalt 0,6 + 3,6 = 4,2; Bredt 4,2 + 4,4 + 11,85 = 20,45 (shown 20,5); Skole 8,5.
    row = re.search(r"<th scope=\"row\">2029: innsparing</th>(.*?)</tr>", html).group(1)
    assert re.findall(r">([\d,]+)</td>", row) == ["4,2", "20,5", "8,5"]
    assert 'media="print"' in html  # the print stylesheet hides menus and buttons

    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/budsjettalternativer/sammenlign.xlsx?{query}").data))
    rows = [row for row in book["Sammenligning"].iter_rows(min_row=3, values_only=True)]
    assert ("Bredt", 2029, 20_450_000, 40_000_000, 19_550_000, 0, 4, 1) in rows
    assert book.sheetnames == ["Sammenligning", "Alternativ 1", "Alternativ 2", "Alternativ 3"]


def test_an_admin_enters_variants_and_årsverk_on_the_pages(elverum, client, login, admin, measure_by_code, db):
    login(admin)
    school = measure_by_code("1.2")
    response = client.post(
        f"/budsjettalternativer/tiltak/{school.id}/alternativer",
        data={"key": "alt2", "title": "Alt. 2: Frydenlund", "saving_2027": "1 100 000", "saving_2029": "2 550 000"},
    )
    assert response.status_code == 302
    variant = queries.variants_of(school)[0]
    assert (variant.label, [(e.year, -e.net_cost_change_nok) for e in variant.effects]) == (
        "1.2:alt2",
        [(2027, 1_100_000), (2029, 2_550_000)],
    )
    response = client.post(f"/budsjettalternativer/tiltak/{school.id}/arsverk", data={"fte_2027": "-3,5"})
    assert response.status_code == 302
    assert {e.year: e.fte_change for e in school.menu_effects if e.fte_change is not None} == {2027: -3.5}
    actions = {entry.action for entry in db.session.scalars(select(AuditEntry))}
    assert {"variant.set", "measure.fte"} <= actions
