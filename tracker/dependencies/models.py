"""A measure that builds on another (5.1's digitalisation builds on 5.2's ERP system)."""

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import TimestampMixin
from tracker.extensions import db
from tracker.portfolio.models import Measure


class MeasureDependency(TimestampMixin, db.Model):
    __tablename__ = "measure_dependencies"
    __table_args__ = (
        UniqueConstraint("measure_id", "depends_on_id"),
        CheckConstraint("measure_id <> depends_on_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The dependent measure …
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    # … builds on this one.
    depends_on_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(String(500), default="")

    measure: Mapped[Measure] = relationship(foreign_keys=[measure_id])
    depends_on: Mapped[Measure] = relationship(foreign_keys=[depends_on_id])

    @property
    def audit_label(self) -> str:
        return f"{self.measure.code} bygger på {self.depends_on.code}"
