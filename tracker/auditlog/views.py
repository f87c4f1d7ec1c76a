"""Audit trail pages: one per measure for every reader, and a filtered global log for admins.

There are deliberately no routes that change or delete entries.
"""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from tracker.accounts import permissions
from tracker.audit import labels, services
from tracker.audit.models import AuditEntry
from tracker.auditlog.forms import AuditFilterForm
from tracker.portfolio.lookups import measure_or_404
from tracker.web.paging import Page, page_link, page_number, page_of_statement

bp = Blueprint("audit", __name__, url_prefix="/logg")
PER_PAGE = 50


@bp.app_template_filter("audit_action")
def audit_action(action: str) -> str:
    return labels.action_label(action)


@bp.app_template_filter("audit_object")
def audit_object(object_type: str | None) -> str:
    return labels.object_label(object_type)


@bp.app_template_filter("audit_changes")
def audit_changes(changes: dict | None) -> list[str]:
    return labels.change_lines(changes)


@bp.route("/")
@login_required
def index():
    permissions.require_admin(current_user, "audit.view")
    form = AuditFilterForm(formdata=request.args)
    _fill_choices(form)
    audit_filter = form.to_filter() if form.validate() else services.AuditFilter()
    filters = {key: value for key, value in request.args.items() if key not in ("page", "submit") and value}
    page = _page(services.entries_query(audit_filter), page_link("audit.index", filters, "page"))
    return render_template("audit/index.html", form=form, page=page)


def _page(query, link) -> Page:
    return page_of_statement(query, page_number(request.args.get("page")), link, per_page=PER_PAGE, entities=True)


def _fill_choices(form: AuditFilterForm) -> None:
    everyone = [SelectChoice("", "Alle")]
    form.user.choices = everyone + [SelectChoice(name) for name in services.distinct_values(AuditEntry.username)]
    form.action.choices = everyone + [
        SelectChoice(action, labels.action_label(action)) for action in services.distinct_values(AuditEntry.action)
    ]
    form.object_type.choices = everyone + [
        SelectChoice(kind, labels.object_label(kind)) for kind in services.distinct_values(AuditEntry.object_type)
    ]


@bp.route("/tiltak/<int:measure_id>")
@login_required
def measure_log(measure_id: int):
    measure = measure_or_404(measure_id)
    if not current_user.can_read_all:
        abort(403)
    query = services.entries_query(services.AuditFilter(measure_id=measure.id))
    page = _page(query, page_link("audit.measure_log", {"measure_id": measure.id}, "page"))
    return render_template("audit/measure_log.html", measure=measure, page=page)
