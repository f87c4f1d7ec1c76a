"""Forms of the programme switcher and the admin's programme screens."""

from wtforms import HiddenField, IntegerField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from tracker.benefits.forms import AmountField
from tracker.database import MAX_ID
from tracker.periods import MAX_YEAR, MIN_YEAR
from tracker.portfolio.programmes import PROGRAMME_TEXTS
from tracker.text import line
from tracker.web.forms import CleanText, TrackerForm

YEAR_MESSAGE = f"Skriv et årstall mellom {MIN_YEAR} og {MAX_YEAR}."


class ChooseProgrammeForm(TrackerForm):
    """The header's switcher: which programme to work on, and the page to go back to."""

    programme_id = IntegerField(
        "Program", validators=[InputRequired("Velg et program."), NumberRange(1, MAX_ID, "Velg et program i listen.")]
    )
    next = HiddenField(validators=[Optional(), CleanText(line(2000))])


class ProgrammeCreateForm(TrackerForm):
    name = StringField(
        "Navn",
        validators=[DataRequired("Skriv et navn på programmet."), CleanText(PROGRAMME_TEXTS["name"])],
        description="For eksempel «Omstilling 2030». Navnet må være unikt; en import med samme navn fyller programmet.",
    )
    municipality = StringField("Kommune", validators=[CleanText(PROGRAMME_TEXTS["municipality"])])
    start_year = IntegerField(
        "Første planår",
        validators=[InputRequired(YEAR_MESSAGE), NumberRange(MIN_YEAR, MAX_YEAR, YEAR_MESSAGE)],
    )
    end_year = IntegerField(
        "Siste planår",
        validators=[InputRequired(YEAR_MESSAGE), NumberRange(MIN_YEAR, MAX_YEAR, YEAR_MESSAGE)],
    )
    target = AmountField(
        "Sparemål (kr)",
        validators=[Optional()],
        description="Valgfritt. Hvor mye netto driftsutgifter skal ned årlig innen siste planår, i hele kroner.",
    )
    submit = SubmitField("Opprett program")

    def targets_nok(self) -> dict[int, int]:
        """{end year: the target} when a target was given."""
        if self.target.amount is None or self.end_year.data is None:
            return {}
        return {self.end_year.data: self.target.amount}


class ClosedStateForm(TrackerForm):
    """Close or reopen a programme (one button; the route says which)."""

    submit = SubmitField("Bekreft")
