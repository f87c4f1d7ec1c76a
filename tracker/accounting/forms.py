"""Accounting forms: ledger upload, a mapping filter on the measure page, a deflator."""

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from tracker.accounting.rules import KIND_ACTUAL, KIND_BUDGET, MAX_PATTERN_CHARS
from tracker.accounting.services import DEFLATOR_SOURCE
from tracker.text import line
from tracker.web.forms import CleanText, DecimalTextField, TrackerForm

PATTERN_HELP = "Kode (265), jokertegn (31*) eller intervall (10000-10999). Tomt = alle."


def _pattern_field(label: str, name: str, help_text: str) -> StringField:
    return StringField(label, validators=[CleanText(line(MAX_PATTERN_CHARS[name]))], description=help_text)


class LedgerUploadForm(TrackerForm):
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


class FilterForm(TrackerForm):
    ansvar = _pattern_field("Ansvar", "ansvar", PATTERN_HELP)
    art = _pattern_field("Art", "art", PATTERN_HELP)
    funksjon = _pattern_field("Funksjon", "funksjon", PATTERN_HELP)
    prosjekt = _pattern_field("Prosjekt", "prosjekt", "Valgfritt. " + PATTERN_HELP)
    submit = SubmitField("Legg til regnskapsfilter")

    def values(self) -> dict[str, str]:
        return {name: self[name].data or "" for name in ("ansvar", "art", "funksjon", "prosjekt")}


class DeflatorForm(TrackerForm):
    year = IntegerField("År", validators=[InputRequired("Oppgi år."), NumberRange(2025, 2100, "Oppgi et år fra 2025.")])
    rate_pct = DecimalTextField(
        "Kommunal deflator (prosent)",
        validators=[InputRequired("Oppgi deflatoren.")],
        description="Fra statsbudsjettet, for eksempel 4,3.",
    )
    source = StringField(
        "Kilde",
        validators=[Optional(), CleanText(DEFLATOR_SOURCE)],
        description="For eksempel «Prop. 1 S (2025–2026)».",
    )
    submit = SubmitField("Lagre deflator")

    def rate_basis_points(self) -> int:
        return int((self.rate_pct.number * 100).to_integral_value())
