"""Four eyes: a quarterly figure or a budget take-out is approved by someone other than who entered it."""

import pytest
from sqlalchemy import select

from tracker.accounts.permissions import SYSTEM
from tracker.audit.models import AuditEntry
from tracker.benefits import services
from tracker.benefits.models import BudgetTakeOut, QuarterlyFigure
from tracker.periods import Quarter
from tracker.portfolio.status import VEDTATT

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4

Q4 = Quarter(2026, 4)
OWN_FIGURE = "Du kan ikke godkjenne tall du selv har registrert. En annen administrator må godkjenne dem."
OWN_TAKE_OUT = "Du kan ikke godkjenne et budsjettuttak du selv har registrert. En annen administrator må godkjenne det."


@pytest.fixture()
def people(make_user):
    return {"kari": make_user("admin", username="kari"), "ola": make_user("admin", username="ola")}


@pytest.fixture()
def measure(make_measure):
    return make_measure("1.1", plan={2026: 300_000}, status=VEDTATT)


def _figure(measure, by) -> QuarterlyFigure:
    return services.record_figures(measure, Q4, services.FigureInput(100_000, 300_000), by)


def test_who_reported_a_figure_cannot_approve_it(measure, people, db):
    figure = _figure(measure, people["kari"])
    with pytest.raises(services.BenefitsError) as refused:
        services.approve_figure(figure, people["kari"])
    assert str(refused.value) == OWN_FIGURE
    assert figure.is_approved is False
    services.approve_figure(figure, people["ola"])
    db.session.commit()
    assert (figure.is_approved, figure.approved_by_id) == (True, people["ola"].id)


@pytest.mark.parametrize(("entered", "approves"), [("system", "kari"), ("kari", "system")])
def test_system_may_enter_or_approve(measure, people, db, entered, approves):
    """SYSTEM (the command line, the demo data) is nobody: what it entered any admin approves,
    and it may approve anything (the operator acts for the controllers)."""
    actors = {**people, "system": SYSTEM}
    figure = _figure(measure, actors[entered])
    services.approve_figure(figure, actors[approves])
    db.session.commit()
    assert figure.is_approved is True


def test_four_eyes_can_be_switched_off(measure, people, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "FOUR_EYES_APPROVAL", False)
    figure = _figure(measure, people["kari"])
    services.approve_figure(figure, people["kari"])
    db.session.commit()
    assert figure.is_approved is True


def test_four_eyes_is_on_by_default(app):
    assert app.config["FOUR_EYES_APPROVAL"] is True


def test_a_take_out_is_approved_by_another_admin_and_a_change_withdraws_it(measure, people, db):
    take_out = services.set_take_out(measure, 2026, 250_000, "Vedtatt i budsjettet", people["kari"])
    db.session.commit()
    assert take_out.is_approved is False
    with pytest.raises(services.BenefitsError, match="budsjettuttak du selv"):
        services.approve_take_out(take_out, people["kari"])
    services.approve_take_out(take_out, people["ola"])
    db.session.commit()
    assert (take_out.is_approved, take_out.approved_by_id) == (True, people["ola"].id)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "benefits.approve_take_out"))
    assert (entry.username, entry.object_label) == ("ola", "1.1 2026")

    services.set_take_out(measure, 2026, 250_000, "Vedtatt i budsjettet", people["ola"])  # no change
    assert take_out.is_approved is True
    services.set_take_out(measure, 2026, 300_000, "Justert", people["ola"])
    db.session.commit()
    assert (take_out.is_approved, take_out.approved_by_id, take_out.entered_by_id) == (False, None, people["ola"].id)


def test_the_ledger_refuses_approving_ones_own_entries_in_norwegian(measure, people, db, client, login):
    figure = _figure(measure, people["kari"])
    take_out = services.set_take_out(measure, 2026, 250_000, "", people["kari"])
    db.session.commit()
    login(people["kari"])
    for path, message in (
        (f"/gevinster/tall/{figure.id}/godkjenn", OWN_FIGURE),
        (f"/gevinster/uttak/{take_out.id}/godkjenn", OWN_TAKE_OUT),
    ):
        response = client.post(path, follow_redirects=True)
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(QuarterlyFigure, figure.id).is_approved
    assert not db.session.get(BudgetTakeOut, take_out.id).is_approved

    client.post("/logout")
    login(people["ola"])
    page = client.get(f"/gevinster/tiltak/{measure.id}").get_data(as_text=True)
    assert "Godkjenn uttaket for 2026" in page
    client.post(f"/gevinster/uttak/{take_out.id}/godkjenn")
    client.post(f"/gevinster/tall/{figure.id}/godkjenn")
    db.session.expire_all()
    assert db.session.get(BudgetTakeOut, take_out.id).approved_by_id == people["ola"].id
    assert db.session.get(QuarterlyFigure, figure.id).approved_by_id == people["ola"].id
