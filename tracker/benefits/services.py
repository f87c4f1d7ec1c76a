"""The savings ledger's writes: reporting quarterly figures, approving, take-outs, plan changes, closing quarters.

Services add and flush; the view or command commits once. Every write takes an explicit actor: the
logged-in User, or SYSTEM for the command line and the demo data; None is refused.
"""

from dataclasses import asdict, dataclass, field

from flask import current_app

from tracker.accounts.models import User
from tracker.accounts.permissions import SystemActor, can_administer, require_actor, require_admin, require_measure_edit
from tracker.audit import services as audit
from tracker.benefits import rules
from tracker.benefits.models import BudgetTakeOut, ClosedQuarter, FigureRevision, LaterForecast, QuarterlyFigure
from tracker.benefits.programme import thresholds
from tracker.benefits.queries import get_figure, get_take_out, is_closed, planned_saving
from tracker.database import check_version, flush_or_conflict, lock_and_check_version, utcnow
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.money import MAX_ABS_NOK, NumberFormatError, within
from tracker.periods import Quarter, current_quarter, quarter_outside_programme
from tracker.portfolio.models import Measure
from tracker.portfolio.services import PlanChange, set_planned_saving
from tracker.portfolio.status import STATUS_LABELS, is_adopted
from tracker.text import NOTE, check_texts, text_problems

FIGURE_TEXTS = dict.fromkeys(("explanation", "corrective_action", "comment", "correction_reason"), NOTE)
FIGURE_AMOUNTS = {"realised_to_date_nok": "realised", "forecast_year_nok": "forecast", "one_off_nok": "one_off"}


class BenefitsError(ServiceError):
    """A change the rules refuse; `errors_by_field` maps form fields to Norwegian messages."""


# --- periods ------------------------------------------------------------------------------------


def close_quarter(quarter: Quarter, actor: User | SystemActor) -> ClosedQuarter:
    """Close a quarter: its figures then change only by a correction with a reason."""
    require_actor(actor)
    require_admin(actor, "periods.close")
    if quarter > current_quarter():
        raise BenefitsError(f"{quarter.label} har ikke begynt og kan ikke lukkes.")
    if is_closed(quarter):
        raise BenefitsError(f"{quarter.label} er allerede lukket.")
    closed = ClosedQuarter(year=quarter.year, quarter=quarter.number, closed_by_id=actor.id)
    db.session.add(closed)
    flush_or_conflict(db.session)  # closed at the same moment by someone else: a conflict, not a 500
    audit.record(
        "periods.close", user=actor, obj=closed, label=quarter.key, changes={"closed": {"old": False, "new": True}}
    )
    return closed


# --- quarterly figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureInput:
    realised_to_date_nok: int
    forecast_year_nok: int
    explanation: str = ""
    corrective_action: str = ""
    comment: str = ""
    correction_reason: str = ""
    # Of the realised amount, the one-off part (engangseffekt).
    one_off_nok: int = 0
    # {later year of the plan period: forecast}; a year left out keeps its earlier forecast.
    later_forecasts_nok: dict[int, int] = field(default_factory=dict)
    # The figure's version the form showed (0: none reported yet); None where the input carries none (imports).
    seen_version: int | None = None


def amount_problem(amount_nok: int | None) -> str | None:
    """Why an amount in kroner is out of range (beyond ±10^12 kr), or None."""
    try:
        within(amount_nok or 0, MAX_ABS_NOK, amount_nok, " kr")
    except NumberFormatError as exc:
        return str(exc)
    return None


def _input_problems(measure: Measure, quarter: Quarter, data: FigureInput) -> dict[str, str]:
    """Texts, amounts and a quarter the tracker cannot take at all (before the rules about deviations)."""
    errors = text_problems(asdict(data), FIGURE_TEXTS)
    for name, form_field in FIGURE_AMOUNTS.items():
        problem = amount_problem(getattr(data, name))
        if problem:
            errors[form_field] = problem
    for year, amount in sorted(data.later_forecasts_nok.items()):
        problem = amount_problem(amount)
        if problem:
            errors[f"forecast_{year}"] = problem
    outside = quarter_outside_programme(quarter, measure.programme.start_year, measure.programme.end_year)
    if outside:
        errors["quarter"] = outside
    return errors


