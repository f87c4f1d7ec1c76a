"""Records read once per data version (tracker.readmodel.records): a page's programme and measure come
without a statement between writes, a write by any worker shows at once, and a record this session has
changed is never replaced by the cached copy."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event, update

from tracker.portfolio import queries
from tracker.portfolio.models import Measure, Programme
from tracker.readmodel.records import cached_record
from tracker.readmodel.version import forget_version


@contextmanager
def _statements(db):
    """The SQL statements run inside the block."""
    seen: list[str] = []

    def note(conn, cursor, statement, *args):  # noqa: ARG001
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def _next_request(db):
    """What a new request starts with: an empty session that reads the data version again."""
    db.session.remove()
    forget_version(db.session())


@pytest.fixture()
def other_worker(make_app):
    """A second app instance on the same database: another gunicorn worker, or another host."""
    other = make_app()
    yield other
    from tracker.extensions import db

    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_measure_and_its_programme_come_without_a_statement_between_writes(db, make_measure):
    measure_id = make_measure("1.1", title="Færre plasser").id
    _next_request(db)
    first = queries.measure_record(measure_id)
    assert first.title == "Færre plasser"
    _next_request(db)
    with _statements(db) as seen:
        again = queries.measure_record(measure_id)
        assert (again.code, again.title, again.programme.name) == ("1.1", "Færre plasser", first.programme.name)
        assert again in db.session and again.programme in db.session
    assert len(seen) == 1 and "data_version" in seen[0], seen  # only the version, as every cached read


def test_a_write_by_another_worker_shows_at_the_next_request(db, make_measure, other_worker):
    measure_id = make_measure("1.1", title="Før").id
    _next_request(db)
    assert queries.measure_record(measure_id).title == "Før"
    programme_id = queries.current_programme().id
    with other_worker.app_context():
        db.session.execute(update(Measure).where(Measure.id == measure_id).values(title="Etter"))
        db.session.execute(update(Programme).where(Programme.id == programme_id).values(name="Omdøpt"))
        db.session.commit()
    _next_request(db)
    assert queries.measure_record(measure_id).title == "Etter"
    assert queries.current_programme().name == "Omdøpt"
    assert queries.measure_record(measure_id).programme.name == "Omdøpt"


def test_a_record_this_session_changed_is_not_replaced_by_the_copy(db, make_measure):
    measure_id = make_measure("1.1", title="Lagret").id
    _next_request(db)
    queries.measure_record(measure_id)  # cached now
    _next_request(db)
    with db.session.no_autoflush:
        changed = db.session.get(Measure, measure_id)
        changed.title = "Skrevet, ikke lagret"
        found = cached_record(Measure, measure_id)
    assert found is changed and found.title == "Skrevet, ikke lagret"
    db.session.rollback()


def test_a_missing_record_is_none_until_one_is_made(db, make_measure):
    _next_request(db)
    assert queries.measure_record(999_999) is None
    made_id = make_measure("2.1").id
    _next_request(db)
    assert queries.measure_record(made_id).code == "2.1"


def test_a_save_based_on_an_older_copy_is_refused(db, make_measure, other_worker):
    """The copy carries the version it was read at: a save made from it after another worker saved
    updates no row (version_id_col), so it cannot overwrite that save."""
    from tracker.database import flush_or_conflict
    from tracker.errors import EditConflict

    measure_id = make_measure("1.1", title="Første").id
    _next_request(db)
    stale = queries.measure_record(measure_id)
    with other_worker.app_context():
        db.session.get(Measure, measure_id).title = "Andres lagring"
        db.session.commit()
    stale.title = "Min lagring"
    with pytest.raises(EditConflict):
        flush_or_conflict(db.session)
    db.session.rollback()
    _next_request(db)
    assert queries.measure_record(measure_id).title == "Andres lagring"
