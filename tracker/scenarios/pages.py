"""What the scenario pages show: rows and tables built in Python, so the templates only lay them out."""

from dataclasses import dataclass
from decimal import Decimal

from tracker.benefits.standing import REQUIREMENT, gap_text
from tracker.money import format_decimal, format_mnok, format_nok
from tracker.portfolio.figures import menu_by_year, planned_by_year
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.queries import measure_summaries, menu_savings
from tracker.scenarios import queries, rules
from tracker.scenarios.forms import LEFT_OUT, WHOLE
from tracker.scenarios.models import Scenario

MAX_COMPARED = 3
DASH = "–"


def fte_text(value: Decimal, unknown: int) -> str:
    """ "−3,5 (2 ukjent)": the known change in årsverk and how many choices have no number."""
    shown = format_decimal(value, 1)
    return f"{shown} ({unknown} ukjent)" if unknown else shown


def mnok_or_dash(amount: int | None) -> str:
    return DASH if amount is None else format_mnok(amount)


@dataclass(frozen=True)
class Line:
    """One row of a comparison: a label and one text per scenario (and the kroner, for data-value)."""

    label: str
    values: tuple[str, ...]
    amounts: tuple[int | None, ...] = ()


def target_year(programme: Programme) -> int:
    """The year the scenarios are mainly judged by: the last year with a target, else the plan's last year."""
    years = [target.year for target in programme.targets if target.year in programme.plan_years]
    return max(years) if years else programme.end_year


def index_context(programme: Programme) -> dict:
    """The list of scenarios, the plan against the menu, and what each scenario saves in the target year."""
    year = target_year(programme)
    plans = [measure.plan for measure in measure_summaries(programme)]
    found = [queries.scenario_figures(item) for item in queries.scenarios(programme)]
    return {
        "year": year,
        "target_nok": next((t.savings_target_nok for t in programme.targets if t.year == year), None),
        "planned_nok": planned_by_year(plans, [year])[year],
        "menu_nok": menu_by_year(plans, [year])[year],
        "has_adopted": any(plan.is_adopted for plan in plans),
        "rows": [(figures, figures.year(year)) for figures in found],
        "max_compared": MAX_COMPARED,
    }


def year_lines(figures: queries.ScenarioFigures) -> list[Line]:
    """A scenario's figures per plan year, as the detail page and the comparison show them."""
    return [
        Line(
            str(row.year),
            (
                format_mnok(row.savings_nok),
                mnok_or_dash(row.target_nok),
                gap_text(row.gap_nok),
                fte_text(row.fte_change, row.fte_unknown_count),
                str(row.significant_org_risk_count),
            ),
            (row.savings_nok, row.target_nok, row.gap_nok, None, None),
        )
        for row in figures.years
    ]


def scenario_context(figures: queries.ScenarioFigures, year: int) -> dict:
    """The detail page: per year, per group and effect type in `year`, the risk load and the chosen measures."""
    row = figures.year(year)
    return {
        "figures": figures,
        "year": year,
        "year_lines": year_lines(figures),
        "row": row,
        "choices": [
            (choice, [format_mnok(choice.savings_nok.get(y, 0)) for y in (r.year for r in figures.years)])
            for choice in figures.choices
        ],
    }


def compare_context(programme: Programme, ids: list[int]) -> dict:
    """Up to three scenarios side by side: per year savings, gap, årsverk and risk; groups and effect types."""
    found = [queries.scenario_figures(item) for item in queries.by_ids(programme, ids[:MAX_COMPARED])]
    year = target_year(programme)
    return {"compared": found, "year": year, "lines": compare_lines(found, year)}


