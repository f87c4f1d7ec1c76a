"""Reading the portfolio for pages, exports and the summary; changing measures."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.portfolio import figures
from tracker.portfolio.models import Measure, Programme


def get_programme(name: str | None = None) -> Programme | None:
    """The programme by name, or the first (the tracker holds one programme per database)."""
    query = select(Programme).order_by(Programme.id)
    if name:
        query = query.where(Programme.name == name)
    return db.session.scalars(query.limit(1)).first()


def load_measures(programme: Programme) -> list[Measure]:
    """All measures of a programme in code order, with what the overview needs loaded."""
    query = (
        select(Measure)
        .where(Measure.programme_id == programme.id)
        .options(selectinload(Measure.planned_effects), selectinload(Measure.group), selectinload(Measure.owner))
        .order_by(Measure.sort_key)
    )
    return list(db.session.scalars(query))


def measure_plan(measure: Measure) -> figures.MeasurePlan:
    """The pure view of one measure used by every computation."""
    return figures.MeasurePlan(
        code=measure.code,
        group_number=measure.group.number,
        status=measure.status,
        effect_type=measure.effect_type,
        owner=measure.owner.username if measure.owner else None,
        planned_savings_nok={
            effect.year: figures.saving_from_net_change(effect.net_cost_change_nok)
            for effect in measure.planned_effects
        },
    )


def summary_years(programme: Programme, measures: list[Measure]) -> list[int]:
    """The years shown: every year any measure has a plan for, and the programme period."""
    years = set(programme.plan_years)
    for measure in measures:
        years.update(effect.year for effect in measure.planned_effects)
    return sorted(years)


def portfolio_summary(programme: Programme) -> dict:
    """The object printed by `portfolio summary --json`; keep its keys stable."""
    measures = load_measures(programme)
    plans = [measure_plan(measure) for measure in measures]
    years = summary_years(programme, measures)
    by_year = figures.planned_by_year(plans, years)
    by_group = figures.planned_by_group(plans, years)
    return {
        "programme": programme.name,
        "measures": len(measures),
        "years": {str(year): {"planned_savings_nok": by_year[year]} for year in years},
        "groups": {
            str(group.number): {
                "name": group.name,
                "savings_requirement_nok": group.savings_requirement_nok,
                "years": {
                    str(year): {"planned_savings_nok": by_group.get(group.number, {}).get(year, 0)} for year in years
                },
            }
            for group in programme.groups
        },
    }
