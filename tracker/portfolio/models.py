"""The portfolio: programme, work groups, measures, their yearly plan and decision history."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.accounts.models import User
from tracker.database import TimestampMixin, UTCDateTime, VersionMixin, utcnow
from tracker.extensions import db
from tracker.portfolio.status import INITIAL_STATUS

# The report's description of a measure: editable on the measure page and carried by both file formats.
DESCRIPTION_FIELDS = ("problem", "solution", "consequences_users", "consequences_employees", "investment", "fte_effect")


class Programme(TimestampMixin, db.Model):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    municipality: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    baseline: Mapped[str] = mapped_column(String(200), default="")
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    target_note: Mapped[str] = mapped_column(Text, default="")
    # Set by `demo load`: every page and export then says "Eksempeldata".
    has_example_data: Mapped[bool] = mapped_column(Boolean, default=False)
    # A closed programme keeps its history to be read; nothing of it changes (tracker.portfolio.read_only).
    is_closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    targets: Mapped[list["ProgrammeTarget"]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="ProgrammeTarget.year"
    )
    groups: Mapped[list["WorkGroup"]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="WorkGroup.number"
    )

    @property
    def plan_years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    def target_for(self, year: int) -> int | None:
        """The savings target in kroner for a year (positive = saving), or None."""
        for target in self.targets:
            if target.year == year:
                return target.savings_target_nok
        return None


class ProgrammeTarget(VersionMixin, db.Model):
    __tablename__ = "programme_targets"
    __table_args__ = (UniqueConstraint("programme_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    savings_target_nok: Mapped[int] = mapped_column(BigInteger)

    programme: Mapped[Programme] = relationship(back_populates="targets")


class WorkGroup(db.Model):
    __tablename__ = "work_groups"
    __table_args__ = (UniqueConstraint("programme_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    # Positive kroner: how much this group must save (the report's sparekrav).
    savings_requirement_nok: Mapped[int | None] = mapped_column(BigInteger)
    menu_mandate_nok: Mapped[int | None] = mapped_column(BigInteger)

    programme: Mapped[Programme] = relationship(back_populates="groups")
    measures: Mapped[list["Measure"]] = relationship(back_populates="group", order_by="Measure.sort_key")
    requirements: Mapped[list["GroupRequirement"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupRequirement.year"
    )

    @property
    def label(self) -> str:
        return f"{self.number} {self.name}"

    def requirement_for(self, year: int) -> int | None:
        """The group's savings requirement for a year (positive = saving), or None."""
        return next((item.requirement_nok for item in self.requirements if item.year == year), None)


