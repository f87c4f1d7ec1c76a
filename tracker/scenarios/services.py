"""Scenario writes: create, change, delete and adopt a budget alternative. Admins (and SYSTEM) only.

Adopting records one political decision (case number, body, date) on every chosen measure not yet
adopted: its status moves to `vedtatt` (decision history and audit), its plan becomes the figures
the scenario showed for it (the menu's, or the chosen variant's), and the rest stay on the menu.
Services add and flush; the view or command commits once.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from tracker.accounts.models import User
from tracker.accounts.permissions import SystemActor, require_actor, require_admin
from tracker.audit import services as audit
from tracker.database import check_version, flush_or_conflict, utcnow
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.periods import MAX_YEAR, MIN_YEAR, format_date
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.read_only import require_open
from tracker.portfolio.services import change_status, planned_saving_of, set_planned_saving
from tracker.portfolio.status import STATUS_LABELS, VEDTATT, is_adopted, is_allowed_transition
from tracker.scenarios import queries, rules
from tracker.scenarios.models import Scenario, ScenarioChoice
from tracker.text import NAME, NOTE, check_texts

DEFAULT_BODY = "Kommunestyret"
SCENARIO_TEXTS = {"name": NAME, "description": NOTE}
DECISION_TEXTS = {"decision_reference": NAME, "body": NAME}


class ScenarioError(ServiceError):
    """A scenario change the rules refuse (Norwegian message, by field where there is one)."""


def refused(message: str, field_name: str) -> ScenarioError:
    return ScenarioError(message, {field_name: message})


def resolve_codes(programme: Programme, codes) -> list[tuple[Measure, str]]:
    """(measure, variant key or "") for "1.1,1.2:alt1" or a list of codes; ScenarioError on any bad code."""
    parsed, errors = rules.parse_codes(codes)
    measures = {m.code: m for m in db.session.scalars(select(Measure).where(Measure.programme_id == programme.id))}
    variants = queries.programme_variants(programme)
    known = {code: set(variants.get(measure.id, {})) for code, measure in measures.items()}
    errors += rules.check_choices(parsed, known)
    if errors:
        raise ScenarioError("Budsjettalternativet ble ikke lagret: " + " ".join(errors), {"measures": " ".join(errors)})
    return [(measures[code], variant or "") for code, variant in parsed]


def _check_name(programme: Programme, name: str, scenario: Scenario | None = None) -> str:
    if not isinstance(name, str):
        raise refused("Gi budsjettalternativet et navn.", "name")
    name = name.strip()
    if not name:
        raise refused("Gi budsjettalternativet et navn.", "name")
    found = queries.by_name(programme, name)
    if found is not None and found is not scenario:
        raise refused(f"Det finnes allerede et budsjettalternativ som heter «{name}».", "name")
    return name


def _set_choices(scenario: Scenario, chosen: list[tuple[Measure, str]]) -> None:
    scenario.choices.clear()
    flush_or_conflict(db.session)
    for measure, variant_key in chosen:
        scenario.choices.append(ScenarioChoice(measure=measure, variant_key=variant_key))


def _codes(scenario: Scenario) -> list[str]:
    return sorted((choice.code for choice in scenario.choices), key=rules.code_key)


def create_scenario(
    programme: Programme,
    name: str,
    codes,
    actor: User | SystemActor,
    description: str = "",
    is_example: bool = False,
) -> Scenario:
    """A named selection from the menu: codes like "1.1,2.3,1.2:alt1" (a bare code takes the whole measure)."""
    require_actor(actor)
    require_admin(actor, "scenario.create")
    require_open(programme)
    check_texts({"name": name, "description": description}, SCENARIO_TEXTS, ScenarioError)
    name = _check_name(programme, name)
    chosen = resolve_codes(programme, codes)
    scenario = Scenario(
        programme=programme,
        name=name,
        description=(description or "").strip(),
        is_example=is_example,
        created_by_id=actor.id,
    )
    db.session.add(scenario)
    _set_choices(scenario, chosen)
    flush_or_conflict(db.session)  # the same name saved at the same moment: a conflict, not a 500
    audit.record(
        "scenario.create", user=actor, obj=scenario, changes={"measures": {"old": None, "new": _codes(scenario)}}
    )
    return scenario


def _require_open(scenario: Scenario) -> None:
    """Refuse a change to an adopted scenario, or to any scenario of a closed programme."""
    require_open(scenario.programme)
    if scenario.is_adopted:
        raise ScenarioError(
            f"«{scenario.name}» er vedtatt ({scenario.decision_reference}) og kan ikke endres. Lag et nytt alternativ."
        )


def update_scenario(
    scenario: Scenario,
    name: str,
    codes,
    description: str,
    actor: User | SystemActor,
    seen_version: int | None = None,
) -> Scenario:
    """Change a scenario that is not adopted: its name, description and measures.

    `seen_version` is the scenario's version the form showed; a change made from another one is an
    EditConflict (as is one racing another change: every change bumps the version).
    """
    require_actor(actor)
    require_admin(actor, "scenario.update")
    check_version(scenario, seen_version)
    _require_open(scenario)
    check_texts({"name": name, "description": description}, SCENARIO_TEXTS, ScenarioError)
    before = {"name": scenario.name, "description": scenario.description, "measures": _codes(scenario)}
    name, chosen = _check_name(scenario.programme, name, scenario), resolve_codes(scenario.programme, codes)
    # Read everything first, then change the row once: one UPDATE, which checks and bumps the version.
    scenario.name, scenario.description, scenario.updated_dt = name, (description or "").strip(), utcnow()
    _set_choices(scenario, chosen)
    flush_or_conflict(db.session)
    after = {"name": scenario.name, "description": scenario.description, "measures": _codes(scenario)}
    changes = audit.diff(before, after)
    if changes:
        audit.record("scenario.update", user=actor, obj=scenario, changes=changes)
    return scenario


def delete_scenario(scenario: Scenario, actor: User | SystemActor, seen_version: int | None = None) -> None:
    """Delete a scenario that is not adopted (an adopted one is the record of a decision), as it was
    shown: one changed since the page was opened is an EditConflict."""
    require_actor(actor)
    require_admin(actor, "scenario.delete")
    _require_open(scenario)
    check_version(scenario, seen_version)
    audit.record(
        "scenario.delete", user=actor, obj=scenario, changes={"measures": {"old": _codes(scenario), "new": None}}
    )
    db.session.delete(scenario)


# --- adopting -----------------------------------------------------------------------------------


@dataclass
class AdoptionResult:
    scenario: str
    adopted: list[str] = field(default_factory=list)
    # Chosen measures already adopted by an earlier decision: left as they are.
    already_adopted: list[str] = field(default_factory=list)
    plan_changes: list[str] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        lines = [f"Budsjettalternativet «{self.scenario}» er vedtatt: {len(self.adopted)} tiltak flyttet til vedtatt."]
        if self.adopted:
            lines.append("Vedtatt: " + ", ".join(self.adopted))
        if self.already_adopted:
            lines.append("Allerede vedtatt fra før (uendret): " + ", ".join(self.already_adopted))
        if self.plan_changes:
            lines.append("Planen satt til alternativets tall for: " + ", ".join(self.plan_changes))
        return lines


def _check_adoptable(figures: queries.ScenarioFigures) -> None:
    measures = {choice.measure.code: choice.measure for choice in figures.scenario.choices}
    blocked = [
        f"{code} ({STATUS_LABELS.get(m.status, m.status)})"
        for code, m in sorted(measures.items())
        if not is_adopted(m.status) and not is_allowed_transition(m.status, VEDTATT)
    ]
    if blocked:
        raise ScenarioError("Disse tiltakene kan ikke vedtas: " + ", ".join(blocked) + ". Ta dem ut av alternativet.")


def _set_plan(measure: Measure, choice: rules.Choice, reason: str, actor) -> dict:
    """The measure's plan becomes the figures the scenario showed for it; returns the audit diff."""
    years = set(choice.savings_nok) | ({e.year for e in measure.planned_effects} if choice.variant else set())
    changes = {}
    for year in sorted(years):
        saving = choice.savings_nok.get(year)
        if planned_saving_of(measure, year) == saving:
            continue
        change = set_planned_saving(measure, year, saving, reason, actor)
        if change is not None:
            changes[f"plan.{year}"] = change.net_change_diff()
    return changes


