"""Forecast at risk ("prognose i fare"): a late milestone, or building on a late measure. Pure.

A measure is at risk when one of its own milestones is late, or when it builds, directly or
through other measures, on a measure with a late milestone. Each reason is a Norwegian sentence
naming what is late, so the dashboard and the reports can say why.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LateMilestone:
    code: str
    title: str
    due_date: date


@dataclass(frozen=True)
class AtRisk:
    """A measure whose forecast is at risk, with every reason (own late milestones first)."""

    code: str
    reasons: tuple[str, ...]


def _date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _upstream_paths(code: str, depends_on: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Every measure `code` builds on, with the shortest chain leading to it (breadth first, cycle-safe)."""
    paths: dict[str, tuple[str, ...]] = {}
    frontier = [(code, ())]
    while frontier:
        following = []
        for current, path in frontier:
            for upstream in sorted(depends_on.get(current, ())):
                if upstream != code and upstream not in paths:
                    paths[upstream] = (*path, upstream)
                    following.append((upstream, paths[upstream]))
        frontier = following
    return paths


def at_risk(
    late: Iterable[LateMilestone], depends_on: Mapping[str, Iterable[str]], codes: Iterable[str]
) -> dict[str, AtRisk]:
    """{code: AtRisk} for each of `codes` with a late milestone or a late measure upstream."""
    late_by_code: dict[str, list[LateMilestone]] = {}
    for item in late:
        late_by_code.setdefault(item.code, []).append(item)
    found = {}
    for code in codes:
        reasons = [
            f"Milepælen «{item.title}» er forsinket (frist {_date(item.due_date)})."
            for item in sorted(late_by_code.get(code, ()), key=lambda item: item.due_date)
        ]
        for upstream, path in sorted(_upstream_paths(code, depends_on).items(), key=lambda item: len(item[1])):
            if upstream in late_by_code:
                via = f" via {', '.join(path[:-1])}" if len(path) > 1 else ""
                reasons.append(f"Bygger på tiltak {upstream}{via}, som har en forsinket milepæl.")
        if reasons:
            found[code] = AtRisk(code, tuple(reasons))
    return found
