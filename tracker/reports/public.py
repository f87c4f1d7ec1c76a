"""The public page: the politicians' published reports, without log-in (offentleglova).

AMU's reports are never here: services.published_report refuses them, whatever is stored.
"""

from flask import Blueprint, Response, abort, render_template

from tracker.reports import services

bp = Blueprint("public_reports", __name__, url_prefix="/offentlig")
# The report's HTML is a standalone document with its own <style>: it may style itself, nothing more.
REPORT_HTML_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


@bp.route("/rapporter/")
def index():
    reports = services.published_reports()
    # With reports of more than one programme (one after the other), each row says which.
    has_programmes = len({report.programme_id for report in reports}) > 1
    return render_template("reports/public.html", reports=reports, has_programmes=has_programmes)


def _file(report_id: int, kind: str) -> Response:
    report = services.published_report(report_id) or abort(404)
    if kind == "pdf":
        response = Response(report.pdf_bytes, mimetype="application/pdf")
    else:
        response = Response(report.html_text.encode("utf-8"), mimetype="text/html")
        response.headers["Content-Security-Policy"] = REPORT_HTML_POLICY
    response.headers["Content-Disposition"] = f'inline; filename="{report.file_stem}.{kind}"'
    return response


@bp.route("/rapporter/<int:report_id>.pdf")
def report_pdf(report_id: int):
    return _file(report_id, "pdf")


@bp.route("/rapporter/<int:report_id>.html")
def report_html(report_id: int):
    return _file(report_id, "html")
