"""Budget alternatives with two programmes: each programme has its own, on the pages (the chosen
programme) and on the command line (`--programme`, default the current one); a closed programme's
alternatives are read, never written."""

import json

import pytest
from sqlalchemy import func, select

from tracker.accounts.permissions import SYSTEM
from tracker.errors import ReadOnlyError
from tracker.portfolio import programmes
from tracker.scenarios import queries
from tracker.scenarios import services as scenarios
from tracker.scenarios.models import MeasureVariant, Scenario, ScenarioChoice

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4

CLOSED = "Programmet «Omstilling test» er avsluttet og kan bare leses."


def cli(runner, *args):
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


def savings(document: dict) -> dict[str, int]:
    return {year: row["savings_nok"] for year, row in document["years"].items()}


@pytest.fixture()
def admin(make_user):
    return make_user("admin", "controller")


@pytest.fixture()
def alternatives(two_programmes, db):
    """A scenario «Alternativ A» of measure 1.1 in each programme: the same name and code, other measures."""
    for programme in (two_programmes["first"], two_programmes["next"]):
        scenarios.create_scenario(programme, "Alternativ A", "1.1", SYSTEM)
    db.session.commit()
    return two_programmes


def test_the_command_line_works_on_the_default_programme_or_the_one_named(two_programmes, runner):
    # Without --programme: the newest open one, Omstilling 2027, where 1.1 saves 500 000 in 2027, 700 000 in 2030.
    created = cli(runner, "scenarios", "create", "Alternativ A", "--measures", "1.1,3.1")
    assert "Budsjettalternativet «Alternativ A» er laget med 2 tiltak." in created.stdout
    assert "Program: «Omstilling 2027» (standard; velg et annet med --programme)." in created.stderr
    shown = json.loads(cli(runner, "scenarios", "show", "Alternativ A", "--json").stdout)
    assert shown["measures"] == ["1.1", "3.1"]
    assert savings(shown) == {"2027": 750_000, "2028": 0, "2029": 0, "2030": 700_000}

    # The same name and code in Omstilling test, by name and by id: 300 000 in 2026, 600 000 in 2029.
    first = two_programmes["first"]
    cli(runner, "scenarios", "create", "Alternativ A", "--measures", "1.1", "--programme", "Omstilling test")
    shown = json.loads(cli(runner, "scenarios", "show", "Alternativ A", "--json", "--programme", str(first.id)).stdout)
    assert shown["measures"] == ["1.1"]
    assert savings(shown) == {"2026": 300_000, "2027": 0, "2028": 0, "2029": 600_000}
    listed = json.loads(cli(runner, "scenarios", "list", "--json", "--programme", "Omstilling test").stdout)
    assert [row["name"] for row in listed] == ["Alternativ A"]


def test_the_command_line_refuses_an_unknown_programme_in_norwegian(two_programmes, runner, db):
    result = runner.invoke(args=["scenarios", "create", "X", "--measures", "1.1", "--programme", "Omstilling 2099"])
    assert result.exit_code == 2 and "Fant ikke programmet «Omstilling 2099» (oppgi id eller navn)." in result.output
    assert db.session.scalar(select(func.count()).select_from(Scenario)) == 0


def test_the_pages_list_the_chosen_programmes_alternatives(alternatives, admin, client, login):
    first, following = alternatives["first"], alternatives["next"]
    login(admin)
    index = client.get("/budsjettalternativer/").get_data(as_text=True)
    shown = queries.by_name(following, "Alternativ A")
    assert f'href="/budsjettalternativer/{shown.id}"' in index
    assert f'href="/budsjettalternativer/{queries.by_name(first, "Alternativ A").id}"' not in index

    client.post("/programmer/velg", data={"programme_id": str(first.id)})
    index = client.get("/budsjettalternativer/").get_data(as_text=True)
    assert f'href="/budsjettalternativer/{queries.by_name(first, "Alternativ A").id}"' in index
    assert f'href="/budsjettalternativer/{shown.id}"' not in index


def test_an_existing_alternative_is_edited_in_its_own_programme(alternatives, admin, client, login):
    """The user works on Omstilling 2027; the form of Omstilling test's alternative lists that programme's measures."""
    login(admin)
    scenario = queries.by_name(alternatives["first"], "Alternativ A")
    form = client.get(f"/budsjettalternativer/{scenario.id}/endre").get_data(as_text=True)
    assert "Skolestruktur" in form and "Færre institusjonsplasser" in form
    assert "Digital hjemmetjeneste" not in form


