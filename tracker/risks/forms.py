"""Forms for org-risk assessments, the risk register and indicator administration."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.web.forms import VersionField, choice_list

SCORE_CHOICES = choice_list((n, str(n)) for n in range(1, 6))
OPTIONAL_SCORE_CHOICES = choice_list([("", "Ikke vurdert"), *[(str(n), str(n)) for n in range(1, 6)]])


def assessment_form(indicators, formdata=None):
    """A form with one score field per indicator (their number and names are admin-editable)."""

    class AssessmentForm(FlaskForm):
        assessed_date = DateField("Dato for vurderingen", validators=[DataRequired("Velg dato.")])
        note = TextAreaField("Kommentar", validators=[Length(max=4000)])

    for indicator in indicators:
        guidance = " ".join(f"{n}: {text}" for n, text in enumerate(indicator.guidance, start=1))
        field = SelectField(
            indicator.name,
            choices=SCORE_CHOICES,
            coerce=int,
            validators=[InputRequired(f"Gi {indicator.name} en score.")],
            description=guidance,
        )
        setattr(AssessmentForm, f"score_{indicator.key}", field)
    form = AssessmentForm(formdata=formdata) if formdata is not None else AssessmentForm()
    form.indicator_fields = [(indicator, getattr(form, f"score_{indicator.key}")) for indicator in indicators]
    return form


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class RiskItemForm(FlaskForm):
    version = VersionField()
    description = TextAreaField("Usikkerhet", validators=[DataRequired("Beskriv usikkerheten."), Length(max=2000)])
    probability_before = SelectField("Sannsynlighet før tiltak (1-5)", choices=SCORE_CHOICES, coerce=int)
    consequence_before = SelectField("Konsekvens før tiltak (1-5)", choices=SCORE_CHOICES, coerce=int)
    mitigation = TextAreaField("Risikoreduserende tiltak", validators=[Length(max=2000)])
    mitigation_owner = StringField("Ansvarlig for tiltaket", validators=[Length(max=200)])
    probability_after = SelectField(
        "Sannsynlighet etter tiltak", choices=OPTIONAL_SCORE_CHOICES, coerce=_optional_int, validators=[Optional()]
    )
    consequence_after = SelectField(
        "Konsekvens etter tiltak", choices=OPTIONAL_SCORE_CHOICES, coerce=_optional_int, validators=[Optional()]
    )

    def values(self) -> dict:
        names = ("probability_before", "consequence_before", "probability_after", "consequence_after")
        values = {name: getattr(self, name).data for name in names}
        values.update(
            description=self.description.data.strip(),
            mitigation=(self.mitigation.data or "").strip(),
            mitigation_owner=(self.mitigation_owner.data or "").strip(),
        )
        return values


class IndicatorForm(FlaskForm):
    version = VersionField()
    name = StringField("Navn", validators=[DataRequired("Skriv et navn."), Length(max=100)])
    guidance_1 = TextAreaField("Veiledning for score 1 (lav risiko)", validators=[Length(max=500)])
    guidance_2 = TextAreaField("Veiledning for score 2", validators=[Length(max=500)])
    guidance_3 = TextAreaField("Veiledning for score 3", validators=[Length(max=500)])
    guidance_4 = TextAreaField("Veiledning for score 4", validators=[Length(max=500)])
    guidance_5 = TextAreaField("Veiledning for score 5 (høy risiko)", validators=[Length(max=500)])

    def guidance(self) -> list[str]:
        return [(getattr(self, f"guidance_{n}").data or "").strip() for n in range(1, 6)]
