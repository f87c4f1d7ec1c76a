"""Which document a snapshot becomes: the politicians' report or AMU's."""

from tracker.reports.layout import Section, politicians_document
from tracker.reports.layout_amu import amu_document
from tracker.reports.models import AUDIENCE_AMU
from tracker.reports.snapshot import ReportSnapshot


def document(snapshot: ReportSnapshot) -> tuple[Section, ...]:
    """The sections of the report for the snapshot's audience."""
    if snapshot.audience == AUDIENCE_AMU:
        return amu_document(snapshot)
    return politicians_document(snapshot)
