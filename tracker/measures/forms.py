"""Forms of the portfolio screens: overview filter, measure edit, decision, owner, import."""

from datetime import date

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from tracker.money import NumberFormatError, input_mnok, parse_mnok
from tracker.periods import today_oslo
from tracker.portfolio.figures import EFFECT_TYPES, saving_from_net_change
from tracker.portfolio.models import Measure
from tracker.portfolio.overview import (
    NO_EFFECT_TYPE,
    NO_OWNER,
    SHOW_AT_RISK,
    SHOW_DEVIATION,
    SHOW_LABELS,
    SHOW_MISSING,
)
from tracker.portfolio.services import (
    AFFECTED_UNITS_TEXT,
    DECISION_TEXTS,
    EDITABLE_FIELDS,
    LIST_FIELDS,
    MEASURE_TEXTS,
    PLAN_REASON,
)
from tracker.portfolio.status import STATUS_LABELS, STATUSES
from tracker.text import FREE_TEXT
from tracker.web.forms import CleanText, DateTextField, ParsedTextField, TrackerForm, VersionField, choice_list

# Larger than any municipal budget line: a typo such as a missing comma is caught.
MAX_ABS_MNOK_NOK = 100_000 * 1_000_000


class OverviewFilterForm(TrackerForm):
    """GET form of the overview: filters and sort order (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    gruppe = SelectField("Arbeidsgruppe", choices=[], validate_choice=False)
    tjeneste = SelectField("Tjeneste", choices=[], validate_choice=False)
    status = SelectField("Status", choices=[], validate_choice=False)
    effekttype = SelectField("Effekttype", choices=[], validate_choice=False)
    ansvarlig = SelectField("Tiltaksansvarlig", choices=[], validate_choice=False)
    sorter = SelectField("Sorter etter", choices=[], validate_choice=False)
    retning = SelectField("Rekkefølge", choices=choice_list([("stigende", "Stigende"), ("synkende", "Synkende")]))
    aar = SelectField("År for oppfølgingen", choices=[], validate_choice=False)
    vis = SelectField("Vis bare", choices=[], validate_choice=False)
    submit = SubmitField("Vis")

    def set_choices(self, programme, overview) -> None:
        """Fill the select lists from the programme and the measures it has."""
        everything = [("", "Alle")]
        self.aar.choices = choice_list((str(year), str(year)) for year in overview.years)
        self.aar.data = str(overview.year)
        shown = (SHOW_DEVIATION, SHOW_MISSING, SHOW_AT_RISK)
        self.vis.choices = choice_list([("", "Alle tiltak"), *((key, SHOW_LABELS[key]) for key in shown)])
        self.gruppe.choices = choice_list(everything + [(str(group.number), group.label) for group in programme.groups])
        self.tjeneste.choices = choice_list(everything + [(service, service) for service in overview.services])
        self.status.choices = choice_list(everything + [(status, STATUS_LABELS[status]) for status in STATUSES])
        self.effekttype.choices = choice_list(
            everything + [(kind, kind) for kind in EFFECT_TYPES] + [(NO_EFFECT_TYPE, "Ikke angitt")]
        )
        self.ansvarlig.choices = choice_list(
            everything + [(str(user.id), user.display_name) for user in overview.owners] + [(NO_OWNER, "Ingen")]
        )
        self.sorter.choices = choice_list(
            [
                ("kode", "Tiltakskode"),
                ("tittel", "Tittel"),
                ("gruppe", "Arbeidsgruppe"),
                ("status", "Status"),
                ("ansvarlig", "Tiltaksansvarlig"),
            ]
            + [(f"innsparing-{year}", f"Planlagt innsparing {year}") for year in overview.years]
        )


def _blank_to_none(value):
    if isinstance(value, str):
        value = value.strip()
    return value or None


class MnokField(ParsedTextField):
    """An amount in mill. kr typed the Norwegian way ("1 234,5", "−0,3"); `.nok` is whole kroner."""

    nok: int | None = None

    def parse(self, text: str) -> None:
        try:
            self.nok = parse_mnok(text)
        except NumberFormatError as exc:
            self.nok = None
            raise ValidationError(str(exc)) from exc
        if self.nok is not None and abs(self.nok) > MAX_ABS_MNOK_NOK:
            raise ValidationError("Beløpet er urimelig stort. Skriv beløpet i millioner kroner, for eksempel 1,5.")


class VersionedForm(TrackerForm):
    """A form that carries the version of the measure the user saw, so a stale save is refused."""

    version = VersionField()

    def seen_version(self) -> int | None:
        return self.version.seen()


def _text_area(label: str, name: str, **kwargs) -> TextAreaField:
    return TextAreaField(label, validators=[CleanText(MEASURE_TEXTS[name])], **kwargs)


class MeasureForm(VersionedForm):
    title = StringField("Tittel", validators=[DataRequired("Tittel er påkrevd."), CleanText(MEASURE_TEXTS["title"])])
    service = StringField("Tjeneste", validators=[CleanText(MEASURE_TEXTS["service"])])
    effect_type = SelectField(
        "Effekttype",
        choices=choice_list([("", "Ikke angitt")] + [(kind, kind) for kind in EFFECT_TYPES]),
        validators=[Optional()],
        description="Rapporten oppgir effekttypen for noen tiltak; for de andre er den utledet fra rapportens "
        "tabell 3. Endrer du den her, vises den som «satt i trackeren».",
    )
    problem = _text_area("Problem (dagens situasjon)", "problem")
    solution = _text_area("Løsning", "solution")
    consequences_users = _text_area("Konsekvenser for brukerne", "consequences_users")
    consequences_employees = _text_area("Konsekvenser for de ansatte", "consequences_employees")
    investment = _text_area("Investering", "investment")
    fte_effect = _text_area("Effekt på årsverk", "fte_effect")
    kpi_suggestions = TextAreaField(
        "Forslag til styringsindikatorer (KPI)",
        validators=[CleanText(FREE_TEXT)],
        description="Én indikator per linje.",
    )
    risk_notes = _text_area("Risiko", "risk_notes")
    status_note = _text_area("Statusnotat", "status_note")
    affected_units = TextAreaField(
        "Berørte enheter",
        validators=[CleanText(AFFECTED_UNITS_TEXT)],
        description="Én enhet per linje, for eksempel Hjemmetjenesten. Brukes til å summere risikobelastningen per enhet.",
    )
    submit = SubmitField("Lagre endringene")

    years: list[int] = []

    def saving_fields(self) -> list[tuple[int, MnokField]]:
        return [(year, self[f"saving_{year}"]) for year in self.years]

    def values(self) -> dict:
        """The descriptive fields as the service stores them (blank text → None)."""
        values = {name: _blank_to_none(self[name].data) for name in EDITABLE_FIELDS if name not in LIST_FIELDS}
        values["service"] = values["service"] or ""
        values["title"] = (self.title.data or "").strip()
        for name in LIST_FIELDS:
            lines = [" ".join(line.split()) for line in (self[name].data or "").splitlines()]
            values[name] = [line for line in lines if line]
        return values

    def savings_nok(self) -> dict[int, int | None]:
        return {year: field.nok for year, field in self.saving_fields()}

    def plan_reason_text(self) -> str:
        return (self.plan_reason.data or "").strip() if "plan_reason" in self else ""


def measure_form_class(years: list[int], with_plan: bool = True) -> type[MeasureForm]:
    """The edit form; with the plan (admins only), one "planned saving" field per year and a reason."""
    if not with_plan:
        return type("MeasureEditForm", (MeasureForm,), {"years": []})
    attributes = {
        "years": list(years),
        "plan_reason": TextAreaField(
            "Begrunnelse for endret plan",
            validators=[CleanText(PLAN_REASON)],
            description="Påkrevd når planlagt innsparing endres; lagres i planhistorikken med gammel og ny verdi.",
        ),
    }
    for year in years:
        attributes[f"saving_{year}"] = MnokField(
            f"Planlagt innsparing {year} (mill. kr)",
            description="Innsparing som positivt tall; en merkostnad skrives med minus. For eksempel 1 234,5 eller -0,3.",
        )
    return type("MeasureEditForm", (MeasureForm,), attributes)


def measure_form_data(measure: Measure, years: list[int]) -> dict[str, str]:
    """What the edit form shows for the stored measure (also "stored now" on the conflict page)."""
    data = {name: getattr(measure, name) or "" for name in EDITABLE_FIELDS if name not in LIST_FIELDS}
    data.update({name: "\n".join(getattr(measure, name) or []) for name in LIST_FIELDS})
    data["version"] = str(measure.version)
    plan = measure.planned_net_change_by_year()
    for year in years:
        data[f"saving_{year}"] = input_mnok(saving_from_net_change(plan[year])) if year in plan else ""
    return data


class StatusForm(VersionedForm):
    # The service checks the transition (with a Norwegian message), so the select does not.
    to_status = SelectField("Ny status", choices=[], validate_choice=False)
    decided_date = DateTextField("Vedtaksdato", validators=[DataRequired("Skriv vedtaksdatoen.")])
    decision_reference = StringField(
        "Vedtaksreferanse",
        description="For eksempel «KS-sak 85/25». Påkrevd når tiltaket settes i gang (beslutningen go/no-go).",
        validators=[CleanText(DECISION_TEXTS["decision_reference"])],
    )
    comment = TextAreaField("Kommentar", validators=[CleanText(DECISION_TEXTS["comment"])])
    submit = SubmitField("Registrer vedtaket")

    @staticmethod
    def default_date() -> date:
        return today_oslo()


class OwnerForm(VersionedForm):
    owner_id = SelectField("Tiltaksansvarlig", choices=[], coerce=int, validate_choice=False)
    submit = SubmitField("Lagre ansvarlig")


class ImportForm(TrackerForm):
    file = FileField(
        "Porteføljefil",
        description="En JSON-fil i porteføljeformatet eller en Excel-fil eksportert fra trackeren (.json eller .xlsx).",
        validators=[FileRequired("Velg en fil."), FileAllowed(["json", "xlsx"], "Bare .json- og .xlsx-filer.")],
    )
    submit = SubmitField("Importer")
