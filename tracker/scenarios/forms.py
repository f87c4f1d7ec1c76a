"""One form per scenario screen: the selection, the decision, a variant, the årsverk."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from tracker.benefits.forms import AMOUNT_HELP, AmountField
from tracker.periods import parse_date
from tracker.web.forms import DecimalTextField, choice_list

LEFT_OUT, WHOLE = "", "*"
FTE_HELP = "Endring i årsverk, for eksempel -1,5 (færre) eller 2. Tomt betyr ukjent."


class DateTextField(StringField):
    """A date typed as 15.12.2025 or 2025-12-15; `.day` holds it after validation."""

    day = None

    def pre_validate(self, form) -> None:  # noqa: ARG002 - WTForms' signature
        try:
            self.day = parse_date(self.data or "")
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class ScenarioForm(FlaskForm):
    name = StringField("Navn", validators=[DataRequired("Gi alternativet et navn."), Length(max=200)])
    description = TextAreaField("Beskrivelse", validators=[Length(max=4000)])
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


class AdoptForm(FlaskForm):
    decision_reference = StringField(
        "Saksnummer",
        validators=[DataRequired("Skriv saksnummeret for vedtaket."), Length(max=200)],
        description="For eksempel KS-sak 100/25.",
    )
    decided_date = DateTextField("Vedtaksdato", validators=[InputRequired("Skriv datoen for vedtaket.")])
    body = StringField("Vedtatt av", default="Kommunestyret", validators=[Length(max=200)])


class VariantForm(FlaskForm):
    key = StringField(
        "Kortnavn",
        validators=[DataRequired("Skriv et kortnavn, for eksempel alt1."), Length(max=20)],
        description="Brukes etter koden: 1.2:alt1.",
    )
    title = StringField("Beskrivelse", validators=[DataRequired("Beskriv alternativet."), Length(max=500)])
    years: list[int] = []


def variant_form_class(years: list[int]) -> type[VariantForm]:
    """The variant form with a saving (`saving_YYYY`) and an årsverk field (`fte_YYYY`) per year."""
    fields = {}
    for year in years:
        fields[f"saving_{year}"] = AmountField(f"Innsparing {year} (kr)", description=AMOUNT_HELP)
        fields[f"fte_{year}"] = DecimalTextField(f"Årsverk {year}", description=FTE_HELP)
    form_class = type("VariantFormWithYears", (VariantForm,), fields)
    form_class.years = list(years)
    return form_class


class FteForm(FlaskForm):
    years: list[int] = []


def fte_form_class(years: list[int]) -> type[FteForm]:
    fields = {f"fte_{year}": DecimalTextField(f"Årsverk {year}", description=FTE_HELP) for year in years}
    form_class = type("FteFormWithYears", (FteForm,), fields)
    form_class.years = list(years)
    return form_class
