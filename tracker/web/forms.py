"""Form pieces every feature shares: select choices, a confirmed delete and the Norwegian number and quarter fields."""

from decimal import Decimal

from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import StringField
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


def rendered_csrf_field(form: FlaskForm) -> Markup:
    """The form's hidden CSRF field as HTML (nothing when CSRF is off), for a page that repeats the
    same small form on hundreds of rows: rendered once instead of once per row."""
    field = getattr(form, "csrf_token", None)
    return Markup(field()) if field is not None else Markup("")


class DeleteForm(FlaskForm):
    """Only the CSRF token: a confirmed delete."""
