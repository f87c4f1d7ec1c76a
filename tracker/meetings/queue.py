"""The work queue, "Til behandling i ledergruppa": what ledergruppe should act on now, and where.

Built from the programme's figures (tracker.benefits), status updates and rounds (tracker.updates),
milestones, organisational risk and earlier meetings, in a fixed number of statements
(tracker.meetings.queries). The kinds, their keys and when an item leaves the queue are in
tracker.meetings.rules.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

from tracker.benefits import rules as benefits_rules
from tracker.benefits.programme import programme_figures
from tracker.benefits.standing import PLAN, gap_text
from tracker.benefits.totals import ProgrammeFigures
from tracker.confidence import LABELS as CONFIDENCE_LABELS
from tracker.dependencies.services import forecast_at_risk
from tracker.meetings import queries, rules
from tracker.meetings.rules import QueueItem
from tracker.periods import Quarter, format_date
from tracker.portfolio.models import Programme
from tracker.portfolio.queries import MeasureSummary, measure_summaries
from tracker.portfolio.status import reports_status_updates
from tracker.risks import queries as risk_queries
from tracker.risks import rules as risk_rules
from tracker.risks.load import load_threshold
from tracker.risks.services import ACTIVE_STATUSES
from tracker.updates.models import DECISION_AMU, DECISION_POLITICIANS
from tracker.web.paths import path_for

MILESTONES_SHOWN = 3
# Who an owner asks to decide, when it is not ledergruppe itself (ledergruppe prepares those cases too).
DECIDED_BY = {DECISION_POLITICIANS: " fra politikerne", DECISION_AMU: " fra AMU"}


@dataclass(frozen=True)
class WorkQueue:
    items: tuple[QueueItem, ...]
    reporting_round: queries.RoundRow | None
    risk_threshold: int

    def counts(self) -> list[tuple[str, str, int]]:
        """(kind, label, number of items) for each kind with items, in the queue's order."""
        return list(self._counts)

    @cached_property
    def _counts(self) -> tuple[tuple[str, str, int], ...]:
        # Counted once per queue (it is cached per data version and day and read by every request).
        number = Counter(item.kind for item in self.items)
        return tuple((kind, rules.KIND_LABELS[kind], number[kind]) for kind in rules.KINDS if number[kind])


def _about(kind: str, key: str, measure: MeasureSummary, title: str, **fields) -> QueueItem:
    """An item about a measure: its code, title and owner filled in."""
    owner = measure.owner.display_name if measure.owner else "Ingen tiltaksansvarlig"
    subject = f"{measure.code} {measure.title}"
    return QueueItem(kind, key, title, measure_id=measure.id, code=measure.code, subject=subject, owner=owner, **fields)


def _update_href(update: queries.UpdateRow) -> str:
    return path_for("updates.quarter", measure_id=update.measure_id, quarter_key=update.period.key)


def review_items(found: list[queries.UpdateRow], measures: dict[int, MeasureSummary]) -> list[QueueItem]:
    """Submitted status updates ledergruppe has not reviewed."""
    return [
        _about(
            rules.REVIEW,
            rules.subject_key(rules.REVIEW, update.id),
            measures[update.measure_id],
            f"Statusrapport for {update.period.label} ({CONFIDENCE_LABELS.get(update.confidence, update.confidence)})"
            " er ikke gjennomgått",
            href=_update_href(update),
        )
        for update in found
        if update.measure_id in measures
    ]


def decision_items(found: list[queries.UpdateRow], measures: dict[int, MeasureSummary]) -> list[QueueItem]:
    """Decisions owners ask for in their latest submitted status update."""
    return [
        _about(
            rules.DECISION,
            rules.subject_key(rules.DECISION, update.id),
            measures[update.measure_id],
            f"Ber om beslutning{DECIDED_BY.get(update.decisions_audience, '')} ({update.period.label})",
            detail=update.decisions_needed.strip(),
            href=_update_href(update),
        )
        for update in found
        if update.measure_id in measures
    ]


def deviation_items(figures: ProgrammeFigures, by_code: dict[str, MeasureSummary]) -> list[QueueItem]:
    """Deviations from plan whose corrective action ledergruppe has not approved in a meeting."""
    items = []
    for deviation in figures.deviations:
        measure = by_code[deviation.code]
        detail = (
            f"Korrigerende tiltak: {deviation.corrective_action or '–'}. Forklaring: {deviation.explanation or '–'}."
        )
        items.append(
            _about(
                rules.DEVIATION,
                rules.subject_key(rules.DEVIATION, measure.id, deviation.year, deviation.reported_quarter),
                measure,
                f"Prognosen for {deviation.year} er {gap_text(deviation.shortfall_nok, PLAN, ' mill. kr')}",
                detail=detail,
                href=path_for("benefits.ledger", measure_id=measure.id),
            )
        )
    return items


