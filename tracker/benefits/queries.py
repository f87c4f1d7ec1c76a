"""Reading the savings ledger: reports, take-outs, closed quarters and plan history.

The programme-wide reads run on every dashboard, export and report, so they are prepared statements
(tracker.portfolio.queries.prepared_rows) returning plain rows; the reads of one measure use the ORM.
"""

from sqlalchemy import and_, bindparam, func, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from tracker.accounts.models import User
from tracker.benefits import rules, totals
from tracker.benefits.models import BudgetTakeOut, ClosedQuarter, FigureRevision, LaterForecast, QuarterlyFigure
from tracker.database import up_to_year_quarter
from tracker.extensions import db
from tracker.periods import Quarter
from tracker.portfolio.figures import saving_from_net_change
from tracker.portfolio.models import GroupRequirement, Measure, PlanRevision, Programme, ProgrammeTarget, WorkGroup
from tracker.portfolio.queries import prepared_rows
from tracker.readmodel.cache import cached
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
    QuarterlyFigure.one_off_nok,
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


def _later_forecasts_statement():
    """Per measure and later year of `programme_id`, the newest later-year forecast up to the as-of quarter."""
    made_up_to = up_to_year_quarter(
        QuarterlyFigure.year, QuarterlyFigure.quarter, bindparam("as_of_year"), bindparam("as_of_quarter")
    )
    # Year and quarter as one number, so the newest is a max(): 2026-Q3 → 8107.
    made_in = QuarterlyFigure.year * 4 + QuarterlyFigure.quarter
    base = (
        select(LaterForecast)
        .join(QuarterlyFigure, QuarterlyFigure.id == LaterForecast.figure_id)
        .join(Measure, Measure.id == QuarterlyFigure.measure_id)
        .where(Measure.programme_id == bindparam("programme_id"), made_up_to)
    )
    newest = (
        base.with_only_columns(QuarterlyFigure.measure_id, LaterForecast.year, func.max(made_in).label("made_in"))
        .group_by(QuarterlyFigure.measure_id, LaterForecast.year)
        .subquery()
    )
    return base.with_only_columns(
        Measure.code,
        LaterForecast.year,
        QuarterlyFigure.year,
        QuarterlyFigure.quarter,
        LaterForecast.forecast_nok,
        QuarterlyFigure.explanation,
        QuarterlyFigure.corrective_action,
    ).join(
        newest,
        and_(
            newest.c.measure_id == QuarterlyFigure.measure_id,
            newest.c.year == LaterForecast.year,
            newest.c.made_in == made_in,
        ),
    )


def later_forecasts(programme: Programme, as_of: Quarter) -> list[rules.LaterForecast]:
    """The forecasts for later years that stand as of `as_of`: the newest per measure and year."""
    parameters = {"programme_id": programme.id, "as_of_year": as_of.year, "as_of_quarter": as_of.number}
    return [rules.LaterForecast(*row) for row in prepared_rows(_later_forecasts_statement, **parameters)]


def _take_outs_statement():
    """Every budget take-out of the programme `programme_id`: code, year, amount, approved."""
    return (
        select(Measure.code, BudgetTakeOut.year, BudgetTakeOut.amount_nok, BudgetTakeOut.is_approved)
        .join(Measure, Measure.id == BudgetTakeOut.measure_id)
        .where(Measure.programme_id == bindparam("programme_id"))
    )


def take_outs(programme: Programme) -> tuple[dict[tuple[str, int], int], dict[tuple[str, int], int]]:
    """{(code, year): budget take-out} of the programme: every one entered, and the approved ones."""
    entered, approved = {}, {}
    for code, year, amount, is_approved in prepared_rows(_take_outs_statement, programme_id=programme.id):
        entered[(code, year)] = amount
        if is_approved:
            approved[(code, year)] = amount
    return entered, approved


