"""The report mail: subject, the three key figures, a link and the audience's signature. Pure."""

from tracker.reports.layout import measures_at_risk
from tracker.reports.snapshot import ReportSnapshot
from tracker.reports.words import against_target, mnok_words, plural

AUDIENCE_READERS = {"politikere": "formannskapet og kommunestyret", "amu": "arbeidsmiljøutvalget (AMU)"}


def subject(snapshot: ReportSnapshot, is_preview: bool = False) -> str:
    """ "Statusrapport 3. kvartal 2026 – Formannskapet og kommunestyret"."""
    return f"{'UTKAST: ' if is_preview else ''}Statusrapport {snapshot.period_label} – {snapshot.audience_label}"


def key_figures(snapshot: ReportSnapshot) -> list[str]:
    """Three figures that tell where the programme (or, for AMU, the staff side) stands."""
    if snapshot.audience == "amu":
        registered = [row for row in snapshot.staff if row.is_registered]
        consulted = sum(row.consultation.startswith("Drøftet") for row in registered)
        planned = [row.fte_planned for row in registered if row.fte_planned is not None]
        fte = f"{sum(planned):.1f}".replace(".", ",") if planned else "ikke registrert"
        high = sum(row.level == "Høy" for row in snapshot.org_risks)
        return [
            f"{plural(len(snapshot.staff), 'tiltak', 'tiltak')} berører ansatte; {consulted} er drøftet med tillitsvalgte",
            f"Planlagt endring i årsverk: {fte}",
            f"{plural(high, 'tiltak', 'tiltak')} med høy organisatorisk risiko",
        ]
    target = snapshot.year(snapshot.target_year) if snapshot.target_year else None
    focus = snapshot.year(snapshot.focus_year)
    figures = []
    if target is not None and target.target_nok is not None:
        figures.append(
            f"Prognose {target.year}: {mnok_words(target.forecast_nok)}, {against_target(target.gap_nok)} "
            f"på {mnok_words(target.target_nok)}"
        )
    if focus is not None:
        figures.append(
            f"Realisert {focus.year}: {mnok_words(focus.realised_nok)} av en prognose på {mnok_words(focus.forecast_nok)}"
        )
    figures.append(
        f"{plural(len({d.code for d in snapshot.deviations}), 'tiltak', 'tiltak')} med avvik, "
        f"{plural(len(measures_at_risk(snapshot)), 'tiltak', 'tiltak')} i fare"
    )
    return figures[:3]


def body(snapshot: ReportSnapshot, name: str, link: str, signature: str, is_preview: bool = False) -> str:
    readers = AUDIENCE_READERS.get(snapshot.audience, snapshot.audience_label)
    draft = f"Dette er et UTKAST: {snapshot.period_label} er ikke slutt ennå.\n\n" if is_preview else ""
    lines = [
        f"Hei {name},",
        "",
        f"{draft}Vedlagt er statusrapporten for {snapshot.period_label} til {readers}, som PDF og som tilgjengelig HTML.",
        "",
        "Nøkkeltall:",
        *(f"- {figure}" for figure in key_figures(snapshot)),
        "",
        f"Rapporten og tidligere rapporter: {link}",
        "",
        signature.strip(),
        "",
    ]
    return "\n".join(lines)
