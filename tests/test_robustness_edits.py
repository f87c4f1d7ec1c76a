"""No edit is lost: two clients editing each kind of record, saves racing in threads, plan increments.

The attack this keeps out: two users open the same record, B saves, A saves the stale form and gets
"lagret" while B's change is gone; on PostgreSQL concurrent plan increments were acknowledged but
not applied, and eight simultaneous first saves of one quarter's figures gave eight 500s.
"""

import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tests.helpers import TEST_PASSWORD, page_forms
from tracker.accounts.models import User
from tracker.benefits import queries as benefits_queries
from tracker.benefits import services as benefits
from tracker.benefits.models import BudgetTakeOut, QuarterlyFigure
from tracker.database_setup import write_transaction
from tracker.dependencies.models import MeasureDependency
from tracker.errors import EditConflict
from tracker.extensions import db as _db
from tracker.kpis import services as kpis
from tracker.kpis.models import Kpi, KpiMeasurement
from tracker.milestones import services as milestones
from tracker.milestones.models import Milestone
from tracker.periods import Quarter
from tracker.portfolio.models import Measure, PlanRevision
from tracker.portfolio.services import planned_saving_of
from tracker.portfolio.status import VEDTATT
from tracker.reports.models import ReportRecipient
from tracker.risks import services as risks
from tracker.risks.models import RiskIndicator, RiskItem
from tracker.staff import services as staff
from tracker.staff.models import EmployeeConsequence
from tracker.updates import services as updates
from tracker.updates.models import StatusUpdate
from tracker.users import services as users

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4
Q4 = Quarter(2026, 4)
THREADS = 8


# --- a browser's view of a form --------------------------------------------------------------------


def opened_form(html: str) -> dict[str, str]:
    """What the page's edit form (the one carrying a version) sends when saved unchanged."""
    return next(form for form in page_forms(html) if "version" in form)


# --- the records ---------------------------------------------------------------------------------


@pytest.fixture()
def world(make_measure, make_user, db):
    """An adopted measure 1.1 with its owner, two admins and a user the admins may edit."""
    owner = make_user("tiltaksansvarlig", username="eva")
    people = {name: make_user("admin", username=name) for name in ("anne", "bjorn")}
    measure = make_measure("1.1", plan={2026: 1_000_000, 2027: 2_000_000}, status=VEDTATT, owner=owner)
    colleague = make_user("leser", username="lise", full_name="Lise Leser")
    return SimpleNamespace(owner=owner, measure=measure, colleague=colleague, **people)


@dataclass(frozen=True)
class Kind:
    """One kind of record: how to make it, its edit page, a field two users change, how to read it back."""

    name: str
    make: Callable  # (world) -> url of the edit page
    field: str
    a_typed: str
    b_typed: str
    stored: Callable  # (world) -> the stored value of `field`
    a_stored: object
    b_stored: object
    users: tuple[str, str] = ("owner", "anne")
    extra: dict = field(default_factory=dict)


def _milestone(w) -> str:
    item = milestones.create_milestone(w.measure, w.owner, {"title": "Avtale med skolene", "responsible": "Rektor"})
    return f"/oppfolging/milepaeler/{item.id}"


def _kpi(w) -> str:
    item = kpis.create_kpi(w.measure, w.owner, {"name": "Sykefravær", "unit": "prosent", "direction": "lower"})
    return f"/oppfolging/kpi/{item.id}/endre"


def _risk_item(w) -> str:
    values = {"description": "Turnover", "probability_before": 3, "consequence_before": 4}
    return f"/oppfolging/risikoregister/{risks.add_risk_item(w.measure, w.owner, values).id}"


def _staff(w, existing: bool = True) -> str:
    if existing:
        staff.save_consequence(w.measure, w.owner, {"affected_units": "Skolene", "affected_employees": 12})
    return f"/oppfolging/tiltak/{w.measure.id}/ansatte"


def _status_update(w, existing: bool = True) -> str:
    if existing:
        values = {"confidence": "gul", "confidence_justification": "Stram plan", "progress": "Startet"}
        updates.save_update(w.measure, Q4, w.owner, values)
    return f"/oppfolging/tiltak/{w.measure.id}/statusrapporter/{Q4.key}"


def _figures(w, existing: bool = True) -> str:
    if existing:
        benefits.record_figures(w.measure, Q4, benefits.FigureInput(100_000, 1_000_000, comment="Første"), w.owner)
    return f"/gevinster/tiltak/{w.measure.id}/kvartal/{Q4.key}"


