"""Dependencies (a late milestone flags dependants), org-risk assessments, portfolio load, staff."""

import json
from datetime import date
from decimal import Decimal

import pytest

from tracker.accounts.permissions import PermissionDenied
from tracker.dependencies import services as dependencies
from tracker.dependencies.services import DependencyError
from tracker.milestones import services as milestones
from tracker.risks import services as risks
from tracker.staff import services as staff

LOW = {"ledelsesforankring": 1, "kapasitet": 2, "kompetanse": 2, "avhengigheter": 1, "medvirkning": 1}
HIGH = {"ledelsesforankring": 2, "kapasitet": 5, "kompetanse": 3, "avhengigheter": 3, "medvirkning": 2}


def test_a_late_milestone_flags_the_measures_that_depend_on_it(runner, db, make_measure, make_user):
    admin = make_user("admin")
    # The ERP measure's first milestone (preparations) is due 31.12.2025 and not done.
    erp = make_measure(
        "2.2",
        milestones=[
            {"what": "Forberedelser", "due_date": "2025-12-31"},
            {"what": "Anskaffelse", "due_date": "2026-06-30"},
        ],
    )
    digital = make_measure("2.1")
    dependencies.add_dependency(digital, erp, admin, "Digitaliseringen bygger på ERP-systemet")
    db.session.commit()

    programme_id = erp.programme_id
    assert dependencies.flagged_measure_ids(programme_id, date(2025, 12, 31)) == {}
    assert dependencies.flagged_measure_ids(programme_id, date(2026, 1, 1)) == {digital.id: [erp.id]}
    view = dependencies.dependency_view(digital, date(2026, 1, 1))
    assert [m.code for m in view.late_upstream] == ["2.2"]
    assert [d.measure.code for d in dependencies.dependency_view(erp, date(2026, 1, 1)).needed_by] == ["2.1"]

    shown = json.loads(runner.invoke(args=["measures", "show", "2.1", "--json", "--as-of", "2026-01-01"]).output)
    assert shown["dependencies"] == {
        "depends_on": ["2.2"], "needed_by": [], "late_upstream": ["2.2"], "is_flagged": True
    }  # fmt: skip


def test_done_milestone_upstream_clears_the_flag(db, make_measure, make_user):
    admin = make_user("admin")
    # The ERP measure has no milestones from the data file, so only the one added here can be late.
    erp, digital = make_measure("2.5"), make_measure("1.2")
    dependencies.add_dependency(digital, erp, admin)
    milestone = milestones.create_milestone(erp, admin, {"title": "ERP i drift", "due_date": date(2026, 9, 30)})
    milestones.update_milestone(milestone, admin, {"done_date": date(2026, 10, 5)})
    db.session.commit()
    assert dependencies.flagged_measure_ids(erp.programme_id, date(2026, 10, 4)) == {digital.id: [erp.id]}
    assert dependencies.flagged_measure_ids(erp.programme_id, date(2026, 10, 5)) == {}


def test_dependencies_refuse_self_duplicates_and_cycles(make_measure, make_user):
    admin = make_user("admin")
    a, b, c = make_measure("2.1"), make_measure("2.2"), make_measure("2.3")
    dependencies.add_dependency(a, b, admin)
    dependencies.add_dependency(b, c, admin)
    for measure, upstream in ((a, a), (a, b), (c, a)):
        with pytest.raises(DependencyError):
            dependencies.add_dependency(measure, upstream, admin)


def test_assessment_history_summary_and_significant_flag(db, make_measure, make_user):
    owner = make_user("tiltaksansvarlig")
    significant = make_measure("1.3", owner=owner, significant_org_risk=True)
    assert risks.risk_summary(significant)["needs_assessment"] is True

    risks.create_assessment(significant, owner, date(2026, 1, 15), LOW)
    risks.create_assessment(significant, owner, date(2026, 4, 15), HIGH)
    db.session.commit()

    now = risks.risk_summary(significant)
    assert (now["level"], now["weakest"], now["average"], now["needs_assessment"]) == (
        "høy",
        ["Kapasitet"],
        "3.00",
        False,
    )
    before = risks.risk_summary(significant, date(2026, 3, 31))
    assert (before["level"], before["average"]) == ("lav", "1.40")
    assert len(risks.assessments_for(significant)) == 2


