"""The small portfolio the ledergruppe tests share: one owner's three measures, each raising a queue item.

Plain functions, not fixtures: tests/test_meetings_*.py wrap them in fixtures of their own.
"""

from tracker.periods import Quarter
from tracker.portfolio.status import VEDTATT

Q3, Q4 = Quarter(2026, 3), Quarter(2026, 4)


def build_people(make_user) -> dict:
    return {
        "admin": make_user("admin"),
        "leder": make_user("ledergruppe", "leder", full_name="Lise Leder"),
        "eier": make_user("tiltaksansvarlig", "eier", full_name="Ola Eier"),
        "leser": make_user("leser"),
    }


def build_scene(make_measure, make_figures, make_update, people) -> dict:
    """1.1 below plan in Q4, 1.2 asks for a decision (and Q3's update is unreviewed), 1.3 has a late milestone."""
    owner = people["eier"]
    late = {"what": "Ny vedtaksrutine", "due_date": "2026-10-01"}
    measures = {
        "1.1": make_measure("1.1", plan={2026: 300_000}, status=VEDTATT, owner=owner),
        "1.2": make_measure("1.2", plan={2026: 1_000_000}, status=VEDTATT, owner=owner),
        "1.3": make_measure("1.3", plan={2026: 500_000}, status=VEDTATT, owner=owner, milestones=[late]),
    }
    # 100 000 against a plan of 300 000: 200 000 short, more than 10 % and 100 000 kr, a deviation.
    make_figures(measures["1.1"], Q4, 50_000, 100_000, "Sent vedtak", "Resten tas ut i 2027")
    make_figures(measures["1.2"], Q3, 200_000, 1_000_000)
    updates_made = {
        "q3": make_update(measures["1.2"], Q3, "grønn", confidence_justification="På plan"),
        "q4": make_update(measures["1.2"], Q4, "gul/rød", decisions_needed="Avklare ny leverandør"),
    }
    return {**measures, **updates_made, "programme": measures["1.1"].programme}
