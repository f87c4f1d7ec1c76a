"""What the ledergruppe pages show: the work queue, a meeting with its agenda and minutes, the decision log."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask import render_template
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from tracker.meetings import document, queries, rules
from tracker.meetings.forms import AgendaForm, MeetingForm, OutcomeForm
from tracker.meetings.models import Meeting, MeetingItem
from tracker.meetings.queue import WorkQueue, work_queue
from tracker.meetings.services import can_change, meeting_programme
from tracker.periods import format_date, format_datetime, today_oslo
from tracker.portfolio.lookups import example_data_flag
from tracker.portfolio.models import Programme
from tracker.readmodel.cache import cached
from tracker.web.forms import ConfirmForm
from tracker.web.paging import page_link, page_of

PREVIEW_ITEMS = 6


@dataclass(frozen=True)
class QueueGroup:
    kind: str
    label: str
    items: tuple[rules.QueueItem, ...]
    # Items of this kind in the whole queue (a page may show some of them).
    count: int


def groups(queue: WorkQueue, items: Sequence[rules.QueueItem] | None = None) -> list[QueueGroup]:
    """The items (a page of the queue; all by default) by kind, in the queue's order, with each kind's total."""
    items = queue.items if items is None else items
    found = [
        QueueGroup(kind, label, tuple(item for item in items if item.kind == kind), count)
        for kind, label, count in queue.counts()
    ]
    return [group for group in found if group.items]


def meeting_label(meeting: Meeting) -> str:
    return f"{meeting.title} {format_date(meeting.meeting_date)}"


def agenda_form(programme: Programme, queue: WorkQueue, today: date, formdata=None) -> AgendaForm:
    form = AgendaForm(formdata=formdata) if formdata is not None else AgendaForm()
    form.meeting.choices = [
        SelectChoice(m.id, meeting_label(m)) for m in queries.upcoming_meetings(programme.id, today)
    ]
    # One choice per item of the whole queue (thousands at 5 000 measures): made once per queue.
    form.keys.choices = cached(("work_queue_choices", programme.id, today), lambda: _key_choices(queue))
    return form


def _key_choices(queue: WorkQueue) -> tuple[SelectChoice, ...]:
    return tuple(SelectChoice(item.key, f"{item.subject}: {item.title}") for item in queue.items)


def current_queue(programme: Programme, today: date) -> WorkQueue:
    """The work queue as of `today`, computed once per programme, day and data version (tracker.readmodel).

    The day is in the key because lateness, the late milestones, the latest passed round and "on the
    agenda" follow from it; meetings, outcomes and every other write bump the data version. The
    queue does not depend on who asks: what a user may do with it is decided per request.
    """
    return cached(("work_queue", programme.id, today), lambda: work_queue(programme, today))


def queue_context(programme: Programme, actor, page: int = 1, formdata=None) -> dict:
    """The work queue a page at a time (PAGE_ROWS items), grouped by kind; any item may go on an agenda."""
    today = today_oslo()
    queue = current_queue(programme, today)
    shown = page_of(queue.items, page, page_link("meetings.queue", {}))
    form = agenda_form(programme, queue, today, formdata)
    manages = can_change(actor, programme)
    page_groups = groups(queue, shown.rows)
    return {
        "queue": queue,
        "groups": page_groups,
        "groups_html": _groups_html(programme, today, shown.number, page_groups, manages, form.keys.data),
        "page": shown,
        "form": form,
        "can_manage": manages,
        "today": today,
    }


def _groups_html(
    programme: Programme, today: date, page: int, page_groups: list[QueueGroup], selectable: bool, checked
) -> Markup:
    """The page's items by kind: rendered once per queue, page and kind of reader (a checkbox per item
    for those who may set items on an agenda), unless a rejected form has items checked."""
    checked = tuple(checked or ())
    if checked:
        return _render_groups(page_groups, selectable, checked)
    key = ("work_queue_html", programme.id, today, page, selectable)
    return cached(key, lambda: _render_groups(page_groups, selectable, ()))


def _render_groups(page_groups: list[QueueGroup], selectable: bool, checked: tuple) -> Markup:
    return Markup(
        render_template("meetings/_queue_groups.html", groups=page_groups, selectable=selectable, checked=checked)
    )


def preview(programme: Programme) -> dict:
    """The top of the queue for the dashboard, with the number of items of each kind."""
    queue = current_queue(programme, today_oslo())
    return {"items": queue.items[:PREVIEW_ITEMS], "total": len(queue.items), "counts": queue.counts()}


def preview_html(programme: Programme) -> Markup:
    """The dashboard's preview of the queue as HTML, rendered once per queue (the same for every reader)."""
    key = ("work_queue_preview_html", programme.id, today_oslo())
    return cached(key, lambda: Markup(render_template("meetings/_queue_preview_body.html", preview=preview(programme))))


