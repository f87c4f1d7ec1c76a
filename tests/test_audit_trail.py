"""The audit trail: who, when, what, old → new; append-only; per-measure and global pages; CLI."""

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from tracker.accounts import services as accounts
from tracker.audit import labels
from tracker.audit import services as audit
from tracker.audit.models import AuditEntry, AuditImmutableError


def _entry(db, **fields) -> AuditEntry:
    entry = AuditEntry(**{"action": "measure.update", **fields})
    db.session.add(entry)
    db.session.commit()
    return entry


def test_a_role_change_records_who_when_and_old_to_new(make_user, db):
    admin = make_user("admin", username="sjef")
    kari = make_user("leser", username="kari")
    before = datetime.now(UTC)

    accounts.update_user(kari, admin, role="tiltaksansvarlig", full_name="Kari Nordmann", email=None, is_enabled=True)
    db.session.commit()

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.update"))
    assert entry.username == "sjef" and entry.user_id == admin.id
    assert (entry.object_type, entry.object_id, entry.object_label) == ("User", kari.id, "kari")
    assert entry.changes["role"] == {"old": "leser", "new": "tiltaksansvarlig"}
    assert entry.changes["full_name"] == {"old": "", "new": "Kari Nordmann"}
    assert before <= entry.at_dt <= datetime.now(UTC)
    assert entry.at_dt.tzinfo is not None


def test_an_entry_cannot_be_changed_through_the_orm(db):
    entry = _entry(db)
    entry.action = "noe annet"
    with pytest.raises(AuditImmutableError):
        db.session.commit()
    db.session.rollback()


def test_an_entry_cannot_be_deleted_through_the_orm(db):
    entry = _entry(db)
    db.session.delete(entry)
    with pytest.raises(AuditImmutableError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(
    "statement", [update(AuditEntry).values(action="skjult"), delete(AuditEntry)], ids=["update", "delete"]
)
def test_bulk_statements_on_entries_are_refused(db, statement):
    _entry(db)
    with pytest.raises(AuditImmutableError):
        db.session.execute(statement)
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry.action)) == "measure.update"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_entries SET action = 'skjult'",
        "DELETE FROM audit_entries",
        "UPDATE audit_entries SET user_id = NULL",
    ],
    ids=["update", "delete", "anonymise"],
)
def test_the_database_refuses_raw_sql_that_changes_or_deletes_entries(db, sql):
    """A trigger guards the rows on SQLite and PostgreSQL alike, whatever bypasses the ORM."""
    _entry(db)
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text(sql))
    db.session.expire_all()
    assert db.session.scalar(select(AuditEntry.action)) == "measure.update"


def test_the_guard_lets_entries_be_added(db):
    _entry(db)
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO audit_entries (at_dt, action) VALUES (CURRENT_TIMESTAMP, 'login')"))
    assert sorted(db.session.scalars(select(AuditEntry.action))) == ["login", "measure.update"]


def test_no_route_can_change_or_delete_entries(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("audit."):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


def test_a_refused_action_is_recorded(client, make_user, login, db):
    make_user("leser", username="kari")
    login("kari")
    assert client.get("/logg/").status_code == 403
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "refused"))
    assert entry.username == "kari" and entry.changes == {"attempted": "audit.view"}


def test_the_measure_log_shows_its_changes_to_any_reader_in_oslo_time(client, make_user, login, make_measure, db):
    measure, other = make_measure("1.1"), make_measure("2.1")
    entry = audit.record("measure.status", obj=measure, changes={"status": {"old": "foreslatt", "new": "vedtatt"}})
    entry.at_dt = datetime(2026, 6, 1, 10, 5, tzinfo=UTC)  # set before it is stored: Oslo summer time is +2
    audit.record("measure.status", obj=other, changes={"status": {"old": "foreslatt", "new": "avvist"}})
    db.session.commit()
    make_user("leser", username="kari")
    login("kari")

    response = client.get(f"/logg/tiltak/{measure.id}")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Status endret" in page
    assert "foreslatt → vedtatt" in page
    assert "01.06.2026 12:05" in page
    assert "avvist" not in page


def test_the_measure_log_of_an_unknown_measure_is_404(client, make_user, login):
    make_user("leser", username="kari")
    login("kari")
    assert client.get("/logg/tiltak/999999").status_code == 404


