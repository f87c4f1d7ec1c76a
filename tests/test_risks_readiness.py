"""The report's §4.2 in the workflow: a measure starts only with a reviewed assessment, strengthening
actions for high indicators and a go decision with its reference; the risk view sorts by level and
sums the load per leader and per unit."""

from datetime import date

import pytest
from sqlalchemy import select

from tracker.accounts.permissions import PermissionDenied
from tracker.audit.models import AuditEntry
from tracker.portfolio.models import StatusChange
from tracker.risks import load, readiness
from tracker.risks import services as risks

SCORES = {"ledelsesforankring": 2, "kapasitet": 4, "kompetanse": 2, "avhengigheter": 1, "medvirkning": 3}
LOW = {"ledelsesforankring": 1, "kapasitet": 1, "kompetanse": 2, "avhengigheter": 1, "medvirkning": 1}
HIGH = {"ledelsesforankring": 5, "kapasitet": 3, "kompetanse": 3, "avhengigheter": 3, "medvirkning": 2}
ACTIONS = {"kapasitet": "To vikarer i innføringen, ukentlig oppfølging i ledergruppa."}


@pytest.fixture()
def people(make_user):
    return {
        "admin": make_user("admin", full_name="Åse Admin"),
        "leder": make_user("ledergruppe", full_name="Lise Leder"),
        "eier": make_user("tiltaksansvarlig", full_name="Kari Eier"),
    }


@pytest.fixture()
def adopted(make_measure, people):
    return make_measure("1.1", plan={2026: 500_000}, status="vedtatt", owner=people["eier"])


def _start(measure, actor, reference="Ledergruppa 12.03.2026, sak 4/26"):
    return readiness.decide_status(
        measure, actor, measure.version, "under gjennomføring", date(2026, 3, 12), reference, "Go"
    )


def test_a_measure_without_an_assessment_or_a_reference_cannot_start(db, adopted, people):
    with pytest.raises(readiness.NotReadyError) as refused:
        _start(adopted, people["admin"], reference="  ")
    assert refused.value.errors_by_field == {
        "to_status": "Tiltaket har ingen vurdering av organisatorisk risiko.",
        "decision_reference": readiness.NO_REFERENCE,
    }
    db.session.rollback()
    assert adopted.status == "vedtatt"


def test_the_owners_assessment_is_reviewed_and_high_indicators_get_a_strengthening_action(db, adopted, people):
    risks.create_assessment(adopted, people["eier"], date(2026, 3, 1), SCORES)
    db.session.commit()
    state = readiness.readiness(adopted)
    assert (state.needs_review, state.is_reviewed, state.missing_actions) == (True, False, ("Kapasitet",))
    assert len(state.problems) == 2 and "gjennomgås av ledergruppa" in state.problems[0]

    with pytest.raises(PermissionDenied):
        risks.review_assessment(state.assessment, people["eier"])
    risks.review_assessment(readiness.readiness(adopted).assessment, people["leder"])
    db.session.commit()
    assert readiness.readiness(adopted).problems == [
        "Beskriv forsterkende tiltak for indikatorer med høy score (Kapasitet) i en ny vurdering."
    ]

    risks.create_assessment(adopted, people["eier"], date(2026, 3, 5), SCORES, actions=ACTIONS)
    db.session.commit()
    assert readiness.readiness(adopted).problems == [
        "Vurderingen av organisatorisk risiko er gjort av tiltaksansvarlig og må gjennomgås av ledergruppa."
    ]
    risks.review_assessment(readiness.readiness(adopted).assessment, people["leder"])
    db.session.commit()
    assert readiness.readiness(adopted).is_ready

    change = _start(adopted, people["admin"])
    db.session.commit()
    assert adopted.status == "under gjennomføring"
    assert (change.decision_reference, change.changed_by_id) == ("Ledergruppa 12.03.2026, sak 4/26", people["admin"].id)
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"org_risk.assess", "org_risk.review", "measure.status"} <= actions


def test_an_assessment_by_ledergruppe_or_an_admin_needs_no_review(db, adopted, people):
    assessment = risks.create_assessment(adopted, people["admin"], date(2026, 3, 1), LOW)
    db.session.commit()
    assert readiness.readiness(adopted).is_ready
    with pytest.raises(risks.RiskError):
        risks.review_assessment(assessment, people["leder"])


