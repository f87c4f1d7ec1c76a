"""KPIs of a measure and their quarterly measurements."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import TimestampMixin, VersionMixin
from tracker.extensions import db
from tracker.periods import Quarter
from tracker.portfolio.models import Measure


class Kpi(VersionMixin, TimestampMixin, db.Model):
    __tablename__ = "kpis"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(50), default="")
    # tracker.kpis.rules.HIGHER or LOWER: which way is better.
    direction: Mapped[str] = mapped_column(String(10))
    baseline_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    baseline_date: Mapped[date | None] = mapped_column(Date)
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    target_date: Mapped[date | None] = mapped_column(Date)

    measure: Mapped[Measure] = relationship()
    measurements: Mapped[list["KpiMeasurement"]] = relationship(
        back_populates="kpi",
        cascade="all, delete-orphan",
        order_by=lambda: [KpiMeasurement.year, KpiMeasurement.quarter],
    )

    @property
    def audit_label(self) -> str:
        return self.name[:300]


class KpiMeasurement(db.Model):
    """One measured value per KPI and quarter."""

    __tablename__ = "kpi_measurements"
    __table_args__ = (UniqueConstraint("kpi_id", "year", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    note: Mapped[str] = mapped_column(Text, default="")

    kpi: Mapped[Kpi] = relationship(back_populates="measurements")

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    @property
    def measure_id(self) -> int | None:
        return self.kpi.measure_id if self.kpi else None
