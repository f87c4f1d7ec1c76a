"""The accounting comparison as pure functions: filter patterns, deflator, extrapolation, indications.

Signs: ledger amounts are costs (positive) and revenues (negative), as exported; a saving is a
lower cost, so every indication here is positive when the ledger shows a saving.
All money is whole kroner; intermediate values are exact fractions, rounded half away from zero once.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

# The report measures every effect against regnskap 2024.
BASELINE_YEAR = 2024
KIND_ACTUAL = "actual"
KIND_BUDGET = "budget"
KIND_LABELS = {KIND_ACTUAL: "Regnskap", KIND_BUDGET: "Budsjett"}
DIMENSIONS = ("ansvar", "art", "funksjon", "prosjekt")
DIMENSION_LABELS = {"ansvar": "Ansvar", "art": "Art", "funksjon": "Funksjon", "prosjekt": "Prosjekt"}
MONTHS = tuple(range(1, 13))
# The widest pattern each dimension's column holds (a range is two codes and a dash).
MAX_PATTERN_CHARS = {"ansvar": 41, "art": 41, "funksjon": 41, "prosjekt": 61}
_CODE_CHARS = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÆØÅæøå._")


class PatternError(ValueError):
    """A filter pattern that cannot be read, with a Norwegian message."""


@dataclass(frozen=True)
class Pattern:
    """One dimension's pattern: "" (any), exact "265", prefix "31*" or range "10000-10999"."""

    kind: str  # "any" | "exact" | "prefix" | "range"
    low: str = ""
    high: str = ""

    @property
    def text(self) -> str:
        return {"any": "", "exact": self.low, "prefix": f"{self.low}*", "range": f"{self.low}-{self.high}"}[self.kind]


def _check_code(code: str, text: str) -> None:
    if not code or not set(code) <= _CODE_CHARS:
        raise PatternError(f"«{text}» er ikke et gyldig mønster. Skriv for eksempel 265, 31* eller 10000-10999.")


def parse_pattern(text: str | int | None) -> Pattern:
    """Read a pattern; blank matches any code. Ranges need bounds of equal length, low ≤ high."""
    cleaned = "" if text is None else str(text).strip().replace(" ", "")
    if not cleaned or cleaned == "*":
        return Pattern("any")
    if cleaned.endswith("*"):
        _check_code(cleaned[:-1], cleaned)
        return Pattern("prefix", cleaned[:-1])
    if "-" in cleaned:
        low, _, high = cleaned.partition("-")
        _check_code(low, cleaned)
        _check_code(high, cleaned)
        if len(low) != len(high):
            raise PatternError(f"«{cleaned}»: begge grensene i et intervall må ha like mange siffer.")
        if low > high:
            raise PatternError(f"«{cleaned}»: fra-verdien må være lavere enn til-verdien.")
        return Pattern("range", low, high)
    _check_code(cleaned, cleaned)
    return Pattern("exact", cleaned)


def pattern_matches(pattern: Pattern, code: str) -> bool:
    """Whether a ledger code matches; ranges compare codes of the bounds' length as text (digits order)."""
    if pattern.kind == "any":
        return True
    if pattern.kind == "exact":
        return code == pattern.low
    if pattern.kind == "prefix":
        return code.startswith(pattern.low)
    return len(code) == len(pattern.low) and pattern.low <= code <= pattern.high


def _code_span(pattern: Pattern, length: int) -> tuple[str, str] | None:
    """The codes of one length a non-"any" pattern can match, as an inclusive text interval."""
    if pattern.kind == "range":
        return (pattern.low, pattern.high) if length == len(pattern.low) else None
    if len(pattern.low) > length or (pattern.kind == "exact" and len(pattern.low) != length):
        return None
    pad = length - len(pattern.low)
    return pattern.low + "0" * pad, pattern.low + "9" * pad


def patterns_overlap(first: Pattern, second: Pattern) -> bool:
    """Whether some code could match both patterns (codes are digits; a cautious answer for others)."""
    if "any" in (first.kind, second.kind):
        return True
    if first.kind == "prefix" and second.kind == "prefix":
        return first.low.startswith(second.low) or second.low.startswith(first.low)
    lengths = {len(p.low) for p in (first, second) if p.kind != "prefix"}
    for length in lengths:
        spans = (_code_span(first, length), _code_span(second, length))
        if None not in spans and spans[0][0] <= spans[1][1] and spans[1][0] <= spans[0][1]:
            return True
    return False


@dataclass(frozen=True)
class FilterSpec:
    """One mapping filter: a pattern text per dimension ("" = any)."""

    ansvar: str = ""
    art: str = ""
    funksjon: str = ""
    prosjekt: str = ""

    def patterns(self) -> dict[str, Pattern]:
        return {name: parse_pattern(getattr(self, name)) for name in DIMENSIONS}

    @property
    def label(self) -> str:
        return ", ".join(f"{DIMENSION_LABELS[n]} {getattr(self, n)}" for n in DIMENSIONS if getattr(self, n))


