"""The quarter's end in the database: measures' statuses then, KPI values then, and what is left out.

Read-only queries for tracker.reports.collect; the rules are in tracker.reports.asof.
"""

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.benefits.models import QuarterlyFigure
from tracker.extensions import db
from tracker.kpis import rules as kpi_rules
from tracker.kpis.models import Kpi, KpiMeasurement
from tracker.milestones.models import Milestone
from tracker.money import format_decimal
from tracker.periods import Quarter
from tracker.portfolio.models import Measure, Programme, StatusChange
from tracker.portfolio.status import INITIAL_STATUS
from tracker.reports.asof import Decision, status_on
from tracker.reports.snapshot import CountRow, KpiRow
from tracker.risks.models import OrgRiskAssessment
from tracker.staff.models import EmployeeConsequence
from tracker.updates.models import StatusUpdate


def statuses_at_end(programme: Programme, current: dict[int, str], period: Quarter) -> dict[int, str]:
    """{measure id: its status on the quarter's last day}, undoing decisions dated after it."""
    query = (
        select(StatusChange.measure_id, StatusChange.decided_date, StatusChange.from_status, StatusChange.to_status)
        .join(Measure, Measure.id == StatusChange.measure_id)
        .where(Measure.programme_id == programme.id, StatusChange.decided_date > period.end_date)
        .order_by(StatusChange.decided_date, StatusChange.id)
    )
    later: dict[int, list[Decision]] = {}
    for measure_id, day, old, new in db.session.execute(query):
        later.setdefault(measure_id, []).append(Decision(day, old, new))
    return {
        measure_id: status_on(status, later.get(measure_id, ()), period.end_date, INITIAL_STATUS)
        for measure_id, status in current.items()
    }


def _count(query) -> int:
    return db.session.scalar(query) or 0


def _of_programme(query, programme: Programme, measure_column):
    return query.join(Measure, Measure.id == measure_column).where(Measure.programme_id == programme.id)


def left_out(programme: Programme, period: Quarter) -> tuple[CountRow, ...]:
    """How many records of each kind are dated after the quarter's end (or about a later quarter)."""
    end, later = period.end_date, (period.year * 10 + period.number)
    count = func.count()

    def about_later(model):
        return model.year * 10 + model.quarter > later

    # (what, the records' model, the condition that puts a record after the quarter)
    kinds = (
        ("vedtak om status", StatusChange, StatusChange.decided_date > end),
        ("kvartalstall", QuarterlyFigure, about_later(QuarterlyFigure)),
        ("statusrapporter", StatusUpdate, about_later(StatusUpdate)),
        ("drøftinger med tillitsvalgte", EmployeeConsequence, EmployeeConsequence.union_consultation_date > end),
        (
            "risikovurderinger av arbeidsmiljøet",
            EmployeeConsequence,
            EmployeeConsequence.work_env_assessment_date > end,
        ),
        ("organisatoriske risikovurderinger", OrgRiskAssessment, OrgRiskAssessment.assessed_date > end),
        ("fullførte milepæler", Milestone, Milestone.done_date > end),
    )
    rows = [
        CountRow(
            label, _count(_of_programme(select(count).select_from(model), programme, model.measure_id).where(after))
        )
        for label, model, after in kinds
    ]
    measurements = (
        select(count)
        .select_from(KpiMeasurement)
        .join(Kpi, Kpi.id == KpiMeasurement.kpi_id)
        .join(Measure, Measure.id == Kpi.measure_id)
        .where(Measure.programme_id == programme.id, about_later(KpiMeasurement))
    )
    rows.append(CountRow("KPI-målinger", _count(measurements)))
    return tuple(row for row in rows if row.count)


def _value(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "–"
    if value == value.to_integral_value():
        text = format_decimal(value, 0)
    else:
        text = format_decimal(value, 2).rstrip("0").rstrip(",")
    return f"{text} {unit}".strip()


def kpi_rows(measures: list[Measure], codes: set[str], period: Quarter) -> tuple[KpiRow, ...]:
    """The KPIs of the measures with `codes`, with their latest value in or before `period`."""
    by_id = {measure.id: measure for measure in measures if measure.code in codes}
    if not by_id:
        return ()
    query = (
        select(Kpi)
        .where(Kpi.measure_id.in_(list(by_id)))
        .options(selectinload(Kpi.measurements))
        .order_by(Kpi.measure_id, Kpi.id)
    )
    rows = []
    for kpi in db.session.scalars(query):
        measure = by_id[kpi.measure_id]
        values = [m for m in kpi.measurements if (m.year, m.quarter) <= (period.year, period.number)]
        latest = values[-1] if values else None
        trend = kpi_rules.trend([m.value for m in values], kpi.direction, kpi.baseline_value)
        progress = kpi_rules.progress_pct(kpi.baseline_value, kpi.target_value, latest.value if latest else None)
        rows.append(
            KpiRow(
                code=measure.code,
                title=measure.title,
                name=kpi.name,
                unit=kpi.unit or "",
                baseline=_value(kpi.baseline_value, kpi.unit),
                latest=_value(latest.value if latest else None, kpi.unit),
                latest_period=latest.period.label if latest else "",
                target=_value(kpi.target_value, kpi.unit),
                trend=kpi_rules.TREND_LABELS.get(trend, "–") if trend else "–",
                progress="–" if progress is None else f"{format_decimal(progress, 0)} %",
            )
        )
    rows.sort(key=lambda row: _code_key(row.code))
    return tuple(rows)


def _code_key(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("."))
