"""Bad input at every entry point: refused in Norwegian (a 4xx, or exit code 1/2), and nothing stored.

The tables keep the attack of issue 12 (control characters and NUL, amounts of 2^63 and more, KPI
values of 10^20, counts of 2^31, ids beyond 32 bits, quarters 0000-Q1 and 9999-Q4, far dates, NaN
and Infinity, wrong types and deep nesting in JSON, broken and huge workbooks) and one row per
text field of every form, generated from the form's own limit. Every case compares the contents
of every table before and after. On PostgreSQL a NUL byte was the one input that broke every form.
"""

import importlib
import io
import json
import zipfile
from dataclasses import dataclass
from types import SimpleNamespace

import openpyxl
import pytest
import sqlalchemy as sa
import wtforms

from tests.helpers import TEST_PASSWORD
from tracker.kpis import services as kpis
from tracker.measures.excel import write_portfolio_workbook
from tracker.measures.forms import OwnerForm, StatusForm, measure_form_class, measure_form_data
from tracker.milestones.services import milestones_for
from tracker.periods import Quarter
from tracker.portfolio import queries
from tracker.portfolio.status import VEDTATT
from tracker.reports import services as reports
from tracker.risks import services as risks
from tracker.risks.forms import assessment_form
from tracker.web.forms import CleanText, ParsedTextField

ENGLISH = ("Not a valid", "This field is required", "Invalid Choice", "Field must", "Number must", "Traceback")
INT32 = "2147483648"
HUGE = "99999999999999999999999"
Q3 = Quarter(2026, 3)


# --- the world every case starts from ----------------------------------------------------------


@pytest.fixture()
def base(app, db, clock, make_user, make_measure, login):
    """The files' and commands' world: one adopted measure with a plan and a milestone; an admin logged in."""
    admin, owner = make_user("admin", "kontroller"), make_user("tiltaksansvarlig", "eier")
    measure = make_measure(
        "1.1",
        plan={2026: 300_000, 2027: 600_000},
        status=VEDTATT,
        owner=owner,
        milestones=[{"what": "Oppstart", "due_date": "2026-12-31"}],
    )
    login(admin)
    return SimpleNamespace(admin=admin, owner=owner, measure=measure)


@pytest.fixture()
def world(base, db, make_measure, make_update):
    """The forms' world: the base, and a second measure, a KPI, a risk item, a submitted update, a recipient."""
    measure, admin = base.measure, base.admin
    other = make_measure("1.2", status=VEDTATT)
    kpi = kpis.create_kpi(measure, admin, {"name": "Sykefravær", "direction": "lower"})
    item = risks.add_risk_item(
        measure, admin, {"description": "Usikker", "probability_before": 3, "consequence_before": 3}
    )
    indicator = risks.indicators()[0]
    reports.add_recipient(admin, "amu", "Aina", "aina@example.no")
    db.session.commit()
    update = make_update(measure, Q3, by=base.owner)
    return SimpleNamespace(
        **vars(base), other=other, kpi=kpi, item=item, indicator=indicator, update=update,
        milestone=milestones_for(measure)[0],
    )  # fmt: skip


def table_contents(db) -> dict[str, list[str]]:
    """Every row of every table (sessions aside: a request may touch its own)."""
    db.session.rollback()
    contents = {}
    for table in db.metadata.sorted_tables:
        if table.name != "user_sessions":
            contents[table.name] = sorted(repr(tuple(row)) for row in db.session.execute(sa.select(table)))
    return contents


def assert_refused(response, expected: str, where: str, field: str | None = None) -> None:
    """A 4xx page in Norwegian; with `field`, the message is expected only if the page shows that field."""
    page = response.get_data(as_text=True)
    assert 400 <= response.status_code < 500, f"{where}: {response.status_code}"
    if field is None or f'name="{field}"' in page:
        assert expected in page, f"{where}: «{expected}» not in the page"
    assert not any(english in page for english in ENGLISH), where


# --- web forms: every text field, and the numbers, dates and quarters ------------------------------


@dataclass(frozen=True)
class FormCase:
    path: str
    form: object  # the form class, or a callable world → form class
    data: object  # the good data: a dict, or a callable world → dict


def _measure_form(w):
    return measure_form_class(queries.measure_years(w.measure))


def _measure_data(w) -> dict:
    return {**measure_form_data(w.measure, queries.measure_years(w.measure)), "plan_reason": ""}


def _assessment_form(w):
    return type(assessment_form(risks.indicators(), formdata=None))


def _assessment_data(w) -> dict:
    scores = {f"score_{indicator.key}": "3" for indicator in risks.indicators()}
    return {"assessed_date": "2026-10-01", "note": "", **scores}


def _form(name: str):
    module, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


