"""Report pages: the archive with downloads, "build now", and the recipient lists."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.accounts.permissions import can_administer, require_admin
from tracker.extensions import db
from tracker.portfolio.queries import current_programme
from tracker.portfolio.read_only import is_read_only
from tracker.reports import claims, jobs, services
from tracker.reports.forms import BuildForm, PublishForm, RecipientForm, RemoveRecipientForm
from tracker.reports.models import AUDIENCE_LABELS, AUDIENCES, TRIGGER_LABELS, Report, ReportRecipient
from tracker.reports.words import plural
from tracker.web.errors import apply_errors

bp = Blueprint("reports", __name__, url_prefix="/rapporter")


def _send_outbox_quietly() -> int:
    """Send queued mails now; a failure leaves them for the scheduler's next try."""
    try:
        return jobs.send_pending()
    except Exception:  # noqa: BLE001 - the report is stored; the outbox retries
        db.session.rollback()
        return 0


@bp.route("/")
@login_required
def index():
    programme = current_programme(current_user)
    form = BuildForm() if can_administer(current_user) and not is_read_only(programme) else None
    return _render_index(form, programme)


def _render_index(form, programme, status: int = 200):
    """The archive of the current programme's reports (none before a programme is imported)."""
    audiences = services.readable_audiences(current_user)
    context = {
        "programme": programme,
        "reports": services.list_reports(programme, audiences=audiences) if programme else [],
        "failed_runs": claims.failed_runs(audiences),
        "form": form,
        "audience_labels": AUDIENCE_LABELS,
        "trigger_labels": TRIGGER_LABELS,
        "publish_form": PublishForm() if can_administer(current_user) else None,
    }
    return render_template("reports/index.html", sent_to=services.sent_to, **context), status


@bp.route("/bygg", methods=["POST"])
@login_required
def build():
    require_admin(current_user, "report.build")
    form = BuildForm()
    programme = current_programme(current_user)
    if programme is None:
        flash("Ingen portefølje er importert ennå.", "error")
        return redirect(url_for("reports.index"))
    if not form.validate_on_submit():
        return _render_index(form, programme, 400)
    try:
        report = services.request_build(
            current_user, programme, form.period.quarter, form.audience.data, form.send.data, form.preview.data
        )
    except services.ReportError as exc:
        db.session.rollback()
        apply_errors(form, exc)
        return _render_index(form, programme, 400)
    db.session.commit()
    sent = _send_outbox_quietly() if form.send.data else 0
    draft = " som utkast" if report.is_preview else ""
    flash(
        f"Rapporten for {report.period_label} ({AUDIENCE_LABELS[report.audience]}) er bygget{draft} "
        f"som versjon {report.version}."
        + (f" Sendt til {plural(sent, 'mottaker', 'mottakere')}." if form.send.data else ""),
        "success",
    )
    return redirect(url_for("reports.index"))


@bp.route("/<int:report_id>/publisering", methods=["POST"])
@login_required
def publish(report_id: int):
    """Publish or unpublish a politicians' report on the public page (admin)."""
    report = db.session.get(Report, report_id) or abort(404)
    if PublishForm().validate_on_submit():
        try:
            if report.is_published:
                services.unpublish_report(current_user, report)
                message = f"Rapporten for {report.period_label} er tatt av den offentlige siden."
            else:
                services.publish_report(current_user, report)
                message = f"Rapporten for {report.period_label} er publisert på den offentlige siden."
        except services.ReportError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(message, "success")
    return redirect(url_for("reports.index"))


def _download(report_id: int, kind: str) -> Response:
    report = db.session.get(Report, report_id) or abort(404)
    services.require_report_read(current_user, report)
    if kind == "pdf":
        body, mimetype = report.pdf_bytes, "application/pdf"
    else:
        body, mimetype = report.html_text.encode("utf-8"), "text/html"
    # Werkzeug adds "; charset=utf-8" to a text/* mimetype itself.
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{report.file_stem}.{kind}"'
    return response


@bp.route("/<int:report_id>.pdf")
@login_required
def download_pdf(report_id: int):
    return _download(report_id, "pdf")


@bp.route("/<int:report_id>.html")
@login_required
def download_html(report_id: int):
    return _download(report_id, "html")


@bp.route("/mottakere", methods=["GET", "POST"])
@login_required
def recipients():
    require_admin(current_user, "report.recipients")
    form = RecipientForm()
    if form.validate_on_submit():
        try:
            services.add_recipient(current_user, form.audience.data, form.name.data, form.email.data)
        except services.ReportError as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"{form.name.data} er lagt til.", "success")
            return redirect(url_for("reports.recipients"))
    lists = {audience: services.recipients(audience) for audience in AUDIENCES}
    status = 400 if form.errors else 200
    return render_template(
        "reports/recipients.html", form=form, lists=lists, labels=AUDIENCE_LABELS, remove_form=RemoveRecipientForm()
    ), status


@bp.route("/mottakere/<int:recipient_id>/fjern", methods=["POST"])
@login_required
def remove_recipient(recipient_id: int):
    recipient = db.session.get(ReportRecipient, recipient_id) or abort(404)
    if RemoveRecipientForm().validate_on_submit():
        services.remove_recipient(current_user, recipient)
        db.session.commit()
        flash(f"{recipient.name} er fjernet fra mottakerlisten.", "success")
    return redirect(url_for("reports.recipients"))
