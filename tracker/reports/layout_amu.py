"""The AMU report's sections: the measures that affect staff, årsverk, medvirkning, risk, KPIs. Pure."""

from tracker.confidence import LEVELS as CONFIDENCE_LEVELS
from tracker.money import format_decimal
from tracker.palette import CONFIDENCE_FILL, NO_CONFIDENCE_FILL
from tracker.reports.layout import DASH, Heatmap, Section, Table, Text, count, fte
from tracker.reports.layout_plan import confidence_bars, kpi_table
from tracker.reports.snapshot import OrgRiskRow, ReportSnapshot, StaffRow
from tracker.reports.words import plural

WEAKEST_SHOWN = 10
DONE_LABEL = "Fullført"
NO_UPDATE = "Ingen statusrapport"


def _total(values) -> float | None:
    present = [value for value in values if value is not None]
    return round(sum(present), 2) if present else None


def _staff_confidence_chart(snapshot: ReportSnapshot):
    """The measures that affect staff by delivery confidence, green to red."""
    lines = {m.code: m for m in snapshot.measures}
    levels = [lines[row.code].confidence if row.code in lines else None for row in snapshot.staff]
    labels = [
        (row.label, sum(level == key for level in levels))
        for row, key in zip(snapshot.confidence_counts, CONFIDENCE_LEVELS, strict=False)
    ]
    labels.append((NO_UPDATE, sum(level not in CONFIDENCE_LEVELS for level in levels)))
    colours = tuple(CONFIDENCE_FILL[level] for level in CONFIDENCE_LEVELS) + (NO_CONFIDENCE_FILL,)
    return confidence_bars(
        tuple(labels),
        colours,
        "Tiltak som berører ansatte etter leveransesikkerhet",
        "Leveransesikkerhet i tiltak som berører ansatte",
    )


def amu_summary(snapshot: ReportSnapshot) -> Section:
    staff = snapshot.staff
    registered = [row for row in staff if row.is_registered]
    consulted = sum(row.consultation.startswith("Drøftet") for row in registered)
    assessed = sum(row.risk_assessment != "Ikke gjennomført" for row in registered)
    high = sum(row.level == "Høy" for row in snapshot.org_risks)
    text = (
        f"Rapporten gjelder {snapshot.period_label}. {plural(len(staff), 'tiltak', 'tiltak')} i vedtatt plan berører "
        f"ansatte, og {len(registered)} av dem har registrerte konsekvenser; {consulted} er drøftet med tillitsvalgte og "
        f"{assessed} har en risikovurdering av arbeidsmiljøet. {plural(len(snapshot.org_risks), 'tiltak', 'tiltak')} "
        f"har organisatorisk risikovurdering, {high} med høy risiko."
    )
    totals = Table(
        "Sum for tiltak med registrerte konsekvenser",
        ("Berørte ansatte", "Årsverk planlagt", "Årsverk realisert", "Naturlig avgang", "Omplassering", "Nedbemanning"),
        (
            (
                count(sum(row.employees or 0 for row in registered) if registered else None),
                fte(_total(row.fte_planned for row in registered)),
                fte(_total(row.fte_realised for row in registered)),
                fte(_total(row.attrition for row in registered)),
                fte(_total(row.redeployment for row in registered)),
                fte(_total(row.downsizing for row in registered)),
            ),
        ),
        frozenset(range(6)),
    )
    return Section("Sammendrag", (Text(text), _staff_confidence_chart(snapshot), totals))


def status_section(snapshot: ReportSnapshot) -> Section:
    """Status, traffic light and the decisions asked for in every measure that affects staff."""
    if not snapshot.staff:
        return Section("Status i tiltak som berører ansatte", (Text("Ingen tiltak i vedtatt plan berører ansatte."),))
    lines = {m.code: m for m in snapshot.measures}
    decisions = {row.code: row for row in snapshot.decisions}
    rows = []
    for row in snapshot.staff:
        line = lines.get(row.code)
        decision = decisions.get(row.code)
        asked = f"{decision.text} (beslutning av: {decision.audience_label})" if decision else DASH
        rows.append(
            (
                f"{row.code} {row.title}",
                line.status_label if line else DASH,
                line.confidence_label if line else DASH,
                line.owner or DASH if line else DASH,
                asked,
            )
        )
    table = Table(
        "Status, leveransesikkerhet og beslutninger som trengs",
        ("Tiltak", "Status", "Leveransesikkerhet", "Tiltaksansvarlig", "Beslutninger som trengs"),
        tuple(rows),
        frozenset(),
        (3, 1.5, 1.9, 1.8, 3.6),
    )
    return Section("Status i tiltak som berører ansatte", (table,))


