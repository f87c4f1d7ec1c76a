"""Forms for org-risk assessments, the risk register and indicator administration."""

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from tracker.risks.rules import HIGH_INDICATOR_SCORE
from tracker.risks.services import ASSESSMENT_NOTE, INDICATOR_TEXTS, ITEM_TEXTS, STRENGTHENING_ACTION
from tracker.web.forms import CHOOSE, CleanText, DateTextField, TrackerForm, VersionField, choice_list


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


SCORE_LABELS = {1: "1 (lav risiko)", 5: "5 (høy risiko)"}
# Nothing is chosen for the user: an untouched score says "Velg" and the form is refused.
SCORE_CHOICES = choice_list([("", CHOOSE), *[(str(n), SCORE_LABELS.get(n, str(n))) for n in range(1, 6)]])
OPTIONAL_SCORE_CHOICES = choice_list([("", "Ikke vurdert"), *[(str(n), str(n)) for n in range(1, 6)]])


def assessment_form(indicators, formdata=None):
    """A form with one score field per indicator (their number and names are admin-editable)."""

    class AssessmentForm(TrackerForm):
        assessed_date = DateTextField(
            "Dato for vurderingen", validators=[DataRequired("Skriv datoen for vurderingen.")]
        )
        note = TextAreaField("Kommentar", validators=[CleanText(ASSESSMENT_NOTE)])

    for indicator in indicators:
        guidance = " ".join(f"{n}: {text}" for n, text in enumerate(indicator.guidance, start=1))
        field = SelectField(
            indicator.name,
            choices=SCORE_CHOICES,
            coerce=_optional_int,
            validators=[InputRequired(f"Velg en score for {indicator.name}.")],
            description=guidance,
        )
        setattr(AssessmentForm, f"score_{indicator.key}", field)
        action = TextAreaField(
            f"Forsterkende tiltak for {indicator.name}",
            validators=[CleanText(STRENGTHENING_ACTION)],
            description=f"Påkrevd før tiltaket settes i gang når scoren er {HIGH_INDICATOR_SCORE} eller 5.",
        )
        setattr(AssessmentForm, f"action_{indicator.key}", action)
    form = AssessmentForm(formdata=formdata) if formdata is not None else AssessmentForm()
    form.indicator_fields = [
        (indicator, getattr(form, f"score_{indicator.key}"), getattr(form, f"action_{indicator.key}"))
        for indicator in indicators
    ]
    return form


def assessment_values(form) -> tuple[dict[str, int], dict[str, str]]:
    """The scores and strengthening actions of a validated assessment form, by indicator key."""
    scores = {indicator.key: score.data for indicator, score, _ in form.indicator_fields}
    actions = {indicator.key: (action.data or "").strip() for indicator, _, action in form.indicator_fields}
    return scores, actions


class RiskItemForm(TrackerForm):
    version = VersionField()
    description = TextAreaField(
        "Usikkerhet", validators=[DataRequired("Beskriv usikkerheten."), CleanText(ITEM_TEXTS["description"])]
    )
    probability_before = SelectField(
        "Sannsynlighet før tiltak (1-5)",
        choices=SCORE_CHOICES,
        coerce=_optional_int,
        validators=[InputRequired("Velg sannsynlighet før tiltak.")],
    )
    consequence_before = SelectField(
        "Konsekvens før tiltak (1-5)",
        choices=SCORE_CHOICES,
        coerce=_optional_int,
        validators=[InputRequired("Velg konsekvens før tiltak.")],
    )
    mitigation = TextAreaField("Risikoreduserende tiltak", validators=[CleanText(ITEM_TEXTS["mitigation"])])
    mitigation_owner = StringField("Ansvarlig for tiltaket", validators=[CleanText(ITEM_TEXTS["mitigation_owner"])])
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


def _guidance(label: str) -> TextAreaField:
    return TextAreaField(label, validators=[CleanText(INDICATOR_TEXTS["guidance"])])


class IndicatorForm(TrackerForm):
    version = VersionField()
    name = StringField("Navn", validators=[DataRequired("Skriv et navn."), CleanText(INDICATOR_TEXTS["name"])])
    guidance_1 = _guidance("Veiledning for score 1 (lav risiko)")
    guidance_2 = _guidance("Veiledning for score 2")
    guidance_3 = _guidance("Veiledning for score 3")
    guidance_4 = _guidance("Veiledning for score 4")
    guidance_5 = _guidance("Veiledning for score 5 (høy risiko)")

    def guidance(self) -> list[str]:
        return [(getattr(self, f"guidance_{n}").data or "").strip() for n in range(1, 6)]
