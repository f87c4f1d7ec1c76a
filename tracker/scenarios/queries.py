"""Reading scenarios, variants and the menu's årsverk."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.benefits.rules import NO_EFFECT_TYPE
from tracker.extensions import db
from tracker.portfolio.figures import saving_from_net_change
from tracker.portfolio.models import Measure, MenuEffect, Programme
from tracker.portfolio.queries import menu_savings
from tracker.risks.rules import HIGH
from tracker.risks.services import latest_assessments
from tracker.scenarios import rules
from tracker.scenarios.models import MeasureVariant, Scenario, ScenarioChoice


def scenarios(programme: Programme) -> list[Scenario]:
    """The programme's scenarios: adopted ones first (newest decision first), then by name."""
    query = (
        select(Scenario)
        .where(Scenario.programme_id == programme.id)
        .options(selectinload(Scenario.choices).selectinload(ScenarioChoice.measure))
    )
    found = list(db.session.scalars(query))
    adopted = sorted((item for item in found if item.is_adopted), key=lambda item: item.adopted_dt, reverse=True)
    others = sorted((item for item in found if not item.is_adopted), key=lambda item: item.name.casefold())
    return adopted + others


def by_name(programme: Programme, name: str) -> Scenario | None:
    return db.session.scalar(select(Scenario).where(Scenario.programme_id == programme.id, Scenario.name == name))


def by_ids(programme: Programme, ids: list[int]) -> list[Scenario]:
    """The programme's scenarios with these ids, in the order given."""
    found = {
        item.id: item
        for item in db.session.scalars(
            select(Scenario).where(Scenario.programme_id == programme.id, Scenario.id.in_(ids))
        )
    }
    return [found[item] for item in ids if item in found]


def variants_of(measure: Measure) -> list[MeasureVariant]:
    query = select(MeasureVariant).where(MeasureVariant.measure_id == measure.id).order_by(MeasureVariant.key)
    return list(db.session.scalars(query.options(selectinload(MeasureVariant.effects))))


def programme_variants(programme: Programme) -> dict[int, dict[str, MeasureVariant]]:
    """{measure id: {variant key: variant}} of the programme, with their yearly figures."""
    query = (
        select(MeasureVariant)
        .join(Measure, Measure.id == MeasureVariant.measure_id)
        .where(Measure.programme_id == programme.id)
        .options(selectinload(MeasureVariant.effects))
    )
    found: dict[int, dict[str, MeasureVariant]] = {}
    for variant in db.session.scalars(query):
        found.setdefault(variant.measure_id, {})[variant.key] = variant
    return found


def programme_measures(programme: Programme) -> list[Measure]:
    """Every measure with its menu, group and owner, in code order."""
    query = (
        select(Measure)
        .where(Measure.programme_id == programme.id)
        .options(selectinload(Measure.menu_effects), selectinload(Measure.group), selectinload(Measure.owner))
        .order_by(Measure.sort_key)
    )
    return list(db.session.scalars(query))


def menu_fte(measure: Measure) -> dict[int, object]:
    """{year: change in årsverk} entered for the whole measure (None = unknown)."""
    return {effect.year: effect.fte_change for effect in measure.menu_effects}


def scenarios_using(measure: Measure, variant_key: str) -> list[Scenario]:
    query = (
        select(Scenario)
        .join(ScenarioChoice, ScenarioChoice.scenario_id == Scenario.id)
        .where(ScenarioChoice.measure_id == measure.id, ScenarioChoice.variant_key == variant_key)
    )
    return list(db.session.scalars(query))


def menu_effect(measure: Measure, year: int) -> MenuEffect | None:
    return next((effect for effect in measure.menu_effects if effect.year == year), None)


# --- a scenario's figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioFigures:
    """A scenario with its choices (and their figures) and its figures per plan year."""

    scenario: Scenario
    choices: tuple[rules.Choice, ...]
    years: tuple[rules.ScenarioYear, ...]

    @property
    def codes(self) -> list[str]:
        return [choice.code for choice in self.choices]

    def year(self, year: int) -> rules.ScenarioYear | None:
        return next((row for row in self.years if row.year == year), None)


