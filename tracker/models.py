"""Imports every model module so metadata (create_all, Alembic) sees all tables."""

from tracker.accounting.models import AccountingFilter, Deflator, LedgerLine  # noqa: F401
from tracker.accounts.models import LoginAttempt, LoginGuard, User, UserSession  # noqa: F401
from tracker.api_tokens.models import ApiToken  # noqa: F401
from tracker.audit.models import AuditEntry  # noqa: F401
from tracker.benefits.models import (  # noqa: F401
    BudgetTakeOut,
    ClosedQuarter,
    FigureRevision,
    LaterForecast,
    QuarterlyFigure,
)
from tracker.dependencies.models import MeasureDependency  # noqa: F401
from tracker.kpis.models import Kpi, KpiMeasurement  # noqa: F401
from tracker.meetings.models import Meeting, MeetingItem  # noqa: F401
from tracker.milestones.models import Milestone, MilestoneTombstone  # noqa: F401
from tracker.portfolio.models import (  # noqa: F401
    GroupRequirement,
    Measure,
    MenuEffect,
    PlannedEffect,
    PlanRevision,
    Programme,
    ProgrammeTarget,
    StatusChange,
    WorkGroup,
)
from tracker.readmodel.models import DataVersion  # noqa: F401
from tracker.reports.models import OutboxMail, Report, ReportRecipient, ReportRun  # noqa: F401
from tracker.risks.models import OrgRiskAssessment, OrgRiskScore, RiskIndicator, RiskItem  # noqa: F401
from tracker.scenarios.models import MeasureVariant, Scenario, ScenarioChoice, VariantEffect  # noqa: F401
from tracker.staff.models import EmployeeConsequence  # noqa: F401
from tracker.updates.models import ReminderSent, ReportingRound, StatusUpdate, UpdateComment  # noqa: F401
