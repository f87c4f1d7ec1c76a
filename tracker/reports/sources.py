"""Where a report's numbers come from: the benefits figures and the follow-up data.

The figures are the dashboard's own (tracker.benefits.services.programme_figures). Follow-up data
(status updates, organisational risk, employee consequences, milestones) is read through the
follow-up packages' services; a package that is not installed yields nothing, and the report
says so instead of failing.
"""

from importlib import import_module

from sqlalchemy import and_, or_, select

from tracker.extensions import db
from tracker.periods import Quarter
from tracker.portfolio import services as portfolio
from tracker.portfolio.models import Measure, Programme


def optional(module_name: str, attribute: str):
    """A function from another feature's module, or None while that feature is absent."""
    try:
        return getattr(import_module(module_name), attribute, None)
    except ImportError:
        return None


def confidence_by_measure(programme: Programme, as_of: Quarter) -> dict[int, str]:
    latest = optional("tracker.updates.services", "latest_confidence_by_measure")
    return latest(programme.id, as_of) if latest else {}


def programme_figures(programme: Programme, as_of: Quarter, measures: list[Measure]):
    """The dashboard's figures; before the benefits service exists, the same rules on plans only."""
    compute = optional("tracker.benefits.services", "programme_figures")
    if compute is not None:
        return compute(programme, as_of)
    from tracker.benefits import rules

    confidence = confidence_by_measure(programme, as_of)
    inputs = [rules.MeasureInput(portfolio.measure_plan(m), m.title, confidence.get(m.id)) for m in measures]
    groups = [rules.GroupInput(g.number, g.name, g.savings_requirement_nok) for g in programme.groups]
    targets = {target.year: target.savings_target_nok for target in programme.targets}
    years = portfolio.summary_years(programme, measures)
    return rules.programme_figures(inputs, [], years, as_of, targets=targets, groups=groups)


def latest_updates(programme: Programme, as_of: Quarter) -> dict[int, object]:
    """Measure id → its latest submitted status update in or before `as_of`."""
    try:
        from tracker.updates.models import StatusUpdate
    except ImportError:
        return {}
    rows = db.session.scalars(
        select(StatusUpdate)
        .join(Measure, Measure.id == StatusUpdate.measure_id)
        .where(
            Measure.programme_id == programme.id,
            StatusUpdate.submitted_dt.is_not(None),
            or_(
                StatusUpdate.year < as_of.year,
                and_(StatusUpdate.year == as_of.year, StatusUpdate.quarter <= as_of.number),
            ),
        )
        .order_by(StatusUpdate.year, StatusUpdate.quarter)
    )
    return {update.measure_id: update for update in rows}
