"""The query parameters of the API's lists: which programme, as of which quarter, which year, which page."""

from dataclasses import dataclass
from datetime import date

from flask import abort
from werkzeug.datastructures import MultiDict

from tracker.benefits.dashboard import as_of_from
from tracker.periods import Quarter, current_quarter, today_oslo
from tracker.portfolio.models import Programme
from tracker.portfolio.queries import current_programme
from tracker.text import NAME, text_problem

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10_000
MAX_CURSOR = 10**9
MAX_DIGITS = 10
FORMATS = ("json", "csv")


@dataclass(frozen=True)
class ListQuery:
    """What one request for a list asks for; every list reads the fields it needs."""

    programme: Programme | None
    default_programme: Programme | None  # the one shown without `?programme=`: the user's current one
    as_of: Quarter
    year: int | None
    today: date
    offset: int
    limit: int | None
    is_csv: bool


def _whole(args: MultiDict, name: str, low: int, high: int | None = None) -> int | None:
    text = args.get(name)
    if text is None or text == "":
        return None
    is_count = text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS
    if not is_count or int(text) < low or (high is not None and int(text) > high):
        upper = f" og høyst {high}" if high is not None else ""
        abort(400, f"«{name}» må være et heltall, minst {low}{upper}.")
    return int(text)


def _programme(args: MultiDict, user) -> Programme | None:
    """`?programme=` (id or name), else the programme the user works on in the web (or the default one)."""
    key = (args.get("programme") or "").strip()
    if not key:
        return current_programme(user)
    problem = text_problem(key, NAME)
    if problem:
        abort(400, f"«programme»: {problem}")
    return current_programme(user, key) or abort(404, f"Fant ikke programmet «{key}» (oppgi id eller navn).")


def _as_of(args: MultiDict) -> Quarter:
    text = args.get("as_of")
    if not text:
        return current_quarter()
    try:
        Quarter.parse(text)
    except ValueError as exc:
        abort(400, f"«as_of»: {exc}")
    return as_of_from(text)  # never later than now, as on the dashboard


def _is_csv(args: MultiDict, suffix_format: str | None) -> bool:
    chosen = suffix_format or args.get("format") or "json"
    if chosen not in FORMATS:
        abort(400, "«format» må være json eller csv.")
    return chosen == "csv"


def list_query(args: MultiDict, user, suffix_format: str | None = None) -> ListQuery:
    """The list request in `args` by `user` (the token's); a bad parameter ends the request with 400,
    an unknown programme with 404."""
    is_csv = _is_csv(args, suffix_format)
    limit = _whole(args, "limit", 1, MAX_LIMIT)
    return ListQuery(
        programme=_programme(args, user),
        default_programme=current_programme(user),
        as_of=_as_of(args),
        year=_whole(args, "year", 1900, 2200),
        today=today_oslo(),
        offset=_whole(args, "cursor", 0, MAX_CURSOR) or 0,
        # A CSV file is for Excel, which cannot follow `next`: whole unless a page is asked for.
        limit=limit if limit is not None else (None if is_csv else DEFAULT_LIMIT),
        is_csv=is_csv,
    )