def adopt_scenario(
    scenario: Scenario,
    decision_reference: str,
    decided_date: date | None,
    actor: User | SystemActor,
    body: str = DEFAULT_BODY,
    seen_version: int | None = None,
) -> AdoptionResult:
    """Record the political decision adopting the scenario on every chosen measure (see the module).

    `seen_version` is the scenario's version the page showed: a selection changed since is not adopted
    unseen (EditConflict).
    """
    require_actor(actor)
    require_admin(actor, "scenario.adopt")
    check_version(scenario, seen_version)
    _require_open(scenario)
    check_texts({"decision_reference": decision_reference, "body": body}, DECISION_TEXTS, ScenarioError)
    if decided_date is not None and not MIN_YEAR <= decided_date.year <= MAX_YEAR:
        raise refused(f"Vedtaksdatoen må ligge mellom {MIN_YEAR} og {MAX_YEAR}.", "decided_date")
    decision_reference, body = (decision_reference or "").strip(), (body or "").strip() or DEFAULT_BODY
    if not decision_reference:
        raise refused("Skriv saksnummeret for vedtaket, for eksempel «KS-sak 100/25».", "decision_reference")
    if decided_date is None:
        raise refused("Skriv datoen for vedtaket.", "decided_date")
    figures = queries.scenario_figures(scenario)
    _check_adoptable(figures)
    result = AdoptionResult(scenario.name)
    reason = (
        f"Vedtatt i {decision_reference} ({body}, {format_date(decided_date)}): budsjettalternativ «{scenario.name}»"
    )
    by_code = {choice.code: choice for choice in figures.choices}
    for item in sorted(scenario.choices, key=lambda item: rules.code_key(item.code)):
        measure = item.measure
        if is_adopted(measure.status):
            result.already_adopted.append(item.code)
            continue
        change_status(
            measure, actor, measure.version, VEDTATT, decided_date, decision_reference, reason, decision_body=body
        )
        plan = _set_plan(measure, by_code[item.code], reason, actor)
        measure.adopted_variant = item.variant_key or None
        if plan:
            audit.record(
                "measure.update", user=actor, obj=measure, changes={**plan, "reason": {"old": None, "new": reason}}
            )
            result.plan_changes.append(item.code)
        result.adopted.append(item.code)
    scenario.adopted_dt, scenario.adopted_by_id = utcnow(), actor.id
    scenario.decision_reference, scenario.decision_body, scenario.decided_date = decision_reference, body, decided_date
    flush_or_conflict(db.session)
    audit.record(
        "scenario.adopt",
        user=actor,
        obj=scenario,
        changes={
            "decision_reference": {"old": None, "new": decision_reference},
            "decision_body": {"old": None, "new": body},
            "decided_date": {"old": None, "new": decided_date.isoformat()},
            "adopted": {"old": None, "new": result.adopted},
        },
    )
    return result
