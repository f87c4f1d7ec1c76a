"""Reading the ledger: mapped sums per measure as SQL, the loaded periods, the deflator table.

The filter patterns of tracker.accounting.rules become SQL conditions here with the same meaning
(tests/test_accounting_mapping.py checks both agree), so sums are computed by the database and
the ledger (500 000 lines a year) is never loaded into Python.
"""

from collections.abc import Hashable, Iterable, Mapping

from sqlalchemy import and_, case, func, or_, select, true

from tracker.accounting.models import AccountingFilter, Deflator, LedgerLine
from tracker.accounting.rules import (
    BASELINE_YEAR,
    DIMENSIONS,
    KIND_ACTUAL,
    KIND_BUDGET,
    FilterSpec,
    LedgerSums,
    Pattern,
    parse_pattern,
)
from tracker.audit.models import AuditEntry
from tracker.extensions import db
from tracker.portfolio.models import Measure, Programme

LINES = LedgerLine.__table__
SUMS_PER_SCAN = 50
SUMS_CACHE_SIZE = 256
IMPORT_ACTION = "accounting.import"
_SUMS_CACHE: dict[tuple, dict] = {}


def pattern_condition(column, pattern: Pattern):
    """SQL for rules.pattern_matches: substr for a prefix (exact on every database), length + between for a range."""
    if pattern.kind == "any":
        return true()
    if pattern.kind == "exact":
        return column == pattern.low
    if pattern.kind == "prefix":
        return func.substr(column, 1, len(pattern.low)) == pattern.low
    return and_(func.length(column) == len(pattern.low), column.between(pattern.low, pattern.high))


def filter_condition(spec: FilterSpec):
    return and_(*(pattern_condition(LINES.c[name], parse_pattern(getattr(spec, name))) for name in DIMENSIONS))


def mapped_condition(specs: Iterable[FilterSpec]):
    """A line matching any of a measure's filters (counted once, however many it matches)."""
    return or_(*(filter_condition(spec) for spec in specs))


def ledger_state() -> tuple:
    """What identifies the stored ledger: the latest import's audit entry and the lines' count, ids and sum.

    Ids alone are not enough: SQLite reuses the highest ids when the latest period is replaced.
    """
    latest_import = select(func.max(AuditEntry.id)).where(AuditEntry.action == IMPORT_ACTION).scalar_subquery()
    statement = select(
        func.count(), func.min(LINES.c.id), func.max(LINES.c.id), func.sum(LINES.c.amount_nok), latest_import
    )
    return (str(db.engine.url), *db.session.execute(statement).one())


def mapped_sums_many(specs_by_key: Mapping[Hashable, list[FilterSpec]], years: Iterable[int]) -> dict:
    """Cached mapped_sums_uncached: the dashboard, summary and reports ask the same until the next import.

    The key holds the ledger's state and the filters themselves, so another process's import or a
    changed filter is never served stale; the cache lives per process and keeps the newest entries.
    """
    key = (ledger_state(), tuple((k, tuple(v)) for k, v in specs_by_key.items()), tuple(sorted(set(years))))
    if key not in _SUMS_CACHE:
        if len(_SUMS_CACHE) >= SUMS_CACHE_SIZE:
            _SUMS_CACHE.pop(next(iter(_SUMS_CACHE)))
        _SUMS_CACHE[key] = mapped_sums_uncached(specs_by_key, years)
    return _SUMS_CACHE[key]


def mapped_sums_uncached(specs_by_key: Mapping[Hashable, list[FilterSpec]], years: Iterable[int]) -> dict:
    """{key: LedgerSums} of the lines each key's filters select, for the baseline year and `years`.

    One scan of the ledger serves up to SUMS_PER_SCAN measures (a SUM(CASE …) column each), so
    the dashboard reads a year of 500 000 lines once instead of once per measure.
    """
    wanted = sorted({BASELINE_YEAR, *years})
    keys = list(specs_by_key)
    found: dict[Hashable, dict] = {key: {} for key in keys}
    for start in range(0, len(keys), SUMS_PER_SCAN):
        part = keys[start : start + SUMS_PER_SCAN]
        columns = [func.sum(case((mapped_condition(specs_by_key[key]), LINES.c.amount_nok))) for key in part]
        statement = (
            select(LINES.c.kind, LINES.c.year, LINES.c.period, *columns)
            .where(LINES.c.year.in_(wanted))
            .group_by(LINES.c.kind, LINES.c.year, LINES.c.period)
        )
        for kind, year, period, *totals in db.session.execute(statement):
            for key, total in zip(part, totals, strict=True):
                if total is not None:
                    found[key][(kind, year, period)] = int(total)
    return {key: LedgerSums(amounts) for key, amounts in found.items()}


