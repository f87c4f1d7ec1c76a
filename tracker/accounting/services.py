"""Accounting services: mapping filters and deflators (admins, audited) and the comparison per measure.

Writes take an explicit actor and never commit. Reads return aggregates only; ledger lines
themselves are listed by tracker.accounting.queries.matching_lines behind an admin check.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask import current_app

from tracker.accounting import queries, rules
from tracker.accounting.models import AccountingFilter, Deflator
from tracker.accounting.rules import AccountingYear, FilterSpec
from tracker.accounts.models import User
from tracker.accounts.permissions import SystemActor, require_actor, require_admin
from tracker.audit import services as audit
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.portfolio.models import Measure, Programme
from tracker.text import check_texts, line

DEFLATOR_SOURCE = line(200)


class AccountingError(ServiceError):
    """A mapping or deflator the rules refuse."""


def thresholds() -> tuple[int, int]:
    """(percent, kroner): reported and ledger apart by more than both is a large difference."""
    return current_app.config["ACCOUNTING_DIFFERENCE_PCT"], current_app.config["ACCOUNTING_DIFFERENCE_MIN_NOK"]


# --- mapping filters ------------------------------------------------------------------------------


def check_filters(rows: Iterable[Mapping[str, object]]) -> tuple[list[FilterSpec], dict[str, str]]:
    """Parse filters ({ansvar, art, funksjon, prosjekt}); errors keyed "n.dimension" (n from 1)."""
    specs, errors = [], {}
    for number, row in enumerate(rows, start=1):
        spec, problems = rules.parse_filter(row)
        specs.append(spec)
        errors |= {f"{number}.{name}": message for name, message in problems.items()}
    return specs, errors


def _labels(specs: Iterable[FilterSpec]) -> list[str]:
    return [spec.label for spec in specs]


def set_filters(
    measure: Measure, specs: list[FilterSpec], actor: User | SystemActor, is_audited: bool = True
) -> dict[str, dict]:
    """Make the measure's filters exactly `specs`; the change ({} when none), audited unless the caller does."""
    require_actor(actor)
    require_admin(actor, "accounting.filters")
    existing = queries.measure_filters(measure.id)
    before = [queries.spec_of(item) for item in existing]
    wanted = list(dict.fromkeys(specs))
    if before == wanted:
        return {}
    for item in existing:
        db.session.delete(item)
    db.session.add_all(AccountingFilter(measure_id=measure.id, **spec.__dict__) for spec in wanted)
    changes = {"accounting_filters": {"old": _labels(before), "new": _labels(wanted)}}
    if is_audited:
        audit.record("accounting.filters", user=actor, obj=measure, changes=changes)
    return changes


def add_filter(measure: Measure, values: Mapping[str, object], actor: User | SystemActor) -> AccountingFilter:
    """Add one filter to a measure (the measure page's form)."""
    require_actor(actor)
    require_admin(actor, "accounting.filters")
    spec, errors = rules.parse_filter(values)
    if errors:
        raise AccountingError("Filteret er ikke gyldig.", errors)
    if spec in queries.measure_specs(measure.id):
        raise AccountingError("Tiltaket har allerede dette filteret.", {"ansvar": "Filteret finnes allerede."})
    item = AccountingFilter(measure_id=measure.id, **spec.__dict__)
    db.session.add(item)
    audit.record("accounting.filter.add", user=actor, obj=item, label=f"{measure.code}: {spec.label}"[:300])
    return item


def remove_filter(item: AccountingFilter, actor: User | SystemActor) -> None:
    require_actor(actor)
    require_admin(actor, "accounting.filters")
    measure = db.session.get(Measure, item.measure_id)
    label = f"{measure.code}: {queries.spec_of(item).label}"[:300]
    audit.record("accounting.filter.remove", user=actor, obj=item, label=label, changes=audit.deleted(item))
    db.session.delete(item)


@dataclass(frozen=True)
class Overlap:
    """Two measures whose filters may select the same ledger lines (then both count them)."""

    first_code: str
    second_code: str
    first_filter: str
    second_filter: str


def overlaps(programme: Programme, only_measure_id: int | None = None) -> list[Overlap]:
    """Pairs of filters on different measures that can match a common line."""
    mapped = list(queries.programme_filters(programme).items())
    found = []
    for index, (first_id, (first_code, first_specs)) in enumerate(mapped):
        for second_id, (second_code, second_specs) in mapped[index + 1 :]:
            if only_measure_id not in (None, first_id, second_id):
                continue
            found.extend(
                Overlap(first_code, second_code, one.label, other.label)
                for one in first_specs
                for other in second_specs
                if rules.filters_overlap(one, other)
            )
    return found


# --- deflators ------------------------------------------------------------------------------------


