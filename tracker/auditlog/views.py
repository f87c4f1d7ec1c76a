"""Audit trail pages: one per measure for every reader, and a filtered global log for admins.

There are deliberately no routes that change or delete entries.
"""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from markupsafe import Markup

from tracker.accounts import permissions
from tracker.audit import labels, services
from tracker.auditlog import queries
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
    newest = queries.newest_entry_id()
    form = AuditFilterForm(formdata=request.args)
    _fill_choices(form, queries.filter_choices(newest))
    audit_filter = form.to_filter() if form.validate() else services.AuditFilter()
    filters = {key: value for key, value in request.args.items() if key not in ("page", "submit") and value}
    page = _page(queries.entry_rows(audit_filter), page_link("audit.index", filters, "page"))
    shown = {key: value for key, value in request.args.items() if key != "page"}
    filter_form = queries.filter_form_html(newest, shown, lambda: render_template("audit/_filter.html", form=form))
    entries = _entries(page, "Endringslogg, nyeste først")
    return render_template("audit/index.html", filter_form=filter_form, entries=entries, page=page)


def _page(query, link) -> Page:
    return page_of_statement(query, page_number(request.args.get("page")), link, per_page=PER_PAGE)


def _entries(page: Page, caption: str) -> Markup:
    return queries.entries_html(
        page.rows, caption, lambda: render_template("audit/_entries.html", page=page, caption=caption)
    )


def _fill_choices(form: AuditFilterForm, choices: queries.FilterChoices) -> None:
    form.user.choices = list(choices.users)
    form.action.choices = list(choices.actions)
    form.object_type.choices = list(choices.object_types)


@bp.route("/tiltak/<int:measure_id>")
@login_required
def measure_log(measure_id: int):
    measure = measure_or_404(measure_id)
    if not current_user.can_read_all:
        abort(403)
    query = queries.entry_rows(services.AuditFilter(measure_id=measure.id))
    page = _page(query, page_link("audit.measure_log", {"measure_id": measure.id}, "page"))
    entries = _entries(page, f"Endringer på tiltak {measure.code}, nyeste først")
    return render_template("audit/measure_log.html", measure=measure, entries=entries, page=page)
