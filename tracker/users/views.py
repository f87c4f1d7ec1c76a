"""User administration: list, create, edit, reset password (admin only)."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from tracker.accounts import permissions
from tracker.users import services

bp = Blueprint("users", __name__, url_prefix="/brukere")


@bp.route("/")
@login_required
def index():
    permissions.require_admin(current_user, "user.list")
    return render_template("users/index.html", users=services.list_users())
