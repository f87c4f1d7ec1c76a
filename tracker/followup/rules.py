"""The owner's quarter: what is due for a measure, and the forecast against the plan in words. Pure.

What is due for a measure in the reporting quarter:
- figures, when the measure expects a report that quarter (tracker.benefits.rules.expects_report);
- a status update, when the owner writes one each quarter (tracker.portfolio.status.reports_status_updates);
- employee consequences, for a measure in change that affects staff (the report describes
  consequences for employees, or flags significant organisational risk) and has none registered;
- a risk reassessment, for a measure in change never assessed though the report flags significant
  organisational risk, or last assessed "høy" before the quarter began (high risk is reassessed
  every quarter).

The note on the forecast is what static/js/quarter.js writes as the owner types; keep the two in step.
"""

from dataclasses import dataclass
from datetime import date

from tracker.benefits.rules import Thresholds, is_deviation, shortfall
from tracker.money import format_nok
from tracker.periods import Quarter
from tracker.risks.rules import HIGH

FIGURES = "tall"
STATUS_UPDATE = "statusrapport"
CONSEQUENCES = "ansatte"
RISK = "risiko"
DUE_LABELS = {
    FIGURES: "Kvartalstall",
    STATUS_UPDATE: "Statusrapport",
    CONSEQUENCES: "Konsekvenser for ansatte",
    RISK: "Ny vurdering av organisatorisk risiko",
}


def reporting_quarter(now: Quarter, previous_deadline: date | None, today: date) -> Quarter:
    """The quarter owners report on: the one just ended while its round's deadline has not passed, else this one."""
    if previous_deadline is not None and previous_deadline >= today:
        return now.previous()
    return now


def consequences_due(is_in_change: bool, affects_staff: bool, has_record: bool) -> bool:
    """Employee consequences are due once for a measure in change that affects staff."""
    return is_in_change and affects_staff and not has_record


def risk_reassessment_due(
    is_in_change: bool, is_significant: bool, last_level: str | None, last_date: date | None, quarter_start: date
) -> bool:
    """Never assessed though flagged as significant, or high and not reassessed since the quarter began."""
    if not is_in_change:
        return False
    if last_date is None:
        return is_significant
    return last_level == HIGH and last_date < quarter_start


@dataclass(frozen=True)
class DueState:
    """What the owner still owes for one measure in the reporting quarter."""

    figures: bool
    status_update: bool
    consequences: bool
    risk: bool

    def kinds(self) -> list[str]:
        flags = ((FIGURES, self.figures), (STATUS_UPDATE, self.status_update))
        flags += ((CONSEQUENCES, self.consequences), (RISK, self.risk))
        return [kind for kind, is_due in flags if is_due]

    @property
    def is_anything_due(self) -> bool:
        return bool(self.kinds())


def forecast_note(planned_nok: int, forecast_nok: int | None, year: int, thresholds: Thresholds) -> str:
    """The forecast against the plan for the year, in words, e.g.
    "Prognosen er 200 000 kr under planen for 2026 (300 000 kr): et avvik. Forklar hvorfor og beskriv korrigerende tiltak."
    """
    plan = f"planen for {year} ({format_nok(planned_nok)} kr)"
    if forecast_nok is None:
        return f"Skriv prognosen for hele året; {plan}."
    missing = shortfall(planned_nok, forecast_nok)
    if is_deviation(planned_nok, forecast_nok, thresholds):
        return (
            f"Prognosen er {format_nok(missing)} kr under {plan}: et avvik. "
            "Forklar hvorfor og beskriv korrigerende tiltak."
        )
    if missing:
        return f"Prognosen er {format_nok(missing)} kr under {plan}, innenfor grensen for avvik."
    if forecast_nok > planned_nok:
        return f"Prognosen er {format_nok(forecast_nok - planned_nok)} kr over {plan}."
    return f"Prognosen er lik {plan}."