def parse_filter(values: Mapping[str, object]) -> tuple[FilterSpec, dict[str, str]]:
    """A FilterSpec in canonical form and {dimension: error}; a filter needs ansvar, art or funksjon."""
    texts, errors = {}, {}
    for name in DIMENSIONS:
        raw = values.get(name)
        if isinstance(raw, str) and len(raw.strip()) > MAX_PATTERN_CHARS[name]:
            texts[name], errors[name] = "", f"Mønsteret kan ha høyst {MAX_PATTERN_CHARS[name]} tegn."
            continue
        try:
            texts[name] = parse_pattern(raw).text
        except PatternError as exc:
            texts[name], errors[name] = "", str(exc)
    if not errors and not (texts["ansvar"] or texts["art"] or texts["funksjon"]):
        errors["ansvar"] = "Oppgi minst ett av ansvar, art og funksjon; ellers gjelder filteret hele regnskapet."
    return FilterSpec(**texts), errors


def filter_matches(spec: FilterSpec, line: Mapping[str, str]) -> bool:
    """Whether a ledger line ({dimension: code}) is one the filter selects."""
    return all(pattern_matches(pattern, line.get(name) or "") for name, pattern in spec.patterns().items())


def filters_overlap(first: FilterSpec, second: FilterSpec) -> bool:
    """Whether some ledger line could match both filters (then two measures may count it)."""
    one, other = first.patterns(), second.patterns()
    return all(patterns_overlap(one[name], other[name]) for name in DIMENSIONS)


# --- the comparison ------------------------------------------------------------------------------


def round_nok(value: Fraction | int) -> int:
    """Whole kroner, half away from zero (as money.format_mnok rounds)."""
    value = Fraction(value)
    whole = (abs(value.numerator) * 2 + value.denominator) // (2 * value.denominator)
    return whole if value >= 0 else -whole


def deflator_index(year: int, rates_basis_points: Mapping[int, int]) -> tuple[Fraction, tuple[int, ...]]:
    """Price index of `year` relative to the baseline year, and the years that had no deflator.

    The product of (1 + deflator) over the years after the baseline up to `year`; a missing year
    counts as 1,0 (no price change) and is returned so the page can say so.
    """
    index, missing = Fraction(1), []
    for each in range(BASELINE_YEAR + 1, year + 1):
        if each in rates_basis_points:
            index *= Fraction(10_000 + rates_basis_points[each], 10_000)
        else:
            missing.append(each)
    return index, tuple(missing)


def seasonal_share(baseline_by_period: Mapping[int, int], last_period: int) -> tuple[Fraction, bool]:
    """Share of the baseline year's amount booked in periods 1..last_period, and whether it is linear.

    Falls back to last_period/12 when the baseline has no usable profile (nothing booked, or a
    share at or below zero or above one, which revenues on the mapped lines can cause).
    """
    total = sum(baseline_by_period.get(month, 0) for month in MONTHS)
    so_far = sum(baseline_by_period.get(month, 0) for month in MONTHS if month <= last_period)
    if total != 0:
        share = Fraction(so_far, total)
        if 0 < share <= 1:
            return share, False
    return Fraction(last_period, 12), True


def extrapolated_year_nok(actual_to_date_nok: int, last_period: int, baseline_by_period: Mapping[int, int]) -> int:
    """The year's actuals extrapolated from periods 1..last_period with the baseline's seasonal profile."""
    share, _ = seasonal_share(baseline_by_period, last_period)
    return round_nok(Fraction(actual_to_date_nok) / share)


@dataclass(frozen=True)
class AccountingYear:
    """One measure's (or the programme's) ledger figures for one year."""

    year: int
    baseline_nok: int
    deflator_index: Fraction
    missing_deflator_years: tuple[int, ...]
    adjusted_baseline_nok: int
    last_period: int | None  # latest period with actuals in the ledger; None = no actuals yet
    actual_to_date_nok: int | None
    extrapolated_nok: int | None
    is_linear_profile: bool
    budget_nok: int | None
    # "Indikasjon i regnskapet": adjusted baseline − extrapolated actuals (a saving is positive).
    indicated_nok: int | None
    # The same for the periods so far (adjusted baseline of periods 1..last − actuals so far): what
    # compares with the realised saving an owner reports to date.
    indicated_to_date_nok: int | None
    # "Tatt ut av budsjett (regnskapsført)": adjusted baseline − the year's budget.
    taken_out_nok: int | None


def periods_through(last_periods: Mapping[int, int], year: int, month: int) -> dict[int, int]:
    """The ledger's latest actual period per year as it could be known at the end of (year, month).

    A report for a quarter shows the quarter as it stood at its end: months booked after it do not
    count, even when the ledger holds them by the time the report is built.
    """
    return {each: min(last, month) if each == year else last for each, last in last_periods.items() if each <= year}


