"""Organisational-risk assessments, the indicators, the portfolio view and the risk register."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from tracker.accounts.models import ROLE_OWNER
from tracker.accounts.permissions import require_admin, require_comment, require_measure_edit
from tracker.audit import services as audit
from tracker.audit.edits import add_audited, change_audited
from tracker.database import check_version, flush_or_conflict, utcnow
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.queries import MeasureSummary, measure_summaries
from tracker.portfolio.status import UNDER_GJENNOMFORING, VEDTATT, counts_in_totals
from tracker.risks import queries, rules
from tracker.risks.models import OrgRiskAssessment, OrgRiskScore, RiskIndicator, RiskItem
from tracker.text import NAME, NOTE, check_texts, line, lines

ASSESSMENT_NOTE = NOTE
# "Forsterkende tiltak" for one indicator scored high (report §4.2).
STRENGTHENING_ACTION = lines(2000)
ITEM_TEXTS = {"description": lines(2000), "mitigation": lines(2000), "mitigation_owner": NAME}
INDICATOR_TEXTS = {"name": line(100), "guidance": lines(500)}

# The five indicators of the report's section 4.2, with guidance for score 1 (low) … 5 (high).
DEFAULT_INDICATORS = (
    (
        "ledelsesforankring",
        "Ledelsesforankring",
        (
            "Ledelsen eier tiltaket, har satt av tid og følger opp jevnlig.",
            "Ledelsen støtter tiltaket og følger opp ved behov.",
            "Tiltaket er forankret, men oppfølgingen fra ledelsen er ujevn.",
            "Svak forankring: ledelsen er lite involvert eller uenig om tiltaket.",
            "Ingen tydelig eier i ledelsen; tiltaket mangler forankring.",
        ),
    ),
    (
        "kapasitet",
        "Kapasitet",
        (
            "God kapasitet: ressurser er satt av og driften er ikke presset.",
            "Tilstrekkelig kapasitet med små justeringer.",
            "Stram kapasitet; tiltaket konkurrerer med drift og andre tiltak.",
            "Lite kapasitet; annen aktivitet må prioriteres ned.",
            "Ingen ledig kapasitet; organisasjonen er under sterkt press.",
        ),
    ),
    (
        "kompetanse",
        "Kompetanse",
        (
            "Nødvendig kompetanse finnes og er tilgjengelig.",
            "Kompetansen finnes, men må frigjøres eller suppleres litt.",
            "Deler av kompetansen mangler og må bygges eller kjøpes.",
            "Vesentlig kompetanse mangler.",
            "Kompetansen mangler, og det finnes ingen plan for å skaffe den.",
        ),
    ),
    (
        "avhengigheter",
        "Avhengigheter",
        (
            "Tiltaket kan gjennomføres uavhengig av andre.",
            "Få avhengigheter, og de er avklart.",
            "Avhengig av andre tiltak, systemer eller aktører med usikker framdrift.",
            "Flere kritiske avhengigheter som ikke er avklart.",
            "Tiltaket står og faller på forhold utenfor egen kontroll.",
        ),
    ),
    (
        "medvirkning",
        "Medvirkning/involvering",
        (
            "Ansatte, tillitsvalgte og verneombud er involvert tidlig og løpende.",
            "Involvering er planlagt og i gang.",
            "Involvering er planlagt, men ikke startet.",
            "Liten involvering; motstand er ventet.",
            "Ingen involvering; sterk motstand eller konflikt.",
        ),
    ),
)
# Statuses in which a measure is changing the organisation now.
ACTIVE_STATUSES = frozenset({VEDTATT, UNDER_GJENNOMFORING})


class RiskError(ServiceError):
    """An assessment the rules refuse (an indicator without a score)."""


def indicators() -> list[RiskIndicator]:
    """The indicators in order, created with the defaults the first time they are needed."""
    found = list(db.session.scalars(select(RiskIndicator).order_by(RiskIndicator.sort_order)))
    if found:
        return found
    try:
        with db.session.begin_nested():
            for order, (key, name, guidance) in enumerate(DEFAULT_INDICATORS):
                db.session.add(RiskIndicator(key=key, name=name, sort_order=order, guidance=list(guidance)))
    except IntegrityError:
        pass  # another request created them at the same moment: use theirs
    return list(db.session.scalars(select(RiskIndicator).order_by(RiskIndicator.sort_order)))


def indicator_names() -> dict[str, str]:
    """Key → name, read only: the defaults when the indicators have not been created yet."""
    found = db.session.execute(select(RiskIndicator.key, RiskIndicator.name).order_by(RiskIndicator.sort_order))
    return dict(found.all()) or {key: name for key, name, _ in DEFAULT_INDICATORS}


def update_indicator(
    indicator: RiskIndicator, actor, name: str, guidance: list[str], seen_version: int | None = None
) -> dict:
    """Admin renames an indicator or edits its guidance texts; a save made from an older version
    than `seen_version` is an EditConflict."""
    require_admin(actor, "risk_indicator.edit")
    texts = {"name": name, **{f"guidance_{n}": text for n, text in enumerate(guidance, start=1)}}
    rules_by_field = {name: INDICATOR_TEXTS["guidance"] for name in texts} | {"name": INDICATOR_TEXTS["name"]}
    check_texts(texts, rules_by_field, RiskError)
    check_version(indicator, seen_version)
    changes = audit.diff(
        {"name": indicator.name, "guidance": list(indicator.guidance)}, {"name": name, "guidance": list(guidance)}
    )
    if changes:
        indicator.name = name
        indicator.guidance = list(guidance)
        audit.record("risk_indicator.edit", user=actor, obj=indicator, changes=changes)
        flush_or_conflict(db.session)
    return changes


def create_assessment(
    measure: Measure,
    actor,
    assessed_date: date,
    scores: dict[str, int],
    note: str = "",
    actions: dict[str, str] | None = None,
):
    """A new dated assessment scoring every indicator (by key), with strengthening actions by key; earlier ones are kept."""
    require_measure_edit(actor, measure, "org_risk.assess")
    by_key = {indicator.key: indicator for indicator in indicators()}
    if set(scores) != set(by_key):
        raise RiskError("Alle fem indikatorene må ha en score.")
    actions = {key: text.strip() for key, text in (actions or {}).items() if key in by_key and text.strip()}
    texts = {"note": note, **{f"action_{key}": text for key, text in actions.items()}}
    rules_by_field = {**dict.fromkeys(texts, STRENGTHENING_ACTION), "note": ASSESSMENT_NOTE}
    check_texts(texts, rules_by_field, RiskError)
    assessment = OrgRiskAssessment(measure=measure, assessed_date=assessed_date, assessed_by_id=actor.id, note=note)
    for key, score in scores.items():
        score_row = OrgRiskScore(indicator=by_key[key], score=rules.check_score(score))
        score_row.strengthening_action = actions.get(key, "")
        assessment.scores.append(score_row)
    db.session.add(assessment)
    db.session.flush()
    changes = {"scores": scores, **({"actions": actions} if actions else {})}
    audit.record("org_risk.assess", user=actor, obj=assessment, measure_id=measure.id, changes=changes)
    return assessment


def needs_review(assessment: OrgRiskAssessment) -> bool:
    """An assessment the owner made is reviewed by ledergruppe (report §4.2); ledergruppe's and admins' are not."""
    return assessment.assessed_by is not None and assessment.assessed_by.role == ROLE_OWNER


def review_assessment(assessment: OrgRiskAssessment, actor) -> None:
    """Ledergruppe (or an admin) marks the owner's assessment as reviewed, once."""
    require_comment(actor, "org_risk.review", assessment.measure)
    if not needs_review(assessment):
        raise RiskError("Denne vurderingen trenger ikke gjennomgang: den er ikke gjort av tiltaksansvarlig.")
    if assessment.is_reviewed:
        return
    assessment.reviewed_dt = utcnow()
    assessment.reviewed_by_id = actor.id
    audit.record("org_risk.review", user=actor, obj=assessment, measure_id=assessment.measure_id)