def _missing_what(measure: MeasureSummary, quarter: Quarter, figures: set[int], updates: set[int]) -> str:
    lacks_figures = benefits_rules.expects_report(measure.plan, quarter) and measure.id not in figures
    lacks_update = reports_status_updates(measure.status) and measure.id not in updates
    return {(True, True): "tall og statusrapport", (True, False): "tall", (False, True): "statusrapport"}.get(
        (lacks_figures, lacks_update), ""
    )


def missing_items(
    programme: Programme, measures: Iterable[MeasureSummary], reporting_round: queries.RoundRow | None, today: date
) -> list[QueueItem]:
    """Measures still missing figures or a status update after the latest passed round's deadline."""
    if reporting_round is None:
        return []
    quarter = reporting_round.period
    figures, updates = queries.reported_measure_ids(programme.id, quarter)
    href = path_for("updates.round_detail", round_id=reporting_round.id)
    items = []
    for measure in measures:
        what = _missing_what(measure, quarter, figures, updates)
        if what:
            items.append(
                _about(
                    rules.MISSING,
                    rules.subject_key(rules.MISSING, quarter.key, measure.id),
                    measure,
                    f"Mangler {what} for {quarter.label}",
                    detail=f"Tiltaksansvarlig: {_owner(measure)}; {rules.lateness_text(reporting_round.deadline_date, today)}.",
                    href=href,
                    days_late=rules.days_late(reporting_round.deadline_date, today),
                )
            )
    return items


def _owner(measure: MeasureSummary) -> str:
    return measure.owner.display_name if measure.owner else "ingen"


def milestone_items(programme: Programme, measures: dict[int, MeasureSummary], today: date) -> list[QueueItem]:
    """Measures in change with late milestones, one item per measure naming the first few.

    A measure not adopted yet (utredet) keeps the report's planned dates; they are not late work.
    """
    items = []
    for measure_id, late in queries.late_milestones(programme.id, today).items():
        if measure_id not in measures or measures[measure_id].status not in ACTIVE_STATUSES:
            continue
        shown = [f"«{title}» ({rules.lateness_text(due, today)})" for title, due in late[:MILESTONES_SHOWN]]
        more = f" og {len(late) - MILESTONES_SHOWN} til" if len(late) > MILESTONES_SHOWN else ""
        count = f"{len(late)} forsinket milepæl" if len(late) == 1 else f"{len(late)} forsinkede milepæler"
        items.append(
            _about(
                rules.LATE_MILESTONES,
                rules.subject_key(rules.LATE_MILESTONES, measure_id),
                measures[measure_id],
                count.capitalize(),
                detail="; ".join(shown) + more + ".",
                href=path_for("milestones.index", measure_id=measure_id),
                days_late=rules.days_late(late[0][1], today),
            )
        )
    return items


def _load_items(programme: Programme, measures: Iterable[MeasureSummary]) -> list[risk_rules.LoadItem]:
    """The measures in change as the risk load sees them: leader, affected units, latest level.

    The latest scores per measure in one query (tracker.risks.queries, as the risk view reads them).
    """
    scores = risk_queries.latest_scores(programme.id)
    return [
        risk_rules.LoadItem(
            code=m.code,
            leader=m.owner.display_name if m.owner else None,
            units=m.affected_units,
            level=_level(scores.get(m.id)),
        )
        for m in measures
        if m.status in ACTIVE_STATUSES
    ]


def _level(scores: dict[str, int] | None) -> str | None:
    summary = risk_rules.summarise(scores or {})
    return summary.level if summary else None


def _load_item(load: risk_rules.RiskLoad, kind: str, threshold: int, levels: dict[str, str | None]) -> QueueItem:
    """A leader's (kind "leder") or unit's (kind "enhet") load above the threshold as a queue item."""
    shown = ", ".join(f"{code} ({levels[code] or 'ikke vurdert'})" for code in load.codes)
    title = f"Risikobelastning {load.load} (grensen er {threshold})"
    return QueueItem(
        rules.RISK_LOAD,
        rules.subject_key(rules.RISK_LOAD, kind, risk_rules.label_key(load.label))[: rules.MAX_KEY_CHARS],
        title if kind == rules.LOAD_LEADER else f"{title} i enheten",
        detail="Tiltak i endring: " + shown + ".",
        href=path_for("risks.portfolio", "risikobelastning"),
        subject=load.label if kind == rules.LOAD_LEADER else f"Enhet: {load.label}",
        owner=load.label if kind == rules.LOAD_LEADER else "",
        rank=load.load,
    )


