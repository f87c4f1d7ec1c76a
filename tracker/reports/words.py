"""The report's wording of counts and of the distance to the target. Pure."""

from tracker.benefits.standing import TARGET, gap_text
from tracker.money import format_mnok


def plural(count: int, one: str, many: str) -> str:
    """ "1 sak", "2 saker", "0 saker"."""
    return f"{count} {one if count == 1 else many}"


def mnok_words(amount_nok: int) -> str:
    """ "40,0 mill. kr"."""
    return f"{format_mnok(amount_nok)} mill. kr"


def against_target(gap_nok: int | None) -> str:
    """The gap (target minus the figure) in words: "7,6 mill. kr over målet", never a bare sign
    (worded by benefits.standing.gap_text, as on the dashboard)."""
    return "intet mål for året" if gap_nok is None else gap_text(gap_nok, TARGET, " mill. kr")


def against_target_short(gap_nok: int | None) -> str:
    """The same for a table cell: "7,6 over", "2,1 under", "på målet", "–"."""
    words = gap_text(gap_nok, TARGET)
    return words if gap_nok is None or words == f"på {TARGET}" else words.removesuffix(f" {TARGET}")
