"""The owner's quarter on one page ("Kvartalsrapport for tiltak X") and "Mine tiltak": what is due, drafts,
a rejected and an accepted submit, last quarter beside each field, and the rules behind it."""

import re
from datetime import date

import pytest

from tests.helpers import page_forms
from tracker.accounts.permissions import SYSTEM
from tracker.benefits import queries as benefit_queries
from tracker.benefits.programme import programme_figures
from tracker.benefits.rules import Thresholds
from tracker.followup import rules
from tracker.periods import Quarter
from tracker.portfolio.status import GJENNOMFORT, UTREDET, VEDTATT
from tracker.risks import services as risks
from tracker.risks.services import DEFAULT_INDICATORS
from tracker.staff import services as staff
from tracker.updates import services as updates

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4
Q3, Q4 = Quarter(2026, 3), Quarter(2026, 4)
LIMITS = Thresholds(pct=10, min_nok=100_000)
SCORES = {f"score_{key}": "2" for key, _, _ in DEFAULT_INDICATORS}


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ").split())


@pytest.mark.parametrize(
    ("planned", "forecast", "note"),
    [
        (
            300_000,
            100_000,
            "Prognosen er 200 000 kr under planen for 2026 (300 000 kr): et avvik. Forklar hvorfor og beskriv korrigerende tiltak.",
        ),
        # 50 000 short is under 100 000 kr: within the limit.
        (300_000, 250_000, "Prognosen er 50 000 kr under planen for 2026 (300 000 kr), innenfor grensen for avvik."),
        (300_000, 350_000, "Prognosen er 50 000 kr over planen for 2026 (300 000 kr)."),
        (300_000, 300_000, "Prognosen er lik planen for 2026 (300 000 kr)."),
        (300_000, None, "Skriv prognosen for hele året; planen for 2026 (300 000 kr)."),
        # A cost: planned −1 120 000, forecast −1 300 000 is 180 000 short, 16 % of the plan: a deviation.
        (
            -1_120_000,
            -1_300_000,
            "Prognosen er 180 000 kr under planen for 2026 (-1 120 000 kr): et avvik. Forklar hvorfor og beskriv korrigerende tiltak.",
        ),
    ],
)
def test_the_forecast_against_the_plan_in_words(planned, forecast, note):
    assert rules.forecast_note(planned, forecast, 2026, LIMITS).replace("\xa0", " ") == note


@pytest.mark.parametrize(
    ("deadline", "today", "quarter"),
    [
        (date(2026, 10, 10), date(2026, 10, 1), Q3),  # Q3's round is open: report Q3
        (date(2026, 10, 10), date(2026, 10, 10), Q3),  # the deadline day itself
        (date(2026, 10, 10), date(2026, 10, 11), Q4),  # passed: on to this quarter
        (None, date(2026, 10, 1), Q4),  # no round for Q3
    ],
)
def test_the_reporting_quarter(deadline, today, quarter):
    assert rules.reporting_quarter(Q4, deadline, today) == quarter


@pytest.mark.parametrize(
    ("in_change", "significant", "level", "assessed", "due"),
    [
        (True, True, None, None, True),  # flagged by the report, never assessed
        (True, False, None, None, False),
        (True, True, "høy", date(2026, 9, 30), True),  # high, last assessed before the quarter began
        (True, True, "høy", date(2026, 10, 1), False),  # reassessed this quarter
        (True, True, "middels", date(2026, 1, 1), False),
        (False, True, None, None, False),  # not in change (utredet, gjennomført)
    ],
)
def test_when_a_risk_reassessment_is_due(in_change, significant, level, assessed, due):
    assert rules.risk_reassessment_due(in_change, significant, level, assessed, Q4.start_date) is due


def test_consequences_are_due_once_for_a_measure_in_change_that_affects_staff():
    assert rules.consequences_due(True, True, False) is True
    assert rules.consequences_due(True, True, True) is False
    assert rules.consequences_due(True, False, False) is False
    assert rules.consequences_due(False, True, False) is False