def _take_out(w) -> str:
    benefits.set_take_out(w.measure, 2027, 500_000, "", w.anne)
    return f"/gevinster/tiltak/{w.measure.id}/uttak"


def _indicator(w) -> str:
    return f"/oppfolging/risiko/indikatorer/{risks.indicators()[0].id}"


KINDS = [
    Kind("measure", lambda w: f"/portefolje/tiltak/{w.measure.id}/rediger", "title", "Annes tittel", "Bjørns tittel",
         lambda w: _db.session.get(Measure, w.measure.id).title, "Annes tittel", "Bjørns tittel",
         users=("anne", "bjorn"), extra={"plan_reason": ""}),
    Kind("milestone", _milestone, "responsible", "Eva Eier", "Bjørn Berg",
         lambda _w: _db.session.scalar(select(Milestone.responsible)), "Eva Eier", "Bjørn Berg"),
    Kind("kpi", _kpi, "name", "Sykefravær i skolene", "Sykefravær totalt",
         lambda _w: _db.session.scalar(select(Kpi.name)), "Sykefravær i skolene", "Sykefravær totalt"),
    Kind("risk item", _risk_item, "mitigation", "Rekruttere", "Leie inn",
         lambda _w: _db.session.scalar(select(RiskItem.mitigation)), "Rekruttere", "Leie inn"),
    Kind("employee consequences", _staff, "affected_units", "Skolene i sentrum", "Alle skolene",
         lambda _w: _db.session.scalar(select(EmployeeConsequence.affected_units)), "Skolene i sentrum",
         "Alle skolene"),
    Kind("first employee consequences", lambda w: _staff(w, existing=False), "affected_units", "Skole A", "Skole B",
         lambda _w: _db.session.scalar(select(EmployeeConsequence.affected_units)), "Skole A", "Skole B"),
    Kind("status update draft", _status_update, "progress", "Avtaler inngått", "Plan vedtatt",
         lambda _w: _db.session.scalar(select(StatusUpdate.progress)), "Avtaler inngått", "Plan vedtatt",
         extra={"save": "Lagre utkast"}),
    Kind("first status update", lambda w: _status_update(w, existing=False), "progress", "Startet", "Ikke startet",
         lambda _w: _db.session.scalar(select(StatusUpdate.progress)), "Startet", "Ikke startet",
         extra={"save": "Lagre utkast", "confidence": "gul", "confidence_justification": "Stram plan"}),
    Kind("quarterly figures", _figures, "comment", "Etter plan", "Litt forsinket",
         lambda _w: _db.session.scalar(select(QuarterlyFigure.comment)), "Etter plan", "Litt forsinket"),
    Kind("first quarterly figures", lambda w: _figures(w, existing=False), "realised", "200 000", "300 000",
         lambda _w: _db.session.scalar(select(QuarterlyFigure.realised_to_date_nok)), 200_000, 300_000,
         extra={"forecast": "1 000 000"}),
    Kind("budget take-out", _take_out, "amount", "600 000", "700 000",
         lambda _w: _db.session.scalar(select(BudgetTakeOut.amount_nok)), 600_000, 700_000,
         users=("anne", "bjorn"), extra={"year": "2027"}),
    Kind("first budget take-out", lambda w: f"/gevinster/tiltak/{w.measure.id}/uttak", "amount", "600 000",
         "700 000", lambda _w: _db.session.scalar(select(BudgetTakeOut.amount_nok)), 600_000, 700_000,
         users=("anne", "bjorn"), extra={"year": "2028"}),
    Kind("planned saving", lambda w: f"/gevinster/tiltak/{w.measure.id}/plan", "new_saving", "2 100 000",
         "2 200 000", lambda w: planned_saving_of(_db.session.get(Measure, w.measure.id), 2027), 2_100_000,
         2_200_000, users=("anne", "bjorn"), extra={"year": "2027", "reason": "Budsjettvedtak"}),
    Kind("risk indicator", _indicator, "name", "Ledelse", "Forankring i ledelsen",
         lambda _w: _db.session.scalar(select(RiskIndicator.name).order_by(RiskIndicator.sort_order)), "Ledelse",
         "Forankring i ledelsen", users=("anne", "bjorn")),
    Kind("user", lambda w: f"/brukere/{w.colleague.id}", "full_name", "Lise Larsen", "Lise Lund",
         lambda w: _db.session.get(User, w.colleague.id).full_name, "Lise Larsen", "Lise Lund",
         users=("anne", "bjorn")),
]  # fmt: skip


def _client(app, login, user) -> FlaskClient:
    client = app.test_client()
    login(user, using=client)
    return client


