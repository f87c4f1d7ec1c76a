"""`flask demo load`: example adoption, owners and two quarters, marked "Eksempeldata" everywhere."""

import io
import json
import re

import openpyxl
import pytest
from sqlalchemy import func, select

from tracker.accounts.models import User
from tracker.benefits.models import QuarterlyFigure
from tracker.benefits.programme import programme_figures
from tracker.kpis.models import Kpi
from tracker.periods import Quarter
from tracker.portfolio.models import Measure, StatusChange
from tracker.portfolio.queries import default_programme
from tracker.risks import readiness
from tracker.risks.models import OrgRiskAssessment
from tracker.staff.models import EmployeeConsequence
from tracker.updates.models import ReportingRound, StatusUpdate

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
    # The example scenario adopts all but 4.2 and 5.8 (rejected): 2029's plan is the 88,1 menu less 5.8's 0,5
    # (4.2's menu is 0), 87,6 against the 40,0 target; in 2026 neither has a figure, so plan and menu are 26,0.
    shown = " ".join(re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ").split())
    assert "For 2029 er 0,0 av 40,0 mill. kr realisert; prognosen er 87,6 – 47,6 over målet" in shown
    assert "Vedtatt: 87,6 mill. kr · Meny: 88,1 mill. kr." in shown
    assert re.search(r"For 2026 er 19,5 av 26,0 mill\. kr realisert; prognosen er [\d,]+ – [\d,]+ under planen", shown)
    assert "Vedtatt: 26,0 mill. kr · Meny: 26,0 mill. kr." in shown
    # The honest risk adjustment never goes below what is realised.
    year = programme_figures(default_programme(), Quarter(2026, 4)).year(2026)
    assert year.risk_adjusted_forecast_nok >= year.realised_nok == 19_500_000
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


def test_demo_follow_up_is_rich_marked_and_ready_by_section_4_2(elverum, runner, db, client, login, make_user):
    """Risk scores, consequences, KPIs with measurements, the latest quarter's updates with a decision asked for,
    owners with e-mail but one (shown on the round page), and decisions with who registered them."""
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "risikovurderinger" in result.output and "eksempel-ledergruppe, engangspassord:" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(OrgRiskAssessment)) > 10
    assert db.session.scalar(select(func.count()).select_from(EmployeeConsequence)) > 5
    kpis = db.session.scalars(select(Kpi)).all()
    assert kpis and all(len(kpi.measurements) == 2 for kpi in kpis)
    latest = db.session.scalars(select(StatusUpdate).where(StatusUpdate.quarter == 4)).all()
    assert latest and any("Eksempeldata" in update.decisions_needed for update in latest)
    started = db.session.scalars(select(Measure).where(Measure.status == "under gjennomføring")).all()
    assert started and all(readiness.readiness(measure).is_ready for measure in started)
    assert all(measure.affected_units for measure in started)
    assert (
        db.session.scalar(select(func.count()).select_from(StatusChange).where(StatusChange.changed_by_id.is_(None)))
        == 0
    )
    owners = db.session.scalars(select(User).where(User.username.like("eksempel-eier-%"))).all()
    assert [owner.username for owner in owners if not owner.email] == ["eksempel-eier-5"]

    login(make_user("ledergruppe"))
    reporting_round = db.session.scalar(select(ReportingRound))
    page = client.get(f"/oppfolging/runder/{reporting_round.id}").get_data(as_text=True)
    assert "Får ikke påminnelse" in page and "Eksempel-eier, gruppe 5 (mangler e-postadresse" in page
    risk = client.get("/oppfolging/risiko").get_data(as_text=True)
    assert "Over grensen" in risk and "Ikke vurdert:" in risk
    measure_page = client.get(f"/portefolje/tiltak/{started[0].id}").get_data(as_text=True)
    assert "Eksempel-leder, ledergruppa" in measure_page
