"""Calendar quarters and dates in Europe/Oslo. Pure: no Flask, no database."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")
# Dates and quarters the tracker takes: anything outside is a typo (and 0001 or 9999 breaks
# date arithmetic). Quarters of a programme's figures, KPIs and reports lie within its plan
# years give or take PROGRAMME_MARGIN_YEARS (plans often start with the year before).
MIN_YEAR, MAX_YEAR = 1900, 2100
PROGRAMME_MARGIN_YEARS = 5


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"Kvartal må være 1-4, fikk {self.number}")

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """Parse "2026-Q2" (also "2026Q2", "2026-q2")."""
        match = _QUARTER_RE.match(text or "")
        if not match:
            raise ValueError(f"«{_shown(text)}» er ikke et kvartal. Skriv for eksempel 2026-Q2.")
        year = int(match.group(1))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"«{text.strip()}»: året må ligge mellom {MIN_YEAR} og {MAX_YEAR}.")
        return cls(year, int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start_date(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end_date(self) -> date:
        return self.next().start_date - timedelta(days=1)

    def next(self) -> "Quarter":
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def previous(self) -> "Quarter":
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    @property
    def key(self) -> str:
        """Machine form, "2026-Q2"."""
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        """Norwegian form, "2. kvartal 2026"."""
        return f"{self.number}. kvartal {self.year}"

    def __str__(self) -> str:
        return self.key


def now_oslo(now_dt: datetime | None = None) -> datetime:
    """The current time (or the given aware time) in Europe/Oslo."""
    return (now_dt or datetime.now(UTC)).astimezone(OSLO)


def today_oslo(now_dt: datetime | None = None) -> date:
    """Today's date in Europe/Oslo: a UTC time late on 31.03 is already 01.04 in Oslo."""
    return now_oslo(now_dt).date()


def current_quarter(now_dt: datetime | None = None) -> Quarter:
    return Quarter.containing(today_oslo(now_dt))


def quarters_of_year(year: int) -> list[Quarter]:
    return [Quarter(year, number) for number in range(1, 5)]


def begun_quarters(start_year: int, now: Quarter) -> list[Quarter]:
    """The quarters from the first quarter of `start_year` up to and including `now`, newest first."""
    found = [q for year in range(start_year, now.year + 1) for q in quarters_of_year(year) if q <= now]
    return list(reversed(found)) or [now]


def format_date(day: date | str | None) -> str:
    """Norwegian date: 31.03.2026 (also from ISO text, as plain-data summaries carry it)."""
    if isinstance(day, str):
        day = date.fromisoformat(day) if day else None
    return day.strftime("%d.%m.%Y") if day else ""


def format_datetime(moment: datetime | None) -> str:
    """A stored UTC time shown in Europe/Oslo: 31.03.2026 14:05."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(OSLO).strftime("%d.%m.%Y %H:%M")


def parse_date(text: str) -> date:
    """Parse 31.03.2026 or 2026-03-31, a day between 1900 and 2100."""
    text = (text or "").strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return checked_date(day)
    raise ValueError(f"«{_shown(text)}» er ikke en dato. Skriv for eksempel 31.03.2026.")


def parse_iso_date(text: str) -> date:
    """Parse 2026-03-31 (the command line's form), a day between 1900 and 2100."""
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError as exc:
        raise ValueError(f"«{_shown(text)}» er ikke en dato på formen ÅÅÅÅ-MM-DD.") from exc
    return checked_date(day)


def checked_date(day: date) -> date:
    """`day` when it lies between 1900 and 2100, else a ValueError in Norwegian."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"{format_date(day)} er utenfor det tillatte: året må ligge mellom {MIN_YEAR} og {MAX_YEAR}.")
    return day


def quarter_outside_programme(quarter: Quarter, start_year: int, end_year: int) -> str | None:
    """Why `quarter` lies too far from a programme's plan years (None when it does not)."""
    first, last = start_year - PROGRAMME_MARGIN_YEARS, end_year + PROGRAMME_MARGIN_YEARS
    if first <= quarter.year <= last:
        return None
    return f"{quarter.label} ligger utenfor programmets år: velg et kvartal mellom {first} og {last}."


def _shown(text) -> str:
    text = str(text or "")
    return text if len(text) <= 30 else text[:29] + "…"
