"""Accounting forms: ledger upload, a mapping filter on the measure page, a deflator."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from tracker.accounting.rules import KIND_ACTUAL, KIND_BUDGET
from tracker.web.forms import DecimalTextField

PATTERN_HELP = "Kode (265), jokertegn (31*) eller intervall (10000-10999). Tomt = alle."


class LedgerUploadForm(FlaskForm):
    file = FileField(
        "Regnskapsfil",
        description="CSV med semikolon (som norsk Excel lagrer) eller .xlsx med kolonnene "
        "År, Periode, Ansvar, Art, Funksjon, Prosjekt (valgfri) og Beløp.",
        validators=[FileRequired("Velg en fil."), FileAllowed(["csv", "xlsx"], "Bare .csv- og .xlsx-filer.")],
    )
    kind = SelectField(
        "Type",
        choices=[SelectChoice(KIND_ACTUAL, "Regnskap (faktiske tall)"), SelectChoice(KIND_BUDGET, "Budsjett")],
        default=KIND_ACTUAL,
        description="Hver periode i filen erstatter det som er lagret for samme type, år og periode.",
    )
    submit = SubmitField("Importer")


class FilterForm(FlaskForm):
    ansvar = StringField("Ansvar", description=PATTERN_HELP)
    art = StringField("Art", description=PATTERN_HELP)
    funksjon = StringField("Funksjon", description=PATTERN_HELP)
    prosjekt = StringField("Prosjekt", description="Valgfritt. " + PATTERN_HELP)
    submit = SubmitField("Legg til regnskapsfilter")

    def values(self) -> dict[str, str]:
        return {name: self[name].data or "" for name in ("ansvar", "art", "funksjon", "prosjekt")}


class DeflatorForm(FlaskForm):
    year = IntegerField("År", validators=[InputRequired("Oppgi år."), NumberRange(2025, 2100, "Oppgi et år fra 2025.")])
    rate_pct = DecimalTextField(
        "Kommunal deflator (prosent)",
        validators=[InputRequired("Oppgi deflatoren.")],
        description="Fra statsbudsjettet, for eksempel 4,3.",
    )
    source = StringField("Kilde", validators=[Optional()], description="For eksempel «Prop. 1 S (2025–2026)».")
    submit = SubmitField("Lagre deflator")

    def rate_basis_points(self) -> int:
        return int((self.rate_pct.number * 100).to_integral_value())
