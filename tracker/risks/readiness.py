"""The report's §4.2 before a measure starts: the go decision and what it needs first.

A measure moves to "under gjennomføring" only with a current organisational-risk assessment
(reviewed by ledergruppe when the owner made it), a strengthening action for every indicator
scored high, and a go decision with its reference. The decision is the status change itself
(tracker.portfolio.services.change_status, which keeps the reference, date and who entered it); a
meeting that minutes the decision can point to it by that reference.
"""

from dataclasses import dataclass
from datetime import date

from tracker.accounts.models import User
from tracker.accounts.permissions import SystemActor, require_admin
from tracker.errors import ServiceError
from tracker.portfolio import services as portfolio
from tracker.portfolio.models import Measure, StatusChange
from tracker.portfolio.status import UNDER_GJENNOMFORING
from tracker.risks import rules
from tracker.risks.models import OrgRiskAssessment
from tracker.risks.services import indicator_names, latest_assessments, needs_review

NO_REFERENCE = (
    "Skriv referansen til beslutningen om å sette i gang (go/no-go), for eksempel «Ledergruppa 12.03.2026, sak 4/26»."
)


class NotReadyError(ServiceError):
    """The measure may not start yet: what §4.2 still asks for, in Norwegian."""


@dataclass(frozen=True)
class Readiness:
    """What stands between a measure and "under gjennomføring" (empty `problems`: it may start)."""

    assessment: OrgRiskAssessment | None
    needs_review: bool
    is_reviewed: bool
    missing_actions: tuple[str, ...]

    @property
    def problems(self) -> list[str]:
        if self.assessment is None:
            return ["Tiltaket har ingen vurdering av organisatorisk risiko."]
        found = []
        if self.needs_review and not self.is_reviewed:
            found.append(
                "Vurderingen av organisatorisk risiko er gjort av tiltaksansvarlig og må gjennomgås av ledergruppa."
            )
        if self.missing_actions:
            names = ", ".join(self.missing_actions)
            found.append(f"Beskriv forsterkende tiltak for indikatorer med høy score ({names}) i en ny vurdering.")
        return found

    @property
    def is_ready(self) -> bool:
        return not self.problems


def readiness(measure: Measure) -> Readiness:
    """§4.2's preconditions for starting the measure, from its latest assessment."""
    assessment = latest_assessments([measure.id]).get(measure.id)
    if assessment is None:
        return Readiness(None, False, False, ())
    names = indicator_names()
    missing = rules.needs_strengthening(assessment.scores_by_key(), assessment.actions_by_key())
    return Readiness(
        assessment,
        needs_review(assessment),
        assessment.is_reviewed,
        tuple(names.get(key, key) for key in missing),
    )


def decide_status(
    measure: Measure,
    actor: User | SystemActor,
    seen_version: int | None,
    to_status: str,
    decided_date: date,
    decision_reference: str = "",
    comment: str = "",
) -> StatusChange:
    """Record a decision on a measure; the go decision (to "under gjennomføring") first checks §4.2."""
    require_admin(actor, "measure.status")
    if to_status == UNDER_GJENNOMFORING:
        errors = {}
        problems = readiness(measure).problems
        if problems:
            errors["to_status"] = " ".join(problems)
        if not decision_reference.strip():
            errors["decision_reference"] = NO_REFERENCE
        if errors:
            raise NotReadyError(" ".join(errors.values()), errors)
    return portfolio.change_status(measure, actor, seen_version, to_status, decided_date, decision_reference, comment)
