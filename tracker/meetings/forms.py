"""One form per meetings screen: a new meeting, the agenda from the queue, an item's outcome."""

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.meetings import rules
from tracker.periods import today_oslo
from tracker.web.forms import choice_list


class MeetingForm(FlaskForm):
    meeting_date = DateField("Møtedato", validators=[DataRequired("Velg møtedato.")], default=today_oslo)
    title = StringField("Tittel", validators=[Length(max=200)], default=rules.DEFAULT_TITLE)
    attendees = TextAreaField("Til stede", validators=[Length(max=2000)], description="Navn, ett eller flere.")
    notes = TextAreaField("Notater til referatet", validators=[Length(max=8000)])


class QueueKeysField(SelectMultipleField):
    """Checkboxes of queue items; a key that has left the queue is refused in Norwegian."""

    def pre_validate(self, form) -> None:  # noqa: ARG002 - WTForms' signature
        known = {choice.value for choice in self.choices}
        if any(value not in known for value in self.data or []):
            raise ValidationError(rules.NOT_IN_QUEUE)


class AgendaForm(FlaskForm):
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


class OutcomeForm(FlaskForm):
    """What the meeting decided on one item; one per item on the page, told apart by `prefix`."""

    outcome = RadioField(
        "Utfall",
        choices=choice_list(rules.OUTCOME_LABELS.items()),
        validators=[InputRequired("Velg beslutning, oppfølging eller tatt til orientering.")],
    )
    decision = TextAreaField(
        "Beslutning eller oppfølging",
        validators=[Length(max=4000)],
        description="Det som ble besluttet, eller det som skal følges opp.",
    )
    responsible = SelectField("Ansvarlig for oppfølgingen", coerce=_optional_int, validators=[Optional()])
    due_date = DateField("Frist for oppfølgingen", validators=[Optional()])


class ConfirmForm(FlaskForm):
    """Only the CSRF token: remove an item, mark a follow-up done."""