FORMS = {
    "login": FormCase(
        "/login", "tracker.accounts.forms.LoginForm", {"username": "kontroller", "password": TEST_PASSWORD}
    ),
    "password": FormCase(
        "/konto/passord",
        "tracker.accounts.forms.ChangePasswordForm",
        {"current_password": TEST_PASSWORD, "new_password": "nytt-passord-123", "confirm_password": "nytt-passord-123"},
    ),
    "measure": FormCase("/portefolje/tiltak/{measure}/rediger", _measure_form, _measure_data),
    "status": FormCase(
        "/portefolje/tiltak/{measure}/status",
        StatusForm,
        lambda w: {
            "version": str(w.measure.version),
            # Not "under gjennomføring": starting needs report §4.2's assessment (tests/test_risks_readiness.py).
            "to_status": "avbrutt",
            "decided_date": "01.10.2026",
            "decision_reference": "KS-sak 1/26",
            "comment": "",
        },
    ),
    "owner": FormCase(
        "/portefolje/tiltak/{measure}/ansvarlig",
        OwnerForm,
        lambda w: {"version": str(w.measure.version), "owner_id": str(w.owner.id)},
    ),
    "figures": FormCase(
        "/gevinster/tiltak/{measure}/kvartal/2026-Q3",
        "tracker.benefits.forms.QuarterlyFiguresForm",
        {
            "realised": "0",
            "forecast": "300 000",
            "explanation": "",
            "corrective_action": "",
            "comment": "",
            "correction_reason": "",
        },
    ),
    "plan": FormCase(
        "/gevinster/tiltak/{measure}/plan",
        "tracker.benefits.forms.PlanChangeForm",
        {"year": "2027", "new_saving": "700 000", "reason": "Vedtak"},
    ),
    "take_out": FormCase(
        "/gevinster/tiltak/{measure}/uttak",
        "tracker.benefits.forms.TakeOutForm",
        {"year": "2026", "amount": "100 000", "comment": ""},
    ),
    "kpi": FormCase(
        "/oppfolging/tiltak/{measure}/kpi",
        "tracker.kpis.forms.KpiForm",
        {
            "suggestion": "",
            "name": "Ny KPI",
            "unit": "",
            "direction": "higher",
            "baseline_value": "1",
            "baseline_date": "",
            "target_value": "2",
            "target_date": "",
        },
    ),
    "kpi_edit": FormCase(
        "/oppfolging/kpi/{kpi}/endre",
        "tracker.kpis.forms.KpiForm",
        {
            "suggestion": "",
            "name": "Sykefravær",
            "unit": "%",
            "direction": "lower",
            "baseline_value": "",
            "baseline_date": "",
            "target_value": "",
            "target_date": "",
        },
    ),
    "measurement": FormCase(
        "/oppfolging/kpi/{kpi}",
        "tracker.kpis.forms.MeasurementForm",
        {"quarter": "2026-Q3", "value": "7,5", "note": ""},
    ),
    "milestone": FormCase(
        "/oppfolging/tiltak/{measure}/milepaeler",
        "tracker.milestones.forms.MilestoneForm",
        {"title": "Ny milepæl", "due_date": "2026-12-31", "responsible": "", "done_date": "", "when_text": ""},
    ),
    "milestone_edit": FormCase(
        "/oppfolging/milepaeler/{milestone}",
        "tracker.milestones.forms.MilestoneForm",
        {"title": "Oppstart", "due_date": "2027-01-31", "responsible": "", "done_date": "", "when_text": ""},
    ),
    "risk_item": FormCase(
        "/oppfolging/tiltak/{measure}/risikoregister",
        "tracker.risks.forms.RiskItemForm",
        {
            "description": "Ny risiko",
            "probability_before": "2",
            "consequence_before": "2",
            "mitigation": "",
            "mitigation_owner": "",
            "probability_after": "",
            "consequence_after": "",
        },
    ),
    "risk_item_edit": FormCase(
        "/oppfolging/risikoregister/{item}",
        "tracker.risks.forms.RiskItemForm",
        {
            "description": "Endret",
            "probability_before": "3",
            "consequence_before": "3",
            "mitigation": "",
            "mitigation_owner": "",
            "probability_after": "",
            "consequence_after": "",
        },
    ),
    "assessment": FormCase("/oppfolging/tiltak/{measure}/organisatorisk-risiko", _assessment_form, _assessment_data),
    "indicator": FormCase(
        "/oppfolging/risiko/indikatorer/{indicator}",
        "tracker.risks.forms.IndicatorForm",
        {"name": "Ledelse", **{f"guidance_{n}": "Tekst" for n in range(1, 6)}},
    ),
    "staff": FormCase(
        "/oppfolging/tiltak/{measure}/ansatte",
        "tracker.staff.forms.EmployeeConsequenceForm",
        {
            "affected_units": "Skole",
            "affected_employees": "3",
            "fte_change_planned": "-1,5",
            "fte_change_realised": "",
            "fte_by_attrition": "",
            "fte_by_redeployment": "",
            "fte_by_downsizing": "",
            "union_consultation_date": "",
            "work_env_assessment_date": "",
            "work_env_assessment_summary": "",
        },
    ),
    "dependency": FormCase(
        "/oppfolging/tiltak/{measure}/avhengigheter",
        "tracker.dependencies.forms.DependencyForm",
        lambda w: {"depends_on": str(w.other.id), "note": ""},
    ),
    "update": FormCase(
        "/oppfolging/tiltak/{measure}/statusrapporter/2026-Q4",
        "tracker.updates.forms.StatusUpdateForm",
        {
            "confidence": "gul",
            "confidence_justification": "Greit",
            "progress": "",
            "corrective_actions": "",
            "decisions_needed": "",
            "save": "Lagre utkast",
        },
    ),
    "comment": FormCase(
        "/oppfolging/statusrapporter/{update}/kommentar", "tracker.updates.forms.CommentForm", {"body": "Bra"}
    ),
    "round": FormCase(
        "/oppfolging/runder", "tracker.updates.forms.RoundForm", {"quarter": "2026-Q4", "deadline_date": "2027-01-10"}
    ),
    "build": FormCase("/rapporter/bygg", "tracker.reports.forms.BuildForm", {"period": "2026-Q3", "audience": "amu"}),
    "recipient": FormCase(
        "/rapporter/mottakere",
        "tracker.reports.forms.RecipientForm",
        {"audience": "amu", "name": "Ola", "email": "ola@example.no"},
    ),
    "user": FormCase(
        "/brukere/ny",
        "tracker.users.forms.UserCreateForm",
        {"username": "ny.bruker", "full_name": "", "email": "", "role": "leser", "password": "et-langt-passord"},
    ),
    "user_edit": FormCase(
        "/brukere/{owner}",
        "tracker.users.forms.UserEditForm",
        {"full_name": "Eva Eier", "email": "", "role": "tiltaksansvarlig", "is_enabled": "y"},
    ),
    "reset": FormCase(
        "/brukere/{owner}/passord", "tracker.users.forms.PasswordResetForm", {"password": "et-langt-passord"}
    ),
}


