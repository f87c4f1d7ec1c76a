"""Importing a portfolio document (the JSON format of data/omstilling-2025.json).

The tracker's Excel export is parsed into the same document shape and imported by the same code.
Everything is validated before anything is written; the caller commits once, so a bad file stores
nothing. Measures are matched by code: importing the same file twice changes nothing.
"""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tracker.accounting.portfolio_files import filters_from_document, import_filters
from tracker.accounts import permissions
from tracker.accounts.models import User
from tracker.accounts.permissions import SystemActor, require_actor
from tracker.audit import services as audit
from tracker.extensions import db
from tracker.measures.excel_import import read_portfolio_workbook
from tracker.measures.fileformat import TEXT_FIELDS, PortfolioImportError
from tracker.milestones.services import import_milestones
from tracker.money import NumberFormatError, mnok_to_nok, parse_decimal
from tracker.periods import parse_date
from tracker.portfolio.figures import saving_from_net_change
from tracker.portfolio.models import Measure, Programme, ProgrammeTarget, WorkGroup
from tracker.portfolio.services import set_planned_saving

CODE_RE = re.compile(r"^\d{1,3}\.\d{1,3}$")
BOOL_FIELDS = {"recommended_by_report": "is_recommended_by_report", "significant_org_risk": "has_significant_org_risk"}


@dataclass
class ImportResult:
    programme: str = ""
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        """Human-readable lines for the CLI and the upload page."""
        lines = [f"Program: {self.programme}"]
        lines.append(f"Opprettet: {len(self.created)}" + (f" ({', '.join(self.created)})" if self.created else ""))
        lines.append(f"Oppdatert: {len(self.updated)}" + (f" ({', '.join(self.updated)})" if self.updated else ""))
        lines.append(f"Uendret: {len(self.unchanged)}")
        return lines


def sort_key_for(code: str) -> str:
    """ "4.10" → "0004.0010" so codes sort numerically as text."""
    return ".".join(part.zfill(4) for part in code.split("."))


def load_document(path: str | Path) -> dict[str, Any]:
    """Read a JSON portfolio file into a document; syntax errors become import errors."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except json.JSONDecodeError as exc:
        raise PortfolioImportError([f"Filen er ikke gyldig JSON (linje {exc.lineno}): {exc.msg}"]) from exc
    except UnicodeDecodeError as exc:
        raise PortfolioImportError(["Filen er ikke UTF-8-tekst."]) from exc


# --- validation ------------------------------------------------------------------------------


def _mnok(value: Any, where: str, errors: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        errors.append(f"{where}: «{value}» er ikke et tall.")
        return None
    try:
        number = parse_decimal(value) if isinstance(value, str) else Decimal(str(value))
    except (NumberFormatError, ArithmeticError):
        errors.append(f"{where}: «{value}» er ikke et tall.")
        return None
    return None if number is None else mnok_to_nok(number)


def _validate_programme(doc: dict, errors: list[str]) -> dict:
    programme = doc.get("programme")
    if not isinstance(programme, dict) or not str(programme.get("name") or "").strip():
        errors.append("Programmet mangler: feltet programme.name er påkrevd.")
        return {}
    period = programme.get("plan_period") or []
    if not (isinstance(period, list) and len(period) == 2 and all(isinstance(y, int) for y in period)):
        errors.append("programme.plan_period må være to årstall, for eksempel [2026, 2029].")
        period = [0, 0]
    targets = {}
    for year, value in (programme.get("target_mnok") or {}).items():
        amount = _mnok(value, f"programme.target_mnok.{year}", errors)
        if amount is not None:
            targets[int(year)] = saving_from_net_change(amount)
    return {
        "name": str(programme["name"]).strip(),
        "municipality": str(programme.get("municipality") or ""),
        "source": str(programme.get("source") or ""),
        "baseline": str(programme.get("baseline") or ""),
        "target_note": str(programme.get("target_note") or ""),
        "start_year": period[0],
        "end_year": period[1],
        "targets_nok": targets,
    }


def _validate_groups(doc: dict, errors: list[str]) -> dict[int, dict]:
    groups = {}
    for index, group in enumerate(doc.get("groups") or []):
        where = f"Arbeidsgruppe nr. {index + 1}"
        number = group.get("number") if isinstance(group, dict) else None
        if not isinstance(number, int) or not str(group.get("name") or "").strip():
            errors.append(f"{where}: feltene number (heltall) og name er påkrevd.")
            continue
        requirement = _mnok(
            group.get("savings_requirement_mnok"), f"Arbeidsgruppe {number}, felt savings_requirement_mnok", errors
        )
        mandate = _mnok(group.get("menu_mandate_mnok"), f"Arbeidsgruppe {number}, felt menu_mandate_mnok", errors)
        groups[number] = {
            "name": str(group["name"]).strip(),
            "savings_requirement_nok": None if requirement is None else saving_from_net_change(requirement),
            "menu_mandate_nok": None if mandate is None else saving_from_net_change(mandate),
        }
    if not groups:
        errors.append("Filen har ingen arbeidsgrupper (groups).")
    return groups


MILESTONE_DATES = ("due_date", "baseline_due_date", "done_date")


def _validate_milestones(raw: Any, where: str, errors: list[str]) -> list[dict]:
    """The measure's milestones with dates as ISO text; bad dates are reported, not raised."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.append(f"{where}, felt milestones: må være en liste.")
        return []
    cleaned = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not str(item.get("what") or "").strip():
            errors.append(f"{where}, felt milestones[{number}].what: milepælen mangler tekst.")
            continue
        dates, start = {}, len(errors)
        for key in MILESTONE_DATES:
            try:
                dates[key] = parse_date(str(item[key])).isoformat() if item.get(key) not in (None, "") else None
            except ValueError as exc:
                errors.append(f"{where}, felt milestones[{number}].{key}: {exc}")
        if len(errors) == start:
            cleaned.append({**item, **dates})
    return cleaned