def check_figures(measure: Measure, quarter: Quarter, data: FigureInput, actor: User | SystemActor) -> dict[str, str]:
    """Every problem with a report, {field: message}; the import and the form share this."""
    problems = _input_problems(measure, quarter, data)
    if problems:
        return problems
    later_years = [year for year in measure.programme.plan_years if year > quarter.year]
    errors = rules.check_update(
        planned_saving(measure, quarter.year),
        data.realised_to_date_nok,
        data.forecast_year_nok,
        data.explanation,
        data.corrective_action,
        thresholds(),
        later={year: (planned_saving(measure, year), amount) for year, amount in data.later_forecasts_nok.items()},
        one_off_nok=data.one_off_nok,
    )
    wrong = sorted(year for year in data.later_forecasts_nok if year not in later_years)
    if wrong:
        allowed = ", ".join(map(str, later_years)) or "ingen"
        errors["later_forecasts"] = (
            f"Prognose for {', '.join(map(str, wrong))} kan ikke gis her: senere år i planperioden er {allowed}."
        )
    if quarter > current_quarter():
        errors["quarter"] = f"{quarter.label} har ikke begynt ennå."
    if not is_adopted(measure.status):
        label = STATUS_LABELS.get(measure.status, measure.status)
        errors["quarter"] = f"Tiltaket har status «{label}»: bare vedtatte tiltak rapporterer tall."
    if is_closed(quarter):
        if not can_administer(actor):
            errors["quarter"] = f"{quarter.label} er lukket. Be økonomi/controller om en korreksjon."
        elif not data.correction_reason.strip():
            errors["correction_reason"] = (
                f"{quarter.label} er lukket: en endring er en korreksjon og krever begrunnelse."
            )
    return errors


# What an owner reports for a quarter: audited old and new on every change.
REPORTED_FIELDS = (
    "realised_to_date_nok",
    "forecast_year_nok",
    "one_off_nok",
    "explanation",
    "corrective_action",
    "comment",
)


def _values(figure: QuarterlyFigure) -> dict:
    values = {name: getattr(figure, name) for name in REPORTED_FIELDS}
    values.update({f"forecast_{year}_nok": amount for year, amount in figure.later_forecasts_by_year().items()})
    return values


def record_figures(measure: Measure, quarter: Quarter, data: FigureInput, actor: User | SystemActor) -> QuarterlyFigure:
    """Store an owner's figures for a quarter; a change keeps the old values and withdraws approval.

    A report made from another version of the figure than the stored one, or a first report racing
    another first report of the quarter, is an EditConflict: nothing is stored.
    """
    require_actor(actor)
    require_measure_edit(actor, measure, "benefits.report")
    figure = get_figure(measure, quarter)
    check_version(figure, data.seen_version)
    errors = check_figures(measure, quarter, data, actor)
    if errors:
        raise BenefitsError("Tallene ble ikke lagret.", errors)
    before = _values(figure) if figure else {}
    if figure is None:
        figure = QuarterlyFigure(measure_id=measure.id, year=quarter.year, quarter=quarter.number)
        db.session.add(figure)
    elif before == _values_of(data):
        return figure
    else:
        figure.revisions.append(_revision(figure, is_closed(quarter), data.correction_reason, actor))
    for key, value in _new_values(data).items():
        setattr(figure, key, value)
    _set_later_forecasts(figure, data.later_forecasts_nok)
    figure.reported_by_id = actor.id
    figure.reported_dt = utcnow()
    figure.is_approved, figure.approved_by_id, figure.approved_dt = False, None, None
    flush_or_conflict(db.session)
    action = "benefits.correct" if is_closed(quarter) else "benefits.report"
    changes = audit.diff(before, _values(figure))
    if data.correction_reason:
        changes["reason"] = {"old": None, "new": data.correction_reason}
    audit.record(action, user=actor, obj=figure, label=f"{measure.code} {quarter.key}", changes=changes)
    return figure


def _new_values(data: FigureInput) -> dict:
    return {
        "realised_to_date_nok": data.realised_to_date_nok,
        "forecast_year_nok": data.forecast_year_nok,
        "one_off_nok": data.one_off_nok,
        "explanation": data.explanation.strip(),
        "corrective_action": data.corrective_action.strip(),
        "comment": data.comment.strip(),
    }


def _values_of(data: FigureInput) -> dict:
    """What `_values` would give for a figure holding `data`."""
    later = {f"forecast_{year}_nok": amount for year, amount in sorted(data.later_forecasts_nok.items())}
    return {**_new_values(data), **later}


def _set_later_forecasts(figure: QuarterlyFigure, forecasts_nok: dict[int, int]) -> None:
    """The report's later-year forecasts become exactly `forecasts_nok`."""
    existing = {item.year: item for item in figure.later_forecasts}
    for year, item in existing.items():
        if year not in forecasts_nok:
            figure.later_forecasts.remove(item)
    for year, amount in sorted(forecasts_nok.items()):
        if year in existing:
            existing[year].forecast_nok = amount
        else:
            figure.later_forecasts.append(LaterForecast(year=year, forecast_nok=amount))


def _revision(figure: QuarterlyFigure, is_correction: bool, reason: str, actor: User | SystemActor) -> FigureRevision:
    return FigureRevision(
        old_realised_to_date_nok=figure.realised_to_date_nok,
        old_forecast_year_nok=figure.forecast_year_nok,
        old_one_off_nok=figure.one_off_nok,
        old_later_forecasts={str(year): amount for year, amount in figure.later_forecasts_by_year().items()},
        old_explanation=figure.explanation,
        old_corrective_action=figure.corrective_action,
        was_approved=figure.is_approved,
        is_correction=is_correction,
        reason=reason.strip(),
        changed_by_id=actor.id,
    )