def _ids(w) -> dict:
    return {
        "measure": w.measure.id,
        "kpi": w.kpi.id,
        "milestone": w.milestone.id,
        "item": w.item.id,
        "indicator": w.indicator.id,
        "update": w.update.id,
        "owner": w.owner.id,
    }


def _form_class(case: FormCase, w):
    if isinstance(case.form, str):
        return _form(case.form)
    return case.form if isinstance(case.form, type) else case.form(w)


def text_cases(app, form_class) -> list[tuple[str, str, str]]:
    """(field, bad value, expected message) for every text field of a form, from its own rule."""
    cases = []
    with app.test_request_context():
        fields = list(form_class(formdata=None))
    for field in (field for field in fields if isinstance(field, wtforms.StringField)):
        rules = [v.rule for v in field.validators if isinstance(v, CleanText)]
        rules = [field.rule] if isinstance(field, ParsedTextField) else rules
        if not rules or field.name == "version":  # the hidden version is checked, but shows no message
            continue
        rule = rules[0]
        cases += [(field.name, "før\x00etter", "NUL-tegn"), (field.name, "ring\x07", "U+0007")]
        cases.append((field.name, "x" * (rule.max_chars + 1), f"høyst {rule.max_chars} tegn"))
        if not rule.is_multiline:
            cases.append((field.name, "to\nlinjer", "linjeskift"))
    return cases


# (form, field, bad value, expected message): the numbers, dates, quarters and ids of the attack.
VALUE_CASES = [
    ("measure", "saving_2026", HUGE, "utenfor det tillatte"),
    ("measure", "saving_2026", "1e30", "er ikke et tall"),
    ("status", "decided_date", "31.12.9999", "mellom 1900 og 2100"),
    ("owner", "owner_id", INT32, "Ukjent bruker"),
    ("owner", "owner_id", HUGE, "Ukjent bruker"),
    ("figures", "realised", "9223372036854775808", "utenfor det tillatte"),
    ("figures", "forecast", HUGE, "utenfor det tillatte"),
    ("figures", "realised", "NaN", "er ikke et tall"),
    ("figures", "forecast", "Infinity", "er ikke et tall"),
    ("plan", "new_saving", "9223372036854775808", "utenfor det tillatte"),
    ("plan", "year", HUGE, "Ugyldig valg"),
    ("take_out", "amount", HUGE, "utenfor det tillatte"),
    ("kpi", "baseline_value", "100000000000000000000", "utenfor det tillatte"),
    ("kpi", "target_value", "NaN", "er ikke et tall"),
    ("kpi", "baseline_date", "9999-12-31", "mellom 1900 og 2100"),
    ("kpi", "target_date", "0001-01-01", "mellom 1900 og 2100"),
    ("kpi", "direction", "sideveis", "Ugyldig valg"),
    ("kpi_edit", "target_value", "1" * 30, "utenfor det tillatte"),
    ("measurement", "value", "100000000000000000000", "utenfor det tillatte"),
    ("measurement", "value", "Infinity", "er ikke et tall"),
    ("measurement", "quarter", "0000-Q1", "Velg et kvartal i listen"),
    ("measurement", "quarter", "9999-Q4", "Velg et kvartal i listen"),
    ("measurement", "quarter", "2027-Q2", "Velg et kvartal i listen"),
    ("measurement", "quarter", "1990-Q1", "Velg et kvartal i listen"),
    ("milestone", "due_date", "9999-12-31", "mellom 1900 og 2100"),
    ("milestone", "due_date", "31.02.2026", "er ikke en dato"),
    ("milestone_edit", "done_date", "0001-01-01", "mellom 1900 og 2100"),
    ("risk_item", "probability_before", "7", "Ugyldig valg"),
    ("risk_item", "probability_before", HUGE, "Ugyldig valg"),
    ("assessment", "assessed_date", "9999-12-31", "mellom 1900 og 2100"),
    ("staff", "affected_employees", INT32, "mellom 0 og 1"),
    ("staff", "affected_employees", "9" * 5000, "Skriv et helt tall"),
    ("staff", "affected_employees", "mange", "Skriv et helt tall"),
    ("staff", "fte_change_planned", "1000001", "utenfor det tillatte"),
    ("staff", "union_consultation_date", "9999-12-31", "mellom 1900 og 2100"),
    ("dependency", "depends_on", INT32, "Ugyldig valg"),
    ("update", "confidence", "lilla", "Ugyldig valg"),
    ("round", "quarter", "0000-Q1", "Velg et kvartal i listen"),
    ("round", "quarter", "9999-Q4", "Velg et kvartal i listen"),
    ("round", "quarter", "1990-Q1", "Velg et kvartal i listen"),
    ("round", "deadline_date", "9999-12-31", "mellom 1900 og 2100"),
    ("build", "period", "0000-Q1", "Velg et kvartal i listen"),
    ("build", "period", "9999-Q4", "Velg et kvartal i listen"),
    ("build", "period", "2099-Q4", "Velg et kvartal i listen"),
    ("user", "role", "gud", "Ugyldig valg"),
    ("user", "email", "ikke-en-adresse", "gyldig e-postadresse"),
]