@pytest.fixture()
def closed(alternatives, admin, db):
    programmes.set_closed(admin, alternatives["first"], True)
    db.session.commit()
    return alternatives


def test_a_closed_programmes_alternatives_are_read_but_offer_no_changes(closed, admin, client, login):
    login(admin)
    client.post("/programmer/velg", data={"programme_id": str(closed["first"].id)})
    scenario = queries.by_name(closed["first"], "Alternativ A")
    index = client.get("/budsjettalternativer/").get_data(as_text=True)
    assert "Alternativ A" in index and "Lag et nytt budsjettalternativ" not in index
    page = client.get(f"/budsjettalternativer/{scenario.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-figure="scenario-2029-savings_nok" data-value="600000"' in html
    assert "Registrer vedtaket" not in html and "Endre utvalget" not in html


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/budsjettalternativer/nytt", None),
        ("/budsjettalternativer/{scenario}/endre", None),
        ("/budsjettalternativer/{scenario}/vedta", {"decision_reference": "KS-sak 1/27", "decided_date": "01.12.2026"}),
        ("/budsjettalternativer/{scenario}/slett", {}),
        ("/budsjettalternativer/tiltak/{measure}/alternativer", None),
        ("/budsjettalternativer/tiltak/{measure}/arsverk", None),
    ],
)
def test_every_scenario_write_of_a_closed_programme_is_refused_on_the_pages(
    closed, admin, client, login, db, path, data
):
    scenario = queries.by_name(closed["first"], "Alternativ A")
    measure = closed["measures"][("Omstilling test", "1.1")]
    login(admin)
    client.post("/programmer/velg", data={"programme_id": str(closed["first"].id)})
    url = path.format(scenario=scenario.id, measure=measure.id)
    response = client.get(url) if data is None else client.post(url, data={"version": scenario.version, **data})
    assert response.status_code == 403 and CLOSED in response.get_data(as_text=True)
    db.session.expire_all()
    assert (scenario.adopted_dt, scenario.version) == (None, 1)


@pytest.mark.parametrize(
    "args",
    [
        ["scenarios", "create", "Alternativ B", "--measures", "1.1"],
        ["scenarios", "adopt", "Alternativ A", "--decision", "KS-sak 1/27", "--date", "2026-12-01"],
        ["scenarios", "delete", "Alternativ A"],
        ["scenarios", "set-variant", "1.1:alt1", "--title", "Alt. 1", "--savings", "2026=100000"],
        ["scenarios", "set-fte", "1.1", "--fte", "2026=-1"],
    ],
)
def test_every_scenario_command_on_a_closed_programme_is_refused(closed, runner, db, args):
    result = runner.invoke(args=[*args, "--programme", "Omstilling test"])
    assert result.exit_code == 1 and CLOSED in result.output
    assert db.session.scalar(select(func.count()).select_from(Scenario)) == 2
    assert db.session.scalar(select(func.count()).select_from(MeasureVariant)) == 0
    # Reading it still works.
    shown = json.loads(
        cli(runner, "scenarios", "show", "Alternativ A", "--json", "--programme", "Omstilling test").stdout
    )
    assert shown["adopted"] is None and savings(shown)["2029"] == 600_000


def test_the_flush_guard_stops_a_scenario_write_that_skips_the_services(closed, db):
    scenario = queries.by_name(closed["first"], "Alternativ A")
    other = closed["measures"][("Omstilling test", "2.1")]
    scenario.choices.append(ScenarioChoice(measure=other, variant_key=""))
    with pytest.raises(ReadOnlyError, match="avsluttet og kan bare leses"):
        db.session.flush()
    db.session.rollback()
    # The open programme's alternative takes the same change.
    open_one = queries.by_name(closed["next"], "Alternativ A")
    open_one.choices.append(ScenarioChoice(measure=closed["measures"][("Omstilling 2027", "3.1")], variant_key=""))
    db.session.commit()
    assert sorted(choice.code for choice in open_one.choices) == ["1.1", "3.1"]
