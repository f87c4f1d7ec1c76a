"""Creating users, checking passwords, changing roles. The caller commits."""

from sqlalchemy import func, select

from tracker.accounts.models import ROLES, User
from tracker.accounts.passwords import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from tracker.audit import services as audit
from tracker.database import utcnow
from tracker.extensions import db


class AccountError(ValueError):
    """A user-facing problem with account data (Norwegian message)."""


def get_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))


def check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Passordet må ha minst {MIN_PASSWORD_LENGTH} tegn.")


def create_user(
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    email: str | None = None,
    actor: User | None = None,
    must_change_password: bool = False,
) -> User:
    """Create an account with an Argon2id hash; usernames are unique regardless of case."""
    username = (username or "").strip()
    if not username:
        raise AccountError("Brukernavn er påkrevd.")
    if role not in ROLES:
        raise AccountError(f"Ukjent rolle «{role}». Gyldige roller: {', '.join(ROLES)}.")
    if get_by_username(username) is not None:
        raise AccountError(f"Brukernavnet «{username}» er allerede i bruk.")
    check_password_rules(password)
    user = User(
        username=username,
        full_name=full_name,
        email=email or None,
        role=role,
        password_hash=hash_password(password),
        must_change_password=must_change_password,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", user=actor, obj=user, changes={"role": {"old": None, "new": role}})
    return user


def check_credentials(username: str, password: str) -> User | None:
    """The enabled user with this username and password, else None; old hashes are upgraded."""
    user = get_by_username(username or "")
    if user is None or not user.is_enabled or not verify_password(user.password_hash, password or ""):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_dt = utcnow()
    return user


def set_password(user: User, password: str, actor: User | None = None) -> None:
    """Change a password and end every session of the user."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    user.must_change_password = actor is not None and actor.id != user.id
    audit.record("user.password_change", user=actor or user, obj=user)


def update_user(user: User, actor: User, role: str, full_name: str, email: str | None, is_enabled: bool) -> None:
    """Change role, name, e-mail or enabled state; disabling ends the user's sessions."""
    if role not in ROLES:
        raise AccountError(f"Ukjent rolle «{role}».")
    if user.id == actor.id and (role != user.role or not is_enabled):
        raise AccountError("Du kan ikke endre din egen rolle eller deaktivere deg selv.")
    before = {"role": user.role, "full_name": user.full_name, "email": user.email, "is_enabled": user.is_enabled}
    after = {"role": role, "full_name": full_name, "email": email or None, "is_enabled": is_enabled}
    for name, value in after.items():
        setattr(user, name, value)
    if before["is_enabled"] and not is_enabled:
        user.session_epoch += 1
    changes = audit.diff(before, after)
    if changes:
        audit.record("user.update", user=actor, obj=user, changes=changes)