@pytest.fixture()
def owner(make_user):
    return make_user("tiltaksansvarlig", "eier", full_name="Ola Eier")


@pytest.fixture()
def measure(make_measure, make_figures, make_update, owner):
    """1.1: adopted, plans 300 000 in 2026, affects staff and is flagged for organisational risk; Q3 reported."""
    found = make_measure(
        "1.1",
        plan={2026: 300_000},
        status=VEDTATT,
        owner=owner,
        consequences_employees="Færre assistentårsverk.",
        significant_org_risk=True,
    )
    make_figures(found, Q3, 120_000, 280_000)
    make_update(found, Q3, "grønn/gul", confidence_justification="Vedtaket er fattet.", progress="Rutine innført")
    return found


def url(measure, quarter=Q4) -> str:
    return f"/oppfolging/tiltak/{measure.id}/kvartalsrapport/{quarter.key}"


def test_the_page_shows_every_part_due_with_last_quarter_beside_each_field(measure, owner, client, login):
    login(owner)
    html = client.get(url(measure)).get_data(as_text=True)
    shown = text_of(html)
    assert "Kvartalsrapport for 4. kvartal 2026: tiltak 1.1 Tiltak 1.1" in shown
    assert (
        "Skal leveres: Kvartalstall, Statusrapport, Konsekvenser for ansatte, Ny vurdering av organisatorisk risiko."
        in shown
    )
    assert "Forrige kvartal (3. kvartal 2026): 120 000 kr" in shown and "280 000 kr" in shown
    assert "Forrige statusrapport (3. kvartal 2026): Grønn/gul" in shown and "Rutine innført" in shown
    assert 'aria-describedby="realised-hjelp realised-forrige"' in html
    assert 'aria-describedby="forecast-hjelp forecast-forrige prognose-merknad"' in html
    assert "Skriv prognosen for hele året; planen for 2026 (300 000 kr)." in shown
    # No risk score is preselected: every indicator starts at "Velg".
    assert html.count('<option selected value="">Velg</option>') == len(DEFAULT_INDICATORS)
    assert '<script src="/static/js/quarter.js" defer></script>' in html and "<script>" not in html


def test_a_draft_keeps_what_is_filled_in_and_submits_nothing(measure, owner, client, login):
    login(owner)
    response = client.post(
        url(measure), data={"realised": "150 000", "forecast": "300 000", "confidence": "gul", "save": "Lagre utkast"}
    )
    assert response.status_code == 302
    figure = benefit_queries.get_figure(measure, Q4)
    assert (figure.realised_to_date_nok, figure.forecast_year_nok) == (150_000, 300_000)
    update = updates.update_for(measure, Q4)
    assert update.confidence == "gul" and not update.is_submitted
    assert staff.consequence_for(measure) is None and risks.assessments_for(measure) == []
    html = client.get(url(measure)).get_data(as_text=True)
    assert 'value="150 000"' in html.replace("\xa0", " ") and "Prognosen er lik planen for 2026" in text_of(html)


def test_the_quarter_page_takes_the_one_off_part_and_later_year_forecasts_as_the_figures_page_does(
    measure, owner, client, login
):
    """Issue 11 on the owner's page: "Herav engangseffekt" and an optional forecast per later plan year, saved
    through record_figures; the later-year forecast then is 2027's forecast in the dashboard's figures."""
    login(owner)
    html = client.get(url(measure)).get_data(as_text=True)
    assert "Herav engangseffekt (kr)" in html and "Prognose 2027 (kr)" in html and "Prognose 2029 (kr)" in html
    assert "Prognose 2026 (kr)" not in html  # the quarter's own year is "Prognose for hele året"
    data = {"realised": "150 000", "forecast": "300 000", "one_off": "20 000", "forecast_2027": "250 000"}
    response = client.post(url(measure), data={**data, "save": "Lagre utkast"})
    assert response.status_code == 302
    figure = benefit_queries.get_figure(measure, Q4)
    assert (figure.one_off_nok, figure.later_forecasts_by_year()) == (20_000, {2027: 250_000})
    rows = {row.year: row for row in programme_figures(measure.programme, Q4).measures if row.code == "1.1"}
    assert (rows[2026].one_off_nok, rows[2027].forecast_nok) == (20_000, 250_000)
    again = client.get(url(measure)).get_data(as_text=True).replace("\xa0", " ")
    assert 'name="forecast_2027" type="text" value="250 000"' in again and 'value="20 000"' in again


