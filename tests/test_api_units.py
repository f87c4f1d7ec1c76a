"""The API's pure pieces: reading the Authorization header, CSV cells for Norwegian Excel, paging."""

import base64
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tracker.api.auth import has_token_in_url, token_from_header
from tracker.api.fields import field
from tracker.api.listing import csv_cell, list_csv, list_json, window


def _basic(text: str) -> str:
    return "Basic " + base64.b64encode(text.encode("utf-8")).decode("ascii")


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer trk_abc", "trk_abc"),
        ("bearer   trk_abc  ", "trk_abc"),
        (_basic("hva-som-helst:trk_abc"), "trk_abc"),
        (_basic(":trk_abc"), "trk_abc"),
        (_basic("bruker:trk:med:kolon"), "trk:med:kolon"),
        (_basic("bruker:"), None),
        (_basic("bare-bruker"), None),
        ("Basic ikke-base64!", None),
        ("Bearer", None),
        ("Token trk_abc", None),
        ("", None),
        (None, None),
    ],
)
def test_the_token_is_read_from_bearer_or_the_basic_password(header, token):
    assert token_from_header(header) == token


@pytest.mark.parametrize(
    ("args", "refused"),
    [({"token": "x"}, True), ({"Access_Token": "x"}, True), ({"api_key": "x"}, True), ({"limit": "5"}, False)],
)
def test_a_token_in_the_url_is_recognised(args, refused):
    assert has_token_in_url(args) is refused


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (-1_120_000, "-1120000"),
        (Decimal("12.5000"), "12,5"),
        (Decimal("100"), "100"),
        (2.25, "2,25"),
        (date(2026, 3, 31), "2026-03-31"),
        (datetime(2026, 3, 31, 12, 5, tzinfo=UTC), "2026-03-31T12:05:00+00:00"),
        ("Vanlig tekst", "Vanlig tekst"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+47 999", "'+47 999"),
        ("-nedgang", "'-nedgang"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tfane", "'\tfane"),
    ],
)
def test_csv_cells_are_what_norwegian_excel_reads_and_never_a_formula(value, cell):
    assert csv_cell(value) == cell


def test_a_csv_list_has_a_bom_semicolons_and_the_header_even_without_rows():
    fields = (field("code", "string", "Kode"), field("planned_nok", "kroner", "Plan"))
    assert list_csv(fields, []) == "\ufeffcode;planned_nok\r\n".encode()
    body = list_csv(fields, [{"code": "2.11", "planned_nok": -5}, {"code": "a;b", "planned_nok": None}])
    assert body.decode("utf-8") == '\ufeffcode;planned_nok\r\n2.11;-5\r\n"a;b";\r\n'


def test_a_json_list_keeps_key_order_iso_dates_and_decimal_numbers():
    body = list_json([{"b": Decimal("1.50"), "a": date(2026, 1, 2), "c": Decimal("3")}], None)
    assert body == b'{"items":[{"b":1.5,"a":"2026-01-02","c":3}],"next":null}'


@pytest.mark.parametrize(
    ("offset", "limit", "items", "has_more"),
    [(0, 2, [0, 1], True), (2, 2, [2, 3], True), (4, 2, [4], False), (9, 2, [], False), (1, None, [1, 2, 3, 4], False)],
)
def test_a_window_is_one_page_and_says_whether_more_follow(offset, limit, items, has_more):
    rows = [{"n": n} for n in range(5)]
    assert window(rows, offset, limit) == ([{"n": n} for n in items], has_more)
