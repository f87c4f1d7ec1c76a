"""Milestones: import from the data file, create, edit, mark done, and state as of a date."""

from datetime import date

from sqlalchemy import select

from tracker.accounts.permissions import require_actor, require_measure_edit
from tracker.audit import services as audit
from tracker.audit.edits import add_audited, change_audited
from tracker.database import check_version
from tracker.extensions import db
from tracker.milestones import rules
from tracker.milestones.models import SOURCE_MANUAL, Milestone, MilestoneTombstone
from tracker.periods import checked_date
from tracker.portfolio.models import Measure
from tracker.text import NAME, TextError, check_texts, line, lines

EDITABLE = ("title", "responsible", "due_date", "done_date", "when_text")
# The data file's milestone texts ("what", up to 2000 characters) become titles, so the same rules hold.
TEXTS = {"title": lines(2000), "responsible": NAME, "when_text": line(200), "source": line(20)}


def check_milestone(values: dict) -> None:
    """Refuse texts beyond their rules and dates outside 1900-2100 (TextError, by field)."""
    check_texts(values, TEXTS)
    for name in ("due_date", "done_date"):
        if values.get(name) is not None:
            try:
                checked_date(values[name])
            except ValueError as exc:
                raise TextError(str(exc), {name: str(exc)}) from exc


def milestones_for(measure: Measure) -> list[Milestone]:
    """A measure's milestones: by current due date (undated last), then import order."""
    rows = db.session.scalars(select(Milestone).where(Milestone.measure_id == measure.id))
    return sorted(rows, key=lambda m: (m.due_date is None, m.due_date or date.max, m.sort_order, m.id))


def _parse_iso(text) -> date | None:
    if not text:
        return None
    return date.fromisoformat(str(text))


def programme_milestones(programme_id: int) -> dict[int, list[Milestone]]:
    """Measure id → its milestones in `milestones_for` order, for a whole programme in one query."""
    rows = db.session.scalars(select(Milestone).join(Measure).where(Measure.programme_id == programme_id))
    found: dict[int, list[Milestone]] = {}
    for milestone in sorted(rows, key=lambda m: (m.due_date is None, m.due_date or date.max, m.sort_order, m.id)):
        found.setdefault(milestone.measure_id, []).append(milestone)
    return found


def deleted_titles(measure: Measure) -> set[str]:
    """The titles of the measure's milestones deleted in the tracker (their tombstones)."""
    return set(db.session.scalars(select(MilestoneTombstone.title).where(MilestoneTombstone.measure_id == measure.id)))


def _new_milestone(measure: Measure, item: dict, title: str, index: int) -> Milestone:
    due = _parse_iso(item.get("due_date"))
    return Milestone(
        measure_id=measure.id,
        title=title,
        import_title=title,
        when_text=item.get("when_text") or None,
        baseline_due_date=_parse_iso(item.get("baseline_due_date")) or due,
        due_date=due,
        done_date=_parse_iso(item.get("done_date")),
        responsible=str(item.get("responsible") or ""),
        source=str(item.get("source") or "plan"),
        sort_order=index,
    )


def import_milestones(measure: Measure, items: list[dict], actor) -> int:
    """Add the file's milestones not yet present (matched by title); returns how many.

    Idempotent: a milestone already there (by current or imported title) is left as it is, since
    its dates are the owner's to keep, and one deleted in the tracker (a tombstone) stays deleted.
    The data file has no done dates (the report states no progress); the Excel export has.
    """
    require_actor(actor)
    if measure.id is None:
        db.session.flush()
    existing = deleted_titles(measure)
    for milestone in milestones_for(measure):
        existing.update({milestone.title, milestone.import_title} - {None})
    created = 0
    for index, item in enumerate(items or []):
        title = str((item or {}).get("what") or "").strip()
        if not title or title in existing:
            continue
        db.session.add(_new_milestone(measure, item, title, index))
        existing.add(title)
        created += 1
    if created:
        audit.record(
            "milestones.import", user=actor, obj=measure, changes={"milestones": {"old": None, "new": created}}
        )
    return created


def create_milestone(measure: Measure, actor, values: dict) -> Milestone:
    """A new milestone; its first due date becomes the baseline."""
    require_measure_edit(actor, measure, "milestone.create")
    check_milestone(values)
    count = len(milestones_for(measure))
    milestone = Milestone(
        measure_id=measure.id, source=SOURCE_MANUAL, sort_order=count, baseline_due_date=values.get("due_date")
    )
    for name in EDITABLE:
        if name in values:
            setattr(milestone, name, values[name])
    add_audited(milestone, actor, "milestone.create", measure.id, values)
    return milestone


def update_milestone(milestone: Milestone, actor, values: dict, seen_version: int | None = None) -> dict:
    """Change a milestone; moving the due date keeps the baseline (set once).

    `seen_version` is the version the form showed: a save made from an older one is an EditConflict.
    """
    require_measure_edit(actor, milestone.measure, "milestone.edit")
    check_milestone(values)
    check_version(milestone, seen_version)
    before = {name: getattr(milestone, name) for name in EDITABLE if name in values}
    if milestone.baseline_due_date is None and milestone.due_date is None and values.get("due_date"):
        milestone.baseline_due_date = values["due_date"]
    return change_audited(milestone, actor, "milestone.edit", before, {name: values[name] for name in before})


def delete_milestone(milestone: Milestone, actor) -> None:
    """Delete a milestone, leaving a tombstone so a later import does not bring it back."""
    require_measure_edit(actor, milestone.measure, "milestone.delete")
    audit.record(
        "milestone.delete", user=actor, obj=milestone, measure_id=milestone.measure_id, changes=audit.deleted(milestone)
    )
    known = deleted_titles(milestone.measure)
    for title in sorted({milestone.title, milestone.import_title} - {None} - known):
        db.session.add(MilestoneTombstone(measure_id=milestone.measure_id, title=title))
    db.session.delete(milestone)


def milestone_rows(measure: Measure, today: date) -> list[dict]:
    """Plain rows with the state as of `today` (for `measures show`, the panel and reports)."""
    return [
        {
            "title": m.title,
            "when_text": m.when_text,
            "responsible": m.responsible,
            "baseline_due_date": m.baseline_due_date.isoformat() if m.baseline_due_date else None,
            "due_date": m.due_date.isoformat() if m.due_date else None,
            "done_date": m.done_date.isoformat() if m.done_date else None,
            "state": m.state(today),
        }
        for m in milestones_for(measure)
    ]


def late_measure_ids(measure_ids: list[int] | None, today: date) -> set[int]:
    """Ids of measures (of those given, or all) with at least one late milestone as of `today`."""
    query = select(Milestone.measure_id, Milestone.due_date, Milestone.done_date).where(Milestone.due_date < today)
    if measure_ids is not None:
        query = query.where(Milestone.measure_id.in_(measure_ids))
    return {
        measure_id for measure_id, due, done in db.session.execute(query) if rules.state(due, done, today) == rules.LATE
    }


def late_milestones(programme_id: int, today: date) -> list[Milestone]:
    """The programme's milestones that are late as of `today`, by due date."""
    query = (
        select(Milestone)
        .join(Measure, Measure.id == Milestone.measure_id)
        .where(Measure.programme_id == programme_id, Milestone.due_date < today)
        .order_by(Milestone.due_date, Milestone.id)
    )
    return [m for m in db.session.scalars(query) if m.state(today) == rules.LATE]
