"""Mapping measures to the ledger: SQL agrees with the rules, filters from the page, JSON and Excel, access."""

import io
import json

import openpyxl
import pytest
from sqlalchemy import select

from tests.helpers import DATA_FILE
from tracker.accounting import queries, rules, services
from tracker.accounting.importing import import_ledger
from tracker.accounting.models import AccountingFilter, LedgerLine
from tracker.accounting.rules import FilterSpec
from tracker.accounts.permissions import SYSTEM
from tracker.audit.models import AuditEntry
from tracker.measures.excel import write_portfolio_workbook
from tracker.measures.excel_import import read_portfolio_workbook
from tracker.measures.importing import PortfolioImportError, import_document, import_file
from tracker.portfolio.queries import load_measures

CODES = ["4100", "4120", "41", "4200", "3100", "10000", "10500", "10999", "11000", "1050", "265", "2650", "254"]
PATTERNS = ["", "41*", "4100", "10000-10999", "4100-4199", "265", "1*"]


def _line(code: str, amount: int = 1, **fields) -> LedgerLine:
    values = {
        "kind": "actual",
        "year": 2024,
        "period": 1,
        "ansvar": code,
        "art": code,
        "funksjon": code,
        "prosjekt": "",
    }
    return LedgerLine(**{**values, **fields, "amount_nok": amount})


@pytest.mark.parametrize("pattern", PATTERNS)
def test_sql_conditions_select_exactly_what_the_rules_match(db, pattern):
    db.session.add_all(_line(code) for code in CODES)
    db.session.commit()
    parsed = rules.parse_pattern(pattern)
    condition = queries.pattern_condition(LedgerLine.__table__.c.ansvar, parsed)
    found = set(db.session.scalars(select(LedgerLine.ansvar).where(condition)))
    assert found == {code for code in CODES if rules.pattern_matches(parsed, code)}


def test_a_line_matching_two_filters_of_a_measure_counts_once(db):
    db.session.add_all([_line("4100", 100), _line("4200", 10)])
    db.session.commit()
    specs = [FilterSpec(ansvar="41*"), FilterSpec(ansvar="4100"), FilterSpec(ansvar="4200")]
    assert queries.mapped_sums(specs, [2024]).amounts == {("actual", 2024, 1): 110}


def test_one_scan_gives_each_measure_its_own_sums(db):
    db.session.add_all([_line("4100", 100), _line("4200", 10), _line("4100", 5, period=2)])
    db.session.commit()
    sums = queries.mapped_sums_many({"a": [FilterSpec(ansvar="41*")], "b": [FilterSpec(ansvar="42*")]}, [2026])
    assert sums["a"].amounts == {("actual", 2024, 1): 100, ("actual", 2024, 2): 5}
    assert sums["b"].amounts == {("actual", 2024, 1): 10}


def _document(mutate) -> dict:
    document = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    mutate(document)
    return document


def _filters(measure_by_code, code: str) -> list[FilterSpec]:
    return [queries.spec_of(item) for item in queries.measure_filters(measure_by_code(code).id)]


def test_json_import_sets_keeps_and_clears_filters(elverum, db, measure_by_code):
    filters = [{"ansvar": "41*", "art": "10000-10999", "funksjon": "265"}, {"ansvar": "4300", "funksjon": 254}]
    import_document(_document(lambda d: d["measures"][0].update(accounting_filters=filters)), SYSTEM)
    db.session.commit()
    expected = [FilterSpec("41*", "10000-10999", "265"), FilterSpec("4300", "", "254")]
    assert _filters(measure_by_code, "1.1") == expected
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "measure.import_update"))
    assert entry.changes["accounting_filters"]["new"] == [spec.label for spec in expected]
    # Without the key the filters stay; an empty list clears them.
    import_file(DATA_FILE, SYSTEM)
    db.session.commit()
    assert _filters(measure_by_code, "1.1") == expected
    import_document(_document(lambda d: d["measures"][0].update(accounting_filters=[])), SYSTEM)
    db.session.commit()
    assert _filters(measure_by_code, "1.1") == []


def test_json_import_names_every_bad_filter(elverum, db, measure_by_code):
    bad = [{"ansvar": "41*", "art": "10999-10000"}, {"prosjekt": "7"}]
    with pytest.raises(PortfolioImportError) as caught:
        import_document(_document(lambda d: d["measures"][0].update(accounting_filters=bad)), SYSTEM)
    assert caught.value.messages == [
        "Tiltak 1.1, felt accounting_filters[1].art: «10999-10000»: fra-verdien må være lavere enn til-verdien.",
        "Tiltak 1.1, felt accounting_filters[2].ansvar: Oppgi minst ett av ansvar, art og funksjon; "
        "ellers gjelder filteret hele regnskapet.",
    ]


def test_excel_round_trip_keeps_filters_and_reads_the_sheet(elverum, db, measure_by_code, tmp_path):
    services.set_filters(measure_by_code("2.1"), [FilterSpec("31*", "10000-10999", "254", "")], SYSTEM)
    db.session.commit()
    path = tmp_path / "portefolje.xlsx"
    write_portfolio_workbook(elverum, load_measures(elverum), path)
    document = read_portfolio_workbook(path)
    by_code = {measure["code"]: measure for measure in document["measures"]}
    assert by_code["2.1"]["accounting_filters"] == [
        {"ansvar": "31*", "art": "10000-10999", "funksjon": "254", "prosjekt": ""}
    ]
    assert by_code["1.1"]["accounting_filters"] == []
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Regnskapskobling"]
    sheet.append(["2.1", "4100", "", "", ""])
    sheet.append(["9.9", "4100", "", "", ""])
    workbook.save(path)
    with pytest.raises(PortfolioImportError, match="ukjent tiltak «9.9»"):
        import_file(path, SYSTEM)
    db.session.rollback()
    sheet.delete_rows(sheet.max_row)
    workbook.save(path)
    import_file(path, SYSTEM)
    db.session.commit()
    assert _filters(measure_by_code, "2.1") == [FilterSpec("31*", "10000-10999", "254"), FilterSpec("4100")]


