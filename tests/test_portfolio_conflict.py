"""No lost updates: a save against a newer version gets the conflict page and stores nothing."""

import pytest
from sqlalchemy import func, select, text

from tracker.audit.models import AuditEntry
from tracker.extensions import db as _db
from tracker.portfolio import services
from tracker.portfolio.models import Measure


def _form(measure, version: int, **changes) -> dict:
    data = {"version": str(version), "title": measure.title, "service": measure.service, "effect_type": ""}
    data.update({f"saving_{year}": "0,6" for year in range(2027, 2031)})
    data.update({"saving_2025": "0", "saving_2026": "0,3", "plan_reason": "Ny beregning"})
    data.update(changes)
    return data


@pytest.fixture()
def measure(make_measure):
    """Measure 1.1 with the report's plan: 0 in 2025, 0,3 mill. kr in 2026, 0,6 from 2027 to 2030."""
    plan = {2025: 0, 2026: 300_000, 2027: 600_000, 2028: 600_000, 2029: 600_000, 2030: 600_000}
    return make_measure("1.1", plan=plan)


def _count(action: str) -> int:
    return _db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def test_second_of_two_concurrent_saves_gets_the_conflict_page(app, measure, make_user, login, measure_by_code, db):
    url = f"/portefolje/tiltak/{measure.id}/rediger"
    anne, bjorn = make_user("admin", username="anne"), make_user("admin", username="bjorn")
    first, second = app.test_client(), app.test_client()
    login(anne, using=first)
    login(bjorn, using=second)
    # Both open the form at the same version.
    assert 'name="version" type="hidden" value="1"' in first.get(url).get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in second.get(url).get_data(as_text=True)

    saved = first.post(url, data=_form(measure, 1, title="Annes tittel", saving_2029="0,7"))
    assert saved.status_code == 302
    refused = second.post(url, data=_form(measure, 1, title="Bjørns tittel", saving_2029="0,9"))

    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "Noen andre har lagret tiltaket" in html
    assert "Annes tittel" in html and "Bjørns tittel" in html  # stored now vs what Bjørn typed
    assert 'value="Bjørns tittel"' in html and 'name="saving_2029" type="text" value="0,9"' in html
    assert 'name="version" type="hidden" value="2"' in html  # re-applying is a deliberate new save
    db.session.expire_all()
    stored = measure_by_code("1.1")
    assert stored.title == "Annes tittel"
    assert stored.planned_net_change_by_year()[2029] == -700_000
    assert stored.version == 2
    assert _count("measure.update") == 1
    assert db.session.scalar(select(AuditEntry.username).where(AuditEntry.action == "measure.update")) == "anne"


def test_reapplying_from_the_conflict_page_saves(app, measure, make_user, login, client, measure_by_code, db):
    url = f"/portefolje/tiltak/{measure.id}/rediger"
    login(make_user("admin"))
    assert client.post(url, data=_form(measure, 1, title="Første")).status_code == 302
    assert client.post(url, data=_form(measure, 1, title="Andre")).status_code == 409
    assert client.post(url, data=_form(measure, 2, title="Andre")).status_code == 302
    db.session.expire_all()
    assert measure_by_code("1.1").title == "Andre"
    assert _count("measure.update") == 2


def test_a_save_racing_between_check_and_write_is_a_conflict(app, measure, make_user, db):
    """The version matched when checked, but another transaction committed before our UPDATE."""
    admin = make_user("admin")
    seen = measure.version
    with db.engine.begin() as other:
        other.execute(
            text("UPDATE measures SET version = version + 1, title = 'Annen' WHERE id = :id"), {"id": measure.id}
        )
    with pytest.raises(services.EditConflict):
        services.update_measure(measure, admin, seen, {"title": "Min"}, {})
    db.session.rollback()
    assert db.session.get(Measure, measure.id).title == "Annen"
    assert _count("measure.update") == 0


def test_status_change_against_a_newer_version_is_a_conflict(
    app, measure, make_user, login, client, measure_by_code, db
):
    login(make_user("admin"))
    owner = make_user("tiltaksansvarlig")
    assert (
        client.post(
            f"/portefolje/tiltak/{measure.id}/ansvarlig", data={"version": "1", "owner_id": owner.id}
        ).status_code
        == 302
    )
    data = {"version": "1", "to_status": "vedtatt", "decided_date": "18.12.2025", "decision_reference": "KS-sak 85/25"}
    response = client.post(f"/portefolje/tiltak/{measure.id}/status", data=data)
    assert response.status_code == 409
    db.session.expire_all()
    assert measure_by_code("1.1").status == "utredet"
    assert _count("measure.status") == 0
