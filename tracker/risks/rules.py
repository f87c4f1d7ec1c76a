"""Risk scoring. Pure: no Flask, no database.

Organisational risk: five indicators, each scored 1 (low risk) to 5 (high risk).
- weakest: the indicator(s) with the highest score (the weakest point of the organisation);
- average: the plain mean of the scored indicators;
- level, the first rule that holds:
    "høy"      if any indicator is 5, or the average is 3.5 or more;
    "middels"  if any indicator is 4, or the average is 2.5 or more;
    "lav"      otherwise.
  One 5 is enough for "høy" because a single missing precondition (no leadership anchoring,
  no capacity) can stop a measure however good the rest looks.

Risk register: an uncertainty scores probability × consequence (each 1-5, product 1-25):
    "høy" at 15 or more, "middels" at 8 or more, else "lav".

Before a measure starts (report §4.2): an indicator scored 4 or 5 needs a strengthening action.

Risk load: every measure in change (vedtatt or under gjennomføring) weighs by its level, lav 1,
middels 2, høy 3, and an unassessed one as middels (unknown risk is not no risk); a leader's or a
unit's load is the sum over its measures, so that many measures of low risk each add up. A load
above the threshold (RISK_LOAD_THRESHOLD) is flagged.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

LOW = "lav"
MEDIUM = "middels"
HIGH = "høy"
LEVELS = (LOW, MEDIUM, HIGH)
LEVEL_LABELS = {LOW: "Lav", MEDIUM: "Middels", HIGH: "Høy"}
MIN_SCORE, MAX_SCORE = 1, 5
HIGH_AVERAGE = Decimal("3.5")
MEDIUM_AVERAGE = Decimal("2.5")
REGISTER_HIGH, REGISTER_MEDIUM = 15, 8
# An indicator at or above this score needs a strengthening action before the measure starts.
HIGH_INDICATOR_SCORE = 4
LOAD_WEIGHTS = {LOW: 1, MEDIUM: 2, HIGH: 3}
UNASSESSED_WEIGHT = LOAD_WEIGHTS[MEDIUM]
DEFAULT_LOAD_THRESHOLD = 6


@dataclass(frozen=True)
class RiskSummary:
    scores: dict[str, int]
    weakest: tuple[str, ...]
    weakest_score: int
    average: Decimal
    level: str


def check_score(score: int) -> int:
    if isinstance(score, bool) or not isinstance(score, int) or not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(f"Score må være et heltall fra {MIN_SCORE} til {MAX_SCORE}, fikk {score!r}")
    return score


def level_for(scores: list[int], average: Decimal) -> str:
    highest = max(scores)
    if highest >= 5 or average >= HIGH_AVERAGE:
        return HIGH
    if highest >= 4 or average >= MEDIUM_AVERAGE:
        return MEDIUM
    return LOW


def summarise(scores: Mapping[str, int]) -> RiskSummary | None:
    """Weakest indicator(s), average (two decimals) and overall level; None without scores."""
    if not scores:
        return None
    values = [check_score(score) for score in scores.values()]
    average = (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    highest = max(values)
    weakest = tuple(key for key, score in scores.items() if score == highest)
    # The level uses the exact mean, so rounding cannot lift a 3.49… into "høy".
    exact = Decimal(sum(values)) / Decimal(len(values))
    return RiskSummary(dict(scores), weakest, highest, average, level_for(values, exact))


def register_score(probability: int, consequence: int) -> int:
    return check_score(probability) * check_score(consequence)


def register_level(probability: int | None, consequence: int | None) -> str | None:
    """The level of a register entry (None when not scored)."""
    if probability is None or consequence is None:
        return None
    score = register_score(probability, consequence)
    if score >= REGISTER_HIGH:
        return HIGH
    if score >= REGISTER_MEDIUM:
        return MEDIUM
    return LOW


# --- before a measure starts (report §4.2) ---------------------------------------------------------


def needs_strengthening(scores: Mapping[str, int], actions: Mapping[str, str]) -> list[str]:
    """The indicators (keys, in the scores' order) scored high that have no strengthening action written."""
    return [key for key, score in scores.items() if score >= HIGH_INDICATOR_SCORE and not actions.get(key, "").strip()]


# --- risk load per leader and per unit ---------------------------------------------------------------


@dataclass(frozen=True)
class LoadItem:
    """A measure as the load sees it: its code, leader (owner), affected units, risk level and status."""

    code: str
    leader: str | None
    units: tuple[str, ...]
    level: str | None
    is_in_change: bool = True


@dataclass(frozen=True)
class RiskLoad:
    label: str
    load: int
    codes: tuple[str, ...]
    is_above_threshold: bool


def load_weight(level: str | None) -> int:
    """What one measure in change adds to a load: its level's weight, an unassessed one as middels."""
    return LOAD_WEIGHTS.get(level, UNASSESSED_WEIGHT) if level else UNASSESSED_WEIGHT


def risk_loads(
    items: Iterable[LoadItem], labels_of: Callable[[LoadItem], Iterable[str]], threshold: int
) -> list[RiskLoad]:
    """The load per label (a leader, a unit) over the measures in change, highest first.

    `labels_of(item)` names what a measure loads (its owner; each of its units); the same label in
    other letter case or spacing is one label, shown as first written. Above `threshold` is flagged.
    """
    names: dict[str, str] = {}
    sums: dict[str, int] = {}
    codes: dict[str, list[str]] = {}
    for item in items:
        if not item.is_in_change:
            continue
        seen: set[str] = set()
        for written in labels_of(item):
            label = " ".join(written.split())
            key = label_key(label)
            if not label or key in seen:
                continue
            seen.add(key)
            names.setdefault(key, label)
            sums[key] = sums.get(key, 0) + load_weight(item.level)
            codes.setdefault(key, []).append(item.code)
    found = [RiskLoad(names[key], total, tuple(codes[key]), total > threshold) for key, total in sums.items()]
    return sorted(found, key=lambda row: (-row.load, row.label.casefold()))


def label_key(label: str) -> str:
    """The label a load is kept under: the same leader or unit in other letter case or spacing is one."""
    return " ".join(label.split()).casefold()


def _leader_of(item: LoadItem) -> list[str]:
    return [item.leader] if item.leader else []


def _units_of(item: LoadItem) -> tuple[str, ...]:
    return item.units


def leader_and_unit_loads(items: Iterable[LoadItem], threshold: int) -> tuple[list[RiskLoad], list[RiskLoad]]:
    """The load per leader and per affected unit over the measures in change (the risk view and the work queue)."""
    in_change = [item for item in items if item.is_in_change]
    return risk_loads(in_change, _leader_of, threshold), risk_loads(in_change, _units_of, threshold)
