"""Form pieces every feature shares: select choices, a confirmed delete, and the Norwegian number, date and quarter fields."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextInput

from tracker.money import NumberFormatError, format_decimal, parse_decimal
from tracker.periods import Quarter, format_date, parse_date

DATE_HELP = "Skriv datoen som dd.mm.åååå, for eksempel 31.03.2026."
CHOOSE = "Velg"


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


class DateTextField(Field):
    """A date typed as dd.mm.åååå (ISO 2026-03-31 is accepted too), shown as dd.mm.åååå.

    A text input rather than <input type=date>, whose format follows the browser's locale: the
    tracker shows and reads Norwegian dates whatever the browser. `.data` is a date or None; what the
    user typed stays in the field when it is refused.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, description: str = "", **kwargs):
        render_kw = {"autocomplete": "off"}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        help_text = f"{description} {DATE_HELP}" if description else DATE_HELP
        super().__init__(label, validators, description=help_text, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        # parse_date's ValueError ("«…» er ikke en dato. Skriv for eksempel 31.03.2026.") becomes the field's error.
        self.data = parse_date(text) if text else None

    def pre_validate(self, form) -> None:  # noqa: ARG002 - WTForms' signature
        # A date that could not be read says so once; "required" would only repeat it.
        if self.process_errors:
            raise StopValidation()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return format_date(self.data) if isinstance(self.data, date) else ""


class QuarterSelectField(SelectField):
    """A quarter chosen from a list (values "2026-Q2", labels "2. kvartal 2026"); `.quarter` holds it after validation.

    `quarters()` gives the quarters offered, called when the form is made; "Velg kvartal" comes first,
    so nothing is chosen for the user.
    """

    quarter: Quarter | None = None

    def __init__(self, label=None, validators=None, quarters: Callable[[], list[Quarter]] = list, **kwargs):
        self._quarters = quarters
        super().__init__(
            label, validators, choices=self._choices_now, invalid_choice_message="Velg et kvartal i listen.", **kwargs
        )

    def _choices_now(self) -> list[SelectChoice]:
        return choice_list([("", f"{CHOOSE} kvartal"), *((q.key, q.label) for q in self._quarters())])

    def pre_validate(self, form) -> None:
        self.quarter = None
        if not self.data:
            return
        super().pre_validate(form)
        self.quarter = Quarter.parse(self.data)


class DeleteForm(FlaskForm):
    """Only the CSRF token: a confirmed delete."""


class ConfirmForm(FlaskForm):
    """Only the CSRF token: a button that confirms one action (mark reviewed, approve)."""
