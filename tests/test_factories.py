"""The test factories build their data through the real services, so what they make is valid data."""

from tracker.benefits import queries as benefits
from tracker.periods import Quarter, current_quarter, today_oslo
from tracker.portfolio.status import VEDTATT
from tracker.updates.services import latest_confidence_by_measure


def test_make_measure_imports_a_measure_with_its_plan_into_the_default_programme(make_measure, make_user):
    owner = make_user("tiltaksansvarlig")
    measure = make_measure("2.3", plan={2026: 300_000, 2027: 600_000}, status=VEDTATT, owner=owner)
    other = make_measure("1.1")
    programme = measure.programme
    assert (programme.name, programme.plan_years, programme.target_for(2029)) == (
        "Omstilling test",
        [2026, 2027, 2028, 2029],
        2_000_000,
    )
    assert [(group.number, group.savings_requirement_nok) for group in programme.groups] == [
        (1, 1_000_000),
        (2, 500_000),
    ]
    assert (measure.group.number, measure.status, measure.owner, measure.title) == (2, VEDTATT, owner, "Tiltak 2.3")
    assert measure.planned_net_change_by_year() == {2026: -300_000, 2027: -600_000}
    assert benefits.planned_saving(measure, 2027) == 600_000
    assert other.programme is programme and other.group.number == 1


def test_make_figures_and_make_update_go_through_the_services(
    clock, make_measure, make_figures, make_update, make_user
):
    owner, admin = make_user("tiltaksansvarlig"), make_user("admin")
    measure = make_measure(plan={2026: 300_000}, status=VEDTATT, owner=owner)
    figure = make_figures(measure, Quarter(2026, 3), 100_000, 300_000, approved_by=admin)
    update = make_update(measure, Quarter(2026, 3), "rød")
    assert (figure.reported_by_id, figure.is_approved, figure.approved_by_id) == (owner.id, True, admin.id)
    assert (update.author_id, update.is_submitted) == (owner.id, True)
    assert latest_confidence_by_measure(measure.programme_id, Quarter(2026, 4)) == {measure.id: "rød"}


def test_the_clock_moves_today(clock):
    assert (today_oslo(), current_quarter()) == (clock.today, Quarter(2026, 4))
    clock.set(clock.today.replace(month=2))
    assert current_quarter() == Quarter(2026, 1)