@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_a_stale_save_gets_the_conflict_page_with_both_changes(kind, world, app, login, db):
    """A and B open the form; B saves; A's stale save is a 409 that keeps A's input and shows B's."""
    url = kind.make(world)
    db.session.commit()
    first, second = (_client(app, login, getattr(world, name)) for name in kind.users)
    form_a, form_b = (
        opened_form(first.get(url).get_data(as_text=True)),
        opened_form(second.get(url).get_data(as_text=True)),
    )

    saved = second.post(url, data={**form_b, **kind.extra, kind.field: kind.b_typed})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    refused = first.post(url, data={**form_a, **kind.extra, kind.field: kind.a_typed})

    assert refused.status_code == 409
    page = refused.get_data(as_text=True).replace("\xa0", " ")
    assert "Ingenting av det du skrev er lagret" in page
    assert opened_form(page)[kind.field] == kind.a_typed  # A's input stays in the form
    # B's change is shown beside it: the one field they changed, stored now and typed.
    [(stored_now, typed)] = re.findall(r'<tr><th scope="row">.*?</th><td>(.*?)</td><td>(.*?)</td>', page)
    assert (stored_now, typed) == (kind.b_typed, kind.a_typed)
    db.session.expire_all()
    assert kind.stored(world) == kind.b_stored

    # Saving from the conflict page is a deliberate choice to replace B's change.
    again = first.post(url, data={**opened_form(page), **kind.extra})
    assert again.status_code == 302
    db.session.expire_all()
    assert kind.stored(world) == kind.a_stored


def test_a_form_posted_without_a_version_saves_as_before(world, client, login, db):
    """Scripts and pages from before versions carry none: nothing to compare, the save goes through."""
    url = _milestone(world)
    db.session.commit()
    login(world.owner)
    assert client.post(url, data={"title": "Avtale med skolene", "responsible": "Kari"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Milestone.responsible)) == "Kari"


# --- the version is checked in the UPDATE itself -------------------------------------------------


def _first(model) -> Callable:
    return lambda _w: _db.session.scalars(select(model).order_by(model.id)).first()


RACES = [
    ("milestones", _milestone, _first(Milestone),
     lambda w, row, seen: milestones.update_milestone(row, w.owner, {"title": "Ny"}, seen)),
    ("kpis", _kpi, _first(Kpi),
     lambda w, row, seen: kpis.update_kpi(row, w.owner, {"name": "Ny", "direction": "higher"}, seen)),
    ("risk_items", _risk_item, _first(RiskItem),
     lambda w, row, seen: risks.update_risk_item(
         row, w.owner, {"description": "Ny", "probability_before": 1, "consequence_before": 1}, seen)),
    ("employee_consequences", _staff, _first(EmployeeConsequence),
     lambda w, _row, seen: staff.save_consequence(w.measure, w.owner, {"affected_units": "Ny"}, seen)),
    ("status_updates", _status_update, _first(StatusUpdate),
     lambda w, _row, seen: updates.save_update(
         w.measure, Q4, w.owner, {"confidence": "rød", "confidence_justification": "Ny"}, False, seen)),
    ("benefit_figures", _figures, _first(QuarterlyFigure),
     lambda w, _row, seen: benefits.record_figures(
         w.measure, Q4, benefits.FigureInput(1, 1_000_000, seen_version=seen), w.owner)),
    ("budget_take_outs", _take_out, _first(BudgetTakeOut),
     lambda w, _row, seen: benefits.set_take_out(w.measure, 2027, 1, "", w.anne, seen)),
    ("risk_indicators", _indicator, _first(RiskIndicator),
     lambda w, row, seen: risks.update_indicator(row, w.anne, "Ny", [""] * 5, seen)),
    ("measures", lambda _w: None, lambda w: _db.session.get(Measure, w.measure.id),
     lambda w, row, seen: benefits.change_plan(row, 2027, 1, "Ny", w.anne, seen)),
    ("users", lambda _w: None, lambda w: _db.session.get(User, w.colleague.id),
     lambda w, row, seen: users.update_account(w.anne, row, "leser", "Ny", None, True, seen)),
]  # fmt: skip


@pytest.mark.parametrize(("table", "make", "load", "save"), RACES, ids=[race[0] for race in RACES])
def test_a_save_racing_between_check_and_write_is_a_conflict(table, make, load, save, world, db):
    """The version matched when checked, but another transaction committed before our UPDATE."""
    make(world)
    db.session.commit()
    row = load(world)  # what this request loaded and showed: version v
    seen, row_id = row.version, row.id
    with db.engine.begin() as other:
        other.execute(text(f"UPDATE {table} SET version = version + 1 WHERE id = :id"), {"id": row_id})
    with pytest.raises(EditConflict):
        save(world, row, seen)
    db.session.rollback()
    assert db.session.scalar(text(f"SELECT version FROM {table} WHERE id = :id"), {"id": row_id}) == seen + 1