def mapped_sums(specs: list[FilterSpec], years: Iterable[int]) -> LedgerSums:
    """The sums for one measure's filters (see mapped_sums_many)."""
    return mapped_sums_many({0: specs}, years)[0]


def last_actual_periods() -> dict[int, int]:
    """The latest period with actuals in the ledger, per year."""
    statement = select(LINES.c.year, func.max(LINES.c.period)).where(LINES.c.kind == KIND_ACTUAL).group_by(LINES.c.year)
    return dict(db.session.execute(statement).all())


def budget_years() -> dict[int, bool]:
    statement = select(LINES.c.year).where(LINES.c.kind == KIND_BUDGET).distinct()
    return dict.fromkeys(db.session.scalars(statement), True)


def deflator_rates() -> dict[int, int]:
    return dict(db.session.execute(select(Deflator.year, Deflator.rate_basis_points)).all())


def deflators() -> list[Deflator]:
    return list(db.session.scalars(select(Deflator).order_by(Deflator.year)))


def loaded_periods() -> list[tuple[str, int, int, int, int]]:
    """(kind, year, period, lines, sum in kroner) for every period stored."""
    statement = (
        select(LINES.c.kind, LINES.c.year, LINES.c.period, func.count(), func.sum(LINES.c.amount_nok))
        .group_by(LINES.c.kind, LINES.c.year, LINES.c.period)
        .order_by(LINES.c.kind, LINES.c.year, LINES.c.period)
    )
    return [
        (kind, year, period, count, int(total)) for kind, year, period, count, total in db.session.execute(statement)
    ]


def measure_filters(measure_id: int) -> list[AccountingFilter]:
    statement = select(AccountingFilter).where(AccountingFilter.measure_id == measure_id).order_by(AccountingFilter.id)
    return list(db.session.scalars(statement))


def spec_of(item: AccountingFilter) -> FilterSpec:
    return FilterSpec(item.ansvar, item.art, item.funksjon, item.prosjekt)


def measure_specs(measure_id: int) -> list[FilterSpec]:
    """A measure's filters as rules see them, in the order they were added."""
    return [spec_of(item) for item in measure_filters(measure_id)]


def programme_filters(programme: Programme) -> dict[int, tuple[str, list[FilterSpec]]]:
    """{measure id: (code, filters)} for every mapped measure of the programme."""
    statement = (
        select(Measure.id, Measure.code, AccountingFilter)
        .join(AccountingFilter, AccountingFilter.measure_id == Measure.id)
        .where(Measure.programme_id == programme.id)
        .order_by(Measure.sort_key, AccountingFilter.id)
    )
    found: dict[int, tuple[str, list[FilterSpec]]] = {}
    for measure_id, code, item in db.session.execute(statement):
        found.setdefault(measure_id, (code, []))[1].append(spec_of(item))
    return found


def matching_lines(specs: list[FilterSpec], year: int, limit: int, offset: int = 0) -> tuple[int, list[LedgerLine]]:
    """The ledger lines a measure's filters select in a year (admins only): the count and one page."""
    condition = and_(LedgerLine.year == year, mapped_condition(specs))
    count = db.session.scalar(select(func.count()).select_from(LedgerLine).where(condition))
    statement = (
        select(LedgerLine)
        .where(condition)
        .order_by(LedgerLine.kind, LedgerLine.period, LedgerLine.ansvar, LedgerLine.art, LedgerLine.id)
        .limit(limit)
        .offset(offset)
    )
    return count or 0, list(db.session.scalars(statement))
