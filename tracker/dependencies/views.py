"""The dependencies page of a measure: what it builds on, what builds on it, add and remove."""

from flask import Blueprint

from tracker.dependencies import services
from tracker.dependencies.forms import DependencyForm, measure_choices
from tracker.dependencies.models import MeasureDependency
from tracker.periods import today_oslo
from tracker.portfolio.lookups import measure_or_404, page_context
from tracker.web.items import ItemPages

bp = Blueprint("dependencies", __name__, url_prefix="/oppfolging")


def _view(measure) -> dict:
    return {"view": services.dependency_view(measure, today_oslo())}


def _prepare_form(form: DependencyForm, measure) -> None:
    form.depends_on.choices = measure_choices(services.candidates_for(measure))


def _read_form(form: DependencyForm) -> dict:
    return {"depends_on": measure_or_404(form.depends_on.data), "note": form.note.data or ""}


def _add(measure, user, values: dict) -> MeasureDependency:
    return services.add_dependency(measure, values["depends_on"], user, values["note"])


pages = ItemPages(bp, MeasureDependency, DependencyForm, measure_or_404, page_context, "dependencies")
pages.list_page(
    "/tiltak/<int:measure_id>/avhengigheter",
    "index",
    _view,
    _add,
    "Avhengigheten er registrert.",
    prepare_form=_prepare_form,
    read_form=_read_form,
    refused=(services.DependencyError,),
    refused_field="depends_on",
)
pages.delete_action(
    "/avhengigheter/<int:dependency_id>/slett", "delete", services.remove_dependency, "Avhengigheten er fjernet."
)
