"""One set of pages for the records a measure owns: milestones, KPIs, risk items, dependencies, staff.

A feature makes one `ItemPages` for its record and adds the pages it has, one line each, much as
Flask's `add_url_rule`: the list with its add form, the edit page, the page of a measure's one
record, the delete action. Every page is the same thin view (validate → service → commit → flash →
redirect) and renders `<blueprint>/<endpoint>.html`. Every form carries the version of the record it
shows, and a save that lost a race (tracker.errors.EditConflict) gets the conflict page: 409, the
user's input kept, what is stored now beside it. This module imports no feature: the feature passes
its measure lookup and page context in.
"""

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.errors import EditConflict, ServiceError
from tracker.extensions import db
from tracker.web.conflicts import conflict_page
from tracker.web.errors import apply_errors
from tracker.web.forms import DeleteForm
from tracker.web.responses import commit_then_redirect, form_status


def _nothing(*_args) -> None:
    return None


def _values(form) -> dict:
    return form.values()


class ItemPages:
    """The pages of one kind of record a measure owns, added to the feature's blueprint.

    `measure_or_404(measure_id)` finds the measure; `page_context(measure, active)` frames every page
    with the follow-up sub-menu at `active`. `saved_url(item)` is where an added or edited record
    leads, when not back to the list.
    """

    def __init__(
        self,
        bp: Blueprint,
        model: type | None,
        form_class: type,
        measure_or_404: Callable[[int], Any],
        page_context: Callable[[Any, str], dict],
        active: str,
        saved_url: Callable[[Any], str] | None = None,
    ):
        self.bp, self.model, self.form_class, self.active = bp, model, form_class, active
        self.measure_or_404, self.page_context, self.saved_url = measure_or_404, page_context, saved_url
        self.list_endpoint = ""

    def list_page(
        self,
        rule: str,
        endpoint: str,
        context: Callable[[Any], dict],
        create: Callable[[Any, Any, Any], Any],
        added: str,
        prepare_form: Callable[[Any, Any], None] = _nothing,
        read_form: Callable[[Any], Any] = _values,
        refused: tuple[type[Exception], ...] = (),
        refused_field: str = "",
    ) -> None:
        """The measure's records, `context(measure)`, with an add form: `create(measure, user, values)`.

        `prepare_form(form, measure)` sets choices or stored values; `read_form(form)` gives the values
        (`form.values()` unless the form has none); the errors in `refused` are shown
        on the form (by `refused_field` when they name no field) instead of failing the request.
        """
        self.list_endpoint = endpoint
        template = self._template(endpoint)

        def view(measure_id: int):
            measure = self.measure_or_404(measure_id)
            form = self.form_class()
            prepare_form(form, measure)
            if form.validate_on_submit():
                try:
                    item = create(measure, current_user, read_form(form))
                except refused as exc:
                    _show_refusal(form, exc, refused_field)
                except EditConflict:
                    # The same record was added at the same moment (a unique row): show the list as it is now.
                    db.session.rollback()
                    measure = self.measure_or_404(measure_id)
                    frame = {**context(measure), **self._frame(measure)}
                    return conflict_page(template, form, None, self._list_url(measure.id), **frame)
                else:
                    return commit_then_redirect(added.format(item=item), self._saved_url(item, measure.id))
            return render_template(template, form=form, **context(measure), **self._frame(measure)), form_status(form)

        self._add_rule(rule, endpoint, view, ["GET", "POST"])

    def edit_page(
        self,
        rule: str,
        endpoint: str,
        update: Callable[[Any, Any, dict, int | None], Any],
        updated: str,
        prepare_form: Callable[[Any, Any], None] = _nothing,
        fill_form: Callable[[Any, Any], None] = _nothing,
    ) -> None:
        """One record's edit form: `update(item, user, form.values(), seen_version)`; the template gets
        the record under the rule's id name without `_id` (`<int:milestone_id>` gives `milestone`).

        The form shows the record's attributes (and its version); `fill_form(form, item)` shows what
        they cannot (numbers written the Norwegian way).
        """
        template = self._template(endpoint)

        def view(**url_values):
            ((id_name, item_id),) = url_values.items()
            item = self._item_or_404(item_id)
            form = self.form_class(obj=item)
            prepare_form(form, item)
            if not form.is_submitted():
                fill_form(form, item)
            if form.validate_on_submit():
                try:
                    update(item, current_user, form.values(), form.version.seen())
                except EditConflict:
                    db.session.rollback()
                    item = self._item_or_404(item_id)
                    stored = self._stored_form(item, prepare_form, fill_form)
                    saved_url = self._saved_url(item, item.measure_id)
                    return conflict_page(template, form, item, saved_url, stored, **self._item_frame(id_name, item))
                return commit_then_redirect(updated.format(item=item), self._saved_url(item, item.measure_id))
            return render_template(template, form=form, **self._item_frame(id_name, item)), form_status(form)

        self._add_rule(rule, endpoint, view, ["GET", "POST"])

    def record_page(
        self,
        rule: str,
        endpoint: str,
        record_of: Callable[[Any], Any],
        save: Callable[[Any, Any, dict, int | None], Any],
        saved: str,
        fill_form: Callable[[Any, Any], None],
    ) -> None:
        """The page of a measure's one record (employee consequences): `record_of(measure)` finds it
        (None before the first save), `fill_form(form, record)` shows it, and
        `save(measure, user, form.values(), seen_version)` creates or changes it. The template gets
        the record as `record`; a form opened before the record existed carries version 0.
        """
        self.list_endpoint = endpoint
        template = self._template(endpoint)

        def view(measure_id: int):
            measure = self.measure_or_404(measure_id)
            record = record_of(measure)
            form = self.form_class()
            if not form.is_submitted() and record is not None:
                fill_form(form, record)
                form.version.data = str(record.version)
            if form.validate_on_submit():
                try:
                    save(measure, current_user, form.values(), form.version.seen())
                except EditConflict:
                    db.session.rollback()
                    measure = self.measure_or_404(measure_id)
                    record = record_of(measure)
                    stored = self._stored_form(record, _nothing, fill_form)
                    frame = {"record": record, **self._frame(measure)}
                    return conflict_page(template, form, record, self._list_url(measure.id), stored, **frame)
                return commit_then_redirect(saved, self._list_url(measure.id))
            page = render_template(template, form=form, record=record, **self._frame(measure))
            return page, form_status(form)

        self._add_rule(rule, endpoint, view, ["GET", "POST"])

    def delete_action(self, rule: str, endpoint: str, delete: Callable[[Any, Any], None], deleted: str) -> None:
        """A confirmed delete, `delete(item, user)`, back to the list."""

        def view(**url_values):
            item = self._item_or_404(*url_values.values())
            measure_id = item.measure_id
            if DeleteForm().validate_on_submit():
                delete(item, current_user)
                return commit_then_redirect(deleted.format(item=item), self._list_url(measure_id))
            return redirect(self._list_url(measure_id))

        self._add_rule(rule, endpoint, view, ["POST"])

    def _add_rule(self, rule: str, endpoint: str, view: Callable, methods: list[str]) -> None:
        view.__name__ = endpoint
        self.bp.add_url_rule(rule, endpoint, login_required(view), methods=methods)

    def _frame(self, measure) -> dict:
        return self.page_context(measure, self.active)

    def _item_frame(self, id_name: str, item) -> dict:
        """The edit page's context: the record by the rule's id name without `_id`, and the frame."""
        return {id_name.removesuffix("_id"): item, **self._frame(item.measure)}

    def _stored_form(self, record, prepare_form: Callable, fill_form: Callable):
        """The record as stored now, shown as the form shows it (for the conflict page's differences)."""
        stored = self.form_class(formdata=None, obj=record)
        prepare_form(stored, record)
        if record is not None:
            fill_form(stored, record)
        return stored

    def _template(self, endpoint: str) -> str:
        return f"{self.bp.name}/{endpoint}.html"

    def _list_url(self, measure_id: int) -> str:
        return url_for(f".{self.list_endpoint}", measure_id=measure_id)

    def _saved_url(self, item, measure_id: int) -> str:
        return self.saved_url(item) if self.saved_url else self._list_url(measure_id)

    def _item_or_404(self, item_id: int):
        return db.session.get(self.model, item_id) or abort(404)


def _show_refusal(form, exc: Exception, field: str) -> None:
    # Feature errors not yet on ServiceError carry only a message: show it by the form's field.
    by_field = getattr(exc, "errors_by_field", None) or ({field: str(exc)} if field else {})
    apply_errors(form, ServiceError(str(exc), by_field))