def staff_section(snapshot: ReportSnapshot) -> Section:
    registered = [row for row in snapshot.staff if row.is_registered]
    unregistered = [row.code for row in snapshot.staff if not row.is_registered]
    blocks: list = (
        [registered_table(registered)] if registered else [Text("Ingen konsekvenser for ansatte er registrert ennå.")]
    )
    if unregistered:
        blocks.append(
            Text("Tiltak uten registrerte konsekvenser for ansatte: " + ", ".join(unregistered) + ".", "note")
        )
    return Section("Konsekvenser for ansatte", tuple(blocks))


def fte_section(snapshot: ReportSnapshot) -> Section:
    """Årsverk per measure: the consultant report's estimate beside the registered change; the programme total."""
    rows = tuple(
        (f"{r.code} {r.title}", r.fte_effect or DASH, fte(r.fte_planned), fte(r.fte_realised)) for r in snapshot.staff
    )
    per_measure = Table(
        "Årsverk per tiltak: rapportens anslag og registrert endring (negativt = færre)",
        ("Tiltak", "Rapportens anslag", "Registrert planlagt", "Registrert realisert"),
        rows,
        frozenset({2, 3}),
        (2.6, 5, 1.2, 1.2),
    )
    registered = [row for row in snapshot.staff if row.is_registered]
    unknown = sum(row.fte_planned is None for row in snapshot.staff)
    total_rows = [(str(year.year), fte(year.fte_change), str(year.unknown)) for year in snapshot.fte_years]
    total_rows.append(("Hele perioden", fte(_total(row.fte_planned for row in registered)), str(unknown)))
    totals = Table(
        "Programmets endring i årsverk per år",
        ("År", "Endring i årsverk (planlagt)", "Tiltak uten tall"),
        tuple(total_rows),
        frozenset({1, 2}),
        (1.5, 2, 1.5),
    )
    blocks: list = [per_measure, totals]
    if not snapshot.fte_years:
        blocks.append(Text("Endringen i årsverk er ennå ikke registrert per år; summen gjelder hele perioden.", "note"))
    return Section("Årsverk", tuple(blocks))


def registered_table(rows: list[StaffRow]) -> Table:
    """Units, employees and årsverk of the measures with registered consequences."""
    return Table(
        "Konsekvenser for ansatte per tiltak (årsverk, negativt = færre)",
        (
            "Tiltak",
            "Enheter",
            "Ansatte",
            "Årsverk planlagt",
            "Årsverk realisert",
            "Naturlig avgang",
            "Omplassering",
            "Nedbemanning",
        ),
        tuple(
            (
                f"{r.code} {r.title}",
                r.units or DASH,
                count(r.employees),
                fte(r.fte_planned),
                fte(r.fte_realised),
                fte(r.attrition),
                fte(r.redeployment),
                fte(r.downsizing),
            )
            for r in rows
        ),
        frozenset(range(2, 8)),
        (3.2, 2, 1, 1.2, 1.2, 1.2, 1.4, 1.4),
    )


def process_section(snapshot: ReportSnapshot) -> Section:
    rows = [r for r in snapshot.staff if r.is_registered]
    if not rows:
        return Section("Medvirkning", (Text("Ingen drøftinger eller risikovurderinger er registrert ennå."),))
    table = Table(
        "Drøfting med tillitsvalgte, verneombud og risikovurdering (ROS) av arbeidsmiljøet",
        ("Tiltak", "Drøfting med tillitsvalgte", "Verneombud involvert", "ROS arbeidsmiljø"),
        tuple((f"{r.code} {r.title}", r.consultation, r.safety_representative, r.risk_assessment) for r in rows),
        frozenset(),
        (3, 2, 1.4, 3.5),
    )
    return Section("Medvirkning", (table,))


def _score(value: float | None) -> str:
    return DASH if value is None else format_decimal(value, 0)


