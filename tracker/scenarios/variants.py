"""Variants and årsverk: what an administrator adds to the menu. Admins (and SYSTEM) only.

A measure's mutually exclusive variants ("1.2:alt1") carry their own yearly figures; the menu keeps
the measure's summed figures. The change in årsverk per year is entered as a number (the report
gives it as text). Both are changes of the measure: each bumps its version. Services add and flush.
"""

from decimal import Decimal

from tracker.accounts.models import User
from tracker.accounts.permissions import SystemActor, require_actor, require_admin
from tracker.audit import services as audit
from tracker.database import check_version, flush_or_conflict, utcnow
from tracker.extensions import db
from tracker.money import MAX_ABS_NOK, NumberFormatError, within
from tracker.portfolio.models import Measure, MenuEffect
from tracker.portfolio.read_only import require_open
from tracker.scenarios import queries, rules
from tracker.scenarios.models import MeasureVariant, VariantEffect
from tracker.scenarios.services import ScenarioError, refused
from tracker.text import TITLE, check_texts


def set_variant(
    measure: Measure,
    key: str,
    title: str,
    savings_nok: dict[int, int],
    fte_change: dict[int, Decimal | None],
    actor: User | SystemActor,
    seen_version: int | None = None,
) -> MeasureVariant:
    """Add or change one of a measure's mutually exclusive variants ("1.2:alt1") with its yearly figures.

    The menu keeps the measure's summed figures; the variant's are used when a scenario picks it.
    `seen_version` is the measure's version the form showed: every change of its variants bumps it.
    """
    require_actor(actor)
    require_admin(actor, "variant.set")
    require_open(measure.programme)
    check_version(measure, seen_version)
    key = (key or "").strip().lower() if isinstance(key, str) else ""
    if not rules.VARIANT_KEY_RE.match(key):
        raise refused("Kortnavnet kan bare ha bokstaver a-z, tall, - og _ (høyst 20 tegn), for eksempel «alt1».", "key")
    check_texts({"title": title}, {"title": TITLE}, ScenarioError)
    if not (title or "").strip():
        raise refused("Beskriv alternativet med en tittel.", "title")
    if not savings_nok:
        raise refused("Skriv innsparingen for minst ett år.", "savings")
    _check_figures(measure, savings_nok, fte_change)
    variant = next((item for item in queries.variants_of(measure) if item.key == key), None)
    before = _variant_values(variant) if variant else {}
    if variant is None:
        variant = MeasureVariant(measure_id=measure.id, key=key, title=title.strip())
        db.session.add(variant)
    variant.title = title.strip()
    existing = {effect.year: effect for effect in variant.effects}
    for year in sorted(set(existing) - set(savings_nok)):
        variant.effects.remove(existing[year])
    for year, saving in sorted(savings_nok.items()):
        effect = existing.get(year) or VariantEffect(year=year, net_cost_change_nok=0)
        if year not in existing:
            variant.effects.append(effect)
        effect.net_cost_change_nok, effect.fte_change = -saving, fte_change.get(year)
    measure.updated_dt = utcnow()  # the measure's version moves on: a form opened earlier gets a conflict
    flush_or_conflict(db.session)
    changes = audit.diff(before, _variant_values(variant))
    if changes:
        audit.record(
            "variant.set", user=actor, obj=variant, label=variant.label, measure_id=measure.id, changes=changes
        )
    return variant


def _check_figures(measure: Measure, savings_nok: dict[int, int], fte_change: dict[int, Decimal | None]) -> None:
    """Refuse figures for a year outside the plan period, an amount beyond ±10^12 kr or årsverk beyond ±100 000."""
    problem = rules.year_problems([*savings_nok, *fte_change], measure.programme.plan_years)
    if problem:
        raise refused(problem, "savings")
    try:
        for amount in savings_nok.values():
            within(amount, MAX_ABS_NOK, amount, " kr")
        for value in fte_change.values():
            within(value or 0, rules.MAX_ABS_FTE, value, " årsverk")
    except NumberFormatError as exc:
        raise refused(str(exc), "savings") from exc


def _variant_values(variant: MeasureVariant) -> dict:
    values = {"title": variant.title}
    for effect in variant.effects:
        values[f"saving_{effect.year}"] = -effect.net_cost_change_nok
        values[f"fte_{effect.year}"] = effect.fte_change
    return values


def delete_variant(variant: MeasureVariant, actor: User | SystemActor) -> None:
    """Delete a variant no scenario uses and that was not adopted."""
    require_actor(actor)
    require_admin(actor, "variant.delete")
    require_open(variant.measure.programme)
    using = queries.scenarios_using(variant.measure, variant.key)
    if using:
        names = ", ".join(f"«{item.name}»" for item in using)
        raise ScenarioError(f"{variant.label} brukes i {names} og kan ikke slettes.")
    if variant.measure.adopted_variant == variant.key:
        raise ScenarioError(f"{variant.label} er vedtatt og kan ikke slettes.")
    audit.record(
        "variant.delete",
        user=actor,
        obj=variant,
        label=variant.label,
        measure_id=variant.measure_id,
        changes=audit.diff(_variant_values(variant), {}),
    )
    db.session.delete(variant)


def set_fte_change(
    measure: Measure,
    fte_change: dict[int, Decimal | None],
    actor: User | SystemActor,
    seen_version: int | None = None,
) -> dict:
    """The change in årsverk per year for the whole measure (the report gives it as text); None = unknown.

    `seen_version` is the measure's version the form showed: every change of its årsverk bumps it.
    """
    require_actor(actor)
    require_admin(actor, "measure.fte")
    require_open(measure.programme)
    check_version(measure, seen_version)
    _check_figures(measure, {}, fte_change)
    changes = {}
    for year, value in sorted(fte_change.items()):
        effect = queries.menu_effect(measure, year)
        old = effect.fte_change if effect else None
        if old == value:
            continue
        if effect is None:
            effect = MenuEffect(year=year, net_cost_change_nok=None)
            measure.menu_effects.append(effect)
        effect.fte_change = value
        changes[f"fte_{year}"] = {
            "old": None if old is None else str(old),
            "new": None if value is None else str(value),
        }
    if changes:
        measure.updated_dt = utcnow()  # the measure's version moves on: a form opened earlier gets a conflict
        flush_or_conflict(db.session)
        audit.record("measure.fte", user=actor, obj=measure, changes=changes)
    return changes
