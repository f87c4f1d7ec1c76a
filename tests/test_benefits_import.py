"""Importing quarterly figures from Excel: all rows or none, every bad row listed."""

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from tracker.accounts.permissions import SYSTEM
from tracker.benefits import queries, services
from tracker.benefits.importing import FiguresImportError, import_figures
from tracker.benefits.models import BudgetTakeOut, QuarterlyFigure
from tracker.periods import Quarter
from tracker.portfolio.status import VEDTATT

HEADERS = [
    "Tiltak",
    "År",
    "Kvartal",
    "Realisert hittil i år (kr)",
    "Prognose helår (kr)",
    "Uttak budsjett (kr)",
    "Kommentar",
    "Forklaring avvik",
    "Korrigerende tiltak",
]


def workbook_bytes(rows, headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_ROWS = [
    ("1.1", 2026, 3, 150_000, 300_000, 300_000, "Som planlagt", None, None),
    ("2.11", 2026, 3, "-840 000", "-1 400 000", None, None, "Dyrere lisens", "Reforhandle avtalen"),
    ("1.2", 2026, 3, 1_000_000, 2_500_000, None, None, None, None),
]


pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4


@pytest.fixture()
def programme(make_measure):
    """Three adopted measures planning 300 000, 2 500 000 and a 1 120 000 kr cost in 2026."""
    make_measure("1.1", plan={2026: 300_000}, status=VEDTATT)
    make_measure("1.2", plan={2026: 2_500_000}, status=VEDTATT)
    return make_measure("2.11", plan={2026: -1_120_000}, status=VEDTATT).programme


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_good_file_stores_figures_and_take_outs(programme, db, measure_by_code):
    result = import_figures(programme, workbook_bytes(GOOD_ROWS), SYSTEM)
    db.session.commit()
    assert result.stored == ["1.1 2026-Q3", "2.11 2026-Q3", "1.2 2026-Q3"]
    figure = queries.get_figure(measure_by_code("2.11"), Quarter(2026, 3))
    assert (figure.realised_to_date_nok, figure.forecast_year_nok, figure.explanation) == (
        -840_000,
        -1_400_000,
        "Dyrere lisens",
    )
    assert figure.is_approved is False
    assert queries.get_take_out(measure_by_code("1.1"), 2026).amount_nok == 300_000


def test_one_bad_row_rejects_the_whole_file_and_every_bad_row_is_listed(programme, db):
    services.close_quarter(Quarter(2026, 2), SYSTEM)
    db.session.commit()
    rows = [
        *GOOD_ROWS,
        ("9.9", 2026, 3, 0, 0, None, None, None, None),  # row 5: unknown code
        ("1.1", 2026, 2, 0, 300_000, None, None, None, None),  # row 6: closed quarter
        ("1.2", 2026, 3, "mye", 2_500_000, None, None, None, None),  # row 7: not a number
        ("1.1", 2026, 4, 0, 100_000, None, None, None, None),  # row 8: deviation without explanation
    ]
    with pytest.raises(FiguresImportError) as caught:
        import_figures(programme, workbook_bytes(rows), SYSTEM)
    db.session.rollback()
    errors = caught.value.messages
    assert [line.split(":")[0] for line in errors] == ["Rad 5", "Rad 6", "Rad 7", "Rad 8"]
    assert "ukjent tiltakskode «9.9»" in errors[0]
    assert "lukket" in errors[1]
    assert "Realisert hittil i år (kr)" in errors[2]
    assert "Forklaring avvik" in errors[3] and "Korrigerende tiltak" in errors[3]
    assert count(db, QuarterlyFigure) == 0 and count(db, BudgetTakeOut) == 0


def test_a_file_with_only_one_bad_row_stores_nothing(programme, db):
    rows = [*GOOD_ROWS, ("1.1", 2026, 5, 0, 300_000, None, None, None, None)]
    with pytest.raises(FiguresImportError) as caught:
        import_figures(programme, workbook_bytes(rows), SYSTEM)
    db.session.rollback()
    assert caught.value.messages == ["Rad 5: «Kvartal» må være 1-4, ikke 5"]
    assert count(db, QuarterlyFigure) == 0


def test_duplicate_rows_and_missing_headers_are_refused(programme, db):
    with pytest.raises(FiguresImportError) as duplicate:
        import_figures(programme, workbook_bytes([GOOD_ROWS[0], GOOD_ROWS[0]]), SYSTEM)
    assert duplicate.value.messages == ["Rad 3: samme tiltak og kvartal som rad 2"]
    with pytest.raises(FiguresImportError) as headers:
        import_figures(programme, workbook_bytes([], headers=["Tiltak", "År"]), SYSTEM)
    assert "Kvartal" in headers.value.messages[0] and "Prognose helår (kr)" in headers.value.messages[0]


def test_a_file_that_is_not_excel_is_refused(programme):
    with pytest.raises(FiguresImportError, match="ikke en Excel-fil"):
        import_figures(programme, "Tiltak;År\n1.1;2026\n".encode(), SYSTEM)


def test_cli_import_reports_rejection_and_stores_nothing(programme, runner, tmp_path, db):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_bytes([*GOOD_ROWS, ("9.9", 2026, 3, 0, 0, None, None, None, None)]))
    result = runner.invoke(args=["benefits", "import", str(bad)])
    assert result.exit_code != 0
    assert "Rad 5: ukjent tiltakskode «9.9»" in result.output
    assert count(db, QuarterlyFigure) == 0

    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook_bytes(GOOD_ROWS))
    result = runner.invoke(args=["benefits", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "Kvartalstall lagret: 3" in result.output
    assert count(db, QuarterlyFigure) == 3


def test_upload_page_is_for_admins_and_lists_bad_rows(programme, client, login, make_user, db):
    login(make_user("ledergruppe", "leder"))
    assert client.get("/gevinster/import").status_code == 403
    client.post("/logout")
    login(make_user("admin", "kontroller"))
    data = {"file": (io.BytesIO(workbook_bytes([("9.9", 2026, 3, 0, 0)] + GOOD_ROWS)), "tall.xlsx")}
    response = client.post("/gevinster/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Rad 2: ukjent tiltakskode «9.9»" in response.get_data(as_text=True)
    assert count(db, QuarterlyFigure) == 0
    data = {"file": (io.BytesIO(workbook_bytes(GOOD_ROWS)), "tall.xlsx")}
    response = client.post("/gevinster/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    assert count(db, QuarterlyFigure) == 3
