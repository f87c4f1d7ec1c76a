"""One form per benefits screen. Amounts are typed as whole kroner, Norwegian style ("1 234 567")."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from tracker.money import NOK_EXAMPLE, NumberFormatError, parse_nok

AMOUNT_HELP = f"{NOK_EXAMPLE} Innsparing er positiv; økt kostnad skrives med minus."


def parse_amount(field) -> int | None:
    """The field's text as whole kroner, or None; a bad number is a validation error."""
    try:
        return parse_nok(field.data)
    except NumberFormatError as exc:
        raise ValidationError(str(exc)) from exc


class AmountField(StringField):
    """A whole-kroner amount; `.amount` holds the parsed value after validation."""

    amount: int | None = None

    def pre_validate(self, form) -> None:  # noqa: ARG002 - WTForms' signature
        self.amount = parse_amount(self)


class QuarterlyFiguresForm(FlaskForm):
    realised = AmountField(
        "Realisert hittil i år (kr)",
        validators=[InputRequired("Skriv realisert beløp, 0 om ingenting er realisert.")],
        description="Det som faktisk er spart fra 1. januar til nå. " + AMOUNT_HELP,
    )
    forecast = AmountField(
        "Prognose for hele året (kr)",
        validators=[InputRequired("Skriv prognosen for hele året.")],
        description="Det du nå forventer at tiltaket sparer i år. " + AMOUNT_HELP,
    )
    explanation = TextAreaField(
        "Forklaring på avvik",
        validators=[Length(max=4000)],
        description="Påkrevd når prognosen er et avvik fra planen.",
    )
    corrective_action = TextAreaField(
        "Korrigerende tiltak",
        validators=[Length(max=4000)],
        description="Påkrevd ved avvik: hva gjøres for å hente inn det som mangler.",
    )
    comment = TextAreaField("Kommentar", validators=[Length(max=4000)])
    correction_reason = TextAreaField(
        "Begrunnelse for korreksjon",
        validators=[Length(max=4000)],
        description="Kvartalet er lukket: endringen lagres som en korreksjon, og de gamle tallene beholdes.",
    )


class PlanChangeForm(FlaskForm):
    year = SelectField("År", coerce=int)
    new_saving = AmountField(
        "Ny planlagt innsparing (kr)", validators=[InputRequired("Skriv ny plan.")], description=AMOUNT_HELP
    )
    reason = TextAreaField(
        "Begrunnelse",
        validators=[DataRequired("Skriv hvorfor planen endres."), Length(max=4000)],
        description="For eksempel vedtak i kommunestyret med saksnummer.",
    )


class TakeOutForm(FlaskForm):
    year = SelectField("År", coerce=int)
    amount = AmountField(
        "Budsjettuttak (kr)",
        validators=[InputRequired("Skriv uttaket.")],
        description="Beløpet som faktisk er tatt ut av enhetens budsjettramme. " + AMOUNT_HELP,
    )
    comment = TextAreaField("Kommentar", validators=[Length(max=4000)])


class ImportForm(FlaskForm):
    file = FileField(
        "Excel-fil med kvartalstall (.xlsx)",
        validators=[FileRequired("Velg en fil."), FileAllowed(["xlsx"], "Bare .xlsx-filer.")],
        description="Første ark, første rad er overskrifter. Se formatet under.",
    )


class CloseQuarterForm(FlaskForm):
    quarter = SelectField("Kvartal som skal lukkes")


class ConfirmForm(FlaskForm):
    """A button-only form (CSRF token only): approve a figure."""


class DashboardFilterForm(FlaskForm):
    class Meta:
        csrf = False

    year = SelectField("År", coerce=int)
    quarter = SelectField("Per kvartal")
