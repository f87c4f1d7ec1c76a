"""Excel export and import of the portfolio: round trip, formula safety, rejected workbooks."""

from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from tests.helpers import empty_all_tables
from tracker.accounts.permissions import SYSTEM
from tracker.audit.models import AuditEntry
from tracker.benefits.summary import portfolio_summary
from tracker.measures.excel import write_portfolio_workbook
from tracker.measures.excel_import import read_portfolio_workbook
from tracker.measures.importing import PortfolioImportError, import_file
from tracker.milestones import services as milestones
from tracker.milestones.models import Milestone
from tracker.portfolio.models import Measure
from tracker.portfolio.queries import default_programme, load_measures

MEASURE_FIELDS = (
    "code",
    "title",
    "service",
    "effect_type",
    "problem",
    "solution",
    "consequences_users",
    "consequences_employees",
    "investment",
    "fte_effect",
    "risk_notes",
    "status_note",
    "source_section",
    "notes",
    "kpi_suggestions",
    "report_table_27_mnok",
    "is_recommended_by_report",
    "has_significant_org_risk",
)


def _export(path) -> str:
    programme = default_programme()
    write_portfolio_workbook(programme, load_measures(programme), path)
    return str(path)


def _dump(db) -> dict:
    """Every imported field of every measure, for comparing two databases."""
    measures = db.session.scalars(select(Measure).order_by(Measure.sort_key))
    return {
        m.code: {name: getattr(m, name) for name in MEASURE_FIELDS}
        | {"group": m.group.number, "plan": m.planned_net_change_by_year()}
        for m in measures
    }


def _sheet_rows(path, sheet: str) -> list[tuple]:
    workbook = openpyxl.load_workbook(path)
    return list(workbook[sheet].iter_rows(values_only=True))


def test_export_has_a_row_per_measure_with_the_reports_sign(elverum, tmp_path):
    rows = _sheet_rows(_export(tmp_path / "p.xlsx"), "Tiltak")
    header = rows[0]
    assert header[:7] == ("Kode", "Arbeidsgruppe", "Tjeneste", "Tittel", "Effekttype", "Status", "Tiltaksansvarlig")
    assert [f"Netto endring {year} (mill. kr)" for year in range(2025, 2031)] == list(header[7:13])
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert len(by_code) == 44
    assert by_code["1.1"]["Netto endring 2026 (mill. kr)"] == pytest.approx(-0.3)
    assert by_code["2.11"]["Netto endring 2029 (mill. kr)"] == pytest.approx(1.12)
    assert by_code["1.1"]["Status"] == "utredet"


def test_export_round_trips_into_an_empty_database(elverum, db, tmp_path):
    path = _export(tmp_path / "p.xlsx")
    before_summary, before_fields = portfolio_summary(elverum), _dump(db)
    db.session.remove()
    empty_all_tables()

    result = import_file(path, SYSTEM)
    db.session.commit()
    assert len(result.created) == 44
    assert portfolio_summary(default_programme()) == before_summary
    assert _dump(db) == before_fields

    again = import_file(path, SYSTEM)
    db.session.commit()
    assert (again.created, again.updated, len(again.unchanged)) == ([], [], 44)


def test_export_imported_over_the_json_import_changes_nothing(elverum, db, tmp_path):
    result = import_file(_export(tmp_path / "p.xlsx"), SYSTEM)
    db.session.commit()
    assert (result.created, result.updated, len(result.unchanged)) == ([], [], 44)
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == "measure.import_update")) == 0


