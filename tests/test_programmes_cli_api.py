"""Two programmes through the API and the command line: the default, an explicit programme, and the
same measure code in both."""

import json

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from tracker.portfolio import programmes
from tracker.portfolio.models import Measure
from tracker.portfolio.queries import current_programme, default_programme

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4

NOTE = "Program: «Omstilling 2027» (standard; velg et annet med --programme)."


def _rows(client, token: str, path: str) -> list[dict]:
    response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_the_resolver_takes_a_key_then_the_users_choice_then_the_newest_open(two_programmes, make_user, db):
    first, following = two_programmes["first"], two_programmes["next"]
    reader = make_user("leser")
    assert default_programme() == current_programme(reader) == current_programme() == following
    programmes.choose_programme(reader, first)
    db.session.commit()
    assert current_programme(reader) == first
    assert current_programme(reader, "Omstilling 2027") == current_programme(reader, str(following.id)) == following
    assert current_programme(reader, "Finnes ikke") is None and current_programme(reader, "99999999999") is None
    # Closing the newest makes the other one the default; a choice of a closed programme is kept.
    programmes.set_closed(make_user("admin"), following, True)
    db.session.commit()
    assert default_programme() == first
    programmes.choose_programme(reader, following)
    assert current_programme(reader) == following


def test_the_api_follows_the_programme_chosen_in_the_web(two_programmes, make_user, make_api_token, client, db):
    first = two_programmes["first"]
    chooser, other = make_user("ledergruppe"), make_user("ledergruppe")
    programmes.choose_programme(chooser, first)
    db.session.commit()
    chooser_token, other_token = make_api_token(chooser), make_api_token(other)

    rows = _rows(client, chooser_token, "/api/v1/measure-years?year=2026")
    assert sorted((row["code"], row["title"], row["planned_nok"]) for row in rows) == [
        ("1.1", "Skolestruktur", 300_000),
        ("2.1", "Færre institusjonsplasser", 200_000),
    ]
    listed = _rows(client, chooser_token, "/api/v1/programmes")
    assert [(row["name"], row["is_default"]) for row in listed] == [
        ("Omstilling test", True),
        ("Omstilling 2027", False),
    ]

    rows = _rows(client, other_token, "/api/v1/measure-years?year=2027")
    assert sorted((row["code"], row["title"], row["planned_nok"]) for row in rows) == [
        ("1.1", "Digital hjemmetjeneste", 500_000),
        ("3.1", "Samlokalisering av verksteder", 250_000),
    ]
    # ?programme= wins over the choice, by name or id.
    by_name = _rows(client, chooser_token, "/api/v1/measures?programme=Omstilling 2027")
    by_id = _rows(client, chooser_token, f"/api/v1/measures?programme={two_programmes['next'].id}")
    assert by_name == by_id and sorted(row["title"] for row in by_id) == [
        "Digital hjemmetjeneste",
        "Samlokalisering av verksteder",
    ]
    summary = _rows(client, chooser_token, "/api/v1/summary")
    by_year = {row["year"]: row["planned_savings_nok"] for row in summary if row["scope"] == "programme"}
    assert (by_year[2026], by_year[2029]) == (500_000, 600_000)


def test_measures_show_uses_the_default_programme_and_says_which(two_programmes, runner):
    result = runner.invoke(args=["measures", "show", "1.1", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "Digital hjemmetjeneste"
    assert result.stderr.strip() == NOTE

    for key in ("Omstilling test", str(two_programmes["first"].id)):
        result = runner.invoke(args=["measures", "show", "1.1", "--json", "--programme", key])
        assert result.exit_code == 0 and result.stderr == ""
        assert json.loads(result.stdout)["title"] == "Skolestruktur"

    missing = runner.invoke(args=["measures", "show", "2.1"])
    assert missing.exit_code == 1 and "Fant ikke tiltak 2.1 i programmet «Omstilling 2027»." in missing.output
    unknown = runner.invoke(args=["measures", "show", "1.1", "--programme", "Finnes ikke"])
    assert unknown.exit_code == 2 and "Fant ikke programmet «Finnes ikke» (oppgi id eller navn)." in unknown.output


def test_portfolio_summary_takes_the_default_or_the_named_programme(two_programmes, runner):
    default = runner.invoke(args=["portfolio", "summary", "--json"])
    assert json.loads(default.stdout)["programme"] == "Omstilling 2027" and default.stderr.strip() == NOTE
    years = json.loads(default.stdout)["years"]
    assert (years["2027"]["planned_savings_nok"], years["2030"]["planned_savings_nok"]) == (750_000, 700_000)
    assert years["2030"]["target_nok"] == 1_000_000

    named = runner.invoke(args=["portfolio", "summary", "--json", "--programme", "Omstilling test"])
    years = json.loads(named.stdout)["years"]
    assert (years["2026"]["planned_savings_nok"], years["2029"]["planned_savings_nok"]) == (500_000, 600_000)


def test_one_programme_needs_no_option_and_no_note(make_measure, runner):
    make_measure("1.1", {2026: 100_000}, title="Eneste")
    result = runner.invoke(args=["measures", "show", "1.1", "--json"])
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)["title"] == "Eneste"


def test_a_code_is_unique_within_a_programme_not_across(two_programmes, db):
    first, following = two_programmes["first"], two_programmes["next"]
    same_code = db.session.scalars(select(Measure.programme_id).where(Measure.code == "1.1")).all()
    assert sorted(same_code) == sorted([first.id, following.id])

    group = first.groups[0]
    db.session.add(Measure(programme=first, group=group, code="1.1", title="Dobbelt", sort_key="0001.0001"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
