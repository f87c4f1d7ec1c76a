"""The report's wording of counts and of the distance to the target. Pure."""

from tracker.money import format_mnok


def plural(count: int, one: str, many: str) -> str:
    """ "1 sak", "2 saker", "0 saker"."""
    return f"{count} {one if count == 1 else many}"


def mnok_words(amount_nok: int) -> str:
    """ "40,0 mill. kr"."""
    return f"{format_mnok(amount_nok)} mill. kr"


def against_target(gap_nok: int | None) -> str:
    """The gap (target minus the figure) in words: "7,6 mill. kr over målet", never a bare sign."""
    if gap_nok is None:
        return "intet mål for året"
    if gap_nok == 0 or format_mnok(abs(gap_nok)) == "0,0":
        return "på målet"
    return f"{mnok_words(abs(gap_nok))} {'over' if gap_nok < 0 else 'under'} målet"


def against_target_short(gap_nok: int | None) -> str:
    """The same for a table cell: "7,6 over", "2,1 under", "på målet", "–"."""
    if gap_nok is None:
        return "–"
    if gap_nok == 0 or format_mnok(abs(gap_nok)) == "0,0":
        return "på målet"
    return f"{format_mnok(abs(gap_nok))} {'over' if gap_nok < 0 else 'under'}"