def test_a_rejected_submit_names_every_missing_part_keeps_the_input_and_saves_nothing(measure, owner, client, login):
    login(owner)
    data = {"realised": "50 000", "forecast": "100 000", "progress": "Sent i gang", "submit_report": "Send inn"}
    response = client.post(url(measure), data=data)
    html, shown = response.get_data(as_text=True), text_of(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Kvartalsrapporten ble ikke lagret." in shown
    # 100 000 against 300 000 is a deviation; no confidence, no justification, nothing on staff or risk.
    for message in (
        "Prognosen er et avvik fra planen: forklar hvorfor.",
        "Velg leveransesikkerhet.",
        "Begrunn vurderingen.",
        "Skriv antall berørte ansatte, 0 om ingen er berørt.",
        "Gi Ledelsesforankring en score.",
    ):
        assert message in shown, message
    assert 'value="50 000"' in html and "Sent i gang</textarea>" in html
    assert "Prognosen er 200 000 kr under planen for 2026 (300 000 kr): et avvik." in shown
    assert benefit_queries.get_figure(measure, Q4) is None and updates.update_for(measure, Q4) is None


def test_an_accepted_submit_saves_every_part_and_locks_the_status_update(measure, owner, client, login, db):
    login(owner)
    data = {
        "realised": "50 000",
        "forecast": "100 000",
        "explanation": "Vedtaket kom sent.",
        "corrective_action": "Resten tas ut i 2027.",
        "confidence": "gul/rød",
        "confidence_justification": "Forsinket oppstart.",
        "decisions_needed": "Avklare bemanning.",
        "affected_employees": "0",
        "fte_change_realised": "-1,5",
        "is_safety_rep_involved": "y",
        **SCORES,
        "submit_report": "Send inn",
    }
    response = client.post(url(measure), data=data)
    assert response.status_code == 302
    update = updates.update_for(measure, Q4)
    assert update.is_submitted and update.decisions_needed == "Avklare bemanning."
    assert benefit_queries.get_figure(measure, Q4).corrective_action == "Resten tas ut i 2027."
    record = staff.consequence_for(measure)
    # 0 affected employees is an answer, not a blank.
    assert (record.affected_employees, str(record.fte_change_realised), record.is_safety_rep_involved) == (
        0,
        "-1.50",
        True,
    )
    (assessment,) = risks.assessments_for(measure)
    assert assessment.summary().level == "lav" and assessment.assessed_date == date(2026, 11, 23)

    shown = text_of(client.get(url(measure)).get_data(as_text=True))
    assert "Statusrapporten for 4. kvartal 2026 er sendt inn og kan ikke endres." in shown
    assert "Skal leveres: Ingenting; alt for 4. kvartal 2026 er levert." in shown
    mine = text_of(client.get("/gevinster/mine").get_data(as_text=True))
    assert "Du har levert tall, statusrapporter og det andre som skal leveres" in mine


def test_mine_tiltak_lists_everything_due_per_measure_with_the_rounds_deadline(
    measure, owner, client, login, make_measure, db
):
    done = make_measure(
        "1.2", plan={2026: 0}, status=GJENNOMFORT, owner=owner
    )  # completed, nothing planned: owes nothing
    make_measure("1.3", status=UTREDET, owner=owner)  # not adopted: owes nothing yet
    updates.create_round(measure.programme, Q4, date(2027, 1, 10), SYSTEM)
    db.session.commit()
    login(owner)
    html = client.get("/gevinster/mine").get_data(as_text=True)
    shown = text_of(html)
    assert "Dette skal leveres for 4. kvartal 2026" in shown and "Frist: 10.01.2027." in shown
    assert f'href="/gevinster/tiltak/{measure.id}/kvartal/2026-Q4">Rapporter tall for 1.1 Tiltak 1.1</a>' in html
    assert f'href="/oppfolging/tiltak/{measure.id}/statusrapporter/2026-Q4">Skriv statusrapport for 1.1</a>' in html
    assert "Registrer konsekvenser for ansatte for 1.1" in shown and "Vurder organisatorisk risiko for 1.1" in shown
    assert f'href="{url(measure)}">Kvartalsrapport for tiltak 1.1</a>' in html
    assert "Du har rapportert tall for alle" not in shown and "Du har levert" not in shown
    assert "1.2 Tiltak 1.2 Alt er levert" in shown and f"/gevinster/tiltak/{done.id}/kvartal/" not in html


def test_only_the_owner_and_admin_open_the_page(measure, client, login, make_user):
    for role in ("leser", "ledergruppe", "tiltaksansvarlig"):
        login(make_user(role))
        assert client.get(url(measure)).status_code == 403
        client.post("/logout")
    login(make_user("admin"))
    assert client.get(url(measure)).status_code == 200
    assert client.get(url(measure, Quarter(2027, 1))).status_code == 404  # not begun
    assert client.get(f"/oppfolging/tiltak/{measure.id}/kvartalsrapport/2026-Q9").status_code == 404


def _quarter_form(client, measure) -> dict[str, str]:
    return next(form for form in page_forms(client.get(url(measure)).get_data(as_text=True)) if "versions" in form)


def test_a_stale_save_of_the_quarter_gets_the_conflict_page_and_saves_nothing(
    measure, owner, client, app, login, make_user, db
):
    """The owner opens the page; an admin saves the quarter's figures; the owner's stale draft is a 409."""
    login(owner)
    opened = _quarter_form(client, measure)
    assert opened["versions"] == "ansatte=0 statusrapport=0 tall=0"
    admin = app.test_client()
    login(make_user("admin"), using=admin)
    saved = admin.post(
        url(measure), data={**_quarter_form(admin, measure), "realised": "60 000", "forecast": "290 000"}
    )
    assert saved.status_code == 302

    typed = {"realised": "70 000", "forecast": "300 000", "confidence": "gul", "progress": "Eierens tekst"}
    typed["save"] = "Lagre utkast"
    refused = client.post(url(measure), data={**opened, **typed})
    page = refused.get_data(as_text=True).replace("\xa0", " ")
    assert refused.status_code == 409 and "Ingenting av det du skrev er lagret" in page
    # The admin's figures beside the owner's; the owner's text stays in the form.
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td><td>(.*?)</td>", page)
    assert ("Realisert hittil i år (kr)", "60 000", "70 000") in rows
    assert "Eierens tekst</textarea>" in page
    db.session.expire_all()
    figure = benefit_queries.get_figure(measure, Q4)
    assert (figure.realised_to_date_nok, figure.version) == (60_000, 1) and updates.update_for(measure, Q4) is None

    # Saving again from the conflict page replaces the admin's figures: the form took the stored versions.
    again = next(form for form in page_forms(page) if "versions" in form)
    assert again["versions"] == "ansatte=0 statusrapport=0 tall=1"
    assert client.post(url(measure), data={**again, "save": "Lagre utkast"}).status_code == 302
    db.session.expire_all()
    assert benefit_queries.get_figure(measure, Q4).realised_to_date_nok == 70_000
    assert updates.update_for(measure, Q4).progress == "Eierens tekst"
