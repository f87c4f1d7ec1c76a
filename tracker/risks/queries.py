"""The portfolio risk view's read model: each measure's latest scores in one query of plain rows.

Why: the view shows every measure of the programme; loading each assessment and its scores as
ORM objects (in batches of ids that grow with the portfolio) cost more than a second at 5 000
measures. Here the database picks the latest assessment per measure (a window function) and
returns one row per score, whatever the size.
"""

from datetime import date

from sqlalchemy import bindparam, func, select

from tracker.portfolio.models import Measure
from tracker.portfolio.queries import prepared_rows
from tracker.risks.models import OrgRiskAssessment, OrgRiskScore, RiskIndicator

# A date after every assessment: "the latest ever" goes through the same prepared statement.
NO_LIMIT_DATE = date(9999, 12, 31)


def _latest_scores_statement():
    """Per measure of `programme_id`, the scores of its latest assessment dated on or before `as_of`."""
    ranked = (
        select(
            OrgRiskAssessment.id,
            OrgRiskAssessment.measure_id,
            func.row_number()
            .over(
                partition_by=OrgRiskAssessment.measure_id,
                order_by=(OrgRiskAssessment.assessed_date.desc(), OrgRiskAssessment.id.desc()),
            )
            .label("newest_first"),
        )
        .join(Measure, Measure.id == OrgRiskAssessment.measure_id)
        .where(Measure.programme_id == bindparam("programme_id"), OrgRiskAssessment.assessed_date <= bindparam("as_of"))
        .subquery()
    )
    return (
        select(ranked.c.measure_id, RiskIndicator.key, OrgRiskScore.score)
        .select_from(ranked)
        .outerjoin(OrgRiskScore, OrgRiskScore.assessment_id == ranked.c.id)
        .outerjoin(RiskIndicator, RiskIndicator.id == OrgRiskScore.indicator_id)
        .where(ranked.c.newest_first == 1)
        .order_by(ranked.c.measure_id, RiskIndicator.sort_order)
    )


def latest_scores(programme_id: int, as_of: date | None = None) -> dict[int, dict[str, int]]:
    """Measure id → {indicator key: score} of its latest assessment (an empty dict for one without scores)."""
    found: dict[int, dict[str, int]] = {}
    rows = prepared_rows(_latest_scores_statement, programme_id=programme_id, as_of=as_of or NO_LIMIT_DATE)
    for measure_id, key, score in rows:
        scores = found.setdefault(measure_id, {})
        if key is not None:
            scores[key] = score
    return found
