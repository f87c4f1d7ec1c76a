"""Scenarios (budsjettalternativer) and the mutually exclusive variants of a measure."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.accounts.models import User
from tracker.database import TimestampMixin, UTCDateTime, VersionMixin
from tracker.extensions import db
from tracker.portfolio.models import Measure, Programme


class MeasureVariant(db.Model):
    """One of a measure's mutually exclusive alternatives (1.2 alt. 1 or alt. 2), with its own yearly figures.

    The menu keeps the measure's summed figures; a scenario picks either the whole measure or one variant.
    """

    __tablename__ = "measure_variants"
    __table_args__ = (UniqueConstraint("measure_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    # Written after the code in `--measures` and JSON: "alt1" in "1.2:alt1".
    key: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))

    measure: Mapped[Measure] = relationship()
    effects: Mapped[list["VariantEffect"]] = relationship(
        back_populates="variant", cascade="all, delete-orphan", order_by="VariantEffect.year"
    )

    @property
    def label(self) -> str:
        return f"{self.measure.code}:{self.key}"


class VariantEffect(db.Model):
    """A variant's figure for one year: net cost change (report's sign) and change in årsverk (None = unknown)."""

    __tablename__ = "variant_effects"
    __table_args__ = (UniqueConstraint("variant_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("measure_variants.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    net_cost_change_nok: Mapped[int] = mapped_column(BigInteger)
    fte_change: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))

    variant: Mapped[MeasureVariant] = relationship(back_populates="effects")


class Scenario(VersionMixin, TimestampMixin, db.Model):
    """A named selection of measures from the menu; adopting it records one political decision."""

    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("programme_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Made by `demo load`: shown as "Eksempeldata".
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The decision that adopted it (None until adopted).
    adopted_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    adopted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision_reference: Mapped[str] = mapped_column(String(200), default="")
    decision_body: Mapped[str] = mapped_column(String(200), default="")
    decided_date: Mapped[date | None] = mapped_column(Date)

    programme: Mapped[Programme] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    choices: Mapped[list["ScenarioChoice"]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", order_by="ScenarioChoice.id"
    )

    @property
    def is_adopted(self) -> bool:
        return self.adopted_dt is not None

    @property
    def audit_label(self) -> str:
        return self.name[:300]


class ScenarioChoice(db.Model):
    """One measure in a scenario: the whole measure (variant_key "") or one of its variants."""

    __tablename__ = "scenario_choices"
    __table_args__ = (UniqueConstraint("scenario_id", "measure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    variant_key: Mapped[str] = mapped_column(String(20), default="")

    scenario: Mapped[Scenario] = relationship(back_populates="choices")
    measure: Mapped[Measure] = relationship()

    @property
    def code(self) -> str:
        """ "1.2" for the whole measure, "1.2:alt1" for a variant."""
        return f"{self.measure.code}:{self.variant_key}" if self.variant_key else self.measure.code
