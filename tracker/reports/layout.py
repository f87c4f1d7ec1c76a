"""A report's content as blocks (headings, text, tables, charts), from its snapshot. Pure.

The PDF and the HTML version render the same blocks, so the two always say the same thing.
Amounts are mill. kr with one decimal in Norwegian format ("88,1").
"""

from dataclasses import dataclass, field
from datetime import datetime

from tracker.confidence import GUL_ROD, ROD
from tracker.money import NBSP, format_decimal, format_mnok
from tracker.palette import SERIES
from tracker.periods import Quarter, format_datetime
from tracker.reports.asof import as_of_note
from tracker.reports.snapshot import MeasureLine, ReportSnapshot, YearFigures
from tracker.reports.words import against_target, against_target_short, mnok_words, plural

DASH = "–"
EXAMPLE_NOTE = "Eksempeldata – tallene er ikke Elverum kommunes faktiske oppfølging."
AUDIENCE_POLITICIANS = "politikere"
LOW_CONFIDENCE = (GUL_ROD, ROD)


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Indexes of right-aligned numeric columns.
    numeric: frozenset[int] = frozenset()
    # Relative column widths (None: equal).
    widths: tuple[float, ...] | None = None
    footer: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Text:
    text: str
    style: str = "body"


@dataclass(frozen=True)
class BarChart:
    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    table: Table
    # Counts as one horizontal bar per category (each in its own colour) instead of grouped bars.
    horizontal: bool = False
    # Fill colours (tracker.palette): one per series, or one per category for horizontal counts.
    colours: tuple[str, ...] = ()
    # The target of each category (mill. kr), drawn as a line across its bars; None: no target.
    markers: tuple[float | None, ...] = ()
    marker_name: str = "Mål"
    # What the chart shows, in words (the SVG's description; the table carries every number).
    description: str = ""


@dataclass(frozen=True)
class Heatmap:
    title: str
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]
    table: Table
    description: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple = field(default_factory=tuple)


def collected_label(snapshot: ReportSnapshot) -> str:
    """ "Elverum kommune · Tallgrunnlag hentet 14.10.2026 08:00" (Oslo time)."""
    moment = format_datetime(datetime.fromisoformat(snapshot.collected_at))
    return f"{snapshot.municipality} · Tallgrunnlag hentet {moment}".strip(" ·")


def mnok(amount_nok: int | None) -> str:
    return DASH if amount_nok is None else format_mnok(amount_nok)


def mnok_float(amount_nok: int | None) -> float:
    return round((amount_nok or 0) / 1_000_000, 1)


def fte(value: float | None) -> str:
    return DASH if value is None else format_decimal(value, 1)


def count(value: int | None) -> str:
    return DASH if value is None else format_decimal(value, 0)


def as_of_text(snapshot: ReportSnapshot) -> Text:
    """What the report says about its point in time (and that records dated later are left out)."""
    if not snapshot.as_of_date:
        return Text("", "note")
    left_out = sum(row.count for row in snapshot.left_out)
    text = as_of_note(Quarter.parse(snapshot.period), left_out, snapshot.is_preview)
    if snapshot.left_out:
        text += " (" + ", ".join(f"{row.count} {row.label}" for row in snapshot.left_out) + ")"
    return Text(text, "note")


def year_cells(row: YearFigures) -> tuple[str, ...]:
    return (
        mnok(row.target_nok),
        mnok(row.planned_nok),
        mnok(row.forecast_nok),
        mnok(row.risk_adjusted_forecast_nok),
        mnok(row.realised_nok),
        mnok(row.realised_approved_nok),
        mnok(row.budget_taken_out_nok),
        against_target_short(row.gap_nok).replace(" ", NBSP),
    )


# Realised figures are reported by owners; "herav godkjent" is the part a controller has approved.
FIGURE_HEADER = (
    "Mål",
    "Vedtatt plan",
    "Prognose",
    "Risikojustert",
    "Realisert",
    "Herav godkjent",
    "Tatt ut av budsjett",
    "Prognose mot målet",
)


