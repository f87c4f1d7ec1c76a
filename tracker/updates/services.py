"""Status updates: drafting, submitting (then frozen), review, reporting rounds and reminders."""

import logging
import smtplib
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError

from tracker import confidence
from tracker.accounts.models import User
from tracker.accounts.permissions import require_actor, require_admin, require_comment, require_measure_edit
from tracker.audit import services as audit
from tracker.audit.edits import review_audited
from tracker.database import check_version, flush_or_conflict, in_quarter, up_to_quarter, up_to_year_quarter, utcnow
from tracker.database_setup import write_transaction
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.mail import Mail, send_mails
from tracker.periods import Quarter, checked_date, current_quarter, format_date, quarter_outside_programme
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.queries import prepared_rows
from tracker.portfolio.read_only import require_open
from tracker.portfolio.status import reports_status_updates
from tracker.text import NOTE, check_texts
from tracker.updates.models import (
    DECISION_AUDIENCES,
    DECISION_LEDERGRUPPE,
    ReminderSent,
    ReportingRound,
    StatusUpdate,
    UpdateComment,
)

log = logging.getLogger(__name__)
TEXT_FIELDS = ("confidence_justification", "progress", "corrective_actions", "decisions_needed")
UPDATE_TEXTS = {**dict.fromkeys(TEXT_FIELDS, NOTE), "body": NOTE}


class UpdateError(ServiceError):
    """An update that cannot be changed in the way asked (frozen, not submitted …)."""


def _up_to(up_to: Quarter):
    return up_to_quarter(StatusUpdate.year, StatusUpdate.quarter, up_to)


def _submitted_in_programme(columns, programme_id, up_to_year, up_to_quarter):
    """Submitted updates of the programme in or before the quarter (values or bindparams)."""
    up_to = up_to_year_quarter(StatusUpdate.year, StatusUpdate.quarter, up_to_year, up_to_quarter)
    return (
        select(*columns)
        .join(Measure, Measure.id == StatusUpdate.measure_id)
        .where(Measure.programme_id == programme_id, StatusUpdate.submitted_dt.is_not(None), up_to)
        # Oldest first, so the last row kept per measure is its latest quarter.
        .order_by(StatusUpdate.measure_id, StatusUpdate.year, StatusUpdate.quarter)
    )


def _confidence_statement():
    """Measure and confidence of the submitted updates of `programme_id` up to `up_to_year`/`up_to_quarter`."""
    columns = (StatusUpdate.measure_id, StatusUpdate.confidence)
    return _submitted_in_programme(
        columns, bindparam("programme_id"), bindparam("up_to_year"), bindparam("up_to_quarter")
    )


def latest_confidence_by_measure(programme_id: int, up_to: Quarter) -> dict[int, str]:
    """Measure id → confidence of its latest SUBMITTED update in or before `up_to` (a prepared statement)."""
    rows = prepared_rows(
        _confidence_statement, programme_id=programme_id, up_to_year=up_to.year, up_to_quarter=up_to.number
    )
    return {measure_id: level for measure_id, level in rows}


def _update_quarters_statement():
    """Measure, year and quarter of the submitted updates of `programme_id` up to `up_to_year`/`up_to_quarter`."""
    columns = (StatusUpdate.measure_id, StatusUpdate.year, StatusUpdate.quarter)
    return _submitted_in_programme(
        columns, bindparam("programme_id"), bindparam("up_to_year"), bindparam("up_to_quarter")
    )


def latest_update_quarters(programme_id: int, up_to: Quarter) -> dict[int, Quarter]:
    """Measure id → the quarter of its latest SUBMITTED update in or before `up_to` (a prepared statement)."""
    rows = prepared_rows(
        _update_quarters_statement, programme_id=programme_id, up_to_year=up_to.year, up_to_quarter=up_to.number
    )
    return {measure_id: Quarter(year, quarter) for measure_id, year, quarter in rows}


def latest_submitted_by_measure(programme_id: int, up_to: Quarter) -> dict[int, StatusUpdate]:
    """Measure id → its latest SUBMITTED update in or before `up_to`.

    The database picks each measure's latest (a window function), so only those are loaded, not
    every quarter's update of every measure.
    """
    newest_first = func.row_number().over(
        partition_by=StatusUpdate.measure_id, order_by=(StatusUpdate.year.desc(), StatusUpdate.quarter.desc())
    )
    ranked = (
        _submitted_in_programme((StatusUpdate.id, newest_first.label("rank")), programme_id, up_to.year, up_to.number)
        .order_by(None)
        .subquery()
    )
    latest = select(ranked.c.id).where(ranked.c.rank == 1)
    rows = db.session.scalars(select(StatusUpdate).where(StatusUpdate.id.in_(latest)))
    return {update.measure_id: update for update in rows}