class GroupRequirement(VersionMixin, db.Model):
    """A work group's savings requirement for one year (its share of that year's target)."""

    __tablename__ = "group_requirements"
    __table_args__ = (UniqueConstraint("group_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("work_groups.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    # Positive kroner: how much the group must save in the year.
    requirement_nok: Mapped[int] = mapped_column(BigInteger)

    group: Mapped[WorkGroup] = relationship(back_populates="requirements")


class Measure(VersionMixin, TimestampMixin, db.Model):
    __tablename__ = "measures"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("work_groups.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    # "4.10" sorts after "4.9": zero-padded parts, kept in sync by the import/edit services.
    sort_key: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(500))
    service: Mapped[str] = mapped_column(String(200), default="")
    effect_type: Mapped[str | None] = mapped_column(String(100))
    # Where the effect type comes from: "report", "inferred" (from the report's Tabell 3) or "manual".
    effect_type_basis: Mapped[str | None] = mapped_column(String(20))
    problem: Mapped[str | None] = mapped_column(Text)
    solution: Mapped[str | None] = mapped_column(Text)
    consequences_users: Mapped[str | None] = mapped_column(Text)
    consequences_employees: Mapped[str | None] = mapped_column(Text)
    investment: Mapped[str | None] = mapped_column(Text)
    fte_effect: Mapped[str | None] = mapped_column(Text)
    risk_notes: Mapped[str | None] = mapped_column(Text)
    status_note: Mapped[str | None] = mapped_column(Text)
    source_section: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)
    kpi_suggestions: Mapped[list | None] = mapped_column(JSON)
    # "Berørte enheter": the units the measure changes (names, as the organisation writes them); the
    # organisational-risk load per unit sums the measures in change that name a unit.
    affected_units: Mapped[list | None] = mapped_column(JSON)
    report_table_27_mnok: Mapped[dict | None] = mapped_column(JSON)
    is_recommended_by_report: Mapped[bool] = mapped_column(Boolean, default=False)
    has_significant_org_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(40), default=INITIAL_STATUS, index=True)
    # The mutually exclusive variant adopted (e.g. "alt1"), None when the whole measure was adopted.
    adopted_variant: Mapped[str | None] = mapped_column(String(20))

    # A page's measure comes with its programme (queries.measure_record): every page of a measure asks
    # whether its programme is closed, or another than the chosen one.
    programme: Mapped[Programme] = relationship()
    group: Mapped[WorkGroup] = relationship(back_populates="measures")
    owner: Mapped[User | None] = relationship()
    planned_effects: Mapped[list["PlannedEffect"]] = relationship(
        back_populates="measure", cascade="all, delete-orphan", order_by="PlannedEffect.year"
    )
    status_changes: Mapped[list["StatusChange"]] = relationship(
        back_populates="measure", cascade="all, delete-orphan", order_by="StatusChange.id"
    )
    menu_effects: Mapped[list["MenuEffect"]] = relationship(
        back_populates="measure", cascade="all, delete-orphan", order_by="MenuEffect.year"
    )

    @property
    def audit_label(self) -> str:
        return f"{self.code} {self.title}"[:300]

    def planned_net_change_by_year(self) -> dict[int, int]:
        """{year: net cost change in kroner}, the report's sign (negative = saving)."""
        return {effect.year: effect.net_cost_change_nok for effect in self.planned_effects}


class PlannedEffect(db.Model):
    """Planned net change in operating cost for one measure and year, in whole kroner.

    Stored with the report's sign (negative = saving) so imports round-trip exactly; savings
    shown to users are the negation, computed in tracker.portfolio.figures.
    """

    __tablename__ = "planned_effects"
    __table_args__ = (UniqueConstraint("measure_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    net_cost_change_nok: Mapped[int] = mapped_column(BigInteger)

    measure: Mapped[Measure] = relationship(back_populates="planned_effects")


class MenuEffect(db.Model):
    """The report's figure for one measure and year (the menu), kept apart from the adopted plan.

    Written by the portfolio import only, so plan revisions never change the menu. The change in
    årsverk is entered by an administrator (the report gives it as text); None means unknown.
    """

    __tablename__ = "menu_effects"
    __table_args__ = (UniqueConstraint("measure_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    # The report's sign (negative = saving); None where the report has no figure for the year.
    net_cost_change_nok: Mapped[int | None] = mapped_column(BigInteger)
    # Change in årsverk (negative = fewer); None = unknown.
    fte_change: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))

    measure: Mapped[Measure] = relationship(back_populates="menu_effects")


class StatusChange(db.Model):
    """One decision on a measure: from which status to which, when, by what decision, by whom."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(40))
    to_status: Mapped[str] = mapped_column(String(40))
    decided_date: Mapped[date] = mapped_column(Date)
    decision_reference: Mapped[str] = mapped_column(String(200), default="")
    # The political body that decided, e.g. "Kommunestyret".
    decision_body: Mapped[str] = mapped_column(String(200), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    measure: Mapped[Measure] = relationship(back_populates="status_changes")
    changed_by: Mapped[User | None] = relationship()


class PlanRevision(db.Model):
    """A change of a measure's planned saving for a year: the old and new value, who and why."""

    __tablename__ = "plan_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    # Savings, positive kroner (the negation of PlannedEffect.net_cost_change_nok).
    old_saving_nok: Mapped[int | None] = mapped_column(BigInteger)
    new_saving_nok: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    measure: Mapped[Measure] = relationship()
    changed_by: Mapped[User | None] = relationship()
