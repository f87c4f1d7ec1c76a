"""Money and numbers the Norwegian way: parsing typed input and formatting kroner and mill. kr.

Money is whole kroner (int) everywhere in the tracker. This module is the one place that turns
kroner into text ("1 234 567", "88,1") and text typed by a user into kroner.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NBSP = "\u00a0"
_SPACES = {" ", "\u00a0", "\u202f", "\u2009", "\u2007", "'"}
_MINUSES = {"-", "\u2212", "\u2013"}
NOK_PER_MNOK = Decimal(1_000_000)
# The example every whole-kroner field and its errors give.
NOK_EXAMPLE = "Skriv hele kroner, for eksempel 1 250 000."
# Sane ranges: a trillion kroner is beyond any municipal amount and well inside a 64-bit column;
# a million employees or årsverk is beyond any municipality; a KPI value fits Numeric(18, 4).
MAX_ABS_NOK = 10**12
MAX_ABS_COUNT = 10**6
MAX_ABS_VALUE = 10**12
MAX_NUMBER_CHARS = 60
_SHOWN_CHARS = 30


class NumberFormatError(ValueError):
    """Raised with a Norwegian message when text is not a number."""


def parse_decimal(text: str | int | float | Decimal | None) -> Decimal | None:
    """Parse "1 234,5", "-0,3", "−0,3" (U+2212) or "1234.5"; blank gives None.

    Spaces of any kind (also non-breaking) group thousands; a comma is the decimal sign. A point
    is accepted as decimal sign only when there is no comma (numbers pasted from other tools);
    with a comma present, points are thousands separators ("1.234,5").
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise NumberFormatError("Ugyldig tall.")
    if isinstance(text, int | Decimal | float):
        value = Decimal(str(text)) if isinstance(text, float) else Decimal(text)
    else:
        value = _parse_typed(str(text))
    if value is not None and not value.is_finite():
        raise NumberFormatError(f"«{shown(text)}» er ikke et tall.")
    return value


def _parse_typed(text: str) -> Decimal | None:
    cleaned = "".join(ch for ch in text.strip() if ch not in _SPACES)
    if not cleaned:
        return None
    if cleaned[0] in _MINUSES:
        cleaned = "-" + cleaned[1:]
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".", 1)
    is_number = len(cleaned) <= MAX_NUMBER_CHARS and all(ch.isdigit() or ch in ".-" for ch in cleaned)
    if cleaned.count(".") > 1 or not is_number:
        raise NumberFormatError(f"«{shown(text)}» er ikke et tall. Skriv for eksempel 1 234,5.")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:
        raise NumberFormatError(f"«{shown(text)}» er ikke et tall. Skriv for eksempel 1 234,5.") from exc


