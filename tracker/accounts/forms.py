"""Forms of the accounts screens."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField("Brukernavn", validators=[DataRequired("Skriv brukernavnet ditt."), Length(max=80)])
    password = PasswordField("Passord", validators=[DataRequired("Skriv passordet ditt.")])
    submit = SubmitField("Logg inn")
