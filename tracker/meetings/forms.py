"""One form per meetings screen: a new meeting, the agenda from the queue, an item's outcome."""

from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.meetings import rules
from tracker.meetings.services import MEETING_TEXTS, OUTCOME_TEXTS
from tracker.periods import today_oslo
from tracker.web.forms import CleanText, DateTextField, TrackerForm, VersionField, choice_list


class MeetingForm(TrackerForm):
    """A new meeting, or a meeting's date, title, attendees and notes (with the version the page showed)."""

    version = VersionField()
    meeting_date = DateTextField("Møtedato", validators=[DataRequired("Skriv møtedatoen.")], default=today_oslo)
    title = StringField("Tittel", validators=[CleanText(MEETING_TEXTS["title"])], default=rules.DEFAULT_TITLE)
    attendees = TextAreaField(
        "Til stede", validators=[CleanText(MEETING_TEXTS["attendees"])], description="Navn, ett eller flere."
    )
    notes = TextAreaField("Notater til referatet", validators=[CleanText(MEETING_TEXTS["notes"])])


class QueueKeysField(SelectMultipleField):
    """Checkboxes of queue items; a key that has left the queue is refused in Norwegian."""

    def pre_validate(self, form) -> None:  # noqa: ARG002 - WTForms' signature
        known = {choice.value for choice in self.choices}
        if any(value not in known for value in self.data or []):
            raise ValidationError(rules.NOT_IN_QUEUE)


class AgendaForm(TrackerForm):
    """Queue items (checkboxes, by key) to put on an upcoming meeting's agenda."""

    meeting = SelectField("Møte", coerce=int, validators=[InputRequired("Velg et møte.")])
    keys = QueueKeysField(
        "Saker",
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired("Velg minst én sak.")],
    )


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class OutcomeForm(TrackerForm):
    """What the meeting decided on one item; one per item on the page, told apart by `prefix`."""

    version = VersionField()
    outcome = RadioField(
        "Utfall",
        choices=choice_list(rules.OUTCOME_LABELS.items()),
        validators=[InputRequired("Velg beslutning, oppfølging eller tatt til orientering.")],
    )
    decision = TextAreaField(
        "Beslutning eller oppfølging",
        validators=[CleanText(OUTCOME_TEXTS["decision"])],
        description="Det som ble besluttet, eller det som skal følges opp.",
    )
    responsible = SelectField("Ansvarlig for oppfølgingen", coerce=_optional_int, validators=[Optional()])
    due_date = DateTextField("Frist for oppfølgingen", validators=[Optional()])
