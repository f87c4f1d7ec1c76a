"""The one error every service raises when a rule refuses a change.

`message` is a Norwegian sentence for the whole change; `errors_by_field` maps form field names to
Norwegian messages, so a page can show each message beside its field (tracker.web.errors.apply_errors)
and the command line can print them all.
"""


class ServiceError(ValueError):
    """A change the rules refuse, with Norwegian messages by field."""

    def __init__(self, message: str = "", errors_by_field: dict[str, str] | None = None):
        super().__init__(message or "\n".join((errors_by_field or {}).values()))
        self.message = str(self)
        self.errors_by_field = dict(errors_by_field or {})

    @property
    def errors(self) -> dict[str, str]:
        """The messages by field (the name the forms used before the base class existed)."""
        return self.errors_by_field


class EditConflict(Exception):
    """Someone else saved the record after this user opened the form, or saved the same new record
    first; nothing of this save was stored (tracker.web.conflicts answers it with 409)."""

    def __init__(self, what: str = "The record"):
        super().__init__(f"{what} was changed by someone else.")


class ReadOnlyError(ServiceError):
    """A change to a closed programme, which is kept to be read, never changed (403 in the web)."""

    @classmethod
    def closed(cls, programme_name: str) -> "ReadOnlyError":
        return cls(
            f"Programmet «{programme_name}» er avsluttet og kan bare leses. Ingenting ble lagret. "
            "En administrator kan åpne det igjen under Programmer."
        )
