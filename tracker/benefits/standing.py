"""Where the programme stands against its target, in plain Norwegian. Pure: no Flask, no database.

"For 2026 er 19,2 av 26,0 mill. kr realisert; prognosen er 24,1 – 1,9 under planen (risikojustert 20,3).
Vedtatt: 26,0 mill. kr · Meny: 31,4 mill. kr."
A year with a target (the programme's target trajectory, one per plan year) is compared with the
target; a year without one with the adopted plan. Plan, forecast and risk-adjusted forecast count
adopted measures only (issue 11); the menu, the report's figures of every measure, is named beside
the plan and never counted as it. A year without a target and without an adopted plan has nothing
to be measured against, and says so rather than showing progress. The gap is always worded
"over/under målet" (never a bare sign): `gap_text` is the one place that words it.

Each figure is read from the programme's figures (tracker.benefits.totals.FigureRow, the one
computation behind the dashboard, the PDFs, Excel and the API) through one small function below.
"""

from dataclasses import dataclass

from tracker.benefits.totals import FigureRow, ProgrammeFigures
from tracker.confidence import GRONN, GUL, ROD
from tracker.money import format_mnok, format_mnok_gap

TARGET = "målet"
PLAN = "planen"
REQUIREMENT = "sparekravet"


def gap_text(gap_nok: int | None, against: str = TARGET, unit: str = "") -> str:
    """A gap (reference minus forecast) in words: "1,9 under planen", "48,1 mill. kr over målet", "på målet".

    `unit` goes after the number (" mill. kr"); a gap that rounds to 0,0 is "på målet"; no gap is "–".
    The wording is money.format_mnok_gap's, with the sign turned (a shortfall is below the reference).
    """
    if gap_nok is None:
        return "–"
    return format_mnok_gap(-gap_nok, against, unit)


# --- what the sentence compares: one function each, read from the one computation ----------------


def adopted_plan_nok(row: FigureRow) -> int:
    """The adopted plan for the year: the plans of the measures adopted (vedtatt, under gjennomføring, gjennomført)."""
    return row.planned_nok


def menu_nok(row: FigureRow) -> int:
    """The menu for the year: the report's figures of every measure, whatever the decisions (never the plan)."""
    return row.menu_nok


def forecast_nok(row: FigureRow) -> int:
    """The forecast for the year over the adopted measures: the newest report or later-year forecast, else the plan."""
    return row.forecast_nok


def risk_adjusted_nok(row: FigureRow) -> int:
    """The risk-adjusted forecast: realised money in full, only the rest weighted by the latest confidence."""
    return row.risk_adjusted_forecast_nok


def target_nok(row: FigureRow) -> int | None:
    """The year's savings target from the programme's target trajectory, if the year has one."""
    return row.target_nok


def goal_year(figures: ProgrammeFigures) -> int | None:
    """The programme's goal year: the last year with a target (2029, the 40 mill. kr)."""
    years = [row.year for row in figures.years if target_nok(row) is not None]
    return years[-1] if years else None


# --- one year --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearStanding:
    """One year against its target (or adopted plan): the figures, a traffic light and the sentence.

    `light` is None when the year has neither a target nor an adopted plan: nothing to measure against.
    """

    year: int
    target_nok: int | None
    plan_nok: int
    menu_nok: int
    forecast_nok: int
    risk_adjusted_nok: int
    realised_nok: int
    light: str | None
    light_text: str
    sentence: str

    @property
    def reference_nok(self) -> int:
        return self.plan_nok if self.target_nok is None else self.target_nok

    @property
    def gap_nok(self) -> int:
        """Reference minus forecast: positive when the forecast falls short."""
        return self.reference_nok - self.forecast_nok


def light_for(reference_nok: int, forecast_nok: int, risk_adjusted_nok: int) -> str:
    """Grønn when even the risk-adjusted forecast reaches the reference, gul when only the forecast does, else rød."""
    if risk_adjusted_nok >= reference_nok:
        return GRONN
    if forecast_nok >= reference_nok:
        return GUL
    return ROD


LIGHT_TEXTS = {
    GRONN: "Grønt: prognosen når {against}, også risikojustert",
    GUL: "Gult: prognosen når {against}, men ikke risikojustert",
    ROD: "Rødt: prognosen er under {against}",
}
NO_REFERENCE_TEXT = "Ingen vedtatt plan å måle mot"


def has_reference(target: int | None, plan: int) -> bool:
    """Whether the year has something to be measured against: a target, or an adopted plan."""
    return target is not None or plan != 0


def plan_and_menu(plan: int, menu: int) -> str:
    """The adopted plan beside the menu, never one for the other: "Vedtatt: 26,0 mill. kr · Meny: 31,4 mill. kr"."""
    return f"Vedtatt: {format_mnok(plan)} mill. kr · Meny: {format_mnok(menu)} mill. kr"


def sentence(
    year: int, target: int | None, plan: int, forecast: int, risk_adjusted: int, realised: int, menu: int
) -> str:
    """The year in one sentence, against the target where there is one, else against the adopted plan."""
    if not has_reference(target, plan):
        return (
            f"For {year} er det verken mål eller vedtatt plan å måle mot; {format_mnok(realised)} mill. kr er "
            f"realisert. {plan_and_menu(plan, menu)}."
        )
    reference, against = (plan, PLAN) if target is None else (target, TARGET)
    return (
        f"For {year} er {format_mnok(realised)} av {format_mnok(reference)} mill. kr realisert; "
        f"prognosen er {format_mnok(forecast)} – {gap_text(reference - forecast, against)} "
        f"(risikojustert {format_mnok(risk_adjusted)}). {plan_and_menu(plan, menu)}."
    )


def year_standing(row: FigureRow) -> YearStanding:
    """A year of the programme's figures against its target or adopted plan."""
    target, plan, menu = target_nok(row), adopted_plan_nok(row), menu_nok(row)
    forecast, risk, realised = forecast_nok(row), risk_adjusted_nok(row), row.realised_nok
    reference, against = (plan, PLAN) if target is None else (target, TARGET)
    light = light_for(reference, forecast, risk) if has_reference(target, plan) else None
    return YearStanding(
        year=row.year,
        target_nok=target,
        plan_nok=plan,
        menu_nok=menu,
        forecast_nok=forecast,
        risk_adjusted_nok=risk,
        realised_nok=realised,
        light=light,
        light_text=NO_REFERENCE_TEXT if light is None else LIGHT_TEXTS[light].format(against=against),
        sentence=sentence(row.year, target, plan, forecast, risk, realised, menu),
    )


def standings(figures: ProgrammeFigures, current_year: int) -> list[YearStanding]:
    """The current year and the goal year (once when they are the same), each that the figures cover."""
    wanted = dict.fromkeys(year for year in (current_year, goal_year(figures)) if year is not None)
    return [year_standing(row) for year in wanted if (row := figures.year(year)) is not None]
