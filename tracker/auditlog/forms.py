"""The filter form of the global audit page (a GET form: no CSRF token, nothing changes)."""

from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import ValidationError

from tracker.audit.services import AuditFilter
from tracker.database import MAX_ID
from tracker.periods import parse_date
from tracker.text import line
from tracker.web.forms import CleanText, GetForm


def _validate_id(form, field) -> None:  # noqa: ARG001
    if field.data and not (field.data.strip().isdigit() and int(field.data) <= MAX_ID):
        raise ValidationError("Skriv et helt tall, for eksempel 12.")


def _validate_date(form, field) -> None:  # noqa: ARG001
    if field.data:
        try:
            parse_date(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class AuditFilterForm(GetForm):
    # Not checked against the choices (a username matches in any case); clean text only.
    user = SelectField("Bruker", choices=[], validate_choice=False, validators=[CleanText(line(80))])
    action = SelectField("Handling", choices=[], validate_choice=False, validators=[CleanText(line(64))])
    object_type = SelectField("Objekttype", choices=[], validate_choice=False, validators=[CleanText(line(64))])
    object_id = StringField(
        "Objekt-ID", validators=[CleanText(line(20)), _validate_id], description="Tallet i objektets adresse."
    )
    from_date = StringField(
        "Fra dato", validators=[CleanText(line(20)), _validate_date], description="For eksempel 01.01.2026."
    )
    to_date = StringField(
        "Til og med dato", validators=[CleanText(line(20)), _validate_date], description="For eksempel 31.03.2026."
    )
    submit = SubmitField("Filtrer")

    def to_filter(self) -> AuditFilter:
        return AuditFilter(
            username=self.user.data or None,
            action=self.action.data or None,
            object_type=self.object_type.data or None,
            object_id=int(self.object_id.data) if self.object_id.data else None,
            from_date=parse_date(self.from_date.data) if self.from_date.data else None,
            to_date=parse_date(self.to_date.data) if self.to_date.data else None,
        )
