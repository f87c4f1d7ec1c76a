"""The employee-consequences screen's form."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from tracker.web.forms import DateTextField, DecimalTextField

FTE_HELP = "Årsverk; reduksjon skrives med minus, for eksempel -2,5."


class EmployeeConsequenceForm(FlaskForm):
    affected_units = TextAreaField("Berørte enheter", validators=[Length(max=2000)])
    affected_employees = IntegerField("Antall berørte ansatte", validators=[Optional(), NumberRange(min=0)])
    fte_change_planned = DecimalTextField("Planlagt endring i årsverk", description=FTE_HELP)
    fte_change_realised = DecimalTextField("Realisert endring i årsverk", description=FTE_HELP)
    fte_by_attrition = DecimalTextField("Herav ved naturlig avgang (årsverk)")
    fte_by_redeployment = DecimalTextField("Herav ved omplassering (årsverk)")
    fte_by_downsizing = DecimalTextField("Herav ved nedbemanning (årsverk)")
    union_consultation_date = DateTextField("Dato for drøfting med tillitsvalgte", validators=[Optional()])
    is_safety_rep_involved = BooleanField("Verneombud er involvert")
    work_env_assessment_date = DateTextField(
        "Risikovurdering av arbeidsmiljøet gjennomført (dato)", validators=[Optional()]
    )
    work_env_assessment_summary = TextAreaField("Kort oppsummering av risikovurderingen", validators=[Length(max=4000)])

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
