"""Checking a portfolio document (the JSON format of data/omstilling-2025.json) before anything is stored.

Every field the import uses is checked for its type and range, the programme block included, and
every problem is named by its place ("Tiltak 1.3, felt title: …"). The Excel import reads a
workbook into the same shape, so the same checks hold for both files.
"""

import re
from decimal import Decimal
from typing import Any

from tracker.accounting.portfolio_files import filters_from_document
from tracker.measures.fileformat import TEXT_FIELDS, PortfolioImportError
from tracker.milestones.services import TEXTS as MILESTONE_TEXTS
from tracker.money import MAX_ABS_NOK, NumberFormatError, mnok_to_nok, parse_decimal, shown, within
from tracker.periods import MAX_YEAR, MIN_YEAR, PROGRAMME_MARGIN_YEARS, parse_date
from tracker.portfolio.figures import EFFECT_TYPE_BASES, saving_from_net_change
from tracker.portfolio.programmes import MAX_PLAN_YEARS
from tracker.portfolio.services import AFFECTED_UNIT, KPI_SUGGESTION, MEASURE_TEXTS
from tracker.text import FREE_TEXT, NAME, TextRule, text_problem

CODE_RE = re.compile(r"^\d{1,3}\.\d{1,3}$")
BOOL_FIELDS = {"recommended_by_report": "is_recommended_by_report", "significant_org_risk": "has_significant_org_risk"}
MAX_GROUP_NUMBER = 999
PROGRAMME_TEXTS = {"name": NAME, "municipality": NAME, "source": FREE_TEXT, "baseline": NAME, "target_note": FREE_TEXT}
MAX_ABS_MNOK = MAX_ABS_NOK // 1_000_000


class Problems(list):
    """The problems found so far, each a Norwegian line naming its place."""

    def add(self, where: str, message: str) -> None:
        self.append(f"{where}: {message}")


# --- values --------------------------------------------------------------------------------------


def mnok(value: Any, where: str, problems: Problems) -> int | None:
    """Mill. kr (a number or Norwegian number text) as whole kroner within ±10^12 kr; None when blank."""
    if value is None:
        return None
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            raise NumberFormatError(f"«{shown(value)}» er ikke et tall.")
        number = parse_decimal(value)
        return None if number is None else mnok_to_nok(within(number, MAX_ABS_MNOK, value, " mill. kr"))
    except NumberFormatError as exc:
        problems.add(where, str(exc))
        return None


def text(value: Any, rule: TextRule, where: str, problems: Problems) -> str | None:
    """A text field: text or nothing (null), within its rule."""
    if value is None:
        return None
    if not isinstance(value, str):
        problems.add(where, f"må være tekst, ikke «{shown(value)}».")
        return None
    problem = text_problem(value, rule)
    if problem:
        problems.add(where, problem)
        return None
    return value


def year(value: Any, where: str, problems: Problems, years: range) -> int | None:
    """A year (a whole number, or its digits as text) within `years`."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 4:
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(where, f"«{shown(value)}» er ikke et årstall.")
        return None
    if value not in years:
        problems.add(where, f"{value} er utenfor det tillatte: året må ligge mellom {years[0]} og {years[-1]}.")
        return None
    return value


def _yes_no(value: Any, where: str, problems: Problems) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    problems.add(where, f"må være true eller false, ikke «{shown(value)}».")
    return False


def _years_by_mnok(raw: Any, where: str, problems: Problems, years: range) -> dict[int, int]:
    """A table of mill. kr per year ({"2026": -1.5}) as whole kroner per year."""
    if not isinstance(raw, dict):
        problems.add(where, "mangler eller er ikke en tabell per år.")
        return {}
    amounts = {}
    for key, value in raw.items():
        found = year(key, f"{where}.{shown(key)}", problems, years)
        amount = mnok(value, f"{where}.{shown(key)}", problems)
        if found is not None and amount is not None:
            amounts[found] = amount
    return amounts


# --- the programme and its groups ----------------------------------------------------------------


def _plan_period(programme: dict, problems: Problems) -> tuple[int, int] | None:
    period = programme.get("plan_period")
    where = "programme.plan_period"
    if not (isinstance(period, list) and len(period) == 2):
        problems.add(where, "må være to årstall, for eksempel [2026, 2029].")
        return None
    first, last = (year(value, where, problems, range(MIN_YEAR, MAX_YEAR + 1)) for value in period)
    if first is None or last is None:
        return None
    if not 0 <= last - first < MAX_PLAN_YEARS:
        problems.add(where, f"siste planår må komme etter første, og perioden kan ha høyst {MAX_PLAN_YEARS} år.")
        return None
    return first, last


def plan_years(period: tuple[int, int] | None) -> range:
    """The years a file's amounts may be for: the plan period give or take the margin (any year without one)."""
    if period is None:
        return range(MIN_YEAR, MAX_YEAR + 1)
    return range(
        max(MIN_YEAR, period[0] - PROGRAMME_MARGIN_YEARS), min(MAX_YEAR, period[1] + PROGRAMME_MARGIN_YEARS) + 1
    )