def shown(value) -> str:
    """A typed value as an error message quotes it: at most a few dozen characters."""
    text = str(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def within(value: Decimal | int, max_abs: int, typed=None, unit: str = "") -> Decimal | int:
    """`value` when it lies within ±`max_abs`, else a NumberFormatError quoting what was typed."""
    if abs(value) > max_abs:
        limit = format_decimal(max_abs)
        quoted = shown(value if typed is None else typed)
        raise NumberFormatError(
            f"«{quoted}» er utenfor det tillatte: tallet må ligge mellom −{limit} og {limit}{unit}."
        )
    return value


def parse_nok(text: str | int | float | Decimal | None) -> int | None:
    """Parse an amount in whole kroner; a fractional krone amount is an error.

    The messages give a kroner example (the fields that call this say "hele kroner"), not parse_decimal's "1 234,5".
    """
    try:
        value = parse_decimal(text)
    except NumberFormatError as exc:
        raise NumberFormatError(f"«{shown(text)}» er ikke et tall. {NOK_EXAMPLE}") from exc
    if value is None:
        return None
    if value != value.to_integral_value():
        raise NumberFormatError(f"«{shown(text)}» må være et helt antall kroner. {NOK_EXAMPLE}")
    return int(within(value, MAX_ABS_NOK, text, " kr"))


def parse_mnok(text: str | int | float | Decimal | None) -> int | None:
    """Parse an amount in mill. kr ("-0,3") and return whole kroner (-300000)."""
    value = parse_decimal(text)
    if value is None:
        return None
    return mnok_to_nok(within(value, MAX_ABS_NOK // 1_000_000, text, " mill. kr"))


def mnok_to_nok(value: int | float | str | Decimal) -> int:
    """Convert mill. kr to whole kroner, exactly for decimal inputs such as 0.28 → 280000."""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return int((amount * NOK_PER_MNOK).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def nok_to_mnok(amount_nok: int) -> Decimal:
    """Whole kroner as an exact Decimal of mill. kr."""
    return Decimal(amount_nok) / NOK_PER_MNOK


def _group_thousands(digits: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return NBSP.join(groups)


def format_decimal(value: Decimal | int | float | None, decimals: int = 0) -> str:
    """Norwegian number text: thousands grouped by non-breaking spaces, comma as decimal sign."""
    if value is None:
        return ""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    quantum = Decimal(1).scaleb(-decimals)
    rounded = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    sign = "-" if rounded < 0 else ""
    integer, _, fraction = f"{abs(rounded):f}".partition(".")
    text = sign + _group_thousands(integer)
    return f"{text},{fraction}" if decimals else text


def format_nok(amount_nok: int | None) -> str:
    """Whole kroner: 1234567 → "1 234 567" (non-breaking spaces)."""
    return format_decimal(amount_nok, 0)


def format_mnok(amount_nok: int | None, decimals: int = 1) -> str:
    """Kroner shown as mill. kr with one decimal, as the report does: 88100000 → "88,1"."""
    if amount_nok is None:
        return ""
    if decimals == 1 and type(amount_nok) is int:
        return _format_tenths_of_million(amount_nok)
    return format_decimal(nok_to_mnok(amount_nok), decimals)


def _format_tenths_of_million(amount_nok: int) -> str:
    """format_mnok's common case in integer arithmetic (pages show thousands of these).

    The same text as the Decimal path: half a tenth rounds away from zero, and -0,0 shows as 0,0.
    """
    tenths, rest = divmod(abs(amount_nok), 100_000)
    if rest * 2 >= 100_000:
        tenths += 1
    sign = "-" if amount_nok < 0 and tenths else ""
    whole, tenth = divmod(tenths, 10)
    grouped = f"{whole:,}".replace(",", NBSP)  # the grouping of _group_thousands, done in C
    return f"{sign}{grouped},{tenth}"


def format_mnok_gap(difference_nok: int | None, against: str = "planen", unit: str = "") -> str:
    """A difference worded, never a bare sign: 500000 → "0,5 over planen", -1200000 → "1,2 under planen".

    The one place a gap is worded (tracker.benefits.standing.gap_text words a shortfall through it).
    `unit` goes after the number (" mill. kr"); a difference that rounds to 0,0 mill. kr is "på planen".
    """
    if difference_nok is None:
        return ""
    shown = format_mnok(abs(difference_nok))
    if shown == "0,0":
        return f"på {against}"
    return f"{shown}{unit} {'over' if difference_nok > 0 else 'under'} {against}"


def input_mnok(amount_nok: int | None) -> str:
    """Kroner as editable mill. kr text without rounding away precision: 280000 → "0,28"."""
    if amount_nok is None:
        return ""
    text = format(nok_to_mnok(amount_nok).normalize(), "f")
    return format_decimal(Decimal(text), max(0, -Decimal(text).as_tuple().exponent))


def plain_decimal(value) -> str | None:
    """A decimal as machine text without trailing zeros, for JSON: Decimal("12.5000") → "12.5"."""
    return None if value is None else f"{Decimal(value).normalize():f}"