def _check_other_approver(entered_by_id: int | None, actor: User | SystemActor, message: str) -> None:
    """Four eyes: nobody approves what they entered (FOUR_EYES_APPROVAL, on by default); SYSTEM may."""
    if current_app.config["FOUR_EYES_APPROVAL"] and actor.id is not None and entered_by_id == actor.id:
        raise BenefitsError(message, {"approval": message})


def approve_figure(figure: QuarterlyFigure, actor: User | SystemActor, seen_version: int | None = None) -> None:
    """A controller approves the realised figure of a report: the version they saw (`seen_version`),
    so figures changed after they looked are not approved unseen (EditConflict)."""
    require_actor(actor)
    require_admin(actor, "benefits.approve")
    check_version(figure, seen_version)
    own = "Du kan ikke godkjenne tall du selv har registrert. En annen administrator må godkjenne dem."
    _approve(
        figure, figure.reported_by_id, actor, own, "benefits.approve", f"{figure.measure.code} {figure.period.key}"
    )


def _approve(record, entered_by_id: int | None, actor: User | SystemActor, own: str, action: str, label: str) -> None:
    """Mark a figure or take-out approved by `actor` (never by who entered it: `own` says so), audited."""
    if record.is_approved:
        return
    _check_other_approver(entered_by_id, actor, own)
    record.is_approved, record.approved_by_id, record.approved_dt = True, actor.id, utcnow()
    flush_or_conflict(db.session)
    audit.record(action, user=actor, obj=record, label=label, changes={"is_approved": {"old": False, "new": True}})


# --- take-outs and plan changes -------------------------------------------------------------------


def set_take_out(
    measure: Measure,
    year: int,
    amount_nok: int,
    comment: str,
    actor: User | SystemActor,
    seen_version: int | None = None,
) -> BudgetTakeOut:
    """Record the budget take-out (uttak) for a measure and year; a controller enters it.

    `seen_version` is the version of the year's take-out the form showed (0: none yet); a save made
    from another one, or a first save racing another, is an EditConflict.
    """
    require_actor(actor)
    require_admin(actor, "benefits.take_out")
    check_texts({"comment": comment}, FIGURE_TEXTS, BenefitsError)
    problem = amount_problem(amount_nok)
    if problem:
        raise BenefitsError(problem, {"amount": problem})
    take_out = get_take_out(measure, year)
    check_version(take_out, seen_version)
    old = take_out.amount_nok if take_out else None
    if take_out is None:
        take_out = BudgetTakeOut(measure_id=measure.id, year=year, amount_nok=amount_nok)
        db.session.add(take_out)
    if (take_out.amount_nok, take_out.comment) != (amount_nok, (comment or "").strip()):
        take_out.is_approved, take_out.approved_by_id, take_out.approved_dt = False, None, None
    take_out.amount_nok, take_out.comment = amount_nok, (comment or "").strip()
    take_out.entered_by_id = actor.id
    flush_or_conflict(db.session)
    if old != amount_nok:
        audit.record(
            "benefits.take_out",
            user=actor,
            obj=take_out,
            label=f"{measure.code} {year}",
            changes={"amount_nok": {"old": old, "new": amount_nok}},
        )
    return take_out


def approve_take_out(take_out: BudgetTakeOut, actor: User | SystemActor) -> None:
    """A controller approves a budget take-out, unless they entered it themselves."""
    require_actor(actor)
    require_admin(actor, "benefits.approve_take_out")
    own = "Du kan ikke godkjenne et budsjettuttak du selv har registrert. En annen administrator må godkjenne det."
    label = f"{take_out.measure.code} {take_out.year}"
    _approve(take_out, take_out.entered_by_id, actor, own, "benefits.approve_take_out", label)


def change_plan(
    measure: Measure,
    year: int,
    new_saving_nok: int,
    reason: str,
    actor: User | SystemActor,
    seen_version: int | None = None,
) -> PlanChange:
    """Change the planned saving for a year; the old value, who and why are kept.

    `seen_version` is the measure version the form showed: a change made from an older plan is an
    EditConflict, also when another change commits between this one's read and its write.
    """
    require_actor(actor)
    require_admin(actor, "benefits.plan")
    lock_and_check_version(db.session, measure, seen_version)  # the plan is another table: read it locked
    if not (reason or "").strip():
        raise BenefitsError("Planen ble ikke endret.", {"reason": "Skriv hvorfor planen endres."})
    check_texts({"reason": reason}, {"reason": NOTE}, BenefitsError)
    problem = amount_problem(new_saving_nok)
    if problem:
        raise BenefitsError(problem, {"new_saving": problem})
    change = set_planned_saving(measure, year, new_saving_nok, reason, actor)
    if change is None:
        raise BenefitsError("Planen ble ikke endret.", {"new_saving": "Den nye planen er lik den gjeldende."})
    flush_or_conflict(db.session)
    audit.record(
        "benefits.plan",
        user=actor,
        obj=measure,
        changes={
            f"planned_saving_{year}": {"old": change.old_saving_nok, "new": new_saving_nok},
            "reason": {"old": None, "new": reason},
        },
    )
    return change
