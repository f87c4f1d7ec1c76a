"""axe-core (WCAG 2.1 A and AA) on the follow-up pages, in chromium, with data on them."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.e2e.conftest import (  # noqa: F401 - fixtures used by name
    CHROMIUM,
    PASSWORD,
    assert_accessible,
    browser,
    live_server,
    logged_in,
    new_page,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()), reason=f"no chromium at {CHROMIUM}"),
]

MEASURE_PAGES = (
    "/oppfolging/tiltak/{id}/milepaeler",
    "/oppfolging/tiltak/{id}/kpi",
    "/oppfolging/tiltak/{id}/statusrapporter",
    "/oppfolging/tiltak/{id}/statusrapporter/2026-Q2",
    "/oppfolging/tiltak/{id}/organisatorisk-risiko",
    "/oppfolging/tiltak/{id}/risikoregister",
    "/oppfolging/tiltak/{id}/ansatte",
    "/oppfolging/tiltak/{id}/avhengigheter",
)
OTHER_PAGES = ("/oppfolging/runder", "/oppfolging/risiko", "/oppfolging/risiko/indikatorer")


@pytest.fixture(scope="module")
def followup_data(live_server):  # noqa: F811 - the imported fixture
    """A user of our own owning 4.1, with an assessment, a register entry and a dependency on it."""
    from sqlalchemy import select

    from tracker.accounts.models import User
    from tracker.accounts.permissions import SYSTEM
    from tracker.accounts.services import create_user
    from tracker.dependencies.services import add_dependency
    from tracker.extensions import db
    from tracker.portfolio.models import Measure
    from tracker.risks.services import add_risk_item, create_assessment

    with live_server.app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        measure = db.session.scalar(select(Measure).where(Measure.code == "4.1"))
        other = db.session.scalar(select(Measure).where(Measure.code == "4.3"))
        measure.owner_id = create_user(
            "fu-eier", PASSWORD, "tiltaksansvarlig", full_name="Frida Oppfølging", actor=SYSTEM
        ).id
        create_assessment(measure, admin, date(2026, 2, 1), {
            "ledelsesforankring": 2, "kapasitet": 5, "kompetanse": 3, "avhengigheter": 1, "medvirkning": 4,
        })  # fmt: skip
        add_risk_item(measure, admin, {"description": "Turnover", "probability_before": 3, "consequence_before": 5})
        add_dependency(measure, other, admin, "Felles system")
        db.session.commit()
    return live_server.measure_id("4.1")


@pytest.mark.parametrize("user", ["fu-eier", "leser"])
@pytest.mark.parametrize("path", MEASURE_PAGES)
def test_follow_up_pages_have_no_wcag_violations(logged_in, followup_data, user, path):  # noqa: F811
    page = logged_in(user)
    page.goto(path.format(id=followup_data))
    assert page.get_by_role("heading", level=1).count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("path", OTHER_PAGES)
def test_portfolio_follow_up_pages_have_no_wcag_violations(logged_in, followup_data, path):  # noqa: F811
    page = logged_in("admin")
    page.goto(path)
    assert page.get_by_role("heading", level=1).count() == 1
    assert_accessible(page)
