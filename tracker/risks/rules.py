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
"""

from collections.abc import Mapping
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
