"""The API's read model: one query per list, filtered by the programme, whatever its size.

Each returns (record, measure code) pairs in the order of the measure's code, then the record's
own order, so pages follow each other in a stable order.
"""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.audit import services as audit
from tracker.audit.models import AuditEntry
from tracker.benefits.models import LaterForecast, QuarterlyFigure
from tracker.extensions import db
from tracker.kpis.models import Kpi
from tracker.milestones.models import Milestone
from tracker.portfolio.models import Measure, Programme, WorkGroup
from tracker.risks.models import OrgRiskAssessment, OrgRiskScore, RiskItem
from tracker.staff.models import EmployeeConsequence
from tracker.updates.models import StatusUpdate


def programmes() -> list[Programme]:
    return list(db.session.scalars(select(Programme).order_by(Programme.id)))


def groups(programme: Programme) -> list[WorkGroup]:
    query = select(WorkGroup).where(WorkGroup.programme_id == programme.id).order_by(WorkGroup.number)
    return list(db.session.scalars(query))


def _of_programme(model, programme: Programme, *order, options=()):
    """(record, code) of every record of `model` about a measure of the programme."""
    query = (
        select(model, Measure.code)
        .join(Measure, Measure.id == model.measure_id)
        .where(Measure.programme_id == programme.id)
        .options(*options)
        .order_by(Measure.sort_key, *order)
    )
    return list(db.session.execute(query).all())


def quarterly_figures(programme: Programme) -> list[tuple[QuarterlyFigure, str]]:
    return _of_programme(QuarterlyFigure, programme, QuarterlyFigure.year, QuarterlyFigure.quarter)


def later_forecasts(programme: Programme) -> list[tuple[LaterForecast, QuarterlyFigure, str]]:
    """Every later-year forecast with the report it was given in and the measure's code."""
    query = (
        select(LaterForecast, QuarterlyFigure, Measure.code)
        .join(QuarterlyFigure, QuarterlyFigure.id == LaterForecast.figure_id)
        .join(Measure, Measure.id == QuarterlyFigure.measure_id)
        .where(Measure.programme_id == programme.id)
        .order_by(Measure.sort_key, QuarterlyFigure.year, QuarterlyFigure.quarter, LaterForecast.year)
    )
    return [tuple(row) for row in db.session.execute(query)]


def submitted_updates(programme: Programme) -> list[tuple[StatusUpdate, str]]:
    """Submitted status updates only: a draft is the owner's until it is sent in."""
    rows = _of_programme(StatusUpdate, programme, StatusUpdate.year, StatusUpdate.quarter)
    return [(update, code) for update, code in rows if update.is_submitted]


def milestones(programme: Programme) -> list[tuple[Milestone, str]]:
    return _of_programme(Milestone, programme, Milestone.sort_order, Milestone.id)


def kpis(programme: Programme) -> list[tuple[Kpi, str]]:
    return _of_programme(Kpi, programme, Kpi.id, options=(selectinload(Kpi.measurements),))


def risk_assessments(programme: Programme) -> list[tuple[OrgRiskAssessment, str]]:
    return _of_programme(
        OrgRiskAssessment,
        programme,
        OrgRiskAssessment.assessed_date,
        OrgRiskAssessment.id,
        options=(selectinload(OrgRiskAssessment.scores).joinedload(OrgRiskScore.indicator),),
    )


def risk_items(programme: Programme) -> list[tuple[RiskItem, str]]:
    return _of_programme(RiskItem, programme, RiskItem.id)


def employee_consequences(programme: Programme) -> list[tuple[EmployeeConsequence, str]]:
    return _of_programme(EmployeeConsequence, programme, EmployeeConsequence.id)


def audit_entries(offset: int, limit: int | None) -> list[AuditEntry]:
    """The audit trail, newest first, one page read from the database (it only grows)."""
    query = audit.entries_query(audit.AuditFilter()).offset(offset)
    return list(db.session.scalars(query if limit is None else query.limit(limit)))


def measure_flags(programme: Programme) -> dict[int, dict[str, bool]]:
    """{measure id: the report's flags} (not in the portfolio's summary rows)."""
    query = select(
        Measure.id, Measure.is_recommended_by_report, Measure.has_significant_org_risk, Measure.adopted_variant
    ).where(Measure.programme_id == programme.id)
    return {
        measure_id: {
            "is_recommended_by_report": bool(recommended),
            "has_significant_org_risk": bool(risky),
            "adopted_variant": variant,
        }
        for measure_id, recommended, risky, variant in db.session.execute(query)
    }
