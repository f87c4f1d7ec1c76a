"""Archived reports, schedule claims, recipients and the mail outbox."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.accounts.models import User
from tracker.database import UTCDateTime, utcnow
from tracker.extensions import db
from tracker.periods import Quarter
from tracker.portfolio.models import Programme

AUDIENCE_POLITICIANS = "politikere"
AUDIENCE_AMU = "amu"
AUDIENCES = (AUDIENCE_POLITICIANS, AUDIENCE_AMU)
AUDIENCE_LABELS = {
    AUDIENCE_POLITICIANS: "Formannskapet og kommunestyret",
    AUDIENCE_AMU: "Arbeidsmiljøutvalget (AMU)",
}
TRIGGER_SCHEDULE = "schedule"
TRIGGER_MANUAL = "manual"
TRIGGER_LABELS = {TRIGGER_SCHEDULE: "Automatisk", TRIGGER_MANUAL: "Manuelt"}

RUN_BUILDING = "building"
RUN_BUILT = "built"
RUN_FAILED = "failed"
RUN_STATE_LABELS = {RUN_BUILDING: "bygges", RUN_BUILT: "bygget", RUN_FAILED: "feilet"}

MAIL_PENDING = "pending"
MAIL_SENDING = "sending"
MAIL_SENT = "sent"


def report_file_stem(audience: str, quarter: Quarter, version: int = 1, is_preview: bool = False) -> str:
    """A readable file name without suffix: "tiltaksrapport-amu-2026-3-kvartal-versjon-2"."""
    stem = f"tiltaksrapport-{audience}-{quarter.year}-{quarter.number}-kvartal"
    stem += f"-versjon-{version}" if version > 1 else ""
    return stem + ("-utkast" if is_preview else "")


class Report(db.Model):
    """One built report: the frozen snapshot it was rendered from, the PDF and the HTML version."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("programme_id", "period", "audience", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    audience: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    trigger: Mapped[str] = mapped_column(String(20))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    snapshot_json: Mapped[str] = mapped_column(Text)
    pdf_bytes: Mapped[bytes] = mapped_column(LargeBinary)
    html_text: Mapped[str] = mapped_column(Text)
    # A report for a quarter not yet ended ("UTKAST" on every page); never mailed by the schedule or published.
    is_preview: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Set while the report is published on the public page (offentleglova); None when not published.
    published_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    programme: Mapped[Programme] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])
    mails: Mapped[list["OutboxMail"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="OutboxMail.id"
    )

    @property
    def quarter(self) -> Quarter:
        return Quarter.parse(self.period)

    @property
    def period_label(self) -> str:
        """ "3. kvartal 2026"."""
        return self.quarter.label

    @property
    def is_published(self) -> bool:
        return self.published_dt is not None

    @property
    def file_stem(self) -> str:
        """ "tiltaksrapport-politikere-2026-3-kvartal" (later versions and drafts say so)."""
        return report_file_stem(self.audience, self.quarter, self.version, self.is_preview)

    @property
    def audit_label(self) -> str:
        return f"{self.period} {self.audience} v{self.version}"


class ReportRun(db.Model):
    """A claim by the schedule to build (period, audience), taken before building: the guard of
    exactly-once. The builder beats `heartbeat_dt` while it builds; a claim whose heartbeat (or,
    before the first beat, whose claim) is older than the stale limit may be taken over, which
    raises `attempts`: the fencing token. A builder finishes, stores and mails only while the row
    still has the `attempts` it claimed with (tracker.reports.claims)."""

    __tablename__ = "report_runs"
    __table_args__ = (UniqueConstraint("period", "audience", "trigger"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7))
    audience: Mapped[str] = mapped_column(String(20))
    trigger: Mapped[str] = mapped_column(String(20), default=TRIGGER_SCHEDULE)
    state: Mapped[str] = mapped_column(String(20), default=RUN_BUILDING)
    claimed_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    heartbeat_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    # Why the last attempt failed (Norwegian, shown in the archive); None once built.
    error: Mapped[str | None] = mapped_column(Text)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))

    @property
    def state_label(self) -> str:
        return RUN_STATE_LABELS.get(self.state, self.state)


class ReportRecipient(db.Model):
    """Who receives the reports of an audience by mail."""

    __tablename__ = "report_recipients"
    __table_args__ = (UniqueConstraint("audience", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audience: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def audit_label(self) -> str:
        return f"{self.audience}: {self.name} <{self.email}>"


class OutboxMail(db.Model):
    """One mail to send: created in the same transaction as its report, marked sent after SMTP
    accepted it. The Message-ID is fixed at creation so a resend is recognisably the same mail."""

    __tablename__ = "report_outbox"
    __table_args__ = (UniqueConstraint("report_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    state: Mapped[str] = mapped_column(String(20), default=MAIL_PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)

    report: Mapped[Report] = relationship(back_populates="mails")
