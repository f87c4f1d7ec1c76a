"""Issue 11's records under main's rules: versions and conflict pages, bounded input, and a cache that
follows the calendar as well as the data ("prognose i fare" turns on the day a milestone is late)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.test_benefits_import import workbook_bytes
from tracker.accounts.permissions import SYSTEM
from tracker.benefits.importing import FiguresImportError, import_figures
from tracker.errors import EditConflict
from tracker.periods import Quarter
from tracker.portfolio import targets
from tracker.portfolio.models import Measure, MenuEffect
from tracker.portfolio.status import VEDTATT
from tracker.scenarios import queries, services, variants
from tracker.scenarios.services import ScenarioError

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4
Q4 = Quarter(2026, 4)


@pytest.fixture()
def admin(make_user):
    return make_user("admin")


def _version_in(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="([^"]*)"', html).group(1)


# --- versions: a save made from an older version is a conflict, never a silent overwrite -----------


def test_a_scenario_changed_since_the_form_opened_is_a_conflict_page(make_measure, client, login, admin, db):
    measure = make_measure("1.1", plan={2026: 1_000_000})
    scenario = services.create_scenario(measure.programme, "A", "1.1", SYSTEM)
    db.session.commit()
    login(admin)
    opened = client.get(f"/budsjettalternativer/{scenario.id}/endre").get_data(as_text=True)
    assert _version_in(opened) == "1"
    services.update_scenario(scenario, "A (revidert)", "1.1", "Ny beskrivelse", SYSTEM)  # someone else saves
    db.session.commit()
    field = f"m_{measure.id}"
    data = {"version": "1", "name": "A", "description": "Min", field: "*"}
    response = client.post(f"/budsjettalternativer/{scenario.id}/endre", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Noen andre har lagret endringer" in page and "A (revidert)" in page
    db.session.expire_all()
    assert queries.by_name(measure.programme, "A (revidert)") is not None
    assert _version_in(page) == "2" == str(scenario.version)  # one change, one version; sending again replaces it


def test_a_scenario_is_adopted_only_as_it_was_shown(make_measure, client, login, admin, db):
    make_measure("1.1", plan={2026: 1_000_000})
    measure = make_measure("1.2", plan={2026: 500_000})
    scenario = services.create_scenario(measure.programme, "A", "1.1", SYSTEM)
    db.session.commit()
    login(admin)
    shown = client.get(f"/budsjettalternativer/{scenario.id}").get_data(as_text=True)
    services.update_scenario(scenario, "A", "1.1,1.2", "", SYSTEM)
    db.session.commit()
    decision = {"version": _version_in(shown), "decision_reference": "KS-sak 100/25", "decided_date": "15.12.2025"}
    response = client.post(f"/budsjettalternativer/{scenario.id}/vedta", data=decision, follow_redirects=True)
    assert "endret etter at du åpnet siden" in response.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(type(scenario), scenario.id).is_adopted
    assert db.session.scalar(select(Measure.status).where(Measure.code == "1.1")) == "utredet"


def test_a_target_changed_since_the_form_opened_is_a_conflict_page(make_measure, client, login, admin, db):
    programme = make_measure("1.1", plan={2026: 1_000_000}).programme
    login(admin)
    opened = client.get("/gevinster/mal").get_data(as_text=True)
    assert "program-2029=1" in _version_in(opened).split()
    targets.set_target(programme, 2029, 2_500_000, "Revidert økonomiplan", SYSTEM)
    db.session.commit()
    data = {"version": "program-2029=1", "scope": "program", "year": "2029", "amount": "3 000 000", "reason": "HØP"}
    response = client.post("/gevinster/mal", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Noen andre har lagret endringer" in page and re.search(r"<td>2\s500\s000</td><td>3\s000\s000</td>", page)
    assert "program-2029=2" in _version_in(page).split()
    db.session.expire_all()
    assert programme.target_for(2029) == 2_500_000
    # A first target for a year nobody has set is version 0.
    data |= {"version": "program-2027=0", "year": "2027"}
    assert client.post("/gevinster/mal", data=data).status_code == 302


def test_a_variant_or_arsverk_from_an_older_version_of_the_measure_is_a_conflict(
    make_measure, client, login, admin, db
):
    measure = make_measure("1.2", plan={2026: 1_000_000})
    login(admin)
    opened = _version_in(client.get(f"/budsjettalternativer/tiltak/{measure.id}/alternativer").get_data(as_text=True))
    variants.set_fte_change(measure, {2026: Decimal("-1.5")}, SYSTEM, measure.version)  # someone else saves
    db.session.commit()
    data = {"version": opened, "key": "alt1", "title": "Sørskogbygda", "saving_2026": "600 000"}
    assert client.post(f"/budsjettalternativer/tiltak/{measure.id}/alternativer", data=data).status_code == 409
    stale = {"version": opened, "fte_2026": "-2"}
    assert client.post(f"/budsjettalternativer/tiltak/{measure.id}/arsverk", data=stale).status_code == 409


def test_quarterly_figures_with_later_forecasts_keep_the_figures_version(make_measure, make_user, client, login, db):
    owner = make_user("tiltaksansvarlig")
    measure = make_measure("1.1", plan=dict.fromkeys(range(2026, 2030), 1_000_000), status=VEDTATT, owner=owner)
    login(owner)
    url = f"/gevinster/tiltak/{measure.id}/kvartal/{Q4.key}"
    data = {"version": "0", "realised": "200 000", "forecast": "1 000 000", "forecast_2027": "1 000 000"}
    assert client.post(url, data=data).status_code == 302
    again = data | {"forecast_2027": "1 100 000"}  # sent from the form as it was before the first save
    assert client.post(url, data=again).status_code == 409


# --- bounded input: Norwegian refusals, nothing stored ---------------------------------------------------


@pytest.mark.parametrize(
    ("savings", "fte", "message"),
    [
        ({2031: 1_000_000}, {}, "2031 er utenfor planperioden"),
        ({2026: 10**13}, {}, "er utenfor det tillatte"),
        ({2026: 1_000_000}, {2026: Decimal("250000")}, "årsverk"),
    ],
)
def test_variants_take_only_years_of_the_plan_and_sane_figures(make_measure, savings, fte, message, db):
    measure = make_measure("1.2", plan={2026: 1_000_000})
    with pytest.raises(ScenarioError) as refused:
        variants.set_variant(measure, "alt1", "Sørskogbygda", savings, fte, SYSTEM)
    assert message in str(refused.value) or message in str(refused.value.errors_by_field)
    db.session.rollback()
    assert queries.variants_of(measure) == []


def test_scenario_texts_are_checked_like_every_other_text(make_measure):
    programme = make_measure("1.1", plan={2026: 1_000_000}).programme
    with pytest.raises(ScenarioError) as refused:
        services.create_scenario(programme, "A\x00B", "1.1", SYSTEM)
    assert "name" in refused.value.errors_by_field
    with pytest.raises(ScenarioError):
        services.create_scenario(programme, "A" * 201, "1.1", SYSTEM)


def test_the_arsverk_form_refuses_a_number_beyond_any_municipality(make_measure, client, login, admin, db):
    measure = make_measure("1.2", plan={2026: 1_000_000})
    login(admin)
    data = {"version": str(measure.version), "fte_2026": "1 000 000"}
    response = client.post(f"/budsjettalternativer/tiltak/{measure.id}/arsverk", data=data)
    assert response.status_code == 400
    assert db.session.scalar(select(MenuEffect.fte_change).where(MenuEffect.measure_id == measure.id)) is None


@pytest.mark.parametrize(
    ("later_header", "value", "message"),
    [
        ("Prognose 2027 (kr)", 10**13, "«Prognose 2027 (kr)»"),
        ("Prognose 2031 (kr)", 1_000_000, "Prognose for 2031 kan ikke gis her"),
        ("Prognose 2027 (kr)", "mye", "er ikke et helt kronebeløp («mye»)"),
    ],
)
def test_later_year_and_one_off_columns_go_through_the_strict_import(make_measure, later_header, value, message):
    measure = make_measure("1.1", plan=dict.fromkeys(range(2026, 2030), 1_000_000), status=VEDTATT)
    headers = ["Tiltak", "År", "Kvartal", "Realisert hittil i år (kr)", "Prognose helår (kr)", later_header]
    with pytest.raises(FiguresImportError) as refused:
        import_figures(measure.programme, workbook_bytes([["1.1", 2026, 4, 0, 1_000_000, value]], headers), SYSTEM)
    assert any(message in line for line in refused.value.messages), refused.value.messages


def test_a_one_off_part_larger_than_realised_is_refused_by_the_import(make_measure):
    measure = make_measure("1.1", plan={2026: 1_000_000}, status=VEDTATT)
    headers = [
        "Tiltak",
        "År",
        "Kvartal",
        "Realisert hittil i år (kr)",
        "Prognose helår (kr)",
        "Herav engangseffekt (kr)",
    ]
    with pytest.raises(FiguresImportError) as refused:
        import_figures(
            measure.programme, workbook_bytes([["1.1", 2026, 4, 100_000, 1_000_000, 200_000]], headers), SYSTEM
        )
    assert "Rad 2" in refused.value.messages[0] and "«Herav engangseffekt (kr)»" in refused.value.messages[0]


# --- the cache follows the calendar: a milestone late from tomorrow is "i fare" tomorrow --------------


def test_prognose_i_fare_turns_on_the_day_the_milestone_is_late_without_any_write(
    make_measure, make_user, client, login, clock
):
    make_measure(
        "1.1",
        plan={2027: 1_000_000},
        status=VEDTATT,
        milestones=[{"what": "Avtale signert", "due_date": "2026-11-24"}],
    )
    login(make_user("ledergruppe"))
    assert "Avtale signert" not in client.get("/gevinster/").get_data(as_text=True)  # due tomorrow: on time
    clock.set(date(2026, 11, 25))
    assert "Milepælen «Avtale signert» er forsinket (frist 24.11.2026)." in client.get("/gevinster/").get_data(
        as_text=True
    )


def test_a_conflict_leaves_no_half_adopted_scenario(make_measure, db):
    make_measure("1.1", plan={2026: 1_000_000})
    measure = make_measure("1.2", plan={2026: 500_000})
    scenario = services.create_scenario(measure.programme, "A", "1.1,1.2", SYSTEM)
    db.session.commit()
    with pytest.raises(EditConflict):
        services.adopt_scenario(scenario, "KS-sak 100/25", date(2025, 12, 15), SYSTEM, seen_version=0)
    db.session.rollback()
    assert set(db.session.scalars(select(Measure.status))) == {"utredet"}


@pytest.mark.parametrize(
    "args",
    [
        ["scenarios", "show", "A\x00B"],
        ["scenarios", "set-fte", "1.1\x07", "--fte", "2026=-1"],
        ["scenarios", "set-fte", "1.1", "--fte", "99999=-1"],
        ["scenarios", "create", "B\x1bC", "--measures", "1.1"],
    ],
)
def test_the_command_line_refuses_control_characters_and_odd_years_in_norwegian(make_measure, runner, args):
    make_measure("1.1", plan={2026: 1_000_000})
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert any(word in result.output for word in ("kontrolltegn", "tegn", "utenfor planperioden")), result.output
    assert "Traceback" not in result.output


def test_a_scenario_changed_since_the_page_opened_is_not_deleted(make_measure, client, login, admin, db):
    measure = make_measure("1.1", plan={2026: 1_000_000})
    scenario = services.create_scenario(measure.programme, "A", "1.1", SYSTEM)
    db.session.commit()
    scenario_id = scenario.id
    login(admin)
    shown = client.get(f"/budsjettalternativer/{scenario_id}").get_data(as_text=True)
    delete_form = shown[shown.index(f'action="/budsjettalternativer/{scenario_id}/slett"') :]
    assert _version_in(delete_form) == "1"
    services.update_scenario(scenario, "A (revidert)", "1.1", "Ny beskrivelse", SYSTEM)  # someone else saves
    db.session.commit()
    refused = client.post(f"/budsjettalternativer/{scenario_id}/slett", data={"version": "1"}, follow_redirects=True)
    assert "Noen andre har endret budsjettalternativet" in refused.get_data(as_text=True)
    assert "A (revidert)" in refused.get_data(as_text=True)  # back on the scenario, as it is now
    db.session.expire_all()
    assert queries.by_name(measure.programme, "A (revidert)") is not None
    deleted = client.post(f"/budsjettalternativer/{scenario_id}/slett", data={"version": "2"}, follow_redirects=True)
    assert "Budsjettalternativet er slettet." in deleted.get_data(as_text=True)
    db.session.expire_all()
    assert queries.by_name(measure.programme, "A (revidert)") is None
