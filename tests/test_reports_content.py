"""What the reports say once the programme is followed up: figures, decisions, staff, risk, milestones."""

import io
from datetime import date
from decimal import Decimal

import pypdf
import pytest
from sqlalchemy import select

from tracker.accounts.permissions import SYSTEM
from tracker.database import utcnow
from tracker.periods import Quarter
from tracker.reports import services
from tracker.reports.collect import collect

Q3 = Quarter(2026, 3)


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    # Whitespace normalised: table cells wrap words onto several lines.
    return " ".join("\n".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture()
def followed_up(db, make_measure, make_figures):
    """Three adopted measures planning 4,1 + 2,5 + 0 mill. kr in 2026; 1.2 reported below plan, with a red
    update, staff consequences, risk and a milestone."""
    from tracker.milestones.models import Milestone
    from tracker.risks.models import OrgRiskAssessment, OrgRiskScore
    from tracker.risks.services import indicators
    from tracker.staff.models import EmployeeConsequence
    from tracker.updates.models import StatusUpdate

    make_measure("1.1", plan={2026: 4_100_000, 2027: 4_100_000}, status="vedtatt")
    measure = make_measure("1.2", plan={2026: 2_500_000, 2027: 7_100_000}, status="vedtatt")
    make_measure("2.2", plan={2026: 0, 2027: 9_100_000}, status="vedtatt")
    make_figures(measure, Q3, 1_200_000, 1_000_000, "Forsinket oppstart", "Ny framdriftsplan")
    db.session.add(
        StatusUpdate(
            measure_id=measure.id,
            year=2026,
            quarter=3,
            confidence="rød",
            progress="Høring gjennomført",
            decisions_needed="Kommunestyret må vedta ny skolestruktur",
            # Issue 14: a decision request names who decides; this one is for the politicians.
            decisions_audience="politikere",
            submitted_dt=utcnow(),
        )
    )
    db.session.add(
        EmployeeConsequence(
            measure_id=measure.id,
            affected_units="Skolene i sentrum",
            affected_employees=14,
            fte_change_planned=Decimal("-3.5"),
            fte_change_realised=Decimal("-1.0"),
            fte_by_attrition=Decimal("2.0"),
            fte_by_redeployment=Decimal("1.5"),
            fte_by_downsizing=Decimal("0"),
            union_consultation_date=date(2026, 9, 1),
            is_safety_rep_involved=True,
            work_env_assessment_date=date(2026, 9, 15),
            work_env_assessment_summary="ROS gjennomført",
        )
    )
    scores = {"ledelsesforankring": 2, "kapasitet": 5, "kompetanse": 3, "avhengigheter": 2, "medvirkning": 3}
    assessment = OrgRiskAssessment(measure_id=measure.id, assessed_date=date(2026, 9, 20))
    for indicator in indicators():
        assessment.scores.append(OrgRiskScore(indicator=indicator, score=scores[indicator.key]))
    db.session.add(assessment)
    db.session.add(
        Milestone(measure_id=measure.id, title="Drøftingsmøte om ny skolestruktur", due_date=date(2026, 12, 1))
    )
    db.session.commit()
    return measure.programme


def test_the_pdf_shows_the_same_figures_as_the_dashboard(followed_up):
    from tracker.benefits.programme import programme_figures

    snapshot = collect(followed_up, Q3, "politikere")
    dashboard = programme_figures(followed_up, Q3)
    assert [
        (y.year, y.planned_nok, y.forecast_nok, y.risk_adjusted_forecast_nok, y.realised_nok, y.realised_approved_nok)
        for y in snapshot.years
    ] == [
        (y.year, y.planned_nok, y.forecast_nok, y.risk_adjusted_forecast_nok, y.realised_nok, y.realised_approved_nok)
        for y in dashboard.years
    ]
    row_2026 = snapshot.year(2026)
    assert row_2026.realised_nok == 1_200_000
    # 2026 plan 6,6; 1.2 forecast 1,0 instead of its plan of 2,5 → 5,1.
    assert row_2026.planned_nok == 6_600_000
    assert row_2026.forecast_nok == row_2026.planned_nok - 1_500_000


def test_politicians_report_lists_deviation_decision_and_confidence(followed_up):
    text = text_of(services.render_report(followed_up, Q3, "politikere").pdf)
    assert "Forsinket oppstart" in text and "Ny framdriftsplan" in text
    assert "Kommunestyret må vedta ny skolestruktur" in text
    assert "Høring gjennomført" in text
    assert "1,5" in text  # the shortfall of 1.2 in mill. kr
    assert "5,1" in text  # the 2026 forecast


def test_confidence_distribution_counts_the_red_update(followed_up):
    snapshot = collect(followed_up, Q3, "politikere")
    counts = {row.label: row.count for row in snapshot.confidence_counts}
    assert counts["Rød"] == 1
    assert counts["Ingen statusrapport"] == 2


def test_amu_report_shows_consequences_risk_and_milestones_for_staff(followed_up):
    text = text_of(services.render_report(followed_up, Q3, "amu").pdf)
    for expected in (
        "Skolene i sentrum",
        "14",
        "-3,5",
        "-1,0",
        "Drøftet 01.09.2026",
        "15.09.2026: ROS gjennomført",
        "Kapasitet",
        "Høy",
        "3,00",
        "Drøftingsmøte om ny skolestruktur",
        "01.12.2026",
    ):
        assert expected in text, expected


def test_an_assessment_after_the_quarter_is_not_in_that_quarters_report(followed_up):
    snapshot = collect(followed_up, Quarter(2026, 2), "amu")
    assert snapshot.org_risks == ()


def test_the_report_tells_approved_from_unapproved_realised_figures(followed_up, db):
    from tracker.benefits.models import QuarterlyFigure
    from tracker.benefits.services import approve_figure
    from tracker.reports.render_pdf import render_pdf

    unapproved = collect(followed_up, Q3, "politikere").year(2026)
    assert (unapproved.realised_nok, unapproved.realised_approved_nok) == (1_200_000, 0)

    approve_figure(db.session.scalar(select(QuarterlyFigure)), SYSTEM)
    db.session.commit()
    snapshot = collect(followed_up, Q3, "politikere")
    assert snapshot.year(2026).realised_approved_nok == 1_200_000
    text = text_of(render_pdf(snapshot))
    assert "Herav godkjent" in text
    assert "1,2 1,2" in text  # 2026: realised 1,2, of which approved 1,2
