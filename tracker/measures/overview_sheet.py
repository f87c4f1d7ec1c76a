"""The "Oppfølging" sheet of the portfolio workbook: the overview's follow-up columns for every year.

Export only: the portfolio import reads the sheets it knows and leaves this one alone.
"""

from openpyxl import Workbook

from tracker.confidence import LABELS
from tracker.measures.overview_columns import follow_up_data, follow_up_for
from tracker.measures.sheets import mnok_value, write_table
from tracker.periods import Quarter
from tracker.portfolio.models import Programme
from tracker.portfolio.queries import measure_summaries
from tracker.portfolio.status import STATUS_LABELS

SHEET_FOLLOW_UP = "Oppfølging"
LEADING_HEADERS = (
    "Kode",
    "Tittel",
    "Status",
    "Tiltaksansvarlig",
    "Trafikklys",
    "Siste oppdatering",
    "Mangler rapport",
    "Prognose i fare",
)
YEAR_HEADERS = (
    "Vedtatt plan {year} (mill. kr)",
    "Prognose {year} (mill. kr)",
    "Prognose minus plan {year} (mill. kr)",
    "Avvik {year}",
)


def follow_up_headers(years: list[int]) -> list[str]:
    return [*LEADING_HEADERS, *(header.format(year=year) for year in years for header in YEAR_HEADERS)]


def write_follow_up_sheet(workbook: Workbook, programme: Programme, as_of: Quarter) -> None:
    """One row per measure: traffic light, last update and what is missing, then plan, forecast and deviation per year."""
    measures = measure_summaries(programme)
    data = follow_up_data(programme, measures, as_of)
    rows = []
    for measure in measures:
        columns = {year: follow_up_for(data, measure, year) for year in data.years}
        first = next(iter(columns.values()))
        row = [
            measure.code,
            measure.title,
            STATUS_LABELS.get(measure.status, measure.status),
            measure.owner.display_name if measure.owner else None,
            LABELS.get(first.confidence) if first.confidence else None,
            Quarter.parse(first.last_update).label if first.last_update else None,
            " og ".join(first.missing) or None,
            " ".join(first.at_risk_reasons) or None,
        ]
        for year in data.years:
            item = columns[year]
            deviation = item.deviation_nok if item.has_report else None
            is_deviation = ("Ja" if item.is_deviation else "Nei") if item.forecast_nok is not None else None
            row += [
                mnok_value(item.adopted_plan_nok),
                mnok_value(item.forecast_nok),
                mnok_value(deviation),
                is_deviation,
            ]
        rows.append(row)
    write_table(workbook.create_sheet(SHEET_FOLLOW_UP), follow_up_headers(data.years), rows)
