"""The politicians' report after page 1: budget take-out, deviations, measures in danger, decisions, the menu. Pure."""

from tracker.confidence import LEVELS as CONFIDENCE_LEVELS
from tracker.money import format_decimal
from tracker.palette import CONFIDENCE_FILL, NO_CONFIDENCE_FILL
from tracker.reports.layout import (
    AUDIENCE_POLITICIANS,
    DASH,
    BarChart,
    Section,
    Table,
    Text,
    measures_at_risk,
    mnok,
)
from tracker.reports.snapshot import KpiRow, ReportSnapshot
from tracker.reports.words import mnok_words, plural


def _share(part: int, whole: int) -> str:
    return f"{format_decimal(part / whole * 100, 0)} %" if whole > 0 else DASH


def take_out_section(snapshot: ReportSnapshot) -> Section:
    """How much of the adopted plan is taken out of the units' budgets, per year."""
    rows = tuple(
        (
            str(row.year),
            mnok(row.planned_nok),
            mnok(row.budget_taken_out_nok),
            _share(row.budget_taken_out_nok, row.planned_nok),
        )
        for row in snapshot.years
        if row.planned_nok or row.budget_taken_out_nok
    )
    focus = snapshot.year(snapshot.focus_year)
    text = (
        "Uttak er det som faktisk er trukket ut av enhetenes budsjettrammer, godkjent av økonomi/controller. "
        f"I {snapshot.focus_year} er "
        f"{mnok_words(focus.budget_taken_out_nok)} tatt ut av en vedtatt plan på {mnok_words(focus.planned_nok)} "
        f"({_share(focus.budget_taken_out_nok, focus.planned_nok)})."
        if focus
        else "Ingen uttak er registrert."
    )
    table = Table(
        "Tatt ut av budsjettene per år (mill. kr)",
        ("År", "Vedtatt plan", "Tatt ut av budsjettene", "Andel av planen"),
        rows,
        frozenset({1, 2, 3}),
        (1, 1.5, 1.8, 1.5),
    )
    return Section("Uttak fra budsjettene", (Text(text), table))


def kpi_table(rows: tuple[KpiRow, ...], caption: str) -> Table:
    return Table(
        caption,
        ("Tiltak", "Indikator", "Utgangspunkt", "Siste måling", "Mål", "Utvikling", "Andel av veien"),
        tuple(
            (
                f"{r.code} {r.title}",
                r.name,
                r.baseline,
                f"{r.latest} ({r.latest_period})" if r.latest_period else r.latest,
                r.target,
                r.trend,
                r.progress,
            )
            for r in rows
        ),
        frozenset({2, 3, 4, 6}),
        (2.6, 2.4, 1.2, 1.5, 1.1, 1, 1),
    )


def deviations_section(snapshot: ReportSnapshot) -> Section:
    if not snapshot.deviations:
        return Section("Avvik", (Text("Ingen tiltak har prognose vesentlig under plan."),))
    table = Table(
        "Avvik fra plan (mill. kr)",
        ("Tiltak", "År", "Vedtatt plan", "Prognose", "Mangler"),
        tuple(
            (f"{d.code} {d.title}", str(d.year), mnok(d.planned_nok), mnok(d.forecast_nok), mnok(d.shortfall_nok))
            for d in snapshot.deviations
        ),
        frozenset({1, 2, 3, 4}),
        (4, 1, 1.2, 1.2, 1.2),
    )
    blocks: list = [table]
    for d in snapshot.deviations:
        blocks.append(Text(f"{d.code} {d.title} ({d.year})", "label"))
        blocks.append(Text(f"Forklaring: {d.explanation or DASH}"))
        blocks.append(Text(f"Korrigerende tiltak: {d.corrective_action or DASH}"))
    if snapshot.kpis:
        blocks.append(kpi_table(snapshot.kpis, "Nøkkelindikatorer for tiltak med avvik"))
    return Section("Avvik med forklaring og korrigerende tiltak", tuple(blocks))


def confidence_chart(snapshot: ReportSnapshot, caption: str = "Fordeling av leveransesikkerhet") -> BarChart:
    """How many adopted measures are at each delivery-confidence level, as a traffic light."""
    counts = snapshot.confidence_counts
    colours = tuple(CONFIDENCE_FILL[level] for level in CONFIDENCE_LEVELS) + (NO_CONFIDENCE_FILL,)
    return confidence_bars(
        tuple((row.label, row.count) for row in counts), colours, caption, "Leveransesikkerhet: antall tiltak per nivå"
    )


