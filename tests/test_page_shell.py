"""What every page renders around its content, built once and reused: the templates' links
(tracker.web.urls) and the header's menu and user box (tracker.main.header). Each must show what a
freshly built one would: the mount point, the values given, the reader's own name, role and token."""

from flask import render_template_string, url_for
from markupsafe import escape

from tests.helpers import CSRF_TOKEN, csrf_browser
from tracker.accounts.permissions import SYSTEM
from tracker.accounts.services import update_user


def _link(template: str, **context) -> str:
    return render_template_string(template, **context)


def test_template_links_are_the_links_flask_builds(app):
    with app.test_request_context("/"):
        for _ in range(2):  # built, then reused
            assert _link("{{ url_for('benefits.dashboard') }}") == url_for("benefits.dashboard")
            assert _link("{{ url_for('portfolio.measure', measure_id=7) }}") == "/portefolje/tiltak/7"
            assert _link("{{ url_for('portfolio.overview', gruppe='2', side=3) }}") == escape(
                url_for("portfolio.overview", gruppe="2", side=3)
            )
            assert _link("{{ url_for('portfolio.overview', _anchor='tabell') }}") == "/portefolje/#tabell"


def test_true_and_one_are_different_links(app):
    with app.test_request_context("/"):
        assert _link("{{ url_for('portfolio.overview', vis=1) }}") == "/portefolje/?vis=1"
        assert _link("{{ url_for('portfolio.overview', vis=True) }}") == "/portefolje/?vis=True"


def test_a_link_follows_the_mount_point(app):
    with app.test_request_context("/"):
        assert _link("{{ url_for('benefits.dashboard') }}") == "/gevinster/"
    with app.test_request_context("/", base_url="http://localhost/tiltak/"):
        assert url_for("benefits.dashboard") == "/tiltak/gevinster/"
        assert _link("{{ url_for('benefits.dashboard') }}") == "/tiltak/gevinster/"
    with app.test_request_context("/"):
        assert _link("{{ url_for('benefits.dashboard') }}") == "/gevinster/"


def test_a_relative_endpoint_is_the_current_blueprints(app):
    with app.test_request_context("/portefolje/"):
        app.preprocess_request()  # routes the request: the blueprint is portfolio's
        assert _link("{{ url_for('.overview') }}") == "/portefolje/"


def _header(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_the_menu_follows_the_role_and_the_box_the_name(client, login, make_user, db):
    admin = make_user("admin", username="sjef", full_name="Kari Sjef")
    reader = make_user("leser", username="leser", full_name="Per Leser")
    assert login(admin).status_code == 302
    admin_header = _header(client.get("/gevinster/").get_data(as_text=True))
    assert "Brukere" in admin_header and "Kari Sjef (admin)" in admin_header
    other = client.application.test_client()
    assert login(reader, using=other).status_code == 302
    reader_header = _header(other.get("/gevinster/").get_data(as_text=True))
    assert "Brukere" not in reader_header and "Endringslogg" not in reader_header
    assert "Per Leser (leser)" in reader_header and "Kari Sjef" not in reader_header
    assert "Mine tiltak" not in reader_header

    update_user(db.session.get(type(reader), reader.id), SYSTEM, "tiltaksansvarlig", "Per Eier", None, True)
    db.session.commit()
    renamed = _header(other.get("/gevinster/").get_data(as_text=True))
    assert "Per Eier (tiltaksansvarlig)" in renamed and "Mine tiltak" in renamed and "Per Leser" not in renamed


def test_each_reader_logs_out_with_their_own_token(csrf_app, make_user):
    make_user("leser", username="en", full_name="Samme Navn")
    make_user("leser", username="to", full_name="Samme Navn")  # the same user box, so the same cached HTML
    first, second = csrf_browser(csrf_app, "en"), csrf_browser(csrf_app, "to")
    first_token = CSRF_TOKEN.findall(_header(first.get("/gevinster/").get_data(as_text=True)))
    second_token = CSRF_TOKEN.findall(_header(second.get("/gevinster/").get_data(as_text=True)))
    assert len(first_token) == len(second_token) == 1 and first_token != second_token
    assert first.post("/logout", data={"csrf_token": second_token[0]}).status_code == 400  # not theirs
    assert first.post("/logout", data={"csrf_token": first_token[0]}).status_code == 302
    assert first.get("/gevinster/").status_code == 302  # logged out: to the log-in page