def test_the_global_log_filters_by_user_action_object_and_dates(client, make_user, login, db):
    make_user("admin", username="sjef")
    _entry(
        db,
        action="user.update",
        username="per",
        object_type="User",
        object_id=7,
        at_dt=datetime(2026, 1, 10, 12, tzinfo=UTC),
    )
    _entry(
        db,
        action="user.update",
        username="kari",
        object_type="User",
        object_id=8,
        at_dt=datetime(2026, 2, 10, 12, tzinfo=UTC),
    )
    _entry(
        db,
        action="measure.status",
        username="kari",
        object_type="Measure",
        object_id=3,
        at_dt=datetime(2026, 3, 10, 12, tzinfo=UTC),
    )
    login("sjef")

    def labels_shown(**query) -> int:
        page = client.get("/logg/", query_string=query).get_data(as_text=True)
        return page.count("<tr>") - 1  # minus the header row

    assert labels_shown(user="kari", from_date="01.01.2026", to_date="31.03.2026") == 2
    assert labels_shown(user="kari", action="user.update", from_date="2026-01-01") == 1
    assert labels_shown(object_type="User", object_id="7") == 1
    assert labels_shown(from_date="10.02.2026", to_date="10.02.2026") == 1


def test_date_filter_uses_oslo_days():
    # 1 January in Oslo begins at 23:00 UTC on 31 December (winter time).
    assert audit.oslo_day_start(date(2026, 1, 1)) == datetime(2025, 12, 31, 23, tzinfo=UTC)
    assert audit.oslo_day_start(date(2026, 7, 1)) == datetime(2026, 6, 30, 22, tzinfo=UTC)


def test_the_global_log_is_paginated(client, make_user, login, db):
    make_user("admin", username="sjef")
    for number in range(55):
        db.session.add(AuditEntry(action="measure.update", username="per", object_label=f"Tiltak {number}"))
    db.session.commit()
    login("sjef")

    first = client.get("/logg/", query_string={"action": "measure.update"}).get_data(as_text=True)
    second = client.get("/logg/", query_string={"action": "measure.update", "page": 2}).get_data(as_text=True)

    assert "Side 1 av 2" in first and "Neste side" in first
    assert second.count("<tr>") - 1 == 5


def test_audit_list_json_prints_entries_with_the_agreed_keys(runner, make_user, db):
    make_user("leser", username="kari")
    _entry(db, action="login.failed", username="kari", at_dt=datetime(2026, 3, 31, 22, 30, tzinfo=UTC))
    _entry(db, action="login.failed", username="per", at_dt=datetime(2026, 3, 31, 22, 31, tzinfo=UTC))
    _entry(db, action="login.failed", username="kari", at_dt=datetime(2026, 3, 30, 8, 0, tzinfo=UTC))

    result = runner.invoke(
        args=["audit", "list", "--json", "--user", "kari", "--action", "login.failed", "--since", "2026-04-01"]
    )

    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    # 22:30 UTC on 31 March is 00:30 on 1 April in Oslo.
    assert entries == [
        {"at": "2026-03-31T22:30:00+00:00", "user": "kari", "action": "login.failed", "object": None, "changes": None}
    ]


def test_audit_list_json_includes_the_object_and_changes_and_honours_the_limit(runner, make_user, db):
    admin = make_user("admin", username="sjef")
    accounts.update_user(admin, admin, role="admin", full_name="Sjefen", email=None, is_enabled=True)
    db.session.commit()

    result = runner.invoke(args=["audit", "list", "--json", "--limit", "1"])

    entries = json.loads(result.output)
    assert len(entries) == 1
    assert entries[0]["action"] == "user.update"
    assert entries[0]["object"] == {"type": "User", "id": admin.id, "label": "sjef"}
    assert entries[0]["changes"] == {"full_name": {"old": "", "new": "Sjefen"}}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"role": {"old": "leser", "new": "admin"}}, ["Rolle: leser → admin"]),
        ({"is_enabled": {"old": True, "new": False}}, ["Aktiv: ja → nei"]),
        ({"email": {"old": None, "new": "kari@elverum.kommune.no"}}, ["E-post: – → kari@elverum.kommune.no"]),
        ({"attempted": "audit.view"}, ["Forsøkt handling: audit.view"]),
        (None, []),
    ],
)
def test_changes_read_as_old_to_new(changes, expected):
    assert labels.change_lines(changes) == expected


def test_a_bad_filter_value_is_explained_by_its_field(client, make_user, login):
    make_user("admin", username="sjef")
    login("sjef")
    page = client.get("/logg/", query_string={"object_id": "tolv", "from_date": "32.13.2026"}).get_data(as_text=True)
    assert "Skriv et helt tall, for eksempel 12." in page
    assert "er ikke en dato" in page
    assert 'value="tolv"' in page
