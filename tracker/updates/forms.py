"""Forms for status updates, comments and reporting rounds."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from tracker.confidence import LABELS
from tracker.portfolio.lookups import programme_quarters
from tracker.web.forms import DateTextField, QuarterSelectField, choice_list


class StatusUpdateForm(FlaskForm):
    confidence = RadioField(
        "Leveransesikkerhet",
        choices=choice_list(LABELS.items()),
        validators=[InputRequired("Velg leveransesikkerhet.")],
        description="Hvor sikkert er det at tiltaket leverer planlagt gevinst?",
    )
    confidence_justification = TextAreaField(
        "Begrunnelse for leveransesikkerheten", validators=[DataRequired("Begrunn vurderingen."), Length(max=4000)]
    )
    progress = TextAreaField("Framdrift siden forrige rapport", validators=[Length(max=4000)])
    corrective_actions = TextAreaField("Korrigerende tiltak", validators=[Length(max=4000)])
    decisions_needed = TextAreaField("Beslutninger som trengs fra ledergruppen", validators=[Length(max=4000)])
    save = SubmitField("Lagre utkast")
    submit_update = SubmitField("Send inn")

    def values(self) -> dict:
        names = ("confidence", "confidence_justification", "progress", "corrective_actions", "decisions_needed")
        return {name: (getattr(self, name).data or "").strip() for name in names}


class CommentForm(FlaskForm):
    body = TextAreaField("Kommentar", validators=[DataRequired("Skriv en kommentar."), Length(max=4000)])


class ReviewForm(FlaskForm):
    """Only the CSRF token: marking an update reviewed."""


class RoundForm(FlaskForm):
    quarter = QuarterSelectField("Kvartal", validators=[InputRequired("Velg kvartalet.")], quarters=programme_quarters)
    deadline_date = DateTextField("Frist for statusrapport", validators=[DataRequired("Skriv fristen.")])
