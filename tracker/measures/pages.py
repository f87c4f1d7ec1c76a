"""What the portfolio pages show beyond the read model: the overview's sortable column headers."""

from dataclasses import dataclass

from flask import url_for

COLUMNS = (("kode", "Kode"), ("tittel", "Tiltak"), ("gruppe", "Arbeidsgruppe"), ("status", "Status"))
OWNER_COLUMN = ("ansvarlig", "Tiltaksansvarlig")


@dataclass(frozen=True)
class SortHeader:
    """A column header that sorts by its column; the sorted column's link reverses the order."""

    label: str
    href: str
    next_direction: str
    aria_sort: str = ""
    css_class: str = ""


def sort_headers(args: dict, sort: str, is_descending: bool, years: list[int]) -> list[SortHeader]:
    """The overview's headers: the measure columns, then one per plan year (keeping the other filters)."""
    columns = [*COLUMNS, OWNER_COLUMN] + [(f"innsparing-{year}", str(year)) for year in years]
    shared = {name: value for name, value in args.items() if name != "submit"}
    headers = []
    for key, label in columns:
        is_active = sort == key
        direction = "synkende" if is_active and not is_descending else "stigende"
        headers.append(
            SortHeader(
                label=label,
                href=url_for("portfolio.overview", **{**shared, "sorter": key, "retning": direction}),
                next_direction=direction,
                aria_sort=("descending" if is_descending else "ascending") if is_active else "",
                css_class="num" if key.startswith("innsparing-") else "",
            )
        )
    return headers