def test_formula_looking_text_is_written_as_text_and_reads_back(elverum, db, tmp_path, measure_by_code):
    measure = measure_by_code("1.1")
    measure.title = '=HYPERLINK("http://evil.example","klikk")'
    measure.service = "+47 tjeneste"
    db.session.commit()
    path = _export(tmp_path / "p.xlsx")

    sheet = openpyxl.load_workbook(path)["Tiltak"]
    title_cell = next(row[3] for row in sheet.iter_rows(min_row=2) if row[0].value == "1.1")
    assert title_cell.data_type == "s"
    assert title_cell.value.startswith("'=")

    doc = read_portfolio_workbook(path)
    by_code = {m["code"]: m for m in doc["measures"]}
    assert by_code["1.1"]["title"] == '=HYPERLINK("http://evil.example","klikk")'
    assert by_code["1.1"]["service"] == "+47 tjeneste"
    # "-5 assistentårsverk" in the data file also starts with a formula character.
    assert by_code["1.3"]["fte_effect"].startswith("-5 assistentårsverk")


def _damaged_copy(path, tmp_path, change) -> str:
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    target = tmp_path / "damaged.xlsx"
    workbook.save(target)
    return str(target)


def _set_cell(sheet_name: str, header: str, code: str, value):
    def change(workbook):
        sheet = workbook[sheet_name]
        headers = [cell.value for cell in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == code:
                row[headers.index(header)].value = value

    return change


def _delete_column(header: str):
    def change(workbook):
        sheet = workbook["Tiltak"]
        headers = [cell.value for cell in sheet[1]]
        sheet.delete_cols(headers.index(header) + 1)

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda wb: setattr(wb["Tiltak"], "title", "Ark1"), "Arbeidsboken mangler arket «Tiltak»"),
        (_delete_column("Kode"), "Arket «Tiltak» mangler kolonnen «Kode»"),
        (_delete_column("Tittel"), "Arket «Tiltak» mangler kolonnen «Tittel»"),
        (
            _set_cell("Tiltak", "Netto endring 2027 (mill. kr)", "1.3", "mye"),
            "Arket «Tiltak», tiltak 1.3, kolonne «Netto endring 2027 (mill. kr)»: «mye» er ikke et tall.",
        ),
        (_set_cell("Tiltak", "Arbeidsgruppe", "1.1", 9), "Tiltak 1.1, felt group: ukjent arbeidsgruppe"),
    ],
)
def test_wrong_workbook_is_rejected_with_a_message_naming_the_place(elverum, db, tmp_path, change, message):
    path = _damaged_copy(_export(tmp_path / "p.xlsx"), tmp_path, change)
    with pytest.raises(PortfolioImportError) as caught:
        import_file(path, SYSTEM)
    db.session.rollback()
    assert any(message in error for error in caught.value.messages), caught.value.messages


def test_norwegian_number_text_in_a_cell_is_accepted(elverum, db, tmp_path, measure_by_code):
    path = _damaged_copy(
        _export(tmp_path / "p.xlsx"), tmp_path, _set_cell("Tiltak", "Netto endring 2029 (mill. kr)", "1.1", "−0,75")
    )
    result = import_file(path, SYSTEM)
    db.session.commit()
    assert result.updated == ["1.1"]
    assert measure_by_code("1.1").planned_net_change_by_year()[2029] == -750_000