def latest_submitted(measure: Measure, up_to: Quarter | None = None) -> StatusUpdate | None:
    """The measure's latest submitted update (in or before `up_to`)."""
    query = select(StatusUpdate).where(StatusUpdate.measure_id == measure.id, StatusUpdate.submitted_dt.is_not(None))
    if up_to is not None:
        query = query.where(_up_to(up_to))
    return db.session.scalars(query.order_by(StatusUpdate.year.desc(), StatusUpdate.quarter.desc()).limit(1)).first()


def updates_for(measure: Measure) -> list[StatusUpdate]:
    """All updates of a measure, newest quarter first (drafts included)."""
    query = select(StatusUpdate).where(StatusUpdate.measure_id == measure.id)
    return list(db.session.scalars(query.order_by(StatusUpdate.year.desc(), StatusUpdate.quarter.desc())))


def submitted_measure_ids(measure_ids: list[int], quarter: Quarter) -> set[int]:
    """Of the given measures, those with a submitted update for the quarter."""
    if not measure_ids:
        return set()
    in_the_quarter = in_quarter(StatusUpdate.year, StatusUpdate.quarter, quarter)
    query = select(StatusUpdate.measure_id).where(
        StatusUpdate.measure_id.in_(measure_ids), in_the_quarter, StatusUpdate.submitted_dt.is_not(None)
    )
    return set(db.session.scalars(query))


def update_for(measure: Measure, quarter: Quarter) -> StatusUpdate | None:
    in_the_quarter = in_quarter(StatusUpdate.year, StatusUpdate.quarter, quarter)
    return db.session.scalar(select(StatusUpdate).where(StatusUpdate.measure_id == measure.id, in_the_quarter))


def save_update(
    measure: Measure, quarter: Quarter, actor, values: dict, submit: bool = False, seen_version: int | None = None
) -> StatusUpdate:
    """Save the owner's update for a quarter as a draft, or submit it; a submitted one is frozen.

    `seen_version` is the version the form showed (0: no update yet); a save made from another one,
    or a first save racing another first save, is an EditConflict.
    """
    require_measure_edit(actor, measure, "status_update.edit")
    if values.get("confidence") not in confidence.LEVELS:
        raise UpdateError("Velg leveransesikkerhet.")
    if quarter > current_quarter():
        raise UpdateError(f"{quarter.label} har ikke begynt ennå; statusrapporten kan leveres fra kvartalets start.")
    _check_quarter(measure.programme, quarter)
    check_texts(values, UPDATE_TEXTS, UpdateError)
    update = update_for(measure, quarter)
    # Before the frozen check: a form overtaken by someone else's submission shows what they sent.
    check_version(update, seen_version)
    if update is not None and update.is_submitted:
        raise UpdateError(f"Statusrapporten for {quarter.label} er sendt inn og kan ikke endres.")
    is_new = update is None
    if is_new:
        update = StatusUpdate(measure=measure, year=quarter.year, quarter=quarter.number, author_id=actor.id)
        db.session.add(update)
    values = {**values, "decisions_audience": _decisions_audience(values.get("decisions_audience"))}
    names = ("confidence", *TEXT_FIELDS, "decisions_audience")
    changes = audit.diff(
        {name: getattr(update, name) for name in names}, {name: values.get(name) or "" for name in names}
    )
    for name in names:
        setattr(update, name, values.get(name) or "")
    update.author_id = actor.id
    if submit:
        update.submitted_dt = utcnow()
    flush_or_conflict(db.session)
    action = "status_update.submit" if submit else ("status_update.create" if is_new else "status_update.edit")
    audit.record(action, user=actor, obj=update, measure_id=measure.id, changes=changes or None)
    return update


def _decisions_audience(value: str | None) -> str:
    """Who must decide: one of DECISION_AUDIENCES, ledergruppe when not given."""
    if not value:
        return DECISION_LEDERGRUPPE
    if value not in DECISION_AUDIENCES:
        message = "Velg hvem som må beslutte."
        raise UpdateError(message, {"decisions_audience": message})
    return value


