"""Report pages: archive, downloads, build now, recipient lists; admins only where it changes things."""

import pytest
from sqlalchemy import select

import config
from tracker.accounts.models import ROLES
from tracker.accounts.permissions import SYSTEM
from tracker.audit.models import AuditEntry
from tracker.periods import Quarter
from tracker.reports import services
from tracker.reports.models import Report, ReportRecipient


def test_archive_lists_reports_with_pdf_and_html_downloads(make_measure, db, client, make_user, login):
    # Issue 12 made AMU's reports readable only by AMU_REPORT_ROLES (admin, ledergruppe by default):
    # this test read AMU's report as a `leser`; it now reads it as ledergruppe, who cannot build either.
    report = services.build_report(make_measure().programme, Quarter(2026, 3), "amu", SYSTEM)
    db.session.commit()
    login(make_user("ledergruppe"))
    page = client.get("/rapporter/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    # Issue 14: the archive names the quarter the Norwegian way ("3. kvartal 2026", not "2026-Q3").
    assert "3. kvartal 2026" in text and "Arbeidsmiljøutvalget (AMU)" in text and "Manuelt" in text
    assert 'href="/rapporter/">Rapporter</a>' in text  # nav link
    assert "Bygg rapport nå" not in text  # only admins build
    pdf = client.get(f"/rapporter/{report.id}.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data == report.pdf_bytes
    assert "attachment" in pdf.headers["Content-Disposition"]
    html = client.get(f"/rapporter/{report.id}.html")
    assert html.mimetype == "text/html" and "Arbeidsmiljøutvalget" in html.get_data(as_text=True)


def test_archive_requires_login(client):
    assert client.get("/rapporter/").status_code == 302


def test_admin_builds_a_new_version_and_mails_it(make_measure, db, client, make_user, login, smtp_server):
    make_measure()
    db.session.add(ReportRecipient(audience="politikere", name="Ordfører", email="ordforer@example.no"))
    db.session.commit()
    login(make_user("admin"))
    for _ in range(2):
        response = client.post("/rapporter/bygg", data={"period": "2026-Q3", "audience": "politikere", "send": "y"})
        assert response.status_code == 302
    versions = sorted(r.version for r in db.session.scalars(select(Report)))
    assert versions == [1, 2]
    assert len(smtp_server.messages) == 2
    page = client.get("/rapporter/").get_data(as_text=True)
    assert "ordforer@example.no" in page


def test_build_form_keeps_input_and_shows_the_error_by_the_field(make_measure, client, make_user, login):
    """The quarter is chosen from the programme's quarters that have begun; anything else is refused by the field."""
    make_measure()
    login(make_user("admin"))
    form = client.get("/rapporter/").get_data(as_text=True)
    assert '<option value="">Velg kvartal</option><option value="2026-Q4">' in form
    response = client.post("/rapporter/bygg", data={"period": "2026-Q9", "audience": "amu"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'id="period-feil"' in text and "Velg et kvartal i listen." in text
    assert '<option selected value="amu">' in text
    untouched = client.post("/rapporter/bygg", data={"period": "", "audience": "amu", "send": "y"})
    assert untouched.status_code == 400 and "Velg kvartalet." in untouched.get_data(as_text=True)
    assert '<input checked id="send" name="send" type="checkbox" value="y">' in untouched.get_data(as_text=True)


def test_only_admins_build_reports(make_measure, db, client, make_user, login):
    make_measure()
    login(make_user("ledergruppe"))
    response = client.post("/rapporter/bygg", data={"period": "2026-Q3", "audience": "amu"})
    assert response.status_code == 403
    assert db.session.scalars(select(Report)).first() is None


def test_admin_adds_and_removes_recipients(app, db, client, make_user, login):
    login(make_user("admin"))
    response = client.post(
        "/rapporter/mottakere", data={"audience": "amu", "name": "Hovedverneombud", "email": "HVO@example.no"}
    )
    assert response.status_code == 302
    recipient = db.session.scalar(select(ReportRecipient))
    assert (recipient.audience, recipient.email) == ("amu", "hvo@example.no")
    duplicate = client.post(
        "/rapporter/mottakere", data={"audience": "amu", "name": "Igjen", "email": "hvo@example.no"}
    )
    assert duplicate.status_code == 400 and "allerede" in duplicate.get_data(as_text=True)
    page = client.get("/rapporter/mottakere").get_data(as_text=True)
    assert "data-confirm=" in page
    assert client.post(f"/rapporter/mottakere/{recipient.id}/fjern").status_code == 302
    assert db.session.scalar(select(ReportRecipient)) is None


def test_recipient_email_must_look_like_an_address(app, client, make_user, login):
    login(make_user("admin"))
    response = client.post("/rapporter/mottakere", data={"audience": "amu", "name": "X", "email": "ikke-en-adresse"})
    assert response.status_code == 400
    assert "gyldig e-postadresse" in response.get_data(as_text=True)


def test_readers_cannot_see_or_change_recipients(app, client, make_user, login):
    login(make_user("leser"))
    assert client.get("/rapporter/mottakere").status_code == 403


@pytest.mark.parametrize(
    ("roles", "role", "may_read"),
    [
        (("admin", "ledergruppe"), "admin", True),
        (("admin", "ledergruppe"), "ledergruppe", True),
        (("admin", "ledergruppe"), "tiltaksansvarlig", False),
        (("admin", "ledergruppe"), "leser", False),
        (("admin", "ledergruppe", "leser"), "leser", True),
        (("ledergruppe",), "admin", False),
    ],
)
def test_who_reads_amu_reports_is_configured_per_role(
    make_measure, db, client, make_user, login, app, monkeypatch, roles, role, may_read
):
    """Others get 403 on AMU's downloads and do not see AMU's reports in the archive; the
    politicians' reports stay readable by every logged-in user."""
    monkeypatch.setitem(app.config, "AMU_REPORT_ROLES", roles)
    programme = make_measure().programme
    amu = services.build_report(programme, Quarter(2026, 3), "amu", SYSTEM)
    politicians = services.build_report(programme, Quarter(2026, 3), "politikere", SYSTEM)
    db.session.commit()
    login(make_user(role))
    text = client.get("/rapporter/").get_data(as_text=True)
    assert (f"/rapporter/{amu.id}.pdf" in text) is may_read
    assert f"/rapporter/{politicians.id}.pdf" in text
    for kind in ("pdf", "html"):
        assert client.get(f"/rapporter/{amu.id}.{kind}").status_code == (200 if may_read else 403)
        assert client.get(f"/rapporter/{politicians.id}.{kind}").status_code == 200
    refusals = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "refused")).all()
    assert [entry.changes for entry in refusals] == ([] if may_read else [{"attempted": "report.read"}] * 2)


def test_the_default_amu_readers_are_admin_and_ledergruppe(app):
    assert tuple(app.config["AMU_REPORT_ROLES"]) == ("admin", "ledergruppe")


def test_a_mistyped_role_in_the_amu_setting_fails_at_start_up(monkeypatch):
    monkeypatch.setenv("AMU_REPORT_ROLES", "admin,ledergrupe")
    with pytest.raises(RuntimeError, match="ledergrupe"):
        config._env_roles("AMU_REPORT_ROLES", ())


def test_the_settings_know_the_same_roles_as_the_accounts():
    assert config.KNOWN_ROLES == ROLES
