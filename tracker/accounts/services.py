"""Creating users, changing passwords and roles, pruning old log-in records. The caller commits.

Logging in (throttled, Argon2 outside the database lock) is in login.py.
"""

from datetime import datetime

from sqlalchemy import delete, func, select

from tracker.accounts import sessions, sso_rules
from tracker.accounts.models import ROLES, LoginAttempt, LoginGuard, User
from tracker.accounts.passwords import (
    MIN_PASSWORD_LENGTH,
    NO_PASSWORD_HASH,
    hash_password,
    verify_password,
)
from tracker.accounts.permissions import SystemActor, require_actor, require_admin
from tracker.audit import services as audit
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.text import NAME, PASSWORD, check_texts, line

USER_TEXTS = {"username": line(80), "full_name": NAME, "email": line(254), "entra_oid": line(100)}


class AccountError(ServiceError):
    """A user-facing problem with account data (Norwegian message by form field)."""


def _refused(field: str, message: str) -> AccountError:
    return AccountError(message, {field: message})


def get_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))


def check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise _refused("password", f"Passordet må ha minst {MIN_PASSWORD_LENGTH} tegn.")
    check_texts({"password": password}, {"password": PASSWORD}, AccountError)


def create_user(
    username: str,
    password: str | None,
    role: str,
    full_name: str = "",
    email: str | None = None,
    *,
    actor: User | SystemActor,
    must_change_password: bool = False,
    entra_oid: str | None = None,
    entra_tid: str | None = None,
) -> User:
    """Create an account with an Argon2id hash; usernames are unique regardless of case.

    Without a password the account signs in only with Microsoft, so it needs an Entra ID (oid).
    """
    require_actor(actor)
    username = (username or "").strip()
    if not username:
        raise _refused("username", "Brukernavn er påkrevd.")
    check_texts({"username": username, "full_name": full_name, "email": email}, USER_TEXTS, AccountError)
    if role not in ROLES:
        raise _refused("role", f"Ukjent rolle «{role}». Gyldige roller: {', '.join(ROLES)}.")
    if get_by_username(username) is not None:
        raise _refused("username", f"Brukernavnet «{username}» er allerede i bruk.")
    entra_oid = check_entra_oid(entra_oid, None)
    if password is not None or not entra_oid:
        check_password_rules(password)
    user = User(
        username=username,
        full_name=full_name,
        email=email or None,
        role=role,
        password_hash=NO_PASSWORD_HASH if password is None else hash_password(password),
        must_change_password=must_change_password,
        entra_tid=entra_tid if entra_oid else None,
        entra_oid=entra_oid,
    )
    db.session.add(user)
    db.session.flush()
    created = {
        "username": username,
        "role": role,
        "full_name": full_name,
        "email": email,
        "entra_tid": user.entra_tid,
        "entra_oid": entra_oid,
    }
    audit.record("user.create", user=actor, obj=user, changes=audit.diff({}, {k: v for k, v in created.items() if v}))
    return user


def check_entra_oid(entra_oid: str | None, user: User | None) -> str | None:
    """The oid in canonical form (None when blank); refused when malformed or another user has it."""
    text = (entra_oid or "").strip()
    if not text:
        return None
    oid = sso_rules.normalise_guid(text)
    if not oid:
        raise _refused(
            "entra_oid",
            "Skriv objekt-ID-en fra Entra ID som en GUID, for eksempel 0f1e2d3c-4b5a-4697-8899-aabbccddeeff.",
        )
    holder = db.session.scalar(select(User).where(User.entra_oid == oid))
    if holder is not None and holder is not user:
        raise _refused("entra_oid", f"Denne Entra-ID-en er allerede knyttet til brukeren «{holder.username}».")
    return oid


def set_password(user: User, password: str, actor: User | SystemActor) -> None:
    """Change a password and end every session of the user; set by someone else, it must be changed."""
    require_actor(actor)
    check_password_rules(password)
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    user.must_change_password = actor.id != user.id
    sessions.end_all_for_user(user, sessions.END_PASSWORD)
    audit.record("user.password_change", user=actor, obj=user)


class _Keep:
    """The default of update_user's entra_oid: leave the Entra ID link as it is."""


KEEP = _Keep()


def update_user(
    user: User,
    actor: User | SystemActor,
    role: str,
    full_name: str,
    email: str | None,
    is_enabled: bool,
    *,
    entra_oid: str | None | _Keep = KEEP,
) -> None:
    """Change role, name, e-mail, enabled state or Entra ID (oid); disabling ends the user's sessions.

    A new oid unlinks the tenant too: the next sign-in with that oid links the account again.
    """
    require_actor(actor)
    if role not in ROLES:
        raise _refused("role", f"Ukjent rolle «{role}».")
    check_texts({"full_name": full_name, "email": email}, USER_TEXTS, AccountError)
    if user.id == actor.id and (role != user.role or not is_enabled):
        raise _refused("role", "Du kan ikke endre din egen rolle eller deaktivere deg selv.")
    before = {"role": user.role, "full_name": user.full_name, "email": user.email, "is_enabled": user.is_enabled}
    after = {"role": role, "full_name": full_name, "email": email or None, "is_enabled": is_enabled}
    if not isinstance(entra_oid, _Keep):
        oid = check_entra_oid(entra_oid, user)
        before |= {"entra_tid": user.entra_tid, "entra_oid": user.entra_oid}
        after |= {"entra_tid": user.entra_tid if oid == user.entra_oid else None, "entra_oid": oid}
    for name, value in after.items():
        setattr(user, name, value)
    if before["is_enabled"] and not is_enabled:
        user.session_epoch += 1
        sessions.end_all_for_user(user, sessions.END_DISABLED)
    changes = audit.diff(before, after)
    if changes:
        audit.record("user.update", user=actor, obj=user, changes=changes)


def change_own_password(user: User, current_password: str, new_password: str) -> None:
    """A user changes their own password: the current one must be right and the new one differ."""
    require_actor(user)
    if not verify_password(user.password_hash, current_password or ""):
        raise _refused("current_password", "Nåværende passord er feil.")
    if new_password == current_password:
        raise _refused("new_password", "Det nye passordet må være forskjellig fra det nåværende.")
    try:
        set_password(user, new_password, actor=user)
    except AccountError as exc:
        raise _refused("new_password", str(exc)) from exc


def prune_login_records(older_than: datetime, actor: User | SystemActor) -> tuple[int, int]:
    """Delete session records and log-in attempts older than the cut-off; returns both counts."""
    require_admin(actor, "sessions.prune")
    removed_sessions = sessions.prune(older_than)
    result = db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.at_dt < older_than).execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(LoginGuard).where(LoginGuard.last_attempt_dt < older_than).execution_options(synchronize_session=False)
    )
    return removed_sessions, result.rowcount or 0
