"""The API's lists: every one with its declared columns, paged with `next`, ETag/304, CSV for Norwegian Excel."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from tracker.accounts.permissions import SYSTEM
from tracker.api.resources import RESOURCES
from tracker.kpis import services as kpis
from tracker.periods import Quarter
from tracker.portfolio.status import VEDTATT
from tracker.risks import services as risks
from tracker.staff import services as staff

Q3 = Quarter(2026, 3)
SCORES = {"ledelsesforankring": 2, "kapasitet": 4, "kompetanse": 1, "avhengigheter": 3, "medvirkning": 2}

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture()
def followed(make_measure, make_figures, make_update, db):
    """Two measures with something in every list: figures, an update, a milestone, a KPI, risks, consequences."""
    milestone = {"what": "Nytt system i drift", "when_text": "Høst 2026", "due_date": "2026-09-30", "source": "plan"}
    first = make_measure("1.1", plan={2026: 300_000}, status=VEDTATT, milestones=[milestone])
    second = make_measure("2.11", plan={2026: -1_120_000}, status=VEDTATT, title='=HYPERLINK("http://x")')
    make_figures(first, Q3, 100_000, 300_000, later={2027: 350_000})
    make_update(first, Q3, "grønn", progress="Godt i gang")
    make_update(second, Q3, "gul", submit=False)  # a draft: not listed
    kpi = kpis.create_kpi(
        first, SYSTEM, {"name": "Sykefravær", "direction": "lower", "unit": "%", "baseline_value": Decimal("9")}
    )
    kpis.record_measurement(kpi, SYSTEM, Q3, Decimal("7.5"))
    risks.indicators()
    risks.create_assessment(first, SYSTEM, date(2026, 2, 1), SCORES)
    risks.create_assessment(first, SYSTEM, date(2026, 9, 1), {**SCORES, "kapasitet": 5})
    risks.add_risk_item(
        first, SYSTEM, {"description": "Forsinket levering", "probability_before": 3, "consequence_before": 5}
    )
    staff.save_consequence(first, SYSTEM, {"affected_units": "Barnehagene", "fte_change_planned": Decimal("-1.5")})
    db.session.commit()
    return {"1.1": first, "2.11": second}


@pytest.fixture()
def get(client, make_api_token):
    """get(path, **headers) → the response of a GET with an admin's token (admins read every list)."""
    token = make_api_token("admin")

    def _get(path: str, **headers):
        return client.get(path, headers={"Authorization": f"Bearer {token}", **headers})

    return _get


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda resource: resource.name)
def test_every_list_answers_items_and_next_with_its_declared_columns(followed, get, resource):
    response = get(f"/api/v1/{resource.name}")

    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert list(body) == ["items", "next"] and body["next"] is None
    assert body["items"], "every list has rows in this portfolio"
    for item in body["items"]:
        assert list(item) == [column.name for column in resource.fields]
        for column in resource.fields:
            assert item[column.name] is not None or column.is_nullable, (resource.name, column.name)


def test_the_follow_up_lists_hold_what_the_pages_show(followed, get):
    def items(name):
        return get(f"/api/v1/{name}").get_json()["items"]

    assert [(row["code"], row["period"], row["confidence"]) for row in items("status-updates")] == [
        ("1.1", "2026-Q3", "grønn")
    ]
    milestone = items("milestones")[0]
    assert (milestone["due_date"], milestone["state"], milestone["when_text"]) == ("2026-09-30", "late", "Høst 2026")
    kpi = items("kpis")[0]
    assert (kpi["baseline_value"], kpi["latest_value"], kpi["latest_period"], kpi["trend"]) == (
        9,
        7.5,
        "2026-Q3",
        "bedre",
    )
    assert [(row["kpi_id"], row["value"]) for row in items("kpi-measurements")] == [(kpi["id"], 7.5)]
    assessments = items("risk-assessments")
    assert [(row["assessed_date"], row["is_latest"], row["level"], row["score_kapasitet"]) for row in assessments] == [
        ("2026-02-01", False, "middels", 4),
        ("2026-09-01", True, "høy", 5),
    ]
    assert items("measures")[0]["org_risk_level"] == "høy"
    risk = items("risk-items")[0]
    assert (risk["score_before"], risk["level_before"], risk["score_after"]) == (15, "høy", None)
    assert items("employee-consequences")[0]["fte_change_planned"] == -1.5
    assert items("quarterly-figures")[0]["realised_to_date_nok"] == 100_000
    assert items("programmes")[0]["is_default"] is True
    assert [row["number"] for row in items("groups")] == [1, 2]
    assert items("audit-entries")[0]["action"] == "api_token.use"


def test_paging_follows_next_to_the_end(followed, get, make_measure):
    for number in range(3, 8):
        make_measure(f"1.{number}", plan={2026: number * 1000})
    whole = get("/api/v1/measures").get_json()["items"]

    pages, url = [], "/api/v1/measures?limit=2&year=2026&name=ignored"
    while url:
        body = get(url).get_json()
        assert len(body["items"]) <= 2
        pages.append(body["items"])
        url = body["next"]
        assert url is None or url.startswith("http://localhost/api/v1/measures?") and "year=2026" in url

    assert len(pages) == 4 and [item["code"] for page in pages for item in page] == [item["code"] for item in whole]