def test_an_approval_of_figures_changed_since_the_page_was_opened_is_refused(world, app, login, db):
    _figures(world)
    db.session.commit()
    admin = _client(app, login, world.anne)
    ledger = admin.get(f"/gevinster/tiltak/{world.measure.id}").get_data(as_text=True)
    approve = next(form for form in page_forms(ledger) if "version" in form and "comment" not in form)
    figure = db.session.scalar(select(QuarterlyFigure))
    benefits.record_figures(world.measure, Q4, benefits.FigureInput(900_000, 1_000_000), world.owner)
    db.session.commit()

    response = admin.post(f"/gevinster/tall/{figure.id}/godkjenn", data=approve, follow_redirects=True)
    assert "ble endret etter at du åpnet siden" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(QuarterlyFigure, figure.id).is_approved is False


# --- threads: first saves and plan increments at the same moment ---------------------------------


@dataclass(frozen=True)
class FirstSave:
    """A record that does not exist yet, saved by several users at once."""

    name: str
    url: Callable  # (world) -> url of the page with the form
    data: dict | Callable  # what the users send, or (world) -> it
    count: Callable  # () -> how many rows there are
    is_versioned: bool = True  # the form carries version 0: exactly one first save wins


def _count(model) -> Callable:
    return lambda: _db.session.scalar(select(func.count()).select_from(model))


FIRST_SAVES = [
    FirstSave("quarterly figures", lambda w: f"/gevinster/tiltak/{w.measure.id}/kvartal/{Q4.key}",
              {"realised": "100 000", "forecast": "1 000 000"}, _count(QuarterlyFigure)),
    FirstSave("employee consequences", lambda w: f"/oppfolging/tiltak/{w.measure.id}/ansatte",
              {"affected_units": "Skolene"}, _count(EmployeeConsequence)),
    FirstSave("status update", lambda w: f"/oppfolging/tiltak/{w.measure.id}/statusrapporter/{Q4.key}",
              {"confidence": "gul", "confidence_justification": "Stram plan", "save": "Lagre utkast"},
              _count(StatusUpdate)),
    FirstSave("budget take-out", lambda w: f"/gevinster/tiltak/{w.measure.id}/uttak",
              {"year": "2027", "amount": "500 000"}, _count(BudgetTakeOut)),
    FirstSave("kpi measurement", lambda w: f"/oppfolging/kpi/{_kpi_id(w)}",
              {"quarter": Q4.key, "value": "12"}, _count(KpiMeasurement), is_versioned=False),
    FirstSave("dependency", lambda w: f"/oppfolging/tiltak/{w.measure.id}/avhengigheter",
              lambda w: {"depends_on": str(w.upstream.id), "note": ""}, _count(MeasureDependency), is_versioned=False),
    FirstSave("report recipient", lambda _w: "/rapporter/mottakere",
              {"audience": "amu", "name": "Verneombud", "email": "vo@example.no"}, _count(ReportRecipient),
              is_versioned=False),
]  # fmt: skip


def _kpi_id(world) -> int:
    return kpis.create_kpi(world.measure, world.owner, {"name": "Sykefravær", "direction": "lower"}).id