def closed_years(as_of: Quarter) -> frozenset[int]:
    """Years whose Q4 is closed, up to the quarter looked at: their shortfall is carried into the next year."""
    query = select(ClosedQuarter.year).where(ClosedQuarter.quarter == 4, ClosedQuarter.year <= as_of.year)
    return frozenset(year for year in db.session.scalars(query) if Quarter(year, 4) <= as_of)


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


def _requirements_statement():
    """Every yearly group requirement of the programme `programme_id`."""
    return (
        select(WorkGroup.number, GroupRequirement.year, GroupRequirement.requirement_nok)
        .join(WorkGroup, WorkGroup.id == GroupRequirement.group_id)
        .where(WorkGroup.programme_id == bindparam("programme_id"))
    )


def group_inputs(programme: Programme) -> list[totals.GroupInput]:
    """The programme's work groups as the rules see them, by number, with their requirement per year."""
    requirements: dict[int, dict[int, int]] = {}
    for number, year, amount in prepared_rows(_requirements_statement, programme_id=programme.id):
        requirements.setdefault(number, {})[year] = amount
    return [
        totals.GroupInput(number, name, requirement, requirements.get(number, {}))
        for number, name, requirement in prepared_rows(_groups_statement, programme_id=programme.id)
    ]


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
    query = select(ClosedQuarter).options(joinedload(ClosedQuarter.closed_by))
    return list(db.session.scalars(query.order_by(ClosedQuarter.year, ClosedQuarter.quarter)))


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


def reported(figure: QuarterlyFigure) -> rules.ReportedFigure:
    """A stored report as the rules see it."""
    return rules.ReportedFigure(
        figure.measure.code,
        figure.year,
        figure.quarter,
        figure.realised_to_date_nok,
        figure.forecast_year_nok,
        figure.is_approved,
        figure.explanation,
        figure.corrective_action,
        figure.one_off_nok,
    )


def later_forecasts_of(code: str, figures: list[QuarterlyFigure]) -> list[rules.LaterForecast]:
    """Every later-year forecast given with the reports (the rules pick the newest per year)."""
    return [
        rules.LaterForecast(
            code,
            item.year,
            figure.year,
            figure.quarter,
            item.forecast_nok,
            figure.explanation,
            figure.corrective_action,
        )
        for figure in figures
        for item in figure.later_forecasts
    ]


def get_take_out(measure: Measure, year: int) -> BudgetTakeOut | None:
    return db.session.scalar(
        select(BudgetTakeOut).where(BudgetTakeOut.measure_id == measure.id, BudgetTakeOut.year == year)
    )


def take_out_versions(measure: Measure) -> dict[int, int]:
    """Year → version of the measure's take-outs (what the take-out form carries)."""
    query = select(BudgetTakeOut.year, BudgetTakeOut.version).where(BudgetTakeOut.measure_id == measure.id)
    return {year: version for year, version in db.session.execute(query)}


def measure_figures(measure: Measure, with_history: bool = False) -> list[QuarterlyFigure]:
    """A measure's reports by quarter; `with_history` loads every earlier value too (one query more)."""
    query = (
        select(QuarterlyFigure)
        .options(selectinload(QuarterlyFigure.later_forecasts))
        .where(QuarterlyFigure.measure_id == measure.id)
        .order_by(QuarterlyFigure.year, QuarterlyFigure.quarter)
    )
    if with_history:
        query = query.options(selectinload(QuarterlyFigure.revisions).joinedload(FigureRevision.changed_by))
    return list(db.session.scalars(query))


def plan_revisions(measure: Measure) -> list[PlanRevision]:
    query = (
        select(PlanRevision)
        .where(PlanRevision.measure_id == measure.id)
        .options(joinedload(PlanRevision.changed_by))
        .order_by(PlanRevision.id.desc())
    )
    return list(db.session.scalars(query))


def measure_take_outs(measure: Measure) -> dict[int, BudgetTakeOut]:
    query = select(BudgetTakeOut).where(BudgetTakeOut.measure_id == measure.id)
    return {item.year: item for item in db.session.scalars(query)}


