"""Meetings of ledergruppe: create, put queue items on the agenda, record outcomes, close follow-ups.

Ledergruppe and admin manage meetings (SYSTEM too); everyone else reads. A closed programme's
meetings are read-only (ReadOnlyError, as every write to a closed programme). Every change is audited:
the minutes are the meeting items' recorded outcomes, and the audit trail keeps each change to them.
Services add and flush; the view commits once.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tracker.accounts.models import ROLE_ADMIN, ROLE_LEDERGRUPPE, User
from tracker.accounts.permissions import SystemActor, has_role, require_actor, require_role
from tracker.audit import services as audit
from tracker.database import check_version, flush_or_conflict, utcnow
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.meetings import rules
from tracker.meetings.models import Meeting, MeetingItem
from tracker.meetings.queue import work_queue
from tracker.portfolio.models import Programme
from tracker.portfolio.read_only import require_open
from tracker.text import NAME, NOTE, check_texts, lines
from tracker.updates import services as updates
from tracker.updates.models import StatusUpdate

MANAGERS = (ROLE_ADMIN, ROLE_LEDERGRUPPE)
MEETING_FIELDS = ("meeting_date", "title", "attendees", "notes")
# The limits of a meeting's texts and of an outcome: the forms and these services refuse the same.
MEETING_TEXTS = {"title": NAME, "attendees": lines(2000), "notes": lines(8000)}
OUTCOME_TEXTS = {"decision": NOTE}


class MeetingError(ServiceError):
    """A meeting change the rules refuse, with Norwegian messages by field."""


def can_manage(actor) -> bool:
    """Ledergruppe and admin (and SYSTEM) hold meetings; readers and owners read them."""
    return has_role(actor, MANAGERS)


def can_change(actor, programme: Programme) -> bool:
    """Whether the pages offer the actor the meeting buttons: a manager, on a programme not closed."""
    return can_manage(actor) and not programme.is_closed


def _require_manage(actor, action: str, meeting: Meeting | None = None) -> None:
    require_actor(actor)
    require_role(actor, MANAGERS, action, meeting)
    if meeting is not None:
        require_open(meeting_programme(meeting))


def create_meeting(
    programme: Programme, meeting_date: date, title: str, attendees: str, actor: User | SystemActor
) -> Meeting:
    """A new meeting of ledergruppe on the programme, with an empty agenda."""
    _require_manage(actor, "meeting.create")
    require_open(programme)
    check_texts({"title": title, "attendees": attendees}, MEETING_TEXTS, MeetingError)
    meeting = Meeting(
        programme_id=programme.id,
        meeting_date=meeting_date,
        title=(title or "").strip() or rules.DEFAULT_TITLE,
        attendees=(attendees or "").strip(),
        created_by_id=actor.id,
    )
    db.session.add(meeting)
    db.session.flush()
    audit.record("meeting.create", user=actor, obj=meeting, changes=audit.diff({}, _values(meeting)))
    return meeting


def _values(meeting: Meeting) -> dict:
    return {name: getattr(meeting, name) for name in MEETING_FIELDS}


def update_meeting(meeting: Meeting, values: dict, actor: User | SystemActor, seen_version: int | None = None) -> dict:
    """Change a meeting's date, title, attendees or notes; returns the audited changes.

    `seen_version` is the version the form showed: a save made from another one is an EditConflict.
    """
    _require_manage(actor, "meeting.edit", meeting)
    check_version(meeting, seen_version)
    check_texts(values, MEETING_TEXTS, MeetingError)
    after = {name: values[name].strip() if isinstance(values[name], str) else values[name] for name in MEETING_FIELDS}
    after["title"] = after["title"] or rules.DEFAULT_TITLE
    changes = audit.diff(_values(meeting), after)
    for name in changes:
        setattr(meeting, name, after[name])
    if changes:
        flush_or_conflict(db.session)
        audit.record("meeting.edit", user=actor, obj=meeting, changes=changes)
    return changes


def add_to_agenda(meeting: Meeting, keys: Iterable[str], today: date, actor: User | SystemActor) -> list[MeetingItem]:
    """Put the queue's items with these keys on the agenda, as the queue words them today.

    Items already on this agenda are left as they are; a key no longer in the queue is refused.
    """
    _require_manage(actor, "meeting.agenda", meeting)
    wanted = list(dict.fromkeys(keys))
    queue = {item.key: item for item in work_queue(meeting_programme(meeting), today).items}
    unknown = [key for key in wanted if key not in queue]
    if unknown:
        raise MeetingError(rules.NOT_IN_QUEUE, {"keys": rules.NOT_IN_QUEUE})
    present = {item.subject_key for item in meeting.items}
    position = max((item.position for item in meeting.items), default=0)
    added = []
    for key in wanted:
        if key in present:
            continue
        position += 1
        added.append(_agenda_item(meeting, queue[key], position))
    db.session.flush()
    if added:
        audit.record("meeting.agenda", user=actor, obj=meeting, changes={"items": [i.subject_key for i in added]})
    return added


def meeting_programme(meeting: Meeting) -> Programme:
    return db.session.get(Programme, meeting.programme_id)


def _agenda_item(meeting: Meeting, queued: rules.QueueItem, position: int) -> MeetingItem:
    item = MeetingItem(
        position=position,
        kind=queued.kind,
        subject_key=queued.key,
        measure_id=queued.measure_id,
        title=f"{queued.subject}: {queued.title}" if queued.subject else queued.title,
        detail=queued.detail,
        link=queued.href,
    )
    meeting.items.append(item)
    return item


def remove_from_agenda(item: MeetingItem, actor: User | SystemActor) -> None:
    """Take an item off the agenda before anything is recorded on it."""
    _require_manage(actor, "meeting.agenda_remove", item.meeting)
    if item.is_recorded:
        message = "Saken har et registrert utfall og står i referatet; den kan ikke fjernes."
        raise MeetingError(message, {"item": message})
    audit.record("meeting.agenda_remove", user=actor, obj=item.meeting, changes={"items": [item.subject_key]})
    item.meeting.items.remove(item)
    flush_or_conflict(db.session)


@dataclass(frozen=True)
class OutcomeInput:
    outcome: str
    decision: str
    responsible_id: int | None = None
    due_date: date | None = None


def _outcome_values(item: MeetingItem) -> dict:
    return {
        "outcome": item.outcome,
        "decision": item.decision,
        "responsible_id": item.responsible_id,
        "due_date": item.due_date,
    }


def record_outcome(
    item: MeetingItem, data: OutcomeInput, actor: User | SystemActor, seen_version: int | None = None
) -> dict:
    """Record what the meeting decided on an item (or who follows it up, by when); returns the changes.

    A decision on a status update also marks it reviewed; an outcome on a follow-up from an earlier
    meeting closes that follow-up. `seen_version` is the item's version the form showed (EditConflict
    when another save came first).
    """
    _require_manage(actor, "meeting.record", item.meeting)
    check_version(item, seen_version)
    check_texts({"decision": data.decision}, OUTCOME_TEXTS, MeetingError)
    errors = rules.check_outcome(data.outcome, data.decision, data.responsible_id, data.due_date)
    if data.responsible_id is not None and db.session.get(User, data.responsible_id) is None:
        errors["responsible"] = "Velg en bruker som finnes."
    if errors:
        raise MeetingError("Utfallet ble ikke lagret.", errors)
    is_follow_up = data.outcome == rules.FOLLOW_UP_OUTCOME
    after = {
        "outcome": data.outcome,
        "decision": data.decision.strip(),
        "responsible_id": data.responsible_id if is_follow_up else None,
        "due_date": data.due_date if is_follow_up else None,
    }
    changes = audit.diff(_outcome_values(item), after)
    if not changes:
        return {}
    for name, value in after.items():
        setattr(item, name, value)
    item.recorded_by_id, item.recorded_dt = actor.id, utcnow()
    item.done_dt = item.done_by_id = None
    _settle_subject(item, actor)
    flush_or_conflict(db.session)
    audit.record("meeting.record", user=actor, obj=item, measure_id=item.measure_id, changes=changes)
    return changes


def _settle_subject(item: MeetingItem, actor: User | SystemActor) -> None:
    """What handling the item in a meeting settles outside the minutes."""
    kind, record_id = rules.key_kind(item.subject_key), rules.key_id(item.subject_key)
    if kind in (rules.REVIEW, rules.DECISION) and record_id is not None:
        update = db.session.get(StatusUpdate, record_id)
        if update is not None:
            updates.mark_reviewed(update, actor)
    if kind == rules.FOLLOW_UP and record_id is not None:
        earlier = db.session.get(MeetingItem, record_id)
        if earlier is not None and earlier.is_open_followup:
            close_followup(earlier, actor)


def close_followup(item: MeetingItem, actor: User | SystemActor) -> None:
    """Mark a follow-up done: it no longer comes back to the next meeting."""
    _require_manage(actor, "meeting.followup_done", item.meeting)
    if not item.is_open_followup:
        message = "Saken er ikke en åpen oppfølging."
        raise MeetingError(message, {"item": message})
    item.done_dt, item.done_by_id = utcnow(), actor.id
    flush_or_conflict(db.session)
    audit.record(
        "meeting.followup_done",
        user=actor,
        obj=item,
        measure_id=item.measure_id,
        changes={"done": {"old": False, "new": True}},
    )
