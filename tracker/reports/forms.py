"""Forms of the report screens: build now, add a recipient, remove a recipient."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from tracker.periods import Quarter
from tracker.reports.models import AUDIENCE_LABELS, AUDIENCES

AUDIENCE_CHOICES = [SelectChoice(audience, AUDIENCE_LABELS[audience]) for audience in AUDIENCES]
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class BuildForm(FlaskForm):
    period = StringField(
        "Kvartal",
        validators=[DataRequired("Skriv kvartalet."), Length(max=10)],
        description="For eksempel 2026-Q3. Et nytt bygg av samme kvartal blir en ny versjon; eldre versjoner beholdes.",
    )
    audience = SelectField("Mottakergruppe", choices=AUDIENCE_CHOICES)
    preview = BooleanField(
        "Utkast for et kvartal som ikke er slutt (merkes UTKAST)",
        description="Et kvartal som ikke er omme kan bare bygges som utkast.",
    )
    send = BooleanField("Send rapporten på e-post til mottakerlisten")
    submit = SubmitField("Bygg rapport nå")

    def validate_period(self, field) -> None:
        try:
            field.quarter = Quarter.parse(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class RecipientForm(FlaskForm):
    audience = SelectField("Mottakergruppe", choices=AUDIENCE_CHOICES)
    name = StringField("Navn", validators=[DataRequired("Skriv navnet."), Length(max=200)])
    email = StringField(
        "E-post",
        validators=[
            DataRequired("Skriv e-postadressen."),
            Length(max=254),
            Regexp(EMAIL_PATTERN, message="Skriv en gyldig e-postadresse, for eksempel navn@elverum.kommune.no."),
        ],
    )
    submit = SubmitField("Legg til mottaker")


class RemoveRecipientForm(FlaskForm):
    submit = SubmitField("Fjern")


class PublishForm(FlaskForm):
    """Only the CSRF token: publishing or unpublishing a report."""