def weakest(rows: tuple[OrgRiskRow, ...], limit: int = WEAKEST_SHOWN) -> list[OrgRiskRow]:
    """The measures whose weakest indicator scores highest, then by average (highest risk first)."""

    def worst(row: OrgRiskRow) -> float:
        return max((ind.score for ind in row.indicators if ind.score is not None), default=0)

    return sorted(rows, key=lambda row: (-worst(row), -(row.average or 0), row.code))[:limit]


def _average(row: OrgRiskRow) -> str:
    return format_decimal(row.average, 2) if row.average is not None else DASH


def risk_section(snapshot: ReportSnapshot) -> Section:
    blocks: list = []
    if snapshot.org_risks:
        names = snapshot.risk_indicators
        table = Table(
            "Organisatorisk risiko per tiltak (1 = lav risiko, 5 = høy risiko)",
            ("Tiltak", *names, "Snitt", "Nivå"),
            tuple(
                (f"{r.code} {r.title}", *(_score(ind.score) for ind in r.indicators), _average(r), r.level)
                for r in snapshot.org_risks
            ),
            frozenset(range(1, len(names) + 2)),
            (2.6, *([1.2] * len(names)), 0.8, 1),
        )
        blocks.append(
            Heatmap(
                "Risikokart: indikatorer per tiltak",
                tuple(f"{r.code} {r.title}" for r in snapshot.org_risks),
                names,
                tuple(tuple(ind.score for ind in r.indicators) for r in snapshot.org_risks),
                table,
                f"Poeng 1 (lav risiko, grønn) til 5 (høy risiko, rød) for {plural(len(snapshot.org_risks), 'tiltak', 'tiltak')} "
                f"på indikatorene {', '.join(names)}. Tallene står i tabellen under.",
            )
        )
        blocks.append(
            Table(
                "Tiltakene med svakest indikatorer",
                ("Tiltak", "Svakeste indikator", "Snitt", "Nivå"),
                tuple((f"{r.code} {r.title}", r.weakest, _average(r), r.level) for r in weakest(snapshot.org_risks)),
                frozenset({2}),
                (3.5, 2.5, 1, 1),
            )
        )
    else:
        blocks.append(Text("Ingen organisatoriske risikovurderinger er registrert ennå."))
    if snapshot.leader_loads:
        blocks.append(
            Table(
                "Belastning per leder (tiltaksansvarlig)",
                (
                    "Leder",
                    "Tiltak som berører ansatte",
                    "Med betydelig organisatorisk risiko",
                    "Vurdert til høy risiko",
                ),
                tuple(
                    (row.leader, str(row.staff_measures), str(row.significant_risk), str(row.high_risk))
                    for row in snapshot.leader_loads
                ),
                frozenset({1, 2, 3}),
                (2.5, 1.5, 1.8, 1.5),
            )
        )
    return Section("Organisatorisk risiko", tuple(blocks))


def kpi_section(snapshot: ReportSnapshot) -> Section:
    if not snapshot.kpis:
        return Section(
            "Nøkkelindikatorer", (Text("Tiltakene som berører ansatte har ingen nøkkelindikatorer registrert."),)
        )
    return Section("Nøkkelindikatorer", (kpi_table(snapshot.kpis, "Nøkkelindikatorer i tiltak som berører ansatte"),))


def milestones_section(snapshot: ReportSnapshot) -> Section:
    rows = [m for m in snapshot.milestones if m.affects_staff and m.state != DONE_LABEL]
    if not rows:
        return Section(
            "Milepæler som berører ansatte", (Text("Ingen åpne milepæler i tiltak med konsekvenser for ansatte."),)
        )
    table = Table(
        "Åpne milepæler i tiltak med konsekvenser for ansatte",
        ("Tiltak", "Milepæl", "Frist", "Status"),
        tuple((f"{m.code} {m.title}", m.what, m.due_date or DASH, m.state) for m in rows),
        frozenset(),
        (3, 3.5, 1.3, 1.2),
    )
    return Section("Milepæler som berører ansatte", (table,))


def descriptions_section(snapshot: ReportSnapshot) -> Section | None:
    """The measures' own description, quoted only where nothing is registered for them (it then adds something)."""
    blocks: list = []
    for row in snapshot.staff:
        if row.description and not row.is_registered:
            blocks.append(Text(f"{row.code} {row.title}", "label"))
            blocks.append(Text(row.description))
    if not blocks:
        return None
    return Section("Vedlegg: rapportens beskrivelse der ingenting er registrert", tuple(blocks))