def test_other_decisions_need_none_of_it(db, adopted, people):
    readiness.decide_status(adopted, people["admin"], adopted.version, "avbrutt", date(2026, 3, 12))
    db.session.commit()
    assert adopted.status == "avbrutt"


def test_the_status_page_lists_what_is_missing_and_a_refused_go_keeps_the_input(db, client, login, adopted, people):
    login(people["admin"])
    page = client.get(f"/portefolje/tiltak/{adopted.id}/status").get_data(as_text=True)
    assert "Før tiltaket settes i gang" in page and "Organisatorisk risiko er ikke vurdert." in page
    data = {
        "version": str(adopted.version),
        "to_status": "under gjennomføring",
        "decided_date": "12.03.2026",
        "decision_reference": "",
        "comment": "Klar etter planen",
    }
    response = client.post(f"/portefolje/tiltak/{adopted.id}/status", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="to_status-feil"' in html and 'id="decision_reference-feil"' in html
    assert 'value="12.03.2026"' in html and "Klar etter planen" in html
    db.session.expire_all()
    assert db.session.scalar(select(StatusChange.id)) is None


def test_ledergruppe_reviews_the_owners_assessment_on_its_page(db, client, login, adopted, people):
    assessment = risks.create_assessment(adopted, people["eier"], date(2026, 3, 1), SCORES, actions=ACTIONS)
    db.session.commit()
    url = f"/oppfolging/tiltak/{adopted.id}/organisatorisk-risiko"
    login(people["eier"])
    assert "Merk vurderingen som gjennomgått" not in client.get(url).get_data(as_text=True)
    assert client.post(f"/oppfolging/organisatorisk-risiko/{assessment.id}/gjennomgatt").status_code == 403
    login(people["leder"])
    page = client.get(url).get_data(as_text=True)
    assert "Ikke gjennomgått" in page and ACTIONS["kapasitet"] in page
    response = client.post(f"/oppfolging/organisatorisk-risiko/{assessment.id}/gjennomgatt")
    assert response.status_code == 302
    db.session.expire_all()
    assert risks.latest_assessments([adopted.id])[adopted.id].reviewed_by_id == people["leder"].id


def test_the_risk_view_sorts_by_level_groups_the_unassessed_and_flags_the_load(
    db, client, login, make_measure, people, app
):
    owner = people["eier"]
    high = make_measure("1.1", status="vedtatt", owner=owner, affected_units=["Hjemmetjenesten"])
    low = make_measure("1.2", status="under gjennomføring", owner=owner, affected_units=["Hjemmetjenesten"])
    make_measure("1.3", status="vedtatt", owner=owner, affected_units=["Hjemmetjenesten", "Sykehjemmet"])
    make_measure("2.1", status="utredet", owner=owner)
    risks.create_assessment(low, people["admin"], date(2026, 2, 1), LOW)
    risks.create_assessment(high, people["admin"], date(2026, 2, 1), HIGH)
    db.session.commit()

    app.config["RISK_LOAD_THRESHOLD"] = 5
    try:
        view = load.programme_load(high.programme)
        # 1.1 høy 3 + 1.2 lav 1 + 1.3 not assessed 2 = 6 for Kari and for Hjemmetjenesten; 2.1 is not in change.
        assert [(row.label, row.load, row.is_above_threshold) for row in view.by_leader] == [("Kari Eier", 6, True)]
        assert [(row.label, row.load) for row in view.by_unit] == [("Hjemmetjenesten", 6), ("Sykehjemmet", 2)]
        assert [row.label for row in view.by_unit if row.is_above_threshold] == ["Hjemmetjenesten"]
        login(people["leder"])
        html = client.get("/oppfolging/risiko").get_data(as_text=True)
    finally:
        app.config["RISK_LOAD_THRESHOLD"] = 6
    heatmap = html[html.index("Varmekart") : html.index("Samlet risikobelastning per leder")]
    assert heatmap.index("1.1</a>") < heatmap.index("1.2</a>") < heatmap.index("Ikke vurdert: 2 tiltak")
    assert heatmap.index("Ikke vurdert: 2 tiltak") < heatmap.index("1.3</a>")
    assert "Over grensen" in html and "Sykehjemmet" in html