def validate_programme(doc: dict, problems: Problems) -> dict:
    programme = doc.get("programme")
    if not isinstance(programme, dict) or not isinstance(programme.get("name"), str) or not programme["name"].strip():
        problems.append("Programmet mangler: feltet programme.name er påkrevd.")
        return {}
    texts = {key: text(programme.get(key), rule, f"programme.{key}", problems) for key, rule in PROGRAMME_TEXTS.items()}
    period = _plan_period(programme, problems)
    targets = _years_by_mnok(programme.get("target_mnok") or {}, "programme.target_mnok", problems, plan_years(period))
    return {
        **{key: value or "" for key, value in texts.items()},
        "name": (texts["name"] or "").strip(),
        "plan_period": period,
        "start_year": period[0] if period else 0,
        "end_year": period[1] if period else 0,
        "targets_nok": {target_year: saving_from_net_change(amount) for target_year, amount in targets.items()},
    }


def _group(raw: Any, index: int, problems: Problems) -> tuple[int, dict] | None:
    where = f"Arbeidsgruppe nr. {index + 1}"
    number = raw.get("number") if isinstance(raw, dict) else None
    if isinstance(number, bool) or not isinstance(number, int) or not isinstance(raw.get("name"), str):
        problems.add(where, "feltene number (heltall) og name (tekst) er påkrevd.")
        return None
    if not 1 <= number <= MAX_GROUP_NUMBER:
        problems.add(f"{where}, felt number", f"må ligge mellom 1 og {MAX_GROUP_NUMBER}.")
        return None
    name = text(raw["name"], NAME, f"Arbeidsgruppe {number}, felt name", problems)
    amounts = {
        key: mnok(raw.get(f"{key}_mnok"), f"Arbeidsgruppe {number}, felt {key}_mnok", problems)
        for key in ("savings_requirement", "menu_mandate")
    }
    if not (name or "").strip():
        problems.add(f"Arbeidsgruppe {number}, felt name", "navnet mangler.")
    return number, {
        "name": (name or "").strip(),
        **{f"{key}_nok": None if nok is None else saving_from_net_change(nok) for key, nok in amounts.items()},
    }


def validate_groups(doc: dict, problems: Problems) -> dict[int, dict]:
    raw_groups = doc.get("groups")
    if raw_groups is not None and not isinstance(raw_groups, list):
        problems.add("groups", "må være en liste over arbeidsgrupper.")
        raw_groups = []
    groups = dict(filter(None, (_group(raw, index, problems) for index, raw in enumerate(raw_groups or []))))
    if not groups:
        problems.append("Filen har ingen arbeidsgrupper (groups).")
    return groups


def effect_types(doc: dict, problems: Problems) -> set[str]:
    kinds = doc.get("effect_types") or []
    if not isinstance(kinds, list) or not all(isinstance(kind, str) for kind in kinds):
        problems.add("effect_types", "må være en liste med tekster.")
        return set()
    return {kind for kind in kinds if text(kind, MEASURE_TEXTS["effect_type"], "effect_types", problems)}


# --- measures ------------------------------------------------------------------------------------


