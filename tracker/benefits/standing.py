"""Where the programme stands against its target, in plain Norwegian. Pure: no Flask, no database.

"For 2026 er 19,2 av 26,0 mill. kr realisert; prognosen er 24,1 – 1,9 under planen (risikojustert 20,3)."
A year with a target is compared with the target; a year without one with the adopted plan. The gap
is always worded "over/under målet" (never a bare sign): `gap_text` is the one place that words it.

Issue 11 (adopted plan against the menu, forecasts to 2029, targets per year) changes what the plan,
the forecast and the target year are; each is read through one small function below
(`adopted_plan_nok`, `forecast_nok`, `target_nok`, `goal_year`), so only those change then.
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


# --- what the sentence compares: one function each, switched when issue 11 lands -------------------


def adopted_plan_nok(row: FigureRow) -> int:
    """The adopted plan for the year: for now every measure that counts in totals (counts_in_totals)."""
    return row.planned_nok


def forecast_nok(row: FigureRow) -> int:
    """The forecast for the year: for now the owners' full-year forecast (the plan where none is reported)."""
    return row.forecast_nok


def target_nok(row: FigureRow) -> int | None:
    """The year's savings target, if the programme has one for it (for now only 2029)."""
    return row.target_nok


def goal_year(figures: ProgrammeFigures) -> int | None:
    """The programme's goal year: the last year with a target (2029, the 40 mill. kr)."""
    years = [row.year for row in figures.years if target_nok(row) is not None]
    return years[-1] if years else None


# --- one year --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearStanding:
    """One year against its target (or plan): the figures, a traffic light and the sentence."""

    year: int
    target_nok: int | None
    plan_nok: int
    forecast_nok: int
    risk_adjusted_nok: int
    realised_nok: int
    light: str
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


def sentence(year: int, target: int | None, plan: int, forecast: int, risk_adjusted: int, realised: int) -> str:
    """The year in one sentence, against the target where there is one, else against the adopted plan."""
    reference, against = (plan, PLAN) if target is None else (target, TARGET)
    text = (
        f"For {year} er {format_mnok(realised)} av {format_mnok(reference)} mill. kr realisert; "
        f"prognosen er {format_mnok(forecast)} – {gap_text(reference - forecast, against)} "
        f"(risikojustert {format_mnok(risk_adjusted)})"
    )
    if target is not None:
        text += f"; vedtatt plan er {format_mnok(plan)}"
    return text + "."


def year_standing(row: FigureRow) -> YearStanding:
    """A year of the programme's figures against its target or plan."""
    target, plan, forecast = target_nok(row), adopted_plan_nok(row), forecast_nok(row)
    risk, realised = row.risk_adjusted_forecast_nok, row.realised_nok
    reference, against = (plan, PLAN) if target is None else (target, TARGET)
    light = light_for(reference, forecast, risk)
    return YearStanding(
        year=row.year,
        target_nok=target,
        plan_nok=plan,
        forecast_nok=forecast,
        risk_adjusted_nok=risk,
        realised_nok=realised,
        light=light,
        light_text=LIGHT_TEXTS[light].format(against=against),
        sentence=sentence(row.year, target, plan, forecast, risk, realised),
    )


def standings(figures: ProgrammeFigures, current_year: int) -> list[YearStanding]:
    """The current year and the goal year (once when they are the same), each that the figures cover."""
    wanted = dict.fromkeys(year for year in (current_year, goal_year(figures)) if year is not None)
    return [year_standing(row) for year in wanted if (row := figures.year(year)) is not None]
