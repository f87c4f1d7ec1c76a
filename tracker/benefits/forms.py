"""One form per benefits screen. Amounts are typed as whole kroner, Norwegian style ("1 234 567")."""

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, ValidationError

from tracker.money import NOK_EXAMPLE, NumberFormatError, parse_nok
from tracker.text import NOTE
from tracker.web.forms import CleanText, ParsedTextField, TrackerForm, VersionField, VersionsField

AMOUNT_HELP = f"{NOK_EXAMPLE} Innsparing er positiv; økt kostnad skrives med minus."


class AmountField(ParsedTextField):
    """A whole-kroner amount within ±10^12 kr; `.amount` holds the parsed value after validation."""

    amount: int | None = None

    def parse(self, text: str) -> None:
        try:
            self.amount = parse_nok(text)
        except NumberFormatError as exc:
            self.amount = None
            raise ValidationError(str(exc)) from exc


class QuarterlyFiguresForm(TrackerForm):
    version = VersionField()
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
        validators=[CleanText(NOTE)],
        description="Påkrevd når prognosen er et avvik fra planen.",
    )
    corrective_action = TextAreaField(
        "Korrigerende tiltak",
        validators=[CleanText(NOTE)],
        description="Påkrevd ved avvik: hva gjøres for å hente inn det som mangler.",
    )
    comment = TextAreaField("Kommentar", validators=[CleanText(NOTE)])
    correction_reason = TextAreaField(
        "Begrunnelse for korreksjon",
        validators=[CleanText(NOTE)],
        description="Kvartalet er lukket: endringen lagres som en korreksjon, og de gamle tallene beholdes.",
    )


class PlanChangeForm(TrackerForm):
    version = VersionField()  # the measure's: every plan change bumps it
    year = SelectField("År", coerce=int)
    new_saving = AmountField(
        "Ny planlagt innsparing (kr)", validators=[InputRequired("Skriv ny plan.")], description=AMOUNT_HELP
    )
    reason = TextAreaField(
        "Begrunnelse",
        validators=[DataRequired("Skriv hvorfor planen endres."), CleanText(NOTE)],
        description="For eksempel vedtak i kommunestyret med saksnummer.",
    )


class TakeOutForm(TrackerForm):
    version = VersionsField()  # the versions of the measure's take-outs by year: the year is chosen on the page
    year = SelectField("År", coerce=int)
    amount = AmountField(
        "Budsjettuttak (kr)",
        validators=[InputRequired("Skriv uttaket.")],
        description="Beløpet som faktisk er tatt ut av enhetens budsjettramme. " + AMOUNT_HELP,
    )
    comment = TextAreaField("Kommentar", validators=[CleanText(NOTE)])


class ImportForm(TrackerForm):
    file = FileField(
        "Excel-fil med kvartalstall (.xlsx)",
        validators=[FileRequired("Velg en fil."), FileAllowed(["xlsx"], "Bare .xlsx-filer.")],
        description="Første ark, første rad er overskrifter. Se formatet under.",
    )


class CloseQuarterForm(TrackerForm):
    quarter = SelectField("Kvartal som skal lukkes")


class ConfirmForm(TrackerForm):
    """A button-only form (CSRF token only): approve a figure."""


class ApproveForm(TrackerForm):
    """Approve a figure: the button, and the version of the figures the controller saw."""

    version = VersionField()


class DashboardFilterForm(TrackerForm):
    class Meta:
        csrf = False

    year = SelectField("År", coerce=int)
    quarter = SelectField("Per kvartal")
