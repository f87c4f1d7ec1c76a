"""Scenario figures (budsjettalternativer): what a selection from the menu saves, per year. Pure.

A scenario is a named selection of measures from the menu. Each choice is a whole measure ("1.2",
the report's figures) or one of its mutually exclusive variants ("1.2:alt1", the variant's own
figures). Per year of the plan period a scenario has its savings, the gap to the year's target,
the change in årsverk (known numbers summed; how many are unknown counted), the organisational-risk
load (chosen measures with significant risk that have an effect that year, per group and per owner)
and the mix of effect types. The rules, with worked examples, are in docs/benefits.md.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

NO_OWNER = "Ingen tiltaksansvarlig"
# Årsverk are stored as Numeric(8, 2): a change beyond this is a typing error, not a plan.
MAX_ABS_FTE = 100_000
CODE_RE = re.compile(r"^(\d{1,3}\.\d{1,3})(?::([A-Za-z0-9_-]{1,20}))?$")
VARIANT_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


@dataclass(frozen=True)
class Choice:
    """One measure in a scenario, with the figures it brings: the report's, or its variant's."""

    measure_code: str
    variant: str | None
    title: str
    group_number: int
    effect_type: str
    owner: str | None = None
    has_significant_org_risk: bool = False
    # {year: saving in kroner, positive = saving}.
    savings_nok: Mapping[int, int] = field(default_factory=dict)
    # {year: change in årsverk (negative = fewer)}; a year missing or None is unknown.
    fte_change: Mapping[int, Decimal | None] = field(default_factory=dict)

    @property
    def code(self) -> str:
        """ "1.2" for the whole measure, "1.2:alt1" for a variant."""
        return f"{self.measure_code}:{self.variant}" if self.variant else self.measure_code

    def is_in_effect(self, year: int) -> bool:
        """Whether the measure saves or costs anything that year (its organisational risk then weighs)."""
        return self.savings_nok.get(year, 0) != 0


@dataclass(frozen=True)
class GroupYear:
    number: int
    savings_nok: int
    requirement_nok: int | None
    gap_nok: int | None


@dataclass(frozen=True)
class ScenarioYear:
    year: int
    savings_nok: int
    target_nok: int | None
    gap_nok: int | None
    # Sum of the known changes in årsverk; `fte_unknown_count` choices have no number for the year.
    fte_change: Decimal
    fte_unknown_count: int
    significant_org_risk_count: int
    risk_by_group: tuple[tuple[int, int], ...]
    risk_by_owner: tuple[tuple[str, int], ...]
    effect_types: tuple[tuple[str, int], ...]
    groups: tuple[GroupYear, ...]


def code_key(code: str) -> tuple:
    """Sort key: "4.10" after "4.9", a variant after its measure."""
    measure, _, variant = code.partition(":")
    return (*(int(part) for part in measure.split(".")), variant)


def parse_codes(text: str | Iterable[str]) -> tuple[list[tuple[str, str | None]], list[str]]:
    """ "1.1,2.3,1.2:alt1" → [(measure code, variant or None)] in the order given, and the problems found."""
    items = [item.strip() for item in (text.split(",") if isinstance(text, str) else text)]
    parsed, errors, seen = [], [], {}
    for item in items:
        if not item:
            continue
        match = CODE_RE.match(item)
        if match is None:
            errors.append(f"«{item}» er ikke en tiltakskode som 1.1 eller 1.2:alt1.")
            continue
        code, variant = match.group(1), (match.group(2) or "").lower() or None
        if code in seen:
            errors.append(
                f"Tiltak {code} står to ganger («{seen[code]}» og «{item}»): alternativene utelukker hverandre."
            )
            continue
        seen[code] = item
        parsed.append((code, variant))
    return parsed, errors


def check_choices(parsed: list[tuple[str, str | None]], variants: Mapping[str, Iterable[str]]) -> list[str]:
    """Problems with parsed codes against the programme: {measure code: its variant keys} of every measure."""
    errors = []
    for code, variant in parsed:
        if code not in variants:
            errors.append(f"Ukjent tiltakskode «{code}».")
        elif variant is not None and variant not in set(variants[code]):
            known = ", ".join(sorted(variants[code])) or "ingen"
            errors.append(f"Tiltak {code} har ikke alternativet «{variant}» (alternativer: {known}).")
    if not parsed and not errors:
        errors.append("Velg minst ett tiltak.")
    return errors


def year_problems(years: Iterable[int], plan_years: list[int]) -> str | None:
    """Why figures for `years` cannot be stored (a year outside the plan period), or None."""
    wrong = sorted(set(years) - set(plan_years))
    if not wrong:
        return None
    return (
        f"{', '.join(map(str, wrong))} er utenfor planperioden: tallene gjelder årene {plan_years[0]}-{plan_years[-1]}."
        if plan_years
        else "Programmet har ingen planperiode."
    )


def _counted(pairs: Iterable) -> tuple:
    counts: dict = {}
    for key in pairs:
        counts[key] = counts.get(key, 0) + 1
    return tuple(sorted(counts.items()))


def _sum_by(choices: list[Choice], year: int, key) -> dict:
    sums: dict = {}
    for choice in choices:
        sums[key(choice)] = sums.get(key(choice), 0) + choice.savings_nok.get(year, 0)
    return sums


def scenario_year(
    choices: list[Choice], year: int, target_nok: int | None, requirements: Mapping[int, int] | None = None
) -> ScenarioYear:
    """A scenario's figures for one year; `requirements` is {group number: requirement that year}."""
    requirements = requirements or {}
    savings = sum(choice.savings_nok.get(year, 0) for choice in choices)
    known = [choice.fte_change.get(year) for choice in choices]
    loaded = [choice for choice in choices if choice.has_significant_org_risk and choice.is_in_effect(year)]
    by_group = _sum_by(choices, year, lambda choice: choice.group_number)
    groups = tuple(
        GroupYear(
            number,
            by_group.get(number, 0),
            requirements.get(number),
            None if requirements.get(number) is None else requirements[number] - by_group.get(number, 0),
        )
        for number in sorted(set(by_group) | set(requirements))
    )
    return ScenarioYear(
        year=year,
        savings_nok=savings,
        target_nok=target_nok,
        gap_nok=None if target_nok is None else target_nok - savings,
        fte_change=sum((value for value in known if value is not None), Decimal(0)),
        fte_unknown_count=sum(value is None for value in known),
        significant_org_risk_count=len(loaded),
        risk_by_group=_counted(choice.group_number for choice in loaded),
        risk_by_owner=_counted(choice.owner or NO_OWNER for choice in loaded),
        effect_types=tuple(sorted(_sum_by(choices, year, lambda choice: choice.effect_type).items())),
        groups=groups,
    )


def scenario_years(
    choices: Iterable[Choice],
    years: Iterable[int],
    targets: Mapping[int, int],
    requirements: Mapping[int, Mapping[int, int]] | None = None,
) -> tuple[ScenarioYear, ...]:
    """Per year: savings, target and gap, årsverk, organisational-risk load and effect-type mix.

    `requirements` is {year: {group number: requirement}}.
    """
    choices = list(choices)
    requirements = requirements or {}
    return tuple(scenario_year(choices, year, targets.get(year), requirements.get(year)) for year in sorted(years))
