"""Form pieces every feature shares: the base form, clean text, select choices, a GET form, a confirmed delete,
the Norwegian number, quarter and date fields (dates typed and shown as dd.mm.åååå) and the hidden version that makes a stale save a conflict.

Every form derives from `TrackerForm`: WTForms' own messages come in Norwegian, and a form reads
only form fields (and files for its file fields) from a request, never a JSON body. Every text
field carries `CleanText(rule)` (or is a `ParsedTextField`, which checks itself), so no text with
control characters or beyond its length reaches a service; tests/test_robustness_input.py checks
that no form forgets it.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from flask import current_app, has_request_context, request
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from flask_wtf.file import FileField
from markupsafe import Markup
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import Field, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextInput

from tracker.money import MAX_ABS_VALUE, NumberFormatError, format_decimal, parse_decimal, within
from tracker.periods import Quarter, format_date, parse_date
from tracker.text import TextRule, line, text_problem

NOT_TEXT = "Ugyldig verdi: feltet tar bare tekst."
_MAX_VERSION_DIGITS = 18
_SUBMIT_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
DATE_HELP = "Skriv datoen som dd.mm.åååå, for eksempel 31.03.2026."
CHOOSE = "Velg"
# A date is short: anything longer is refused before it is read.
DATE_TEXT = line(30)

# WTForms' built-in messages (wtforms/locale/wtforms.pot and flask_wtf.file) in Norwegian.
MESSAGES = {
    "Invalid field name '%s'.": "Ukjent felt «%s».",
    "Field must be equal to %(other_name)s.": "Feltet må være likt feltet %(other_name)s.",
    "Field must be at least %(min)d character long.": "Feltet må ha minst %(min)d tegn.",
    "Field must be at least %(min)d characters long.": "Feltet må ha minst %(min)d tegn.",
    "Field cannot be longer than %(max)d character.": "Feltet kan ha høyst %(max)d tegn.",
    "Field cannot be longer than %(max)d characters.": "Feltet kan ha høyst %(max)d tegn.",
    "Field must be exactly %(max)d character long.": "Feltet må ha nøyaktig %(max)d tegn.",
    "Field must be exactly %(max)d characters long.": "Feltet må ha nøyaktig %(max)d tegn.",
    "Field must be between %(min)d and %(max)d characters long.": "Feltet må ha mellom %(min)d og %(max)d tegn.",
    "Number must be at least %(min)s.": "Tallet må være minst %(min)s.",
    "Number must be at most %(max)s.": "Tallet kan være høyst %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Tallet må ligge mellom %(min)s og %(max)s.",
    "Date must be at least %(min)s.": "Datoen må være %(min)s eller senere.",
    "Date must be at most %(max)s.": "Datoen må være %(max)s eller tidligere.",
    "Date must be between %(min)s and %(max)s.": "Datoen må ligge mellom %(min)s og %(max)s.",
    "This field is required.": "Feltet må fylles ut.",
    "Invalid input.": "Ugyldig verdi.",
    "Invalid email address.": "Skriv en gyldig e-postadresse.",
    "Invalid IP address.": "Skriv en gyldig IP-adresse.",
    "Invalid Mac address.": "Skriv en gyldig MAC-adresse.",
    "Invalid URL.": "Skriv en gyldig nettadresse.",
    "Invalid UUID.": "Skriv en gyldig UUID.",
    "Invalid value, must be one of: %(values)s.": "Ugyldig verdi: velg en av %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Ugyldig verdi: kan ikke være %(values)s.",
    "This field cannot be edited.": "Feltet kan ikke endres.",
    "This field is disabled and cannot have a value.": "Feltet er låst og kan ikke ha en verdi.",
    "Invalid CSRF Token.": "Skjemaets sikkerhetsnøkkel er ugyldig. Last inn siden på nytt og prøv igjen.",
    "CSRF token missing.": "Skjemaet mangler sikkerhetsnøkkel. Last inn siden på nytt og prøv igjen.",
    "CSRF failed.": "Skjemaets sikkerhetsnøkkel kunne ikke kontrolleres. Last inn siden på nytt og prøv igjen.",
    "CSRF token expired.": "Skjemaet var utløpt. Last inn siden på nytt og prøv igjen.",
    "Invalid Choice: could not coerce.": "Ugyldig valg. Velg et av alternativene i listen.",
    "Choices cannot be None.": "Listen har ingen alternativer.",
    "Not a valid choice.": "Ugyldig valg. Velg et av alternativene i listen.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Ugyldig valg. Velg blant alternativene i listen.",
    "'%(value)s' is not a valid choice for this field.": "«%(value)s» er ikke et gyldig valg.",
    "'%(value)s' are not valid choices for this field.": "«%(value)s» er ikke gyldige valg.",
    "Not a valid datetime value.": "Skriv et gyldig tidspunkt, for eksempel 31.03.2026 14:00.",
    "Not a valid date value.": "Skriv en gyldig dato, for eksempel 31.03.2026.",
    "Not a valid time value.": "Skriv et gyldig klokkeslett, for eksempel 14:00.",
    "Not a valid week value.": "Skriv en gyldig uke, for eksempel 2026-W14.",
    "Not a valid integer value.": "Skriv et helt tall, for eksempel 12.",
    "Not a valid decimal value.": "Skriv et tall, for eksempel 12,5.",
    "Not a valid float value.": "Skriv et tall, for eksempel 12,5.",
    "File does not have an approved extension: {extensions}": "Filen har ikke en tillatt filtype: {extensions}.",
    "File does not have an approved extension.": "Filen har ikke en tillatt filtype.",
}


class NorwegianMessages:
    """The translations object of every form (WTForms' `Meta.get_translations`)."""

    def gettext(self, string: str) -> str:
        return MESSAGES.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


NORWEGIAN = NorwegianMessages()


def _posted_data(form):
    """The request's form fields, plus its files for the form's file fields only (None when nothing was sent)."""
    names = {field.name for field in form if isinstance(field, FileField)}
    files = MultiDict([(name, upload) for name, upload in request.files.items(multi=True) if name in names])
    if files:
        return CombinedMultiDict((files, request.form))
    return request.form or None


class TrackerForm(FlaskForm):
    """The base of every form: Norwegian messages; form fields only (a JSON body or a stray file is no input)."""

    class Meta:
        def get_translations(self, form):  # noqa: ARG002 - WTForms' signature
            return NORWEGIAN

        def wrap_formdata(self, form, formdata):
            # FlaskForm passes a sentinel (no getlist) for "read the request": read it our way.
            if formdata is not None and not hasattr(formdata, "getlist"):
                is_post = has_request_context() and request.method in _SUBMIT_METHODS
                return _posted_data(form) if is_post else None
            return super().wrap_formdata(form, formdata)


class CleanText:
    """Validator: the field's text follows `rule` (tracker.text): no control characters, at most so long."""

    def __init__(self, rule: TextRule):
        self.rule = rule
        self.field_flags = {"maxlength": rule.max_chars}

    def __call__(self, form, field) -> None:  # noqa: ARG002 - WTForms' signature
        if field.data is None:
            return
        if not isinstance(field.data, str):
            raise StopValidation(NOT_TEXT)
        problem = text_problem(field.data, self.rule)
        if problem:
            raise StopValidation(problem)


def choice_list(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class ParsedTextField(StringField):
    """A short one-line text that a parser reads (a number, a quarter); `parse` sets the result.

    The text is checked like any other (CleanText) before it is parsed, so a subclass only parses.
    """

    rule = line(60)
    # Each subclass's parser: reads the text, sets its result, raises ValidationError when it cannot.
    parse: Callable[[str], None]

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.flags.maxlength = self.rule.max_chars

    def pre_validate(self, form) -> None:
        CleanText(self.rule)(form, self)
        self.parse(self.data if isinstance(self.data, str) else "")


class DecimalTextField(ParsedTextField):
    """A number typed the Norwegian way ("-2,5", "1 234"), within ±`max_abs`; `.number` holds it."""

    number: Decimal | None = None

    def __init__(self, label=None, validators=None, max_abs: int = MAX_ABS_VALUE, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_abs = max_abs

    def parse(self, text: str) -> None:
        try:
            number = parse_decimal(text)
            self.number = None if number is None else within(number, self.max_abs, text)
        except NumberFormatError as exc:
            self.number = None
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
        text = valuelist[0] if valuelist else ""
        text = text.strip() if isinstance(text, str) else ""
        problem = text_problem(text, DATE_TEXT)
        if problem:
            self.data = None
            raise ValueError(problem)
        # parse_date's ValueError ("«…» er ikke en dato. Skriv for eksempel 31.03.2026.", or outside
        # 1900-2100) becomes the field's error.
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


def hidden_csrf_field() -> Markup:
    """The hidden CSRF field every FlaskForm renders (nothing when CSRF is off), for a page that repeats
    the same small form on many rows: rendered once, without building a form."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return Markup("")
    return Markup('<input id="csrf_token" name="csrf_token" type="hidden" value="{}">').format(generate_csrf())


def _version_number(text: str) -> int | None:
    """A version sent back by a form; None for anything but a plain count (no version to compare)."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= _MAX_VERSION_DIGITS else None


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
        return _version_number(str(self.data if self.data is not None else ""))


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
        return _version_number(pairs.get(str(key), "0"))


class GetForm(TrackerForm):
    """A form a GET request fills (filters, sort order): no CSRF token, since it changes nothing."""

    class Meta:
        csrf = False


class DeleteForm(TrackerForm):
    """Only the CSRF token: a confirmed delete."""


class ConfirmForm(TrackerForm):
    """Only the CSRF token: a button that confirms one action (mark reviewed, approve)."""
