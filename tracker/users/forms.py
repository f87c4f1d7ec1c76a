"""Forms of the user administration screens."""

from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional, Regexp

from tracker.accounts.models import ROLE_LABELS, ROLES
from tracker.accounts.passwords import MIN_PASSWORD_LENGTH
from tracker.accounts.services import USER_TEXTS
from tracker.text import PASSWORD
from tracker.web.forms import CleanText, TrackerForm, VersionField

ROLE_CHOICES = [SelectChoice(role, ROLE_LABELS[role]) for role in ROLES]
EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
GUID_PATTERN = r"^\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\s*$"
PASSWORD_HELP = (
    f"Minst {MIN_PASSWORD_LENGTH} tegn. La feltet stå tomt for å lage et engangspassord som vises én gang; "
    "brukeren må bytte det ved første innlogging."
)


def _entra_oid_field() -> StringField:
    return StringField(
        "Entra-ID (oid)",
        validators=[
            Optional(),
            CleanText(USER_TEXTS["entra_oid"]),
            Regexp(GUID_PATTERN, message="Skriv objekt-ID-en som en GUID (36 tegn med bindestreker)."),
        ],
        description=(
            "Valgfritt. Brukerens objekt-ID i Microsoft Entra ID. Fylles ut for å knytte kontoen før første "
            "innlogging med Microsoft; ellers knyttes den etter e-post eller brukernavn."
        ),
    )


def _email_field() -> StringField:
    return StringField(
        "E-post",
        validators=[
            Optional(),
            CleanText(USER_TEXTS["email"]),
            Regexp(EMAIL_RE, message="Skriv en gyldig e-postadresse."),
        ],
        description="Brukes til påminnelser og rapporter.",
    )


class UserCreateForm(TrackerForm):
    username = StringField(
        "Brukernavn",
        validators=[
            DataRequired("Skriv et brukernavn."),
            CleanText(USER_TEXTS["username"]),
            Regexp(r"^[\w.@-]+$", message="Bruk bare bokstaver, tall, punktum, bindestrek, @ og understrek."),
        ],
    )
    full_name = StringField("Fullt navn", validators=[CleanText(USER_TEXTS["full_name"])])
    email = _email_field()
    role = SelectField("Rolle", choices=ROLE_CHOICES)
    entra_oid = _entra_oid_field()
    password = PasswordField("Passord", validators=[Optional(), CleanText(PASSWORD)], description=PASSWORD_HELP)
    submit = SubmitField("Opprett bruker")


class UserEditForm(TrackerForm):
    version = VersionField()
    full_name = StringField("Fullt navn", validators=[CleanText(USER_TEXTS["full_name"])])
    email = _email_field()
    role = SelectField("Rolle", choices=ROLE_CHOICES)
    is_enabled = BooleanField("Aktiv (kan logge inn)", description="En deaktivert bruker logges ut med en gang.")
    entra_oid = _entra_oid_field()
    submit = SubmitField("Lagre")


class PasswordResetForm(TrackerForm):
    password = PasswordField("Nytt passord", validators=[Optional(), CleanText(PASSWORD)], description=PASSWORD_HELP)
    submit = SubmitField("Sett nytt passord")
