"""Forms of the accounts screens."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.accounts.passwords import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    username = StringField(
        "Brukernavn",
        validators=[DataRequired("Skriv brukernavnet ditt."), Length(max=80)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Passord",
        validators=[DataRequired("Skriv passordet ditt.")],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Logg inn")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Nåværende passord",
        validators=[DataRequired("Skriv passordet du logget inn med.")],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        "Nytt passord",
        validators=[
            DataRequired("Skriv et nytt passord."),
            Length(min=MIN_PASSWORD_LENGTH, message=f"Passordet må ha minst {MIN_PASSWORD_LENGTH} tegn."),
        ],
        description=f"Minst {MIN_PASSWORD_LENGTH} tegn. En setning av flere ord er lett å huske og vanskelig å gjette.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        "Gjenta nytt passord",
        validators=[
            DataRequired("Skriv det nye passordet en gang til."),
            EqualTo("new_password", "Passordene er ikke like."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Bytt passord")
