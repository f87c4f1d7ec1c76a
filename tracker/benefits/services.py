"""The savings ledger: reporting quarterly figures, approving, take-outs, plan changes, closing quarters.

Services add and flush; the view or command commits once. `user=None` means the command line
(the server's operator), which has every right; every page passes the logged-in user.
"""

from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import and_, bindparam, func, select, union_all
from sqlalchemy.orm import contains_eager

from tracker.accounts.models import User
from tracker.accounts.permissions import can_administer, require_admin, require_measure_edit
from tracker.audit import services as audit
from tracker.benefits import rules
from tracker.benefits.models import BudgetTakeOut, ClosedQuarter, FigureRevision, QuarterlyFigure
from tracker.database import up_to_quarter, utcnow
from tracker.extensions import db
from tracker.periods import Quarter, current_quarter
from tracker.portfolio import queries as portfolio
from tracker.portfolio.figures import saving_from_net_change
from tracker.portfolio.models import Measure, PlannedEffect, PlanRevision, Programme, ProgrammeTarget, WorkGroup
from tracker.portfolio.status import counts_in_totals
from tracker.updates.services import latest_confidence_by_measure, latest_submitted


class BenefitsError(ValueError):
    """A change the rules refuse; `errors` maps form fields to Norwegian messages."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


def thresholds() -> rules.Thresholds:
    """The deviation thresholds from configuration."""
    config = current_app.config
    return rules.Thresholds(pct=config["DEVIATION_THRESHOLD_PCT"], min_nok=config["DEVIATION_THRESHOLD_MIN_NOK"])


# --- figures for dashboards, exports and the summary -----------------------------------------


def confidence_by_measure(programme: Programme, as_of: Quarter) -> dict[int, str]:
    return latest_confidence_by_measure(programme.id, as_of)


def measure_confidence(measure: Measure, as_of: Quarter) -> str | None:
    """One measure's confidence as of a quarter (what confidence_by_measure gives it), in one small query."""
    update = latest_submitted(measure, as_of)
    return update.confidence if update else None


def _up_to(as_of: Quarter):
    return up_to_quarter(QuarterlyFigure.year, QuarterlyFigure.quarter, as_of)


def reported_figures(programme: Programme, as_of: Quarter) -> list[rules.ReportedFigure]:
    """Every quarterly report of the programme up to and including `as_of`, as plain data."""
    rows = db.session.execute(
        select(*_REPORT_COLUMNS)
        .join(Measure, Measure.id == QuarterlyFigure.measure_id)
        .where(Measure.programme_id == programme.id, _up_to(as_of))
    )
    return [rules.ReportedFigure(*row) for row in rows]


_REPORT_COLUMNS = (
    Measure.code,
    QuarterlyFigure.year,
    QuarterlyFigure.quarter,
    QuarterlyFigure.realised_to_date_nok,
    QuarterlyFigure.forecast_year_nok,
    QuarterlyFigure.is_approved,
    QuarterlyFigure.explanation,
    QuarterlyFigure.corrective_action,
)


@cache
def _latest_reports_statement():
    """latest_reported_figures' query, built once with the programme and quarter as parameters.

    Building this statement and working out its cache key took longer than running it on
    Elverum's portfolio; built once, SQLAlchemy finds its compiled form at once.
    """
    as_of = SimpleNamespace(year=bindparam("as_of_year"), number=bindparam("as_of_quarter"))

    def newest(*only):
        quarter = (
            select(QuarterlyFigure.measure_id, QuarterlyFigure.year, func.max(QuarterlyFigure.quarter).label("quarter"))
            .join(Measure, Measure.id == QuarterlyFigure.measure_id)
            .where(Measure.programme_id == bindparam("programme_id"), _up_to(as_of), *only)
            .group_by(QuarterlyFigure.measure_id, QuarterlyFigure.year)
            .subquery()
        )
        return (
            select(*_REPORT_COLUMNS)
            .join(Measure, Measure.id == QuarterlyFigure.measure_id)
            .join(
                quarter,
                and_(
                    quarter.c.measure_id == QuarterlyFigure.measure_id,
                    quarter.c.year == QuarterlyFigure.year,
                    quarter.c.quarter == QuarterlyFigure.quarter,
                ),
            )
        )

    return union_all(newest(), newest(QuarterlyFigure.is_approved.is_(True)))


