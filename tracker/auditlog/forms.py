"""The filter form of the global audit page (a GET form: no CSRF token, nothing changes)."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import ValidationError

from tracker.audit.services import AuditFilter
from tracker.web.forms import DateTextField


def _validate_id(form, field) -> None:  # noqa: ARG001
    if field.data and not field.data.strip().isdigit():
        raise ValidationError("Skriv et helt tall, for eksempel 12.")


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    user = SelectField("Bruker", choices=[], validate_choice=False)
    action = SelectField("Handling", choices=[], validate_choice=False)
    object_type = SelectField("Objekttype", choices=[], validate_choice=False)
    object_id = StringField("Objekt-ID", validators=[_validate_id], description="Tallet i objektets adresse.")
    from_date = DateTextField("Fra dato")
    to_date = DateTextField("Til og med dato")
    submit = SubmitField("Filtrer")

    def to_filter(self) -> AuditFilter:
        return AuditFilter(
            username=self.user.data or None,
            action=self.action.data or None,
            object_type=self.object_type.data or None,
            object_id=int(self.object_id.data) if self.object_id.data else None,
            from_date=self.from_date.data,
            to_date=self.to_date.data,
        )
