"""A meeting's agenda or minutes as a frozen document, rendered to PDF by tracker.meetings.render_pdf. Pure."""

from dataclasses import dataclass

from tracker.periods import format_date

AGENDA = "saksliste"
MINUTES = "referat"
KIND_TITLES = {AGENDA: "Saksliste", MINUTES: "Referat og beslutningslogg"}


@dataclass(frozen=True)
class DocumentItem:
    number: int
    kind_label: str
    title: str
    detail: str
    outcome_label: str = ""
    decision: str = ""
    follow_up: str = ""


@dataclass(frozen=True)
class MeetingDocument:
    kind: str
    title: str
    programme_name: str
    meeting_label: str
    attendees: str
    notes: str
    is_example_data: bool
    items: tuple[DocumentItem, ...]

    @property
    def heading(self) -> str:
        return f"{KIND_TITLES[self.kind]}: {self.title}"

    @property
    def file_name(self) -> str:
        return f"{self.kind}-{self.meeting_label.replace('.', '-')}.pdf"


def follow_up_text(responsible: str | None, due_date, done_label: str = "") -> str:
    """ "Ansvarlig: Ola Eier, frist 01.12.2026" (and ", utført 03.12.2026" once done)."""
    text = f"Ansvarlig: {responsible or '–'}, frist {format_date(due_date) or '–'}"
    return f"{text}, {done_label}" if done_label else text
