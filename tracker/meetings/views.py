"""Ledergruppe pages: the work queue, meetings with agenda and minutes, the decision log, PDFs."""

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from tracker.errors import EditConflict
from tracker.extensions import db
from tracker.meetings import document, pages, services
from tracker.meetings.forms import MeetingForm
from tracker.meetings.models import Meeting, MeetingItem
from tracker.meetings.render_pdf import render_pdf
from tracker.meetings.services import MeetingError
from tracker.periods import today_oslo
from tracker.portfolio.queries import current_programme
from tracker.web.conflicts import conflict_page
from tracker.web.errors import apply_errors
from tracker.web.forms import ConfirmForm
from tracker.web.paging import page_number
from tracker.web.responses import commit_or_flash_refusal, commit_then_redirect, form_status

bp = Blueprint("meetings", __name__, url_prefix="/ledergruppe")


def _programme():
    return current_programme(current_user) or abort(404)


def _meeting(meeting_id: int) -> Meeting:
    return db.session.get(Meeting, meeting_id) or abort(404)


def _item(item_id: int) -> MeetingItem:
    return db.session.get(MeetingItem, item_id) or abort(404)


def _to_meeting(meeting_id: int, anchor: str | None = None):
    return url_for("meetings.meeting", meeting_id=meeting_id, _anchor=anchor)


@bp.app_template_global("work_queue_preview")
def work_queue_preview(programme) -> Markup:
    """The top of the work queue for the dashboard as HTML (a page of tracker.benefits, which sits below this one)."""
    return pages.preview_html(programme)


@bp.route("/")
@login_required
def queue():
    context = pages.queue_context(_programme(), current_user, page_number(request.args.get("side")))
    return render_template("meetings/queue.html", **context)


@bp.route("/saksliste", methods=["POST"])
@login_required
def add_to_agenda():
    programme = _programme()
    context = pages.queue_context(programme, current_user, formdata=request.form)
    form = context["form"]
    if form.validate_on_submit():
        meeting = _meeting(form.meeting.data)
        try:
            added = services.add_to_agenda(meeting, form.keys.data, today_oslo(), current_user)
        except MeetingError as exc:
            apply_errors(form, exc)
        else:
            message = f"{len(added)} sak(er) er satt på sakslisten for {pages.meeting_label(meeting)}."
            return commit_then_redirect(message, _to_meeting(meeting.id))
    return render_template("meetings/queue.html", **context), form_status(form)


@bp.route("/moter", methods=["GET", "POST"])
@login_required
def meetings():
    programme = _programme()
    form = MeetingForm()
    if form.validate_on_submit():
        meeting = services.create_meeting(
            programme, form.meeting_date.data, form.title.data, form.attendees.data, current_user
        )
        return commit_then_redirect(f"{pages.meeting_label(meeting)} er opprettet.", _to_meeting(meeting.id))
    page = render_template("meetings/meetings.html", **pages.meetings_context(programme, current_user, form))
    return page, form_status(form)


@bp.route("/moter/<int:meeting_id>")
@login_required
def meeting(meeting_id: int):
    context = pages.meeting_context(_meeting(meeting_id), current_user)
    return render_template("meetings/meeting.html", **context)


@bp.route("/moter/<int:meeting_id>/rediger", methods=["POST"])
@login_required
def edit_meeting(meeting_id: int):
    found = _meeting(meeting_id)
    form = pages.meeting_form(found, request.form)
    if form.validate_on_submit():
        try:
            services.update_meeting(found, form.data, current_user, form.version.seen())
        except MeetingError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        except EditConflict:
            return _meeting_conflict(meeting_id, form)
        else:
            return commit_then_redirect("Møteopplysningene er lagret.", _to_meeting(found.id))
    context = pages.meeting_context(found, current_user, info_form=form)
    return render_template("meetings/meeting.html", **context), form_status(form)


def _meeting_conflict(meeting_id: int, form: MeetingForm):
    """409: the meeting page with the user's meeting details kept beside what is stored now."""
    db.session.rollback()
    found = _meeting(meeting_id)
    context = pages.meeting_context(found, current_user, info_form=form)
    return conflict_page(
        "meetings/meeting.html", form, found, _to_meeting(found.id), pages.meeting_form(found), **context
    )


@bp.route("/saker/<int:item_id>/utfall", methods=["POST"])
@login_required
def record(item_id: int):
    item = _item(item_id)
    form = pages.outcome_form(item, pages.user_choices(), request.form)
    if form.validate_on_submit():
        data = services.OutcomeInput(
            form.outcome.data, form.decision.data or "", form.responsible.data, form.due_date.data
        )
        try:
            services.record_outcome(item, data, current_user, form.version.seen())
        except MeetingError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        except EditConflict:
            return _outcome_conflict(item_id, form)
        else:
            return commit_then_redirect(
                f"Utfallet av «{item.title}» er lagret.", _to_meeting(item.meeting_id, f"sak-{item.id}")
            )
    context = pages.meeting_context(item.meeting, current_user, forms={item.id: form})
    return render_template("meetings/meeting.html", **context), form_status(form)


def _outcome_conflict(item_id: int, form):
    """409: the meeting page with the user's outcome kept in its item's form, beside what is stored now."""
    db.session.rollback()
    item = _item(item_id)
    stored = pages.outcome_form(item, pages.user_choices())
    context = pages.meeting_context(item.meeting, current_user, forms={item.id: form})
    return conflict_page(
        "meetings/meeting.html", form, item, _to_meeting(item.meeting_id, f"sak-{item.id}"), stored, **context
    )


@bp.route("/saker/<int:item_id>/fjern", methods=["POST"])
@login_required
def remove(item_id: int):
    item = _item(item_id)
    meeting_id = item.meeting_id
    if ConfirmForm().validate_on_submit():
        commit_or_flash_refusal(
            lambda: services.remove_from_agenda(item, current_user), MeetingError, "Saken er tatt av sakslisten."
        )
    return redirect(_to_meeting(meeting_id))


@bp.route("/saker/<int:item_id>/utfort", methods=["POST"])
@login_required
def close_followup(item_id: int):
    item = _item(item_id)
    back = request.form.get("next") == "logg"
    target = url_for("meetings.log") if back else _to_meeting(item.meeting_id, f"sak-{item.id}")
    if ConfirmForm().validate_on_submit():
        commit_or_flash_refusal(
            lambda: services.close_followup(item, current_user), MeetingError, "Oppfølgingen er merket som utført."
        )
    return redirect(target)


@bp.route("/moter/<int:meeting_id>/<kind>.pdf")
@login_required
def pdf(meeting_id: int, kind: str):
    if kind not in document.KIND_TITLES:
        abort(404)
    found = pages.meeting_document(_meeting(meeting_id), kind)
    response = Response(render_pdf(found), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{found.file_name}"'
    return response


@bp.route("/beslutningslogg")
@login_required
def log():
    return render_template("meetings/log.html", **pages.log_context(_programme(), current_user))
