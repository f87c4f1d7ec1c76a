"""Importing ledger lines: formats, replacing a period, refusing bad files whole, the command and page."""

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from tracker.accounting.importing import LedgerImportError, import_ledger
from tracker.accounting.models import LedgerLine
from tracker.accounts.permissions import SYSTEM
from tracker.audit.models import AuditEntry

HEADER = "År;Periode;Ansvar;Art;Funksjon;Prosjekt;Beløp"
MAX_XLSX = 50 * 1024 * 1024


def write_csv(tmp_path, lines, name="hovedbok.csv", encoding="utf-8", header=HEADER):
    path = tmp_path / name
    path.write_bytes(("\r\n".join([header, *lines]) + "\r\n").encode(encoding))
    return path


def stored(db, kind="actual"):
    rows = db.session.execute(
        select(LedgerLine.year, LedgerLine.period, LedgerLine.ansvar, LedgerLine.amount_nok)
        .where(LedgerLine.kind == kind)
        .order_by(LedgerLine.year, LedgerLine.period, LedgerLine.ansvar, LedgerLine.amount_nok)
    )
    return [tuple(row) for row in rows]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_in_every_encoding_norwegian_excel_writes(db, tmp_path, encoding):
    path = write_csv(
        tmp_path, ["2024;1;4100;10100;265;;1 234,56", "2024;1;4100;11000;265;P1;-12,50"], encoding=encoding
    )
    result = import_ledger(path, "actual", SYSTEM, MAX_XLSX)
    db.session.commit()
    # Øre are rounded half away from zero: 1 234,56 → 1 235; −12,50 → −13.
    assert stored(db) == [(2024, 1, "4100", -13), (2024, 1, "4100", 1235)]
    assert (result.lines, result.total_nok, result.periods) == (2, 1222, {(2024, 1)})


def test_xlsx_with_numbers_as_numbers(db, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["År", "Periode", "Ansvar", "Art", "Funksjon", "Beløp"])
    sheet.append([2024, 3, 4100, 10100, 265, 1000.4])
    sheet.append([2024, 3, "4101", "10100", "265", "2 000,5"])
    path = tmp_path / "hovedbok.xlsx"
    workbook.save(path)
    import_ledger(path, "actual", SYSTEM, MAX_XLSX)
    db.session.commit()
    assert stored(db) == [(2024, 3, "4100", 1000), (2024, 3, "4101", 2001)]


def test_reimport_replaces_only_its_periods(db, tmp_path):
    first = write_csv(tmp_path, ["2026;1;4100;10100;265;;100", "2026;2;4100;10100;265;;200"], name="a.csv")
    import_ledger(first, "actual", SYSTEM, MAX_XLSX)
    db.session.commit()
    second = write_csv(tmp_path, ["2026;2;4100;10100;265;;250", "2026;2;4200;10100;265;;50"], name="b.csv")
    result = import_ledger(second, "actual", SYSTEM, MAX_XLSX)
    db.session.commit()
    assert stored(db) == [(2026, 1, "4100", 100), (2026, 2, "4100", 250), (2026, 2, "4200", 50)]
    assert result.replaced_lines == 1
    # The same file again changes nothing: idempotent per (kind, year, period).
    import_ledger(second, "actual", SYSTEM, MAX_XLSX)
    db.session.commit()
    assert stored(db) == [(2026, 1, "4100", 100), (2026, 2, "4100", 250), (2026, 2, "4200", 50)]


def test_budget_and_actual_periods_are_separate_and_budget_takes_period_zero(db, tmp_path):
    import_ledger(write_csv(tmp_path, ["2026;1;4100;10100;265;;100"], name="a.csv"), "actual", SYSTEM, MAX_XLSX)
    import_ledger(write_csv(tmp_path, ["2026;0;4100;10100;265;;900"], name="b.csv"), "budget", SYSTEM, MAX_XLSX)
    db.session.commit()
    assert stored(db, "actual") == [(2026, 1, "4100", 100)]
    assert stored(db, "budget") == [(2026, 0, "4100", 900)]


