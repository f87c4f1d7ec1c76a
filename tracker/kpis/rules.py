"""KPI trend and progress. Pure: no Flask, no database.

Trend compares the latest quarterly measurement with the one before it (or with the baseline
when there is only one): "bedre" when it moved in the KPI's good direction, "verre" when it moved
the other way, "uendret" when equal, None without data.
Progress is the share of the way from baseline to target that the latest value has covered.
"""

from decimal import ROUND_HALF_UP, Decimal

HIGHER = "higher"
LOWER = "lower"
DIRECTIONS = (HIGHER, LOWER)
DIRECTION_LABELS = {HIGHER: "Høyere er bedre", LOWER: "Lavere er bedre"}
BETTER, WORSE, UNCHANGED = "bedre", "verre", "uendret"
TREND_LABELS = {BETTER: "Bedre", WORSE: "Verre", UNCHANGED: "Uendret"}


def trend(values: list[Decimal], direction: str, baseline: Decimal | None = None) -> str | None:
    """Direction of the latest change, judged by whether higher or lower is better."""
    series = ([baseline] if baseline is not None else []) + list(values)
    if len(series) < 2 or not values:
        return None
    previous, latest = series[-2], series[-1]
    if latest == previous:
        return UNCHANGED
    improved = latest > previous if direction == HIGHER else latest < previous
    return BETTER if improved else WORSE


def progress_pct(baseline: Decimal | None, target: Decimal | None, latest: Decimal | None) -> Decimal | None:
    """Per cent of the way from baseline to target (may be below 0 or above 100)."""
    if baseline is None or target is None or latest is None or target == baseline:
        return None
    share = (latest - baseline) / (target - baseline) * 100
    return share.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
