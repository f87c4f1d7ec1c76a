"""Which sections a snapshot becomes: the politicians' report or AMU's, with every text capped."""

from dataclasses import replace

from tracker.reports import layout_amu as amu
from tracker.reports import layout_plan as plan
from tracker.reports.layout import (
    BarChart,
    Heatmap,
    Section,
    Table,
    Text,
    changes_section,
    groups_section,
    status_section,
    summary_section,
)
from tracker.reports.models import AUDIENCE_AMU
from tracker.reports.snapshot import ReportSnapshot
from tracker.text import shortened

# A report quotes stored texts; one longer than this (well beyond the 20 000 characters a form
# takes) is cut with a visible "… (forkortet)". ReportLab's time grows faster than a paragraph's
# length, so this bounds the build whatever is stored (a 1 MB text took minutes; now about 1 s);
# the whole text stays in the tracker.
REPORT_TEXT_MAX_CHARS = 50_000


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
        return _capped(amu_document(snapshot))
    return _capped(politicians_document(snapshot))


def _cap(text: str) -> str:
    return shortened(text, REPORT_TEXT_MAX_CHARS) if isinstance(text, str) else text


def _capped_table(table: Table) -> Table:
    rows = tuple(tuple(_cap(cell) for cell in row) for row in table.rows)
    return replace(table, caption=_cap(table.caption), rows=rows)


def _capped_block(block):
    if isinstance(block, Text):
        return replace(block, text=_cap(block.text))
    if isinstance(block, Table):
        return _capped_table(block)
    if isinstance(block, BarChart):
        return replace(block, table=_capped_table(block.table))
    if isinstance(block, Heatmap):
        labels = tuple(_cap(label) for label in block.row_labels)
        return replace(block, row_labels=labels, table=_capped_table(block.table))
    return block


def _capped(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    return tuple(
        replace(section, blocks=tuple(_capped_block(block) for block in section.blocks)) for section in sections
    )