@dataclass(frozen=True)
class LedgerSums:
    """A measure's mapped ledger sums: {(kind, year, period): kroner}."""

    amounts: Mapping[tuple[str, int, int], int]

    def by_period(self, kind: str, year: int) -> dict[int, int]:
        return {p: a for (k, y, p), a in self.amounts.items() if k == kind and y == year}


def accounting_year(
    year: int,
    sums: LedgerSums,
    last_periods: Mapping[int, int],
    has_budget: Mapping[int, bool],
    rates_basis_points: Mapping[int, int],
) -> AccountingYear:
    """The comparison for one year: adjusted baseline against extrapolated actuals and the budget.

    `last_periods` is the ledger's latest actual period per year (for the whole ledger, so a month
    with nothing on the mapped lines still counts as booked); `has_budget` says which years have a
    budget imported at all (a mapped line without budget then has budget 0).
    """
    baseline = sums.by_period(KIND_ACTUAL, BASELINE_YEAR)
    baseline_nok = sum(baseline.values())
    index, missing = deflator_index(year, rates_basis_points)
    adjusted = round_nok(baseline_nok * index)
    last = last_periods.get(year)
    actual = extrapolated = indicated = indicated_to_date = None
    is_linear = False
    if last:
        actual = sum(a for p, a in sums.by_period(KIND_ACTUAL, year).items() if 1 <= p <= last)
        share, is_linear = seasonal_share(baseline, last)
        extrapolated = extrapolated_year_nok(actual, last, baseline)
        indicated = adjusted - extrapolated
        indicated_to_date = round_nok(baseline_nok * index * share) - actual
    budget = sum(sums.by_period(KIND_BUDGET, year).values()) if has_budget.get(year) else None
    taken_out = None if budget is None else adjusted - budget
    return AccountingYear(
        year,
        baseline_nok,
        index,
        missing,
        adjusted,
        last,
        actual,
        extrapolated,
        is_linear,
        budget,
        indicated,
        indicated_to_date,
        taken_out,
    )


def is_large_difference(reported_nok: int, ledger_nok: int | None, threshold_pct: int, threshold_min_nok: int) -> bool:
    """Reported and ledger differ by more than both thresholds (percent of the reported, and kroner)."""
    if ledger_nok is None:
        return False
    difference = abs(reported_nok - ledger_nok)
    return difference > threshold_min_nok and difference * 100 > threshold_pct * abs(reported_nok)


def mapped_share(planned_by_code: Mapping[str, int], mapped_codes: Iterable[str]) -> float | None:
    """Share (0–1) of the planned saving that lies on mapped measures; None when nothing is planned."""
    total = sum(planned_by_code.values())
    if total == 0:
        return None
    mapped = set(mapped_codes)
    on_mapped = sum(amount for code, amount in planned_by_code.items() if code in mapped)
    return round(on_mapped / total, 4)


# --- reported against the ledger ----------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """One year of a measure: what the owner reported and registered next to what the ledger shows."""

    year: int
    ledger: AccountingYear
    reported_nok: int  # realised so far, as reported
    registered_taken_out_nok: int
    is_large_difference: bool


def compare(
    ledger: AccountingYear, reported_nok: int, registered_taken_out_nok: int, threshold_pct: int, threshold_min_nok: int
) -> Comparison:
    """Reported realised so far against the ledger's indication so far (flagged when over both thresholds)."""
    is_large = is_large_difference(reported_nok, ledger.indicated_to_date_nok, threshold_pct, threshold_min_nok)
    return Comparison(ledger.year, ledger, reported_nok, registered_taken_out_nok, is_large)


@dataclass(frozen=True)
class YearTotals:
    """The programme's year: reported realised vs confirmed in the ledger, on the mapped measures."""

    year: int
    reported_nok: int  # every measure counting in totals
    reported_mapped_nok: int  # the mapped measures only, comparable with indicated_nok
    indicated_nok: int | None  # None when no mapped measure has actuals for the year
    indicated_to_date_nok: int | None
    registered_taken_out_mapped_nok: int
    taken_out_nok: int | None  # None when no mapped measure has a budget for the year
    mapped_share: float | None


def _total(values: Iterable[int | None]) -> int | None:
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def year_totals(
    year: int,
    ledger_by_code: Mapping[str, AccountingYear],
    reported_by_code: Mapping[str, tuple[int, int, int]],
) -> YearTotals:
    """Sum a year over the measures: `reported_by_code` is {code: (planned, realised, registered take-out)}."""
    mapped = [code for code in reported_by_code if code in ledger_by_code]
    return YearTotals(
        year,
        sum(realised for _, realised, _ in reported_by_code.values()),
        sum(reported_by_code[code][1] for code in mapped),
        _total(ledger_by_code[code].indicated_nok for code in mapped),
        _total(ledger_by_code[code].indicated_to_date_nok for code in mapped),
        sum(reported_by_code[code][2] for code in mapped),
        _total(ledger_by_code[code].taken_out_nok for code in mapped),
        mapped_share({code: planned for code, (planned, _, _) in reported_by_code.items()}, mapped),
    )
