"""`flask demo load`: example adoption, owners and two quarters, marked "Eksempeldata" everywhere."""

import io
import json

import openpyxl
import pytest
from sqlalchemy import func, select

from tracker.benefits.models import QuarterlyFigure
from tracker.periods import Quarter
from tracker.portfolio.queries import default_programme

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4


def test_demo_load_adds_marked_example_data(elverum, runner, db, client, login, make_user):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "2026-Q3 og 2026-Q4" in result.output
    assert "eksempel-eier-1, engangspassord:" in result.output
    db.session.expire_all()
    assert default_programme().has_example_data is True
    reports = db.session.scalars(select(QuarterlyFigure)).all()
    assert {(f.year, f.quarter) for f in reports} == {(2026, 3), (2026, 4)}
    # The earlier quarter is approved, the latest is not, and some measures have not reported yet.
    assert all(f.is_approved for f in reports if f.quarter == 3)
    assert not any(f.is_approved for f in reports if f.quarter == 4)
    # Submitted example status updates for the earlier quarter give each measure a confidence.
    from tracker.updates.services import latest_confidence_by_measure

    levels = latest_confidence_by_measure(default_programme().id, Quarter(2026, 4))
    assert len(levels) == 42 and {"grønn", "rød"} <= set(levels.values())

    login(make_user("ledergruppe"))
    html = client.get("/gevinster/").get_data(as_text=True)
    assert "Eksempeldata" in html
    assert "Eksempeldata" in client.get("/portefolje/").get_data(as_text=True)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/gevinster/eksport.xlsx").data))["Per år"]
    assert sheet["A1"].value.startswith("Eksempeldata")
    summary = json.loads(runner.invoke(args=["portfolio", "summary", "--json"]).output)
    assert summary["has_example_data"] is True and summary["note"].startswith("Eksempeldata")
    assert summary["years"]["2026"]["realised_nok"] > 0


def test_demo_load_refuses_a_database_with_real_figures_or_earlier_example_data(elverum, runner, db):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code != 0 and "allerede lastet" in again.output

    programme = default_programme()
    programme.has_example_data = False
    db.session.commit()
    real = runner.invoke(args=["demo", "load"])
    assert real.exit_code != 0 and "innrapporterte tall" in real.output


def test_a_real_database_is_not_marked_and_has_no_progress(elverum, runner, db):
    summary = json.loads(runner.invoke(args=["portfolio", "summary", "--json"]).output)
    assert summary["has_example_data"] is False and "note" not in summary
    assert all(row["realised_nok"] == 0 for row in summary["years"].values())
    assert db.session.scalar(select(func.count()).select_from(QuarterlyFigure)) == 0


def test_demo_owners_one_time_password_must_be_changed_at_first_log_in(elverum, runner, client, login):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    password = result.output.split("eksempel-eier-1, engangspassord: ")[1].split()[0]

    response = login("eksempel-eier-1", password=password)

    assert response.status_code == 302 and response.location.endswith("/konto/passord")
    assert client.get("/gevinster/").location.endswith("/konto/passord")
