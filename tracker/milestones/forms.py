"""The milestone screen's form."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.web.forms import DateTextField


class MilestoneForm(FlaskForm):
    title = TextAreaField("Milepæl", validators=[DataRequired("Skriv hva milepælen er."), Length(max=2000)])
    due_date = DateTextField(
        "Frist",
        validators=[Optional()],
        description="Flytter du fristen, beholdes den opprinnelige fristen som referanse.",
    )
    responsible = StringField("Ansvarlig", validators=[Length(max=200)])
    done_date = DateTextField("Fullført dato", validators=[Optional()], description="Fyll ut når milepælen er nådd.")
    when_text = StringField(
        "Tidspunkt i rapporten", validators=[Length(max=200)], description="Omtrentlig tid slik rapporten sier det."
    )

    def values(self) -> dict:
        return {
            "title": self.title.data.strip(),
            "due_date": self.due_date.data,
            "responsible": (self.responsible.data or "").strip(),
            "done_date": self.done_date.data,
            "when_text": (self.when_text.data or "").strip() or None,
        }
