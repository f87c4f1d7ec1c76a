"""One form per scenario screen: the selection, the decision, a variant, the årsverk."""

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, ValidationError

from tracker.benefits.forms import AMOUNT_HELP, AmountField
from tracker.periods import parse_date
from tracker.scenarios.rules import MAX_ABS_FTE
from tracker.text import NAME, NOTE, TITLE, line
from tracker.web.forms import CleanText, DecimalTextField, ParsedTextField, TrackerForm, VersionField, choice_list

LEFT_OUT, WHOLE = "", "*"
FTE_HELP = "Endring i årsverk, for eksempel -1,5 (færre) eller 2. Tomt betyr ukjent."


class DateTextField(ParsedTextField):
    """A date typed as 15.12.2025 or 2025-12-15 (1900-2100); `.day` holds it after validation."""

    rule = line(20)
    day = None

    def parse(self, text: str) -> None:
        try:
            self.day = parse_date(text)
        except ValueError as exc:
            self.day = None
            raise ValidationError(str(exc)) from exc


class ScenarioForm(TrackerForm):
    version = VersionField()  # the scenario's ("0" for a new one)
    name = StringField("Navn", validators=[DataRequired("Gi alternativet et navn."), CleanText(NAME)])
    description = TextAreaField("Beskrivelse", validators=[CleanText(NOTE)])
    measure_fields: list[tuple[int, str]] = []


def scenario_form_class(measures, variants: dict[int, dict]) -> type[ScenarioForm]:
    """The scenario form with one choice per measure (`m_<id>`): left out, the whole measure, or a variant."""
    fields, names = {}, []
    for measure in measures:
        choices = [(LEFT_OUT, "Ikke med"), (WHOLE, "Med (rapportens tall)")]
        choices += [(key, f"Alternativ {key}: {v.title}") for key, v in sorted(variants.get(measure.id, {}).items())]
        name = f"m_{measure.id}"
        fields[name] = SelectField(f"{measure.code} {measure.title}", choices=choice_list(choices), default=LEFT_OUT)
        names.append((measure.id, name))
    form_class = type("ScenarioFormWithMeasures", (ScenarioForm,), fields)
    form_class.measure_fields = names
    return form_class


class DeleteScenarioForm(TrackerForm):
    version = VersionField()  # the scenario's: delete what was shown, not a scenario changed since


class AdoptForm(TrackerForm):
    version = VersionField()  # the scenario's: adopt what was shown, not a selection changed since
    decision_reference = StringField(
        "Saksnummer",
        validators=[DataRequired("Skriv saksnummeret for vedtaket."), CleanText(NAME)],
        description="For eksempel KS-sak 100/25.",
    )
    decided_date = DateTextField(
        "Vedtaksdato",
        validators=[InputRequired("Skriv datoen for vedtaket.")],
        description="Skriv datoen som dd.mm.åååå, for eksempel 15.12.2025.",
    )
    body = StringField("Vedtatt av", default="Kommunestyret", validators=[CleanText(NAME)])


class VariantForm(TrackerForm):
    version = VersionField()  # the measure's: every change of its variants bumps it
    key = StringField(
        "Kortnavn",
        validators=[DataRequired("Skriv et kortnavn, for eksempel alt1."), CleanText(line(20))],
        description="Brukes etter koden: 1.2:alt1.",
    )
    title = StringField("Beskrivelse", validators=[DataRequired("Beskriv alternativet."), CleanText(TITLE)])
    years: list[int] = []


def fte_field(year: int) -> DecimalTextField:
    return DecimalTextField(f"Årsverk {year}", description=FTE_HELP, max_abs=MAX_ABS_FTE)


def variant_form_class(years: list[int]) -> type[VariantForm]:
    """The variant form with a saving (`saving_YYYY`) and an årsverk field (`fte_YYYY`) per year."""
    fields = {}
    for year in years:
        fields[f"saving_{year}"] = AmountField(f"Innsparing {year} (kr)", description=AMOUNT_HELP)
        fields[f"fte_{year}"] = fte_field(year)
    form_class = type("VariantFormWithYears", (VariantForm,), fields)
    form_class.years = list(years)
    return form_class


class FteForm(TrackerForm):
    version = VersionField()  # the measure's: every change of its årsverk bumps it
    years: list[int] = []


def fte_form_class(years: list[int]) -> type[FteForm]:
    fields = {f"fte_{year}": fte_field(year) for year in years}
    form_class = type("FteFormWithYears", (FteForm,), fields)
    form_class.years = list(years)
    return form_class
