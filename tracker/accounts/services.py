"""Creating users, checking passwords, logging in, changing roles. The caller commits."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from tracker.accounts import sessions, throttle
from tracker.accounts.models import ROLES, LoginAttempt, User
from tracker.accounts.passwords import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from tracker.accounts.permissions import SystemActor, require_actor, require_admin
from tracker.audit import services as audit
from tracker.database import utcnow
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.text import NAME, PASSWORD, check_texts, line

USER_TEXTS = {"username": line(80), "full_name": NAME, "email": line(254)}


class AccountError(ServiceError):
    """A user-facing problem with account data (Norwegian message by form field)."""


def _refused(field: str, message: str) -> AccountError:
    return AccountError(message, {field: message})


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked_until_dt: datetime | None = None


def get_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))


def check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise _refused("password", f"Passordet må ha minst {MIN_PASSWORD_LENGTH} tegn.")
    check_texts({"password": password}, {"password": PASSWORD}, AccountError)


def create_user(
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    email: str | None = None,
    *,
    actor: User | SystemActor,
    must_change_password: bool = False,
) -> User:
    """Create an account with an Argon2id hash; usernames are unique regardless of case."""
    require_actor(actor)
    username = (username or "").strip()
    if not username:
        raise _refused("username", "Brukernavn er påkrevd.")
    check_texts({"username": username, "full_name": full_name, "email": email}, USER_TEXTS, AccountError)
    if role not in ROLES:
        raise _refused("role", f"Ukjent rolle «{role}». Gyldige roller: {', '.join(ROLES)}.")
    if get_by_username(username) is not None:
        raise _refused("username", f"Brukernavnet «{username}» er allerede i bruk.")
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
    created = {"username": username, "role": role, "full_name": full_name, "email": email}
    audit.record("user.create", user=actor, obj=user, changes=audit.diff({}, {k: v for k, v in created.items() if v}))
    return user


def check_credentials(username: str, password: str) -> User | None:
    """The enabled user with this username and password, else None; old hashes are upgraded."""
    user = get_by_username(username or "")
    if user is None:
        _dummy_verify(password)  # as slow as a real check: timing does not reveal unknown names
        return None
    if not user.is_enabled or not verify_password(user.password_hash, password or ""):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_dt = utcnow()
    return user


def set_password(user: User, password: str, actor: User | SystemActor) -> None:
    """Change a password and end every session of the user; set by someone else, it must be changed."""
    require_actor(actor)
    check_password_rules(password)
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    user.must_change_password = actor.id != user.id
    sessions.end_all_for_user(user, sessions.END_PASSWORD)
    audit.record("user.password_change", user=actor, obj=user)


def update_user(
    user: User, actor: User | SystemActor, role: str, full_name: str, email: str | None, is_enabled: bool
) -> None:
    """Change role, name, e-mail or enabled state; disabling ends the user's sessions."""
    require_actor(actor)
    if role not in ROLES:
        raise _refused("role", f"Ukjent rolle «{role}».")
    check_texts({"full_name": full_name, "email": email}, USER_TEXTS, AccountError)
    if user.id == actor.id and (role != user.role or not is_enabled):
        raise _refused("role", "Du kan ikke endre din egen rolle eller deaktivere deg selv.")
    before = {"role": user.role, "full_name": user.full_name, "email": user.email, "is_enabled": user.is_enabled}
    after = {"role": role, "full_name": full_name, "email": email or None, "is_enabled": is_enabled}
    for name, value in after.items():
        setattr(user, name, value)
    if before["is_enabled"] and not is_enabled:
        user.session_epoch += 1
        sessions.end_all_for_user(user, sessions.END_DISABLED)
    changes = audit.diff(before, after)
    if changes:
        audit.record("user.update", user=actor, obj=user, changes=changes)


_DUMMY_HASH: dict[str, str] = {}


def _dummy_verify(password: str | None) -> None:
    if "hash" not in _DUMMY_HASH:
        _DUMMY_HASH["hash"] = hash_password("ikke-et-ekte-passord")
    verify_password(_DUMMY_HASH["hash"], password or "")


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


def recent_failures(username: str, since: datetime) -> list[datetime]:
    query = select(LoginAttempt.at_dt).where(
        LoginAttempt.username == username, LoginAttempt.outcome == "failure", LoginAttempt.at_dt >= since
    )
    return list(db.session.scalars(query))


def log_in(username: str, password: str, policy: throttle.LockoutPolicy, ip_address: str | None = None) -> LoginResult:
    """Check a log-in attempt against the lock-out rule and the password; record and audit it.

    Attempts are counted in the database, so the lock-out holds across every worker process.
    """
    name = (username or "").strip().lower()[:80]
    now = utcnow()
    failures = recent_failures(name, now - policy.lookback)
    until = throttle.locked_until(failures, now, policy.max_failures, policy.window, policy.lockout)
    if until is not None:
        _attempt(name, "blocked", now, ip_address)
        audit.record("login.blocked", username=name, ip_address=ip_address, changes={"locked_until": until})
        return LoginResult(None, until)
    user = check_credentials(username, password)
    if user is None:
        _attempt(name, "failure", now, ip_address)
        audit.record("login.failed", username=name, ip_address=ip_address)
        until = throttle.locked_until([*failures, now], now, policy.max_failures, policy.window, policy.lockout)
        return LoginResult(None, until)
    _attempt(name, "success", now, ip_address)
    audit.record("login.success", user=user, ip_address=ip_address)
    return LoginResult(user)


def _attempt(username: str, outcome: str, now: datetime, ip_address: str | None) -> None:
    db.session.add(LoginAttempt(username=username, outcome=outcome, at_dt=now, ip_address=ip_address))


def prune_login_records(older_than: datetime, actor: User | SystemActor) -> tuple[int, int]:
    """Delete session records and log-in attempts older than the cut-off; returns both counts."""
    require_admin(actor, "sessions.prune")
    removed_sessions = sessions.prune(older_than)
    result = db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.at_dt < older_than).execution_options(synchronize_session=False)
    )
    return removed_sessions, result.rowcount or 0
