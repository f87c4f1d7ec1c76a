"""Landing page and static information pages."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    """Send each role to its landing page."""
    return redirect(url_for("portfolio.overview"))


@bp.route("/tilgjengelighet")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/ping")
def ping():
    """A trivial endpoint (health checks, and the baseline of the HTTP benchmark)."""
    return {"status": "ok", "user": current_user.is_authenticated}
