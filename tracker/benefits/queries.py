"""Reading the savings ledger: reports, take-outs, closed quarters and plan history.

The programme-wide reads run on every dashboard, export and report, so they are prepared statements
(tracker.portfolio.queries.prepared_rows) returning plain rows; the reads of one measure use the ORM.
"""

from sqlalchemy import and_, bindparam, func, select, union_all
from sqlalchemy.orm import contains_eager

from tracker.accounts.models import User
from tracker.benefits import rules, totals
from tracker.benefits.models import BudgetTakeOut, ClosedQuarter, QuarterlyFigure
from tracker.database import up_to_year_quarter
from tracker.extensions import db
from tracker.periods import Quarter
from tracker.portfolio.figures import saving_from_net_change
from tracker.portfolio.models import Measure, PlanRevision, Programme, ProgrammeTarget, WorkGroup
from tracker.portfolio.queries import prepared_rows
from tracker.updates.services import latest_confidence_by_measure, latest_submitted

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


# --- the programme: prepared statements ---------------------------------------------------------


def _latest_reports_statement():
    """Per measure and year of `programme_id`, the latest report and the latest approved one up to the as-of quarter."""
    up_to_as_of = up_to_year_quarter(
        QuarterlyFigure.year, QuarterlyFigure.quarter, bindparam("as_of_year"), bindparam("as_of_quarter")
    )

    def newest(*only):
        quarter = (
            select(QuarterlyFigure.measure_id, QuarterlyFigure.year, func.max(QuarterlyFigure.quarter).label("quarter"))
            .join(Measure, Measure.id == QuarterlyFigure.measure_id)
            .where(Measure.programme_id == bindparam("programme_id"), up_to_as_of, *only)
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
    (rules.latest_and_approved); older ones are left in the database, so the rows read do not
    grow with the number of quarters reported.
    """
    rows = prepared_rows(
        _latest_reports_statement, programme_id=programme.id, as_of_year=as_of.year, as_of_quarter=as_of.number
    )
    return [rules.ReportedFigure(*row) for row in rows]


def _take_outs_statement():
    """Every budget take-out of the programme `programme_id`: code, year, amount."""
    return (
        select(Measure.code, BudgetTakeOut.year, BudgetTakeOut.amount_nok)
        .join(Measure, Measure.id == BudgetTakeOut.measure_id)
        .where(Measure.programme_id == bindparam("programme_id"))
    )


def take_outs(programme: Programme) -> dict[tuple[str, int], int]:
    """{(code, year): budget take-out} of the programme."""
    rows = prepared_rows(_take_outs_statement, programme_id=programme.id)
    return {(code, year): amount for code, year, amount in rows}


def _groups_statement():
    """The work groups of the programme `programme_id` by number."""
    return (
        select(WorkGroup.number, WorkGroup.name, WorkGroup.savings_requirement_nok)
        .where(WorkGroup.programme_id == bindparam("programme_id"))
        .order_by(WorkGroup.number)
    )


def _targets_statement():
    """The yearly savings targets of the programme `programme_id` by year."""
    return (
        select(ProgrammeTarget.year, ProgrammeTarget.savings_target_nok)
        .where(ProgrammeTarget.programme_id == bindparam("programme_id"))
        .order_by(ProgrammeTarget.year)
    )


def group_inputs(programme: Programme) -> list[totals.GroupInput]:
    """The programme's work groups as the rules see them, by number."""
    return [totals.GroupInput(*row) for row in prepared_rows(_groups_statement, programme_id=programme.id)]


def targets(programme: Programme) -> dict[int, int]:
    """{year: savings target} of the programme."""
    return dict(prepared_rows(_targets_statement, programme_id=programme.id).all())


def confidence_by_measure(programme: Programme, as_of: Quarter) -> dict[int, str]:
    """{measure id: delivery confidence of its latest update up to `as_of`}."""
    return latest_confidence_by_measure(programme.id, as_of)


def measure_confidence(measure: Measure, as_of: Quarter) -> str | None:
    """One measure's confidence as of a quarter (what confidence_by_measure gives it), in one small query."""
    update = latest_submitted(measure, as_of)
    return update.confidence if update else None


# --- periods ------------------------------------------------------------------------------------


def closed_quarters() -> list[ClosedQuarter]:
    return list(db.session.scalars(select(ClosedQuarter).order_by(ClosedQuarter.year, ClosedQuarter.quarter)))


def is_closed(quarter: Quarter) -> bool:
    found = db.session.scalar(
        select(ClosedQuarter.id).where(ClosedQuarter.year == quarter.year, ClosedQuarter.quarter == quarter.number)
    )
    return found is not None


# --- one measure ----------------------------------------------------------------------------------


def get_figure(measure: Measure, quarter: Quarter) -> QuarterlyFigure | None:
    return db.session.scalar(
        select(QuarterlyFigure).where(
            QuarterlyFigure.measure_id == measure.id,
            QuarterlyFigure.year == quarter.year,
            QuarterlyFigure.quarter == quarter.number,
        )
    )


def planned_saving(measure: Measure, year: int) -> int:
    """The measure's planned saving for a year (0 when the plan has none)."""
    for effect in measure.planned_effects:
        if effect.year == year:
            return saving_from_net_change(effect.net_cost_change_nok)
    return 0


def get_take_out(measure: Measure, year: int) -> BudgetTakeOut | None:
    return db.session.scalar(
        select(BudgetTakeOut).where(BudgetTakeOut.measure_id == measure.id, BudgetTakeOut.year == year)
    )


def take_out_versions(measure: Measure) -> dict[int, int]:
    """Year → version of the measure's take-outs (what the take-out form carries)."""
    query = select(BudgetTakeOut.year, BudgetTakeOut.version).where(BudgetTakeOut.measure_id == measure.id)
    return {year: version for year, version in db.session.execute(query)}


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


# --- lists ------------------------------------------------------------------------------------


def owned_measures(user: User) -> list[Measure]:
    """The user's measures in every programme, by programme and code."""
    query = select(Measure).where(Measure.owner_id == user.id).order_by(Measure.programme_id, Measure.sort_key)
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


def unapproved_figures(programme: Programme) -> list[QuarterlyFigure]:
    query = (
        select(QuarterlyFigure)
        .join(Measure, Measure.id == QuarterlyFigure.measure_id)
        .where(Measure.programme_id == programme.id, QuarterlyFigure.is_approved.is_(False))
        .options(contains_eager(QuarterlyFigure.measure))
        .order_by(QuarterlyFigure.year, QuarterlyFigure.quarter, Measure.sort_key)
    )
    return list(db.session.scalars(query))
