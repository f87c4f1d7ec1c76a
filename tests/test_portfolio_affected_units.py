""" "Berørte enheter": a list on the measure, edited on the measure's form and carried by both file formats."""

import pytest
from sqlalchemy import func, select

from tests.helpers import DATA_FILE
from tracker.accounts.permissions import SYSTEM
from tracker.audit.models import AuditEntry
from tracker.measures.excel import write_portfolio_workbook
from tracker.measures.importing import PortfolioImportError, import_document, import_file, load_document
from tracker.portfolio.queries import default_programme, load_measures


def _form(measure, **changes) -> dict:
    data = {"version": str(measure.version), "title": measure.title, "service": "", "effect_type": ""}
    return {**data, **changes}


def test_the_owner_names_the_affected_units_one_per_line(db, client, login, make_measure, make_user):
    owner = make_user("tiltaksansvarlig")
    measure = make_measure("1.1", owner=owner)
    login(owner)
    url = f"/portefolje/tiltak/{measure.id}/rediger"
    response = client.post(url, data=_form(measure, affected_units="Hjemmetjenesten\n\n  Sykehjemmet  Nord \n"))
    assert response.status_code == 302
    db.session.refresh(measure)
    assert measure.affected_units == ["Hjemmetjenesten", "Sykehjemmet Nord"]
    assert "Hjemmetjenesten, Sykehjemmet Nord" in client.get(f"/portefolje/tiltak/{measure.id}").get_data(as_text=True)
    assert "Hjemmetjenesten\nSykehjemmet Nord" in client.get(url).get_data(as_text=True)


def test_saving_an_untouched_form_records_no_change_of_units(db, client, login, make_measure, make_user):
    owner = make_user("tiltaksansvarlig")
    measure = make_measure("1.1", owner=owner)
    login(owner)
    assert client.post(f"/portefolje/tiltak/{measure.id}/rediger", data=_form(measure)).status_code == 302
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == "measure.update")) == 0


def test_units_travel_in_the_excel_format_and_a_file_without_them_keeps_them(elverum, db, tmp_path, measure_by_code):
    measure_by_code("1.1").affected_units = ["Barnehagene", "Skolene"]
    db.session.commit()
    path = tmp_path / "p.xlsx"
    write_portfolio_workbook(default_programme(), load_measures(default_programme()), path)
    measure_by_code("1.1").affected_units = None
    db.session.commit()

    import_file(path, SYSTEM)
    db.session.commit()
    assert measure_by_code("1.1").affected_units == ["Barnehagene", "Skolene"]
    import_file(DATA_FILE, SYSTEM)  # the report's file says nothing about units
    db.session.commit()
    assert measure_by_code("1.1").affected_units == ["Barnehagene", "Skolene"]


def test_units_that_are_not_a_list_of_names_are_refused(elverum, db):
    document = load_document(DATA_FILE)
    document["measures"][0]["affected_units"] = "Skolene"
    with pytest.raises(PortfolioImportError, match="felt affected_units: må være en liste med enhetsnavn."):
        import_document(document, SYSTEM)