def latest_reported_figures(programme: Programme, as_of: Quarter) -> list[rules.ReportedFigure]:
    """The reports the figures as of `as_of` are computed from, in one query.

    Per measure and year only the latest report up to `as_of` and the latest approved one count
    (rules.latest_report, rules.latest_approved_report); older ones are left in the database, so
    the rows read do not grow with the number of quarters reported.
    """
    parameters = {"programme_id": programme.id, "as_of_year": as_of.year, "as_of_quarter": as_of.number}
    rows = portfolio.plain_rows(_latest_reports_statement(), parameters)
    return [rules.ReportedFigure(*row) for row in rows]


@cache
def _take_outs_statement():
    return (
        select(Measure.code, BudgetTakeOut.year, BudgetTakeOut.amount_nok)
        .join(Measure, Measure.id == BudgetTakeOut.measure_id)
        .where(Measure.programme_id == bindparam("programme_id"))
    )


def take_outs(programme: Programme) -> dict[tuple[str, int], int]:
    rows = portfolio.plain_rows(_take_outs_statement(), {"programme_id": programme.id})
    return {(code, year): amount for code, year, amount in rows}


@cache
def _groups_and_targets_statements():
    """The programme's work groups (by number) and yearly targets (by year), as plain rows."""
    programme_id = bindparam("programme_id")
    groups = (
        select(WorkGroup.number, WorkGroup.name, WorkGroup.savings_requirement_nok)
        .where(WorkGroup.programme_id == programme_id)
        .order_by(WorkGroup.number)
    )
    targets = (
        select(ProgrammeTarget.year, ProgrammeTarget.savings_target_nok)
        .where(ProgrammeTarget.programme_id == programme_id)
        .order_by(ProgrammeTarget.year)
    )
    return groups, targets


def programme_figures(
    programme: Programme, as_of: Quarter, measures: list[portfolio.MeasureSummary] | None = None
) -> rules.ProgrammeFigures:
    """The one computation behind the dashboard, `summary --json`, the Excel export and the PDFs.

    A fixed number of queries, each filtered by the programme, whatever the number of measures.
    `measures` (portfolio.measure_summaries) saves loading them again when the caller has them.
    """
    if measures is None:
        measures = portfolio.measure_summaries(programme)
    confidence = confidence_by_measure(programme, as_of)
    inputs = [rules.MeasureInput(measure.plan, measure.title, confidence.get(measure.id)) for measure in measures]
    parameters = {"programme_id": programme.id}
    groups_query, targets_query = _groups_and_targets_statements()
    groups = [rules.GroupInput(*row) for row in portfolio.plain_rows(groups_query, parameters)]
    targets = dict(portfolio.plain_rows(targets_query, parameters).all())
    return rules.programme_figures(
        inputs,
        latest_reported_figures(programme, as_of),
        portfolio.plan_years(programme, [measure.plan for measure in measures]),
        as_of,
        targets=targets,
        groups=groups,
        taken_out=take_outs(programme),
        thresholds=thresholds(),
    )


# --- periods ------------------------------------------------------------------------------------


def closed_quarters() -> list[ClosedQuarter]:
    return list(db.session.scalars(select(ClosedQuarter).order_by(ClosedQuarter.year, ClosedQuarter.quarter)))


def is_closed(quarter: Quarter) -> bool:
    found = db.session.scalar(
        select(ClosedQuarter.id).where(ClosedQuarter.year == quarter.year, ClosedQuarter.quarter == quarter.number)
    )
    return found is not None


def close_quarter(quarter: Quarter, user: User | None) -> ClosedQuarter:
    """Close a quarter: its figures then change only by a correction with a reason."""
    if user is not None:
        require_admin(user, "periods.close")
    if quarter > current_quarter():
        raise BenefitsError(f"{quarter.label} har ikke begynt og kan ikke lukkes.")
    if is_closed(quarter):
        raise BenefitsError(f"{quarter.label} er allerede lukket.")
    closed = ClosedQuarter(year=quarter.year, quarter=quarter.number, closed_by_id=getattr(user, "id", None))
    db.session.add(closed)
    db.session.flush()
    audit.record(
        "periods.close", user=user, obj=closed, label=quarter.key, changes={"closed": {"old": False, "new": True}}
    )
    return closed


# --- quarterly figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureInput:
    realised_to_date_nok: int
    forecast_year_nok: int
    explanation: str = ""
    corrective_action: str = ""
    comment: str = ""
    correction_reason: str = ""


def get_figure(measure: Measure, quarter: Quarter) -> QuarterlyFigure | None:
    return db.session.scalar(
        select(QuarterlyFigure).where(
            QuarterlyFigure.measure_id == measure.id,
            QuarterlyFigure.year == quarter.year,
            QuarterlyFigure.quarter == quarter.number,
        )
    )


