"""The versioned read model: every write through a service shows at once, in this worker and another.

The programme's figures are cached per programme, quarter and data version (tracker.readmodel);
a write bumps the version in its own transaction. "Another worker" is a second app instance on the
same database, with caches of its own, as a second gunicorn worker or host would have.
"""

import io
import re
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from tracker.accounts.permissions import SYSTEM
from tracker.benefits import services as benefits
from tracker.benefits.importing import import_figures
from tracker.benefits.programme import programme_figures
from tracker.demo.services import load_demo
from tracker.extensions import db as _db
from tracker.measures.importing import import_document
from tracker.periods import Quarter
from tracker.portfolio import services as portfolio
from tracker.portfolio import targets
from tracker.portfolio.queries import current_programme, measure_summaries
from tracker.portfolio.status import AVBRUTT, VEDTATT
from tracker.readmodel.cache import store
from tracker.readmodel.models import DataVersion
from tracker.scenarios import services as scenarios
from tracker.updates import services as updates

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4

Q4 = Quarter(2026, 4)
FIELDS = ("target_nok", "planned_nok", "forecast_nok", "risk_adjusted_forecast_nok", "realised_nok", "taken_out_nok")
YEARS = (2026, 2027)


def _year_2026(app) -> dict[tuple[int, str], int | None]:
    """The 2026 and 2027 lines of the programme's figures as `app` (one worker) computes or caches them."""
    with app.app_context():
        figures = programme_figures(current_programme(), Q4)
        return {(year, name): getattr(figures.year(year), name) for year in YEARS for name in FIELDS}


def _dashboard_2026(client) -> dict[tuple[int, str], int | None]:
    html = client.get("/gevinster/?year=2026&quarter=2026-Q4").get_data(as_text=True)
    found = dict(re.findall(r'data-figure="year-(\d{4}-\w+)" data-value="(-?\d*)"', html))
    return {
        (year, name): int(found[key]) if found[key] else None
        for year in YEARS
        for name in FIELDS
        if (key := f"{year}-{name}") in found
    }


def _workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Tiltak", "År", "Kvartal", "Realisert hittil i år (kr)", "Prognose helår (kr)"])
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _record_figures(measure, admin):
    benefits.record_figures(measure, Q4, benefits.FigureInput(300_000, 950_000, "", "", "", ""), admin)


def _take_out(measure, admin):
    benefits.set_take_out(measure, 2026, 500_000, "", admin)


def _change_plan(measure, admin):
    benefits.change_plan(measure, 2026, 1_200_000, "Ny beregning", admin)


def _change_status(measure, admin):
    portfolio.change_status(measure, admin, measure.version, AVBRUTT, date(2026, 11, 20))


def _status_update(measure, admin):
    updates.save_update(measure, Q4, admin, {"confidence": "rød"}, submit=True)


def _import_figures(measure, admin):
    import_figures(measure.programme, _workbook([("1.1", 2026, 4, 400_000, 960_000)]), admin)


def _import_portfolio(measure, admin):  # noqa: ARG001
    programme = measure.programme
    document = {
        "programme": {"name": programme.name, "municipality": programme.municipality, "plan_period": [2026, 2029]},
        "groups": [{"number": group.number, "name": group.name} for group in programme.groups],
        "measures": [{"code": "1.1", "group": 1, "title": "Tiltak 1.1", "net_cost_change_mnok": {"2026": "-1.5"}}],
    }
    import_document(document, SYSTEM)


def _adopt_scenario(measure, admin):
    """Issue 11: a second measure, on the menu only, is adopted through a scenario: the plan grows."""
    programme = measure.programme
    document = {
        "programme": {"name": programme.name, "municipality": programme.municipality, "plan_period": [2026, 2029]},
        "groups": [{"number": group.number, "name": group.name} for group in programme.groups],
        "measures": [{"code": "1.2", "group": 1, "title": "Tiltak 1.2", "net_cost_change_mnok": {"2026": "-0.7"}}],
    }
    import_document(document, SYSTEM)
    scenario = scenarios.create_scenario(programme, "Vedtak", "1.2", admin)
    scenarios.adopt_scenario(scenario, "KS-sak 1/26", date(2026, 11, 20), admin)


