"""Status-update pages: per measure, one quarter's update, reporting rounds."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.accounts.permissions import can_administer
from tracker.confidence import LABELS
from tracker.errors import EditConflict
from tracker.extensions import db
from tracker.periods import Quarter, current_quarter
from tracker.portfolio.lookups import measure_or_404, page_context
from tracker.portfolio.queries import current_programme
from tracker.portfolio.read_only import is_read_only
from tracker.updates import services
from tracker.updates.forms import CommentForm, ReviewForm, RoundForm, StatusUpdateForm
from tracker.updates.models import ReportingRound, StatusUpdate
from tracker.updates.services import UpdateError
from tracker.web.conflicts import conflict_page
from tracker.web.errors import apply_errors
from tracker.web.paging import page_link, page_number, page_of
from tracker.web.paths import quarter_or_404
from tracker.web.responses import commit_or_flash_refusal, form_status

bp = Blueprint("updates", __name__, url_prefix="/oppfolging")


@bp.route("/tiltak/<int:measure_id>/statusrapporter")
@login_required
def index(measure_id: int):
    measure = measure_or_404(measure_id)
    return render_template(
        "updates/index.html",
        updates=services.updates_for(measure),
        current=current_quarter(),
        labels=LABELS,
        **page_context(measure, "updates"),
    )


def _quarter_context(measure, period: Quarter, update: StatusUpdate | None) -> dict:
    return {
        "update": update,
        "period": period,
        "labels": LABELS,
        "comment_form": CommentForm(),
        "review_form": ReviewForm(),
        **page_context(measure, "updates"),
    }


@bp.route("/tiltak/<int:measure_id>/statusrapporter/<quarter_key>", methods=["GET", "POST"])
@login_required
def quarter(measure_id: int, quarter_key: str):
    measure, period = measure_or_404(measure_id), quarter_or_404(quarter_key)
    update = services.update_for(measure, period)
    form = StatusUpdateForm(obj=update)
    if form.validate_on_submit():
        submit = bool(form.submit_update.data)
        try:
            services.save_update(measure, period, current_user, form.values(), submit, form.version.seen())
        except UpdateError as exc:
            # Shown on the form as typed (a redirect would lose the text).
            db.session.rollback()
            apply_errors(form, exc)
        except EditConflict:
            return _quarter_conflict(measure_id, period, form)
        else:
            db.session.commit()
            flash("Statusrapporten er sendt inn." if submit else "Utkastet er lagret.", "success")
            return redirect(url_for(".quarter", measure_id=measure.id, quarter_key=period.key))
    page = render_template("updates/quarter.html", form=form, **_quarter_context(measure, period, update))
    return page, form_status(form)


def _quarter_conflict(measure_id: int, period: Quarter, form: StatusUpdateForm):
    db.session.rollback()
    measure = measure_or_404(measure_id)
    update = services.update_for(measure, period)
    stored = StatusUpdateForm(formdata=None, obj=update)
    discard_url = url_for(".quarter", measure_id=measure.id, quarter_key=period.key)
    return conflict_page(
        "updates/quarter.html", form, update, discard_url, stored, **_quarter_context(measure, period, update)
    )


def _update_or_404(update_id: int) -> StatusUpdate:
    return db.session.get(StatusUpdate, update_id) or abort(404)


def _back(update: StatusUpdate):
    return redirect(url_for(".quarter", measure_id=update.measure_id, quarter_key=update.period.key))


@bp.route("/statusrapporter/<int:update_id>/kommentar", methods=["POST"])
@login_required
def comment(update_id: int):
    update, form = _update_or_404(update_id), CommentForm()
    if not form.validate_on_submit():
        if (form.body.data or "").strip():
            abort(400, description="Kommentaren ble ikke lagret: " + " ".join(form.body.errors))
        flash("Kommentaren kan ikke være tom.", "error")
        return _back(update)
    return _act_on(update, lambda: services.add_comment(update, current_user, form.body.data), "Kommentaren er lagret.")


@bp.route("/statusrapporter/<int:update_id>/gjennomgatt", methods=["POST"])
@login_required
def review(update_id: int):
    update = _update_or_404(update_id)
    if not ReviewForm().validate_on_submit():
        return _back(update)
    return _act_on(
        update, lambda: services.mark_reviewed(update, current_user), "Statusrapporten er merket som gjennomgått."
    )


def _act_on(update: StatusUpdate, action, success_message: str):
    """Run one service action on an update: commit and confirm, or show why it was refused."""
    commit_or_flash_refusal(action, UpdateError, success_message)
    return _back(update)


@bp.route("/runder", methods=["GET", "POST"])
@login_required
def rounds():
    programme = current_programme(current_user) or abort(404)
    form = RoundForm()
    if form.validate_on_submit():
        try:
            created = services.create_round(programme, form.quarter.quarter, form.deadline_date.data, current_user)
        except UpdateError as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Rapporteringsrunden for {created.period.label} er opprettet.", "success")
            return redirect(url_for(".round_detail", round_id=created.id))
    page = render_template(
        "updates/rounds.html",
        form=form,
        programme=programme,
        rounds=services.rounds(programme),
        is_admin=can_administer(current_user) and not is_read_only(programme),
    )
    return page, form_status(form)


@bp.route("/runder/<int:round_id>")
@login_required
def round_detail(round_id: int):
    reporting_round = db.session.get(ReportingRound, round_id) or abort(404)
    rows = services.round_overview(reporting_round)
    counts = {state: sum(1 for row in rows if row.state == state) for state in ("levert", "utkast", "mangler")}
    return render_template(
        "updates/round.html",
        reporting_round=reporting_round,
        page=page_of(
            rows, page_number(request.args.get("side")), page_link("updates.round_detail", {"round_id": round_id})
        ),
        counts=counts,
        labels=LABELS,
        reminded=services.reminded_owner_ids(reporting_round),
        unremindable=services.unremindable(reporting_round),
        is_admin=can_administer(current_user),
    )