def planned_saving(measure: Measure, year: int) -> int:
    for effect in measure.planned_effects:
        if effect.year == year:
            return saving_from_net_change(effect.net_cost_change_nok)
    return 0


def check_figures(measure: Measure, quarter: Quarter, data: FigureInput, user: User | None) -> dict[str, str]:
    """Every problem with a report, {field: message}; the import and the form share this."""
    errors = rules.check_update(
        planned_saving(measure, quarter.year),
        data.realised_to_date_nok,
        data.forecast_year_nok,
        data.explanation,
        data.corrective_action,
        thresholds(),
    )
    if quarter > current_quarter():
        errors["quarter"] = f"{quarter.label} har ikke begynt ennå."
    if not counts_in_totals(measure.status):
        errors["quarter"] = f"Tiltaket har status «{measure.status}» og skal ikke rapportere tall."
    if is_closed(quarter):
        if user is not None and not can_administer(user):
            errors["quarter"] = f"{quarter.label} er lukket. Be økonomi/controller om en korreksjon."
        elif not data.correction_reason.strip():
            errors["correction_reason"] = (
                f"{quarter.label} er lukket: en endring er en korreksjon og krever begrunnelse."
            )
    return errors


def _values(figure: QuarterlyFigure) -> dict:
    return {
        "realised_to_date_nok": figure.realised_to_date_nok,
        "forecast_year_nok": figure.forecast_year_nok,
        "explanation": figure.explanation,
        "corrective_action": figure.corrective_action,
        "comment": figure.comment,
    }


def record_figures(measure: Measure, quarter: Quarter, data: FigureInput, user: User | None) -> QuarterlyFigure:
    """Store an owner's figures for a quarter; a change keeps the old values and withdraws approval."""
    if user is not None:
        require_measure_edit(user, measure, "benefits.report")
    errors = check_figures(measure, quarter, data, user)
    if errors:
        raise BenefitsError("Tallene ble ikke lagret.", errors)
    figure = get_figure(measure, quarter)
    before = _values(figure) if figure else {}
    if figure is None:
        figure = QuarterlyFigure(measure_id=measure.id, year=quarter.year, quarter=quarter.number)
        db.session.add(figure)
    elif before == {**before, **_new_values(data)}:
        return figure
    else:
        figure.revisions.append(_revision(figure, is_closed(quarter), data.correction_reason, user))
    for key, value in _new_values(data).items():
        setattr(figure, key, value)
    figure.reported_by_id = getattr(user, "id", None)
    figure.reported_dt = utcnow()
    figure.is_approved, figure.approved_by_id, figure.approved_dt = False, None, None
    db.session.flush()
    action = "benefits.correct" if is_closed(quarter) else "benefits.report"
    changes = audit.diff(before, _values(figure))
    if data.correction_reason:
        changes["reason"] = {"old": None, "new": data.correction_reason}
    audit.record(action, user=user, obj=figure, label=f"{measure.code} {quarter.key}", changes=changes)
    return figure


def _new_values(data: FigureInput) -> dict:
    return {
        "realised_to_date_nok": data.realised_to_date_nok,
        "forecast_year_nok": data.forecast_year_nok,
        "explanation": data.explanation.strip(),
        "corrective_action": data.corrective_action.strip(),
        "comment": data.comment.strip(),
    }


def _revision(figure: QuarterlyFigure, is_correction: bool, reason: str, user: User | None) -> FigureRevision:
    return FigureRevision(
        old_realised_to_date_nok=figure.realised_to_date_nok,
        old_forecast_year_nok=figure.forecast_year_nok,
        old_explanation=figure.explanation,
        old_corrective_action=figure.corrective_action,
        was_approved=figure.is_approved,
        is_correction=is_correction,
        reason=reason.strip(),
        changed_by_id=getattr(user, "id", None),
    )


def approve_figure(figure: QuarterlyFigure, user: User | None) -> None:
    """A controller approves the realised figure of a report."""
    if user is not None:
        require_admin(user, "benefits.approve")
    if figure.is_approved:
        return
    figure.is_approved, figure.approved_by_id, figure.approved_dt = True, getattr(user, "id", None), utcnow()
    audit.record(
        "benefits.approve",
        user=user,
        obj=figure,
        label=f"{figure.measure.code} {figure.period.key}",
        changes={"is_approved": {"old": False, "new": True}},
    )


def unapproved_figures(programme: Programme) -> list[QuarterlyFigure]:
    query = (
        select(QuarterlyFigure)
        .join(Measure, Measure.id == QuarterlyFigure.measure_id)
        .where(Measure.programme_id == programme.id, QuarterlyFigure.is_approved.is_(False))
        .options(contains_eager(QuarterlyFigure.measure))
        .order_by(QuarterlyFigure.year, QuarterlyFigure.quarter, Measure.sort_key)
    )
    return list(db.session.scalars(query))