def _validate_measure(raw: Any, index: int, groups: dict, effect_types: set, errors: list[str]) -> dict | None:
    if not isinstance(raw, dict):
        errors.append(f"Tiltak nr. {index + 1} i filen: er ikke et objekt.")
        return None
    code = str(raw.get("code") or "").strip()
    if not code:
        errors.append(f"Tiltak nr. {index + 1} i filen, felt code: tiltakskode mangler.")
        return None
    where = f"Tiltak {code}"
    start = len(errors)
    if not CODE_RE.match(code):
        errors.append(f"{where}, felt code: «{code}» er ikke en tiltakskode som 4.10.")
    group = raw.get("group")
    if isinstance(group, str) and group.strip().isdigit():
        group = int(group)
    if group not in groups:
        errors.append(f"{where}, felt group: ukjent arbeidsgruppe «{raw.get('group')}».")
    title = str(raw.get("title") or "").strip()
    if not title:
        errors.append(f"{where}, felt title: tittel mangler.")
    effect_type = raw.get("effect_type") or None
    if effect_type is not None and effect_types and effect_type not in effect_types:
        errors.append(f"{where}, felt effect_type: ukjent effekttype «{effect_type}».")
    plan = {}
    changes = raw.get("net_cost_change_mnok")
    if not isinstance(changes, dict):
        errors.append(f"{where}, felt net_cost_change_mnok: mangler eller er ikke en tabell per år.")
        changes = {}
    for year, value in changes.items():
        if not str(year).isdigit():
            errors.append(f"{where}, felt net_cost_change_mnok: «{year}» er ikke et årstall.")
            continue
        amount = _mnok(value, f"{where}, felt net_cost_change_mnok.{year}", errors)
        if amount is not None:
            plan[int(year)] = amount
    milestones = _validate_milestones(raw.get("milestones"), where, errors)
    accounting_filters = filters_from_document(raw.get("accounting_filters"), where, errors)
    units = raw.get("affected_units")
    if units is not None and not (isinstance(units, list) and all(isinstance(unit, str) for unit in units)):
        errors.append(f"{where}, felt affected_units: må være en liste med enhetsnavn.")
    if len(errors) > start:
        return None
    values = {name: (None if raw.get(name) in (None, "") else str(raw.get(name))) for name in TEXT_FIELDS}
    values["service"] = values["service"] or ""
    values.update({attr: bool(raw.get(key)) for key, attr in BOOL_FIELDS.items()})
    kpis = raw.get("kpis")
    return {
        "code": code,
        "group": group,
        "title": title,
        "effect_type": effect_type,
        "kpi_suggestions": [str(k) for k in kpis] if isinstance(kpis, list) else None,
        # None (no such key): the file says nothing about units, and those entered in the tracker stay.
        "affected_units": None if units is None else [" ".join(unit.split()) for unit in units if unit.strip()],
        "report_table_27_mnok": raw.get("report_table_27_mnok")
        if isinstance(raw.get("report_table_27_mnok"), dict)
        else None,
        "values": values,
        "plan_nok": plan,
        "milestones": milestones,
        "accounting_filters": accounting_filters,
    }


def validate_document(doc: Any) -> tuple[dict, dict, list[dict]]:
    """Check a whole document; raise PortfolioImportError listing every problem, else return it cleaned."""
    if not isinstance(doc, dict):
        raise PortfolioImportError(["Filen er ikke en porteføljefil: forventet et JSON-objekt."])
    errors: list[str] = []
    programme = _validate_programme(doc, errors)
    groups = _validate_groups(doc, errors)
    effect_types = set(doc.get("effect_types") or [])
    raw_measures = doc.get("measures")
    if not isinstance(raw_measures, list) or not raw_measures:
        errors.append("Filen har ingen tiltak (measures).")
        raw_measures = []
    measures, seen = [], set()
    for index, raw in enumerate(raw_measures):
        measure = _validate_measure(raw, index, groups, effect_types, errors)
        if measure is None:
            continue
        if measure["code"] in seen:
            errors.append(f"Tiltak {measure['code']}, felt code: koden står to ganger i filen.")
        seen.add(measure["code"])
        measures.append(measure)
    if errors:
        raise PortfolioImportError(errors)
    return programme, groups, measures


