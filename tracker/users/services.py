"""User administration: the admin-only layer over tracker.accounts.services. The caller commits."""

from sqlalchemy import select

from tracker.accounts import permissions
from tracker.accounts import services as accounts
from tracker.accounts.models import User
from tracker.accounts.passwords import generate_password
from tracker.database import bump_version
from tracker.extensions import db


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.username)))


def create_account(
    actor: User,
    username: str,
    full_name: str,
    email: str | None,
    role: str,
    password: str | None,
    entra_oid: str | None = None,
) -> tuple[User, str | None]:
    """Create a user; without a password a one-time password is generated and returned (shown once).

    An Entra ID (oid) pre-provisions the account: the first sign-in with Microsoft lands in it.
    """
    permissions.require_admin(actor, "user.create")
    generated = None if password else generate_password()
    user = accounts.create_user(
        username,
        password or generated,
        role,
        full_name=(full_name or "").strip(),
        email=(email or "").strip() or None,
        actor=actor,
        must_change_password=True,
        entra_oid=entra_oid,
    )
    return user, generated


def update_account(
    actor: User,
    user: User,
    role: str,
    full_name: str,
    email: str | None,
    is_enabled: bool,
    entra_oid: str | None | object = accounts.KEEP,
    seen_version: int | None = None,
) -> None:
    """Change role, name, e-mail, enabled state or Entra ID (oid); disabling ends the user's sessions.

    A save made from another version of the account than `seen_version` (another admin saved it
    since) is an EditConflict.
    """
    permissions.require_admin(actor, "user.update")
    bump_version(db.session, user, seen_version)
    full_name, email = (full_name or "").strip(), (email or "").strip() or None
    accounts.update_user(user, actor, role, full_name, email, is_enabled, entra_oid=entra_oid)


def reset_password(actor: User, user: User, password: str | None) -> str | None:
    """Set a new password (or a generated one-time password, returned); ends the user's sessions."""
    permissions.require_admin(actor, "user.password_reset")
    generated = None if password else generate_password()
    accounts.set_password(user, password or generated, actor=actor)
    return generated