def test_a_file_that_is_not_excel_is_rejected(app, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(PortfolioImportError) as caught:
        import_file(path, SYSTEM)
    assert "ikke en Excel-fil" in caught.value.messages[0]


def test_example_data_is_marked_in_the_export_and_ignored_by_the_import(elverum, db, tmp_path):
    elverum.has_example_data = True
    db.session.commit()
    path = _export(tmp_path / "p.xlsx")
    assert ("Eksempeldata", "Eksempeldata – tallene er ikke Elverum kommunes faktiske oppfølging.") in _sheet_rows(
        path, "Program"
    )
    result = import_file(path, SYSTEM)
    assert (result.created, result.updated) == ([], [])


def test_cli_export_writes_the_workbook(elverum, runner, tmp_path):
    path = tmp_path / "cli.xlsx"
    result = runner.invoke(args=["portfolio", "export", str(path)])
    assert result.exit_code == 0, result.output
    assert "44 tiltak" in result.output
    assert openpyxl.load_workbook(path).sheetnames == [
        "Tiltak",
        "Program",
        "Arbeidsgrupper",
        "Milepæler",
        "Regnskapskobling",
        "Regnskap",
        "Oppfølging",
    ]


def _milestones(db) -> list[tuple]:
    """Every milestone's fields by measure code, for comparing two databases."""
    columns = (Milestone.title, Milestone.when_text, Milestone.due_date, Milestone.baseline_due_date)
    columns += (Milestone.done_date, Milestone.responsible, Milestone.source)
    query = select(Measure.code, *columns).join(Measure).order_by(Measure.code, Milestone.title)
    return [tuple(row) for row in db.session.execute(query)]


@pytest.fixture()
def with_milestones(make_measure, db):
    """1.1 with a planned milestone (moved), a formula-looking one and a manual one that is done; 2.1 with none."""
    measure = make_measure(
        "1.1",
        milestones=[
            {"what": "Oppstart", "when_text": "Høst 2026", "due_date": "2026-09-30"},
            {"what": "=Evaluering", "source": "derived"},
        ],
    )
    make_measure("2.1")
    started = milestones.milestones_for(measure)[0]
    milestones.update_milestone(started, SYSTEM, {"due_date": date(2026, 11, 15)})
    values = {"title": "Drøftet med tillitsvalgte", "responsible": "Kari", "due_date": date(2026, 8, 1)}
    milestones.create_milestone(measure, SYSTEM, values | {"done_date": date(2026, 7, 30)})
    db.session.commit()
    return measure


def test_milestones_travel_in_the_excel_format(with_milestones, db, tmp_path):
    path = _export(tmp_path / "p.xlsx")
    rows = _sheet_rows(path, "Milepæler")
    assert rows[0] == ("Kode", "Milepæl", "Tidspunkt", "Frist", "Opprinnelig frist", "Ferdig", "Ansvarlig", "Kilde")
    assert [row[:2] for row in rows[1:]] == [
        ("1.1", "Drøftet med tillitsvalgte"),
        ("1.1", "Oppstart"),
        ("1.1", "'=Evaluering"),  # text, never a formula; the import drops the apostrophe
    ]
    before = _milestones(db)
    assert ("1.1", "Oppstart", "Høst 2026", date(2026, 11, 15), date(2026, 9, 30), None, "", "plan") in before
    db.session.remove()
    empty_all_tables()

    import_file(path, SYSTEM)
    db.session.commit()
    assert _milestones(db) == before
    import_file(path, SYSTEM)
    db.session.commit()
    assert _milestones(db) == before


def test_a_workbook_without_a_milestones_sheet_imports_as_before(with_milestones, db, tmp_path):
    path = _export(tmp_path / "p.xlsx")
    workbook = openpyxl.load_workbook(path)
    del workbook["Milepæler"]
    workbook.save(path)
    before = _milestones(db)
    assert import_file(path, SYSTEM).created == []
    db.session.commit()
    assert _milestones(db) == before


def test_bad_milestone_rows_are_named_by_sheet_row_and_column(with_milestones, tmp_path):
    path = _export(tmp_path / "p.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Milepæler"]
    sheet["D2"] = "31.02.2027"
    sheet["B3"] = None
    sheet.append(["9.9", "Ukjent tiltak"])
    workbook.save(path)
    with pytest.raises(PortfolioImportError) as rejected:
        import_file(path, SYSTEM)
    assert rejected.value.messages == [
        "Arket «Milepæler», rad 2, kolonne «Frist»: «31.02.2027» er ikke en dato. Skriv for eksempel 31.03.2026.",
        "Arket «Milepæler», rad 3: milepælen mangler tekst i kolonnen «Milepæl».",
        "Arket «Milepæler»: tiltak «9.9» finnes ikke i arket «Tiltak».",
    ]
