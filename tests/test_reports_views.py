"""Report pages: archive, downloads, build now, recipient lists; admins only where it changes things."""

from sqlalchemy import select

from tracker.accounts.permissions import SYSTEM
from tracker.periods import Quarter
from tracker.reports import services
from tracker.reports.models import Report, ReportRecipient


def test_archive_lists_reports_with_pdf_and_html_downloads(make_measure, db, client, make_user, login):
    report = services.build_report(make_measure().programme, Quarter(2026, 3), "amu", SYSTEM)
    db.session.commit()
    login(make_user("leser"))
    page = client.get("/rapporter/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "2026-Q3" in text and "Arbeidsmiljøutvalget (AMU)" in text and "Manuelt" in text
    assert 'href="/rapporter/">Rapporter</a>' in text  # nav link
    assert "Bygg rapport nå" not in text  # readers cannot build
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
    make_measure()
    login(make_user("admin"))
    response = client.post("/rapporter/bygg", data={"period": "2026-Q9", "audience": "amu"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'value="2026-Q9"' in text
    assert "er ikke et kvartal" in text


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
