"""The owner's quarter on one page: figures, status update, employee consequences and risk, saved or submitted."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.accounts.permissions import require_measure_edit
from tracker.errors import EditConflict
from tracker.extensions import db
from tracker.followup import pages, services
from tracker.periods import Quarter, current_quarter
from tracker.portfolio.lookups import measure_or_404
from tracker.web.conflicts import conflict_page
from tracker.web.errors import apply_errors
from tracker.web.paths import quarter_or_404
from tracker.web.responses import commit_then_redirect, form_status

bp = Blueprint("followup", __name__, url_prefix="/oppfolging")


def _quarter_or_404(key: str) -> Quarter:
    """The quarter in the URL, one that has begun; else 404."""
    quarter = quarter_or_404(key)
    return quarter if quarter <= current_quarter() else abort(404)


@bp.app_template_global("owner_due")
def owner_due(user, page: int = 1) -> dict:
    """What the owner owes per measure, for "Mine tiltak" (a page of tracker.benefits, which sits below this one)."""
    return pages.owner_due(user, page)


@bp.route("/tiltak/<int:measure_id>/kvartalsrapport/<quarter_key>", methods=["GET", "POST"])
@login_required
def quarter_report(measure_id: int, quarter_key: str):
    measure, quarter = measure_or_404(measure_id), _quarter_or_404(quarter_key)
    require_measure_edit(current_user, measure, "quarter_report.view")
    form = pages.quarter_form_for(measure, quarter, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        submit = bool(form.submit_report.data)
        try:
            services.save_quarter(measure, quarter, pages.quarter_input(form), current_user, submit)
        except services.QuarterError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        except EditConflict:
            return _conflict(measure_id, quarter, form)
        else:
            message = f"Kvartalsrapporten for {quarter.label} er sendt inn." if submit else "Utkastet er lagret."
            return commit_then_redirect(message, _page(measure.id, quarter))
    return render_template("followup/quarter.html", **pages.quarter_context(measure, quarter, form)), form_status(form)


def _page(measure_id: int, quarter: Quarter) -> str:
    return url_for(".quarter_report", measure_id=measure_id, quarter_key=quarter.key)


def _conflict(measure_id: int, quarter: Quarter, form):
    """409: the page again with what the owner typed, beside what someone else saved meanwhile.

    The form takes the stored versions, so sending it again is a deliberate choice to replace that save.
    """
    db.session.rollback()
    measure = measure_or_404(measure_id)
    stored = pages.quarter_form_for(measure, quarter)
    form.versions.data = stored.versions.data
    context = pages.quarter_context(measure, quarter, form)
    del context["form"]
    return conflict_page("followup/quarter.html", form, None, _page(measure.id, quarter), stored, **context)
