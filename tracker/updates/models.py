"""Status updates per measure and quarter, reporting rounds, comments and sent reminders."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.accounts.models import User
from tracker.database import TimestampMixin, UTCDateTime, VersionMixin, utcnow
from tracker.extensions import db
from tracker.periods import Quarter
from tracker.portfolio.models import Measure

# Who an owner asks for a decision: kommunedirektørens ledergruppe, the politicians or AMU.
DECISION_LEDERGRUPPE, DECISION_POLITICIANS, DECISION_AMU = "ledergruppe", "politikere", "amu"
DECISION_AUDIENCES = (DECISION_LEDERGRUPPE, DECISION_POLITICIANS, DECISION_AMU)
DECISION_AUDIENCE_LABELS = {
    DECISION_LEDERGRUPPE: "Ledergruppen",
    DECISION_POLITICIANS: "Politikerne",
    DECISION_AMU: "AMU",
}


class StatusUpdate(VersionMixin, TimestampMixin, db.Model):
    """The owner's quarterly status for one measure; frozen once `submitted_dt` is set."""

    __tablename__ = "status_updates"
    __table_args__ = (UniqueConstraint("measure_id", "year", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    # One of tracker.confidence.LEVELS.
    confidence: Mapped[str] = mapped_column(String(20))
    confidence_justification: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[str] = mapped_column(Text, default="")
    corrective_actions: Mapped[str] = mapped_column(Text, default="")
    decisions_needed: Mapped[str] = mapped_column(Text, default="")
    # Who must decide what `decisions_needed` asks: one of DECISION_AUDIENCES.
    decisions_audience: Mapped[str] = mapped_column(
        String(20), default=DECISION_LEDERGRUPPE, server_default=DECISION_LEDERGRUPPE
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    measure: Mapped[Measure] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    comments: Mapped[list["UpdateComment"]] = relationship(
        back_populates="update", cascade="all, delete-orphan", order_by="UpdateComment.id"
    )

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    @property
    def decisions_audience_label(self) -> str:
        return DECISION_AUDIENCE_LABELS.get(self.decisions_audience, self.decisions_audience)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_dt is not None

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_dt is not None

    @property
    def audit_label(self) -> str:
        return f"{self.measure.code} {self.period.key}" if self.measure else self.period.key


class UpdateComment(db.Model):
    """A ledergruppe member's comment on a submitted status update."""

    __tablename__ = "update_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("status_updates.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    update: Mapped[StatusUpdate] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()

    @property
    def measure_id(self) -> int | None:
        return self.update.measure_id if self.update else None


class ReportingRound(db.Model):
    """One quarter's reporting round: every owner submits a status update by the deadline."""

    __tablename__ = "reporting_rounds"
    __table_args__ = (UniqueConstraint("programme_id", "year", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    deadline_date: Mapped[date] = mapped_column(Date)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    @property
    def audit_label(self) -> str:
        return f"Rapporteringsrunde {self.period.key}"


class ReminderSent(db.Model):
    """The guard that sends a reminder once per owner and round: claimed before sending."""

    __tablename__ = "update_reminders"
    __table_args__ = (UniqueConstraint("round_id", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("reporting_rounds.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    sent_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
