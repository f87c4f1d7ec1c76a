"""The owner's quarter on one page: figures, status update, employee consequences and risk in one form.

Every field is optional to the form: what a draft may leave out and what submitting requires is the
service's rule (tracker.followup.services.save_quarter), so a draft keeps whatever was typed.
"""

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from tracker.benefits.forms import AMOUNT_HELP, AmountField
from tracker.confidence import LABELS
from tracker.staff.forms import FTE_HELP
from tracker.web.forms import DecimalTextField, choice_list

TEXT = [Optional(), Length(max=4000)]
SCORE_CHOICES = choice_list([("", "Velg"), *[(str(n), str(n)) for n in range(1, 6)]])


class CountField(StringField):
    """A whole number of people, 0 or more; `.count` holds it after validation (None when blank)."""

    count: int | None = None

    def pre_validate(self, form) -> None:  # noqa: ARG002 - WTForms' signature
        text = (self.data or "").strip().replace(" ", "").replace("\u00a0", "")
        if not text:
            self.count = None
            return
        if not text.isdigit():
            raise ValidationError(f"«{self.data}» er ikke et antall. Skriv et helt tall, for eksempel 12.")
        self.count = int(text)


def _optional_score(value):
    return int(value) if value not in (None, "", "None") else None


class QuarterReportForm(FlaskForm):
    realised = AmountField(
        "Realisert hittil i år (kr)",
        validators=[Optional()],
        description="Det som faktisk er spart fra 1. januar til nå. " + AMOUNT_HELP,
    )
    forecast = AmountField(
        "Prognose for hele året (kr)",
        validators=[Optional()],
        description="Det du nå forventer at tiltaket sparer i år. " + AMOUNT_HELP,
    )
    explanation = TextAreaField("Forklaring på avvik", validators=TEXT, description="Påkrevd ved avvik.")
    corrective_action = TextAreaField(
        "Korrigerende tiltak for avviket",
        validators=TEXT,
        description="Påkrevd ved avvik: hva gjøres for å hente inn det som mangler.",
    )
    comment = TextAreaField("Kommentar til tallene", validators=TEXT)
    correction_reason = TextAreaField(
        "Begrunnelse for korreksjon",
        validators=TEXT,
        description="Kvartalet er lukket: endringen lagres som en korreksjon, og de gamle tallene beholdes.",
    )
    confidence = RadioField(
        "Leveransesikkerhet",
        choices=choice_list(LABELS.items()),
        validators=[Optional()],
        description="Hvor sikkert er det at tiltaket leverer planlagt gevinst?",
    )
    confidence_justification = TextAreaField("Begrunnelse for leveransesikkerheten", validators=TEXT)
    progress = TextAreaField("Framdrift siden forrige rapport", validators=TEXT)
    corrective_actions = TextAreaField("Korrigerende tiltak i gjennomføringen", validators=TEXT)
    decisions_needed = TextAreaField("Beslutninger som trengs fra ledergruppen", validators=TEXT)
    save = SubmitField("Lagre utkast")
    submit_report = SubmitField("Send inn kvartalsrapporten")

    def status_values(self) -> dict:
        names = ("confidence", "confidence_justification", "progress", "corrective_actions", "decisions_needed")
        return {name: (getattr(self, name).data or "").strip() for name in names}


class StaffFields:
    """Employee consequences asked each quarter (the rest stay as registered on the consequences page)."""

    affected_employees = CountField("Antall berørte ansatte", description="Skriv 0 om ingen er berørt.")
    fte_change_realised = DecimalTextField("Realisert endring i årsverk", description=FTE_HELP)
    union_consultation_date = DateField("Dato for drøfting med tillitsvalgte", validators=[Optional()])
    is_safety_rep_involved = BooleanField("Verneombud er involvert")
    work_env_assessment_date = DateField(
        "Risikovurdering av arbeidsmiljøet gjennomført (dato)", validators=[Optional()]
    )

    NAMES = (
        "affected_employees",
        "fte_change_realised",
        "union_consultation_date",
        "is_safety_rep_involved",
        "work_env_assessment_date",
    )


def quarter_form(indicators, show_staff: bool, show_risk: bool, formdata=None, data=None) -> QuarterReportForm:
    """The page's form, with the consequences and risk sections only when the page shows them.

    Risk scores start at "Velg" (no score preselected); one field per indicator, as admin names them.
    """

    class Form(QuarterReportForm):
        pass

    if show_staff:
        for name in StaffFields.NAMES:
            setattr(Form, name, getattr(StaffFields, name))
    if show_risk:
        for indicator in indicators:
            guidance = " ".join(f"{n}: {text}" for n, text in enumerate(indicator.guidance, start=1))
            field = SelectField(
                indicator.name,
                choices=SCORE_CHOICES,
                coerce=_optional_score,
                validators=[Optional()],
                description=guidance,
            )
            setattr(Form, f"score_{indicator.key}", field)
        Form.risk_note = TextAreaField("Kommentar til vurderingen", validators=TEXT)
    form = Form(formdata=formdata, data=data) if formdata is not None else Form(data=data)
    form.show_staff, form.show_risk = show_staff, show_risk
    form.indicator_fields = [(i, getattr(form, f"score_{i.key}")) for i in indicators] if show_risk else []
    return form