def _post(client, w, key: str, overrides: dict):
    case = FORMS[key]
    good = case.data(w) if callable(case.data) else case.data
    return client.post(case.path.format(**_ids(w)), data={**good, **overrides})


# The owner, round and build forms have no text field: an owner, a quarter and a date are chosen or parsed.
@pytest.mark.parametrize("key", sorted(set(FORMS) - {"owner", "round", "build"}))
def test_every_text_field_refuses_control_characters_and_overlong_text(key, world, db, client, app):
    """Each text field in turn gets NUL, a control character, a line break (one-line fields) and one character too many."""
    using = app.test_client() if key == "login" else client
    before = table_contents(db)
    cases = text_cases(app, _form_class(FORMS[key], world))
    assert cases, key
    for field, bad, expected in cases:
        response = _post(using, world, key, {field: bad})
        assert_refused(response, expected, f"{key}.{field}={bad[:12]!r}", field)
        assert table_contents(db) == before, f"{key}.{field}={bad[:12]!r} changed the database"
    response = _post(using, world, key, {})  # the same form, good: the refusals were for the bad value only
    assert response.status_code in (200, 302), (key, response.status_code, response.get_data(as_text=True)[:2000])


@pytest.mark.parametrize(
    ("key", "field", "bad", "expected"), VALUE_CASES, ids=[f"{c[0]}.{c[1]}={c[2][:14]}" for c in VALUE_CASES]
)
def test_numbers_dates_quarters_and_choices_out_of_range_are_refused(key, field, bad, expected, world, db, client):
    before = table_contents(db)
    response = _post(client, world, key, {field: bad})
    assert_refused(response, expected, f"{key}.{field}")
    assert table_contents(db) == before


def test_a_json_body_or_a_file_in_a_text_field_is_no_input(base, db, client):
    before = table_contents(db)
    path = f"/oppfolging/tiltak/{base.measure.id}/milepaeler"
    deep = "[" * 200_000 + "]" * 200_000
    assert_refused(client.post(path, data=deep, content_type="application/json"), "Skriv hva milepælen er", "json")
    upload = {"title": (io.BytesIO(b"Milep\xc3\xa6l"), "x.txt")}
    assert_refused(client.post(path, data=upload, content_type="multipart/form-data"), "Skriv hva milepælen er", "file")
    assert table_contents(db) == before


# --- ids and quarters in URLs ------------------------------------------------------------------


def _id_rules(app) -> list[tuple[str, str]]:
    """(method, path) for every route with an <int:…> id, the id set beyond 32 bits."""
    found = []
    for rule in app.url_map.iter_rules():
        ids = [name for name, converter in rule._converters.items() if type(converter).__name__ == "IdConverter"]
        if not ids:
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        for value in (INT32, HUGE):
            path = rule.rule
            for name in ids:
                path = path.replace(f"<int:{name}>", value)
            found.append((method, path.replace("<key>", "2026-Q3").replace("<quarter_key>", "2026-Q3")))
    return found


def test_an_id_beyond_32_bits_is_a_404_on_every_route(world, db, client, app):
    before = table_contents(db)
    rules = _id_rules(app)
    assert len(rules) >= 2 * 25
    for method, path in rules:
        response = client.open(path, method=method)
        assert response.status_code == 404, (method, path, response.status_code)
    assert table_contents(db) == before


@pytest.mark.parametrize(
    "path",
    [
        "/gevinster/tiltak/{measure}/kvartal/0000-Q1",
        "/gevinster/tiltak/{measure}/kvartal/9999-Q4",
        "/oppfolging/tiltak/{measure}/statusrapporter/0000-Q1",
        "/oppfolging/tiltak/{measure}/statusrapporter/9999-Q4",
    ],
)
def test_a_quarter_beyond_the_years_in_a_url_is_a_404(path, base, db, client):
    before = table_contents(db)
    assert client.get(path.format(measure=base.measure.id)).status_code == 404
    assert client.post(path.format(measure=base.measure.id), data={}).status_code == 404
    assert table_contents(db) == before


@pytest.mark.parametrize(
    "query",
    [
        "/logg/?object_id=" + INT32,
        "/logg/?object_id=" + HUGE,
        "/logg/?user=a%00b&action=%00&object_type=%07",
        "/logg/?from_date=31.12.9999",
        "/portefolje/?tjeneste=%00&ansvarlig=" + HUGE + "&sorter=%00",
        "/gevinster/?quarter=0000-Q1&year=" + "9" * 5000,
        "/gevinster/?quarter=9999-Q4",
        "/gevinster/eksport.xlsx?quarter=1900-Q1",
    ],
)
def test_filters_in_the_query_string_never_break_a_page(query, base, db, client):
    before = table_contents(db)
    response = client.get(query)
    assert response.status_code == 200, (query, response.status_code)
    assert table_contents(db) == before