# --- a meeting ---------------------------------------------------------------------------------


def user_choices() -> list[SelectChoice]:
    return [SelectChoice("", "Velg ansvarlig")] + [
        SelectChoice(user.id, user.display_name) for user in queries.enabled_users()
    ]


def outcome_form(item: MeetingItem, choices: list[SelectChoice], formdata=None) -> OutcomeForm:
    """The outcome form of one agenda item, filled with what is recorded (ids prefixed by the item)."""
    data = {
        "version": str(item.version),
        "outcome": item.outcome or None,
        "decision": item.decision,
        "responsible": item.responsible_id,
        "due_date": item.due_date,
    }
    form = OutcomeForm(formdata=formdata, data=data, prefix=f"sak{item.id}")
    form.responsible.choices = choices
    return form


def meeting_form(meeting: Meeting, formdata=None) -> MeetingForm:
    return MeetingForm(formdata=formdata, obj=meeting)


def meeting_context(meeting: Meeting, actor, forms: dict | None = None, info_form: MeetingForm | None = None) -> dict:
    """The meeting page: agenda items with their outcome forms (managers) or the minutes (readers).

    `forms` holds a rejected item's form (by item id) so it is shown with what was typed.
    """
    choices = user_choices()
    forms = forms or {}
    return {
        "meeting": meeting,
        "items": [(item, forms.get(item.id) or outcome_form(item, choices)) for item in meeting.items],
        "info_form": info_form or meeting_form(meeting),
        "confirm_form": ConfirmForm(),
        "can_manage": can_change(actor, meeting_programme(meeting)),
        "today": today_oslo(),
    }


def meetings_context(programme: Programme, actor, form: MeetingForm | None = None) -> dict:
    meetings = queries.meetings(programme.id)
    today = today_oslo()
    return {
        "upcoming": [m for m in meetings if m.meeting_date >= today][::-1],
        "past": [m for m in meetings if m.meeting_date < today],
        "form": form or MeetingForm(),
        "can_manage": can_change(actor, programme),
    }


def log_context(programme: Programme, actor) -> dict:
    items = queries.recorded_items(programme.id)
    return {
        "items": items,
        "open_followups": [item for item in items if item.is_open_followup],
        "confirm_form": ConfirmForm(),
        "can_manage": can_change(actor, programme),
        "today": today_oslo(),
    }


# --- print -------------------------------------------------------------------------------------


def _follow_up(item: MeetingItem) -> str:
    if item.outcome != rules.FOLLOW_UP_OUTCOME:
        return ""
    done = f"utført {format_datetime(item.done_dt)[:10]}" if item.done_dt else ""
    responsible = item.responsible.display_name if item.responsible else None
    return document.follow_up_text(responsible, item.due_date, done)


def meeting_document(meeting: Meeting, kind: str) -> document.MeetingDocument:
    """The agenda (document.AGENDA) or the minutes (document.MINUTES) of a meeting, for the PDF."""
    return document.MeetingDocument(
        kind=kind,
        title=meeting.title,
        programme_name=meeting_programme(meeting).name,
        meeting_label=format_date(meeting.meeting_date),
        attendees=meeting.attendees,
        notes=meeting.notes,
        is_example_data=example_data_flag(),
        items=tuple(
            document.DocumentItem(
                number=number,
                kind_label=item.kind_label,
                title=item.title,
                detail=item.detail,
                outcome_label=item.outcome_label if item.is_recorded else "",
                decision=item.decision,
                follow_up=_follow_up(item),
            )
            for number, item in enumerate(meeting.items, start=1)
        ),
    )
