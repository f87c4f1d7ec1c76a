"""Follow-up pages: they render for readers, forms work for owners, other owners get 403."""

from datetime import date

import pytest
from sqlalchemy import select

from tracker.dependencies.models import MeasureDependency
from tracker.dependencies.services import add_dependency
from tracker.kpis.models import Kpi
from tracker.milestones.models import Milestone
from tracker.milestones.services import milestones_for
from tracker.periods import Quarter
from tracker.risks import services as risks
from tracker.risks.models import OrgRiskAssessment
from tracker.staff.models import EmployeeConsequence
from tracker.updates import services as updates

PAGES = (
    "/oppfolging/tiltak/{id}/milepaeler",
    "/oppfolging/tiltak/{id}/kpi",
    "/oppfolging/tiltak/{id}/statusrapporter",
    "/oppfolging/tiltak/{id}/statusrapporter/2026-Q2",
    "/oppfolging/tiltak/{id}/organisatorisk-risiko",
    "/oppfolging/tiltak/{id}/risikoregister",
    "/oppfolging/tiltak/{id}/ansatte",
    "/oppfolging/tiltak/{id}/avhengigheter",
    "/oppfolging/runder",
    "/oppfolging/risiko",
    "/oppfolging/risiko/indikatorer",
    "/portefolje/tiltak/{id}",
)


@pytest.fixture()
def owner_setup(make_measure, make_user):
    """Two owners' measures, each with a milestone from the data file; 1.3 also has a KPI suggestion."""
    owner, other = make_user("tiltaksansvarlig", full_name="Eva Eier"), make_user("tiltaksansvarlig")
    mine = make_measure(
        "1.3",
        owner=owner,
        kpis=["antall assistentårsverk"],
        milestones=[{"what": "Reduksjon av 5 assistentårsverk", "due_date": "2026-12-31"}],
    )
    theirs = make_measure("1.1", owner=other, milestones=[{"what": "Tiltaket forberedes", "due_date": "2026-07-31"}])
    return owner, mine, theirs


@pytest.mark.parametrize("role", ["leser", "tiltaksansvarlig", "admin"])
def test_every_follow_up_page_renders(client, login, make_user, owner_setup, role):
    _, mine, _ = owner_setup
    login(make_user(role))
    for page in PAGES:
        response = client.get(page.format(id=mine.id))
        assert response.status_code == 200, page
        assert b' style="' not in response.data, page


def test_the_measure_page_shows_the_follow_up_panel(client, login, make_user, owner_setup):
    _, mine, _ = owner_setup
    login(make_user("leser"))
    html = client.get(f"/portefolje/tiltak/{mine.id}").get_data(as_text=True)
    assert "Oppfølging" in html
    assert f"/oppfolging/tiltak/{mine.id}/milepaeler" in html
    assert "Milepæler for 1.3" in html and "Organisatorisk risiko for 1.3" in html


def test_owner_fills_in_every_follow_up_form(db, client, login, owner_setup):
    owner, mine, _ = owner_setup
    login(owner)
    base = f"/oppfolging/tiltak/{mine.id}"
    posts = [
        (f"{base}/milepaeler", {"title": "Avtale med skolene", "due_date": "2026-05-01", "responsible": "Rektor"}),
        (f"{base}/kpi", {"suggestion": mine.kpi_suggestions[0], "name": "", "unit": "årsverk", "direction": "lower",
                         "baseline_value": "120,5", "baseline_date": "2025-12-31", "target_value": "110"}),
        (f"{base}/organisatorisk-risiko", {"assessed_date": "2026-02-01", "score_ledelsesforankring": "2",
                                           "score_kapasitet": "4", "score_kompetanse": "2", "score_avhengigheter": "1",
                                           "score_medvirkning": "3"}),
        (f"{base}/risikoregister", {"description": "Turnover", "probability_before": "3", "consequence_before": "5",
                                    "probability_after": "", "consequence_after": ""}),
        (f"{base}/ansatte", {"affected_units": "Skolene", "affected_employees": "40", "fte_change_planned": "-12",
                             "fte_change_realised": "-2,5", "union_consultation_date": "2026-02-03",
                             "is_safety_rep_involved": "y"}),
        (f"{base}/statusrapporter/2026-Q2", {"confidence": "gul", "confidence_justification": "Stram plan",
                                             "submit_update": "Send inn"}),
    ]  # fmt: skip
    for url, data in posts:
        response = client.post(url, data=data)
        assert response.status_code == 302, (url, response.get_data(as_text=True)[:3000])
    db.session.expire_all()
    assert any(m.title == "Avtale med skolene" and m.responsible == "Rektor" for m in milestones_for(mine))
    kpi = db.session.scalar(select(Kpi).where(Kpi.measure_id == mine.id))
    assert (kpi.name, str(kpi.baseline_value.normalize()), kpi.direction) == (mine.kpi_suggestions[0], "120.5", "lower")
    assessment = db.session.scalar(select(OrgRiskAssessment).where(OrgRiskAssessment.measure_id == mine.id))
    assert assessment.summary().level == "middels"
    consequence = db.session.scalar(select(EmployeeConsequence).where(EmployeeConsequence.measure_id == mine.id))
    assert str(consequence.fte_change_realised.normalize()) == "-2.5" and consequence.is_safety_rep_involved
    assert updates.update_for(mine, Quarter(2026, 2)).is_submitted

    response = client.post(f"/oppfolging/kpi/{kpi.id}", data={"quarter": "2026-Q1", "value": "118"})
    assert response.status_code == 302
    html = client.get(f"/oppfolging/kpi/{kpi.id}").get_data(as_text=True)
    assert "118,00" in html and "Bedre" in html


