"""KPIs per measure: create, edit, one measurement per quarter, trend."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from tracker.accounts.permissions import require_measure_edit
from tracker.audit import services as audit
from tracker.audit.edits import add_audited, change_audited
from tracker.database import check_version, flush_or_conflict
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.kpis import rules
from tracker.kpis.models import Kpi, KpiMeasurement
from tracker.money import MAX_ABS_VALUE, NumberFormatError, plain_decimal, within
from tracker.periods import Quarter, checked_date, current_quarter, quarter_outside_programme
from tracker.portfolio.models import Measure
from tracker.text import check_texts, line, lines

FIELDS = ("name", "unit", "direction", "baseline_value", "baseline_date", "target_value", "target_date")
TEXTS = {"name": line(300), "unit": line(50), "note": lines(2000)}


class KpiError(ServiceError):
    """A KPI the rules refuse (no name, no direction)."""


def kpis_for(measure: Measure) -> list[Kpi]:
    return list(db.session.scalars(select(Kpi).where(Kpi.measure_id == measure.id).order_by(Kpi.id)))


def suggestions_for(measure: Measure) -> list[str]:
    """The report's suggested indicators not yet used as a KPI name on this measure."""
    used = {kpi.name for kpi in kpis_for(measure)}
    return [text for text in (measure.kpi_suggestions or []) if text not in used]


def _refused(field: str, message: str) -> KpiError:
    return KpiError(message, {field: message})


def _check(values: dict) -> None:
    if values.get("direction") not in rules.DIRECTIONS:
        raise _refused("direction", "Velg om høyere eller lavere er bedre.")
    if not str(values.get("name") or "").strip():
        raise _refused("name", "KPI-en må ha et navn.")
    check_texts(values, TEXTS, KpiError)
    for name in ("baseline_value", "target_value"):
        _check_value(name, values.get(name))
    for name in ("baseline_date", "target_date"):
        _check_date(name, values.get(name))


def _check_value(field: str, value: Decimal | None) -> None:
    if value is None:
        return
    try:
        if not value.is_finite():
            raise NumberFormatError(f"«{value}» er ikke et tall.")
        within(value, MAX_ABS_VALUE)
    except NumberFormatError as exc:
        raise _refused(field, str(exc)) from exc


def _check_date(field: str, day) -> None:
    if day is not None:
        try:
            checked_date(day)
        except ValueError as exc:
            raise _refused(field, str(exc)) from exc


def _check_quarter(measure: Measure, quarter: Quarter) -> None:
    """A measurement is for a quarter that has begun, within the programme's years."""
    if quarter > current_quarter():
        raise _refused(
            "quarter", f"{quarter.label} har ikke begynt ennå; målingen kan registreres fra kvartalets start."
        )
    message = quarter_outside_programme(quarter, measure.programme.start_year, measure.programme.end_year)
    if message:
        raise _refused("quarter", message)


def create_kpi(measure: Measure, actor, values: dict) -> Kpi:
    require_measure_edit(actor, measure, "kpi.create")
    _check(values)
    kpi = Kpi(measure=measure, **{name: values.get(name) for name in FIELDS})
    kpi.unit = kpi.unit or ""
    add_audited(kpi, actor, "kpi.create", measure.id, values)
    return kpi


def update_kpi(kpi: Kpi, actor, values: dict, seen_version: int | None = None) -> dict:
    """Change a KPI; a save made from an older version than `seen_version` is an EditConflict."""
    require_measure_edit(actor, kpi.measure, "kpi.edit")
    check_version(kpi, seen_version)
    _check(values)
    before = {name: getattr(kpi, name) for name in FIELDS}
    after = {name: values.get(name) for name in FIELDS}
    return change_audited(kpi, actor, "kpi.edit", before, after, measure_id=kpi.measure_id)


def record_measurement(kpi: Kpi, actor, quarter: Quarter, value: Decimal, note: str = "") -> KpiMeasurement:
    """Set the quarter's value (one per quarter: a second entry replaces the first, audited).

    Two first entries of one quarter at the same moment: the second is an EditConflict, not a 500.
    """
    require_measure_edit(actor, kpi.measure, "kpi.measure")
    _check_quarter(kpi.measure, quarter)
    _check_value("value", value)
    check_texts({"note": note}, TEXTS, KpiError)
    found = next((m for m in kpi.measurements if (m.year, m.quarter) == (quarter.year, quarter.number)), None)
    old = found.value if found else None
    if found is None:
        found = KpiMeasurement(year=quarter.year, quarter=quarter.number, value=value, note=note)
        kpi.measurements.append(found)
    else:
        found.value, found.note = value, note
    flush_or_conflict(db.session)
    audit.record(
        "kpi.measure",
        user=actor,
        obj=kpi,
        measure_id=kpi.measure_id,
        changes={quarter.key: {"old": None if old is None else str(old), "new": str(value)}},
    )
    return found


def delete_kpi(kpi: Kpi, actor) -> None:
    require_measure_edit(actor, kpi.measure, "kpi.delete")
    # The measurements go with the KPI (cascade); keep them in the audit entry.
    measurements = {f"{m.year}-Q{m.quarter}": str(m.value) for m in kpi.measurements}
    audit.record(
        "kpi.delete",
        user=actor,
        obj=kpi,
        measure_id=kpi.measure_id,
        changes={**audit.deleted(kpi), "measurements": {"old": measurements, "new": None}},
    )
    db.session.delete(kpi)


@dataclass(frozen=True)
class KpiStatus:
    kpi: Kpi
    latest: KpiMeasurement | None
    trend: str | None
    progress_pct: Decimal | None


def kpi_status(kpi: Kpi) -> KpiStatus:
    measurements = sorted(kpi.measurements, key=lambda m: (m.year, m.quarter))
    values = [m.value for m in measurements]
    latest = measurements[-1] if measurements else None
    return KpiStatus(
        kpi,
        latest,
        rules.trend(values, kpi.direction, kpi.baseline_value),
        rules.progress_pct(kpi.baseline_value, kpi.target_value, latest.value if latest else None),
    )


def kpi_data(measure: Measure) -> list[dict]:
    """Plain data for `measures show` and reports."""
    rows = []
    for kpi in kpis_for(measure):
        status = kpi_status(kpi)
        rows.append(
            {
                "name": kpi.name,
                "unit": kpi.unit,
                "direction": kpi.direction,
                "baseline": {"value": plain_decimal(kpi.baseline_value), "date": _iso(kpi.baseline_date)},
                "target": {"value": plain_decimal(kpi.target_value), "date": _iso(kpi.target_date)},
                "measurements": [{"quarter": m.period.key, "value": plain_decimal(m.value)} for m in kpi.measurements],
                "trend": status.trend,
                "progress_pct": plain_decimal(status.progress_pct),
            }
        )
    return rows


def _iso(day) -> str | None:
    return day.isoformat() if day else None
