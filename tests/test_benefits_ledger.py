"""The savings ledger in the database: reporting, approval, closed quarters, corrections, plan and take-out."""

import pytest
from sqlalchemy import select

from tracker.accounts.permissions import SYSTEM, PermissionDenied
from tracker.audit.models import AuditEntry
from tracker.benefits import queries, services
from tracker.benefits.models import FigureRevision
from tracker.benefits.programme import programme_figures
from tracker.database import utcnow
from tracker.periods import Quarter
from tracker.portfolio.models import PlanRevision
from tracker.portfolio.status import VEDTATT
from tracker.updates.models import StatusUpdate

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4


def figures(realised: int, forecast: int, explanation: str = "", action: str = "", reason: str = ""):
    return services.FigureInput(realised, forecast, explanation, action, "", reason)


@pytest.fixture()
def setup(make_measure, make_user):
    """Three adopted measures with one owner: on plan from 2026, a late starter and one that adds cost."""
    admin, owner = make_user("admin"), make_user("tiltaksansvarlig")
    measures = {
        "1.1": make_measure("1.1", plan={2026: 300_000, 2027: 600_000}, status=VEDTATT, owner=owner),
        "2.2": make_measure("2.2", plan={2026: 0, 2027: 9_100_000}, status=VEDTATT, owner=owner),
        "2.11": make_measure("2.11", plan={2026: -1_120_000, 2027: -1_120_000}, status=VEDTATT, owner=owner),
    }
    return {"admin": admin, "owner": owner, "programme": measures["1.1"].programme, **measures}


Q3, Q4 = Quarter(2026, 3), Quarter(2026, 4)


def test_programme_figures_from_the_database_by_hand(setup, db):
    programme = setup["programme"]
    before = programme_figures(programme, Q3).year(2026)
    # Planned 2026: 300 000 + 0 − 1 120 000; with no reports the forecast is the plan.
    assert (before.planned_nok, before.forecast_nok, before.realised_nok) == (-820_000, -820_000, 0)
    owner = setup["owner"]
    # 1.1 plans 300 000 for 2026; 50 000 short is under the 100 000 kr threshold.
    services.record_figures(setup["1.1"], Q3, figures(150_000, 250_000), owner)
    # 2.11 adds cost: planned saving -1 120 000; a forecast of -1 400 000 is 280 000 worse: a deviation.
    services.record_figures(setup["2.11"], Q3, figures(-840_000, -1_400_000, "Dyrere lisens", "Reforhandle"), owner)
    db.session.commit()

    after = programme_figures(programme, Q3)
    row = after.year(2026)
    assert row.planned_nok == before.planned_nok
    assert row.forecast_nok == before.forecast_nok - 50_000 - 280_000 == 250_000 + 0 - 1_400_000
    assert row.realised_nok == 150_000 - 840_000
    assert row.realised_approved_nok == 0
    assert [(d.code, d.shortfall_nok, d.explanation) for d in after.deviations] == [("2.11", 280_000, "Dyrere lisens")]
    # 2.2 starts in 2027: nothing planned, forecast or realised in 2026, and no report owed for Q3.
    late = next(m for m in after.measures if m.code == "2.2" and m.year == 2026)
    assert (late.planned_nok, late.forecast_nok, late.realised_nok) == (0, 0, 0)
    assert after.missing_updates == ()
    # 2027 has no reports: its forecast is its plan, 600 000 + 9 100 000 − 1 120 000.
    planned_2027 = programme_figures(programme, Quarter(2026, 2)).year(2027).planned_nok
    assert after.year(2027).forecast_nok == planned_2027 == 8_580_000
    # Looked at as of Q2, the Q3 reports do not exist yet.
    assert programme_figures(programme, Quarter(2026, 2)).year(2026).forecast_nok == before.forecast_nok


def test_a_change_keeps_the_old_values_and_withdraws_approval(setup, db):
    measure = setup["1.1"]
    figure = services.record_figures(measure, Q4, figures(100_000, 300_000), setup["owner"])
    services.approve_figure(figure, setup["admin"])
    db.session.commit()
    assert programme_figures(setup["programme"], Q4).year(2026).realised_approved_nok == 100_000

    services.record_figures(measure, Q4, figures(120_000, 300_000), setup["owner"])
    db.session.commit()
    assert figure.is_approved is False
    [revision] = db.session.scalars(select(FigureRevision)).all()
    assert (revision.old_realised_to_date_nok, revision.was_approved, revision.is_correction) == (100_000, True, False)
    computed = programme_figures(setup["programme"], Q4).year(2026)
    assert (computed.realised_nok - computed.realised_approved_nok) == 120_000


def test_a_deviation_needs_an_explanation_and_a_corrective_action(setup):
    with pytest.raises(services.BenefitsError) as caught:
        services.record_figures(setup["1.1"], Q4, figures(0, 100_000), setup["owner"])
    assert set(caught.value.errors) == {"explanation", "corrective_action"}


