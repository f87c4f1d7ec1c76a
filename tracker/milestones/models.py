"""Milestones of a measure."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import TimestampMixin, UTCDateTime, VersionMixin, utcnow
from tracker.extensions import db
from tracker.milestones import rules
from tracker.portfolio.models import Measure

SOURCE_PLAN, SOURCE_DERIVED, SOURCE_MANUAL = "plan", "derived", "manual"


class Milestone(VersionMixin, TimestampMixin, db.Model):
    """A milestone; `baseline_due_date` keeps the first due date when the due date is moved."""

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text)
    # The report's own wording of the time ("Høst 2026"), where it gives only an approximate time.
    when_text: Mapped[str | None] = mapped_column(String(200))
    baseline_due_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    done_date: Mapped[date | None] = mapped_column(Date)
    responsible: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(20), default=SOURCE_MANUAL)
    # The title as imported, so a re-import still recognises a milestone whose title was edited.
    import_title: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    measure: Mapped[Measure] = relationship()

    def state(self, today: date) -> str:
        return rules.state(self.due_date, self.done_date, today)

    @property
    def is_moved(self) -> bool:
        return self.baseline_due_date is not None and self.due_date != self.baseline_due_date

    @property
    def audit_label(self) -> str:
        return self.title[:300]


class MilestoneTombstone(db.Model):
    """A milestone deleted in the tracker, by measure and title (current and as imported), so that
    importing the portfolio again does not bring it back. Creating it again by hand still works."""

    __tablename__ = "milestone_tombstones"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text)
    deleted_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