def test_assessment_needs_every_indicator_and_the_owner(db, make_measure, make_user):
    owner = make_user("tiltaksansvarlig")
    measure = make_measure("1.1")
    with pytest.raises(PermissionDenied):
        risks.create_assessment(measure, owner, date(2026, 1, 1), LOW)
    measure.owner_id = owner.id
    db.session.commit()
    with pytest.raises(ValueError):
        risks.create_assessment(measure, owner, date(2026, 1, 1), {"kapasitet": 3})


def test_portfolio_load_counts_high_risk_measures_per_owner(db, make_measure, make_user):
    leader = make_user("tiltaksansvarlig", full_name="Kari Leder")
    admin = make_user("admin")
    measures = {code: make_measure(code, owner=leader) for code in ("1.1", "1.2", "1.3")}
    measures["1.2"].status = "vedtatt"
    unassessed = make_measure("2.1", significant_org_risk=True)
    db.session.commit()
    risks.create_assessment(measures["1.1"], admin, date(2026, 2, 1), HIGH)
    risks.create_assessment(measures["1.2"], admin, date(2026, 2, 1), HIGH)
    risks.create_assessment(measures["1.3"], admin, date(2026, 2, 1), LOW)
    db.session.commit()

    view = risks.portfolio_risk(unassessed.programme)
    kari = next(row for row in view.by_owner if row.label == "Kari Leder")
    assert (kari.measures, kari.high_risk, kari.active, kari.high_risk_codes) == (3, 2, 1, ["1.1", "1.2"])
    group_1 = view.by_group[0]
    assert group_1.high_risk == 2
    assert len(view.rows) == 4
    assert {m.code for m in view.unassessed_significant} == {"2.1"}


def test_admin_renames_an_indicator_and_edits_guidance(db, make_user):
    admin, owner = make_user("admin"), make_user("tiltaksansvarlig")
    indicator = risks.indicators()[0]
    guidance = [f"Nivå {n}" for n in range(1, 6)]
    with pytest.raises(PermissionDenied):
        risks.update_indicator(indicator, owner, "Forankring", guidance)
    indicator = risks.indicators()[0]
    risks.update_indicator(indicator, admin, "Forankring i ledelsen", guidance)
    db.session.commit()
    assert (risks.indicators()[0].name, risks.indicators()[0].guidance[4]) == ("Forankring i ledelsen", "Nivå 5")


def test_risk_register_scores_before_and_after_mitigation(make_measure, make_user):
    admin = make_user("admin")
    measure = make_measure("1.3")
    item = risks.add_risk_item(
        measure,
        admin,
        {
            "description": "Ansatte slutter før omstillingen",
            "probability_before": 4,
            "consequence_before": 4,
            "mitigation": "Tidlig dialog med tillitsvalgte",
            "mitigation_owner": "Kommunalsjef",
            "probability_after": 2,
            "consequence_after": 3,
        },
    )
    assert (item.score_before, item.level_before, item.score_after, item.level_after) == (16, "høy", 6, "lav")
    with pytest.raises(ValueError):
        risks.add_risk_item(measure, admin, {"description": "x", "probability_before": 6, "consequence_before": 1})


def test_employee_consequences_round_trip(runner, db, make_measure, make_user):
    admin = make_user("admin")
    measure = make_measure("1.3")
    staff.save_consequence(
        measure,
        admin,
        {
            "affected_units": "Skolene",
            "affected_employees": 40,
            "fte_change_planned": Decimal("-12"),
            "fte_change_realised": Decimal("-2.5"),
            "fte_by_attrition": Decimal("7"),
            "fte_by_redeployment": Decimal("5"),
            "fte_by_downsizing": Decimal("0"),
            "union_consultation_date": date(2026, 2, 3),
            "is_safety_rep_involved": True,
            "work_env_assessment_date": None,
            "work_env_assessment_summary": "",
        },
    )
    db.session.commit()
    shown = json.loads(runner.invoke(args=["measures", "show", "1.3", "--json"]).output)["employee_consequences"]
    assert shown["fte_change_planned"] == "-12"
    assert shown["fte_change_realised"] == "-2.5"
    assert shown["union_consultation_date"] == "2026-02-03"
    assert shown["is_safety_rep_involved"] is True
    assert shown["work_env_assessment_date"] is None
