"""Forms for status updates, comments and reporting rounds."""

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from tracker.confidence import LABELS
from tracker.updates.models import DECISION_AUDIENCE_LABELS, DECISION_LEDERGRUPPE
from tracker.web.forms import QuarterField, choice_list


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
    decisions_needed = TextAreaField("Beslutninger som trengs", validators=[Length(max=4000)])
    decisions_audience = SelectField(
        "Hvem må beslutte",
        choices=choice_list(DECISION_AUDIENCE_LABELS.items()),
        default=DECISION_LEDERGRUPPE,
        description="Beslutninger for politikerne kommer i politikernes kvartalsrapport, beslutninger for AMU i AMUs.",
    )
    save = SubmitField("Lagre utkast")
    submit_update = SubmitField("Send inn")

    def values(self) -> dict:
        names = (
            "confidence",
            "confidence_justification",
            "progress",
            "corrective_actions",
            "decisions_needed",
            "decisions_audience",
        )
        return {name: (getattr(self, name).data or "").strip() for name in names}


class CommentForm(FlaskForm):
    body = TextAreaField("Kommentar", validators=[DataRequired("Skriv en kommentar."), Length(max=4000)])


class ReviewForm(FlaskForm):
    """Only the CSRF token: marking an update reviewed."""


class RoundForm(FlaskForm):
    quarter = QuarterField(
        "Kvartal", validators=[DataRequired("Skriv kvartalet.")], description="For eksempel 2026-Q2."
    )
    deadline_date = DateField("Frist for statusrapport", validators=[DataRequired("Velg en frist.")])
