"""Long lists a page at a time: 200 rows per page, links to the pages either side, bounded counts."""

import re

import pytest
from sqlalchemy import select

from bench.generate import generate
from tests.helpers import DATA_FILE
from tracker.accounts.permissions import SYSTEM
from tracker.audit.models import AuditEntry
from tracker.measures.importing import import_file
from tracker.portfolio.models import Measure
from tracker.web.paging import page_of

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4


def _link(number: int) -> str:
    return f"?side={number}"


@pytest.mark.parametrize(
    ("rows", "asked", "shown", "number", "prev_href", "next_href"),
    [
        (0, 1, [], 1, "", ""),
        (200, 1, list(range(200)), 1, "", ""),
        (201, 1, list(range(200)), 1, "", "?side=2"),
        (201, 2, [200], 2, "?side=1", ""),
        (450, 2, list(range(200, 400)), 2, "?side=1", "?side=3"),
        (450, 99, list(range(400, 450)), 3, "?side=2", ""),  # past the end: the last page
    ],
)
def test_page_of_a_list_in_memory(rows, asked, shown, number, prev_href, next_href):
    page = page_of(list(range(rows)), asked, _link)
    assert (list(page.rows), page.number, page.prev_href, page.next_href) == (shown, number, prev_href, next_href)
    assert page.total == rows


@pytest.fixture()
def large(db, make_user, login):
    """Elverum and 450 measures in all, each with 24 quarters of figures (half unapproved); an admin."""
    import_file(DATA_FILE, SYSTEM)
    db.session.commit()
    admin = make_user("admin")
    generate(450)
    assert login(admin).status_code == 302
    return admin


def _rows(html: str) -> int:
    return html.count("<tr")


def test_the_overview_shows_200_measures_a_page_and_totals_all(large, client, db):
    first = client.get("/portefolje/").get_data(as_text=True)
    second = client.get("/portefolje/?side=2").get_data(as_text=True)
    assert "Tiltak (450 vist)" in first and "Tiltak (450 vist)" in second
    assert "Side 1 av 3 (450 tiltak)" in first and 'href="/portefolje/?side=2"' in first
    assert "Side 2 av 3 (450 tiltak)" in second and "Forrige side" in second
    codes = db.session.scalars(select(Measure.code).order_by(Measure.sort_key)).all()
    assert f">{codes[199]}</td>" in first and f">{codes[200]}</td>" not in first
    assert f">{codes[200]}</td>" in second and f">{codes[399]}</td>" in second and f">{codes[400]}</td>" not in second
    # The totals in the footer are over every measure shown by the filter, not over the page.
    totals = re.findall(r'data-year="2026">([^<]+)<', first)
    assert totals == re.findall(r'data-year="2026">([^<]+)<', second)


def test_the_dashboard_pages_its_measure_table(large, client):
    html = client.get("/gevinster/?year=2026&quarter=2026-Q4").get_data(as_text=True)
    shown = int(re.search(r"Side 1 av 2 \((\d+) tiltak\)", html).group(1))  # the measures that count
    assert 200 < shown <= 400
    assert 'href="/gevinster/?side=2&amp;year=2026&amp;quarter=2026-Q4"' in html
    page_two = client.get("/gevinster/?year=2026&quarter=2026-Q4&side=2").get_data(as_text=True)
    assert f"Side 2 av 2 ({shown} tiltak)" in page_two


def test_the_periods_page_shows_one_quarter_at_a_time_when_many_wait(large, client):
    html = client.get("/gevinster/perioder").get_data(as_text=True)
    # 450 measures × 12 unapproved quarters: listed one quarter at a time, oldest first.
    assert "de vises ett kvartal om gangen" in html
    assert "<strong>1. kvartal 2025: 450 tall</strong>" in html
    assert 'href="/gevinster/perioder?kvartal=2026-Q3">3. kvartal 2026: 450 tall</a>' in html
    assert "Side 1 av 3 (450 kvartalstall)" in html
    later = client.get("/gevinster/perioder?kvartal=2026-Q3&side=3").get_data(as_text=True)
    assert "Side 3 av 3 (450 kvartalstall)" in later
    assert later.count("Godkjenn ") == 50 and "2026-Q3</button>" in later and "2025-Q1</button>" not in later


def test_the_audit_log_counts_only_the_first_ten_pages(client, make_user, login, db):
    make_user("admin", username="sjef")
    db.session.add_all(AuditEntry(action="measure.update", username="per") for _ in range(520))
    db.session.commit()
    login("sjef")
    first = client.get("/logg/", query_string={"action": "measure.update"}).get_data(as_text=True)
    last = client.get("/logg/", query_string={"action": "measure.update", "page": 11}).get_data(as_text=True)
    assert "Side 1 (over 500 hendelser)." in first and "Neste side" in first
    assert _rows(last) - 1 == 20 and "Neste side" not in last and "Forrige side" in last