def significant_risk_ids(measures: list[Measure]) -> set[int]:
    """Measures with significant organisational risk: the report says so, or the latest assessment is «høy»."""
    assessed = latest_assessments([measure.id for measure in measures])
    high = {measure_id for measure_id, item in assessed.items() if (item.summary() and item.summary().level == HIGH)}
    return {measure.id for measure in measures if measure.has_significant_org_risk} | high


def choice_of(measure: Measure, variant: MeasureVariant | None, is_risky: bool) -> rules.Choice:
    """The figures a measure brings to a scenario: the menu's, or its variant's."""
    if variant is None:
        savings = menu_savings(measure)
        fte = menu_fte(measure)
    else:
        savings = {e.year: saving_from_net_change(e.net_cost_change_nok) for e in variant.effects}
        fte = {e.year: e.fte_change for e in variant.effects}
    return rules.Choice(
        measure_code=measure.code,
        variant=variant.key if variant else None,
        title=f"{measure.title} ({variant.title})" if variant else measure.title,
        group_number=measure.group.number,
        effect_type=measure.effect_type or NO_EFFECT_TYPE,
        owner=measure.owner.display_name if measure.owner else None,
        has_significant_org_risk=is_risky,
        savings_nok=savings,
        fte_change=fte,
    )


def requirements_by_year(programme: Programme) -> dict[int, dict[int, int]]:
    """{year: {group number: requirement}} of the programme."""
    found: dict[int, dict[int, int]] = {}
    for group in programme.groups:
        for item in group.requirements:
            found.setdefault(item.year, {})[group.number] = item.requirement_nok
    return found


def figures_of_choices(programme: Programme, pairs: list[tuple[Measure, MeasureVariant | None]]) -> tuple:
    """The choices of (measure, variant) pairs in code order, and their figures per plan year."""
    risky = significant_risk_ids([measure for measure, _ in pairs])
    choices = tuple(
        sorted(
            (choice_of(measure, variant, measure.id in risky) for measure, variant in pairs),
            key=lambda choice: rules.code_key(choice.code),
        )
    )
    targets = {target.year: target.savings_target_nok for target in programme.targets}
    years = rules.scenario_years(choices, programme.plan_years, targets, requirements_by_year(programme))
    return choices, years


def scenario_figures(scenario: Scenario) -> ScenarioFigures:
    """A scenario's choices and figures per plan year, from the menu and the variants."""
    programme = scenario.programme
    variants = programme_variants(programme)
    pairs = [
        (choice.measure, variants.get(choice.measure_id, {}).get(choice.variant_key) if choice.variant_key else None)
        for choice in scenario.choices
    ]
    choices, years = figures_of_choices(programme, pairs)
    return ScenarioFigures(scenario, choices, years)


def json_number(value: Decimal) -> int | float:
    """Årsverk as a JSON number: whole numbers stay whole."""
    return int(value) if value == value.to_integral_value() else float(value)


def _year_json(row: rules.ScenarioYear) -> dict:
    return {
        "savings_nok": row.savings_nok,
        "target_nok": row.target_nok,
        "gap_nok": row.gap_nok,
        "fte_change": json_number(row.fte_change),
        "fte_unknown_count": row.fte_unknown_count,
        "significant_org_risk_count": row.significant_org_risk_count,
        "significant_org_risk_by_group": {str(number): count for number, count in row.risk_by_group},
        "significant_org_risk_by_owner": dict(row.risk_by_owner),
        "effect_types": dict(row.effect_types),
        "groups": {
            str(group.number): {
                "savings_nok": group.savings_nok,
                "requirement_nok": group.requirement_nok,
                "gap_nok": group.gap_nok,
            }
            for group in row.groups
        },
    }


def as_json(figures: ScenarioFigures) -> dict:
    """The object `scenarios show NAME --json` prints; keep its keys stable."""
    scenario = figures.scenario
    adopted = None
    if scenario.is_adopted:
        adopted = {
            "decision_reference": scenario.decision_reference,
            "decision_body": scenario.decision_body,
            "decided_date": scenario.decided_date.isoformat() if scenario.decided_date else None,
        }
    return {
        "name": scenario.name,
        "measures": figures.codes,
        "description": scenario.description,
        "is_example": bool(scenario.is_example),
        "adopted": adopted,
        "years": {str(row.year): _year_json(row) for row in figures.years},
    }
