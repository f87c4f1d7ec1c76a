"""What the JSON and Excel portfolio files share: the free-text fields and the import error."""

TEXT_FIELDS = (
    "service",
    "problem",
    "solution",
    "consequences_users",
    "consequences_employees",
    "investment",
    "fte_effect",
    "risk_notes",
    "status_note",
    "source_section",
    "notes",
)


class PortfolioImportError(ValueError):
    """A document that cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors
