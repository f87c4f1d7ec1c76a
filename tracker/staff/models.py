"""Consequences for employees of one measure: what AMU needs to see."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import TimestampMixin, VersionMixin
from tracker.extensions import db
from tracker.portfolio.models import Measure


class EmployeeConsequence(VersionMixin, TimestampMixin, db.Model):
    """One row per measure. Årsverk changes are negative for reductions, like the report."""

    __tablename__ = "employee_consequences"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), unique=True)
    affected_units: Mapped[str] = mapped_column(Text, default="")
    affected_employees: Mapped[int | None] = mapped_column(Integer)
    fte_change_planned: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    fte_change_realised: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    # How the planned change is taken out, in årsverk (each ≥ 0).
    fte_by_attrition: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    fte_by_redeployment: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    fte_by_downsizing: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    union_consultation_date: Mapped[date | None] = mapped_column(Date)
    is_safety_rep_involved: Mapped[bool] = mapped_column(Boolean, default=False)
    work_env_assessment_date: Mapped[date | None] = mapped_column(Date)
    work_env_assessment_summary: Mapped[str] = mapped_column(Text, default="")

    measure: Mapped[Measure] = relationship()

    @property
    def is_work_env_assessed(self) -> bool:
        return self.work_env_assessment_date is not None

    @property
    def audit_label(self) -> str:
        return f"Ansattkonsekvenser {self.measure.code}" if self.measure else "Ansattkonsekvenser"
