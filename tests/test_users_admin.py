"""User administration: only admins, one-time passwords shown once, disabling ends sessions."""

import re

import pytest
from sqlalchemy import select

from tests.helpers import TEST_PASSWORD
from tracker.accounts.models import User
from tracker.audit.models import AuditEntry


@pytest.fixture()
def admin(make_user, login):
    user = make_user("admin", username="admin")
    login(user)
    return user


def _user(db, username: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def test_admin_lists_users_and_sees_the_nav_link(admin, client, make_user):
    make_user("leser", username="lars", full_name="Lars Leser")
    html = client.get("/brukere/").get_data(as_text=True)
    assert "Lars Leser" in html and "Leser" in html
    assert 'href="/brukere/">Brukere</a>' in html


@pytest.mark.parametrize("role", ["leser", "ledergruppe", "tiltaksansvarlig"])
def test_only_admins_reach_user_administration(client, login, make_user, role):
    user = make_user(role)
    login(user)
    assert client.get("/brukere/").status_code == 403
    assert client.post("/brukere/ny", data={"username": "x", "role": "admin", "password": "a" * 12}).status_code == 403
    assert client.post(f"/brukere/{user.id}", data={"role": "admin", "is_enabled": "y"}).status_code == 403
    assert 'href="/brukere/"' not in client.get("/portefolje/").get_data(as_text=True)


def test_create_user_with_a_generated_one_time_password(admin, client, app, login, db):
    response = client.post("/brukere/ny", data={"username": "tove", "full_name": "Tove T", "role": "tiltaksansvarlig"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = re.search(r'<code class="one-time-password">([^<]+)</code>', response.get_data(as_text=True)).group(1)
    user = _user(db, "tove")
    assert user.role == "tiltaksansvarlig" and user.must_change_password
    assert password not in user.password_hash
    other = app.test_client()
    assert login("tove", password, using=other).status_code == 302
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "user.create", AuditEntry.object_label == "tove")
    )
    assert entry.username == "admin"


def test_create_user_errors_are_shown_by_the_field_and_input_kept(admin, client, make_user):
    make_user("leser", username="opptatt")
    taken = client.post("/brukere/ny", data={"username": "opptatt", "full_name": "Ola", "role": "leser"})
    assert taken.status_code == 400
    assert "allerede i bruk" in taken.get_data(as_text=True) and 'value="Ola"' in taken.get_data(as_text=True)
    short = client.post("/brukere/ny", data={"username": "ny", "role": "leser", "password": "kort"})
    assert short.status_code == 400 and "minst 10 tegn" in short.get_data(as_text=True)
    bad_mail = client.post("/brukere/ny", data={"username": "ny", "role": "leser", "email": "ikke-epost"})
    assert bad_mail.status_code == 400 and "gyldig e-postadresse" in bad_mail.get_data(as_text=True)


def test_disabling_a_user_ends_their_sessions(admin, client, app, login, make_user, db):
    user = make_user("leser", username="lise", full_name="Lise")
    theirs = app.test_client()
    login(user, using=theirs)
    assert theirs.get("/portefolje/").status_code in (200, 404)
    response = client.post(f"/brukere/{user.id}", data={"full_name": "Lise L", "email": "", "role": "leser"})
    assert response.status_code == 302
    assert _user(db, "lise").is_enabled is False
    assert theirs.get("/portefolje/").status_code == 302  # back to the log-in page
    assert login(user, using=app.test_client()).status_code == 401
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.update"))
    assert entry.changes["is_enabled"] == {"old": True, "new": False}


def test_admin_changes_role_but_not_their_own(admin, client, make_user, db):
    user = make_user("leser", username="rolf")
    data = {"full_name": "Rolf", "role": "tiltaksansvarlig", "is_enabled": "y"}
    assert client.post(f"/brukere/{user.id}", data=data).status_code == 302
    assert _user(db, "rolf").role == "tiltaksansvarlig"
    own = client.post(f"/brukere/{admin.id}", data={"role": "leser", "is_enabled": "y"})
    assert own.status_code == 400 and "din egen rolle" in own.get_data(as_text=True)
    assert _user(db, "admin").role == "admin"


def test_password_reset_shows_a_new_password_once_and_ends_sessions(admin, client, app, login, make_user, db):
    user = make_user("leser", username="pia")
    theirs = app.test_client()
    login(user, using=theirs)
    response = client.post(f"/brukere/{user.id}/passord", data={"password": ""})
    assert response.status_code == 200
    password = re.search(r'<code class="one-time-password">([^<]+)</code>', response.get_data(as_text=True)).group(1)
    assert theirs.get("/portefolje/").status_code == 302
    assert login("pia", TEST_PASSWORD, using=app.test_client()).status_code == 401
    assert login("pia", password, using=app.test_client()).status_code == 302
