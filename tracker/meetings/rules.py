"""The work queue's kinds and order, a meeting item's outcome, lateness and the risk load. Pure.

An item of the queue is one thing for ledergruppe to act on, named by a subject key:

    statusrapport:<update id>              a submitted status update not yet reviewed
    beslutning:<update id>                 a decision an owner asks for in the latest status update
    avvik:<measure id>:<year>:<quarter>    a deviation whose corrective action ledergruppe has not approved
    mangler:<quarter>:<measure id>         figures or a status update missing after the round's deadline
    milepael:<measure id>                  late milestones of a measure
    prognose:<measure id>                  a forecast at risk: a late milestone, or building on a late measure
    risiko:leder:<name>                    a leader's (owner's) organisational-risk load above the threshold
    risiko:enhet:<unit>                    an affected unit's organisational-risk load above the threshold
    oppfolging:<meeting item id>           a follow-up recorded in an earlier meeting, still open

Decisions, deviations and follow-ups are one-off: a recorded outcome in a meeting settles them.
The others stay in the queue while what raised them holds (a review ends when the update is marked
reviewed; a missing report when it arrives), with the date they were last handled.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tracker.periods import format_date

DEFAULT_TITLE = "Ledergruppemøte"

REVIEW = "statusrapport"
DECISION = "beslutning"
DEVIATION = "avvik"
MISSING = "mangler"
LATE_MILESTONES = "milepael"
FORECAST_AT_RISK = "prognose"
RISK_LOAD = "risiko"
FOLLOW_UP = "oppfolging"
# The order ledergruppe meets them in: what needs a decision first.
KINDS = (DECISION, DEVIATION, FOLLOW_UP, REVIEW, FORECAST_AT_RISK, MISSING, LATE_MILESTONES, RISK_LOAD)
KIND_LABELS = {
    DECISION: "Beslutning etterspurt",
    DEVIATION: "Avvik uten godkjent korrigerende tiltak",
    FOLLOW_UP: "Oppfølging fra tidligere møte",
    REVIEW: "Statusrapport til gjennomgang",
    FORECAST_AT_RISK: "Prognose i fare",
    MISSING: "Mangler rapport etter fristen",
    LATE_MILESTONES: "Forsinkede milepæler",
    RISK_LOAD: "Høy organisatorisk risikobelastning",
}
# Where each kind is handled: the text of the item's link.
HANDLED_AT = {
    DECISION: "Statusrapporten",
    DEVIATION: "Gevinstregnskapet",
    FOLLOW_UP: "Møtet",
    REVIEW: "Statusrapporten",
    FORECAST_AT_RISK: "Gevinstregnskapet",
    MISSING: "Rapporteringsrunden",
    LATE_MILESTONES: "Milepælene",
    RISK_LOAD: "Risikobildet",
}
# Settled by a recorded outcome; the other kinds stay while their condition holds.
ONE_OFF_KINDS = frozenset({DECISION, DEVIATION, FOLLOW_UP})
# A risk load is a leader's or an affected unit's (the key's second part); keys fit MeetingItem.subject_key.
LOAD_LEADER, LOAD_UNIT = "leder", "enhet"
MAX_KEY_CHARS = 120

NOT_IN_QUEUE = "Noen av sakene er ikke lenger til behandling. Last inn siden på nytt og velg igjen."

# Outcomes of an item in the minutes.
DECIDED = "beslutning"
FOLLOW_UP_OUTCOME = FOLLOW_UP
NOTED = "orientering"
OUTCOMES = (DECIDED, FOLLOW_UP_OUTCOME, NOTED)
OUTCOME_LABELS = {DECIDED: "Beslutning", FOLLOW_UP_OUTCOME: "Oppfølging", NOTED: "Tatt til orientering"}


def subject_key(kind: str, *parts) -> str:
    """ "avvik:12:2026:2026-Q4" for (DEVIATION, 12, 2026, "2026-Q4")."""
    return ":".join([kind, *(str(part) for part in parts)])


def key_kind(key: str) -> str:
    return key.split(":", 1)[0]


def key_id(key: str) -> int | None:
    """The record id at the end of a key ("statusrapport:7" → 7), or None when it ends otherwise."""
    last = key.rsplit(":", 1)[-1]
    return int(last) if last.isdigit() else None


def check_outcome(outcome: str, decision: str, responsible_id: int | None, due_date: date | None) -> dict[str, str]:
    """Problems with an item's outcome, {field: Norwegian message}: a follow-up needs who and by when."""
    errors: dict[str, str] = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = "Velg beslutning, oppfølging eller tatt til orientering."
    if not (decision or "").strip():
        errors["decision"] = "Skriv hva som ble besluttet eller skal følges opp."
    if outcome == FOLLOW_UP_OUTCOME:
        if responsible_id is None:
            errors["responsible"] = "Velg hvem som følger opp."
        if due_date is None:
            errors["due_date"] = "Velg en frist for oppfølgingen."
    return errors


# --- lateness ------------------------------------------------------------------------------------


def days_late(deadline: date | None, today: date) -> int:
    """Whole days past the deadline (0 on the day itself, before it, or without a deadline)."""
    if deadline is None:
        return 0
    return max(0, (today - deadline).days)


def lateness_text(deadline: date | None, today: date) -> str:
    """ "12 dager over fristen 10.10.2026", "1 dag over fristen …", "frist 10.10.2026", or "ingen frist"."""
    if deadline is None:
        return "ingen frist"
    late = days_late(deadline, today)
    if late == 0:
        return f"frist {format_date(deadline)}"
    return f"{late} {'dag' if late == 1 else 'dager'} over fristen {format_date(deadline)}"


# --- the queue -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    """One thing ledergruppe should act on, with where it is handled (`href`)."""

    kind: str
    key: str
    title: str
    detail: str = ""
    href: str = ""
    measure_id: int | None = None
    code: str = ""
    # What the item is about ("1.2 Heltid i hjemmetjenesten", or a leader's name) and who owns it.
    subject: str = ""
    owner: str = ""
    days_late: int = 0
    # Within a kind, the larger first after the latest (a leader's risk load).
    rank: int = 0
    on_agenda: str = ""
    last_handled: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def link_text(self) -> str:
        """ "Statusrapporten for 1.2": where the item is handled, named for screen readers too."""
        place = HANDLED_AT.get(self.kind, "Saken")
        return f"{place} for {self.code}" if self.code else place


def _code_key(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split(".")) if code else (999,)


def ordered(items: Iterable[QueueItem]) -> list[QueueItem]:
    """By kind (decisions first), then the latest and the heaviest first, then by measure code."""
    return sorted(
        items, key=lambda item: (KINDS.index(item.kind), -item.days_late, -item.rank, _code_key(item.code), item.key)
    )