def add_comment(update: StatusUpdate, actor, body: str) -> UpdateComment:
    """A ledergruppe member comments on a submitted update."""
    require_comment(actor, "status_update.comment", update.measure)
    if not update.is_submitted:
        raise UpdateError("Bare innsendte statusrapporter kan kommenteres.")
    check_texts({"body": body}, UPDATE_TEXTS, UpdateError)
    comment = UpdateComment(update=update, author_id=actor.id, body=body.strip())
    db.session.add(comment)
    db.session.flush()
    audit.record("status_update.comment", user=actor, obj=comment, measure_id=update.measure_id)
    return comment


def mark_reviewed(update: StatusUpdate, actor) -> None:
    """Ledergruppe marks a submitted update as reviewed (once)."""
    require_comment(actor, "status_update.review", update.measure)
    if not update.is_submitted:
        raise UpdateError("Bare innsendte statusrapporter kan merkes som gjennomgått.")
    review_audited(update, actor, "status_update.review")


# --- reporting rounds ------------------------------------------------------------------------


def reporting_measures(programme: Programme) -> list[Measure]:
    """Measures whose owners report each quarter: all that count, except completed ones."""
    query = select(Measure).where(Measure.programme_id == programme.id).order_by(Measure.sort_key)
    return [m for m in db.session.scalars(query) if reports_status_updates(m.status)]


def _check_quarter(programme: Programme, quarter: Quarter) -> None:
    message = quarter_outside_programme(quarter, programme.start_year, programme.end_year)
    if message:
        raise UpdateError(message, {"quarter": message})


def create_round(programme: Programme, quarter: Quarter, deadline_date: date, actor) -> ReportingRound:
    """Open a round (an admin, or SYSTEM from the command line); one per programme and quarter."""
    require_admin(actor, "reporting_round.create")
    require_open(programme)
    _check_quarter(programme, quarter)
    try:
        checked_date(deadline_date)
    except ValueError as exc:
        raise UpdateError(str(exc), {"deadline_date": str(exc)}) from exc
    if round_for(programme, quarter) is not None:
        message = f"Det finnes allerede en rapporteringsrunde for {quarter.label}."
        raise UpdateError(message, {"quarter": message})
    reporting_round = ReportingRound(
        programme_id=programme.id, year=quarter.year, quarter=quarter.number, deadline_date=deadline_date
    )
    db.session.add(reporting_round)
    flush_or_conflict(db.session)  # the same round opened at the same moment: a conflict, not a 500
    audit.record("reporting_round.create", user=actor, obj=reporting_round, changes={"deadline": deadline_date})
    return reporting_round


def round_for(programme: Programme, quarter: Quarter) -> ReportingRound | None:
    in_the_quarter = in_quarter(ReportingRound.year, ReportingRound.quarter, quarter)
    return db.session.scalar(select(ReportingRound).where(ReportingRound.programme_id == programme.id, in_the_quarter))


def rounds(programme: Programme) -> list[ReportingRound]:
    query = select(ReportingRound).where(ReportingRound.programme_id == programme.id)
    return list(db.session.scalars(query.order_by(ReportingRound.year.desc(), ReportingRound.quarter.desc())))


@dataclass(frozen=True)
class RoundRow:
    measure: Measure
    update: StatusUpdate | None

    @property
    def state(self) -> str:
        if self.update is None:
            return "mangler"
        return "levert" if self.update.is_submitted else "utkast"


def round_overview(reporting_round: ReportingRound) -> list[RoundRow]:
    """Who has submitted: one row per reporting measure with its update for the round's quarter."""
    programme = db.session.get(Programme, reporting_round.programme_id)
    measures = reporting_measures(programme)
    found = db.session.scalars(
        select(StatusUpdate).where(
            StatusUpdate.measure_id.in_([m.id for m in measures]),
            StatusUpdate.year == reporting_round.year,
            StatusUpdate.quarter == reporting_round.quarter,
        )
    )
    by_measure = {update.measure_id: update for update in found}
    return [RoundRow(measure, by_measure.get(measure.id)) for measure in measures]


def reminded_owner_ids(reporting_round: ReportingRound) -> set[int]:
    """Owners who have had this round's reminder."""
    query = select(ReminderSent.owner_id).where(ReminderSent.round_id == reporting_round.id)
    return set(db.session.scalars(query))


