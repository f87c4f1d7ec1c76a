"""Example ledger data for `demo load`, generated from the report's planned savings. "Eksempeldata".

Never Elverum's accounts: every line has prosjekt "EKSEMPEL" and a made-up ansvar 9xxx, the
deflators are marked as example values, and the programme is flagged `has_example_data`, so every
page says so. A newcomer sees mapped measures with a baseline, actuals so far and a budget, some
confirming the reported saving and some not.
"""

from tracker.accounting import services
from tracker.accounting.models import Deflator, LedgerLine
from tracker.accounting.rules import BASELINE_YEAR, KIND_ACTUAL, KIND_BUDGET, FilterSpec
from tracker.accounts.models import User
from tracker.accounts.permissions import SystemActor, require_actor
from tracker.extensions import db
from tracker.portfolio.models import Measure

EXAMPLE_PROJECT = "EKSEMPEL"
EXAMPLE_DEFLATORS = {2025: 430, 2026: 340}
# Cost base 2024 of a measure's lines: this many times its largest planned yearly saving.
BASE_PER_SAVING = 8
MIN_BASE_NOK = 2_000_000
# Monthly profile of the cost base (holiday pay in June, little booked in July): sums to 12.
PROFILE = (0.95, 0.95, 1.0, 1.0, 1.0, 1.45, 0.5, 1.0, 1.0, 1.0, 1.0, 1.15)
# Art and share of each month: wages, goods, services.
ARTS = (("10100", 0.6), ("11000", 0.25), ("12700", 0.15))
# How much of the planned saving shows in the example ledger, by position (cycled): some do not.
CONFIRMED = (1.0, 0.9, 1.0, 0.4, 1.1, 1.0)
# Share of the planned saving taken out of the example budget, by position (cycled).
TAKEN_OUT = (1.0, 0.8, 1.0, 0.0)
# Every UNMAPPED_EVERY-th measure is left unmapped, so the mapped share is below 100 %.
UNMAPPED_EVERY = 5


def _lines(kind: str, year: int, months: range | tuple, amount_by_month, ansvar: str, funksjon: str) -> list:
    return [
        LedgerLine(
            kind=kind,
            year=year,
            period=month,
            ansvar=ansvar,
            art=art,
            funksjon=funksjon,
            prosjekt=EXAMPLE_PROJECT,
            amount_nok=int(round(amount_by_month(month) * share)),
        )
        for month in months
        for art, share in ARTS
    ]


def _measure_lines(measure: Measure, index: int, year: int, last_month: int) -> list:
    savings = [-effect.net_cost_change_nok for effect in measure.planned_effects]
    base = max(MIN_BASE_NOK, BASE_PER_SAVING * max(savings, default=0))
    planned = -measure.planned_net_change_by_year().get(year, 0)
    index_factor = 1
    for each in range(BASELINE_YEAR + 1, year + 1):
        index_factor *= (10_000 + EXAMPLE_DEFLATORS.get(each, 0)) / 10_000
    year_cost = base * index_factor - planned * CONFIRMED[index % len(CONFIRMED)]
    budget = base * index_factor - planned * TAKEN_OUT[index % len(TAKEN_OUT)]
    ansvar, funksjon = f"9{index:03d}", f"{200 + 5 * measure.group.number}"
    return [
        *_lines(KIND_ACTUAL, BASELINE_YEAR, range(1, 13), lambda m: base * PROFILE[m - 1] / 12, ansvar, funksjon),
        *_lines(
            KIND_ACTUAL, year, range(1, last_month + 1), lambda m: year_cost * PROFILE[m - 1] / 12, ansvar, funksjon
        ),
        *_lines(KIND_BUDGET, year, (0,), lambda _: budget, ansvar, funksjon),
    ]


def load_example_ledger(measures: list[Measure], year: int, last_month: int, actor: User | SystemActor) -> int:
    """Map the measures to example ledger lines and add them; the number of lines. The caller commits."""
    require_actor(actor)
    lines = []
    for index, measure in enumerate(measures):
        if index % UNMAPPED_EVERY == UNMAPPED_EVERY - 1:
            continue
        ansvar = f"9{index:03d}"
        services.set_filters(measure, [FilterSpec(ansvar=ansvar, prosjekt=EXAMPLE_PROJECT)], actor)
        lines.extend(_measure_lines(measure, index, year, last_month))
    db.session.add_all(lines)
    for each, rate in EXAMPLE_DEFLATORS.items():
        db.session.merge(Deflator(year=each, rate_basis_points=rate, source="Eksempeldata, ikke fra statsbudsjettet"))
    return len(lines)
