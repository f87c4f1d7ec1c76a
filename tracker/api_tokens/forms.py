"""Forms of the API token page."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from tracker.api_tokens.services import MAX_NAME_CHARS


class TokenCreateForm(FlaskForm):
    user_id = SelectField(
        "Bruker",
        coerce=int,
        description="Nøkkelen leser det denne brukeren kan lese. Lag gjerne en egen bruker med rollen «Leser».",
    )
    name = StringField(
        "Navn på nøkkelen",
        validators=[
            DataRequired("Gi nøkkelen et navn."),
            Length(max=MAX_NAME_CHARS, message=f"Navnet kan ha høyst {MAX_NAME_CHARS} tegn."),
        ],
        description="Hva nøkkelen brukes til, for eksempel «Power BI økonomi».",
    )
    submit = SubmitField("Lag API-nøkkel")


class TokenRevokeForm(FlaskForm):
    """Only the CSRF token: a confirmed revocation."""
