"""What the JSON and Excel portfolio files share: the free-text fields and the import error."""

from tracker.errors import ServiceError
from tracker.portfolio.models import DESCRIPTION_FIELDS

TEXT_FIELDS = ("service", *DESCRIPTION_FIELDS, "risk_notes", "status_note", "source_section", "notes")


class PortfolioImportError(ServiceError):
    """A document that cannot be imported; `messages` lists every problem found (no form field to put them by)."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages
