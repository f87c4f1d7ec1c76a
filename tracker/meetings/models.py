"""Ledergruppe meetings: the agenda's items and what was decided or followed up on each."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.accounts.models import User
from tracker.database import TimestampMixin, UTCDateTime, VersionMixin
from tracker.extensions import db
from tracker.meetings import rules
from tracker.portfolio.models import Measure


class Meeting(VersionMixin, TimestampMixin, db.Model):
    """One meeting of kommunedirektørens ledergruppe on the programme."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    meeting_date: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200), default=rules.DEFAULT_TITLE)
    attendees: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship()
    items: Mapped[list["MeetingItem"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingItem.position"
    )

    @property
    def audit_label(self) -> str:
        return f"{self.title} {self.meeting_date.strftime('%d.%m.%Y')}"


class MeetingItem(VersionMixin, TimestampMixin, db.Model):
    """An item on a meeting's agenda, taken from the work queue, with its outcome once recorded.

    `subject_key` names what the item is about ("avvik:12:2026:2026-Q4", tracker.meetings.rules);
    title, detail and link are what the queue said when the item was put on the agenda, kept as the
    minutes' record even when the measure changes later.
    """

    __tablename__ = "meeting_items"
    __table_args__ = (UniqueConstraint("meeting_id", "subject_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(30))
    subject_key: Mapped[str] = mapped_column(String(120), index=True)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measures.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    # One of rules.OUTCOMES once recorded; "" while the item waits for the meeting.
    outcome: Mapped[str] = mapped_column(String(20), default="")
    decision: Mapped[str] = mapped_column(Text, default="")
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_date: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A follow-up is open until it is marked done (or handled again in a later meeting).
    done_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    measure: Mapped[Measure | None] = relationship()
    responsible: Mapped[User | None] = relationship(foreign_keys=[responsible_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])

    @property
    def is_recorded(self) -> bool:
        return bool(self.outcome)

    @property
    def is_open_followup(self) -> bool:
        return self.outcome == rules.FOLLOW_UP and self.done_dt is None

    @property
    def outcome_label(self) -> str:
        return rules.OUTCOME_LABELS.get(self.outcome, "Ikke behandlet")

    @property
    def kind_label(self) -> str:
        return rules.KIND_LABELS.get(self.kind, self.kind)

    @property
    def audit_label(self) -> str:
        return self.title[:300]
