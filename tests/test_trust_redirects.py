"""After log-in the tracker only follows `next` to a page of its own, however the target is disguised."""

import pytest

from tracker.web.paths import local_path

OFF_SITE = [
    "/%09/evil.example/",  # a tab browsers drop: "//evil.example/"
    "/%0d%0a/x",  # CR LF: header injection, was a 500
    "/%0a/evil.example",
    "/%0d/evil.example",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
    "/%252F%252Fevil.example",  # decoded twice on the way: "///evil.example"
    "/%2509/evil.example",
    " //evil.example",
    "evil.example",
    "/%7f/evil.example",
    "/%00/evil.example",
]
ON_SITE = [
    ("/portefolje/", "/portefolje/"),
    ("/portefolje/?side=2%26x%3D1", "/portefolje/?side=2&x=1"),
    ("/gevinster/?kvartal=2026-Q3", "/gevinster/?kvartal=2026-Q3"),
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_log_in_with_an_off_site_next_lands_on_the_front_page(client, make_user, target):
    make_user("leser", username="kari")
    assert client.get(f"/login?next={target}").status_code == 200

    response = client.post(f"/login?next={target}", data={"username": "kari", "password": "riktig-passord-123"})

    assert response.status_code == 302
    assert response.location == "/"


@pytest.mark.parametrize(("query", "expected"), ON_SITE)
def test_log_in_follows_next_to_a_page_of_the_tracker(client, make_user, query, expected):
    make_user("leser", username="kari")
    response = client.post(f"/login?next={query}", data={"username": "kari", "password": "riktig-passord-123"})
    assert response.status_code == 302
    assert response.location == expected


def test_a_page_that_needs_log_in_is_shown_after_it(client, make_user):
    make_user("leser", username="kari")
    to_login = client.get("/gevinster/?kvartal=2026-Q3")
    assert to_login.status_code == 302

    response = client.post(to_login.location, data={"username": "kari", "password": "riktig-passord-123"})

    assert response.location == "/gevinster/?kvartal=2026-Q3"


@pytest.mark.parametrize(
    "target",
    ["/\t/evil.example/", "/\r\n/x", "//evil.example", "/\\evil", "/%5Cevil", "/%2F/evil", "/%252F/evil", None, ""],
)
def test_local_path_refuses_what_could_leave_the_site(target):
    assert local_path(target) is None


@pytest.mark.parametrize("target", ["/", "/portefolje/", "/tiltak/3?fane=risiko", "/s%C3%B8k?q=%C3%A6"])
def test_local_path_keeps_a_path_of_the_site(target):
    assert local_path(target) == target