def set_deflator(year: int, rate_basis_points: int, source: str, actor: User | SystemActor) -> Deflator:
    """Store the municipal deflator for a year (hundredths of a percent); audited."""
    require_actor(actor)
    require_admin(actor, "accounting.deflator")
    if not 2000 <= year <= 2100 or not -5_000 <= rate_basis_points <= 5_000:
        raise AccountingError("Ugyldig deflator.", {"year": "Oppgi et år og en deflator mellom −50 og 50 prosent."})
    check_texts({"source": source}, {"source": DEFLATOR_SOURCE}, AccountingError)
    item = db.session.get(Deflator, year) or Deflator(year=year, rate_basis_points=0, source="")
    before = {"rate_basis_points": item.rate_basis_points if item in db.session else None, "source": item.source}
    item.rate_basis_points, item.source = rate_basis_points, source.strip()
    db.session.add(item)
    changes = audit.diff(before, {"rate_basis_points": rate_basis_points, "source": item.source})
    audit.record("accounting.deflator", user=actor, label=f"Deflator {year}", changes=changes)
    return item


# --- the comparison -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerContext:
    """What every comparison needs from the whole ledger, read once."""

    last_periods: dict[int, int]
    budget_years: dict[int, bool]
    rates: dict[int, int]

    @classmethod
    def load(cls, through: tuple[int, int] | None = None) -> "LedgerContext":
        """The context; `through` = (year, month) leaves out actuals booked after that month."""
        last_periods = queries.last_actual_periods()
        if through is not None:
            last_periods = rules.periods_through(last_periods, *through)
        return cls(last_periods, queries.budget_years(), queries.deflator_rates())


def _years(sums: rules.LedgerSums, years: list[int], context: LedgerContext) -> list[AccountingYear]:
    return [
        rules.accounting_year(year, sums, context.last_periods, context.budget_years, context.rates) for year in years
    ]


def measure_ledger(measure: Measure, years: list[int]) -> list[AccountingYear] | None:
    """The measure's ledger figures per year, or None when it is not mapped."""
    specs = queries.measure_specs(measure.id)
    return _years(queries.mapped_sums(specs, years), years, LedgerContext.load()) if specs else None


def programme_ledger(
    programme: Programme, years: list[int], through: tuple[int, int] | None = None
) -> dict[str, dict[int, AccountingYear]]:
    """{measure code: {year: AccountingYear}} for every mapped measure of the programme.

    `through` = (year, month): actuals booked after that month are left out (see LedgerContext).
    """
    context = LedgerContext.load(through)
    mapped = dict(queries.programme_filters(programme).values())
    sums = queries.mapped_sums_many(mapped, years)
    return {code: {row.year: row for row in _years(sums[code], years, context)} for code in mapped}


@dataclass(frozen=True)
class ProgrammeComparison:
    """The programme against the ledger: totals per year, large differences, the mapped share of the plan."""

    years: tuple[rules.YearTotals, ...]
    deviations: tuple[tuple[str, rules.Comparison], ...]
    mapped_share: float | None  # of the whole plan, all years

    def year(self, year: int) -> rules.YearTotals | None:
        return next((row for row in self.years if row.year == year), None)


def programme_comparison(
    programme: Programme, measure_rows: Iterable, years: list[int], through: tuple[int, int] | None = None
) -> ProgrammeComparison:
    """Reported against the ledger for every year; `measure_rows` are the benefits rows of the measures
    counting in totals (code, year, planned_nok, realised_nok, taken_out_nok). `through` = (year,
    month) compares with the ledger as it stood at that month's end (the reports' quarter)."""
    reported = {(row.code, row.year): (row.planned_nok, row.realised_nok, row.taken_out_nok) for row in measure_rows}
    ledger = programme_ledger(programme, years, through)
    percent, minimum = thresholds()
    totals, deviations = [], []
    for year in years:
        reported_year = {code: values for (code, each), values in reported.items() if each == year}
        on_ledger = {code: by_year[year] for code, by_year in ledger.items() if year in by_year}
        totals.append(rules.year_totals(year, on_ledger, reported_year))
        for code in sorted(set(on_ledger) & set(reported_year)):
            _, realised, taken_out = reported_year[code]
            comparison = rules.compare(on_ledger[code], realised, taken_out, percent, minimum)
            if comparison.is_large_difference:
                deviations.append((code, comparison))
    planned = {}
    for (code, _), (amount, _, _) in reported.items():
        planned[code] = planned.get(code, 0) + amount
    return ProgrammeComparison(tuple(totals), tuple(deviations), rules.mapped_share(planned, ledger))


def summary_keys(comparison: ProgrammeComparison) -> dict[str, dict]:
    """The keys `portfolio summary --json` adds to each year (null where nothing mapped has figures)."""
    return {
        str(row.year): {
            "accounting_indicated_nok": row.indicated_nok,
            "accounting_taken_out_nok": row.taken_out_nok,
            "accounting_mapped_share": row.mapped_share,
        }
        for row in comparison.years
    }