# --- take-outs and plan changes -------------------------------------------------------------------


def get_take_out(measure: Measure, year: int) -> BudgetTakeOut | None:
    return db.session.scalar(
        select(BudgetTakeOut).where(BudgetTakeOut.measure_id == measure.id, BudgetTakeOut.year == year)
    )


def set_take_out(measure: Measure, year: int, amount_nok: int, comment: str, user: User | None) -> BudgetTakeOut:
    """Record the budget take-out (uttak) for a measure and year; a controller enters it."""
    if user is not None:
        require_admin(user, "benefits.take_out")
    take_out = get_take_out(measure, year)
    old = take_out.amount_nok if take_out else None
    if take_out is None:
        take_out = BudgetTakeOut(measure_id=measure.id, year=year, amount_nok=amount_nok)
        db.session.add(take_out)
    take_out.amount_nok, take_out.comment = amount_nok, (comment or "").strip()
    take_out.entered_by_id = getattr(user, "id", None)
    db.session.flush()
    if old != amount_nok:
        audit.record(
            "benefits.take_out",
            user=user,
            obj=take_out,
            label=f"{measure.code} {year}",
            changes={"amount_nok": {"old": old, "new": amount_nok}},
        )
    return take_out


def change_plan(measure: Measure, year: int, new_saving_nok: int, reason: str, user: User | None) -> PlanRevision:
    """Change the planned saving for a year; the old value, who and why are kept."""
    if user is not None:
        require_admin(user, "benefits.plan")
    if not (reason or "").strip():
        raise BenefitsError("Planen ble ikke endret.", {"reason": "Skriv hvorfor planen endres."})
    effect = next((item for item in measure.planned_effects if item.year == year), None)
    old = saving_from_net_change(effect.net_cost_change_nok) if effect else None
    if old == new_saving_nok:
        raise BenefitsError("Planen ble ikke endret.", {"new_saving": "Den nye planen er lik den gjeldende."})
    if effect is None:
        effect = PlannedEffect(year=year, net_cost_change_nok=0)
        measure.planned_effects.append(effect)
    effect.net_cost_change_nok = -new_saving_nok
    # Touch the measure so its version moves on: an edit form opened earlier then gets a conflict
    # instead of silently putting the old plan back.
    measure.updated_dt = utcnow()
    revision = PlanRevision(
        measure_id=measure.id,
        year=year,
        old_saving_nok=old,
        new_saving_nok=new_saving_nok,
        reason=reason.strip(),
        changed_by_id=getattr(user, "id", None),
    )
    db.session.add(revision)
    db.session.flush()
    audit.record(
        "benefits.plan",
        user=user,
        obj=measure,
        changes={f"planned_saving_{year}": {"old": old, "new": new_saving_nok}, "reason": {"old": None, "new": reason}},
    )
    return revision


# --- reading the ledger ----------------------------------------------------------------------


def measure_figures(measure: Measure) -> list[QuarterlyFigure]:
    query = (
        select(QuarterlyFigure)
        .where(QuarterlyFigure.measure_id == measure.id)
        .order_by(QuarterlyFigure.year, QuarterlyFigure.quarter)
    )
    return list(db.session.scalars(query))


def plan_revisions(measure: Measure) -> list[PlanRevision]:
    query = select(PlanRevision).where(PlanRevision.measure_id == measure.id).order_by(PlanRevision.id.desc())
    return list(db.session.scalars(query))


def measure_take_outs(measure: Measure) -> dict[int, BudgetTakeOut]:
    query = select(BudgetTakeOut).where(BudgetTakeOut.measure_id == measure.id)
    return {item.year: item for item in db.session.scalars(query)}


def owned_measures(user: User) -> list[Measure]:
    query = select(Measure).where(Measure.owner_id == user.id).order_by(Measure.sort_key)
    return list(db.session.scalars(query))


def figures_for_quarter(measures: list[Measure], quarter: Quarter) -> dict[int, QuarterlyFigure]:
    """{measure id: its report for the quarter} for the given measures."""
    if not measures:
        return {}
    query = select(QuarterlyFigure).where(
        QuarterlyFigure.measure_id.in_([m.id for m in measures]),
        QuarterlyFigure.year == quarter.year,
        QuarterlyFigure.quarter == quarter.number,
    )
    return {figure.measure_id: figure for figure in db.session.scalars(query)}