def years_section(snapshot: ReportSnapshot) -> Section:
    """The chart of the adopted plan, forecast, risk-adjusted forecast and realised against the target, per year."""
    table = Table(
        "Innsparing per år (mill. kr)",
        ("År", *FIGURE_HEADER, "Bekreftet i regnskapet (helår)"),
        tuple((str(row.year), *year_cells(row), mnok(row.accounting_indicated_nok)) for row in snapshot.years),
        frozenset(range(1, 10)),
        (0.8, 1, 1.2, 1.2, 1.4, 1.2, 1.2, 1.2, 1.2, 1.4),
    )
    years = snapshot.years
    chart = BarChart(
        "Vedtatt plan, prognose, risikojustert prognose og realisert per år mot målet (mill. kr)",
        tuple(str(row.year) for row in years),
        (
            ("Vedtatt plan", tuple(mnok_float(row.planned_nok) for row in years)),
            ("Prognose", tuple(mnok_float(row.forecast_nok) for row in years)),
            ("Risikojustert", tuple(mnok_float(row.risk_adjusted_forecast_nok) for row in years)),
            ("Realisert", tuple(mnok_float(row.realised_nok) for row in years)),
        ),
        table,
        colours=tuple(SERIES[name] for name in ("bar-planned", "bar-forecast", "bar-risk-adjusted", "bar-realised")),
        markers=tuple(None if row.target_nok is None else mnok_float(row.target_nok) for row in years),
        description=_years_description(snapshot),
    )
    return Section("Tall per år", (chart, accounting_line(snapshot)))


def _years_description(snapshot: ReportSnapshot) -> str:
    targets = [row for row in snapshot.years if row.target_nok is not None]
    target = "; ".join(f"målet for {row.year} er {mnok_words(row.target_nok)}" for row in targets) or "ingen mål"
    first, last = snapshot.years[0].year if snapshot.years else "", snapshot.years[-1].year if snapshot.years else ""
    return (
        f"Stolper per år {first}–{last} for vedtatt plan, prognose, risikojustert prognose og realisert; "
        f"{target}, vist som en rød strek. Tallene står i tabellen under."
    )


def accounting_line(snapshot: ReportSnapshot) -> Text:
    """The one line on the ledger: reported against confirmed in the accounts for the report's year."""
    row = snapshot.year(snapshot.focus_year)
    reported = {item.year: item.amount_nok for item in snapshot.accounting_reported_mapped}
    to_date = {item.year: item.amount_nok for item in snapshot.accounting_indicated_to_date}
    if not snapshot.accounting_mapped_share or row is None or row.accounting_indicated_nok is None:
        return Text("Bekreftet i regnskapet: ingen tiltak er ennå koblet til regnskapstall for året.", "note")
    return Text(
        f"Bekreftet i regnskapet {row.year}: {mnok(to_date.get(row.year))} mill. kr hittil i år mot "
        f"{mnok(reported.get(row.year, 0))} mill. kr rapportert realisert på de samme tiltakene "
        f"({format_decimal(snapshot.accounting_mapped_share * 100, 0)} % av planen); framskrevet for hele året "
        f"{mnok(row.accounting_indicated_nok)} mill. kr. Regnskapstallet er en indikasjon: grunnlaget er regnskap 2024, "
        "prisjustert og med sesongprofil.",
        "note",
    )


def verdict(snapshot: ReportSnapshot) -> Text:
    """Where do we stand, in three sentences: the target year, this year, what needs attention."""
    target_row = snapshot.year(snapshot.target_year) if snapshot.target_year else None
    focus = snapshot.year(snapshot.focus_year)
    sentences = [_target_sentence(target_row), _focus_sentence(focus, snapshot.focus_year)]
    deviations = len({row.code for row in snapshot.deviations})
    at_risk = len(measures_at_risk(snapshot))
    decisions = sum(row.audience == AUDIENCE_POLITICIANS for row in snapshot.decisions)
    sentences.append(
        f"{plural(deviations, 'tiltak', 'tiltak')} har prognose vesentlig under plan, "
        f"{plural(at_risk, 'tiltak', 'tiltak')} er i fare, og {plural(decisions, 'sak', 'saker')} "
        "trenger politisk beslutning."
    )
    return Text(" ".join(sentences))


def _target_sentence(row: YearFigures | None) -> str:
    if row is None or row.target_nok is None:
        return "Programmet har ikke noe mål registrert."
    target = mnok_words(row.target_nok)
    risk_gap = row.target_nok - row.risk_adjusted_forecast_nok
    return (
        f"For {row.year} er prognosen {mnok_words(row.forecast_nok)}, {against_target(row.gap_nok)} på {target}; "
        f"risikojustert er den {mnok_words(row.risk_adjusted_forecast_nok)}, {against_target(risk_gap)}."
    )


def _focus_sentence(row: YearFigures | None, year: int) -> str:
    if row is None:
        return f"For {year} har programmet ingen plan."
    share = (
        f" ({format_decimal(row.budget_taken_out_nok / row.planned_nok * 100, 0)} % av planen)"
        if row.planned_nok > 0
        else ""
    )
    carried = (
        f"; {mnok_words(row.carried_gap_nok)} som manglet i {year - 1}, er overført gap"
        if row.carried_gap_nok and row.carried_gap_nok > 0
        else ""
    )
    return (
        f"I {year} er {mnok_words(row.realised_nok)} realisert av en prognose på {mnok_words(row.forecast_nok)} "
        f"og en vedtatt plan på {mnok_words(row.planned_nok)}; {mnok_words(row.budget_taken_out_nok)} er tatt ut av "
        f"budsjettene{share}{carried}."
    )


