"""Every benefits and portfolio write says who acts: None is refused and nothing is stored."""

import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from tracker.accounts.permissions import SYSTEM, NoActorError
from tracker.audit.models import AuditEntry
from tracker.benefits import importing as figures_import
from tracker.benefits import services as benefits
from tracker.benefits.models import QuarterlyFigure
from tracker.extensions import db as _db
from tracker.measures import importing
from tracker.periods import Quarter
from tracker.portfolio import services as portfolio
from tracker.portfolio.models import Measure
from tracker.portfolio.status import UNDER_GJENNOMFORING, VEDTATT

DOCUMENT = {
    "programme": {"name": "Prøveprogram", "plan_period": [2026, 2027]},
    "groups": [{"number": 1, "name": "Skole"}],
    "measures": [{"code": "1.1", "group": 1, "title": "Færre skoler", "net_cost_change_mnok": {"2026": -0.3}}],
}
Q1 = Quarter(2026, 1)


def _figures_file() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Tiltak", "År", "Kvartal", "Realisert hittil i år (kr)", "Prognose helår (kr)"])
    workbook.active.append(["1.1", 2026, 1, 0, 300_000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture()
def measure(db, make_user) -> Measure:
    importing.import_document(DOCUMENT, SYSTEM)
    found = db.session.scalar(select(Measure).where(Measure.code == "1.1"))
    found.status = VEDTATT
    db.session.add(
        QuarterlyFigure(measure_id=found.id, year=2026, quarter=1, realised_to_date_nok=0, forecast_year_nok=1)
    )
    db.session.commit()
    return found


def _database() -> dict[str, list]:
    """Every row of every table: the whole (small) database, to compare before and after."""
    return {
        table.name: sorted((tuple(row) for row in _db.session.execute(select(table))), key=repr)
        for table in _db.metadata.sorted_tables
    }


def _figure() -> QuarterlyFigure:
    return _db.session.scalar(select(QuarterlyFigure))


WRITES = {
    "benefits.close_quarter": lambda _m: benefits.close_quarter(Q1, None),
    "benefits.record_figures": lambda m: benefits.record_figures(m, Q1, benefits.FigureInput(0, 300_000), None),
    "benefits.approve_figure": lambda _m: benefits.approve_figure(_figure(), None),
    "benefits.set_take_out": lambda m: benefits.set_take_out(m, 2026, 100_000, "", None),
    "benefits.change_plan": lambda m: benefits.change_plan(m, 2026, 100_000, "Fordi", None),
    "benefits.import_figures": lambda m: figures_import.import_figures(m.programme, _figures_file(), None),
    "portfolio.set_planned_saving": lambda m: portfolio.set_planned_saving(m, 2026, 100_000, "Fordi", None),
    "portfolio.update_measure": lambda m: portfolio.update_measure(m, None, m.version, {"title": "Ny"}, {}),
    "portfolio.change_status": lambda m: portfolio.change_status(
        m, None, m.version, UNDER_GJENNOMFORING, date(2026, 2, 1)
    ),
    "portfolio.assign_owner": lambda m: portfolio.assign_owner(m, None, m.version, None),
    "measures.import_document": lambda _m: importing.import_document({**DOCUMENT, "measures": []}, None),
    "measures.import_file": lambda _m: importing.import_file("portefolje.json", None),
    "measures.import_upload": lambda _m: importing.import_upload("portefolje.json", None),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_each_write_refuses_none_as_the_actor_and_stores_nothing(measure, db, write):
    before = _database()
    with pytest.raises(NoActorError):
        write(measure)
    db.session.rollback()
    assert _database() == before


def test_the_command_line_acts_as_system_with_every_right(measure, db):
    """SYSTEM is accepted by name: the writes the commands make go through and are audited as "system"."""
    benefits.set_take_out(measure, 2026, 100_000, "Ramme", SYSTEM)
    benefits.approve_figure(_figure(), SYSTEM)
    db.session.commit()
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("benefits.%"))).all()
    assert {(entry.action, entry.username, entry.user_id) for entry in entries} == {
        ("benefits.take_out", "system", None),
        ("benefits.approve", "system", None),
    }