def test_a_future_quarter_cannot_be_reported(setup):
    with pytest.raises(services.BenefitsError) as caught:
        services.record_figures(setup["1.1"], Quarter(2027, 1), figures(0, 0), setup["owner"])
    assert "quarter" in caught.value.errors


def test_only_the_owner_or_an_admin_reports(setup, make_user):
    other = make_user("tiltaksansvarlig")
    with pytest.raises(PermissionDenied):
        services.record_figures(setup["1.1"], Q4, figures(0, 300_000), other)
    with pytest.raises(PermissionDenied):
        services.approve_figure(services.record_figures(setup["1.1"], Q4, figures(0, 300_000), SYSTEM), other)


def test_closed_quarter_changes_only_by_correction_with_a_reason(setup, db):
    measure = setup["1.1"]
    services.record_figures(measure, Q3, figures(100_000, 300_000), setup["owner"])
    services.close_quarter(Q3, setup["admin"])
    db.session.commit()

    with pytest.raises(services.BenefitsError) as by_owner:
        services.record_figures(measure, Q3, figures(110_000, 300_000, reason="Feil i regnskapet"), setup["owner"])
    assert "quarter" in by_owner.value.errors
    with pytest.raises(services.BenefitsError) as no_reason:
        services.record_figures(measure, Q3, figures(110_000, 300_000), setup["admin"])
    assert "correction_reason" in no_reason.value.errors

    services.record_figures(measure, Q3, figures(110_000, 300_000, reason="Feil i regnskapet"), setup["admin"])
    db.session.commit()
    [revision] = db.session.scalars(select(FigureRevision)).all()
    assert (revision.old_realised_to_date_nok, revision.is_correction, revision.reason) == (
        100_000,
        True,
        "Feil i regnskapet",
    )
    assert queries.get_figure(measure, Q3).realised_to_date_nok == 110_000
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "benefits.correct")) is not None


def test_a_quarter_cannot_be_closed_twice_or_before_it_begins(setup):
    services.close_quarter(Q3, SYSTEM)
    with pytest.raises(services.BenefitsError, match="allerede"):
        services.close_quarter(Q3, SYSTEM)
    with pytest.raises(services.BenefitsError, match="ikke begynt"):
        services.close_quarter(Quarter(2027, 1), SYSTEM)
    with pytest.raises(PermissionDenied):
        services.close_quarter(Quarter(2026, 2), setup["owner"])


def test_changing_the_plan_keeps_the_old_value_who_and_why(setup, db):
    measure = setup["2.2"]
    services.change_plan(measure, 2027, 7_000_000, "Vedtak KS 12/26: trinnvis nedbygging", setup["admin"])
    db.session.commit()
    [revision] = db.session.scalars(select(PlanRevision)).all()
    assert (revision.old_saving_nok, revision.new_saving_nok, revision.changed_by_id) == (
        9_100_000,
        7_000_000,
        setup["admin"].id,
    )
    assert measure.planned_net_change_by_year()[2027] == -7_000_000
    with pytest.raises(services.BenefitsError):
        services.change_plan(measure, 2027, 6_000_000, "  ", setup["admin"])
    with pytest.raises(PermissionDenied):
        services.change_plan(measure, 2027, 6_000_000, "Fordi", setup["owner"])


def test_take_out_is_per_measure_and_year_and_counts_in_the_figures(setup, db):
    services.set_take_out(setup["1.1"], 2026, 200_000, "Rammen redusert", setup["admin"])
    services.set_take_out(setup["1.1"], 2026, 300_000, "Hele planen", setup["admin"])
    services.set_take_out(setup["2.11"], 2026, -1_120_000, "Lisens lagt inn", setup["admin"])
    db.session.commit()
    row = programme_figures(setup["programme"], Q4).year(2026)
    assert row.taken_out_nok == 300_000 - 1_120_000
    with pytest.raises(PermissionDenied):
        services.set_take_out(setup["1.1"], 2026, 1, "", setup["owner"])


def test_risk_adjusted_forecast_uses_the_latest_submitted_status_update(setup, db):
    programme, late = setup["programme"], setup["2.2"]
    before = programme_figures(programme, Q4).year(2027).risk_adjusted_forecast_nok
    db.session.add(StatusUpdate(measure_id=late.id, year=2026, quarter=3, confidence="rød", submitted_dt=utcnow()))
    db.session.add(StatusUpdate(measure_id=late.id, year=2026, quarter=4, confidence="grønn"))  # a draft: ignored
    db.session.commit()
    after = programme_figures(programme, Q4).year(2027).risk_adjusted_forecast_nok
    # 2027 plans 600 000 (1.1), 9 100 000 (2.2), −1 120 000 (2.11, a cost counts in full); with no
    # update a saving is weighted 0,75: 450 000 + 6 825 000 − 1 120 000 before.
    assert before == 6_155_000
    # 2.2 plans 9 100 000 for 2027: weighted 0,75 (no update) before, 0,25 (rød) after.
    assert before - after == 9_100_000 * 75 // 100 - 9_100_000 * 25 // 100
    assert programme_figures(programme, Quarter(2026, 2)).year(2027).risk_adjusted_forecast_nok == before
