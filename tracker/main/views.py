"""Landing page and static information pages."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.accounts.models import ROLE_ADMIN, ROLE_LEDERGRUPPE, ROLE_OWNER, ROLE_READER

bp = Blueprint("main", __name__)
# Where each role lands after logging in; anyone else gets the portfolio overview.
LANDING_PAGES = {
    ROLE_ADMIN: "benefits.dashboard",
    ROLE_LEDERGRUPPE: "benefits.dashboard",
    ROLE_OWNER: "benefits.mine",
    ROLE_READER: "portfolio.overview",
}


@bp.route("/")
@login_required
def index():
    """Send each role to its landing page."""
    return redirect(url_for(LANDING_PAGES.get(current_user.role, "portfolio.overview")))


@bp.route("/tilgjengelighet")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/ping")
def ping():
    """A trivial endpoint (health checks, and the baseline of the HTTP benchmark)."""
    return {"status": "ok", "user": current_user.is_authenticated}