def test_bad_file_names_every_bad_row_and_stores_nothing(db, tmp_path):
    import_ledger(write_csv(tmp_path, ["2026;1;4100;10100;265;;100"], name="a.csv"), "actual", SYSTEM, MAX_XLSX)
    db.session.commit()
    bad = write_csv(
        tmp_path,
        [
            "2026;1;4100;10100;265;;999",
            "2026;13;4100;10100;265;;1",
            "2026;0;;10100;265;;abc",
            "20x6;2;4100;10100;265;;1",
        ],
        name="b.csv",
    )
    with pytest.raises(LedgerImportError) as caught:
        import_ledger(bad, "actual", SYSTEM, MAX_XLSX)
    db.session.rollback()
    assert caught.value.messages == [
        "Linje 3: Periode «13» må være 1–12.",
        "Linje 4: Periode «0» må være 1–12; Ansvar mangler; Beløp «abc» er ikke et tall.",
        "Linje 5: År «20x6» er ikke et årstall.",
    ]
    # The good first row of the bad file replaced nothing: the stored period is as before.
    assert stored(db) == [(2026, 1, "4100", 100)]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("År;Periode;Ansvar;Art;Beløp", "Linje 1: mangler kolonne Funksjon."),
        ("Year;Period;Ansvar;Art;Funksjon;Amount", "Linje 1: mangler kolonne År, Periode, Beløp."),
    ],
)
def test_missing_columns_are_named(db, tmp_path, header, message):
    with pytest.raises(LedgerImportError) as caught:
        import_ledger(write_csv(tmp_path, ["2026;1;4100;10100;1"], header=header), "actual", SYSTEM, MAX_XLSX)
    assert caught.value.messages == [message]


def test_empty_and_unknown_files_are_refused(db, tmp_path):
    with pytest.raises(LedgerImportError, match="ingen regnskapslinjer"):
        import_ledger(write_csv(tmp_path, []), "actual", SYSTEM, MAX_XLSX)
    other = tmp_path / "hovedbok.txt"
    other.write_text("x")
    with pytest.raises(LedgerImportError, match=r"\.csv"):
        import_ledger(other, "actual", SYSTEM, MAX_XLSX)


def test_command_imports_audits_and_reports(db, runner, tmp_path):
    path = write_csv(tmp_path, ["2024;1;4100;10100;265;;100", "2024;2;4100;10100;265;;200"])
    result = runner.invoke(args=["accounting", "import", str(path), "--kind", "actual"])
    assert result.exit_code == 0, result.output
    assert "Regnskap: 2 linjer importert, sum 300 kr." in result.output
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "accounting.import"))
    assert entry.username == "system"
    assert entry.changes["lines"] == 2 and entry.changes["periods"] == ["2024-01", "2024-02"]


def test_command_refuses_a_bad_file_with_every_error(db, runner, tmp_path):
    path = write_csv(tmp_path, ["2024;1;4100;10100;265;;x", "2024;1;4100;10100;265;;y"])
    result = runner.invoke(args=["accounting", "import", str(path)])
    assert result.exit_code == 1
    assert "ingenting er lagret" in result.output
    assert "Linje 2:" in result.output and "Linje 3:" in result.output
    assert db.session.scalar(select(func.count()).select_from(LedgerLine)) == 0


def test_upload_page_is_for_admins_only(client, login, make_user, db, tmp_path):
    content = ("\r\n".join([HEADER, "2024;1;4100;10100;265;;100"]) + "\r\n").encode("cp1252")
    login(make_user("ledergruppe"))
    refused = client.post("/regnskap/", data={"kind": "actual", "file": (io.BytesIO(content), "a.csv")})
    assert refused.status_code == 403
    client.post("/logout")
    login(make_user("admin"))
    page = client.post("/regnskap/", data={"kind": "actual", "file": (io.BytesIO(content), "a.csv")})
    assert page.status_code == 200
    assert "1 linjer importert" in page.get_data(as_text=True)
    assert stored(db) == [(2024, 1, "4100", 100)]


def test_upload_page_shows_every_error(client, login, make_user, db):
    content = ("\r\n".join([HEADER, "2024;1;4100;10100;265;;1,2,3"]) + "\r\n").encode()
    login(make_user("admin"))
    page = client.post("/regnskap/", data={"kind": "actual", "file": (io.BytesIO(content), "a.csv")})
    assert page.status_code == 400
    assert "Linje 2: Beløp «1,2,3» er ikke et tall." in page.get_data(as_text=True)
