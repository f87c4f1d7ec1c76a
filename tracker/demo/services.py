"""Example data: an adopted example scenario, owners and two quarters of figures, and the follow-up of
tracker.demo.followup, always marked "Eksempeldata".

Nothing here is Elverum's real follow-up. The programme is flagged `has_example_data`, so every
page and export says so; the real import never calls this module.
"""

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select

from tracker.accounting.example import load_example_ledger
from tracker.accounts.models import ROLE_LEDERGRUPPE, ROLE_OWNER
from tracker.accounts.passwords import generate_password
from tracker.accounts.permissions import require_admin
from tracker.accounts.services import create_user, get_by_username
from tracker.audit import services as audit
from tracker.benefits import queries, rules, services
from tracker.benefits.models import QuarterlyFigure
from tracker.benefits.programme import thresholds
from tracker.database import utcnow
from tracker.demo.followup import FollowUpCounts, load_followup
from tracker.errors import ReadOnlyError, ServiceError
from tracker.extensions import db
from tracker.measures.importing import import_file
from tracker.periods import Quarter, current_quarter
from tracker.portfolio.models import Measure, Programme, StatusChange
from tracker.portfolio.queries import current_programme, load_measures
from tracker.portfolio.status import IKKE_VEDTATT, UNDER_GJENNOMFORING
from tracker.scenarios import services as scenarios
from tracker.scenarios import variants
from tracker.updates.models import StatusUpdate

EXAMPLE = "Eksempeldata"
# Example decisions only: which measures the politicians really adopted is for users to enter.
EXAMPLE_REJECTED = ("4.2", "5.8")
# Share of the plan each example forecast reaches, by position in the portfolio (cycled).
FORECAST_FACTORS = (1.0, 1.0, 0.95, 1.05, 0.6, 1.0, 0.9, 1.0, 0.8, 1.1)
# Delivery confidence of the example status updates, by forecast factor (see tracker/confidence.py).
CONFIDENCE_BY_FACTOR = {
    1.1: "grønn",
    1.05: "grønn",
    1.0: "grønn/gul",
    0.95: "gul",
    0.9: "gul",
    0.8: "gul/rød",
    0.6: "rød",
}
# Every SKIP_EVERY-th measure has not reported for the latest quarter (so "mangler" is shown).
SKIP_EVERY = 7
# Example owners get an address at a domain reserved for examples (RFC 2606); the last group's owner
# gets none, so the round page shows whom reminders cannot reach.
EXAMPLE_MAIL_DOMAIN = "example.com"
LEADER_USERNAME = "eksempel-ledergruppe"
ADOPTED_SCENARIO = "Eksempel: vedtatt budsjett"
SMALLER_SCENARIO = "Eksempel: 40-millionersalternativet"
# The report's own figures for the two school-structure alternatives of 1.2 (its text, section 4.3.2).
SCHOOL_VARIANTS = {
    "alt1": (
        "Alt. 1: legge ned Sørskogbygda skole",
        {2026: 2_500_000, 2027: 6_000_000, 2028: 6_000_000, 2029: 6_000_000},
    ),
    "alt2": ("Alt. 2: legge ned Frydenlund skole", {2027: 1_100_000, 2028: 2_550_000, 2029: 2_550_000}),
}


class DemoError(ServiceError):
    """Example data cannot be loaded here (Norwegian message)."""


@dataclass
class DemoResult:
    programme: str = ""
    adopted: int = 0
    rejected: int = 0
    figures: int = 0
    # username → new password (empty if it existed): the owners and the example ledergruppe member.
    owners: dict[str, str] = field(default_factory=dict)
    follow_up: FollowUpCounts = field(default_factory=FollowUpCounts)
    quarters: tuple[str, ...] = ()
    ledger_lines: int = 0  # example ledger lines (tracker.accounting.example)


def _round_thousand(amount: float) -> int:
    return int(round(amount / 1000.0)) * 1000


