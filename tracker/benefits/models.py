"""The savings ledger: quarterly figures, their history, budget take-outs, closed quarters."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.accounts.models import User
from tracker.database import TimestampMixin, UTCDateTime, VersionMixin, utcnow
from tracker.extensions import db
from tracker.periods import Quarter
from tracker.portfolio.models import Measure


class QuarterlyFigure(VersionMixin, TimestampMixin, db.Model):
    """An owner's figures for one measure, reported in one quarter about that quarter's year."""

    __tablename__ = "benefit_figures"
    __table_args__ = (
        UniqueConstraint("measure_id", "year", "quarter"),
        # The periods page: figures waiting for approval, oldest quarter first.
        Index("ix_benefit_figures_unapproved", "is_approved", "year", "quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    # Positive kroner = saving; a cost-increasing measure reports negative amounts.
    realised_to_date_nok: Mapped[int] = mapped_column(BigInteger)
    forecast_year_nok: Mapped[int] = mapped_column(BigInteger)
    # Of the realised amount, the part that is one-off (engangseffekt): it does not recur next year.
    one_off_nok: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    explanation: Mapped[str] = mapped_column(Text, default="")
    corrective_action: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reported_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A controller approves the realised figure; any later change withdraws the approval.
    is_approved: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())

    measure: Mapped[Measure] = relationship()
    reported_by: Mapped[User | None] = relationship(foreign_keys=[reported_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    revisions: Mapped[list["FigureRevision"]] = relationship(
        back_populates="figure", cascade="all, delete-orphan", order_by="FigureRevision.id"
    )
    later_forecasts: Mapped[list["LaterForecast"]] = relationship(
        back_populates="figure", cascade="all, delete-orphan", order_by="LaterForecast.year"
    )

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    def later_forecasts_by_year(self) -> dict[int, int]:
        """{later year: forecast} given with this report."""
        return {item.year: item.forecast_nok for item in self.later_forecasts}


class LaterForecast(db.Model):
    """A forecast for a later year of the plan period, given with a quarter's figures.

    The newest forecast for a year (by the quarter it was given in) stands until a later report
    replaces it; a report about the year itself always replaces it.
    """

    __tablename__ = "later_year_forecasts"
    __table_args__ = (UniqueConstraint("figure_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    figure_id: Mapped[int] = mapped_column(ForeignKey("benefit_figures.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    forecast_nok: Mapped[int] = mapped_column(BigInteger)

    figure: Mapped[QuarterlyFigure] = relationship(back_populates="later_forecasts")


class FigureRevision(db.Model):
    """The values a figure had before a change; a change in a closed quarter is a correction."""

    __tablename__ = "benefit_figure_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    figure_id: Mapped[int] = mapped_column(ForeignKey("benefit_figures.id", ondelete="CASCADE"), index=True)
    old_realised_to_date_nok: Mapped[int] = mapped_column(BigInteger)
    old_forecast_year_nok: Mapped[int] = mapped_column(BigInteger)
    old_one_off_nok: Mapped[int | None] = mapped_column(BigInteger)
    # {"2027": forecast, ...} as it was before the change.
    old_later_forecasts: Mapped[dict | None] = mapped_column(JSON)
    old_explanation: Mapped[str] = mapped_column(Text, default="")
    old_corrective_action: Mapped[str] = mapped_column(Text, default="")
    was_approved: Mapped[bool] = mapped_column(Boolean, default=False)
    is_correction: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    figure: Mapped[QuarterlyFigure] = relationship(back_populates="revisions")
    changed_by: Mapped[User | None] = relationship()


class BudgetTakeOut(VersionMixin, TimestampMixin, db.Model):
    """Uttak: the amount actually removed from the unit's budget frame for a measure and year."""

    __tablename__ = "budget_take_outs"
    __table_args__ = (UniqueConstraint("measure_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    amount_nok: Mapped[int] = mapped_column(BigInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Another controller approves the take-out; a later change withdraws the approval.
    is_approved: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())

    measure: Mapped[Measure] = relationship()
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])


class ClosedQuarter(db.Model):
    """A closed reporting quarter: its figures change only by correction with a reason."""

    __tablename__ = "closed_quarters"
    __table_args__ = (UniqueConstraint("year", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str] = mapped_column(String(500), default="")

    closed_by: Mapped[User | None] = relationship()

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)
