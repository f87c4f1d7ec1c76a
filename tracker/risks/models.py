"""Organisational-risk indicators and assessments, and the risk register of a measure."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.accounts.models import User
from tracker.database import TimestampMixin, UTCDateTime, VersionMixin
from tracker.extensions import db
from tracker.portfolio.models import Measure
from tracker.risks import rules


class RiskIndicator(VersionMixin, db.Model):
    """One of the five indicators; admin may rename it and edit the guidance per score."""

    __tablename__ = "risk_indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # Five short texts: guidance for score 1 … 5.
    guidance: Mapped[list] = mapped_column(JSON)

    @property
    def audit_label(self) -> str:
        return self.name


class OrgRiskAssessment(TimestampMixin, db.Model):
    """A dated assessment of a measure on every indicator; kept as history."""

    __tablename__ = "org_risk_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    assessed_date: Mapped[date] = mapped_column(Date)
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    # An assessment the owner made is reviewed by ledergruppe before the measure may start (report §4.2).
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())

    measure: Mapped[Measure] = relationship()
    assessed_by: Mapped[User | None] = relationship(foreign_keys=[assessed_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    scores: Mapped[list["OrgRiskScore"]] = relationship(back_populates="assessment", cascade="all, delete-orphan")

    def scores_by_key(self) -> dict[str, int]:
        ordered = sorted(self.scores, key=lambda item: item.indicator.sort_order)
        return {item.indicator.key: item.score for item in ordered}

    def summary(self) -> rules.RiskSummary | None:
        return rules.summarise(self.scores_by_key())

    def actions_by_key(self) -> dict[str, str]:
        """Indicator key → the strengthening action written for it ("" when none)."""
        return {item.indicator.key: item.strengthening_action or "" for item in self.scores}

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_dt is not None

    @property
    def audit_label(self) -> str:
        return f"{self.measure.code} {self.assessed_date.isoformat()}" if self.measure else str(self.assessed_date)


class OrgRiskScore(db.Model):
    __tablename__ = "org_risk_scores"
    __table_args__ = (UniqueConstraint("assessment_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("org_risk_assessments.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("risk_indicators.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer)
    # "Forsterkende tiltak": what is done about a high score before the measure starts (report §4.2).
    strengthening_action: Mapped[str] = mapped_column(Text, default="", server_default="")

    assessment: Mapped[OrgRiskAssessment] = relationship(back_populates="scores")
    indicator: Mapped[RiskIndicator] = relationship(lazy="joined")


class RiskItem(VersionMixin, TimestampMixin, db.Model):
    """An uncertainty in the measure's risk register, scored before and after mitigation."""

    __tablename__ = "risk_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    probability_before: Mapped[int] = mapped_column(Integer)
    consequence_before: Mapped[int] = mapped_column(Integer)
    mitigation: Mapped[str] = mapped_column(Text, default="")
    mitigation_owner: Mapped[str] = mapped_column(String(200), default="")
    probability_after: Mapped[int | None] = mapped_column(Integer)
    consequence_after: Mapped[int | None] = mapped_column(Integer)

    measure: Mapped[Measure] = relationship()

    @property
    def score_before(self) -> int:
        return self.probability_before * self.consequence_before

    @property
    def score_after(self) -> int | None:
        if self.probability_after is None or self.consequence_after is None:
            return None
        return self.probability_after * self.consequence_after

    @property
    def level_before(self) -> str | None:
        return rules.register_level(self.probability_before, self.consequence_before)

    @property
    def level_after(self) -> str | None:
        return rules.register_level(self.probability_after, self.consequence_after)

    @property
    def audit_label(self) -> str:
        return self.description[:300]
