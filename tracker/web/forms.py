"""Form pieces every feature shares: select choices, a GET form, a confirmed delete, the Norwegian number and quarter
fields and the hidden version that makes a stale save a conflict."""

from decimal import Decimal

from flask import has_request_context, request
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from tracker.money import NumberFormatError, format_decimal, parse_decimal
from tracker.periods import Quarter


def choice_list(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class DecimalTextField(StringField):
    """A number typed the Norwegian way ("-2,5", "1 234"); `.number` holds it after validation."""

    number: Decimal | None = None

    def pre_validate(self, form) -> None:  # noqa: ARG002 - WTForms' signature
        try:
            self.number = parse_decimal(self.data)
        except NumberFormatError as exc:
            raise ValidationError(str(exc)) from exc

    def set_number(self, value: Decimal | None, decimals: int = 2) -> None:
        """Show a stored number in the field (comma decimals, trailing zeros dropped)."""
        if value is None:
            self.data = ""
            return
        text = format_decimal(value, decimals).replace("\u00a0", " ")
        self.data = text.rstrip("0").rstrip(",") if "," in text else text


class QuarterField(StringField):
    """A quarter typed as 2026-Q2; `.quarter` holds it after validation."""

    quarter: Quarter | None = None

    def pre_validate(self, form) -> None:  # noqa: ARG002
        try:
            self.quarter = Quarter.parse(self.data or "")
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class VersionField(HiddenField):
    """The version of the record the form was opened at ("0": there was none yet), sent back with the
    save so that a save made from an older version is refused (tracker.database.check_version).

    A post without the field (a script, a page from before versions) gives None: nothing to compare.
    """

    def __init__(self, label: str = "", **kwargs):
        kwargs.setdefault("default", "0")
        super().__init__(label, **kwargs)

    def process(self, formdata, *args, **kwargs) -> None:
        super().process(formdata, *args, **kwargs)
        if formdata is None and has_request_context() and request.method == "POST":
            # Flask-WTF passes no form data for a post with an empty body: that carried no version.
            self.data = None

    def process_formdata(self, valuelist) -> None:
        self.data = valuelist[0] if valuelist else None

    def seen(self) -> int | None:
        """The version the user saw, or None when the form carried none."""
        text = str(self.data if self.data is not None else "").strip()
        return int(text) if text.isdigit() else None


class VersionsField(VersionField):
    """The versions of the records a form may change, by key ("2026=1 2027=3"): for a form that picks
    its record on the page (the take-out's year). A key without a record when opened counts as 0."""

    def __init__(self, label: str = "", **kwargs):
        kwargs.setdefault("default", "")
        super().__init__(label, **kwargs)

    def set_versions(self, versions: dict) -> None:
        self.data = " ".join(f"{key}={version}" for key, version in sorted(versions.items()))

    def seen_for(self, key) -> int | None:
        """The version of `key`'s record the user saw, or None when the form carried no versions."""
        if self.data is None:
            return None
        pairs = dict(part.partition("=")[::2] for part in str(self.data).split())
        text = pairs.get(str(key), "0")
        return int(text) if text.isdigit() else None


class GetForm(FlaskForm):
    """A form a GET request fills (filters, sort order): no CSRF token, since it changes nothing."""

    class Meta:
        csrf = False


class DeleteForm(FlaskForm):
    """Only the CSRF token: a confirmed delete."""