def _cells(data: bytes) -> list:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.values for cell in row if isinstance(cell, str)]


def test_a_control_character_stored_before_the_checks_does_not_break_the_exports(base, db, client):
    """A title with a bell in it made GET /gevinster/eksport.xlsx fail for everyone (openpyxl refuses it)."""
    base.measure.title = "Tittel med \x07 bjelle og \x1b escape"
    base.measure.problem = "Linje\x0b med vertikal tab"
    db.session.commit()
    for path in ("/gevinster/eksport.xlsx", "/portefolje/eksport.xlsx"):
        response = client.get(path)
        assert response.status_code == 200, path
        cells = _cells(response.data)
        assert not any(char in cell for cell in cells for char in "\x07\x1b\x0b"), path
    assert "Tittel med  bjelle og  escape" in cells


# --- the files: portfolio JSON and Excel, quarterly figures ---------------------------------------


def portfolio_document(w) -> dict:
    """A valid one-measure document for the world's programme (the import accepts it)."""
    programme = w.measure.programme
    return {
        "programme": {"name": programme.name, "municipality": "Testkommune", "plan_period": [2026, 2029], "target_mnok": {"2029": -2.0}},
        "effect_types": ["Lavere volum"],
        "groups": [{"number": 1, "name": "Barnehage og skole", "savings_requirement_mnok": -1.0}, {"number": 2, "name": "Helse og omsorg"}],
        "measures": [{"code": "1.1", "group": 1, "title": "Tiltak 1.1", "net_cost_change_mnok": {"2026": -0.3, "2027": -0.6},
                      "milestones": [{"what": "Oppstart", "due_date": "2026-12-31"}], "kpis": ["Sykefravær"]}],
    }  # fmt: skip


def _set(path: str, value):
    """A change of the document: the value at a dotted path ("measures.0.title")."""

    def change(doc):
        *parents, last = path.split(".")
        target = doc
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        target[int(last) if isinstance(target, list) else last] = value
        return doc

    return change


def _text_file(text: str):
    return lambda _doc: text


def _nested(depth: int):
    return lambda _doc: '{"measures": ' + "[" * depth + "]" * depth + "}"


# (change of the valid document, expected message naming the place)
JSON_CASES = [
    (_set("programme.plan_period", [2026, 20_000_000]), "programme.plan_period"),
    (_set("programme.plan_period", [2029, 2026]), "programme.plan_period"),
    (_set("programme.plan_period", "2026-2029"), "programme.plan_period: må være to årstall"),
    (_set("programme.plan_period", [0, 9999]), "programme.plan_period"),
    (_set("programme.target_mnok", {"99999": -1}), "programme.target_mnok.99999"),
    (_set("programme.target_mnok", {"2029": 1e30}), "programme.target_mnok.2029"),
    (_set("programme.name", "x" * 201), "programme.name: Teksten kan ha høyst 200 tegn"),
    (_set("programme.name", "Omstilling\x00"), "programme.name"),
    (_set("programme.municipality", {"navn": "Elverum"}), "programme.municipality: må være tekst"),
    (_set("groups.0.number", 2_147_483_648), "Arbeidsgruppe nr. 1, felt number"),
    (_set("groups.0.number", True), "Arbeidsgruppe nr. 1"),
    (_set("groups.0.savings_requirement_mnok", float("inf")), "savings_requirement_mnok"),
    (_set("groups", {"1": "Skole"}), "groups: må være en liste"),
    (_set("measures.0.net_cost_change_mnok.2026", float("nan")), "Tiltak 1.1, felt net_cost_change_mnok.2026"),
    (_set("measures.0.net_cost_change_mnok.2026", float("inf")), "Tiltak 1.1, felt net_cost_change_mnok.2026"),
    (_set("measures.0.net_cost_change_mnok.2026", 1e30), "Tiltak 1.1, felt net_cost_change_mnok.2026"),
    (_set("measures.0.net_cost_change_mnok.2026", [1, 2]), "Tiltak 1.1, felt net_cost_change_mnok.2026"),
    (_set("measures.0.net_cost_change_mnok.2026", True), "Tiltak 1.1, felt net_cost_change_mnok.2026"),
    (_set("measures.0.net_cost_change_mnok", [-0.3]), "Tiltak 1.1, felt net_cost_change_mnok"),
    (_set("measures.0.net_cost_change_mnok", {"99999": -1}), "Tiltak 1.1, felt net_cost_change_mnok.99999"),
    (_set("measures.0.title", {"a": 1}), "Tiltak 1.1, felt title: må være tekst"),
    (_set("measures.0.title", "Tittel\x00med NUL"), "Tiltak 1.1, felt title: Teksten kan ikke inneholde NUL-tegn"),
    (_set("measures.0.title", "Tittel\tmed tab"), "Tiltak 1.1, felt title: Teksten kan ikke inneholde tabulator"),
    (_set("measures.0.title", "x" * 301), "Tiltak 1.1, felt title: Teksten kan ha høyst 300 tegn"),
    (_set("measures.0.problem", "halv\ud800"), "Tiltak 1.1, felt problem"),
    (_set("measures.0.problem", "x" * 20_001), "Tiltak 1.1, felt problem: Teksten kan ha høyst 20000 tegn"),
    (_set("measures.0.problem", 42), "Tiltak 1.1, felt problem: må være tekst"),
    (_set("measures.0.group", "x"), "Tiltak 1.1, felt group"),
    (_set("measures.0.group", True), "Tiltak 1.1, felt group"),
    (_set("measures.0.recommended_by_report", "ja"), "Tiltak 1.1, felt recommended_by_report"),
    (_set("measures.0.kpis", {"a": 1}), "Tiltak 1.1, felt kpis"),
    (_set("measures.0.kpis", ["ok", 7]), "Tiltak 1.1, felt kpis[2]"),
    (_set("measures.0.milestones", "x"), "Tiltak 1.1, felt milestones"),
    (_set("measures.0.milestones", [{"what": "Start", "due_date": "9999-12-31"}]), "felt milestones[1].due_date"),
    (_set("measures.0.milestones", [{"what": "Start", "due_date": 20261231}]), "felt milestones[1].due_date"),
    (_set("measures.0.milestones", [{"what": "x" * 2001}]), "felt milestones[1].what"),
    (_set("measures.0.milestones", [{"what": "Start", "when_text": ["høst"]}]), "felt milestones[1].when_text"),
    (_set("measures.0.report_table_27_mnok", [1, 2]), "felt report_table_27_mnok"),
    (_set("measures.0.report_table_27_mnok", {"2026": "mye"}), "felt report_table_27_mnok.2026"),
    (_set("measures.0.effect_type", 5), "Tiltak 1.1, felt effect_type"),
    (_set("measures.0.code", "1.1" * 200), "er ikke en tiltakskode"),
    (_set("measures", {"1.1": {}}), "Filen har ingen tiltak"),
    (_set("measures.0", "tiltak"), "Tiltak nr. 1 i filen: er ikke et objekt"),
    (_text_file("[]"), "forventet et JSON-objekt"),
    (_text_file('{"programme": NaN'), "Filen er ikke gyldig JSON"),
    (_text_file('{"a": 1' + "0" * 5000 + "}"), "et tall som ikke kan leses"),
    (_nested(200_000), "nestet for dypt"),
    (lambda _doc: b"\xff\xfe{\x00}\x00", "Filen er ikke UTF-8-tekst"),
]