def _at_once(app, users: list[User], work: Callable[[FlaskClient], None]) -> list[str]:
    """Run `work(client)` in one thread per user, each a logged-in browser, released at the same moment.

    Returns the errors: a view that raised (a 500 in production; the test client re-raises it).
    """
    start = threading.Barrier(len(users))
    errors: list[str] = []

    def browser(username: str):
        # A plain client: each request in this thread pushes its own app context, as in a worker.
        client = FlaskClient(app, app.response_class, use_cookies=True)
        client.post("/login", data={"username": username, "password": TEST_PASSWORD})
        start.wait()
        try:
            work(client)
        except Exception as exc:  # noqa: BLE001 - collected and asserted by the caller
            errors.append(repr(exc))

    threads = [threading.Thread(target=browser, args=(user.username,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.parametrize("first_save", FIRST_SAVES, ids=[save.name for save in FIRST_SAVES])
@pytest.mark.parametrize("with_version", [True, False], ids=["form", "script"])
def test_simultaneous_first_saves_give_one_row_and_no_500(
    first_save, with_version, world, app, make_user, make_measure, db
):
    """Eight admins save the same new record at once: one wins, none gets a 500, exactly one row exists."""
    world.upstream = make_measure("1.2")
    url = first_save.url(world)
    db.session.commit()
    admins = [make_user("admin") for _ in range(THREADS)]
    sent = first_save.data(world) if callable(first_save.data) else first_save.data
    data = {**sent, **({"version": "0"} if with_version else {})}
    statuses: list[int] = []
    errors = _at_once(app, admins, lambda client: statuses.append(client.post(url, data=data).status_code))

    assert errors == []
    assert 500 not in statuses and len(statuses) == THREADS, statuses
    assert first_save.count() == 1
    if first_save.is_versioned and with_version:
        assert Counter(statuses) == {302: 1, 409: THREADS - 1}
    else:
        assert set(statuses) <= {200, 302, 400, 409}


@pytest.mark.parametrize("carries_version", [True, False], ids=["form", "import"])
def test_concurrent_plan_increments_lose_nothing(carries_version, world, app, db):
    """8 threads × 10 read-modify-write increments through the service, retried on conflict: the
    final plan is the start plus every acknowledged increment, each with its plan-history row."""
    measure_id, admin_id, increments = world.measure.id, world.anne.id, 10
    db.session.commit()
    acknowledged: list[int] = []
    errors: list[str] = []
    start = threading.Barrier(THREADS)

    def increment_once() -> None:
        with write_transaction():
            measure, actor = db.session.get(Measure, measure_id), db.session.get(User, admin_id)
            old = planned_saving_of(measure, 2027)
            seen = measure.version if carries_version else None
            benefits.change_plan(measure, 2027, old + 1_000, "Økning", actor, seen)
            db.session.commit()

    def worker():
        with app.app_context():
            start.wait()
            for _ in range(increments):
                for _attempt in range(200):
                    try:
                        increment_once()
                    except EditConflict:
                        db.session.rollback()
                        continue
                    except Exception as exc:  # noqa: BLE001 - collected and asserted below
                        db.session.rollback()
                        errors.append(repr(exc))
                    else:
                        acknowledged.append(1)
                    break

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(acknowledged) == THREADS * increments
    db.session.expire_all()
    measure = db.session.get(Measure, measure_id)
    assert planned_saving_of(measure, 2027) == 2_000_000 + 1_000 * len(acknowledged)
    assert db.session.scalar(select(func.count()).select_from(PlanRevision)) == len(acknowledged)
    assert benefits_queries.planned_saving(measure, 2027) == planned_saving_of(measure, 2027)


def test_concurrent_plan_increments_through_the_plan_form_lose_nothing(world, app, make_user, db):
    """The attack as it was run: browsers read the plan page and post it plus 1 000 kr, retrying on
    409. Every acknowledged save (302) is in the final plan."""
    url, increments = f"/gevinster/tiltak/{world.measure.id}/plan", 5
    db.session.commit()
    admins = [make_user("admin") for _ in range(THREADS)]
    acknowledged: list[int] = []

    def increment(client: FlaskClient) -> None:
        for _ in range(increments):
            for _attempt in range(100):
                page = client.get(url).get_data(as_text=True)
                current = int(re.search(r'data-year="2027" data-saving-nok="(-?\d+)"', page).group(1))
                data = {**opened_form(page), "year": "2027", "new_saving": str(current + 1_000), "reason": "Økning"}
                status = client.post(url, data=data).status_code
                assert status in (302, 409), status
                if status == 302:
                    acknowledged.append(1)
                    break

    errors = _at_once(app, admins, increment)

    assert errors == []
    assert len(acknowledged) == THREADS * increments
    db.session.expire_all()
    assert planned_saving_of(db.session.get(Measure, world.measure.id), 2027) == 2_000_000 + 1_000 * len(acknowledged)


def test_a_lost_race_no_page_answers_is_a_409_with_the_input_to_send_again(app):
    """The net under every page: a unique violation or a stale UPDATE nobody caught is a 409, never a 500."""
    taken = IntegrityError("INSERT …", {}, sqlite3.IntegrityError("UNIQUE constraint failed: report_recipients.email"))
    with app.test_request_context("/rapporter/mottakere", method="POST", data={"email": "vo@example.no"}):
        for error in (taken, StaleDataError("UPDATE … matched 0 rows"), EditConflict()):
            page, status = app.handle_user_exception(error)
            assert status == 409
            assert "Noen andre lagret det samme samtidig" in page and "vo@example.no" in page
        other = IntegrityError("INSERT …", {}, sqlite3.IntegrityError("NOT NULL constraint failed: users.role"))
        with pytest.raises(IntegrityError):
            app.handle_user_exception(other)
