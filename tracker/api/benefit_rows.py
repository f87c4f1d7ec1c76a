"""The rows of the programme, its groups, measures, figures per measure and year, reports and the summary.

Every figure comes from the one computation behind the dashboard (benefits.programme.programme_figures)
and `portfolio summary --json` (benefits.summary.portfolio_summary); nothing is computed again here.
"""

from dataclasses import dataclass

from flask import abort, request

from tracker.api import queries
from tracker.api.fields import field, measure_ref, record_row
from tracker.api.params import ListQuery
from tracker.benefits import queries as benefit_queries
from tracker.benefits import standing, totals
from tracker.benefits.dashboard import at_risk_day
from tracker.benefits.programme import programme_figures
from tracker.benefits.rules import NO_EFFECT_TYPE
from tracker.dependencies.rules import AtRisk
from tracker.dependencies.services import forecast_at_risk
from tracker.portfolio.queries import measure_summaries
from tracker.portfolio.status import STATUS_LABELS
from tracker.risks import services as risks
from tracker.web.paths import id_path_prefix

# --- programmes and work groups ------------------------------------------------------------------

PROGRAMME_FIELDS = (
    field("id", "integer", "The programme's id; give it as `?programme=` to the other lists."),
    field("name", "string", "The programme's name (also accepted as `?programme=`)."),
    field("municipality", "string", "The municipality."),
    field("start_year", "integer", "First year of the plan period."),
    field("end_year", "integer", "Last year of the plan period."),
    field("baseline", "string", "What the savings are measured against."),
    field("target_note", "string", "Note on the savings target."),
    field("has_example_data", "boolean", "True when `demo load` filled in example figures (not real follow-up)."),
    field("is_closed", "boolean", "True for a closed programme: kept with its history, read-only."),
    field(
        "is_default",
        "boolean",
        "True for the programme the other lists show when no `?programme=` is given: the one the token's user "
        "works on in the web, else the only programme, else the newest open one.",
    ),
)


def programme_rows(query: ListQuery) -> list[dict]:
    default = query.default_programme
    return [
        record_row(
            programme,
            PROGRAMME_FIELDS,
            has_example_data=bool(programme.has_example_data),
            is_closed=bool(programme.is_closed),
            is_default=default is not None and programme.id == default.id,
        )
        for programme in queries.programmes()
    ]


GROUP_FIELDS = (
    field("programme_id", "integer", "The programme's id."),
    field("number", "integer", "The work group's number (the first part of its measures' codes)."),
    field("name", "string", "The work group's name."),
    field("savings_requirement_nok", "kroner", "What the group must save a year (sparekrav).", nullable=True),
    field("menu_mandate_nok", "kroner", "The size of the group's menu of measures (mandat).", nullable=True),
)


def group_rows(query: ListQuery) -> list[dict]:
    return [record_row(group, GROUP_FIELDS) for group in queries.groups(query.programme)]


# --- measures and their figures ------------------------------------------------------------------

FIGURE_FIELDS = (
    field("planned_nok", "kroner", "Planned saving for the year."),
    field("forecast_nok", "kroner", "Full-year forecast: the latest report's, else the plan."),
    field("risk_adjusted_forecast_nok", "kroner", "The forecast weighted by delivery confidence."),
    field("realised_nok", "kroner", "Realised so far in the year (latest report, approved or not)."),
    field("realised_approved_nok", "kroner", "Realised so far, as of the latest report approved by the controller."),
    field("taken_out_nok", "kroner", "Taken out of the unit's budget for the year."),
    field("is_deviation", "boolean", "Forecast below plan by more than the deviation thresholds."),
    field(
        "latest_report",
        "quarter",
        "Quarter of the report the forecast comes from (a report about the year, or a later-year forecast).",
        nullable=True,
    ),
    field("one_off_nok", "kroner", "Of realised, the one-off part (it does not count towards a later year)."),
    field("taken_out_approved_nok", "kroner", "Taken out of the unit's budget and approved by a controller."),
    field(
        "carried_gap_nok",
        "kroner",
        "The previous year's shortfall against plan (recurring realised), once that year's Q4 is closed.",
        nullable=True,
    ),
)
_FIGURES = tuple(item.name for item in FIGURE_FIELDS)
MENU_FIELD = field("menu_nok", "kroner", "The report's figure for the year (the menu), whatever the decision status.")


def _nullable(fields) -> tuple:
    return tuple(field(item.name, item.kind, item.description, nullable=True) for item in fields)


