"""Pages rendered once per data version: the periods page, the ledger, the measure page's accounting
panel and the audit log. Each reader's forms carry the reader's own CSRF token, what differs by role
is never shared between roles, and a write (or a new audit entry) shows at once."""

import pytest
from sqlalchemy import select

from tests.helpers import CSRF_TOKEN, csrf_browser
from tracker.accounting.models import AccountingFilter
from tracker.benefits.models import QuarterlyFigure
from tracker.periods import Quarter
from tracker.portfolio.status import VEDTATT
from tracker.readmodel import cache
from tracker.readmodel.cache import cached, store
from tracker.readmodel.fragments import CSRF_FIELD_SLOT, CSRF_TOKEN_SLOT

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4

Q3 = Quarter(2026, 3)


def _tokens(html: str) -> set[str]:
    assert CSRF_TOKEN_SLOT not in html and CSRF_FIELD_SLOT not in html
    return set(CSRF_TOKEN.findall(html))


@pytest.fixture()
def waiting(make_measure, make_user, make_figures):
    """An adopted measure with an unapproved figure for 2026-Q3 entered by its owner; two admins."""
    owner = make_user("tiltaksansvarlig", username="eier")
    measure = make_measure("1.1", plan={2026: 1_000_000}, status=VEDTATT, owner=owner)
    figure = make_figures(measure, Q3, 250_000, 900_000)
    return measure, figure, make_user("admin", username="kari"), make_user("admin", username="ola")


def test_the_periods_page_gives_each_admin_their_own_token_and_approves_with_it(csrf_app, waiting, db):
    measure, figure, _, _ = waiting
    kari, ola = csrf_browser(csrf_app, "kari"), csrf_browser(csrf_app, "ola")
    kari_page = kari.get("/gevinster/perioder").get_data(as_text=True)  # computes and caches the list
    ola_page = ola.get("/gevinster/perioder").get_data(as_text=True)  # reuses it
    assert "Godkjenn 1.1 2026-Q3" in kari_page and "Godkjenn 1.1 2026-Q3" in ola_page
    # One token per page (the log-out form, the close form and every approve button), each reader's own.
    assert len(_tokens(kari_page)) == 1 and len(_tokens(ola_page)) == 1
    assert _tokens(kari_page) != _tokens(ola_page)

    [token] = _tokens(ola_page)
    response = ola.post(
        f"/gevinster/tall/{figure.id}/godkjenn",
        data={"csrf_token": token, "version": str(figure.version), "next": "/gevinster/perioder"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(QuarterlyFigure, figure.id).is_approved is True
    after = kari.get("/gevinster/perioder").get_data(as_text=True)
    assert "Godkjenn 1.1 2026-Q3" not in after and "Alle realiserte beløp er godkjent." in after


def test_the_ledger_gives_each_admin_their_own_token(csrf_app, waiting):
    measure, _, _, _ = waiting
    kari, ola = csrf_browser(csrf_app, "kari"), csrf_browser(csrf_app, "ola")
    kari_page = kari.get(f"/gevinster/tiltak/{measure.id}").get_data(as_text=True)
    ola_page = ola.get(f"/gevinster/tiltak/{measure.id}").get_data(as_text=True)
    assert "Godkjenn realisert for 3. kvartal 2026" in ola_page
    assert len(_tokens(kari_page)) == 1 and len(_tokens(ola_page)) == 1
    assert _tokens(kari_page) != _tokens(ola_page)


def test_the_accounting_panel_form_works_with_the_readers_token(csrf_app, waiting, db):
    measure, _, _, _ = waiting
    kari, ola = csrf_browser(csrf_app, "kari"), csrf_browser(csrf_app, "ola")
    kari.get(f"/portefolje/tiltak/{measure.id}")
    page = ola.get(f"/portefolje/tiltak/{measure.id}").get_data(as_text=True)
    assert "Legg til regnskapsfilter" in page
    [token] = _tokens(page)
    response = ola.post(f"/regnskap/tiltak/{measure.id}/filter", data={"csrf_token": token, "ansvar": "265"})
    assert response.status_code == 302
    assert db.session.scalars(select(AccountingFilter.ansvar)).all() == ["265"]
    # The filter shows at once, with a remove button carrying the reader's token.
    page = kari.get(f"/portefolje/tiltak/{measure.id}").get_data(as_text=True)
    assert "Fjern filter 1" in page and len(_tokens(page)) == 1


def test_what_an_admin_sees_is_never_shown_to_a_reader(client, login, waiting, make_user):
    measure, _, kari, _ = waiting
    reader = make_user("leser", username="lise")
    assert login(kari).status_code == 302
    for path in ("/gevinster/perioder", f"/gevinster/tiltak/{measure.id}", f"/portefolje/tiltak/{measure.id}"):
        assert client.get(path).status_code == 200  # cached for admins
    client.post("/logout")
    assert login(reader).status_code == 302
    periods = client.get("/gevinster/perioder").get_data(as_text=True)
    ledger = client.get(f"/gevinster/tiltak/{measure.id}").get_data(as_text=True)
    panel = client.get(f"/portefolje/tiltak/{measure.id}").get_data(as_text=True)
    assert "1.1 Tiltak 1.1" in periods and "Godkjenn 1.1" not in periods
    assert "3. kvartal 2026" in ledger and "Godkjenn realisert" not in ledger and "Endre tall" not in ledger
    assert "Bekreftet i regnskapet" in panel and "Legg til regnskapsfilter" not in panel


def test_a_new_audit_entry_and_its_user_show_at_once(client, login, make_user):
    admin = make_user("admin", username="sjef")
    assert login(admin).status_code == 302
    first = client.get("/logg/").get_data(as_text=True)
    assert '<option value="nykommer">' not in first
    # A log-in writes only bookkeeping (the data version stays), but it is a new entry in the log.
    newcomer = make_user("leser", username="nykommer")
    other = client.application.test_client()
    assert login(newcomer, using=other).status_code == 302
    after = client.get("/logg/").get_data(as_text=True)
    assert '<option value="nykommer">nykommer</option>' in after
    assert after.count("<tr>") == first.count("<tr>") + 2  # the new user and the log-in


def test_the_cache_keeps_what_was_used_last(app, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    store().entries.clear()
    for key in ("a", "b", "c"):
        cached(key, lambda key=key: key.upper())
    assert cached("a", lambda: "again") == "A"  # used again: now the most recent
    cached("d", lambda: "D")  # one too many: the least recently used ("b") goes
    assert cached("b", lambda: "computed again") == "computed again"
    assert cached("a", lambda: "again") == "A"
    assert len(store().entries) == 3


def test_the_cache_holds_a_bounded_amount_of_html(app, monkeypatch):
    monkeypatch.setattr(cache, "MAX_TEXT", 1_000)
    store().entries.clear()
    cached("dashboard", lambda: "x" * 600)
    cached("periods", lambda: ("y" * 300, "z" * 100))  # 1 000 characters in all: still fits
    assert list(store().entries) == ["dashboard", "periods"]
    cached("ledger", lambda: "w" * 200)  # the oldest goes to make room
    assert list(store().entries) == ["periods", "ledger"]
    store().entries.clear()  # as the tests and the benchmark do: the count starts again
    cached("overview", lambda: "v" * 900)
    assert list(store().entries) == ["overview"]