def test_another_owner_gets_403_and_nothing_changes(db, client, login, owner_setup):
    owner, _, theirs = owner_setup
    login(owner)
    base = f"/oppfolging/tiltak/{theirs.id}"
    milestone = milestones_for(theirs)[0]
    attempts = [
        (f"{base}/milepaeler", {"title": "Ikke min", "due_date": "2026-05-01"}),
        (f"/oppfolging/milepaeler/{milestone.id}", {"title": milestone.title, "done_date": "2026-01-01"}),
        (f"{base}/statusrapporter/2026-Q2", {"confidence": "gul", "confidence_justification": "x", "save": "1"}),
        (f"{base}/ansatte", {"affected_units": "x"}),
        (f"{base}/avhengigheter", {"depends_on": str(owner_setup[1].id)}),
    ]
    for url, data in attempts:
        assert client.post(url, data=data).status_code == 403, url
    db.session.expire_all()
    assert db.session.scalar(select(Milestone).where(Milestone.title == "Ikke min")) is None
    assert db.session.get(Milestone, milestone.id).done_date is None
    assert updates.update_for(theirs, Quarter(2026, 2)) is None
    assert db.session.scalar(select(MeasureDependency)) is None
    html = client.get(f"{base}/milepaeler").get_data(as_text=True)
    assert "Ny milepæl" not in html


def test_a_submitted_update_cannot_be_changed_over_http(db, client, login, owner_setup):
    owner, mine, _ = owner_setup
    updates.save_update(
        mine, Quarter(2026, 2), owner, {"confidence": "gul", "confidence_justification": "x"}, submit=True
    )
    db.session.commit()
    login(owner)
    response = client.post(
        f"/oppfolging/tiltak/{mine.id}/statusrapporter/2026-Q2",
        data={"confidence": "grønn", "confidence_justification": "y", "save": "1"},
        follow_redirects=True,
    )
    assert "er sendt inn og kan ikke endres" in response.get_data(as_text=True)
    db.session.expire_all()
    assert updates.update_for(mine, Quarter(2026, 2)).confidence == "gul"


def test_heatmap_shows_scores_with_css_classes(db, client, login, make_user, owner_setup):
    from tracker.risks.services import create_assessment

    owner, mine, _ = owner_setup
    create_assessment(mine, owner, date(2026, 2, 1), {"ledelsesforankring": 5, "kapasitet": 1, "kompetanse": 2,
                                                      "avhengigheter": 3, "medvirkning": 4})  # fmt: skip
    db.session.commit()
    login(make_user("ledergruppe"))
    html = client.get("/oppfolging/risiko").get_data(as_text=True)
    assert '<td class="num score-5">5</td>' in html
    assert '<td class="num score-1">1</td>' in html
    assert "Eva Eier" in html


