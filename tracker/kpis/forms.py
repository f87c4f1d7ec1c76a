"""Forms for KPIs: creating one and recording a quarter's measurement."""

from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from tracker.kpis.rules import DIRECTION_LABELS
from tracker.kpis.services import TEXTS
from tracker.portfolio.lookups import programme_quarters
from tracker.web.forms import (
    CleanText,
    DateTextField,
    DecimalTextField,
    QuarterSelectField,
    TrackerForm,
    VersionField,
    choice_list,
)


def suggestion_choices(suggestions: list[str]) -> list[SelectChoice]:
    """The report's suggested KPI names, after the "own name" choice."""
    return choice_list([("", "Eget navn"), *[(text, text) for text in suggestions]])


class KpiForm(TrackerForm):
    version = VersionField()
    suggestion = SelectField(
        "Forslag fra rapporten",
        validators=[Optional(), CleanText(TEXTS["name"])],
        description="Velg en av rapportens foreslåtte indikatorer, eller skriv et eget navn under.",
    )
    name = StringField(
        "Navn på KPI", validators=[CleanText(TEXTS["name"])], description="Brukes hvis du ikke velger et forslag."
    )
    unit = StringField(
        "Enhet", validators=[CleanText(TEXTS["unit"])], description="For eksempel årsverk, kr, prosent, antall."
    )
    direction = RadioField(
        "Retning", choices=choice_list(DIRECTION_LABELS.items()), validators=[InputRequired("Velg retning.")]
    )
    baseline_value = DecimalTextField("Nullpunkt (verdi)", description="Verdien før tiltaket, for eksempel 12,5.")
    baseline_date = DateTextField("Nullpunkt (dato)", validators=[Optional()])
    target_value = DecimalTextField("Mål (verdi)")
    target_date = DateTextField("Mål (dato)", validators=[Optional()])

    def chosen_name(self) -> str:
        return (self.name.data or "").strip() or (self.suggestion.data or "").strip()

    def values(self) -> dict:
        return {
            "name": self.chosen_name(),
            "unit": (self.unit.data or "").strip(),
            "direction": self.direction.data,
            "baseline_value": self.baseline_value.number,
            "baseline_date": self.baseline_date.data,
            "target_value": self.target_value.number,
            "target_date": self.target_date.data,
        }

    def validate_name(self, field) -> None:  # noqa: ARG002
        if not self.chosen_name():
            raise ValidationError("Velg et forslag eller skriv et navn.")


class MeasurementForm(TrackerForm):
    quarter = QuarterSelectField("Kvartal", validators=[InputRequired("Velg kvartalet.")], quarters=programme_quarters)
    value = DecimalTextField("Verdi", validators=[DataRequired("Skriv verdien.")])
    note = TextAreaField("Kommentar", validators=[CleanText(TEXTS["note"])])
