"""The frozen snapshot a report is rendered from, and its JSON form both ways. Pure.

Everything a report says is in a ReportSnapshot; rendering reads nothing else, so an archived
snapshot can be rendered again and compared with next quarter's.
"""

import dataclasses
import json
import types
import typing
from dataclasses import dataclass

SCHEMA_VERSION = 2


@dataclass(frozen=True)
class YearFigures:
    year: int
    target_nok: int | None
    planned_nok: int
    forecast_nok: int
    risk_adjusted_forecast_nok: int
    realised_nok: int
    gap_nok: int | None
    # Of realised, the part a controller has approved (0 in snapshots stored before it was kept).
    realised_approved_nok: int = 0
    # "Bekreftet i regnskapet" on the mapped measures (issue 17); None when nothing mapped has actuals.
    accounting_indicated_nok: int | None = None
    # Budget take-out (uttak) for the year, and the menu: every measure's plan, adopted or not.
    taken_out_nok: int = 0
    menu_nok: int | None = None
    # A closed year's shortfall carried into this one (issue 11), None while the year before is open.
    carried_gap_nok: int | None = None
    # Of the take-out, the part a controller approved: «Tatt ut av budsjettene» (None in snapshots stored
    # before it was kept: the take-out entered stands in).
    taken_out_approved_nok: int | None = None

    @property
    def budget_taken_out_nok(self) -> int:
        """«Tatt ut av budsjettene»: the approved take-out (the take-out entered, in older snapshots)."""
        return self.taken_out_nok if self.taken_out_approved_nok is None else self.taken_out_approved_nok


@dataclass(frozen=True)
class YearAmount:
    year: int
    amount_nok: int


@dataclass(frozen=True)
class GroupFigures:
    number: int
    name: str
    savings_requirement_nok: int | None
    years: tuple[YearFigures, ...]


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int


@dataclass(frozen=True)
class DeviationRow:
    code: str
    title: str
    year: int
    planned_nok: int
    forecast_nok: int
    shortfall_nok: int
    explanation: str
    corrective_action: str


@dataclass(frozen=True)
class DecisionRow:
    code: str
    title: str
    text: str
    # Who must decide (tracker.updates.models.DECISION_AUDIENCES) and its label.
    audience: str = "ledergruppe"
    audience_label: str = "Ledergruppen"


@dataclass(frozen=True)
class MeasureLine:
    """One line of status per measure."""

    code: str
    title: str
    group_number: int
    status: str
    status_label: str
    confidence: str | None
    confidence_label: str
    planned_nok: int
    forecast_nok: int
    realised_nok: int
    status_text: str
    has_significant_org_risk: bool = False
    # In the adopted plan (else only on the menu), its plan in the target year, owner, "prognose i fare".
    is_adopted: bool = True
    menu_nok: int = 0
    owner: str = ""
    at_risk_reason: str = ""


@dataclass(frozen=True)
class StaffRow:
    """Consequences for employees of one measure."""

    code: str
    title: str
    units: str
    employees: int | None
    # Årsverk (negative = fewer), None when not recorded.
    fte_planned: float | None
    fte_realised: float | None
    attrition: float | None
    redeployment: float | None
    downsizing: float | None
    consultation: str
    safety_representative: str
    risk_assessment: str
    description: str
    # Whether the measure's consequences are registered (not only described in the report).
    is_registered: bool = False
    # The consultant report's own estimate of the change in årsverk (text).
    fte_effect: str = ""


@dataclass(frozen=True)
class IndicatorScore:
    name: str
    score: float | None


@dataclass(frozen=True)
class OrgRiskRow:
    code: str
    title: str
    indicators: tuple[IndicatorScore, ...]
    average: float | None
    weakest: str
    level: str


@dataclass(frozen=True)
class MilestoneRow:
    code: str
    title: str
    what: str
    due_date: str
    state: str
    affects_staff: bool


@dataclass(frozen=True)
class KpiRow:
    """A key indicator of a measure as of the quarter's end."""

    code: str
    title: str
    name: str
    unit: str
    baseline: str
    latest: str
    latest_period: str
    target: str
    trend: str
    progress: str


@dataclass(frozen=True)
class LeaderLoad:
    """How many measures with consequences for staff, and with organisational risk, one leader owns."""

    leader: str
    staff_measures: int
    significant_risk: int
    high_risk: int


@dataclass(frozen=True)
class FteYear:
    """The programme's change in årsverk in a year, and how many measures have no number for it."""

    year: int
    fte_change: float | None
    unknown: int


@dataclass(frozen=True)
class ChangeRow:
    code: str
    title: str
    what: str
    old: str
    new: str


@dataclass(frozen=True)
class ReportSnapshot:
    audience: str
    audience_label: str
    period: str
    period_label: str
    programme_name: str
    municipality: str
    title: str
    is_example_data: bool
    collected_at: str
    focus_year: int
    target_year: int | None
    years: tuple[YearFigures, ...]
    groups: tuple[GroupFigures, ...]
    confidence_counts: tuple[CountRow, ...]
    deviations: tuple[DeviationRow, ...]
    decisions: tuple[DecisionRow, ...]
    measures: tuple[MeasureLine, ...]
    staff: tuple[StaffRow, ...]
    risk_indicators: tuple[str, ...]
    org_risks: tuple[OrgRiskRow, ...]
    milestones: tuple[MilestoneRow, ...]
    changes: tuple[ChangeRow, ...]
    previous_period: str | None
    notes: tuple[str, ...] = ()
    # Share (0–1) of the plan on measures mapped to the ledger, and their reported realised per year.
    accounting_mapped_share: float | None = None
    accounting_reported_mapped: tuple[YearAmount, ...] = ()
    accounting_indicated_to_date: tuple[YearAmount, ...] = ()
    # The quarter's last day (ISO): records dated after it are left out; how many, by kind.
    as_of_date: str = ""
    left_out: tuple[CountRow, ...] = ()
    # A report for a quarter not yet ended: "UTKAST" on every page.
    is_preview: bool = False
    kpis: tuple[KpiRow, ...] = ()
    leader_loads: tuple[LeaderLoad, ...] = ()
    fte_years: tuple[FteYear, ...] = ()
    schema_version: int = SCHEMA_VERSION

    def year(self, year: int) -> YearFigures | None:
        return next((row for row in self.years if row.year == year), None)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "ReportSnapshot":
        return _build(cls, json.loads(text))


def _build(kind, value):
    """Rebuild a value of type `kind` (dataclass, tuple[...], X | None, primitive) from JSON."""
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return _build(inner[0], value)
    if origin is tuple:
        (item_kind, _ellipsis) = typing.get_args(kind)
        return tuple(_build(item_kind, item) for item in value)
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        names = {field.name for field in dataclasses.fields(kind)}
        return kind(**{name: _build(hints[name], item) for name, item in value.items() if name in names})
    if kind is float and isinstance(value, int):
        return float(value)
    return value