def test_round_overview_page_lists_who_has_submitted(db, client, login, make_user, owner_setup):
    owner, mine, _ = owner_setup
    admin = make_user("admin")
    login(admin)
    response = client.post("/oppfolging/runder", data={"quarter": "2026-Q2", "deadline_date": "2026-07-10"})
    assert response.status_code == 302
    updates.save_update(
        mine, Quarter(2026, 2), owner, {"confidence": "gul", "confidence_justification": "x"}, submit=True
    )
    db.session.commit()
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Levert: 1, utkast: 0, mangler: 1" in html  # 1.3 has submitted, 1.1 has not


def test_owner_edits_a_kpi_and_a_register_entry(db, client, login, owner_setup):
    from tracker.kpis.services import create_kpi
    from tracker.risks.models import RiskItem
    from tracker.risks.services import add_risk_item

    owner, mine, _ = owner_setup
    kpi = create_kpi(mine, owner, {"name": "Årsverk", "unit": "årsverk", "direction": "lower"})
    item = add_risk_item(mine, owner, {"description": "Turnover", "probability_before": 3, "consequence_before": 5})
    db.session.commit()
    login(owner)
    assert client.get(f"/oppfolging/kpi/{kpi.id}/endre").status_code == 200
    response = client.post(
        f"/oppfolging/kpi/{kpi.id}/endre",
        data={
            "suggestion": "",
            "name": "Assistentårsverk",
            "unit": "årsverk",
            "direction": "lower",
            "target_value": "-10",
        },
    )
    assert response.status_code == 302
    assert client.get(f"/oppfolging/risikoregister/{item.id}").status_code == 200
    response = client.post(
        f"/oppfolging/risikoregister/{item.id}",
        data={"description": "Turnover", "probability_before": "3", "consequence_before": "5",
              "probability_after": "2", "consequence_after": "2"},
    )  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    assert (db.session.get(Kpi, kpi.id).name, db.session.get(Kpi, kpi.id).target_value) == ("Assistentårsverk", -10)
    assert (db.session.get(RiskItem, item.id).score_after, db.session.get(RiskItem, item.id).level_after) == (4, "lav")


def test_risk_view_lists_measures_flagged_by_a_late_dependency(db, client, login, make_user, make_measure, clock):
    admin = make_user("admin")
    # 2.2's milestone (preparations) is due 31.12.2025 and not done: late from 01.01.2026 on.
    upstream = make_measure("2.2", milestones=[{"what": "Forberedelser", "due_date": "2025-12-31"}])
    add_dependency(make_measure("2.1"), upstream, admin)
    db.session.commit()
    login(admin)
    html = client.get("/oppfolging/risiko").get_data(as_text=True)
    assert "Forsinkelser som rammer andre tiltak" in html
    assert "bygger på 2.2, som har forsinkede milepæler" in html


def test_assessment_page_shows_norwegian_date_and_average(db, client, login, owner_setup):
    from tracker.risks.services import create_assessment

    owner, mine, _ = owner_setup
    create_assessment(mine, owner, date(2026, 2, 1), {"ledelsesforankring": 4, "kapasitet": 3, "kompetanse": 3,
                                                      "avhengigheter": 3, "medvirkning": 4})  # fmt: skip
    db.session.commit()
    login(owner)
    html = client.get(f"/oppfolging/tiltak/{mine.id}/organisatorisk-risiko").get_data(as_text=True)
    assert "<dd>01.02.2026</dd>" in html
    assert "<dd>3,40</dd>" in html


def test_deleting_a_milestone_keeps_its_values_in_the_audit_trail(db, owner_setup):
    from tracker.audit.models import AuditEntry
    from tracker.milestones.services import delete_milestone

    owner, mine, _ = owner_setup
    milestone = milestones_for(mine)[0]
    title = milestone.title
    delete_milestone(milestone, owner)
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "milestone.delete"))
    assert entry.changes["title"] == {"old": title, "new": None}


@pytest.mark.parametrize(
    ("role", "status"), [("leser", 403), ("tiltaksansvarlig", 403), ("ledergruppe", 403), ("admin", 200)]
)
def test_only_admins_see_the_risk_indicator_edit_form(db, client, login, make_user, role, status):
    indicator = risks.indicators()[0]
    db.session.commit()
    login(make_user(role))
    response = client.get(f"/oppfolging/risiko/indikatorer/{indicator.id}")
    assert response.status_code == status
    assert ('name="guidance_1"' in response.get_data(as_text=True)) is (status == 200)
