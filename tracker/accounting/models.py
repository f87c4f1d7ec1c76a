"""Ledger lines imported from the accounting system, per-measure mapping filters, the deflator."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.accounting.rules import KIND_ACTUAL, KIND_BUDGET, KIND_LABELS  # noqa: F401  (re-exported)
from tracker.database import UTCDateTime, utcnow
from tracker.extensions import db


class LedgerLine(db.Model):
    """One line of the ledger: kind (actual|budget), year, period (0 = yearly budget), codes, kroner.

    Amounts are whole kroner: øre are rounded half away from zero at import. Costs are positive,
    revenues negative, as the accounting system exports them. Seen by admins only.
    """

    __tablename__ = "ledger_lines"
    # Only the period index (import replaces by period): the sums scan the year anyway
    # (tracker.accounting.queries), and every further index slows the import of 500 000 lines.
    __table_args__ = (Index("ix_ledger_lines_kind_year_period", "kind", "year", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[int] = mapped_column(Integer)
    ansvar: Mapped[str] = mapped_column(String(20))
    art: Mapped[str] = mapped_column(String(20))
    funksjon: Mapped[str] = mapped_column(String(20))
    prosjekt: Mapped[str] = mapped_column(String(30), default="")
    amount_nok: Mapped[int] = mapped_column(BigInteger)


class AccountingFilter(db.Model):
    """Which ledger lines carry a measure's effect: a pattern per dimension, blank = any.

    Patterns: exact ("265"), prefix wildcard ("31*") or range of equal-length codes ("10000-10999");
    see tracker.accounting.rules. A measure's filters are OR-ed; a line counts once.
    """

    __tablename__ = "accounting_filters"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    ansvar: Mapped[str] = mapped_column(String(41), default="")
    art: Mapped[str] = mapped_column(String(41), default="")
    funksjon: Mapped[str] = mapped_column(String(41), default="")
    prosjekt: Mapped[str] = mapped_column(String(61), default="")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def audit_label(self) -> str:
        return " / ".join(
            f"{name} {getattr(self, name)}" for name in ("ansvar", "art", "funksjon", "prosjekt") if getattr(self, name)
        )


class Deflator(db.Model):
    """The municipal deflator for a year from the statsbudsjett, in hundredths of a percent (430 = 4,30 %)."""

    __tablename__ = "accounting_deflators"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    rate_basis_points: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200), default="")
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
