"""Portfolio pages: the overview and one page per measure."""

from flask import Blueprint, abort, render_template
from flask_login import login_required

from tracker.extensions import db
from tracker.portfolio import services
from tracker.portfolio.models import Measure

bp = Blueprint("portfolio", __name__, url_prefix="/portefolje")


@bp.route("/")
@login_required
def overview():
    programme = services.get_programme()
    measures = services.load_measures(programme) if programme else []
    return render_template("portfolio/overview.html", programme=programme, measures=measures)


@bp.route("/tiltak/<int:measure_id>")
@login_required
def measure(measure_id: int):
    found = db.session.get(Measure, measure_id) or abort(404)
    return render_template("portfolio/measure.html", measure=found)
