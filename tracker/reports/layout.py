"""A report's content as blocks (headings, text, tables, charts), from its snapshot. Pure.

The PDF and the HTML version render the same blocks, so the two always say the same thing.
Amounts are mill. kr with one decimal in Norwegian format ("88,1").
"""

from dataclasses import dataclass, field
from datetime import datetime

from tracker.money import format_decimal, format_mnok
from tracker.periods import format_datetime
from tracker.reports.snapshot import ReportSnapshot, YearFigures

DASH = "–"
EXAMPLE_NOTE = "Eksempeldata – tallene er ikke Elverum kommunes faktiske oppfølging."


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
    horizontal: bool = False


@dataclass(frozen=True)
class Heatmap:
    title: str
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]
    table: Table


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


def _figure_cells(row: YearFigures) -> tuple[str, ...]:
    return (
        mnok(row.target_nok),
        mnok(row.planned_nok),
        mnok(row.forecast_nok),
        mnok(row.risk_adjusted_forecast_nok),
        mnok(row.realised_nok),
        mnok(row.realised_approved_nok),
        mnok(row.gap_nok),
    )


# Realised figures are reported by owners; "herav godkjent" is the part a controller has approved.
FIGURE_HEADER = ("Mål", "Planlagt", "Prognose", "Risikojustert", "Realisert", "Herav godkjent", "Gap mot mål")


def summary_section(snapshot: ReportSnapshot) -> Section:
    years = [y for y in (snapshot.focus_year, snapshot.target_year) if y is not None]
    rows = tuple((str(row.year), *_figure_cells(row)) for y in dict.fromkeys(years) if (row := snapshot.year(y)))
    key_figures = Table(
        "Nøkkeltall (mill. kr, innsparing er positiv)", ("År", *FIGURE_HEADER), rows, frozenset(range(1, 8))
    )
    counts = snapshot.confidence_counts
    confidence = BarChart(
        "Leveransesikkerhet: antall tiltak per nivå",
        tuple(row.label for row in counts),
        (("Antall tiltak", tuple(float(row.count) for row in counts)),),
        Table(
            "Fordeling av leveransesikkerhet",
            ("Nivå", "Antall tiltak"),
            tuple((r.label, str(r.count)) for r in counts),
            frozenset({1}),
        ),
        horizontal=True,
    )
    intro = Text(
        f"Rapporten gjelder {snapshot.period_label} for {snapshot.programme_name}. Porteføljen har "
        f"{len(snapshot.measures)} tiltak, {len(snapshot.deviations)} avvik fra plan og "
        f"{len(snapshot.decisions)} saker der tiltakseierne ber om beslutning."
    )
    gap = Text("Gap mot mål er mål minus prognose: et negativt gap betyr at prognosen er større enn målet.", "note")
    return Section("Sammendrag", (intro, key_figures, gap, confidence))


def years_section(snapshot: ReportSnapshot) -> Section:
    table = Table(
        "Innsparing per år (mill. kr)",
        ("År", *FIGURE_HEADER, "Bekreftet i regnskapet (helår)"),
        tuple((str(row.year), *_figure_cells(row), mnok(row.accounting_indicated_nok)) for row in snapshot.years),
        frozenset(range(1, 9)),
    )
    chart = BarChart(
        "Planlagt, prognose og realisert per år (mill. kr)",
        tuple(str(row.year) for row in snapshot.years),
        (
            ("Planlagt", tuple(mnok_float(row.planned_nok) for row in snapshot.years)),
            ("Prognose", tuple(mnok_float(row.forecast_nok) for row in snapshot.years)),
            ("Realisert", tuple(mnok_float(row.realised_nok) for row in snapshot.years)),
        ),
        table,
    )
    return Section("Tall per år", (chart, accounting_line(snapshot)))


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
                mnok(target.gap_nok if target else None),
            )
        )
    header = (
        "Arbeidsgruppe",
        "Sparekrav",
        f"Planlagt {snapshot.focus_year}",
        f"Prognose {snapshot.focus_year}",
        f"Planlagt {year}",
        f"Prognose {year}",
        f"Gap {year}",
    )
    table = Table(
        "Innsparing per arbeidsgruppe (mill. kr)", header, tuple(rows), frozenset(range(1, 7)), (3, 1, 1, 1, 1, 1, 1)
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


def deviations_section(snapshot: ReportSnapshot) -> Section:
    if not snapshot.deviations:
        return Section("Avvik", (Text("Ingen tiltak har prognose vesentlig under plan."),))
    table = Table(
        "Avvik fra plan (mill. kr)",
        ("Tiltak", "År", "Planlagt", "Prognose", "Mangler"),
        tuple(
            (f"{d.code} {d.title}", str(d.year), mnok(d.planned_nok), mnok(d.forecast_nok), mnok(d.shortfall_nok))
            for d in snapshot.deviations
        ),
        frozenset({1, 2, 3, 4}),
        (4, 1, 1, 1, 1),
    )
    blocks: list = [table]
    for d in snapshot.deviations:
        blocks.append(Text(f"{d.code} {d.title} ({d.year})", "label"))
        blocks.append(Text(f"Forklaring: {d.explanation or DASH}"))
        blocks.append(Text(f"Korrigerende tiltak: {d.corrective_action or DASH}"))
    return Section("Avvik med forklaring og korrigerende tiltak", tuple(blocks))


def decisions_section(snapshot: ReportSnapshot) -> Section:
    if not snapshot.decisions:
        return Section("Beslutninger som trengs", (Text("Ingen tiltakseiere ber om beslutning i denne perioden."),))
    blocks: list = []
    for row in snapshot.decisions:
        blocks.append(Text(f"{row.code} {row.title}", "label"))
        blocks.append(Text(row.text))
    return Section("Beslutninger som trengs", tuple(blocks))


def status_section(snapshot: ReportSnapshot) -> Section:
    table = Table(
        f"Status per tiltak (prognose {snapshot.focus_year}, mill. kr)",
        ("Tiltak", "Status", "Leveransesikkerhet", "Prognose", "Statuskommentar"),
        tuple(
            (f"{m.code} {m.title}", m.status_label, m.confidence_label, mnok(m.forecast_nok), m.status_text or DASH)
            for m in snapshot.measures
        ),
        frozenset({3}),
        (4, 1.6, 1.6, 1.1, 4),
    )
    return Section("Status per tiltak", (table,))


def changes_section(snapshot: ReportSnapshot) -> Section:
    if snapshot.previous_period is None:
        return Section(
            "Endringer siden forrige rapport",
            (Text("Dette er første rapport; ingen tidligere rapport å sammenligne med."),),
        )
    if not snapshot.changes:
        return Section(
            "Endringer siden forrige rapport",
            (Text(f"Ingen endringer siden rapporten for {snapshot.previous_period}."),),
        )
    table = Table(
        f"Endringer siden rapporten for {snapshot.previous_period}",
        ("Tiltak", "Hva", "Før", "Nå"),
        tuple(((f"{c.code} {c.title}".strip()), c.what, c.old or DASH, c.new or DASH) for c in snapshot.changes),
        frozenset(),
        (4, 2.5, 2, 2),
    )
    return Section("Endringer siden forrige rapport", (table,))


def politicians_document(snapshot: ReportSnapshot) -> tuple[Section, ...]:
    return (
        summary_section(snapshot),
        years_section(snapshot),
        groups_section(snapshot),
        deviations_section(snapshot),
        decisions_section(snapshot),
        status_section(snapshot),
        changes_section(snapshot),
    )