def _target(measure, admin):
    targets.set_target(measure.programme, 2026, 2_000_000, "Budsjettvedtak", admin)


def _later_forecast(measure, admin):
    """A Q4 report on plan for 2026 (nothing changes there) with a forecast for 2027: only 2027 moves."""
    data = benefits.FigureInput(0, 1_000_000, later_forecasts_nok={2027: 300_000})
    benefits.record_figures(measure, Q4, data, admin)


def _demo(measure, admin):  # noqa: ARG001
    # As `flask demo load` does: an admin may not approve the figures they registered themselves.
    load_demo(Q4, SYSTEM)


WRITERS = {
    "figures": _record_figures,
    "take-out": _take_out,
    "plan change": _change_plan,
    "status": _change_status,
    "status update": _status_update,
    "figures import": _import_figures,
    "portfolio import": _import_portfolio,
    "demo": _demo,
    "scenario adoption": _adopt_scenario,
    "target": _target,
    "later-year forecast": _later_forecast,
}


@pytest.mark.parametrize("writer", WRITERS.values(), ids=WRITERS.keys())
def test_a_committed_write_shows_at_once_in_every_worker(app, make_app, make_measure, make_user, login, writer):
    measure = make_measure("1.1", plan={2026: 1_000_000}, status=VEDTATT)
    admin = make_user("admin")
    other_worker = make_app()
    other_client = other_worker.test_client()
    assert login(admin).status_code == 302
    assert login(admin, using=other_client).status_code == 302
    before = _year_2026(app)
    assert _year_2026(other_worker) == before == _dashboard_2026(other_client)  # every cache is warm now

    writer(measure, admin)
    _db.session.commit()

    after = _year_2026(app)
    assert after != before
    assert _year_2026(other_worker) == after
    assert _dashboard_2026(other_client) == after
    store().entries.clear()  # and it is what a fresh computation gives
    assert _year_2026(app) == after


def test_the_version_moves_only_with_data_changes(app, make_measure, make_user, login, client):
    measure = make_measure("1.1", plan={2026: 1_000_000}, status=VEDTATT)
    admin = make_user("admin")
    version = _db.session.scalar(select(DataVersion.version))
    assert login(admin).status_code == 302  # log-in, sessions and audit entries are bookkeeping
    client.get("/gevinster/")
    _db.session.commit()
    assert _db.session.scalar(select(DataVersion.version)) == version
    _take_out(measure, admin)
    _record_figures(measure, admin)
    _db.session.commit()
    assert _db.session.scalar(select(DataVersion.version)) == version + 1  # one step per transaction


def test_uncommitted_writes_are_read_but_never_cached(app, make_measure, make_user):
    measure = make_measure("1.1", plan={2026: 1_000_000}, status=VEDTATT)
    admin = make_user("admin")
    programme = current_programme()
    assert programme_figures(programme, Q4).year(2026).taken_out_nok == 0
    _take_out(measure, admin)
    assert programme_figures(programme, Q4).year(2026).taken_out_nok == 500_000  # this transaction sees it
    _db.session.rollback()
    assert programme_figures(programme, Q4).year(2026).taken_out_nok == 0  # and nobody else ever did


def test_a_reader_gets_the_same_object_until_data_changes(app, make_measure, make_user):
    measure = make_measure("1.1", plan={2026: 1_000_000}, status=VEDTATT)
    programme = current_programme()
    first = measure_summaries(programme)
    assert measure_summaries(programme) is first
    _change_plan(measure, make_user("admin"))
    _db.session.commit()
    assert measure_summaries(programme) is not first
    assert measure_summaries(programme)[0].plan.planned_savings_nok == {2026: 1_200_000}