MILESTONE_DATES = ("due_date", "baseline_due_date", "done_date")
MILESTONE_FIELDS = (("what", "title"), ("when_text", "when_text"), ("responsible", "responsible"), ("source", "source"))


def _milestone_date(value: Any, where: str, problems: Problems) -> str | None:
    if value in (None, ""):
        return None
    try:
        return parse_date(value if isinstance(value, str) else "").isoformat()
    except ValueError as exc:
        problems.add(where, str(exc))
        return None


def _milestone(item: Any, where: str, problems: Problems) -> dict | None:
    if not isinstance(item, dict) or not isinstance(item.get("what"), str) or not item["what"].strip():
        problems.add(f"{where}.what", "milepælen mangler tekst.")
        return None
    start = len(problems)
    values = {
        key: text(item.get(key), MILESTONE_TEXTS[name], f"{where}.{key}", problems) for key, name in MILESTONE_FIELDS
    }
    dates = {key: _milestone_date(item.get(key), f"{where}.{key}", problems) for key in MILESTONE_DATES}
    return None if len(problems) > start else {**item, **values, **dates}


def _milestones(raw: Any, where: str, problems: Problems) -> list[dict]:
    """The measure's milestones with dates as ISO text."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.add(f"{where}, felt milestones", "må være en liste.")
        return []
    items = (_milestone(item, f"{where}, felt milestones[{n}]", problems) for n, item in enumerate(raw, start=1))
    return [item for item in items if item is not None]


def _kpi_suggestions(raw: Any, where: str, problems: Problems) -> list[str] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        problems.add(f"{where}, felt kpis", "må være en liste med tekster.")
        return None
    return [text(item, KPI_SUGGESTION, f"{where}, felt kpis[{n}]", problems) or "" for n, item in enumerate(raw, 1)]


def _affected_units(raw: Any, where: str, problems: Problems) -> list[str] | None:
    """The measure's affected units, one name each; None (no such key) leaves those entered in the tracker."""
    if raw is None:
        return None
    if not isinstance(raw, list):
        problems.add(f"{where}, felt affected_units", "må være en liste med enhetsnavn.")
        return None
    names = [text(item, AFFECTED_UNIT, f"{where}, felt affected_units[{n}]", problems) for n, item in enumerate(raw, 1)]
    return [" ".join(name.split()) for name in names if name and name.strip()]


def _table_27(raw: Any, where: str, problems: Problems, years: range) -> dict | None:
    """The report's printed figures, kept as the file gives them (numbers per year) for the export."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.add(f"{where}, felt report_table_27_mnok", "må være en tabell per år.")
        return None
    _years_by_mnok(raw, f"{where}, felt report_table_27_mnok", problems, years)
    return raw


def _code(raw: dict, index: int, problems: Problems) -> str | None:
    """The measure's code (checked: like 4.10), None when there is none."""
    code = raw.get("code")
    code = str(code).strip() if isinstance(code, str | int | float) and not isinstance(code, bool) else ""
    if not code:
        problems.add(f"Tiltak nr. {index + 1} i filen, felt code", "tiltakskode mangler.")
        return None
    code = shown(code)
    if not CODE_RE.match(code):
        problems.add(f"Tiltak {code}, felt code", f"«{code}» er ikke en tiltakskode som 4.10.")
    return code


def _group_number(raw: dict, where: str, groups: dict, problems: Problems) -> int | None:
    group = raw.get("group")
    if isinstance(group, str) and group.strip().isascii() and group.strip().isdigit():
        group = int(group)
    if isinstance(group, bool) or group not in groups:
        problems.add(f"{where}, felt group", f"ukjent arbeidsgruppe «{shown(raw.get('group'))}».")
        return None
    return group


def _texts(raw: dict, where: str, problems: Problems) -> dict:
    values = {name: text(raw.get(name), MEASURE_TEXTS[name], f"{where}, felt {name}", problems) for name in TEXT_FIELDS}
    values = {name: value or None for name, value in values.items()}
    values["service"] = values["service"] or ""
    values.update({attr: _yes_no(raw.get(key), f"{where}, felt {key}", problems) for key, attr in BOOL_FIELDS.items()})
    return values


