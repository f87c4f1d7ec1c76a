"""Reading the audit log for its pages: the filter menus once per newest entry, a page as plain rows.

Why: the log grows without end (240 000 entries for a portfolio of 5 000 measures). The menus of
users, actions and object types are three index skips each, and the filter form holding them is
the slowest part of the page to render; both change only when an entry is written, so they are
kept per newest entry id (one index look-up per request) within the data version (readmodel). The
entries themselves are read a page at a time as plain rows, not as ORM objects, and since an entry
never changes, a page of them is rendered once per set of entries shown.
"""

from collections.abc import Callable
from typing import NamedTuple

from markupsafe import Markup
from sqlalchemy import Select, func, select
from wtforms.fields.choices import SelectChoice

from tracker.audit import labels, services
from tracker.audit.models import AuditEntry
from tracker.extensions import db
from tracker.readmodel.cache import cached

# What the entry table shows (templates/audit/_entries.html), without the rest of the row.
ENTRY_COLUMNS = (
    AuditEntry.id,
    AuditEntry.at_dt,
    AuditEntry.username,
    AuditEntry.action,
    AuditEntry.object_type,
    AuditEntry.object_label,
    AuditEntry.changes,
)
_NEWEST = select(func.max(AuditEntry.id))
_EVERYONE = SelectChoice("", "Alle")


class FilterChoices(NamedTuple):
    """The filter form's menus: every user, action and object type in the log, "Alle" first."""

    users: tuple[SelectChoice, ...]
    actions: tuple[SelectChoice, ...]
    object_types: tuple[SelectChoice, ...]


def newest_entry_id() -> int:
    """The id of the newest entry (0 for an empty log): what the cached menus and form are keyed by."""
    return db.session.scalar(_NEWEST) or 0


def filter_choices(newest: int) -> FilterChoices:
    """The menus as of the entry `newest`, read once per newest entry and data version."""
    return cached(("audit_filter_choices", newest), _read_choices)


def _read_choices() -> FilterChoices:
    return FilterChoices(
        (_EVERYONE, *(SelectChoice(name) for name in services.distinct_values(AuditEntry.username))),
        (_EVERYONE, *(SelectChoice(a, labels.action_label(a)) for a in services.distinct_values(AuditEntry.action))),
        (
            _EVERYONE,
            *(SelectChoice(k, labels.object_label(k)) for k in services.distinct_values(AuditEntry.object_type)),
        ),
    )


def filter_form_html(newest: int, args: dict[str, str], render: Callable[[], str]) -> Markup:
    """The filter form as HTML for these query arguments (the page number aside), rendered once per
    newest entry: what it shows depends only on the arguments and the menus."""
    key = ("audit_filter_form", newest, tuple(sorted(args.items())))
    return cached(key, lambda: Markup(render()))


def entries_html(rows, caption: str, render: Callable[[], str]) -> Markup:
    """A page of entries as HTML, rendered once per set of entries shown: an entry never changes."""
    return cached(("audit_entries", caption, tuple(row.id for row in rows)), lambda: Markup(render()))


def entry_rows(audit_filter: services.AuditFilter) -> Select:
    """The entries matching the filter, newest first, as plain rows of ENTRY_COLUMNS."""
    return services.entries_query(audit_filter).with_only_columns(*ENTRY_COLUMNS)
