"""Forms of the API token page."""

from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired

from tracker.api_tokens.services import NAME_TEXT
from tracker.web.forms import CleanText, TrackerForm


class TokenCreateForm(TrackerForm):
    user_id = SelectField(
        "Bruker",
        coerce=int,
        description="Nøkkelen leser det denne brukeren kan lese. Lag gjerne en egen bruker med rollen «Leser».",
    )
    name = StringField(
        "Navn på nøkkelen",
        validators=[
            DataRequired("Gi nøkkelen et navn."),
            CleanText(NAME_TEXT),
        ],
        description="Hva nøkkelen brukes til, for eksempel «Power BI økonomi».",
    )
    submit = SubmitField("Lag API-nøkkel")


class TokenRevokeForm(TrackerForm):
    """Only the CSRF token: a confirmed revocation."""
