"""The answer to a save that lost a race: 409, the user's input kept, what is stored now beside it.

Every edit page answers an EditConflict (tracker.errors) the same way. After a rollback the page
reloads the record and calls `conflict_page`: the page again with the form as the user filled it,
the fields where the stored record now differs from what they typed, and the stored version in
the form, so that sending it again is a deliberate choice to replace the other change.
`conflict_fallback` answers a conflict no page caught (an approval, a row added twice at once).
"""

from dataclasses import dataclass

from flask import render_template
from sqlalchemy.exc import IntegrityError

from tracker.database import is_unique_violation
from tracker.extensions import db
from tracker.web.errors import is_same_origin, resend_page

HEADING = "Noen andre har lagret endringer etter at du åpnet skjemaet"
DISCARD_LABEL = "forkast endringene dine og gå tilbake"
# Hidden and technical fields: the user did not type them.
NOT_COMPARED = frozenset({"CSRFTokenField", "HiddenField", "SubmitField", "VersionField", "VersionsField"})


@dataclass(frozen=True)
class Difference:
    label: str
    stored: str
    typed: str


@dataclass(frozen=True)
class Conflict:
    """What the conflict notice shows (templates/_macros/conflict.html)."""

    heading: str
    discard_url: str
    discard_label: str
    # None for an added record: there is no stored record to compare with.
    differences: tuple[Difference, ...] | None


def shown(field) -> str:
    """A field's value as the user sees it: the label of the chosen option, Ja/Nei, or the text in the box."""
    if field.type == "BooleanField":
        return "Ja" if field.data else "Nei"
    if hasattr(field, "iter_choices"):
        return _chosen_label(field)
    return str(field._value() or "")


def _chosen_label(field) -> str:
    choices = list(field.iter_choices())
    chosen = next((choice for choice in choices if choice.selected), None)
    if chosen is None and field.type != "RadioField" and choices:
        chosen = choices[0]  # a select with nothing chosen shows its first option
    return str(chosen.label) if chosen else ""


def differences(stored_form, typed_form, not_stored: tuple[str, ...] = ()) -> tuple[Difference, ...]:
    """The fields where the record as stored now differs from what the user typed, in form order.

    `not_stored` names fields that are no part of the record (the reason for a change).
    """
    rows = []
    for field in typed_form:
        # By the name in the form class: a form with a prefix (one per item on a page) names its fields "sak7-…".
        name = field.short_name
        if field.type in NOT_COMPARED or name not in stored_form or name in not_stored:
            continue
        stored, typed = shown(stored_form[name]), shown(field)
        if _words(stored) != _words(typed):
            rows.append(Difference(str(field.label.text), stored, typed))
    return tuple(rows)


def _words(text: str) -> list[str]:
    # "1 250 000" typed with spaces equals the stored amount shown with non-breaking ones.
    return text.split()


def conflict_page(
    template: str,
    form,
    record,
    discard_url: str,
    stored_form=None,
    /,
    heading: str = HEADING,
    discard_label: str = DISCARD_LABEL,
    not_stored: tuple[str, ...] = (),
    **context,
):
    """409: `template` again with the user's input kept in `form` and the conflict notice as `conflict`.

    `record` is the record as stored now, reloaded after the rollback (None for an added one): its
    version goes into the form. `stored_form` shows that record as the form would, for the table of
    differences; `discard_url` is where the user goes to drop their input. These are positional, so
    the page's own context may use the same names (the staff page's `record`).
    """
    if record is not None:
        form.version.data = str(record.version)
    found = differences(stored_form, form, not_stored) if stored_form is not None else None
    conflict = Conflict(heading, discard_url, discard_label, found)
    return render_template(template, form=form, conflict=conflict, **context), 409


def conflict_fallback(error: Exception):  # noqa: ARG001 - Flask passes the error
    """A conflict no page answered: 409 with what the user sent, which they may send again."""
    db.session.rollback()
    message = "Noen andre lagret det samme samtidig, så ingenting av det du sendte ble lagret."
    reason = "Se hva som er lagret nå før du sender på nytt: sender du, erstatter du den andre endringen."
    return resend_page(message, can_resend=is_same_origin(), heading=HEADING, reason=reason), 409


def unique_violation_fallback(error: IntegrityError):
    """A new row whose key another request stored first (two first saves at once) is a conflict, not
    a 500; any other integrity error stays an error."""
    if not is_unique_violation(error):
        raise error
    return conflict_fallback(error)
