"""Who may do what. Services call these; views only use them to hide buttons."""

from werkzeug.exceptions import Forbidden

from tracker.accounts.models import ROLE_ADMIN, ROLE_LEDERGRUPPE, ROLE_OWNER, User
from tracker.audit import services as audit
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


def can_edit_measure(user: User | None, measure) -> bool:
    """Admins edit every measure; an owner edits the measures they own; nobody else edits."""
    if not is_authenticated(user):
        return False
    if user.role == ROLE_ADMIN:
        return True
    return user.role == ROLE_OWNER and measure.owner_id is not None and measure.owner_id == user.id


def can_comment(user: User | None) -> bool:
    return is_authenticated(user) and user.role in (ROLE_ADMIN, ROLE_LEDERGRUPPE)


def can_administer(user: User | None) -> bool:
    return is_authenticated(user) and user.role == ROLE_ADMIN


def _refuse(user, action: str, obj=None) -> None:
    # A refusal is the one place a service commits: the refused change is rolled back, but the
    # audit entry saying it was attempted must be kept even though the request ends in a 403.
    db.session.rollback()
    audit.record("refused", user=user if is_authenticated(user) else None, obj=obj, changes={"attempted": action})
    db.session.commit()
    raise PermissionDenied()


def require_measure_edit(user: User | None, measure, action: str = "measure.edit") -> None:
    """Raise 403 (and record the refusal) unless the user may change this measure."""
    if not can_edit_measure(user, measure):
        _refuse(user, action, measure)


def require_admin(user: User | None, action: str = "admin") -> None:
    if not can_administer(user):
        _refuse(user, action)


def require_comment(user: User | None, action: str = "comment", obj=None) -> None:
    if not can_comment(user):
        _refuse(user, action, obj)