# --- applying ---------------------------------------------------------------------------------


def _set_fields(obj, values: dict[str, Any]) -> dict[str, dict]:
    before = {name: getattr(obj, name) for name in values}
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
    return audit.diff(before, values)


def _apply_programme(data: dict) -> Programme:
    programme = db.session.scalar(select(Programme).where(Programme.name == data["name"]))
    if programme is None:
        programme = Programme(name=data["name"], start_year=data["start_year"], end_year=data["end_year"])
        db.session.add(programme)
    fields = {key: data[key] for key in ("municipality", "source", "baseline", "target_note", "start_year", "end_year")}
    _set_fields(programme, fields)
    existing = {target.year: target for target in programme.targets}
    for year, amount in data["targets_nok"].items():
        if year in existing:
            _set_fields(existing[year], {"savings_target_nok": amount})
        else:
            programme.targets.append(ProgrammeTarget(year=year, savings_target_nok=amount))
    return programme


def _apply_groups(programme: Programme, groups: dict[int, dict]) -> dict[int, WorkGroup]:
    existing = {group.number: group for group in programme.groups}
    for number, data in groups.items():
        if number not in existing:
            existing[number] = WorkGroup(number=number, name=data["name"])
            programme.groups.append(existing[number])
        _set_fields(existing[number], data)
    return existing


def _apply_plan(measure: Measure, plan_nok: dict[int, int], actor: User | SystemActor) -> dict[str, dict]:
    """Set the plan from the file's net cost changes (the report's sign); the file is the record, no reason."""
    changes = {}
    for year, net_cost_change_nok in sorted(plan_nok.items()):
        change = set_planned_saving(measure, year, saving_from_net_change(net_cost_change_nok), "", actor)
        if change is not None:
            changes[f"plan.{year}"] = change.net_change_diff()
    return changes


def _apply_measure(
    programme: Programme, group: WorkGroup, data: dict, actor: User | SystemActor, result: ImportResult
) -> Measure:
    measure = db.session.scalar(
        select(Measure).where(Measure.programme_id == programme.id, Measure.code == data["code"])
    )
    is_new = measure is None
    if is_new:
        measure = Measure(programme=programme, code=data["code"], group=group, title=data["title"], sort_key="")
        db.session.add(measure)
    fields = dict(data["values"])
    fields.update(
        title=data["title"],
        effect_type=data["effect_type"],
        kpi_suggestions=data["kpi_suggestions"],
        report_table_27_mnok=data["report_table_27_mnok"],
        sort_key=sort_key_for(data["code"]),
    )
    if data["affected_units"] is not None:
        fields["affected_units"] = data["affected_units"] or None
    changes = _set_fields(measure, fields)
    if measure.group is not group:
        changes["group"] = {"old": measure.group.number if measure.group else None, "new": group.number}
        measure.group = group
    changes.update(_apply_plan(measure, data["plan_nok"], actor))
    db.session.flush()
    import_milestones(measure, data["milestones"], actor)
    if data["accounting_filters"] is not None:
        changes.update(import_filters(measure, data["accounting_filters"], actor))
    if is_new:
        result.created.append(measure.code)
        audit.record("measure.import_create", user=actor, obj=measure)
    elif changes:
        result.updated.append(measure.code)
        audit.record("measure.import_update", user=actor, obj=measure, changes=changes)
    else:
        result.unchanged.append(measure.code)
    return measure


def import_document(doc: Any, actor: User | SystemActor) -> ImportResult:
    """Validate and apply a portfolio document; the caller commits (or rolls back on error)."""
    require_actor(actor)
    programme_data, groups_data, measures_data = validate_document(doc)
    programme = _apply_programme(programme_data)
    groups = _apply_groups(programme, groups_data)
    db.session.flush()
    result = ImportResult(programme=programme.name)
    for data in measures_data:
        _apply_measure(programme, groups[data["group"]], data, actor, result)
    return result


def import_file(path: str | Path, actor: User | SystemActor) -> ImportResult:
    """Import a .json portfolio file or the tracker's own .xlsx export."""
    require_actor(actor)
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return import_document(load_document(path), actor)
    if suffix == ".xlsx":
        return import_document(read_portfolio_workbook(path), actor)
    raise PortfolioImportError([f"Ukjent filtype «{suffix}»: bruk .json eller .xlsx."])


def import_upload(path: str, actor: User | SystemActor) -> ImportResult:
    """Import an uploaded .json or .xlsx portfolio file (admin only); the caller commits."""
    require_actor(actor)
    permissions.require_admin(actor, "portfolio.import")
    return import_file(path, actor)