MEASURE_FIELDS = (
    field("id", "integer", "The measure's id (stable; joins the other lists' `measure_id`)."),
    field("programme_id", "integer", "The programme's id."),
    field("code", "string", "The measure's code in the report, e.g. 2.11."),
    field("title", "string", "The measure's title."),
    field("group_number", "integer", "The work group's number."),
    field("group_name", "string", "The work group's name."),
    field("service", "string", "The service area (tjenesteområde)."),
    field("effect_type", "string", f"The kind of effect; «{NO_EFFECT_TYPE}» when the report gives none."),
    field(
        "effect_type_basis",
        "string",
        "Where the effect type comes from: report (named there), inferred (from the report's Tabell 3) or manual.",
        nullable=True,
    ),
    field(
        "status",
        "string",
        "Decision status: utredet, vedtatt, under gjennomføring, gjennomført, ikke vedtatt, avbrutt.",
    ),
    field("status_label", "string", "The status as the web shows it."),
    field(
        "is_adopted",
        "boolean",
        "Adopted: vedtatt, under gjennomføring or gjennomført. Only these are planned and forecast (owners report).",
    ),
    field(
        "counts_in_totals",
        "boolean",
        "True when the measure has figures: adopted, or avbrutt (keeps what it realised). False for utredet "
        "(on the menu only) and ikke vedtatt.",
    ),
    field("adopted_variant", "string", "The variant adopted (e.g. alt1), null for the whole measure.", nullable=True),
    field(
        "is_forecast_at_risk",
        "boolean",
        "Prognose i fare: a late milestone of its own, or building (directly or through others) on a late measure.",
    ),
    field("at_risk_reasons", "string", "Why the forecast is at risk, one sentence per reason.", nullable=True),
    field("is_recommended_by_report", "boolean", "Recommended by the report (part of its menu of measures)."),
    field("has_significant_org_risk", "boolean", "The report flags significant organisational risk."),
    field("owner_username", "string", "The measure owner's user name.", nullable=True),
    field("owner_name", "string", "The measure owner's name.", nullable=True),
    field(
        "confidence",
        "string",
        "Traffic light: delivery confidence of the latest submitted status update up to `as_of` "
        "(grønn, grønn/gul, gul, gul/rød, rød).",
        nullable=True,
    ),
    field(
        "org_risk_level", "string", "Organisational risk of the latest assessment: lav, middels, høy.", nullable=True
    ),
    field("web_url", "string", "The measure's page in the tracker."),
    field("as_of", "quarter", "The quarter the figures are as of (`?as_of=`, default the current one)."),
    field("year", "integer", "The year of the figures (`?year=`, default the first target year from now on)."),
    MENU_FIELD,
    *_nullable(FIGURE_FIELDS),
)


def figures_of(query: ListQuery) -> totals.ProgrammeFigures:
    """The dashboard's figures for the query's programme and quarter (cached per data version)."""
    return programme_figures(query.programme, query.as_of)


def first_target_year(figures: totals.ProgrammeFigures) -> int:
    """The first year from the quarter looked at that has a target (where the gap is), else that quarter's year.

    The targets are the programme's target trajectory, one per plan year where admin has set one (issue 11;
    the report gives only 2029), read as "Status mot målet" reads them (benefits.standing.target_nok). The
    API's default year (docs/api.md); the dashboard's default became the current year (issue 13).
    """
    years = [row.year for row in figures.years]
    targets = [
        row.year for row in figures.years if standing.target_nok(row) is not None and row.year >= figures.as_of.year
    ]
    if targets:
        return targets[0]
    return figures.as_of.year if figures.as_of.year in years else years[-1]


def _chosen_year(query: ListQuery, figures: totals.ProgrammeFigures) -> int:
    years = [row.year for row in figures.years]
    if query.year is None:
        return first_target_year(figures)
    if query.year not in years:
        abort(400, f"«year» må være ett av årene {', '.join(map(str, years))}.")
    return query.year


def _figure_values(row) -> dict:
    """A measure-year's figures; all null for a measure that counts in no total (it has none)."""
    return {name: getattr(row, name, None) for name in _FIGURES}


@dataclass(frozen=True)
class _MeasureFacts:
    """What /measures shows beside the figures, read once for the whole programme."""

    confidence: dict[int, str]
    risk_levels: dict[int, str]
    flags: dict[int, dict[str, bool]]
    page_prefix: str
    at_risk: dict[str, AtRisk]


def _facts(query: ListQuery, measures) -> _MeasureFacts:
    assessed = risks.latest_assessments([measure.id for measure in measures])
    return _MeasureFacts(
        confidence=benefit_queries.confidence_by_measure(query.programme, query.as_of),
        risk_levels={measure_id: _level(assessment) for measure_id, assessment in assessed.items()},
        flags=queries.measure_flags(query.programme),
        page_prefix=request.host_url.rstrip("/") + id_path_prefix("portfolio.measure"),
        at_risk=forecast_at_risk(query.programme, at_risk_day(query.as_of)),
    )


def _level(assessment) -> str | None:
    summary = assessment.summary()
    return summary.level if summary else None