def confidence_bars(
    counts: tuple[tuple[str, int], ...], colours: tuple[str, ...], caption: str, title: str
) -> BarChart:
    described = ", ".join(f"{label.lower()} {number}" for label, number in counts)
    return BarChart(
        title,
        tuple(label for label, _ in counts),
        (("Antall tiltak", tuple(float(number) for _, number in counts)),),
        Table(
            caption, ("Nivå", "Antall tiltak"), tuple((label, str(number)) for label, number in counts), frozenset({1})
        ),
        horizontal=True,
        colours=colours,
        description=f"Antall tiltak per nivå av leveransesikkerhet, grønt til rødt: {described}.",
    )


def at_risk_section(snapshot: ReportSnapshot) -> Section:
    """Adopted measures in danger: "prognose i fare", or red or red/yellow delivery confidence."""
    rows = measures_at_risk(snapshot)
    blocks: list = [confidence_chart(snapshot)]
    if not rows:
        blocks.insert(0, Text("Ingen tiltak i vedtatt plan er i fare."))
        return Section("Tiltak i fare", tuple(blocks))
    blocks.insert(
        0,
        Table(
            f"Tiltak i fare (prognose {snapshot.focus_year}, mill. kr)",
            ("Tiltak", "Hvorfor", "Leveransesikkerhet", "Prognose", "Tiltaksansvarlig"),
            tuple(
                (
                    f"{m.code} {m.title}",
                    m.at_risk_reason or f"Leveransesikkerhet {m.confidence_label.lower()}",
                    m.confidence_label,
                    mnok(m.forecast_nok),
                    m.owner or DASH,
                )
                for m in rows
            ),
            frozenset({3}),
            (3.5, 2.5, 1.9, 1.1, 2),
        ),
    )
    return Section("Tiltak i fare", tuple(blocks))


def decisions_section(snapshot: ReportSnapshot) -> Section:
    """The decisions the owners ask of the politicians; the others are counted."""
    own = [row for row in snapshot.decisions if row.audience == AUDIENCE_POLITICIANS]
    others = len(snapshot.decisions) - len(own)
    blocks: list = []
    if not own:
        blocks.append(Text("Ingen tiltakseiere ber politikerne om beslutning i denne perioden."))
    for row in own:
        blocks.append(Text(f"{row.code} {row.title}", "label"))
        blocks.append(Text(row.text))
    if others:
        blocks.append(
            Text(
                f"I tillegg ber tiltakseierne ledergruppen eller AMU om {plural(others, 'beslutning', 'beslutninger')}; "
                "de følges opp der.",
                "note",
            )
        )
    return Section("Saker til politisk behandling", tuple(blocks))


def menu_section(snapshot: ReportSnapshot) -> Section:
    """A short appendix: the menu of measures besides the adopted plan."""
    year = snapshot.target_year or snapshot.focus_year
    row = snapshot.year(year)
    others = [m for m in snapshot.measures if not m.is_adopted]
    adopted_text = mnok_words(row.planned_nok) if row else DASH
    menu_text = mnok_words(row.menu_nok) if row and row.menu_nok is not None else DASH
    blocks: list = [
        Text(
            f"Vedtatt plan for {year}: {adopted_text} · Meny: {menu_text}. Menyen er alle tiltakene i "
            f"omstillingsrapporten; {plural(len(others), 'tiltak er', 'tiltak er')} ikke med i vedtatt plan."
        )
    ]
    if others:
        blocks.append(
            Table(
                f"Tiltak på menyen som ikke er i vedtatt plan (mill. kr i {year})",
                ("Tiltak", "Status", f"Meny {year}"),
                tuple((f"{m.code} {m.title}", m.status_label, mnok(m.menu_nok)) for m in others),
                frozenset({2}),
                (5, 1.6, 1),
            )
        )
    blocks.append(group_menu_table(snapshot))
    return Section("Vedlegg: menyen", tuple(blocks))


def group_menu_table(snapshot: ReportSnapshot) -> Table:
    """The menu (the report's figures, whatever is adopted) of every work group in every year."""
    years = [row.year for row in snapshot.years]
    rows = []
    for group in snapshot.groups:
        by_year = {row.year: row for row in group.years}
        rows.append(
            (f"{group.number} {group.name}", *(mnok(by_year[y].menu_nok) if y in by_year else DASH for y in years))
        )
    totals = ("Sum", *(mnok(row.menu_nok) for row in snapshot.years))
    return Table(
        "Menyen per arbeidsgruppe og år: rapportens tall for alle tiltak (mill. kr)",
        ("Arbeidsgruppe", *(str(year) for year in years)),
        (*rows, totals),
        frozenset(range(1, len(years) + 1)),
        (3, *([1] * len(years))),
    )
