"""KPI pages of a measure: the list with its add form, a KPI's measurements, edit and delete."""

from flask import Blueprint, abort, render_template, url_for
from flask_login import current_user, login_required

from tracker.errors import EditConflict
from tracker.extensions import db
from tracker.kpis import services
from tracker.kpis.forms import KpiForm, MeasurementForm, suggestion_choices
from tracker.kpis.models import Kpi
from tracker.kpis.rules import DIRECTION_LABELS, TREND_LABELS
from tracker.portfolio.lookups import measure_or_404, page_context
from tracker.web.conflicts import conflict_page
from tracker.web.errors import apply_errors
from tracker.web.forms import DeleteForm
from tracker.web.items import ItemPages
from tracker.web.responses import commit_then_redirect, form_status

bp = Blueprint("kpis", __name__, url_prefix="/oppfolging")


def _list_context(measure) -> dict:
    rows = [services.kpi_status(kpi) for kpi in services.kpis_for(measure)]
    return {"rows": rows, "directions": DIRECTION_LABELS, "trends": TREND_LABELS}


def _prepare_add_form(form: KpiForm, measure) -> None:
    form.suggestion.choices = suggestion_choices(services.suggestions_for(measure))


def _prepare_edit_form(form: KpiForm, kpi: Kpi) -> None:  # noqa: ARG001 - ItemPages' signature
    form.suggestion.choices = suggestion_choices([])


def _fill_edit_form(form: KpiForm, kpi: Kpi) -> None:
    form.baseline_value.set_number(kpi.baseline_value, 4)
    form.target_value.set_number(kpi.target_value, 4)


pages = ItemPages(
    bp, Kpi, KpiForm, measure_or_404, page_context, "kpis", saved_url=lambda kpi: url_for(".detail", kpi_id=kpi.id)
)
pages.list_page(
    "/tiltak/<int:measure_id>/kpi",
    "index",
    _list_context,
    services.create_kpi,
    "KPI-en «{item.name}» er opprettet.",
    prepare_form=_prepare_add_form,
)
pages.edit_page(
    "/kpi/<int:kpi_id>/endre",
    "edit",
    services.update_kpi,
    "KPI-en er oppdatert.",
    prepare_form=_prepare_edit_form,
    fill_form=_fill_edit_form,
)
pages.delete_action("/kpi/<int:kpi_id>/slett", "delete", services.delete_kpi, "KPI-en er slettet.")


def _kpi_or_404(kpi_id: int) -> Kpi:
    return db.session.get(Kpi, kpi_id) or abort(404)


def _detail_context(kpi: Kpi) -> dict:
    return {
        "kpi": kpi,
        "status": services.kpi_status(kpi),
        "directions": DIRECTION_LABELS,
        "trends": TREND_LABELS,
        "delete_form": DeleteForm(),
        **page_context(kpi.measure, "kpis"),
    }


@bp.route("/kpi/<int:kpi_id>", methods=["GET", "POST"])
@login_required
def detail(kpi_id: int):
    kpi = _kpi_or_404(kpi_id)
    form = MeasurementForm()
    if form.validate_on_submit():
        try:
            services.record_measurement(
                kpi, current_user, form.quarter.quarter, form.value.number, form.note.data or ""
            )
        except services.KpiError as exc:
            apply_errors(form, exc)
        except EditConflict:
            # Someone entered the same quarter at the same moment: show the measurements as they are now.
            db.session.rollback()
            kpi = _kpi_or_404(kpi_id)
            return conflict_page(
                "kpis/detail.html", form, None, url_for(".detail", kpi_id=kpi.id), **_detail_context(kpi)
            )
        else:
            return commit_then_redirect(
                f"Måling for {form.quarter.quarter.label} er lagret.", url_for(".detail", kpi_id=kpi.id)
            )
    return render_template("kpis/detail.html", form=form, **_detail_context(kpi)), form_status(form)