# --- lists ------------------------------------------------------------------------------------


def programme_measures(programme: Programme) -> list[Measure]:
    query = select(Measure).where(Measure.programme_id == programme.id).order_by(Measure.sort_key)
    return list(db.session.scalars(query))


def programme_take_outs(programme: Programme, year: int) -> dict[int, BudgetTakeOut]:
    """{measure id: its take-out for the year} of the programme."""
    query = (
        select(BudgetTakeOut)
        .join(Measure, Measure.id == BudgetTakeOut.measure_id)
        .where(Measure.programme_id == programme.id, BudgetTakeOut.year == year)
    )
    return {item.measure_id: item for item in db.session.scalars(query)}


def owned_measures(user: User) -> list[Measure]:
    """The user's measures in every programme with their plans ("Mine tiltak" reads every measure's plan)."""
    loads = (selectinload(Measure.planned_effects), joinedload(Measure.group))
    query = select(Measure).where(Measure.owner_id == user.id).options(*loads)
    query = query.order_by(Measure.programme_id, Measure.sort_key)
    return list(db.session.scalars(query))


def figures_for_quarter(measures: list[Measure], quarter: Quarter) -> dict[int, QuarterlyFigure]:
    """{measure id: its report for the quarter} for the given measures."""
    if not measures:
        return {}
    in_quarter = (QuarterlyFigure.year == quarter.year, QuarterlyFigure.quarter == quarter.number)
    query = select(QuarterlyFigure).where(QuarterlyFigure.measure_id.in_([m.id for m in measures]), *in_quarter)
    return {figure.measure_id: figure for figure in db.session.scalars(query)}


_UNAPPROVED_COLUMNS = (
    QuarterlyFigure.id,
    QuarterlyFigure.measure_id,
    Measure.code,
    Measure.title,
    QuarterlyFigure.year,
    QuarterlyFigure.quarter,
    QuarterlyFigure.realised_to_date_nok,
    QuarterlyFigure.forecast_year_nok,
    QuarterlyFigure.version,
)


def unapproved_statement(programme: Programme):
    """The programme's unapproved figures, oldest quarter first, as plain rows."""
    return (
        select(*_UNAPPROVED_COLUMNS)
        .join(Measure, Measure.id == QuarterlyFigure.measure_id)
        .where(Measure.programme_id == programme.id, QuarterlyFigure.is_approved.is_(False))
        .order_by(QuarterlyFigure.year, QuarterlyFigure.quarter, Measure.sort_key)
    )


def unapproved_in_quarter_statement(programme: Programme, quarter: Quarter):
    """One quarter's unapproved figures in code order: read along the measures' code order, so a
    page deep in a long list costs an index look-up per measure before it, not a sort of them all."""
    return (
        select(*_UNAPPROVED_COLUMNS)
        .select_from(Measure)
        .join(
            QuarterlyFigure,
            and_(
                QuarterlyFigure.measure_id == Measure.id,
                QuarterlyFigure.year == quarter.year,
                QuarterlyFigure.quarter == quarter.number,
            ),
        )
        .where(Measure.programme_id == programme.id, QuarterlyFigure.is_approved.is_(False))
        .order_by(Measure.sort_key)
    )


def unapproved_counts(programme: Programme) -> tuple[tuple[Quarter, int], ...]:
    """How many figures wait for approval in each quarter, oldest first; once per data version."""
    statement = (
        select(QuarterlyFigure.year, QuarterlyFigure.quarter, func.count())
        .join(Measure, Measure.id == QuarterlyFigure.measure_id)
        .where(Measure.programme_id == programme.id, QuarterlyFigure.is_approved.is_(False))
        .group_by(QuarterlyFigure.year, QuarterlyFigure.quarter)
        .order_by(QuarterlyFigure.year, QuarterlyFigure.quarter)
    )
    return cached(
        ("unapproved_counts", programme.id),
        lambda: tuple((Quarter(year, number), count) for year, number, count in db.session.execute(statement)),
    )
