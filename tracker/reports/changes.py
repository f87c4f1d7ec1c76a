"""What changed since the previous quarter's report. Pure: compares two snapshots' contents."""

from tracker.money import format_decimal, format_mnok
from tracker.reports.snapshot import (
    ChangeRow,
    MeasureLine,
    MilestoneRow,
    OrgRiskRow,
    ReportSnapshot,
    StaffRow,
    YearFigures,
)

PROGRAMME_CODE = ""


def _mnok(amount_nok: int | None) -> str:
    return "–" if amount_nok is None else f"{format_mnok(amount_nok)} mill. kr"


def total_changes(old: YearFigures | None, new: YearFigures | None) -> list[ChangeRow]:
    """Changes in the programme's forecast and realised saving for the focus year."""
    if old is None or new is None:
        return []
    rows = []
    for attribute, label in (("forecast_nok", "Prognose"), ("realised_nok", "Realisert")):
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before != after:
            rows.append(
                ChangeRow(PROGRAMME_CODE, "Hele programmet", f"{label} {new.year}", _mnok(before), _mnok(after))
            )
    return rows


def measure_changes(old: MeasureLine | None, new: MeasureLine, same_year: bool = True) -> list[ChangeRow]:
    """Status, delivery confidence and (for the same focus year) forecast of one measure, old → new."""
    if old is None:
        return [ChangeRow(new.code, new.title, "Nytt tiltak", "", new.status_label)]
    rows = []
    if old.status != new.status:
        rows.append(ChangeRow(new.code, new.title, "Status", old.status_label, new.status_label))
    if old.confidence != new.confidence:
        rows.append(ChangeRow(new.code, new.title, "Leveransesikkerhet", old.confidence_label, new.confidence_label))
    if same_year and old.forecast_nok != new.forecast_nok:
        rows.append(ChangeRow(new.code, new.title, "Prognose", _mnok(old.forecast_nok), _mnok(new.forecast_nok)))
    return rows


def risk_changes(old: OrgRiskRow | None, new: OrgRiskRow) -> list[ChangeRow]:
    if old is None or old.level == new.level:
        return []
    return [ChangeRow(new.code, new.title, "Organisatorisk risiko", old.level, new.level)]


STAFF_FIELDS = (
    ("consultation", "Drøfting med tillitsvalgte"),
    ("risk_assessment", "Risikovurdering arbeidsmiljø"),
    ("safety_representative", "Verneombud involvert"),
)


def staff_changes(old: StaffRow | None, new: StaffRow) -> list[ChangeRow]:
    """Drøfting, risk assessment, verneombud and realised årsverk of one measure, old → new."""
    if old is None:
        return []
    rows = [
        ChangeRow(new.code, new.title, label, getattr(old, name), getattr(new, name))
        for name, label in STAFF_FIELDS
        if getattr(old, name) != getattr(new, name)
    ]
    if old.fte_realised != new.fte_realised:
        rows.append(ChangeRow(new.code, new.title, "Årsverk realisert", _fte(old.fte_realised), _fte(new.fte_realised)))
    return rows


def _fte(value: float | None) -> str:
    return "–" if value is None else format_decimal(value, 1)


def milestone_changes(old: MilestoneRow | None, new: MilestoneRow) -> list[ChangeRow]:
    if old is None or old.state == new.state:
        return []
    return [ChangeRow(new.code, new.title, f"Milepæl: {new.what}", old.state, new.state)]


def changes_between(previous: ReportSnapshot | None, current: ReportSnapshot) -> tuple[ChangeRow, ...]:
    """Every change from the previous report to this one; empty when there is no previous."""
    if previous is None:
        return ()
    rows = total_changes(previous.year(current.focus_year), current.year(current.focus_year))
    old_measures = {line.code: line for line in previous.measures}
    for line in current.measures:
        rows.extend(measure_changes(old_measures.get(line.code), line, previous.focus_year == current.focus_year))
    old_risks = {row.code: row for row in previous.org_risks}
    for row in current.org_risks:
        rows.extend(risk_changes(old_risks.get(row.code), row))
    old_staff = {row.code: row for row in previous.staff}
    for row in current.staff:
        rows.extend(staff_changes(old_staff.get(row.code), row))
    old_milestones = {(row.code, row.what): row for row in previous.milestones}
    for row in current.milestones:
        rows.extend(milestone_changes(old_milestones.get((row.code, row.what)), row))
    return tuple(rows)
