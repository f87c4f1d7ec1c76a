"""The owner's quarter on one page: figures, status update, employee consequences and risk in one form.

Every field is optional to the form: what a draft may leave out and what submitting requires is the
service's rule (tracker.followup.services.save_quarter), so a draft keeps whatever was typed.
"""

from wtforms import BooleanField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import Optional, ValidationError

from tracker.benefits.forms import AMOUNT_HELP, AmountField, later_forecast_field
from tracker.confidence import LABELS
from tracker.money import MAX_ABS_COUNT, format_nok
from tracker.risks.rules import HIGH_INDICATOR_SCORE
from tracker.risks.services import ASSESSMENT_NOTE, STRENGTHENING_ACTION
from tracker.staff.forms import FTE_HELP
from tracker.text import NOTE
from tracker.updates.models import DECISION_AUDIENCE_LABELS, DECISION_LEDERGRUPPE
from tracker.web.forms import (
    CHOOSE,
    CleanText,
    DateTextField,
    DecimalTextField,
    ParsedTextField,
    TrackerForm,
    VersionsField,
    choice_list,
)

# Every text of the page is a note, as on the figures and status-update pages.
TEXT = [Optional(), CleanText(NOTE)]
SCORE_CHOICES = choice_list([("", CHOOSE), *[(str(n), str(n)) for n in range(1, 6)]])
# The keys of the page's versions (VersionsField): the quarter's figures, its status update, the consequences.
FIGURES, STATUS, STAFF = "tall", "statusrapport", "ansatte"


class CountField(ParsedTextField):
    """A whole number of people, 0 up to a million; `.count` holds it after validation (None when blank)."""

    count: int | None = None

    def parse(self, text: str) -> None:
        digits = text.strip().replace(" ", "").replace("\u00a0", "")
        self.count = None
        if not digits:
            return
        if not (digits.isascii() and digits.isdigit()):
            raise ValidationError(f"«{text[:30]}» er ikke et antall. Skriv et helt tall, for eksempel 12.")
        if len(digits) > len(str(MAX_ABS_COUNT)) or int(digits) > MAX_ABS_COUNT:
            raise ValidationError(f"Skriv et antall mellom 0 og {format_nok(MAX_ABS_COUNT)}.")
        self.count = int(digits)


def _optional_score(value):
    return int(value) if value not in (None, "", "None") else None


class QuarterReportForm(TrackerForm):
    # The versions of the records the page saves, as it showed them: a save made from older ones is a conflict.
    versions = VersionsField()
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
    one_off = AmountField(
        "Herav engangseffekt (kr)",
        validators=[Optional()],
        description="Den delen av det realiserte beløpet som ikke gjentar seg neste år (for eksempel et salg). "
        "Tomt betyr 0. Engangseffekter teller ikke mot senere år.",
    )
    explanation = TextAreaField(
        "Forklaring på avvik", validators=TEXT, description="Påkrevd ved avvik, også for et senere år."
    )
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
    decisions_needed = TextAreaField("Beslutninger som trengs", validators=TEXT)
    decisions_audience = SelectField(
        "Hvem må beslutte",
        choices=choice_list(DECISION_AUDIENCE_LABELS.items()),
        default=DECISION_LEDERGRUPPE,
        description="Beslutninger for politikerne kommer i politikernes kvartalsrapport, beslutninger for AMU i AMUs.",
    )
    save = SubmitField("Lagre utkast")
    submit_report = SubmitField("Send inn kvartalsrapporten")

    def status_values(self) -> dict:
        names = (
            "confidence",
            "confidence_justification",
            "progress",
            "corrective_actions",
            "decisions_needed",
            "decisions_audience",
        )
        return {name: (getattr(self, name).data or "").strip() for name in names}


class StaffFields:
    """Employee consequences asked each quarter (the rest stay as registered on the consequences page)."""

    affected_employees = CountField("Antall berørte ansatte", description="Skriv 0 om ingen er berørt.")
    fte_change_realised = DecimalTextField("Realisert endring i årsverk", max_abs=MAX_ABS_COUNT, description=FTE_HELP)
    union_consultation_date = DateTextField("Dato for drøfting med tillitsvalgte", validators=[Optional()])
    is_safety_rep_involved = BooleanField("Verneombud er involvert")
    work_env_assessment_date = DateTextField(
        "Risikovurdering av arbeidsmiljøet gjennomført (dato)", validators=[Optional()]
    )

    NAMES = (
        "affected_employees",
        "fte_change_realised",
        "union_consultation_date",
        "is_safety_rep_involved",
        "work_env_assessment_date",
    )


def quarter_form(
    indicators, show_staff: bool, show_risk: bool, formdata=None, data=None, later_years: tuple[int, ...] = ()
) -> QuarterReportForm:
    """The page's form, with the consequences and risk sections only when the page shows them.

    Risk scores start at "Velg" (no score preselected); one field per indicator, as admin names them.
    Each later year of the plan period gets an optional forecast (`forecast_YYYY`), as on the figures page.
    """

    class Form(QuarterReportForm):
        pass

    for year in later_years:
        setattr(Form, f"forecast_{year}", later_forecast_field(year))

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
            action = TextAreaField(
                f"Forsterkende tiltak for {indicator.name}",
                validators=[Optional(), CleanText(STRENGTHENING_ACTION)],
                description=f"Påkrevd før tiltaket settes i gang når scoren er {HIGH_INDICATOR_SCORE} eller 5.",
            )
            setattr(Form, f"action_{indicator.key}", action)
        Form.risk_note = TextAreaField("Kommentar til vurderingen", validators=[Optional(), CleanText(ASSESSMENT_NOTE)])
    # formdata=None is no input (on a POST too, for the stored side of a conflict page), not "read the request".
    form = Form(formdata=formdata, data=data)
    form.show_staff, form.show_risk = show_staff, show_risk
    form.later_fields = [(year, getattr(form, f"forecast_{year}")) for year in later_years]
    form.indicator_fields = (
        [(i, getattr(form, f"score_{i.key}"), getattr(form, f"action_{i.key}")) for i in indicators]
        if show_risk
        else []
    )
    return form
