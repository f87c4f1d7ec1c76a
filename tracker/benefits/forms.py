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
    later_years: list[int] = []

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
    one_off = AmountField(
        "Herav engangseffekt (kr)",
        description="Den delen av det realiserte beløpet som ikke gjentar seg neste år (for eksempel et salg). "
        "Tomt betyr 0. Engangseffekter teller ikke mot senere år.",
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


def later_forecast_field(year: int) -> AmountField:
    return AmountField(
        f"Prognose {year} (kr)",
        description=f"Valgfritt: det du nå forventer at tiltaket sparer i {year}. Tomt betyr at forrige prognose "
        "(eller planen) står. Under planen krever forklaring og korrigerende tiltak.",
    )


def quarterly_figures_form_class(later_years: list[int]) -> type[QuarterlyFiguresForm]:
    """The quarterly form with an optional forecast field (`forecast_YYYY`) per later year of the plan period."""
    fields = {f"forecast_{year}": later_forecast_field(year) for year in later_years}
    form_class = type("QuarterlyFiguresWithLaterYears", (QuarterlyFiguresForm,), fields)
    form_class.later_years = list(later_years)
    return form_class


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


class TargetForm(TrackerForm):
    """A target for one plan year: the programme's, or a work group's requirement."""

    version = VersionsField()  # the versions of the targets by "scope-year": both are chosen on the page
    scope = SelectField("Gjelder", description="Programmet (målet) eller en arbeidsgruppe (sparekravet).")
    year = SelectField("År", coerce=int)
    amount = AmountField(
        "Innsparing (kr)",
        description="Hele kroner, for eksempel 26 000 000. Tomt fjerner målet for året.",
    )
    reason = TextAreaField(
        "Begrunnelse",
        validators=[DataRequired("Skriv hvorfor målet endres."), CleanText(NOTE)],
        description="For eksempel vedtak om budsjett og økonomiplan med saksnummer.",
    )
