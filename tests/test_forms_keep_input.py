"""Every form, refused, shows every field as the user left it (passwords excepted), with the error by its field.

One case per form: one field is wrong, every other field is filled in, and the page that comes back
must hold each value exactly as typed: text in its input or text area, the chosen option selected,
the chosen radio button and the ticked checkbox checked.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import date

import pytest

from tracker.accounts.permissions import SYSTEM
from tracker.kpis import services as kpis
from tracker.milestones import services as milestones
from tracker.portfolio.models import Measure
from tracker.risks import services as risks

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4


@dataclass(frozen=True)
class Case:
    role: str
    url: str  # {m} measure, {milestone}, {kpi}, {item}, {indicator}
    data: dict[str, str]
    # Fields that are selects, radio buttons or checkboxes (the rest are text inputs or text areas).
    kinds: dict[str, str] = field(default_factory=dict)
    error_field: str = ""
    follow: bool = False


CASES = {
    "milestone": Case(
        "owner",
        "/oppfolging/tiltak/{m}/milepaeler",
        {"title": "Avtale med skolene", "due_date": "31.13.2026", "responsible": "Rektor"},
        error_field="due_date",
    ),
    "milestone-edit": Case(
        "owner",
        "/oppfolging/milepaeler/{milestone}",
        {"title": "Endret milepæl", "due_date": "01.05.2026", "responsible": "Rektor", "done_date": "i går"},
        error_field="done_date",
    ),
    "kpi": Case(
        "owner",
        "/oppfolging/tiltak/{m}/kpi",
        {
            "name": "Ventetid",
            "unit": "dager",
            "direction": "lower",
            "baseline_value": "12,5",
            "baseline_date": "31.12.2025",
            "target_value": "mye",
            "target_date": "31.12.2027",
        },
        {"direction": "radio"},
        error_field="target_value",
    ),
    "kpi-edit": Case(
        "owner",
        "/oppfolging/kpi/{kpi}/endre",
        {
            "name": "Sykefravær",
            "unit": "%",
            "direction": "higher",
            "baseline_value": "7",
            "baseline_date": "32.12.2025",
        },
        {"direction": "radio"},
        error_field="baseline_date",
    ),
    "kpi-measurement": Case(
        "owner",
        "/oppfolging/kpi/{kpi}",
        {"quarter": "2026-Q3", "value": "abc", "note": "Målt i september"},
        {"quarter": "select"},
        error_field="value",
    ),
    "org-risk": Case(
        "owner",
        "/oppfolging/tiltak/{m}/organisatorisk-risiko",
        {
            "assessed_date": "01.11.2026",
            "score_ledelsesforankring": "2",
            "score_kapasitet": "4",
            "action_kapasitet": "To vikarer i innføringen",
            "score_kompetanse": "3",
            "score_avhengigheter": "1",
            "note": "Vurdert i ledermøtet",
        },
        {f"score_{key}": "select" for key in ("ledelsesforankring", "kapasitet", "kompetanse", "avhengigheter")},
        error_field="score_medvirkning",
    ),
    "risk-item": Case(
        "owner",
        "/oppfolging/tiltak/{m}/risikoregister",
        {
            "description": "Turnover",
            "probability_before": "3",
            "mitigation": "Rekruttere",
            "mitigation_owner": "HR",
            "probability_after": "2",
        },
        {"probability_before": "select", "probability_after": "select"},
        error_field="consequence_before",
    ),
    "risk-item-edit": Case(
        "owner",
        "/oppfolging/risikoregister/{item}",
        {
            "description": "",
            "probability_before": "4",
            "consequence_before": "5",
            "mitigation": "Plan",
            "consequence_after": "2",
        },
        {"probability_before": "select", "consequence_before": "select", "consequence_after": "select"},
        error_field="description",
    ),
    "staff": Case(
        "owner",
        "/oppfolging/tiltak/{m}/ansatte",
        {
            "affected_units": "Skolene",
            "affected_employees": "40",
            "fte_change_planned": "-12",
            "fte_change_realised": "mye",
            "fte_by_attrition": "2",
            "union_consultation_date": "03.02.2026",
            "is_safety_rep_involved": "y",
            "work_env_assessment_date": "2026-02-04",
            "work_env_assessment_summary": "Oppsummert",
        },
        {"is_safety_rep_involved": "check"},
        error_field="fte_change_realised",
    ),
    "status-update": Case(
        "owner",
        "/oppfolging/tiltak/{m}/statusrapporter/2026-Q4",
        {
            "confidence": "gul",
            "progress": "Framdrift i høst",
            "corrective_actions": "Nye rutiner",
            "decisions_needed": "Avklare vikarbudsjett",
            "save": "Lagre utkast",
        },
        {"confidence": "radio", "save": "button"},
        error_field="confidence_justification",
    ),
    "round": Case(
        "admin",
        "/oppfolging/runder",
        {"quarter": "2026-Q4", "deadline_date": "32.01.2027"},
        {"quarter": "select"},
        error_field="deadline_date",
    ),
    "measure-edit": Case(
        "owner",
        "/portefolje/tiltak/{m}/rediger",
        {
            "version": "{version}",
            "service": "Skole",
            "effect_type": "Høyere produktivitet",
            "problem": "Problemet i dag",
            "affected_units": "Skolene\nBarnehagene",
            "status_note": "Notat",
        },
        {"effect_type": "select", "version": "hidden"},
        error_field="title",
    ),
    "measure-status": Case(
        "admin",
        "/portefolje/tiltak/{m}/status",
        {
            "version": "{version}",
            "to_status": "under gjennomføring",
            "decided_date": "i morgen",
            "decision_reference": "KS 1/26",
            "comment": "Kommentar",
        },
        {"to_status": "select", "version": "hidden"},
        error_field="decided_date",
    ),
    "figures": Case(
        "owner",
        "/gevinster/tiltak/{m}/kvartal/2026-Q4",
        {
            "realised": "12 345",
            "forecast": "mye",
            "explanation": "Forklaring",
            "corrective_action": "Tiltaket",
            "comment": "Kommentar",
        },
        error_field="forecast",
    ),
    "plan": Case(
        "admin",
        "/gevinster/tiltak/{m}/plan",
        {"year": "2027", "new_saving": "mye", "reason": "Budsjettvedtak"},
        {"year": "select"},
        error_field="new_saving",
    ),
    "take-out": Case(
        "admin",
        "/gevinster/tiltak/{m}/uttak",
        {"year": "2027", "amount": "1,5", "comment": "Kommentar"},
        {"year": "select"},
        error_field="amount",
    ),
    "report": Case(
        "admin",
        "/rapporter/bygg",
        {"audience": "amu", "send": "y"},
        {"audience": "select", "send": "check"},
        error_field="period",
    ),
    "recipient": Case(
        "admin",
        "/rapporter/mottakere",
        {"audience": "amu", "name": "Hovedverneombud", "email": "ikke-en-adresse"},
        {"audience": "select"},
        error_field="email",
    ),
    "user": Case(
        "admin",
        "/brukere/ny",
        {"username": "ny bruker", "full_name": "Nina Ny", "email": "nina@example.no", "role": "ledergruppe"},
        {"role": "select"},
        error_field="username",
    ),
    "indicator": Case(
        "admin",
        "/oppfolging/risiko/indikatorer/{indicator}",
        {"name": "", **{f"guidance_{n}": f"Veiledning {n}" for n in range(1, 6)}},
        error_field="name",
    ),
    "dependency": Case(
        "owner",
        "/oppfolging/tiltak/{m}/avhengigheter",
        {"note": "Felles fagsystem"},
        error_field="depends_on",
    ),
    "deflator": Case(
        "admin",
        "/regnskap/deflator",
        {"year": "2026", "rate_pct": "fire", "source": "Prop. 1 S"},
        error_field="rate_pct",
    ),
    "api-token": Case(
        "admin",
        "/brukere/api-nokler/",
        {"user_id": "{admin_id}"},
        {"user_id": "select"},
        error_field="name",
    ),
    "accounting-filter": Case(
        "admin",
        "/regnskap/tiltak/{m}/filter",
        {"ansvar": "100-99", "art": "10*", "funksjon": "202"},
        follow=True,
    ),
}


@pytest.fixture()
def world(db, make_user, make_measure):
    owner = make_user("tiltaksansvarlig", full_name="Kari Eier")
    admin = make_user("admin", full_name="Åse Admin")
    measure = make_measure("1.1", plan={2026: 1_000_000, 2027: 1_000_000}, status="vedtatt", owner=owner)
    make_measure("1.2")
    values = {
        "m": measure.id,
        "milestone": milestones.create_milestone(measure, SYSTEM, {"title": "Plan vedtatt"}).id,
        "kpi": kpis.create_kpi(measure, SYSTEM, {"name": "Sykefravær", "direction": "lower", "unit": "%"}).id,
        "item": risks.add_risk_item(
            measure, SYSTEM, {"description": "x", "probability_before": 1, "consequence_before": 1}
        ).id,
        "indicator": risks.indicators()[0].id,
        "admin_id": admin.id,
    }
    db.session.commit()
    values["version"] = measure.version
    return {"owner": owner, "admin": admin, "values": values}


def _kept(page: str, name: str, value: str, kind: str) -> bool:
    """Whether the page shows `value` in the field `name` as the user left it."""
    shown = html.escape(value, quote=True)
    if kind == "select":
        select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)
        return bool(select) and f'<option selected value="{shown}">' in select.group(0)
    if kind in ("radio", "check"):
        return bool(re.search(rf'<input[^>]*\bchecked\b[^>]*name="{name}"[^>]*value="{re.escape(shown)}"', page))
    area = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', page, re.S)
    if area:
        return area.group(1).replace("\r\n", "\n") == shown
    return bool(re.search(rf'name="{name}"[^>]*value="{re.escape(shown)}"', page))


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_refused_form_keeps_every_field_as_typed(world, client, login, case):
    login(world[case.role])
    data = {name: value.format(**world["values"]) for name, value in case.data.items()}
    response = client.post(case.url.format(**world["values"]), data=data, follow_redirects=case.follow)
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400), page[:2000]
    if case.error_field:
        assert f'id="{case.error_field}-feil"' in page, page[:3000]
    kept = [
        name
        for name, value in data.items()
        if case.kinds.get(name) not in ("hidden", "button")
        and value
        and not _kept(page, name, value, case.kinds.get(name, "text"))
    ]
    assert kept == [], f"{case.url}: these fields lost what was typed: {kept}"


def test_an_untouched_risk_assessment_is_refused_with_a_message_per_score(world, client, login):
    login(world["owner"])
    url = f"/oppfolging/tiltak/{world['values']['m']}/organisatorisk-risiko"
    form = client.get(url).get_data(as_text=True)
    assert form.count('<option selected value="">Velg</option>') == 5
    assert not re.search(r'<option selected value="[1-5]">', form)
    page = client.post(url, data={"assessed_date": "01.11.2026"}).get_data(as_text=True)
    for name in ("Ledelsesforankring", "Kapasitet", "Kompetanse", "Avhengigheter", "Medvirkning/involvering"):
        assert f"Velg en score for {name}." in page
    assert risks.latest_assessments([world["values"]["m"]]) == {}


@pytest.mark.parametrize("typed", ["31.03.2026", "2026-03-31", " 31.03.2026 "])
def test_dates_are_read_as_dd_mm_yyyy_or_iso_and_shown_as_dd_mm_yyyy(world, client, login, db, typed):
    login(world["owner"])
    url = f"/oppfolging/tiltak/{world['values']['m']}/milepaeler"
    assert client.post(url, data={"title": "Ny milepæl", "due_date": typed}).status_code == 302
    found = milestones.milestones_for(db.session.get(Measure, world["values"]["m"]))
    assert any(m.title == "Ny milepæl" and m.due_date == date(2026, 3, 31) for m in found)
    edit = next(m for m in found if m.title == "Ny milepæl")
    assert 'value="31.03.2026"' in client.get(f"/oppfolging/milepaeler/{edit.id}").get_data(as_text=True)


def test_a_date_field_says_its_format_and_refuses_a_day_that_does_not_exist(world, client, login):
    login(world["owner"])
    url = f"/oppfolging/tiltak/{world['values']['m']}/milepaeler"
    form = client.get(url).get_data(as_text=True)
    assert 'type="date"' not in form and "Skriv datoen som dd.mm.åååå, for eksempel 31.03.2026." in form
    page = client.post(url, data={"title": "X", "due_date": "30.02.2026"}).get_data(as_text=True)
    assert "«30.02.2026» er ikke en dato. Skriv for eksempel 31.03.2026." in page


def test_kroner_fields_give_a_kroner_example_in_both_hint_and_error(world, client, login):
    login(world["owner"])
    url = f"/gevinster/tiltak/{world['values']['m']}/kvartal/2026-Q4"
    page = client.post(url, data={"realised": "12,5", "forecast": "mye"}).get_data(as_text=True)
    assert "Skriv hele kroner, for eksempel 1 250 000." in page  # the hint
    assert "«12,5» må være et helt antall kroner. Skriv hele kroner, for eksempel 1 250 000." in page
    assert "«mye» er ikke et tall. Skriv hele kroner, for eksempel 1 250 000." in page
    assert "1 234,5" not in page