def missing_by_owner(reporting_round: ReportingRound) -> dict[int, list[str]]:
    """Owner id → codes of their measures still without a submitted update in the round."""
    missing: dict[int, list[str]] = {}
    for row in round_overview(reporting_round):
        if row.state != "levert" and row.measure.owner_id is not None:
            missing.setdefault(row.measure.owner_id, []).append(f"{row.measure.code} {row.measure.title}")
    return missing


@dataclass(frozen=True)
class Unremindable:
    """Who a round's reminder cannot reach: owners still missing an update without an e-mail address (or
    disabled), and the measures without an owner."""

    owners: list[tuple[User, list[str]]]
    without_owner: list[str]


def unremindable(reporting_round: ReportingRound) -> Unremindable:
    """Owners still missing an update whom no reminder can reach, and missing measures nobody owns."""
    missing = [
        (db.session.get(User, owner_id), measures) for owner_id, measures in missing_by_owner(reporting_round).items()
    ]
    owners = [(owner, measures) for owner, measures in missing if not owner.email or not owner.is_enabled]
    without_owner = [
        f"{row.measure.code} {row.measure.title}"
        for row in round_overview(reporting_round)
        if row.state != "levert" and row.measure.owner_id is None
    ]
    return Unremindable(sorted(owners, key=lambda item: item[0].display_name.casefold()), without_owner)


def _reminder_mail(reporting_round: ReportingRound, owner: User, measures: list[str], base_url: str) -> Mail:
    lines = [
        f"Hei {owner.display_name},",
        "",
        f"Statusrapporten for {reporting_round.period.label} skal leveres innen "
        f"{format_date(reporting_round.deadline_date)}. Vi mangler rapport for:",
        "",
        *[f"  - {text}" for text in measures],
        "",
        f"Skriv rapporten i Tiltaksporteføljen: {base_url.rstrip('/')}/oppfolging/runder/{reporting_round.id}",
    ]
    return Mail(
        to=(owner.email,),
        subject=f"Påminnelse: statusrapport for {reporting_round.period.label}",
        body="\n".join(lines),
        message_id=f"<reminder-{reporting_round.id}-{owner.id}@tracker>",
    )


def _send_one(round_id: int, owner_id: int, measures: list[str], config, actor) -> bool:
    """Claim the (round, owner) row, send, commit; False when already claimed or sending failed."""
    reporting_round, owner = db.session.get(ReportingRound, round_id), db.session.get(User, owner_id)
    db.session.add(ReminderSent(round_id=round_id, owner_id=owner_id, email=owner.email))
    try:
        # The unique (round, owner) row is the guard: a second run (or process) stops here.
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    audit.record("status_update.reminder", user=actor, obj=reporting_round, changes={"owner": owner.username})
    try:
        send_mails(config, [_reminder_mail(reporting_round, owner, measures, config.get("BASE_URL", ""))])
    except (smtplib.SMTPException, OSError):
        # Not committed: the claim is released and the next run tries again.
        db.session.rollback()
        log.exception("Reminder to %s for round %s failed", owner.email, round_id)
        return False
    db.session.commit()
    return True


def due_rounds(today: date, lead_days: int) -> list[ReportingRound]:
    """Rounds whose reminder window (lead_days before the deadline up to the deadline) holds today;
    none of a closed programme (nothing can be reported there)."""
    window = ReportingRound.deadline_date.between(today, today + timedelta(days=lead_days))
    query = select(ReportingRound).join(Programme, Programme.id == ReportingRound.programme_id)
    query = query.where(window, Programme.is_closed.is_(False))
    return list(db.session.scalars(query.order_by(ReportingRound.id)))


def send_due_reminders(today: date, actor) -> int:
    """Scheduler job: remind each owner still missing an update, once per owner and round.

    Commits per owner (it is the outermost caller): each reminder is a write transaction of its
    own (BEGIN IMMEDIATE on SQLite), the reads before them take no lock. Returns the mails sent.
    """
    require_actor(actor)
    config = current_app.config
    owed = []
    for reporting_round in due_rounds(today, int(config["REMINDER_DAYS_BEFORE_DEADLINE"])):
        already = reminded_owner_ids(reporting_round)
        for owner_id, measures in missing_by_owner(reporting_round).items():
            owner = db.session.get(User, owner_id)
            if owner_id not in already and owner.email and owner.is_enabled:
                owed.append((reporting_round.id, owner_id, measures))
    db.session.commit()  # end the reads: write_transaction() starts a transaction of its own
    sent = 0
    for round_id, owner_id, measures in owed:
        with write_transaction():
            sent += _send_one(round_id, owner_id, measures, config, actor)
    return sent
