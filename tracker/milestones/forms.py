"""The milestone screen's form."""

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from tracker.milestones.services import TEXTS
from tracker.web.forms import CleanText, DateTextField, TrackerForm, VersionField


class MilestoneForm(TrackerForm):
    version = VersionField()
    title = TextAreaField("Milepæl", validators=[DataRequired("Skriv hva milepælen er."), CleanText(TEXTS["title"])])
    due_date = DateTextField(
        "Frist",
        validators=[Optional()],
        description="Flytter du fristen, beholdes den opprinnelige fristen som referanse.",
    )
    responsible = StringField("Ansvarlig", validators=[CleanText(TEXTS["responsible"])])
    done_date = DateTextField("Fullført dato", validators=[Optional()], description="Fyll ut når milepælen er nådd.")
    when_text = StringField(
        "Tidspunkt i rapporten",
        validators=[CleanText(TEXTS["when_text"])],
        description="Omtrentlig tid slik rapporten sier det.",
    )

    def values(self) -> dict:
        return {
            "title": self.title.data.strip(),
            "due_date": self.due_date.data,
            "responsible": (self.responsible.data or "").strip(),
            "done_date": self.done_date.data,
            "when_text": (self.when_text.data or "").strip() or None,
        }