def assessments_for(measure: Measure) -> list[OrgRiskAssessment]:
    """A measure's assessments, newest first."""
    query = (
        select(OrgRiskAssessment)
        .where(OrgRiskAssessment.measure_id == measure.id)
        .options(selectinload(OrgRiskAssessment.scores))
        .order_by(OrgRiskAssessment.assessed_date.desc(), OrgRiskAssessment.id.desc())
    )
    return list(db.session.scalars(query))


def latest_assessments(measure_ids: list[int], as_of: date | None = None) -> dict[int, OrgRiskAssessment]:
    """Measure id → its latest assessment dated on or before `as_of` (or ever)."""
    query = (
        select(OrgRiskAssessment)
        .where(OrgRiskAssessment.measure_id.in_(measure_ids))
        .options(selectinload(OrgRiskAssessment.scores))
        .order_by(OrgRiskAssessment.assessed_date, OrgRiskAssessment.id)
    )
    if as_of is not None:
        query = query.where(OrgRiskAssessment.assessed_date <= as_of)
    return {assessment.measure_id: assessment for assessment in db.session.scalars(query)}


def risk_summary(measure: Measure, as_of: date | None = None) -> dict:
    """The measure's current organisational risk as plain data (also for `measures show` and AMU)."""
    assessment = latest_assessments([measure.id], as_of).get(measure.id)
    summary = assessment.summary() if assessment else None
    names = indicator_names()
    return {
        "assessed_date": assessment.assessed_date.isoformat() if assessment else None,
        "indicators": [
            {"key": key, "name": names.get(key, key), "score": score}
            for key, score in (summary.scores.items() if summary else [])
        ],
        "weakest": [names.get(key, key) for key in summary.weakest] if summary else [],
        "weakest_score": summary.weakest_score if summary else None,
        "average": str(summary.average) if summary else None,
        "level": summary.level if summary else None,
        "needs_assessment": bool(measure.has_significant_org_risk and assessment is None),
    }


