"""Delivery confidence: the five levels of a status update, the weights of the risk-adjusted forecast,
and the traffic-light colours every page, chart and report uses. Pure. The one place these are defined."""

from dataclasses import dataclass
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


# --- traffic lights ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Light:
    """A level's colours: `text_hex` for text on white (WCAG AA), `fill_hex` behind dark text and in charts."""

    slug: str
    text_hex: str
    fill_hex: str


NO_LEVEL = "ingen"
LIGHTS: dict[str, Light] = {
    GRONN: Light("gronn", "#1d6b2c", "#b7dfb9"),
    GRONN_GUL: Light("gronn-gul", "#3f5f00", "#dcedb0"),
    GUL: Light("gul", "#7a4b00", "#fbe7a1"),
    GUL_ROD: Light("gul-rod", "#8a3300", "#f7b98b"),
    ROD: Light("rod", "#a4001b", "#ee8a8a"),
}
# No status update yet: grey, never a colour that claims a level.
NO_LIGHT = Light(NO_LEVEL, "#4a4a4a", "#e0e0e0")
DARK_TEXT_HEX = "#1a1a1a"


def light_for(level: str | None) -> Light:
    return LIGHTS.get(level or "", NO_LIGHT)


def css_class(level: str | None) -> str:
    """The classes of a level's text on a page: "confidence confidence-gul-rod" (the stylesheet below)."""
    return f"confidence confidence-{light_for(level).slug}"


def fill_class(level: str | None) -> str:
    """The class of a level's fill in an SVG chart or behind a badge: "light-fill-gul"."""
    return f"light-fill-{light_for(level).slug}"


def fill_hex(level: str | None) -> str:
    """The fill colour of a level, for charts drawn outside the browser (the reports' PDF)."""
    return light_for(level).fill_hex


def stylesheet() -> str:
    """The traffic-light rules of every page, served as one stylesheet, so pages and charts share these colours."""
    rules = [".confidence { font-weight: 700; }"]
    for light in (*LIGHTS.values(), NO_LIGHT):
        rules.append(f".confidence-{light.slug} {{ color: {light.text_hex}; }}")
        rules.append(
            f".light-fill-{light.slug} {{ fill: {light.fill_hex}; background: {light.fill_hex}; color: {DARK_TEXT_HEX}; }}"
        )
    return "\n".join(rules) + "\n"
