"""Log-in attempts, throttled per username and per client address so that the limits hold.

An attempt takes three steps, so that no database lock is held while Argon2 works:

1. claim, in one short transaction of its own (committed here): lock the guard rows of the
   username and the address (an upsert, which takes a row lock on PostgreSQL; on SQLite the
   request's BEGIN IMMEDIATE), count their recent failures, and record the attempt as "pending",
   or as "blocked" when a lock-out is in force. Attempts for one name or address pass this step
   one at a time, and a pending attempt counts as a failure until its outcome is known, so forty
   simultaneous wrong passwords cannot all see nine failures and all be checked;
2. check the password with Argon2, with no transaction open;
3. settle: the attempt becomes "success" or "failure"; the caller commits.

A pending attempt whose process died counts as a failure until it leaves the window.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tracker.accounts import sso_rules, throttle
from tracker.accounts.models import LoginAttempt, LoginGuard, User
from tracker.accounts.passwords import hash_password, is_usable_hash, needs_rehash, verify_password
from tracker.audit import services as audit
from tracker.database import utcnow
from tracker.extensions import db

BY_USERNAME = "username"
BY_ADDRESS = "address"
PENDING, SUCCESS, FAILURE, BLOCKED = "pending", "success", "failure", "blocked"


@dataclass(frozen=True)
class LoginPolicies:
    """The lock-out rule per username and per client address."""

    per_username: throttle.LockoutPolicy
    per_address: throttle.LockoutPolicy


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked_until_dt: datetime | None = None
    locked_by: str | None = None  # BY_USERNAME or BY_ADDRESS when locked_until_dt is set


@dataclass(frozen=True)
class _Claim:
    """What the password check needs, as plain values: the claim's transaction has ended."""

    attempt_id: int
    user_id: int | None
    password_hash: str | None
    may_use_password: bool  # LOCAL_LOGIN lets this account log in with a password


def log_in(
    username: str,
    password: str,
    policies: LoginPolicies,
    ip_address: str | None = None,
    local_login: str = sso_rules.LOCAL_LOGIN_ON,
) -> LoginResult:
    """Check a log-in attempt against both lock-out rules, the password and LOCAL_LOGIN; record and audit it.

    With LOCAL_LOGIN=admins a non-admin's right password counts as a failure: the answer is the same
    as for a wrong one, so the form does not tell whether the password was right.
    """
    name = (username or "").strip().lower()[:80]
    ip_address = ip_address[:64] if ip_address else None
    claim = _claim(name, policies, ip_address, utcnow(), local_login)
    # Committed here, before Argon2 runs: the claim's lock is released at once, and the next
    # attempt for this name or address already counts this one.
    db.session.commit()
    if isinstance(claim, LoginResult):
        return claim
    is_right, new_hash = _check_password(claim.password_hash, password)
    if is_right and not claim.may_use_password:
        return _settle(claim, name, False, None, policies, ip_address, refused_by_local_login=True)
    return _settle(claim, name, is_right, new_hash, policies, ip_address)


def _claim(
    name: str, policies: LoginPolicies, ip_address: str | None, now: datetime, local_login: str
) -> _Claim | LoginResult:
    _lock_guards(name, ip_address, now)
    until, locked_by = _lock_in_force(name, policies, ip_address, now)
    if until is not None:
        _record(name, BLOCKED, now, ip_address)
        changes = {"locked_until": until} | ({"locked_by": BY_ADDRESS} if locked_by == BY_ADDRESS else {})
        audit.record("login.blocked", username=name, ip_address=ip_address, changes=changes)
        return LoginResult(None, until, locked_by)
    attempt = _record(name, PENDING, now, ip_address)
    user = db.session.scalar(select(User).where(func.lower(User.username) == name))
    if user is None:
        return _Claim(attempt.id, None, None, may_use_password=False)
    # An account that signs in with Microsoft only has no usable password hash.
    password_hash = user.password_hash if is_usable_hash(user.password_hash) else None
    may_use_password = sso_rules.may_log_in_with_password(local_login, user.is_admin)
    return _Claim(attempt.id, user.id, password_hash, may_use_password)


def _lock_guards(name: str, ip_address: str | None, now: datetime) -> None:
    """Lock (creating if needed) the guard rows, always in the same order so no two attempts deadlock."""
    keys = sorted([(BY_USERNAME, name)] + ([(BY_ADDRESS, ip_address)] if ip_address else []))
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for scope, key in keys:
        statement = insert(LoginGuard).values(scope=scope, key=key, last_attempt_dt=now)
        db.session.execute(
            statement.on_conflict_do_update(index_elements=["scope", "key"], set_={"last_attempt_dt": now})
        )


def _lock_in_force(
    name: str, policies: LoginPolicies, ip_address: str | None, now: datetime
) -> tuple[datetime | None, str | None]:
    """The end of the lock-out on this username or address (and which), counting pending attempts."""
    checks = [(BY_USERNAME, LoginAttempt.username == name, policies.per_username)]
    if ip_address:
        checks.append((BY_ADDRESS, LoginAttempt.ip_address == ip_address, policies.per_address))
    for locked_by, condition, policy in checks:
        counted = select(LoginAttempt.at_dt).where(
            condition, LoginAttempt.outcome.in_((FAILURE, PENDING)), LoginAttempt.at_dt >= now - policy.lookback
        )
        times = list(db.session.scalars(counted))
        until = throttle.locked_until(times, now, policy.max_failures, policy.window, policy.lockout)
        if until is not None:
            return until, locked_by
    return None, None


def _check_password(password_hash: str | None, password: str) -> tuple[bool, str | None]:
    """Whether the password is right, and its new hash if the stored one used older parameters."""
    if password_hash is None:
        verify_password(_dummy_hash(), password or "")  # as slow as a real check: unknown names stay hidden
        return False, None
    if not verify_password(password_hash, password or ""):
        return False, None
    return True, hash_password(password) if needs_rehash(password_hash) else None


def _settle(
    claim: _Claim,
    name: str,
    is_right: bool,
    new_hash: str | None,
    policies: LoginPolicies,
    ip_address: str | None,
    refused_by_local_login: bool = False,
) -> LoginResult:
    attempt = db.session.get(LoginAttempt, claim.attempt_id)
    user = db.session.get(User, claim.user_id) if is_right else None
    if user is None or not user.is_enabled:
        attempt.outcome = FAILURE
        if refused_by_local_login:
            refused = {"reason": "local_login_admins"}
            audit.record("login.refused", username=name, ip_address=ip_address, changes=refused)
        else:
            audit.record("login.failed", username=name, ip_address=ip_address)
        db.session.flush()
        until, locked_by = _lock_in_force(name, policies, ip_address, attempt.at_dt)
        return LoginResult(None, until, locked_by)
    if new_hash is not None:
        user.password_hash = new_hash
    user.last_login_dt = utcnow()
    attempt.outcome = SUCCESS
    audit.record("login.success", user=user, ip_address=ip_address)
    return LoginResult(user)


def _record(name: str, outcome: str, now: datetime, ip_address: str | None) -> LoginAttempt:
    attempt = LoginAttempt(username=name, outcome=outcome, at_dt=now, ip_address=ip_address)
    db.session.add(attempt)
    db.session.flush()
    return attempt


_DUMMY_HASH: dict[str, str] = {}


def _dummy_hash() -> str:
    if "hash" not in _DUMMY_HASH:
        _DUMMY_HASH["hash"] = hash_password("ikke-et-ekte-passord")
    return _DUMMY_HASH["hash"]
