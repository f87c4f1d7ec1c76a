"""Forms for status updates, comments and reporting rounds."""

from wtforms import RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from tracker.confidence import LABELS
from tracker.portfolio.lookups import programme_quarters
from tracker.updates.models import DECISION_AUDIENCE_LABELS, DECISION_LEDERGRUPPE
from tracker.updates.services import UPDATE_TEXTS
from tracker.web.forms import CleanText, DateTextField, QuarterSelectField, TrackerForm, VersionField, choice_list


def _text(name: str) -> CleanText:
    return CleanText(UPDATE_TEXTS[name])


class StatusUpdateForm(TrackerForm):
    version = VersionField()
    confidence = RadioField(
        "Leveransesikkerhet",
        choices=choice_list(LABELS.items()),
        validators=[InputRequired("Velg leveransesikkerhet.")],
        description="Hvor sikkert er det at tiltaket leverer planlagt gevinst?",
    )
    confidence_justification = TextAreaField(
        "Begrunnelse for leveransesikkerheten",
        validators=[DataRequired("Begrunn vurderingen."), _text("confidence_justification")],
    )
    progress = TextAreaField("Framdrift siden forrige rapport", validators=[_text("progress")])
    corrective_actions = TextAreaField("Korrigerende tiltak", validators=[_text("corrective_actions")])
    decisions_needed = TextAreaField("Beslutninger som trengs", validators=[_text("decisions_needed")])
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


class CommentForm(TrackerForm):
    body = TextAreaField("Kommentar", validators=[DataRequired("Skriv en kommentar."), _text("body")])


class ReviewForm(TrackerForm):
    """Only the CSRF token: marking an update reviewed."""


class RoundForm(TrackerForm):
    quarter = QuarterSelectField("Kvartal", validators=[InputRequired("Velg kvartalet.")], quarters=programme_quarters)
    deadline_date = DateTextField("Frist for statusrapport", validators=[DataRequired("Skriv fristen.")])