def measures_at_risk(snapshot: ReportSnapshot) -> list[MeasureLine]:
    """Adopted measures whose forecast is "i fare", or whose delivery confidence is red or red/yellow."""
    return [m for m in snapshot.measures if m.is_adopted and (m.at_risk_reason or m.confidence in LOW_CONFIDENCE)]


def summary_section(snapshot: ReportSnapshot) -> Section:
    """Page 1: the verdict, the chart per year against the target (its table as alternative), the ledger line."""
    chart, ledger = years_section(snapshot).blocks
    return Section("Hvor står vi?", (verdict(snapshot), chart, ledger))


def groups_section(snapshot: ReportSnapshot) -> Section:
    year = snapshot.target_year or snapshot.focus_year
    rows = []
    for group in snapshot.groups:
        focus = next((r for r in group.years if r.year == snapshot.focus_year), None)
        target = next((r for r in group.years if r.year == year), None)
        rows.append(
            (
                f"{group.number} {group.name}",
                mnok(group.savings_requirement_nok),
                mnok(focus.planned_nok if focus else None),
                mnok(focus.forecast_nok if focus else None),
                mnok(target.planned_nok if target else None),
                mnok(target.forecast_nok if target else None),
                against_target_short(target.gap_nok if target else None).replace(" ", NBSP),
            )
        )
    header = (
        "Arbeidsgruppe",
        "Sparekrav",
        f"Vedtatt plan {snapshot.focus_year}",
        f"Prognose {snapshot.focus_year}",
        f"Vedtatt plan {year}",
        f"Prognose {year}",
        f"Prognose mot sparekravet {year}",
    )
    table = Table(
        "Innsparing per arbeidsgruppe (mill. kr)", header, tuple(rows), frozenset(range(1, 7)), (3, 1, 1, 1, 1, 1, 1.3)
    )
    return Section("Tall per arbeidsgruppe", (table, group_years_table(snapshot)))


def group_years_table(snapshot: ReportSnapshot) -> Table:
    """The forecast saving of every work group in every year."""
    years = [row.year for row in snapshot.years]
    rows = []
    for group in snapshot.groups:
        by_year = {row.year: row for row in group.years}
        rows.append(
            (f"{group.number} {group.name}", *(mnok(by_year[y].forecast_nok) if y in by_year else DASH for y in years))
        )
    totals = ("Sum", *(mnok(row.forecast_nok) for row in snapshot.years))
    return Table(
        "Prognose per arbeidsgruppe og år (mill. kr)",
        ("Arbeidsgruppe", *(str(year) for year in years)),
        (*rows, totals),
        frozenset(range(1, len(years) + 1)),
        (3, *([1] * len(years))),
    )


def status_section(snapshot: ReportSnapshot) -> Section:
    adopted = [m for m in snapshot.measures if m.is_adopted]
    table = Table(
        f"Status per tiltak i vedtatt plan (prognose {snapshot.focus_year}, mill. kr)",
        ("Tiltak", "Status", "Leveransesikkerhet", "Prognose", "Statuskommentar"),
        tuple(
            (f"{m.code} {m.title}", m.status_label, m.confidence_label, mnok(m.forecast_nok), m.status_text or DASH)
            for m in adopted
        ),
        frozenset({3}),
        (4, 1.6, 1.9, 1.1, 4),
    )
    return Section("Status per tiltak", (table,))


def changes_section(snapshot: ReportSnapshot) -> Section:
    previous = Quarter.parse(snapshot.previous_period).label if snapshot.previous_period else None
    if previous is None:
        return Section(
            "Endringer siden forrige rapport",
            (Text("Dette er første rapport; ingen tidligere rapport å sammenligne med."),),
        )
    if not snapshot.changes:
        return Section("Endringer siden forrige rapport", (Text(f"Ingen endringer siden rapporten for {previous}."),))
    table = Table(
        f"Endringer siden rapporten for {previous}",
        ("Tiltak", "Hva", "Før", "Nå"),
        tuple(((f"{c.code} {c.title}".strip()), c.what, c.old or DASH, c.new or DASH) for c in snapshot.changes),
        frozenset(),
        (4, 2.5, 2, 2),
    )
    return Section("Endringer siden forrige rapport", (table,))
