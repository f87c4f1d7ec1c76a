"""Importing a portfolio document (the JSON format of data/omstilling-2025.json).

The tracker's Excel export is parsed into the same document shape and imported by the same code.
Everything is validated before anything is written; the caller commits once, so a bad file stores
nothing. Measures are matched by code: importing the same file twice changes nothing.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tracker.accounting.portfolio_files import import_filters
from tracker.accounts import permissions
from tracker.accounts.models import User
from tracker.accounts.permissions import SystemActor, require_actor
from tracker.audit import services as audit
from tracker.errors import ReadOnlyError
from tracker.extensions import db
from tracker.measures.document import validate_document
from tracker.measures.excel_import import read_portfolio_workbook
from tracker.measures.fileformat import PortfolioImportError
from tracker.milestones.services import import_milestones
from tracker.money import shown
from tracker.portfolio.figures import saving_from_net_change
from tracker.portfolio.models import GroupRequirement, Measure, Programme, ProgrammeTarget, WorkGroup
from tracker.portfolio.programmes import ProgrammeError, create_programme
from tracker.portfolio.services import set_menu, set_planned_saving

# A web upload is checked and stored within one request (a worker's time limit): larger portfolios
# are imported from the command line.
MAX_UPLOAD_MEASURES = 500


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
    """Read a JSON portfolio file into a document; every parse error becomes an import error."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except json.JSONDecodeError as exc:
        raise PortfolioImportError([f"Filen er ikke gyldig JSON (linje {exc.lineno}): {exc.msg}"]) from exc
    except UnicodeDecodeError as exc:
        raise PortfolioImportError(["Filen er ikke UTF-8-tekst."]) from exc
    except RecursionError as exc:
        raise PortfolioImportError(["Filen er ikke en porteføljefil: JSON-strukturen er nestet for dypt."]) from exc
    except ValueError as exc:  # e.g. a number with thousands of digits
        raise PortfolioImportError(["Filen er ikke gyldig JSON: den har et tall som ikke kan leses."]) from exc


# --- applying ---------------------------------------------------------------------------------


def _set_fields(obj, values: dict[str, Any]) -> dict[str, dict]:
    before = {name: getattr(obj, name) for name in values}
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
    return audit.diff(before, values)


def _apply_programme(data: dict, actor: User | SystemActor) -> Programme:
    programme = db.session.scalar(select(Programme).where(Programme.name == data["name"]))
    if programme is not None and programme.is_closed:
        raise PortfolioImportError([ReadOnlyError.closed(programme.name).message])
    if programme is None:
        try:
            programme = create_programme(actor, data["name"], data["start_year"], data["end_year"])
        except ProgrammeError as exc:
            raise PortfolioImportError([f"programme: {message}" for message in exc.errors.values()]) from exc
    fields = {key: data[key] for key in ("municipality", "source", "baseline", "target_note", "start_year", "end_year")}
    _set_fields(programme, fields)
    existing = {target.year: target for target in programme.targets}
    for year, amount in data["targets_nok"].items():
        if year in existing:
            _set_fields(existing[year], {"savings_target_nok": amount})
        else:
            programme.targets.append(ProgrammeTarget(year=year, savings_target_nok=amount))
    return programme


def _apply_groups(programme: Programme, groups: dict[int, dict], target_years) -> dict[int, WorkGroup]:
    """The file's groups; each group's requirement (sparekrav) applies in every year the file gives a target."""
    existing = {group.number: group for group in programme.groups}
    for number, data in groups.items():
        if number not in existing:
            existing[number] = WorkGroup(number=number, name=data["name"])
            programme.groups.append(existing[number])
        group = existing[number]
        _set_fields(group, data)
        requirement = data["savings_requirement_nok"]
        by_year = {item.year: item for item in group.requirements}
        for year in target_years if requirement is not None else ():
            if year in by_year:
                _set_fields(by_year[year], {"requirement_nok": requirement})
            else:
                group.requirements.append(GroupRequirement(year=year, requirement_nok=requirement))
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
        effect_type_basis=data["effect_type_basis"],
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
    changes.update(set_menu(measure, data["menu_nok"], actor))
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
    programme = _apply_programme(programme_data, actor)
    groups = _apply_groups(programme, groups_data, sorted(programme_data["targets_nok"]))
    db.session.flush()
    result = ImportResult(programme=programme.name)
    for data in measures_data:
        _apply_measure(programme, groups[data["group"]], data, actor, result)
    return result


def read_file(path: str | Path, max_measures: int | None = None) -> Any:
    """A .json portfolio file or the tracker's own .xlsx export as a document (not yet checked)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return load_document(path)
    if suffix == ".xlsx":
        return read_portfolio_workbook(path, max_measures)
    raise PortfolioImportError([f"Ukjent filtype «{shown(suffix)}»: bruk .json eller .xlsx."])


def import_file(path: str | Path, actor: User | SystemActor) -> ImportResult:
    """Import a .json portfolio file or the tracker's own .xlsx export (any size: the command line's way)."""
    require_actor(actor)
    return import_document(read_file(path), actor)


def import_upload(path: str, actor: User | SystemActor) -> ImportResult:
    """Import an uploaded .json or .xlsx portfolio file (admin only, at most MAX_UPLOAD_MEASURES); the caller commits."""
    require_actor(actor)
    permissions.require_admin(actor, "portfolio.import")
    doc = read_file(path, MAX_UPLOAD_MEASURES)
    measures = doc.get("measures") if isinstance(doc, dict) else None
    if isinstance(measures, list) and len(measures) > MAX_UPLOAD_MEASURES:
        raise PortfolioImportError(
            [
                f"Filen har flere enn {MAX_UPLOAD_MEASURES} tiltak: så store porteføljer importeres fra "
                "kommandolinjen (flask portfolio import)."
            ]
        )
    return import_document(doc, actor)
