"""Delivery confidence: the five levels of a status update and the weights of the risk-adjusted forecast.
Pure. The one place these are defined; their traffic-light colours are tracker.palette's."""

from decimal import Decimal

GRONN = "grønn"
GRONN_GUL = "grønn/gul"
GUL = "gul"
GUL_ROD = "gul/rød"
ROD = "rød"
LEVELS = (GRONN, GRONN_GUL, GUL, GUL_ROD, ROD)
LABELS = {GRONN: "Grønn", GRONN_GUL: "Grønn/gul", GUL: "Gul", GUL_ROD: "Gul/rød", ROD: "Rød"}

# Share of a measure's forecast expected to be delivered at each confidence level.
WEIGHTS: dict[str, Decimal] = {
    GRONN: Decimal("1.00"),
    GRONN_GUL: Decimal("0.90"),
    GUL: Decimal("0.75"),
    GUL_ROD: Decimal("0.50"),
    ROD: Decimal("0.25"),
}
# Used for a measure with no submitted status update yet: as uncertain as "gul".
DEFAULT_WEIGHT = WEIGHTS[GUL]


def weight_for(level: str | None) -> Decimal:
    return WEIGHTS.get(level, DEFAULT_WEIGHT) if level else DEFAULT_WEIGHT
