"""Long lists a page at a time: a list that can pass PAGE_ROWS rows shows one page and links to the others.

A page with a few hundred rows at most stays small (well under 1 MB of HTML) however large the
portfolio grows; a list of PAGE_ROWS rows or fewer looks exactly as it did before paging.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import url_for

PAGE_ROWS = 200


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, which page of how many, and links to the pages either side."""

    rows: Sequence
    number: int
    pages: int
    total: int
    prev_href: str = ""
    next_href: str = ""


def page_number(text: str | None) -> int:
    """The page asked for in a query string ("2"), 1 for anything else."""
    return int(text) if text and text.isdigit() and 0 < int(text) < 10**6 else 1


def page_link(endpoint: str, args: dict, name: str = "side") -> Callable[[int], str]:
    """A function giving the link to page n of a list on `endpoint`, keeping the other arguments."""
    return lambda number: url_for(endpoint, **{**args, name: number})


def page_of(rows: Sequence, number: int, link: Callable[[int], str], per_page: int = PAGE_ROWS) -> Page:
    """Page `number` (1-based; past the end means the last page) of `rows`."""
    pages = max(1, -(-len(rows) // per_page))
    number = min(max(1, number), pages)
    start = (number - 1) * per_page
    return Page(
        rows=rows[start : start + per_page],
        number=number,
        pages=pages,
        total=len(rows),
        prev_href=link(number - 1) if number > 1 else "",
        next_href=link(number + 1) if number < pages else "",
    )