@dataclass
class LoadRow:
    """How much change one owner or work group carries."""

    label: str
    measures: int = 0
    high_risk: int = 0
    active: int = 0
    high_risk_codes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PortfolioRisk:
    indicators: list[RiskIndicator]
    # Highest risk first; the unassessed measures last, in code order.
    rows: list[tuple[MeasureSummary, rules.RiskSummary | None]]
    by_owner: list[LoadRow]
    by_group: list[LoadRow]
    unassessed_significant: list[MeasureSummary]

    @property
    def assessed_rows(self) -> list[tuple[MeasureSummary, rules.RiskSummary]]:
        return [row for row in self.rows if row[1] is not None]

    @property
    def unassessed_rows(self) -> list[tuple[MeasureSummary, None]]:
        return [row for row in self.rows if row[1] is None]


LEVEL_ORDER = {rules.HIGH: 0, rules.MEDIUM: 1, rules.LOW: 2}


def _risk_order(row: tuple[MeasureSummary, rules.RiskSummary | None]) -> tuple:
    """Høy before middels before lav, a higher average first; unassessed measures after all of them."""
    measure, summary = row
    if summary is None:
        return (len(LEVEL_ORDER), 0, measure.sort_key)
    return (LEVEL_ORDER[summary.level], -summary.average, measure.sort_key)


def _load(rows, key_of) -> list[LoadRow]:
    loads: dict[str, LoadRow] = {}
    for measure, summary in rows:
        label = key_of(measure)
        load = loads.setdefault(label, LoadRow(label))
        load.measures += 1
        load.active += measure.status in ACTIVE_STATUSES
        if summary is not None and summary.level == rules.HIGH:
            load.high_risk += 1
            load.high_risk_codes.append(measure.code)
    return sorted(loads.values(), key=lambda row: (-row.high_risk, -row.active, row.label))


def portfolio_risk(programme: Programme, as_of: date | None = None) -> PortfolioRisk:
    """Heatmap rows (measures × indicators), highest risk first, and the load per owner and per work group.

    A fixed number of queries whatever the portfolio's size: the measures from the read model,
    the latest scores in one query (risks.queries).
    """
    measures = [measure for measure in measure_summaries(programme) if counts_in_totals(measure.status)]
    latest = queries.latest_scores(programme.id, as_of)
    rows = sorted(((m, rules.summarise(latest[m.id]) if m.id in latest else None) for m in measures), key=_risk_order)
    return PortfolioRisk(
        indicators=indicators(),
        rows=rows,
        by_owner=_load(rows, lambda m: m.owner.display_name if m.owner else "Ingen tiltaksansvarlig"),
        by_group=_load(rows, lambda m: m.group.label),
        unassessed_significant=[m for m in measures if m.has_significant_org_risk and m.id not in latest],
    )


# --- risk register ---------------------------------------------------------------------------

REGISTER_FIELDS = (
    "description",
    "probability_before",
    "consequence_before",
    "mitigation",
    "mitigation_owner",
    "probability_after",
    "consequence_after",
)


def register_for(measure: Measure) -> list[RiskItem]:
    """The register, highest score before mitigation first."""
    items = db.session.scalars(select(RiskItem).where(RiskItem.measure_id == measure.id).order_by(RiskItem.id))
    return sorted(items, key=lambda item: -item.score_before)


def _check_register(values: dict) -> None:
    check_texts(values, ITEM_TEXTS, RiskError)
    for name in ("probability_before", "consequence_before"):
        rules.check_score(values[name])
    for name in ("probability_after", "consequence_after"):
        if values.get(name) is not None:
            rules.check_score(values[name])


def add_risk_item(measure: Measure, actor, values: dict) -> RiskItem:
    require_measure_edit(actor, measure, "risk_item.create")
    _check_register(values)
    item = RiskItem(measure=measure, **{name: values.get(name) for name in REGISTER_FIELDS})
    item.mitigation = item.mitigation or ""
    item.mitigation_owner = item.mitigation_owner or ""
    add_audited(item, actor, "risk_item.create", measure.id, values)
    return item


def update_risk_item(item: RiskItem, actor, values: dict, seen_version: int | None = None) -> dict:
    """Change a register item; a save made from an older version than `seen_version` is an EditConflict."""
    require_measure_edit(actor, item.measure, "risk_item.edit")
    check_version(item, seen_version)
    _check_register(values)
    before = {name: getattr(item, name) for name in REGISTER_FIELDS}
    return change_audited(item, actor, "risk_item.edit", before, values)


def delete_risk_item(item: RiskItem, actor) -> None:
    require_measure_edit(actor, item.measure, "risk_item.delete")
    audit.record("risk_item.delete", user=actor, obj=item, measure_id=item.measure_id)
    db.session.delete(item)


def level_counts(rows) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for _, summary in rows:
        counts[summary.level if summary else "ikke vurdert"] += 1
    return dict(counts)