def _effect_type_basis(raw: dict, where: str, problems: Problems) -> str | None:
    """Where the effect type comes from: one of EFFECT_TYPE_BASES, or nothing."""
    basis = raw.get("effect_type_basis")
    if basis in (None, ""):
        return None
    if basis not in EFFECT_TYPE_BASES:
        problems.add(
            f"{where}, felt effect_type_basis", f"«{shown(basis)}» er ikke én av {', '.join(EFFECT_TYPE_BASES)}."
        )
        return None
    return basis


def _menu(raw: dict, where: str, problems: Problems, years: range, plan: dict[int, int]) -> dict[int, int]:
    """The menu is the report's figures: the file's own menu if it has one (the tracker's Excel export
    carries it, so a revised plan does not become the menu), else its plan."""
    menu = raw.get("menu_net_cost_change_mnok")
    if menu is None:
        return plan
    return _years_by_mnok(menu, f"{where}, felt menu_net_cost_change_mnok", problems, years)


def validate_measure(raw: Any, index: int, groups: dict, context: tuple[set, range], problems: Problems) -> dict | None:
    """One measure of the file, checked; None (with the problems added) when it cannot be imported."""
    if not isinstance(raw, dict):
        problems.add(f"Tiltak nr. {index + 1} i filen", "er ikke et objekt.")
        return None
    kinds, years = context
    start = len(problems)
    code = _code(raw, index, problems)
    if code is None:
        return None
    where = f"Tiltak {code}"
    group = _group_number(raw, where, groups, problems)
    title = text(raw.get("title"), MEASURE_TEXTS["title"], f"{where}, felt title", problems)
    if not (title or "").strip() and len(problems) == start:
        problems.add(f"{where}, felt title", "tittel mangler.")
    effect_type = text(raw.get("effect_type"), MEASURE_TEXTS["effect_type"], f"{where}, felt effect_type", problems)
    if effect_type and kinds and effect_type not in kinds:
        problems.add(f"{where}, felt effect_type", f"ukjent effekttype «{shown(effect_type)}».")
    basis = _effect_type_basis(raw, where, problems)
    plan = _years_by_mnok(raw.get("net_cost_change_mnok"), f"{where}, felt net_cost_change_mnok", problems, years)
    measure = {
        "code": code,
        "group": group,
        "title": (title or "").strip(),
        "effect_type": effect_type or None,
        "effect_type_basis": basis if effect_type else None,
        "kpi_suggestions": _kpi_suggestions(raw.get("kpis"), where, problems),
        "affected_units": _affected_units(raw.get("affected_units"), where, problems),
        "report_table_27_mnok": _table_27(raw.get("report_table_27_mnok"), where, problems, years),
        "values": _texts(raw, where, problems),
        "plan_nok": plan,
        "menu_nok": _menu(raw, where, problems, years, plan),
        "milestones": _milestones(raw.get("milestones"), where, problems),
        "accounting_filters": filters_from_document(raw.get("accounting_filters"), where, problems),
    }
    return None if len(problems) > start else measure


def validate_document(doc: Any) -> tuple[dict, dict, list[dict]]:
    """Check a whole document; raise PortfolioImportError listing every problem, else return it cleaned."""
    if not isinstance(doc, dict):
        raise PortfolioImportError(["Filen er ikke en porteføljefil: forventet et JSON-objekt."])
    problems = Problems()
    programme = validate_programme(doc, problems)
    groups = validate_groups(doc, problems)
    context = (effect_types(doc, problems), plan_years(programme.get("plan_period")))
    raw_measures = doc.get("measures")
    if not isinstance(raw_measures, list) or not raw_measures:
        problems.append("Filen har ingen tiltak (measures).")
        raw_measures = []
    measures, seen = [], set()
    for index, raw in enumerate(raw_measures):
        measure = validate_measure(raw, index, groups, context, problems)
        if measure is None:
            continue
        if measure["code"] in seen:
            problems.add(f"Tiltak {measure['code']}, felt code", "koden står to ganger i filen.")
        seen.add(measure["code"])
        measures.append(measure)
    if problems:
        raise PortfolioImportError(problems)
    return programme, groups, measures