@pytest.fixture()
def measures(make_measure) -> dict:
    return {code: make_measure(code, plan={2026: 1_000_000}) for code in ("1.1", "1.2", "1.3")}


def test_overlaps_between_measures_are_found(measures, db):
    services.set_filters(measures["1.1"], [FilterSpec(ansvar="41*", art="10000-10999")], SYSTEM)
    services.set_filters(measures["1.2"], [FilterSpec(ansvar="4120")], SYSTEM)
    services.set_filters(measures["1.3"], [FilterSpec(ansvar="4120", art="11000")], SYSTEM)
    found = services.overlaps(measures["1.1"].programme)
    assert [(item.first_code, item.second_code) for item in found] == [("1.1", "1.2"), ("1.2", "1.3")]


def test_admin_adds_and_removes_a_filter_on_the_measure_page(measures, client, login, make_user, db, measure_by_code):
    measure = measures["1.2"]
    login(make_user("admin"))
    page = client.get(f"/portefolje/tiltak/{measure.id}")
    assert "Bekreftet i regnskapet" in page.get_data(as_text=True)
    assert "Legg til regnskapsfilter" in page.get_data(as_text=True)
    response = client.post(f"/regnskap/tiltak/{measure.id}/filter", data={"ansvar": "41*", "art": "10000-10999"})
    assert response.status_code == 302
    assert _filters(measure_by_code, "1.2") == [FilterSpec(ansvar="41*", art="10000-10999")]
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "accounting.filter.add"))
    bad = client.post(f"/regnskap/tiltak/{measure.id}/filter", data={"ansvar": "100-99"}, follow_redirects=True)
    assert "begge grensene" in bad.get_data(as_text=True)
    item = db.session.scalar(select(AccountingFilter))
    client.post(f"/regnskap/filter/{item.id}/slett")
    assert _filters(measure_by_code, "1.2") == []


def test_others_see_aggregates_but_not_lines_or_the_form(measures, client, login, make_user, db):
    measure = measures["1.2"]
    services.set_filters(measure, [FilterSpec(ansvar="41*")], SYSTEM)
    db.session.add_all([_line("4100", 1_200_000, period=month) for month in range(1, 13)])
    db.session.commit()
    login(make_user("ledergruppe"))
    text = client.get(f"/portefolje/tiltak/{measure.id}").get_data(as_text=True)
    assert "Indikasjon i regnskapet" in text and "14\u00a0400\u00a0000" in text
    assert "Legg til regnskapsfilter" not in text and "Regnskapslinjene for" not in text
    assert client.get(f"/regnskap/tiltak/{measure.id}/linjer").status_code == 403
    assert client.post(f"/regnskap/tiltak/{measure.id}/filter", data={"ansvar": "1"}).status_code == 403
    assert client.get("/regnskap/").status_code == 403


def test_admin_sees_the_ledger_lines_of_a_measure(measures, client, login, make_user, db):
    measure = measures["1.2"]
    services.set_filters(measure, [FilterSpec(ansvar="41*")], SYSTEM)
    db.session.add_all([_line("4100", 777_001), _line("5100", 999_999)])
    db.session.commit()
    login(make_user("admin"))
    text = client.get(f"/regnskap/tiltak/{measure.id}/linjer?aar=2024").get_data(as_text=True)
    assert "777\u00a0001" in text and "999\u00a0999" not in text


def test_deflator_is_set_on_the_admin_page(client, login, make_user, db):
    login(make_user("admin"))
    response = client.post("/regnskap/deflator", data={"year": "2025", "rate_pct": "4,3", "source": "Prop. 1 S"})
    assert response.status_code == 302
    assert queries.deflator_rates() == {2025: 430}
    page = client.get("/regnskap/").get_data(as_text=True)
    assert "4,30" in page


def test_upload_form_accepts_xlsx(client, login, make_user, db):
    workbook = openpyxl.Workbook()
    workbook.active.append(["År", "Periode", "Ansvar", "Art", "Funksjon", "Beløp"])
    workbook.active.append([2026, 0, "4100", "10100", "265", 5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    login(make_user("admin"))
    page = client.post("/regnskap/", data={"kind": "budget", "file": (io.BytesIO(buffer.getvalue()), "b.xlsx")})
    assert page.status_code == 200, page.get_data(as_text=True)
    assert "Budsjett: 1 linjer importert" in page.get_data(as_text=True)


def test_cached_sums_follow_a_reimport_that_reuses_ids(db, tmp_path):
    """Re-importing the latest period gives the new lines the old ids on SQLite; the sums still change."""
    specs = {"m": [FilterSpec(ansvar="41*")]}
    for amount in (100, 250):
        path = tmp_path / f"{amount}.csv"
        path.write_text(f"År;Periode;Ansvar;Art;Funksjon;Beløp\n2024;1;4100;10100;265;{amount}\n", encoding="utf-8")
        import_ledger(path, "actual", SYSTEM, 10_000_000)
        db.session.commit()
        assert queries.mapped_sums_many(specs, [2026])["m"].amounts == {("actual", 2024, 1): amount}