def _json_bytes(w, change) -> bytes:
    doc = change(portfolio_document(w))
    if isinstance(doc, bytes):
        return doc
    text = doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=True)
    return text.encode("utf-8")


def test_the_valid_document_of_the_json_cases_is_accepted(base, db, client):
    response = client.post(
        "/portefolje/import",
        data={"file": (io.BytesIO(_json_bytes(base, lambda doc: doc)), "p.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "Importen er fullført" in response.get_data(as_text=True)


@pytest.mark.parametrize(("change", "expected"), JSON_CASES, ids=[c[1][:40] for c in JSON_CASES])
def test_a_bad_json_portfolio_is_refused_whole_on_the_web_and_the_command_line(
    change, expected, base, db, client, runner, tmp_path
):
    before = table_contents(db)
    data = _json_bytes(base, change)
    response = client.post(
        "/portefolje/import", data={"file": (io.BytesIO(data), "p.json")}, content_type="multipart/form-data"
    )
    assert_refused(response, expected, "web")
    path = tmp_path / "p.json"
    path.write_bytes(data)
    result = runner.invoke(args=["portfolio", "import", str(path)])
    assert result.exit_code == 1 and expected in result.output and "Traceback" not in result.output, result.output
    assert table_contents(db) == before


# --- Excel: the portfolio workbook and the figures workbook ----------------------------------------


def exported_workbook(w, tmp_path) -> str:
    path = tmp_path / "portefolje.xlsx"
    write_portfolio_workbook(w.measure.programme, queries.load_measures(w.measure.programme), path)
    return str(path)


def _cell(sheet: str, header_or_label: str, value, row_code: str = "1.1"):
    def change(workbook):
        rows = workbook[sheet]
        if sheet == "Program":
            for row in rows.iter_rows(min_row=2):
                if row[0].value == header_or_label:
                    row[1].value = value
            return
        headers = [cell.value for cell in rows[1]]
        for row in rows.iter_rows(min_row=2):
            if str(row[0].value) == row_code:
                row[headers.index(header_or_label)].value = value

    return change


def replaced(data: bytes, part: str, change) -> bytes:
    """The workbook with one part's content changed by `change(content)`."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            content = source.read(entry.filename)
            out.writestr(entry.filename, change(content) if entry.filename == part else content)
    return target.getvalue()


def truncated(data: bytes, part: str) -> bytes:
    """The workbook with one XML part cut in half (a download that broke off inside the sheet)."""
    return replaced(data, part, lambda content: content[: len(content) // 2])


EXCEL_CASES = [
    (_cell("Program", "Siste planår", 20_000_000), "programme.plan_period"),
    (_cell("Program", "Første planår", "tjuetjueseks"), "rad «Første planår»"),
    (_cell("Program", "Navn", "x" * 201), "programme.name"),
    (_cell("Tiltak", "Tittel", "x" * 301), "Tiltak 1.1, felt title: Teksten kan ha høyst 300 tegn"),
    (_cell("Tiltak", "Tittel", "to\nlinjer"), "Tiltak 1.1, felt title: Teksten kan ikke inneholde linjeskift"),
    (_cell("Tiltak", "Netto endring 2026 (mill. kr)", 1e30), "Tiltak 1.1, felt net_cost_change_mnok.2026"),
    (_cell("Tiltak", "Netto endring 2026 (mill. kr)", HUGE), "Tiltak 1.1, felt net_cost_change_mnok.2026"),
    (_cell("Tiltak", "Arbeidsgruppe", INT32), "Tiltak 1.1, felt group"),
    (_cell("Tiltak", "Anbefalt av rapporten", "kanskje"), "må være Ja eller Nei"),
    (_cell("Tiltak", "Problem", "x" * 20_001), "Tiltak 1.1, felt problem"),
    (_cell("Arbeidsgrupper", "Nummer", 2_147_483_648, row_code="1"), "Arbeidsgruppe nr. 1, felt number"),
    ("xl/worksheets/sheet1.xml", "Excel-filen er skadet"),
    ("xl/workbook.xml", "Excel-filen er skadet"),
]


def _excel_bytes(w, tmp_path, change) -> bytes:
    path = exported_workbook(w, tmp_path)
    if isinstance(change, str):
        with open(path, "rb") as handle:
            return truncated(handle.read(), change)
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("change", "expected"), EXCEL_CASES, ids=[c[1][:40] for c in EXCEL_CASES])
def test_a_bad_excel_portfolio_is_refused_whole_on_the_web_and_the_command_line(
    change, expected, base, db, client, runner, tmp_path
):
    data = _excel_bytes(base, tmp_path, change)
    before = table_contents(db)
    response = client.post(
        "/portefolje/import", data={"file": (io.BytesIO(data), "p.xlsx")}, content_type="multipart/form-data"
    )
    assert_refused(response, expected, "web")
    path = tmp_path / "bad.xlsx"
    path.write_bytes(data)
    result = runner.invoke(args=["portfolio", "import", str(path)])
    assert result.exit_code == 1 and expected in result.output and "Traceback" not in result.output, result.output
    assert table_contents(db) == before


FIGURE_HEADERS = (
    "Tiltak",
    "År",
    "Kvartal",
    "Realisert hittil i år (kr)",
    "Prognose helår (kr)",
    "Uttak budsjett (kr)",
    "Kommentar",
)
GOOD_ROW = ("1.1", 2026, 3, 0, 300_000, None, "")


def figures_workbook(rows) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(FIGURE_HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(**changes) -> list[tuple]:
    names = ("code", "year", "quarter", "realised", "forecast", "take_out", "comment")
    return [tuple(changes.get(name, value) for name, value in zip(names, GOOD_ROW, strict=True))]


FIGURE_CASES = [
    (_row(realised=2**63), "Realisert hittil i år (kr)"),
    (_row(realised=HUGE), "Realisert hittil i år (kr)"),
    (_row(forecast=1e30), "Prognose helår (kr)"),
    (_row(forecast="NaN"), "Prognose helår (kr)"),
    (_row(take_out=-(2**63)), "Uttak budsjett (kr)"),
    (_row(year=0), "må være et årstall mellom 1900 og 2100"),
    (_row(year=99999), "må være et årstall mellom 1900 og 2100"),
    (_row(year=1990), "utenfor programmets år"),
    (_row(year=2027, quarter=2), "har ikke begynt"),
    (_row(quarter=5), "må være 1-4"),
    (_row(quarter=INT32), "må være 1-4"),
    (_row(code="1.1" * 1000), "ukjent tiltakskode"),
    (_row(comment="x" * 4001), "Teksten kan ha høyst 4000 tegn"),
]


def _figures_bytes(case) -> bytes:
    return (
        truncated(figures_workbook([GOOD_ROW]), "xl/worksheets/sheet1.xml")
        if case == "truncated"
        else figures_workbook(case)
    )


@pytest.mark.parametrize(
    ("rows", "expected"),
    [*FIGURE_CASES, ("truncated", "Excel-filen er skadet")],
    ids=[*(c[1][:30] for c in FIGURE_CASES), "truncated xml"],
)
def test_a_bad_figures_file_is_refused_whole_on_the_web_and_the_command_line(
    rows, expected, base, db, client, runner, tmp_path
):
    data = _figures_bytes(rows)
    before = table_contents(db)
    response = client.post(
        "/gevinster/import", data={"file": (io.BytesIO(data), "tall.xlsx")}, content_type="multipart/form-data"
    )
    assert_refused(response, expected, "web")
    path = tmp_path / "tall.xlsx"
    path.write_bytes(data)
    result = runner.invoke(args=["benefits", "import", str(path)])
    assert result.exit_code == 1 and expected in result.output and "Traceback" not in result.output, result.output
    assert table_contents(db) == before


def _sheet_xml(count: int) -> bytes:
    """A figures sheet of `count` good rows, written as XML directly (openpyxl takes many seconds for 50 000).

    Each row's comment differs, so the file packs like a real one (a zip bomb's ratio is refused first).
    """
    cells = "".join(f'<c t="inlineStr"><is><t>{header}</t></is></c>' for header in FIGURE_HEADERS)
    row = (
        '<row><c t="inlineStr"><is><t>1.1</t></is></c><c><v>2026</v></c><c><v>3</v></c><c><v>0</v></c>'
        '<c><v>300000</v></c><c/><c t="inlineStr"><is><t>{comment:x}</t></is></c></row>'
    )
    rows = "".join(row.format(comment=number * 2654435761 % 2**32) for number in range(count))
    namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return f'<worksheet xmlns="{namespace}"><sheetData><row>{cells}</row>{rows}</sheetData></worksheet>'.encode()


def test_a_figures_file_of_50_000_rows_is_refused_on_the_web_without_reading_it_all(base, db, client):
    data = replaced(figures_workbook([GOOD_ROW]), "xl/worksheets/sheet1.xml", lambda _content: _sheet_xml(50_000))
    before = table_contents(db)
    response = client.post(
        "/gevinster/import", data={"file": (io.BytesIO(data), "tall.xlsx")}, content_type="multipart/form-data"
    )
    assert_refused(response, "flere enn 1000 rader", "web")
    assert table_contents(db) == before


def test_a_sheet_claiming_a_million_rows_and_columns_is_read_as_the_rows_it_has(base, db, client):
    claimed = b'<dimension ref="A1:XFD1048576"/><sheetData>'
    data = replaced(figures_workbook(_row(year=0)), "xl/worksheets/sheet1.xml", lambda xml: re_dimension(xml, claimed))
    before = table_contents(db)
    response = client.post(
        "/gevinster/import", data={"file": (io.BytesIO(data), "tall.xlsx")}, content_type="multipart/form-data"
    )
    assert_refused(response, "må være et årstall mellom 1900 og 2100", "web")
    assert table_contents(db) == before


def re_dimension(xml: bytes, replacement: bytes) -> bytes:
    """The sheet with its dimension (if any) and the start of its data replaced."""
    start = xml.find(b"<dimension")
    start = start if start >= 0 else xml.find(b"<sheetData")
    return xml[:start] + replacement + xml[xml.find(b"<sheetData>") + len(b"<sheetData>") :]


def test_a_portfolio_of_more_than_500_measures_is_refused_on_the_web_only(base, db, client):
    doc = portfolio_document(base)
    doc["measures"] = [{**doc["measures"][0], "code": f"1.{n}"} for n in range(1, 502)]
    before = table_contents(db)
    data = json.dumps(doc).encode()
    response = client.post(
        "/portefolje/import", data={"file": (io.BytesIO(data), "p.json")}, content_type="multipart/form-data"
    )
    assert_refused(response, "flere enn 500 tiltak", "web")
    assert table_contents(db) == before


# --- the command line --------------------------------------------------------------------------

CLI_CASES = [
    (["updates", "send-reminders", "--as-of", "9999-12-30"], "mellom 1900 og 2100"),
    (["updates", "send-reminders", "--as-of", "30.12.2026"], "ÅÅÅÅ-MM-DD"),
    (["reports", "generate-due", "--as-of", "9999-12-30"], "mellom 1900 og 2100"),
    (["reports", "generate-due", "--as-of", "0001-01-01"], "mellom 1900 og 2100"),
    (["measures", "show", "1.1", "--as-of", "9999-12-30"], "mellom 1900 og 2100"),
    (["measures", "show", "1.1\x00"], "NUL-tegn"),
    (["portfolio", "summary", "--programme", "Omstilling\x00"], "NUL-tegn"),
    (["portfolio", "export", "ut.xlsx", "--programme", "x" * 201], "høyst 200 tegn"),
    (["portfolio", "summary", "--as-of", "0000-Q1"], "mellom 1900 og 2100"),
    (["benefits", "export", "ut.xlsx", "--as-of", "9999-Q4"], "mellom 1900 og 2100"),
    (["periods", "close", "9999-Q4"], "mellom 1900 og 2100"),
    (["periods", "close", "2099-Q1"], "har ikke begynt"),
    (["updates", "create-round", "0000-Q1", "--deadline", "2026-12-31"], "mellom 1900 og 2100"),
    (["updates", "create-round", "1990-Q1", "--deadline", "2026-12-31"], "utenfor programmets år"),
    (["updates", "create-round", "2026-Q4", "--deadline", "31.12.9999"], "mellom 1900 og 2100"),
    (["reports", "build", "--period", "9999-Q4", "--audience", "amu", "--output", "r.pdf"], "mellom 1900 og 2100"),
    (
        ["users", "create", "--username", "ny\x00bruker", "--password", "et-langt-passord", "--role", "leser"],
        "NUL-tegn",
    ),
    (["users", "create", "--username", "x" * 81, "--password", "et-langt-passord", "--role", "leser"], "høyst 80 tegn"),
    (
        [
            "users",
            "create",
            "--username",
            "ny",
            "--password",
            "et-langt-passord",
            "--role",
            "leser",
            "--name",
            "\x1b[31m",
        ],
        "U+001B",
    ),
    (["users", "create", "--username", "ny", "--password", "et-langt\x00passord", "--role", "leser"], "NUL-tegn"),
]


@pytest.mark.parametrize(("args", "expected"), CLI_CASES, ids=[" ".join(c[0][:3]) + " " + c[1][:20] for c in CLI_CASES])
def test_bad_command_line_input_exits_with_a_norwegian_error(args, expected, base, db, runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = table_contents(db)
    result = runner.invoke(args=args)
    assert result.exit_code in (1, 2), (result.exit_code, result.output, result.exception)
    assert expected in result.output and "Traceback" not in result.output, result.output
    assert not (tmp_path / "ut.xlsx").exists() and not (tmp_path / "r.pdf").exists()
    assert table_contents(db) == before


def test_the_reports_stay_quick_and_marked_whatever_the_stored_text(base, db):
    """1 MB in the employees' consequences built AMU's report for five minutes; now it is cut, visibly."""
    base.measure.consequences_employees = "Lang tekst om ansatte. " * 45_000
    db.session.commit()
    rendered = reports.render_report(base.measure.programme, Q3, "amu")
    assert "… (forkortet)" in rendered.html
    assert len(rendered.html) < 400_000
