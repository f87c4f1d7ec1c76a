"""Decision statuses of a measure and the allowed transitions. Pure."""

UTREDET = "utredet"
VEDTATT = "vedtatt"
UNDER_GJENNOMFORING = "under gjennomføring"
GJENNOMFORT = "gjennomført"
IKKE_VEDTATT = "ikke vedtatt"
AVBRUTT = "avbrutt"

STATUSES = (UTREDET, VEDTATT, UNDER_GJENNOMFORING, GJENNOMFORT, IKKE_VEDTATT, AVBRUTT)
INITIAL_STATUS = UTREDET
# Measures in these statuses are off the table: rejected or stopped (still on the report's menu).
EXCLUDED_STATUSES = frozenset({IKKE_VEDTATT, AVBRUTT})
# Adopted by a political decision: only these count as planned, forecast and against the targets.
ADOPTED_STATUSES = frozenset({VEDTATT, UNDER_GJENNOMFORING, GJENNOMFORT})

TRANSITIONS: dict[str, tuple[str, ...]] = {
    UTREDET: (VEDTATT, IKKE_VEDTATT),
    VEDTATT: (UNDER_GJENNOMFORING, AVBRUTT),
    UNDER_GJENNOMFORING: (GJENNOMFORT, AVBRUTT),
    GJENNOMFORT: (),
    # A rejected measure can be adopted later by a new political decision.
    IKKE_VEDTATT: (VEDTATT,),
    AVBRUTT: (),
}

STATUS_LABELS = {
    UTREDET: "Utredet",
    VEDTATT: "Vedtatt",
    UNDER_GJENNOMFORING: "Under gjennomføring",
    GJENNOMFORT: "Gjennomført",
    IKKE_VEDTATT: "Ikke vedtatt",
    AVBRUTT: "Avbrutt",
}


def counts_in_totals(status: str) -> bool:
    """Whether a measure in this status is still followed up (not rejected, not stopped)."""
    return status not in EXCLUDED_STATUSES


def reports_status_updates(status: str) -> bool:
    """Whether the owner writes a status update each quarter: a measure that counts and is not completed."""
    return counts_in_totals(status) and status != GJENNOMFORT


def is_adopted(status: str) -> bool:
    """Adopted (vedtatt, under gjennomføring, gjennomført): planned, forecast and reported on."""
    return status in ADOPTED_STATUSES


def keeps_realised(status: str) -> bool:
    """Whether the ledger counts the measure's realised saving: adopted, or stopped (avbrutt keeps what it realised)."""
    return status in ADOPTED_STATUSES or status == AVBRUTT


def allowed_next(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def is_allowed_transition(from_status: str, to_status: str) -> bool:
    return to_status in allowed_next(from_status)