def compare_lines(found: list[queries.ScenarioFigures], year: int) -> dict[str, list[Line]]:
    """The comparison's tables: per year, per group in `year`, per effect type in `year`, per measure."""
    years = [row.year for row in found[0].years] if found else []
    per_year = []
    for y in years:
        rows = [figures.year(y) for figures in found]
        per_year += [
            Line(
                f"{y}: innsparing", tuple(format_mnok(r.savings_nok) for r in rows), tuple(r.savings_nok for r in rows)
            ),
            Line(f"{y}: mot målet", tuple(gap_text(r.gap_nok) for r in rows), tuple(r.gap_nok for r in rows)),
            Line(f"{y}: endring i årsverk", tuple(fte_text(r.fte_change, r.fte_unknown_count) for r in rows)),
            Line(f"{y}: tiltak med vesentlig org. risiko", tuple(str(r.significant_org_risk_count) for r in rows)),
        ]
    rows = [figures.year(year) for figures in found]
    numbers = sorted({g.number for r in rows if r for g in r.groups})
    groups = [
        Line(
            f"Gruppe {number}",
            tuple(_group_text(r, number) for r in rows),
            tuple(next((g.savings_nok for g in r.groups if g.number == number), 0) for r in rows),
        )
        for number in numbers
    ]
    kinds = sorted({kind for r in rows if r for kind, _ in r.effect_types})
    types = [Line(kind, tuple(format_mnok(dict(r.effect_types).get(kind, 0)) for r in rows)) for kind in kinds]
    codes = sorted({c.measure_code for f in found for c in f.choices}, key=rules.code_key)
    chosen = [{c.measure_code: c.code for c in f.choices} for f in found]
    measures = [Line(code, tuple(picked.get(code, DASH) for picked in chosen)) for code in codes]
    return {"years": per_year, "groups": groups, "types": types, "measures": measures}


def _group_text(row: rules.ScenarioYear, number: int) -> str:
    group = next((g for g in row.groups if g.number == number), None)
    if group is None:
        return DASH
    if group.gap_nok is None:
        return format_mnok(group.savings_nok)
    requirement = format_mnok(group.requirement_nok)
    return f"{format_mnok(group.savings_nok)} (krav {requirement}, {gap_text(group.gap_nok, REQUIREMENT)})"


# --- the selection form -------------------------------------------------------------------------


def form_data(scenario: Scenario | None) -> dict:
    """A scenario as the form's defaults: `m_<id>` is "*" (whole), a variant key, or "" (left out)."""
    if scenario is None:
        return {}
    data = {"version": str(scenario.version), "name": scenario.name, "description": scenario.description}
    data.update({f"m_{c.measure_id}": c.variant_key or WHOLE for c in scenario.choices})
    return data


def chosen_codes(form, measures: list[Measure]) -> list[str]:
    """The codes the form chose: "1.1" for the whole measure, "1.2:alt1" for a variant."""
    codes = []
    by_id = {measure.id: measure for measure in measures}
    for measure_id, name in form.measure_fields:
        value = getattr(form, name).data or LEFT_OUT
        if value == LEFT_OUT:
            continue
        code = by_id[measure_id].code
        codes.append(code if value == WHOLE else f"{code}:{value}")
    return codes


def selection_rows(form, measures: list[Measure]) -> list[tuple]:
    """(work group label, [(measure, its field, its menu in the target year)]) for the form, group by group."""
    year = target_year(measures[0].programme) if measures else None
    groups: dict = {}
    for measure_id, name in form.measure_fields:
        measure = next(m for m in measures if m.id == measure_id)
        menu = menu_savings(measure).get(year, 0) if year else 0
        groups.setdefault(measure.group.label, []).append((measure, getattr(form, name), menu))
    return list(groups.items())


# --- variants and årsverk ------------------------------------------------------------------------


def variant_form_data(measure: Measure, key: str) -> dict:
    """The stored variant `key` of a measure as the variant form shows it, with the measure's version."""
    data = {"version": str(measure.version), "key": key}
    variant = next((item for item in queries.variants_of(measure) if item.key == (key or "").strip().lower()), None)
    if variant is not None:
        data["title"] = variant.title
        for effect in variant.effects:
            data[f"saving_{effect.year}"] = format_nok(-effect.net_cost_change_nok)
            data[f"fte_{effect.year}"] = fte_input(effect.fte_change)
    return data


def fte_input(value: Decimal | None) -> str:
    """Årsverk as the form shows it: "-1,5", "2", "" for unknown."""
    if value is None:
        return ""
    text = format_decimal(value, 2).replace("\u00a0", " ")
    return text.rstrip("0").rstrip(",") if "," in text else text


def fill_fte(form, measure: Measure) -> None:
    """Show the measure's stored årsverk per year in the form, and its version."""
    form.version.data = str(measure.version)
    for year, value in queries.menu_fte(measure).items():
        if year in form.years:
            getattr(form, f"fte_{year}").set_number(value)
