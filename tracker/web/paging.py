"""Long lists a page at a time: a list that can pass a page's rows shows one page and links to the others.

A page with a few hundred rows at most stays small (well under 1 MB of HTML) however large the
portfolio grows, and a list that fits on one page looks exactly as it did before paging. Lists
read from the database are read a page at a time (LIMIT/OFFSET) and counted only up to
COUNTED_PAGES pages: counting every row of a long list costs more than showing a page of it.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import Select, func, select

from tracker.extensions import db

PAGE_ROWS = 200
COUNTED_PAGES = 10


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, which page of how many, and links to the pages either side.

    `pages` and `total` are None for a list longer than COUNTED_PAGES pages: it has more than
    `more_than` rows.
    """

    rows: Sequence
    number: int
    pages: int | None
    total: int | None
    prev_href: str = ""
    next_href: str = ""
    more_than: int = 0


def page_number(text: str | None) -> int:
    """The page asked for in a query string ("2"), 1 for anything else."""
    return int(text) if text and text.isdigit() and 0 < int(text) < 10**6 else 1


def page_link(endpoint: str, args: dict, name: str = "side") -> Callable[[int], str]:
    """A function giving the link to page n of a list on `endpoint`, keeping the other arguments."""
    return lambda number: url_for(endpoint, **{name: number, **args})


def page_of(rows: Sequence, number: int, link: Callable[[int], str], per_page: int = PAGE_ROWS) -> Page:
    """Page `number` (1-based; past the end means the last page) of a list in memory."""
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


def page_of_statement(
    statement: Select,
    number: int,
    link: Callable[[int], str],
    per_page: int = PAGE_ROWS,
    entities: bool = False,
    total: int | None = None,
) -> Page:
    """Page `number` of a query's rows (ORM objects when `entities`), in two statements of bounded cost
    (one when the caller knows the `total`)."""
    limit = COUNTED_PAGES * per_page + 1 if total is None else total + 1
    if total is None:
        counted = db.session.scalar(select(func.count()).select_from(statement.order_by(None).limit(limit).subquery()))
    else:
        counted = total
    window = statement.limit(per_page + 1).offset((number - 1) * per_page)
    rows = list(db.session.scalars(window) if entities else db.session.execute(window))
    is_counted = counted < limit
    pages = max(1, -(-counted // per_page)) if is_counted else None
    return Page(
        rows=rows[:per_page],
        number=number,
        pages=pages,
        total=counted if is_counted else None,
        prev_href=link(number - 1) if number > 1 else "",
        next_href=link(number + 1) if len(rows) > per_page else "",
        more_than=0 if is_counted else limit - 1,
    )
