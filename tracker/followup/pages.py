"""What the owner's pages show: the quarter on one page ("Kvartalsrapport for tiltak X") and what is due.

Beside each field the page shows last quarter's value (the consequences as last registered, the risk
as last assessed); the note on the forecast is rules.forecast_note, which static/js/quarter.js
repeats as the owner types.
"""

from dataclasses import dataclass

from tracker.benefits import queries as benefit_queries
from tracker.benefits.programme import thresholds
from tracker.confidence import LABELS
from tracker.followup import rules, services
from tracker.followup.forms import FIGURES, STAFF, STATUS, StaffFields, quarter_form
from tracker.money import NumberFormatError, format_decimal, format_nok, parse_nok
from tracker.periods import Quarter, format_date, today_oslo
from tracker.portfolio.models import Measure
from tracker.portfolio.queries import current_programme
from tracker.portfolio.status import counts_in_totals
from tracker.risks import services as risks
from tracker.staff import services as staff
from tracker.updates import services as updates
from tracker.web.paging import page_link, page_of

FIGURE_TEXTS = ("explanation", "corrective_action", "comment")
STATUS_TEXTS = ("confidence_justification", "progress", "corrective_actions", "decisions_needed")


@dataclass(frozen=True)
class Sections:
    """Which parts the page shows for a measure and quarter."""

    show_staff: bool
    show_risk: bool
    is_locked: bool


def sections(measure: Measure, quarter: Quarter) -> Sections:
    due = services.due_states([measure], quarter)[measure.id]
    has_staff = services.affects_staff(measure) or staff.consequence_for(measure) is not None
    update = updates.update_for(measure, quarter)
    return Sections(services.is_in_change(measure) and has_staff, due.risk, bool(update and update.is_submitted))


def _stored(measure: Measure, quarter: Quarter) -> tuple[dict, dict[str, int]]:
    """The form's values from what is saved (the quarter's figures and status update, draft or sent), and
    the versions of the records the page saves (0: none yet)."""
    data: dict = {}
    figure = benefit_queries.get_figure(measure, quarter)
    if figure is not None:
        data.update(realised=format_nok(figure.realised_to_date_nok), forecast=format_nok(figure.forecast_year_nok))
        data.update(one_off=format_nok(figure.one_off_nok) if figure.one_off_nok else "")
        data.update({f"forecast_{year}": format_nok(nok) for year, nok in figure.later_forecasts_by_year().items()})
        data.update({name: getattr(figure, name) for name in FIGURE_TEXTS})
    update = updates.update_for(measure, quarter)
    if update is not None:
        data.update({name: getattr(update, name) for name in ("confidence", *STATUS_TEXTS, "decisions_audience")})
    record = staff.consequence_for(measure)
    versions = {FIGURES: figure.version if figure else 0, STATUS: update.version if update else 0}
    return data, {**versions, STAFF: record.version if record else 0}


def _fill_staff(form, measure: Measure) -> None:
    record = staff.consequence_for(measure)
    if record is None:
        return
    form.affected_employees.data = "" if record.affected_employees is None else str(record.affected_employees)
    form.fte_change_realised.set_number(record.fte_change_realised)
    for name in ("union_consultation_date", "is_safety_rep_involved", "work_env_assessment_date"):
        getattr(form, name).data = getattr(record, name)


def quarter_form_for(measure: Measure, quarter: Quarter, formdata=None):
    """The page's form: what was typed (a POST), else what is saved."""
    shown = sections(measure, quarter)
    indicators = risks.indicators() if shown.show_risk else []
    data, versions = _stored(measure, quarter) if formdata is None else (None, None)
    later = later_years(measure, quarter)
    form = quarter_form(indicators, shown.show_staff, shown.show_risk, formdata, data, later)
    form.is_locked = shown.is_locked
    if versions is not None:
        form.versions.set_versions(versions)
    if formdata is None and shown.show_staff:
        _fill_staff(form, measure)
    return form


def later_years(measure: Measure, quarter: Quarter) -> tuple[int, ...]:
    """The plan years after the quarter's year: each gets an optional forecast (issue 11)."""
    return tuple(year for year in measure.programme.plan_years if year > quarter.year)


def quarter_input(form) -> services.QuarterInput:
    """The form as the service's input; sections the page did not show are None."""
    return services.QuarterInput(
        realised_nok=form.realised.amount,
        forecast_nok=form.forecast.amount,
        one_off_nok=form.one_off.amount,
        later_forecasts_nok={year: field.amount for year, field in form.later_fields if field.amount is not None},
        explanation=form.explanation.data or "",
        corrective_action=form.corrective_action.data or "",
        comment=form.comment.data or "",
        correction_reason=form.correction_reason.data or "",
        status=None if form.is_locked else form.status_values(),
        staff=_staff_values(form) if form.show_staff else None,
        scores={indicator.key: field.data for indicator, field, _ in form.indicator_fields} if form.show_risk else None,
        actions={indicator.key: (field.data or "").strip() for indicator, _, field in form.indicator_fields},
        risk_note=(form.risk_note.data or "").strip() if form.show_risk else "",
        seen_versions={key: form.versions.seen_for(key) for key in (FIGURES, STATUS, STAFF)},
    )