def _programme(actor) -> Programme:
    programme = current_programme(actor)
    if programme is None:
        import_file(current_app.config["DEFAULT_PORTFOLIO_PATH"], actor)
        programme = current_programme(actor)
    if programme.is_closed:
        raise DemoError(ReadOnlyError.closed(programme.name).message)
    if programme.has_example_data:
        raise DemoError("Eksempeldata er allerede lastet i denne databasen.")
    if db.session.scalar(select(func.count()).select_from(QuarterlyFigure)):
        raise DemoError("Databasen har innrapporterte tall; eksempeldata lastes bare i en database uten tall.")
    return programme


def _example_user(username: str, role: str, full_name: str, email: str | None, result: DemoResult, actor):
    """An example account with a one-time password (reported in the result), or the one made before."""
    user = get_by_username(username)
    if user is not None:
        result.owners[username] = ""
        return user
    password = generate_password()
    user = create_user(
        username, password, role, full_name=full_name, email=email, actor=actor, must_change_password=True
    )
    result.owners[username] = password
    return user


def _owners(programme: Programme, result: DemoResult, actor) -> dict[int, object]:
    owners = {}
    last = programme.groups[-1].number if programme.groups else None
    for group in programme.groups:
        username = f"eksempel-eier-{group.number}"
        email = None if group.number == last else f"{username}@{EXAMPLE_MAIL_DOMAIN}"
        full_name = f"Eksempel-eier, gruppe {group.number}"
        owners[group.number] = _example_user(username, ROLE_OWNER, full_name, email, result, actor)
    return owners


def _decide(measure: Measure, to_status: str, as_of: Quarter, leader) -> None:
    """An example decision recorded directly (rejecting, or moving an adopted measure on), as by the
    example ledergruppe member (never "Registrert av: –")."""
    measure.status_changes.append(
        StatusChange(
            from_status=measure.status,
            to_status=to_status,
            decided_date=as_of.previous().start_date,
            decision_reference=EXAMPLE,
            comment=f"{EXAMPLE}: ikke et faktisk vedtak.",
            changed_by=leader,
        )
    )
    measure.status = to_status


def _example_scenarios(programme: Programme, measures: list[Measure], as_of: Quarter, actor, leader) -> None:
    """Adopt an example scenario (all but 4.2 and 5.8), and leave a smaller one with 1.2's alt. 1 on the menu.

    The example adoption is registered by the example ledergruppe member, as the other example
    decisions are (`demo load` runs as the command line, which registers no one).
    """
    school = next((m for m in measures if m.code == "1.2"), None)
    if school is not None:
        for key, (title, savings) in SCHOOL_VARIANTS.items():
            variants.set_variant(school, key, title, savings, {}, actor)
    codes = [m.code for m in measures if m.code not in EXAMPLE_REJECTED]
    adopted = scenarios.create_scenario(
        programme, ADOPTED_SCENARIO, codes, actor, f"{EXAMPLE}: et tenkt vedtak, ikke kommunestyrets.", True
    )
    scenarios.adopt_scenario(adopted, f"{EXAMPLE}: sak 1/26", as_of.previous().start_date, actor)
    for change in (change for measure in measures for change in measure.status_changes):
        change.changed_by = change.changed_by or leader
    scenarios.create_scenario(
        programme, SMALLER_SCENARIO, _smaller_selection(programme, measures), actor, EXAMPLE, True
    )


def _smaller_selection(programme: Programme, measures: list[Measure]) -> list[str]:
    """The largest savings of the target year until the target is met (1.2 with its alt. 1)."""
    year = max((t.year for t in programme.targets), default=programme.end_year)
    target = programme.target_for(year) or 0
    ranked = sorted(measures, key=lambda m: -queries.planned_saving(m, year))
    codes, total = [], 0
    for measure in ranked:
        if total >= target:
            break
        if measure.code in EXAMPLE_REJECTED:
            continue
        codes.append(f"{measure.code}:alt1" if measure.code == "1.2" and "alt1" in SCHOOL_VARIANTS else measure.code)
        total += (
            SCHOOL_VARIANTS["alt1"][1].get(year, 0) if measure.code == "1.2" else queries.planned_saving(measure, year)
        )
    return codes