def _measure_row(measure, query: ListQuery, facts: _MeasureFacts) -> dict:
    owner = measure.owner
    return {
        "id": measure.id,
        "programme_id": query.programme.id,
        "code": measure.code,
        "title": measure.title,
        "group_number": measure.group.number,
        "group_name": measure.group.name,
        "service": measure.service,
        "effect_type": measure.effect_type or NO_EFFECT_TYPE,
        "effect_type_basis": measure.effect_type_basis if measure.effect_type else None,
        "status": measure.status,
        "status_label": STATUS_LABELS.get(measure.status, measure.status),
        "is_adopted": measure.plan.is_adopted,
        "counts_in_totals": measure.plan.counts,
        **facts.flags[measure.id],
        "is_forecast_at_risk": measure.code in facts.at_risk,
        "at_risk_reasons": " ".join(facts.at_risk[measure.code].reasons) if measure.code in facts.at_risk else None,
        "owner_username": owner.username if owner else None,
        "owner_name": owner.display_name if owner else None,
        "confidence": facts.confidence.get(measure.id),
        "org_risk_level": facts.risk_levels.get(measure.id),
        "web_url": f"{facts.page_prefix}{measure.id}",
        "as_of": query.as_of.key,
    }


def measure_rows(query: ListQuery) -> list[dict]:
    """One row per measure with its figures for one year, exactly the dashboard's measure table."""
    measures = measure_summaries(query.programme)
    figures = figures_of(query)
    year = _chosen_year(query, figures)
    by_code = {row.code: row for row in figures.measures if row.year == year}
    facts = _facts(query, measures)
    return [
        {
            **_measure_row(measure, query, facts),
            "year": year,
            "menu_nok": measure.plan.menu_savings_nok.get(year, 0),
            **_figure_values(by_code.get(measure.code)),
        }
        for measure in measures
    ]


MEASURE_YEAR_FIELDS = (
    *measure_ref(),
    field("title", "string", "The measure's title."),
    field("group_number", "integer", "The work group's number."),
    field("effect_type", "string", f"The kind of effect; «{NO_EFFECT_TYPE}» when the report gives none."),
    field("as_of", "quarter", "The quarter the figures are as of (`?as_of=`, default the current one)."),
    field("year", "integer", "The year of the figures."),
    MENU_FIELD,
    *FIGURE_FIELDS,
    field(
        "confidence",
        "string",
        "Delivery confidence the risk adjustment used (null: none submitted, weighted as gul).",
        nullable=True,
    ),
)


def measure_year_rows(query: ListQuery) -> list[dict]:
    """One row per counted measure and year: the dashboard's measure rows for every year (`?year=` picks one)."""
    measures = measure_summaries(query.programme)
    ids = {measure.code: measure.id for measure in measures}
    return [
        record_row(row, MEASURE_YEAR_FIELDS, measure_id=ids[row.code], as_of=query.as_of.key, **_figure_values(row))
        for row in figures_of(query).measures
        if query.year is None or row.year == query.year
    ]


QUARTERLY_FIGURE_FIELDS = (
    field("id", "integer", "The report's id."),
    *measure_ref(),
    field("year", "integer", "The year the figures are about."),
    field("quarter", "integer", "The quarter they were reported in (1-4)."),
    field("period", "quarter", "Year and quarter, e.g. 2026-Q2."),
    field("realised_to_date_nok", "kroner", "Realised so far in the year, as reported."),
    field("forecast_year_nok", "kroner", "Full-year forecast, as reported."),
    field("one_off_nok", "kroner", "Of realised so far, the one-off part (engangseffekt), as reported."),
    field("is_approved", "boolean", "Approved by the controller."),
    field("approved_dt", "date-time", "When it was approved (UTC).", nullable=True),
    field("reported_dt", "date-time", "When it was reported (UTC)."),
    field("explanation", "string", "Why the forecast deviates from the plan."),
    field("corrective_action", "string", "What is done about a deviation."),
    field("comment", "string", "The owner's comment."),
)


def quarterly_figure_rows(query: ListQuery) -> list[dict]:
    """Every quarterly report as reported (the dashboard counts the latest per year up to `as_of`)."""
    return [
        record_row(figure, QUARTERLY_FIGURE_FIELDS, code, period=figure.period.key)
        for figure, code in queries.quarterly_figures(query.programme)
    ]


LATER_FORECAST_FIELDS = (
    *measure_ref(),
    field("year", "integer", "The later year the forecast is for."),
    field("period", "quarter", "The quarter of the report it was given with, e.g. 2026-Q3."),
    field("forecast_nok", "kroner", "The forecast for that year (the newest per year stands until replaced)."),
    field("figure_id", "integer", "The quarterly report it was given with (`id` of /quarterly-figures)."),
)


def later_forecast_rows(query: ListQuery) -> list[dict]:
    """Every forecast for a later year of the plan period, as given with the quarterly reports."""
    return [
        record_row(
            item,
            LATER_FORECAST_FIELDS,
            code,
            measure_id=figure.measure_id,
            period=figure.period.key,
            figure_id=figure.id,
        )
        for item, figure, code in queries.later_forecasts(query.programme)
    ]