def test_the_audit_trail_is_paged_in_the_database(followed, get):
    first = get("/api/v1/audit-entries?limit=3").get_json()
    second = get(first["next"]).get_json()
    assert len(first["items"]) == 3 and second["items"]
    assert first["items"][-1]["id"] > second["items"][0]["id"]  # newest first, no overlap


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("limit=0", 400),
        ("limit=10001", 400),
        ("limit=abc", 400),
        ("cursor=-1", 400),
        ("as_of=2026-Q5", 400),
        ("year=2019", 400),
        ("format=xml", 400),
        ("programme=999", 404),
        ("programme=Finnes ikke", 404),
        ("programme=99999999999999999999", 404),
        ("programme=ab%00c", 400),
        ("limit=%C2%B2", 400),
        ("year=" + "9" * 5000, 400),
        ("cursor=99999999999999999999", 400),
    ],
)
def test_bad_parameters_are_refused_with_a_message(followed, get, query, status):
    response = get(f"/api/v1/measures?{query}")
    assert response.status_code == status and response.get_json()["error"]["message"]


def test_a_programme_is_chosen_by_id_or_name(followed, get, make_programme, make_measure):
    first = followed["1.1"].programme
    other = make_programme(name="Neste program", start_year=2030, end_year=2033, targets_nok={})
    make_measure("1.1", plan={2030: 5_000}, status="vedtatt")
    programmes = get("/api/v1/programmes").get_json()["items"]
    # Without a choice in the web, the newest open programme is the default.
    assert [(row["name"], row["is_default"], row["is_closed"]) for row in programmes] == [
        ("Omstilling test", False, False),
        ("Neste program", True, False),
    ]

    default = get("/api/v1/measures?year=2030").get_json()["items"]
    by_id = get(f"/api/v1/measures?programme={other.id}&year=2030").get_json()["items"]
    by_name = get("/api/v1/measures?programme=Neste program&year=2030").get_json()["items"]
    assert by_id == by_name == default and [(row["code"], row["year"], row["planned_nok"]) for row in by_id] == [
        ("1.1", 2030, 5_000)
    ]
    earlier = get(f"/api/v1/measures?programme={first.id}").get_json()["items"]
    assert sorted(row["code"] for row in earlier) == ["1.1", "2.11"]
    assert {row["programme_id"] for row in earlier} == {first.id}


# --- ETag ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/measures", "/api/v1/measures.csv", "/api/v1/summary?format=csv"])
def test_an_unchanged_list_is_not_sent_again(followed, get, path):
    first = get(path)
    etag = first.headers["ETag"]

    again = get(path, **{"If-None-Match": etag})

    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert get(path, **{"If-None-Match": '"anders"'}).status_code == 200
    assert first.headers["Cache-Control"] == "private, no-cache" and "Authorization" in first.headers["Vary"]


def test_a_change_gives_a_new_etag(followed, get, make_figures):
    before = get("/api/v1/measure-years").headers["ETag"]
    make_figures(followed["1.1"], Q3, 150_000, 300_000)
    response = get("/api/v1/measure-years", **{"If-None-Match": before})
    assert response.status_code == 200 and response.headers["ETag"] != before


# --- CSV ------------------------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda resource: resource.name)
def test_every_list_has_a_csv_variant_with_the_same_rows(followed, get, resource):
    response = get(f"/api/v1/{resource.name}.csv")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{resource.name}.csv"'
    rows = _csv_rows(response)
    assert rows[0] == [column.name for column in resource.fields]
    assert len(rows) - 1 == len(get(f"/api/v1/{resource.name}").get_json()["items"])
    assert get(f"/api/v1/{resource.name}?format=csv").data == response.data


def test_csv_cells_open_as_numbers_in_norwegian_excel_and_never_as_formulas(followed, get):
    header, *rows = _csv_rows(get("/api/v1/measures.csv?year=2026"))
    by_code = {row[header.index("code")]: dict(zip(header, row, strict=True)) for row in rows}

    assert by_code["2.11"]["title"] == '\'=HYPERLINK("http://x")'
    assert by_code["2.11"]["planned_nok"] == "-1120000"
    assert by_code["1.1"]["is_adopted"] == "true" and by_code["1.1"]["owner_username"] == ""
    header, *rows = _csv_rows(get("/api/v1/kpi-measurements.csv"))
    assert rows[0][header.index("value")] == "7,5"


def test_csv_is_whole_unless_a_page_is_asked_for(followed, get):
    assert len(_csv_rows(get("/api/v1/measure-years.csv"))) == 1 + 2 * 4
    paged = get("/api/v1/measure-years.csv?limit=3")
    assert len(_csv_rows(paged)) == 1 + 3
    assert paged.headers["Link"] == '<http://localhost/api/v1/measure-years.csv?limit=3&cursor=3>; rel="next"'
