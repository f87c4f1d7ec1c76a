"""Forms of the report screens: build now, add a recipient, remove a recipient."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from tracker.portfolio.lookups import programme_quarters
from tracker.reports.models import AUDIENCE_LABELS, AUDIENCES
from tracker.web.forms import QuarterSelectField

AUDIENCE_CHOICES = [SelectChoice(audience, AUDIENCE_LABELS[audience]) for audience in AUDIENCES]
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class BuildForm(FlaskForm):
    period = QuarterSelectField(
        "Kvartal",
        validators=[InputRequired("Velg kvartalet.")],
        quarters=programme_quarters,
        description="Et nytt bygg av samme kvartal blir en ny versjon; eldre versjoner beholdes.",
    )
    audience = SelectField("Mottakergruppe", choices=AUDIENCE_CHOICES)
    send = BooleanField("Send rapporten på e-post til mottakerlisten")
    submit = SubmitField("Bygg rapport nå")


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
