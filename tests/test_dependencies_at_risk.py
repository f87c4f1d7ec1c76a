"""«Prognose i fare»: a late milestone, or building directly or through others on a late measure (pure)."""

from datetime import date

import pytest

from tracker.dependencies.rules import LateMilestone, at_risk

LATE = [LateMilestone("2.1", "Avtale signert", date(2026, 10, 1)), LateMilestone("2.1", "Oppstart", date(2026, 9, 1))]
# 3.1 builds on 2.3, which builds on 2.1; 4.1 and 4.2 build on each other (a cycle); 5.1 on nothing late.
DEPENDS_ON = {"2.3": {"2.1"}, "3.1": {"2.3"}, "4.1": {"4.2"}, "4.2": {"4.1", "3.1"}, "5.1": {"1.1"}}
CODES = ["1.1", "2.1", "2.3", "3.1", "4.1", "4.2", "5.1"]


@pytest.mark.parametrize(
    ("code", "reasons"),
    [
        (
            "2.1",
            (
                "Milepælen «Oppstart» er forsinket (frist 01.09.2026).",
                "Milepælen «Avtale signert» er forsinket (frist 01.10.2026).",
            ),
        ),
        ("2.3", ("Bygger på tiltak 2.1, som har en forsinket milepæl.",)),
        ("3.1", ("Bygger på tiltak 2.1 via 2.3, som har en forsinket milepæl.",)),
        ("4.2", ("Bygger på tiltak 2.1 via 3.1, 2.3, som har en forsinket milepæl.",)),
        ("4.1", ("Bygger på tiltak 2.1 via 4.2, 3.1, 2.3, som har en forsinket milepæl.",)),
    ],
)
def test_late_measures_and_those_building_on_them_are_at_risk_with_the_reason(code, reasons):
    assert at_risk(LATE, DEPENDS_ON, CODES)[code].reasons == reasons


def test_measures_without_anything_late_upstream_are_not_flagged():
    flagged = at_risk(LATE, DEPENDS_ON, CODES)
    assert set(flagged) == {"2.1", "2.3", "3.1", "4.1", "4.2"}
    assert at_risk([], DEPENDS_ON, CODES) == {}
