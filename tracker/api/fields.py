"""The columns of the API's lists: name, kind and meaning, read by the CSV writer and the OpenAPI description. Pure."""

from dataclasses import dataclass

# Kinds of value; "kroner" is a whole number of Norwegian kroner (positive = saving).
KINDS = ("integer", "kroner", "number", "string", "boolean", "date", "date-time", "quarter")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    description: str
    is_nullable: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown kind {self.kind!r} of field {self.name}")


def field(name: str, kind: str, description: str, nullable: bool = False) -> Field:
    return Field(name, kind, description, nullable)


def measure_ref() -> tuple[Field, ...]:
    """The two columns every per-measure list starts with, to join it to /measures."""
    return (
        field("measure_id", "integer", "The measure's id (the `id` of /measures)."),
        field("code", "string", "The measure's code in the report, e.g. 2.11."),
    )


def record_row(record, fields: tuple[Field, ...], code: str | None = None, **computed) -> dict:
    """A list row in the order of its fields: each from the record's attribute of that name, except
    the measure's `code` and the values computed by the caller."""
    values = computed | ({"code": code} if code is not None else {})
    return {item.name: values[item.name] if item.name in values else getattr(record, item.name) for item in fields}
