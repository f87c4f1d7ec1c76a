"""The read model's caches with two programmes: every cached figure and page fragment is keyed by the
programme it shows, so a switch (which changes no data and bumps no data version) never serves one
programme's figures on the other's page, to the user who switched or to anyone else."""

import re

import pytest
from sqlalchemy import select

from tracker.periods import Quarter
from tracker.readmodel.cache import store
from tracker.readmodel.models import DataVersion

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4

# The same query string for both programmes: only the chosen programme tells the pages apart.
DASHBOARD = "/gevinster/?year=2029&quarter=2026-Q4"


def planned(html: str) -> dict[str, int]:
    """The dashboard's planned savings per year, from its data-figure attributes."""
    found = re.findall(r'data-figure="year-(\d{4})-planned_nok" data-value="(-?\d*)"', html)
    return {year: int(value) for year, value in found if value}


def choose(client, programme) -> None:
    assert client.post("/programmer/velg", data={"programme_id": str(programme.id)}).status_code == 302


def data_version(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(DataVersion.version))


def cached_programme_ids(kind: str) -> set[int]:
    return {key[1] for key in store().entries if isinstance(key, tuple) and key[0] == kind}


def test_each_programme_shows_its_own_figures_right_after_switching(two_programmes, make_user, client, login, db):
    first, following = two_programmes["first"], two_programmes["next"]
    login(make_user("ledergruppe", "leder"))
    client.get("/oppfolging/risiko")  # its first visit stores the default risk indicators: a write

    # The default, Omstilling 2027: 1.1 plans 500 000 in 2027 and 700 000 in 2030, 3.1 250 000 in 2027.
    dashboard = client.get(DASHBOARD).get_data(as_text=True)
    assert "<h1>Gevinstrealisering: Omstilling 2027</h1>" in dashboard
    assert planned(dashboard) == {"2027": 750_000, "2028": 0, "2029": 0, "2030": 700_000}
    overview = client.get("/portefolje/").get_data(as_text=True)
    assert "Digital hjemmetjeneste" in overview and "Skolestruktur" not in overview
    risk = client.get("/oppfolging/risiko").get_data(as_text=True)
    assert "Risikobildet for porteføljen: Omstilling 2027" in risk and "Skolestruktur" not in risk

    version = data_version(db)
    choose(client, first)
    assert data_version(db) == version  # a switch is a preference, not data: every cache stays valid

    # Omstilling test: 1.1 plans 300 000 in 2026 and 600 000 in 2029, 2.1 200 000 in 2026.
    dashboard = client.get(DASHBOARD).get_data(as_text=True)
    assert "<h1>Gevinstrealisering: Omstilling test</h1>" in dashboard
    assert planned(dashboard) == {"2026": 500_000, "2027": 0, "2028": 0, "2029": 600_000}
    overview = client.get("/portefolje/").get_data(as_text=True)
    assert "Skolestruktur" in overview and "Færre institusjonsplasser" in overview
    assert "Digital hjemmetjeneste" not in overview
    risk = client.get("/oppfolging/risiko").get_data(as_text=True)
    assert "Risikobildet for porteføljen: Omstilling test" in risk and "Samlokalisering" not in risk

    # Both programmes' fragments are cached side by side at the same data version.
    for kind in ("dashboard", "overview", "risk_view", "programme_figures", "measure_summaries"):
        assert cached_programme_ids(kind) == {first.id, following.id}, kind

    choose(client, following)  # and back: served from the cache, still its own figures
    assert planned(client.get(DASHBOARD).get_data(as_text=True))["2027"] == 750_000
    assert "Digital hjemmetjeneste" in client.get("/portefolje/").get_data(as_text=True)
    assert data_version(db) == version


def test_two_users_on_different_programmes_never_see_each_others_pages(two_programmes, make_user, app, login):
    first = two_programmes["first"]
    on_next, on_first = app.test_client(), app.test_client()
    login(make_user("ledergruppe", "leder"), using=on_next)
    login(make_user("leser", "leser"), using=on_first)
    choose(on_first, first)

    for _ in range(2):  # the second round is served wholly from the caches
        assert planned(on_next.get(DASHBOARD).get_data(as_text=True))["2030"] == 700_000
        assert planned(on_first.get(DASHBOARD).get_data(as_text=True))["2029"] == 600_000
        assert "Skolestruktur" not in on_next.get("/portefolje/").get_data(as_text=True)
        assert "Digital hjemmetjeneste" not in on_first.get("/portefolje/").get_data(as_text=True)


def test_a_change_in_one_programme_reaches_its_own_pages(two_programmes, make_user, client, login, db):
    """A write bumps the data version: the changed programme's page is computed afresh, with the change."""
    login(make_user("admin"))
    assert planned(client.get(DASHBOARD).get_data(as_text=True))["2030"] == 700_000
    measure = two_programmes["measures"][("Omstilling 2027", "1.1")]
    response = client.post(
        f"/gevinster/tiltak/{measure.id}/plan",
        data={"version": str(measure.version), "year": "2030", "new_saving": "900 000", "reason": "Nytt vedtak"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert planned(client.get(DASHBOARD).get_data(as_text=True))["2030"] == 900_000
    choose(client, two_programmes["first"])
    assert planned(client.get(DASHBOARD).get_data(as_text=True))["2029"] == 600_000


def test_the_work_queue_and_its_dashboard_preview_are_kept_per_programme(
    two_programmes, make_update, make_user, app, login
):
    """Ledergruppe's work queue is cached per programme and day: two readers on two programmes at the
    same data version each get their own programme's queue, on /ledergruppe/ and on the dashboard."""
    first, following = two_programmes["first"], two_programmes["next"]
    # 2.1 (Omstilling test) asks for a decision in 2026-Q4: two items, the decision and the unreviewed update.
    make_update(
        two_programmes["measures"][(first.name, "2.1")], Quarter(2026, 4), "gul/rød", decisions_needed="Ny leverandør"
    )
    on_next, on_first = app.test_client(), app.test_client()
    login(make_user("ledergruppe", "leder"), using=on_next)
    login(make_user("leser", "leser"), using=on_first)
    choose(on_first, first)

    for _ in range(2):  # the second round is served from the cache
        queue = on_first.get("/ledergruppe/").get_data(as_text=True)
        assert "Beslutning etterspurt (1)" in queue and "Statusrapport til gjennomgang (1)" in queue
        assert "Færre institusjonsplasser" in queue and "Ny leverandør" in queue
        other = on_next.get("/ledergruppe/").get_data(as_text=True)
        assert "Ingenting venter på ledergruppa nå." in other and "Færre institusjonsplasser" not in other
        preview = on_first.get("/gevinster/").get_data(as_text=True)
        assert "2 saker: beslutning etterspurt (1), statusrapport til gjennomgang (1)." in preview
        assert "Færre institusjonsplasser" not in on_next.get("/gevinster/").get_data(as_text=True)
    assert cached_programme_ids("work_queue") == {first.id, following.id}
