"""Who may do what. Services call these; views only use them to hide buttons.

Every helper takes an actor: a logged-in User (or the anonymous user of a request) or SYSTEM.
None is refused with NoActorError: a caller that forgot who acts must not get anyone's rights.
"""

from werkzeug.exceptions import Forbidden

from tracker.accounts.models import ROLE_ADMIN, ROLE_LEDERGRUPPE, ROLE_OWNER
from tracker.audit import services as audit
from tracker.errors import ReadOnlyError
from tracker.extensions import db


class SystemActor:
    """The command line and the scheduler acting on the operator's behalf: every right.

    Services take an explicit actor: a logged-in User or SYSTEM, never None. The audit trail
    records SYSTEM's changes under the user name "system".
    """

    id = None
    username = "system"
    display_name = "System"
    role = ROLE_ADMIN
    is_authenticated = True
    is_active = True
    is_system = True

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


class NoActorError(TypeError):
    """A service was called without saying who acts: a programming error, never a user's."""


def require_actor(actor) -> None:
    """Refuse None: a view that forgets the user must not get the operator's rights."""
    if actor is None:
        raise NoActorError("Tjenesten ble kalt uten en aktør (innlogget bruker eller SYSTEM).")


class PermissionDenied(Forbidden):
    """403 with a Norwegian message; services raise it, the error handler shows it."""

    def __init__(self, message: str = "Du har ikke tilgang til å gjøre dette."):
        super().__init__(description=message)


def is_authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _closed_programme_name(measure) -> str | None:
    """The name of the measure's programme when it is closed (kept to be read, never changed), else None."""
    programme = getattr(measure, "programme", None)
    return programme.name if programme is not None and programme.is_closed else None


def can_edit_measure(actor, measure) -> bool:
    """Admins (and SYSTEM) edit every measure; an owner edits the measures they own; nobody else edits.
    Nobody edits a measure of a closed programme."""
    require_actor(actor)
    if not is_authenticated(actor) or _closed_programme_name(measure) is not None:
        return False
    if actor.role == ROLE_ADMIN:
        return True
    return actor.role == ROLE_OWNER and measure.owner_id is not None and measure.owner_id == actor.id


def can_comment(actor) -> bool:
    require_actor(actor)
    return is_authenticated(actor) and actor.role in (ROLE_ADMIN, ROLE_LEDERGRUPPE)


def can_administer(actor) -> bool:
    require_actor(actor)
    return is_authenticated(actor) and actor.role == ROLE_ADMIN


def _refuse(actor, action: str, obj=None) -> None:
    # A refusal is the one place a service commits: the refused change is rolled back, but the
    # audit entry saying it was attempted must be kept even though the request ends in a 403.
    db.session.rollback()
    audit.record("refused", user=actor if is_authenticated(actor) else None, obj=obj, changes={"attempted": action})
    db.session.commit()
    raise PermissionDenied()


def require_measure_edit(actor, measure, action: str = "measure.edit") -> None:
    """Raise 403 (and record the refusal) unless the actor may change this measure; ReadOnlyError (403
    too) for a measure of a closed programme, whoever asks."""
    require_actor(actor)
    closed = _closed_programme_name(measure)
    if closed is not None:
        raise ReadOnlyError.closed(closed)
    if not can_edit_measure(actor, measure):
        _refuse(actor, action, measure)


def has_role(actor, roles: tuple[str, ...]) -> bool:
    """True for a logged-in actor whose role is one of `roles`."""
    require_actor(actor)
    return is_authenticated(actor) and actor.role in roles


def require_role(actor, roles: tuple[str, ...], action: str, obj=None) -> None:
    """Raise 403 (and record the refusal) unless the actor's role is one of `roles`."""
    require_actor(actor)
    if not has_role(actor, roles):
        _refuse(actor, action, obj)


def require_admin(actor, action: str = "admin") -> None:
    """Raise 403 (and record the refusal) unless the actor is an admin or SYSTEM."""
    require_actor(actor)
    if not can_administer(actor):
        _refuse(actor, action)


def require_comment(actor, action: str = "comment", obj=None) -> None:
    """Raise 403 (and record the refusal) unless the actor may comment (ledergruppe, admin)."""
    require_actor(actor)
    if not can_comment(actor):
        _refuse(actor, action, obj)
