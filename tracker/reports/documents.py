"""Which sections a snapshot becomes: the politicians' report or AMU's."""

from tracker.reports import layout_amu as amu
from tracker.reports import layout_plan as plan
from tracker.reports.layout import Section, changes_section, groups_section, status_section, summary_section
from tracker.reports.models import AUDIENCE_AMU
from tracker.reports.snapshot import ReportSnapshot


def politicians_document(snapshot: ReportSnapshot) -> tuple[Section, ...]:
    return (
        summary_section(snapshot),
        plan.take_out_section(snapshot),
        plan.deviations_section(snapshot),
        plan.at_risk_section(snapshot),
        plan.decisions_section(snapshot),
        groups_section(snapshot),
        status_section(snapshot),
        changes_section(snapshot),
        plan.menu_section(snapshot),
    )


def amu_document(snapshot: ReportSnapshot) -> tuple[Section, ...]:
    sections = (
        amu.amu_summary(snapshot),
        amu.status_section(snapshot),
        amu.staff_section(snapshot),
        amu.fte_section(snapshot),
        amu.process_section(snapshot),
        amu.risk_section(snapshot),
        amu.kpi_section(snapshot),
        amu.milestones_section(snapshot),
        changes_section(snapshot),
        amu.descriptions_section(snapshot),
    )
    return tuple(section for section in sections if section is not None)


def document(snapshot: ReportSnapshot) -> tuple[Section, ...]:
    """The sections of the report for the snapshot's audience."""
    if snapshot.audience == AUDIENCE_AMU:
        return amu_document(snapshot)
    return politicians_document(snapshot)
