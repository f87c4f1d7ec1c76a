"""Forms of the accounts screens."""

from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.accounts.passwords import MIN_PASSWORD_LENGTH
from tracker.text import PASSWORD, line
from tracker.web.forms import CleanText, TrackerForm


class LoginForm(TrackerForm):
    username = StringField(
        "Brukernavn",
        validators=[DataRequired("Skriv brukernavnet ditt."), CleanText(line(80))],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Passord",
        validators=[DataRequired("Skriv passordet ditt."), CleanText(PASSWORD)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Logg inn")


class ChangePasswordForm(TrackerForm):
    current_password = PasswordField(
        "Nåværende passord",
        validators=[DataRequired("Skriv passordet du logget inn med."), CleanText(PASSWORD)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        "Nytt passord",
        validators=[
            DataRequired("Skriv et nytt passord."),
            Length(min=MIN_PASSWORD_LENGTH, message=f"Passordet må ha minst {MIN_PASSWORD_LENGTH} tegn."),
            CleanText(PASSWORD),
        ],
        description=f"Minst {MIN_PASSWORD_LENGTH} tegn. En setning av flere ord er lett å huske og vanskelig å gjette.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        "Gjenta nytt passord",
        validators=[
            DataRequired("Skriv det nye passordet en gang til."),
            EqualTo("new_password", "Passordene er ikke like."),
            CleanText(PASSWORD),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Bytt passord")
