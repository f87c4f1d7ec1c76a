"""Forms of the report screens: build now, add a recipient, remove a recipient."""

from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Regexp

from tracker.portfolio.lookups import programme_quarters
from tracker.reports.models import AUDIENCE_LABELS, AUDIENCES
from tracker.text import NAME, line
from tracker.web.forms import CleanText, QuarterSelectField, TrackerForm

AUDIENCE_CHOICES = [SelectChoice(audience, AUDIENCE_LABELS[audience]) for audience in AUDIENCES]
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class BuildForm(TrackerForm):
    period = QuarterSelectField(
        "Kvartal",
        validators=[InputRequired("Velg kvartalet.")],
        quarters=programme_quarters,
        description="Et nytt bygg av samme kvartal blir en ny versjon; eldre versjoner beholdes.",
    )
    audience = SelectField("Mottakergruppe", choices=AUDIENCE_CHOICES)
    preview = BooleanField(
        "Utkast for et kvartal som ikke er slutt (merkes UTKAST)",
        description="Et kvartal som ikke er omme kan bare bygges som utkast.",
    )
    send = BooleanField("Send rapporten på e-post til mottakerlisten")
    submit = SubmitField("Bygg rapport nå")


class RecipientForm(TrackerForm):
    audience = SelectField("Mottakergruppe", choices=AUDIENCE_CHOICES)
    name = StringField("Navn", validators=[DataRequired("Skriv navnet."), CleanText(NAME)])
    email = StringField(
        "E-post",
        validators=[
            DataRequired("Skriv e-postadressen."),
            CleanText(line(254)),
            Regexp(EMAIL_PATTERN, message="Skriv en gyldig e-postadresse, for eksempel navn@elverum.kommune.no."),
        ],
    )
    submit = SubmitField("Legg til mottaker")


class RemoveRecipientForm(TrackerForm):
    submit = SubmitField("Fjern")


class PublishForm(TrackerForm):
    """Only the CSRF token: publishing or unpublishing a report."""
