"""The AMU report's sections: consequences for employees, organisational risk, milestones. Pure."""

from tracker.money import format_decimal
from tracker.reports.layout import DASH, Heatmap, Section, Table, Text, changes_section, count, fte
from tracker.reports.snapshot import OrgRiskRow, ReportSnapshot, StaffRow

WEAKEST_SHOWN = 10
DONE_LABEL = "Fullført"


def _total(values) -> float | None:
    present = [value for value in values if value is not None]
    return round(sum(present), 2) if present else None


def amu_summary(snapshot: ReportSnapshot) -> Section:
    staff = snapshot.staff
    registered = [row for row in staff if row.is_registered]
    consulted = sum(row.consultation.startswith("Drøftet") for row in registered)
    assessed = sum(row.risk_assessment != "Ikke gjennomført" for row in registered)
    high = sum(row.level == "Høy" for row in snapshot.org_risks)
    text = (
        f"Rapporten gjelder {snapshot.period_label}. {len(registered)} tiltak har registrerte konsekvenser for "
        f"ansatte; {consulted} av dem er drøftet med tillitsvalgte og {assessed} har en "
        f"risikovurdering av arbeidsmiljøet. {len(snapshot.org_risks)} tiltak har organisatorisk "
        f"risikovurdering, {high} med høy risiko."
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
    return Section("Sammendrag", (Text(text), totals))


def staff_section(snapshot: ReportSnapshot) -> Section:
    registered = [row for row in snapshot.staff if row.is_registered]
    unregistered = [row.code for row in snapshot.staff if not row.is_registered]
    blocks: list = (
        registered_tables(registered) if registered else [Text("Ingen konsekvenser for ansatte er registrert ennå.")]
    )
    if unregistered:
        blocks.append(Text("Tiltak uten registrerte konsekvenser for ansatte: " + ", ".join(unregistered) + "."))
    return Section("Konsekvenser for ansatte", tuple(blocks))


def descriptions_section(snapshot: ReportSnapshot) -> Section:
    """The measures' own description of what they mean for employees, as an appendix."""
    blocks: list = []
    for row in snapshot.staff:
        if row.description:
            blocks.append(Text(f"{row.code} {row.title}", "label"))
            blocks.append(Text(row.description))
    return Section("Vedlegg: konsekvenser for ansatte slik tiltakene beskriver dem", tuple(blocks))


def registered_tables(rows: list[StaffRow]) -> list[Table]:
    """Numbers (units, employees, årsverk) and process (drøfting, verneombud, risk assessment)."""
    numbers = Table(
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
        (3.2, 2, 1, 1.1, 1.1, 1.1, 1.1, 1.1),
    )
    process = Table(
        "Medvirkning: drøfting, verneombud og risikovurdering av arbeidsmiljøet",
        ("Tiltak", "Drøfting med tillitsvalgte", "Verneombud involvert", "Risikovurdering arbeidsmiljø"),
        tuple((f"{r.code} {r.title}", r.consultation, r.safety_representative, r.risk_assessment) for r in rows),
        frozenset(),
        (3, 2, 1.3, 3.5),
    )
    return [numbers, process]


def _score(value: float | None) -> str:
    return DASH if value is None else format_decimal(value, 0)


def weakest(rows: tuple[OrgRiskRow, ...], limit: int = WEAKEST_SHOWN) -> list[OrgRiskRow]:
    """The measures whose weakest indicator scores highest, then by average (highest risk first)."""

    def worst(row: OrgRiskRow) -> float:
        return max((ind.score for ind in row.indicators if ind.score is not None), default=0)

    return sorted(rows, key=lambda row: (-worst(row), -(row.average or 0), row.code))[:limit]


def risk_section(snapshot: ReportSnapshot) -> Section:
    if not snapshot.org_risks:
        return Section("Organisatorisk risiko", (Text("Ingen organisatoriske risikovurderinger er registrert ennå."),))
    names = snapshot.risk_indicators
    table = Table(
        "Organisatorisk risiko per tiltak (tiltakskode; 1 = lav risiko, 5 = høy risiko)",
        ("Tiltak", *names, "Snitt", "Nivå"),
        tuple(
            (
                r.code,
                *(_score(ind.score) for ind in r.indicators),
                format_decimal(r.average, 2) if r.average is not None else DASH,
                r.level,
            )
            for r in snapshot.org_risks
        ),
        frozenset(range(1, len(names) + 2)),
        (0.7, *([1.2] * len(names)), 0.8, 0.9),
    )
    heatmap = Heatmap(
        "Risikokart: indikatorer per tiltak",
        tuple(r.code for r in snapshot.org_risks),
        names,
        tuple(tuple(ind.score for ind in r.indicators) for r in snapshot.org_risks),
        table,
    )
    weak = Table(
        "Tiltakene med svakest indikatorer",
        ("Tiltak", "Svakeste indikator", "Snitt", "Nivå"),
        tuple(
            (f"{r.code} {r.title}", r.weakest, format_decimal(r.average, 2) if r.average is not None else DASH, r.level)
            for r in weakest(snapshot.org_risks)
        ),
        frozenset({2}),
        (3.5, 2.5, 1, 1),
    )
    return Section("Organisatorisk risiko", (heatmap, weak))


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


def amu_document(snapshot: ReportSnapshot) -> tuple[Section, ...]:
    return (
        amu_summary(snapshot),
        staff_section(snapshot),
        risk_section(snapshot),
        milestones_section(snapshot),
        changes_section(snapshot),
        descriptions_section(snapshot),
    )