def _staff_values(form) -> dict:
    return {
        "affected_employees": form.affected_employees.count,
        "fte_change_realised": form.fte_change_realised.number,
        "union_consultation_date": form.union_consultation_date.data,
        "is_safety_rep_involved": bool(form.is_safety_rep_involved.data),
        "work_env_assessment_date": form.work_env_assessment_date.data,
    }


# --- last quarter beside each field ----------------------------------------------------------------


def _kroner(amount_nok: int | None) -> str:
    return "–" if amount_nok is None else f"{format_nok(amount_nok)} kr"


def previous_figures(measure: Measure, quarter: Quarter) -> tuple[str, dict[str, str]]:
    earlier = quarter.previous()
    figure = benefit_queries.get_figure(measure, earlier)
    label = f"Forrige kvartal ({earlier.label})"
    later = [f"forecast_{year}" for year in measure.programme.plan_years if year > quarter.year]
    if figure is None:
        return label, dict.fromkeys(("realised", "forecast", "one_off", *later, *FIGURE_TEXTS), "Ikke rapportert")
    values = {
        "realised": _kroner(figure.realised_to_date_nok),
        "forecast": _kroner(figure.forecast_year_nok),
        "one_off": _kroner(figure.one_off_nok),
    }
    given = {f"forecast_{year}": _kroner(nok) for year, nok in figure.later_forecasts_by_year().items()}
    values |= {name: given.get(name, "–") for name in later}
    return label, values | {name: getattr(figure, name) or "–" for name in FIGURE_TEXTS}


def previous_status(measure: Measure, quarter: Quarter) -> tuple[str, dict[str, str]]:
    update = updates.latest_submitted(measure, quarter.previous())
    if update is None:
        return "Forrige statusrapport", dict.fromkeys(("confidence", *STATUS_TEXTS), "Ingen")
    values = {"confidence": LABELS.get(update.confidence, update.confidence)}
    return f"Forrige statusrapport ({update.period.label})", values | {
        name: getattr(update, name) or "–" for name in STATUS_TEXTS
    }


def previous_staff(measure: Measure) -> dict[str, str]:
    record = staff.consequence_for(measure)
    if record is None:
        return dict.fromkeys(StaffFields.NAMES, "Ikke registrert")
    return {
        "affected_employees": "–" if record.affected_employees is None else str(record.affected_employees),
        "fte_change_realised": "–"
        if record.fte_change_realised is None
        else format_decimal(record.fte_change_realised, 1),
        "union_consultation_date": format_date(record.union_consultation_date) or "–",
        "is_safety_rep_involved": "Ja" if record.is_safety_rep_involved else "Nei",
        "work_env_assessment_date": format_date(record.work_env_assessment_date) or "–",
    }


def previous_risk(measure: Measure) -> tuple[str, dict[str, str]]:
    assessment = risks.latest_assessments([measure.id]).get(measure.id)
    if assessment is None:
        return "Forrige vurdering", {}
    scores = {f"score_{key}": str(score) for key, score in assessment.scores_by_key().items()}
    return f"Forrige vurdering ({format_date(assessment.assessed_date)})", scores


def typed_nok(text: str | None) -> int | None:
    """What the owner typed as kroner, or None when blank or not a number (the field shows why)."""
    try:
        return parse_nok(text)
    except NumberFormatError:
        return None


def quarter_context(measure: Measure, quarter: Quarter, form) -> dict:
    planned = benefit_queries.planned_saving(measure, quarter.year)
    limits = thresholds()
    figures_label, figures_before = previous_figures(measure, quarter)
    status_label, status_before = previous_status(measure, quarter)
    risk_label, risk_before = previous_risk(measure)
    update = updates.update_for(measure, quarter)
    return {
        "measure": measure,
        "quarter": quarter,
        "form": form,
        "update": update,
        "labels": LABELS,
        "due": services.due_states([measure], quarter)[measure.id],
        "due_labels": rules.DUE_LABELS,
        "planned_nok": planned,
        "thresholds": limits,
        "forecast_note": rules.forecast_note(planned, typed_nok(form.forecast.data), quarter.year, limits),
        "is_closed": benefit_queries.is_closed(quarter),
        "before": {**figures_before, **status_before, **previous_staff(measure), **risk_before},
        "before_labels": {
            "figures": figures_label,
            "status": status_label,
            "staff": "Sist registrert",
            "risk": risk_label,
        },
    }


# --- "Mine tiltak": what is due per measure --------------------------------------------------------


@dataclass(frozen=True)
class DueRow:
    measure: Measure
    due: rules.DueState


def owner_due(user, page: int = 1) -> dict:
    """Per measure of the owner, what is due for the reporting quarter (page `page` of the list), and the round's deadline."""
    programme = current_programme(user)
    today = today_oslo()
    link = page_link("benefits.mine", {}, "rapporter_side")
    if programme is None:
        return {"page": page_of([], 1, link), "quarter": Quarter.containing(today), "deadline": None, "today": today}
    quarter, deadline = services.reporting_period(programme, today)
    owned = benefit_queries.owned_measures(user)
    measures = [m for m in owned if m.programme_id == programme.id and counts_in_totals(m.status)]
    states = services.due_states(measures, quarter)
    return {
        "page": page_of([DueRow(measure, states[measure.id]) for measure in measures], page, link),
        "quarter": quarter,
        "deadline": deadline,
        "is_late": deadline is not None and deadline < today,
        "is_all_done": not any(state.is_anything_due for state in states.values()),
        "today": today,
    }