def risk_items(programme: Programme, measures: Iterable[MeasureSummary], threshold: int) -> list[QueueItem]:
    """Leaders (owners) and affected units whose organisational-risk load is above the threshold.

    The same sum as the risk view (tracker.risks.rules.leader_and_unit_loads): every measure in change
    weighted by its level, an unassessed one as middels, so that "low each, high together" comes up.
    """
    items = _load_items(programme, measures)
    levels = {item.code: item.level for item in items}
    by_leader, by_unit = risk_rules.leader_and_unit_loads(items, threshold)
    return [
        *(_load_item(load, rules.LOAD_LEADER, threshold, levels) for load in by_leader if load.is_above_threshold),
        *(_load_item(load, rules.LOAD_UNIT, threshold, levels) for load in by_unit if load.is_above_threshold),
    ]


def forecast_at_risk_items(programme: Programme, measures: dict[int, MeasureSummary], today: date) -> list[QueueItem]:
    """Adopted measures flagged "prognose i fare" on `today`, each with its reasons.

    The flag is issue 11's one computation (tracker.dependencies.services.forecast_at_risk, as the
    dashboard, the reports and the API show it): a late milestone of its own, or building, directly or
    through others, on a measure with one.
    """
    flagged = forecast_at_risk(programme, today)
    return [
        _about(
            rules.FORECAST_AT_RISK,
            rules.subject_key(rules.FORECAST_AT_RISK, measure.id),
            measure,
            "Prognosen er i fare",
            detail=" ".join(flagged[measure.code].reasons),
            href=path_for("benefits.ledger", measure_id=measure.id),
        )
        for measure in sorted(measures.values(), key=lambda item: item.sort_key)
        if measure.plan.is_adopted and measure.code in flagged
    ]


def followup_items(history: list[queries.ItemRow], measures: dict[int, MeasureSummary], today: date) -> list[QueueItem]:
    """Follow-ups recorded in earlier meetings and not yet done: they come back to the next meeting."""
    items = []
    for row in history:
        if row.outcome != rules.FOLLOW_UP_OUTCOME or row.done_dt is not None:
            continue
        measure = measures.get(row.measure_id) if row.measure_id else None
        title = f"Oppfølging fra møtet {format_date(row.meeting_date)}: {row.decision.strip()}"
        fields = {
            "detail": f"Ansvarlig: {row.responsible or '–'}; {rules.lateness_text(row.due_date, today)}.",
            "href": path_for("meetings.meeting", f"sak-{row.id}", meeting_id=row.meeting_id),
            "days_late": rules.days_late(row.due_date, today),
        }
        key = rules.subject_key(rules.FOLLOW_UP, row.id)
        if measure is None:
            items.append(
                QueueItem(rules.FOLLOW_UP, key, title, subject="Programmet", owner=row.responsible or "", **fields)
            )
        else:
            items.append(_about(rules.FOLLOW_UP, key, measure, title, **fields))
    return items


def _annotated(items: list[QueueItem], history: list[queries.ItemRow], today: date) -> list[QueueItem]:
    """One-off items already settled left out; the rest marked with their agenda and last handling."""
    settled = {row.subject_key for row in history if row.outcome}
    on_agenda = {row.subject_key: row.meeting_date for row in history if not row.outcome and row.meeting_date >= today}
    handled = {row.subject_key: row.meeting_date for row in history if row.outcome}
    return [
        replace(
            item,
            on_agenda=format_date(on_agenda.get(item.key)),
            last_handled=format_date(handled.get(item.key)),
        )
        for item in items
        if not (item.kind in rules.ONE_OFF_KINDS and item.key in settled)
    ]


def work_queue(programme: Programme, today: date) -> WorkQueue:
    """Everything ledergruppe should act on as of `today`, decisions first.

    Plain, frozen data (no ORM objects): tracker.meetings.pages caches it per programme, day and data
    version. The figures (as of today's quarter) and the measure summaries come from the read model.
    """
    measures = measure_summaries(programme)
    figures = programme_figures(programme, Quarter.containing(today))
    by_id = {measure.id: measure for measure in measures}
    history = queries.meeting_items(programme.id)
    reporting_round = queries.latest_passed_round(programme.id, today)
    threshold = load_threshold()
    unreviewed, decisions = queries.updates_to_handle(programme.id)
    items = [
        *decision_items(decisions, by_id),
        *deviation_items(figures, {measure.code: measure for measure in measures}),
        *followup_items(history, by_id, today),
        *review_items(unreviewed, by_id),
        *forecast_at_risk_items(programme, by_id, today),
        *missing_items(programme, measures, reporting_round, today),
        *milestone_items(programme, by_id, today),
        *risk_items(programme, measures, threshold),
    ]
    return WorkQueue(tuple(rules.ordered(_annotated(items, history, today))), reporting_round, threshold)
