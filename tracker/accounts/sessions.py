"""Server-side session records: starting, checking, touching and ending them. The caller commits.

The signed session cookie holds a random token; the database holds its SHA-256 hash, the user,
when the session started and when it was last used. A session is valid only while its record is
not ended and neither the idle nor the absolute timeout has passed.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update

from tracker.accounts.models import User, UserSession
from tracker.database import utcnow
from tracker.extensions import db
from tracker.text import without_control

TOKEN_KEY = "sid"
END_LOGOUT = "logout"
END_IDLE = "idle_timeout"
END_ABSOLUTE = "absolute_timeout"
END_PASSWORD = "password_change"
END_DISABLED = "disabled"
END_REPLACED = "replaced"  # a new log-in in the same browser


@dataclass(frozen=True)
class Timeouts:
    idle: timedelta
    absolute: timedelta
    # Last-seen is written at most this often, so reading pages does not write on every request.
    touch_interval: timedelta = timedelta(seconds=60)


@dataclass(frozen=True)
class SessionCheck:
    user: User | None
    record: UserSession | None = None
    # None when valid; else "missing", "ended", "user", END_IDLE or END_ABSOLUTE.
    problem: str | None = None
    needs_touch: bool = False

    @property
    def has_expired(self) -> bool:
        return self.problem in (END_IDLE, END_ABSOLUTE)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(user: User, ip_address: str | None = None, user_agent: str | None = None) -> str:
    """Record a new session for the user and return its token (for the cookie, never stored)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        UserSession(
            token_hash=hash_token(token),
            user_id=user.id,
            created_dt=now,
            last_seen_dt=now,
            ip_address=ip_address,
            user_agent=without_control(user_agent or "", keep_line_breaks=False)[:300] or None,
        )
    )
    db.session.flush()
    return token


def find(token: str | None) -> UserSession | None:
    if not token:
        return None
    return db.session.scalar(select(UserSession).where(UserSession.token_hash == hash_token(token)))


def check(login_id: str, token: str | None, now: datetime, timeouts: Timeouts) -> SessionCheck:
    """Whether Flask-Login's "<user id>:<epoch>" and the cookie's token make a valid session."""
    user_id, _, epoch = (login_id or "").partition(":")
    if not user_id.isdigit() or not epoch.lstrip("-").isdigit():
        return SessionCheck(None, problem="user")
    record = find(token)
    if record is None:
        return SessionCheck(None, problem="missing")
    if record.is_ended:
        return SessionCheck(None, record, problem="ended")
    user = db.session.get(User, int(user_id))
    if user is None or record.user_id != user.id or not user.is_enabled or user.session_epoch != int(epoch):
        return SessionCheck(None, record, problem="user")
    if now - record.created_dt > timeouts.absolute:
        return SessionCheck(None, record, problem=END_ABSOLUTE)
    if now - record.last_seen_dt > timeouts.idle:
        return SessionCheck(None, record, problem=END_IDLE)
    return SessionCheck(user, record, needs_touch=now - record.last_seen_dt >= timeouts.touch_interval)


def touch(session_id: int, now: datetime) -> None:
    db.session.execute(
        update(UserSession).where(UserSession.id == session_id, UserSession.ended_dt.is_(None)).values(last_seen_dt=now)
    )


def end(session_id: int, reason: str, now: datetime | None = None) -> None:
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == session_id, UserSession.ended_dt.is_(None))
        .values(ended_dt=now or utcnow(), end_reason=reason)
    )


def end_by_token(token: str | None, reason: str) -> None:
    record = find(token)
    if record is not None:
        end(record.id, reason)


def end_all_for_user(user: User, reason: str) -> int:
    """End every open session of the user (password change, account disabled); returns how many."""
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_dt.is_(None))
        .values(ended_dt=utcnow(), end_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def prune(older_than: datetime) -> int:
    """Delete session records that ended or were last used before `older_than`."""
    result = db.session.execute(
        delete(UserSession)
        .where(or_(UserSession.ended_dt < older_than, UserSession.last_seen_dt < older_than))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
