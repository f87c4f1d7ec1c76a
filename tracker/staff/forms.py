"""The employee-consequences screen's form."""

from wtforms import BooleanField, IntegerField, TextAreaField
from wtforms.validators import NumberRange, Optional, ValidationError

from tracker.money import MAX_ABS_COUNT, format_nok
from tracker.staff.services import STAFF_TEXTS
from tracker.web.forms import CleanText, DateTextField, DecimalTextField, TrackerForm, VersionField

FTE_HELP = "Årsverk; reduksjon skrives med minus, for eksempel -2,5."


def _fte(label: str, **kwargs) -> DecimalTextField:
    return DecimalTextField(label, max_abs=MAX_ABS_COUNT, **kwargs)


class EmployeeConsequenceForm(TrackerForm):
    version = VersionField()
    affected_units = TextAreaField("Berørte enheter", validators=[CleanText(STAFF_TEXTS["affected_units"])])
    affected_employees = IntegerField(
        "Antall berørte ansatte",
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_ABS_COUNT, message=f"Skriv et antall mellom 0 og {format_nok(MAX_ABS_COUNT)}."),
        ],
    )
    fte_change_planned = _fte("Planlagt endring i årsverk", description=FTE_HELP)
    fte_change_realised = _fte("Realisert endring i årsverk", description=FTE_HELP)
    fte_by_attrition = _fte("Herav ved naturlig avgang (årsverk)")
    fte_by_redeployment = _fte("Herav ved omplassering (årsverk)")
    fte_by_downsizing = _fte("Herav ved nedbemanning (årsverk)")
    union_consultation_date = DateTextField("Dato for drøfting med tillitsvalgte", validators=[Optional()])
    is_safety_rep_involved = BooleanField("Verneombud er involvert")
    work_env_assessment_date = DateTextField(
        "Risikovurdering av arbeidsmiljøet gjennomført (dato)", validators=[Optional()]
    )
    work_env_assessment_summary = TextAreaField(
        "Kort oppsummering av risikovurderingen", validators=[CleanText(STAFF_TEXTS["work_env_assessment_summary"])]
    )

    def validate_fte_by_downsizing(self, field) -> None:  # noqa: ARG002
        for name in ("fte_by_attrition", "fte_by_redeployment", "fte_by_downsizing"):
            number = getattr(self, name).number
            if number is not None and number < 0:
                raise ValidationError(
                    "Fordelingen på naturlig avgang, omplassering og nedbemanning skrives som positive årsverk."
                )

    def values(self) -> dict:
        values = {name: getattr(self, name).number for name in (
            "fte_change_planned", "fte_change_realised", "fte_by_attrition", "fte_by_redeployment", "fte_by_downsizing"
        )}  # fmt: skip
        values.update(
            affected_units=(self.affected_units.data or "").strip(),
            affected_employees=self.affected_employees.data,
            union_consultation_date=self.union_consultation_date.data,
            is_safety_rep_involved=bool(self.is_safety_rep_involved.data),
            work_env_assessment_date=self.work_env_assessment_date.data,
            work_env_assessment_summary=(self.work_env_assessment_summary.data or "").strip(),
        )
        return values

    def fill(self, record) -> None:
        """Show a stored record in the form (GET)."""
        for name in (
            "fte_change_planned",
            "fte_change_realised",
            "fte_by_attrition",
            "fte_by_redeployment",
            "fte_by_downsizing",
        ):
            getattr(self, name).set_number(getattr(record, name))
        for name in ("affected_units", "affected_employees", "union_consultation_date", "is_safety_rep_involved",
                     "work_env_assessment_date", "work_env_assessment_summary"):  # fmt: skip
            getattr(self, name).data = getattr(record, name)