def _figures_for(measure: Measure, index: int, quarter: Quarter) -> services.FigureInput:
    planned = queries.planned_saving(measure, quarter.year)
    factor = FORECAST_FACTORS[index % len(FORECAST_FACTORS)]
    forecast = _round_thousand(planned * factor)
    realised = _round_thousand(forecast * quarter.number / 4 * 0.9)
    deviation = rules.is_deviation(planned, forecast, thresholds())
    return services.FigureInput(
        realised_to_date_nok=realised,
        forecast_year_nok=forecast,
        explanation=f"{EXAMPLE}: oppstarten er forsinket." if deviation else "",
        corrective_action=f"{EXAMPLE}: ny framdriftsplan legges fram for ledergruppen." if deviation else "",
        comment=EXAMPLE,
    )


def _status_updates(measures: list[Measure], quarter: Quarter, owners: dict) -> None:
    """Submitted example status updates for the earlier quarter, so the risk-adjusted forecast varies."""
    counted = [m for m in measures if m.code not in EXAMPLE_REJECTED]
    for index, measure in enumerate(counted):
        level = CONFIDENCE_BY_FACTOR[FORECAST_FACTORS[index % len(FORECAST_FACTORS)]]
        db.session.add(
            StatusUpdate(
                measure_id=measure.id,
                year=quarter.year,
                quarter=quarter.number,
                confidence=level,
                confidence_justification=f"{EXAMPLE}: vurdering laget for demonstrasjon.",
                progress=f"{EXAMPLE}: ingen faktisk framdrift.",
                author_id=owners[measure.group.number].id,
                submitted_dt=utcnow(),
            )
        )


def load_demo(as_of: Quarter | None, actor) -> DemoResult:
    """Adopt most measures, give each group an owner, report two quarters of figures. Caller commits."""
    require_admin(actor, "demo.load")
    as_of = min(as_of or current_quarter(), current_quarter())
    programme = _programme(actor)
    result = DemoResult(programme=programme.name, quarters=(as_of.previous().key, as_of.key))
    owners = _owners(programme, result, actor)
    leader = _example_user(LEADER_USERNAME, ROLE_LEDERGRUPPE, "Eksempel-leder, ledergruppa", None, result, actor)
    measures = load_measures(programme)
    _example_scenarios(programme, measures, as_of, actor, leader)
    for index, measure in enumerate(measures):
        if measure.code in EXAMPLE_REJECTED:
            _decide(measure, IKKE_VEDTATT, as_of, leader)
            result.rejected += 1
            continue
        if index % 2:
            _decide(measure, UNDER_GJENNOMFORING, as_of, leader)
        measure.owner = owners[measure.group.number]
        result.adopted += 1
    db.session.flush()
    for index, measure in enumerate(m for m in measures if m.code not in EXAMPLE_REJECTED):
        for quarter in (as_of.previous(), as_of):
            if quarter == as_of and index % SKIP_EVERY == SKIP_EVERY - 1:
                continue
            figure = services.record_figures(measure, quarter, _figures_for(measure, index, quarter), actor)
            if quarter != as_of:
                services.approve_figure(figure, actor)
            result.figures += 1
        if index % 2 == 0:
            taken = _round_thousand(queries.planned_saving(measure, as_of.year) * 0.8)
            services.set_take_out(measure, as_of.year, taken, EXAMPLE, actor)
    _status_updates(measures, as_of.previous(), owners)
    counted = [m for m in measures if m.code not in EXAMPLE_REJECTED]
    result.follow_up = load_followup(programme, counted, leader, as_of, actor)
    result.ledger_lines = load_example_ledger(counted, as_of.year, as_of.number * 3, actor)
    programme.has_example_data = True
    audit.record("demo.load", user=actor, obj=programme, changes={"has_example_data": {"old": False, "new": True}})
    db.session.flush()
    return result
