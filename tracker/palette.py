"""The colours of charts, traffic lights and risk scores: one source for the pages and the reports. Pure.

The pages read them from static/css/palette.css, which is written from this module
(`python -m tracker.palette > static/css/palette.css`; a test checks the file is current); the
reports' charts (PDF and inline SVG) read them from here.
"""

from tracker.confidence import GRONN, GRONN_GUL, GUL, GUL_ROD, LEVELS, ROD

# Series of the savings charts, by the CSS class the web charts use (tracker.benefits.charts).
SERIES = {
    "bar-planned": "#9bb8cf",
    "bar-forecast": "#005a8c",
    "bar-risk-adjusted": "#6b4c9a",
    "bar-realised": "#1d6b2c",
}
TARGET = "#a4001b"
INK = "#1a1a1a"
GRID = "#dddddd"
# Delivery confidence as a traffic light: fills for charts (outlined in INK, so yellow shows on
# white) and text colours with AA contrast on white for labels.
CONFIDENCE_FILL = {
    GRONN: "#2e7d32",
    GRONN_GUL: "#8bc34a",
    GUL: "#f9c80e",
    GUL_ROD: "#ef6c00",
    ROD: "#c62828",
}
NO_CONFIDENCE_FILL = "#bdbdbd"
CONFIDENCE_TEXT = {GRONN: "#1d6b2c", GRONN_GUL: "#3f5f00", GUL: "#7a4b00", GUL_ROD: "#8a3300", ROD: "#a4001b"}
# No status update yet: grey, never a colour that claims a level.
NO_CONFIDENCE = "ingen"
NO_CONFIDENCE_TEXT = "#4a4a4a"
# The text on a traffic light's fill (a badge on a page), AA contrast on each fill.
WHITE = "#ffffff"
CONFIDENCE_ON_FILL = {GRONN: WHITE, GRONN_GUL: INK, GUL: INK, GUL_ROD: INK, ROD: WHITE}
# Organisational-risk score 1 (low) … 5 (high): cell fill and the text on it.
SCORE_FILL = {1: "#d7ecd9", 2: "#eef5d0", 3: "#fff0b3", 4: "#ffd2a8", 5: "#f6b8b8"}
SCORE_TEXT = {1: "#0f3d17", 2: "#2f3d00", 3: "#3d2e00", 4: "#4a2000", 5: "#5c0010"}


def css_key(level: str | None) -> str:
    """ "grønn/gul" → "gronn-gul", the class suffix the templates use; "ingen" without a level."""
    return level.replace("/", "-").replace("ø", "o") if level in LEVELS else NO_CONFIDENCE


def css_class(level: str | None) -> str:
    """The classes of a level's text on a page: "confidence confidence-gul-rod"."""
    return f"confidence confidence-{css_key(level)}"


def fill_class(level: str | None) -> str:
    """The class of a level's fill: an SVG shape's fill, or a badge's background ("confidence-fill-gul")."""
    return f"confidence-fill-{css_key(level)}"


def stylesheet() -> str:
    """static/css/palette.css."""
    lines = ["/* Written by `python -m tracker.palette` from tracker/palette.py: edit that, not this. */"]
    lines += [f".{name} {{ fill: {colour}; }}" for name, colour in SERIES.items()]
    lines.append(f".chart-target {{ stroke: {TARGET}; stroke-width: 3; }}")
    lines.append(".confidence { font-weight: 700; }")
    lines += [f".confidence-{css_key(level)} {{ color: {CONFIDENCE_TEXT[level]}; }}" for level in LEVELS]
    lines.append(f".confidence-{NO_CONFIDENCE} {{ color: {NO_CONFIDENCE_TEXT}; }}")
    lines += [f".confidence-fill-{css_key(level)} {{ fill: {CONFIDENCE_FILL[level]}; }}" for level in LEVELS]
    lines.append(f".confidence-fill-{NO_CONFIDENCE} {{ fill: {NO_CONFIDENCE_FILL}; }}")
    lines += [
        f".badge.confidence-fill-{css_key(level)} {{ background: {CONFIDENCE_FILL[level]}; "
        f"color: {CONFIDENCE_ON_FILL[level]}; }}"
        for level in LEVELS
    ]
    lines.append(f".badge.confidence-fill-{NO_CONFIDENCE} {{ background: {NO_CONFIDENCE_FILL}; color: {INK}; }}")
    lines += [
        f".score-{score} {{ background: {SCORE_FILL[score]}; color: {SCORE_TEXT[score]}; }}" for score in SCORE_FILL
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(stylesheet(), end="")
