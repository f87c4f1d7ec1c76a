"""User accounts and roles."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.accounts.passwords import is_usable_hash
from tracker.database import TimestampMixin, UTCDateTime, utcnow
from tracker.extensions import db

ROLE_ADMIN = "admin"
ROLE_LEDERGRUPPE = "ledergruppe"
ROLE_OWNER = "tiltaksansvarlig"
ROLE_READER = "leser"
ROLES = (ROLE_ADMIN, ROLE_LEDERGRUPPE, ROLE_OWNER, ROLE_READER)
ROLE_LABELS = {
    ROLE_ADMIN: "Administrator (økonomi/controller)",
    ROLE_LEDERGRUPPE: "Kommunedirektørens ledergruppe",
    ROLE_OWNER: "Tiltaksansvarlig",
    ROLE_READER: "Leser",
}


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"
    # One account per Entra ID identity: the object id is unique within its tenant.
    __table_args__ = (UniqueConstraint("entra_tid", "entra_oid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(32), default=ROLE_READER)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped when the password changes or the user is disabled: ends all their sessions.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    last_login_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Microsoft Entra ID: tenant (`tid`) and object id (`oid`) from the ID token. An admin may set
    # the oid alone (pre-provisioned); the tenant is filled in at the first sign-in.
    entra_tid: Mapped[str | None] = mapped_column(String(36))
    entra_oid: Mapped[str | None] = mapped_column(String(36))
    # The programme the user last chose in the header; None: the default one (tracker.portfolio.queries).
    current_programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id", ondelete="SET NULL"))
    # The admin edit's optimistic lock, bumped by tracker.database.bump_version. Not version_id_col:
    # log-ins and password changes update the row too, and must not fail because an admin saved.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    def get_id(self) -> str:
        # The epoch in the session id makes old cookies useless once it is bumped.
        return f"{self.id}:{self.session_epoch}"

    @property
    def is_active(self) -> bool:  # Flask-Login: disabled users cannot log in
        return self.is_enabled

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def has_password(self) -> bool:
        """False for accounts that only sign in with Microsoft (no password was ever set)."""
        return is_usable_hash(self.password_hash)

    @property
    def is_admin(self) -> bool:
        return self.role == ROLE_ADMIN

    @property
    def can_read_all(self) -> bool:
        return self.role in ROLES

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


class UserSession(db.Model):
    """A server-side record of one log-in; the signed cookie carries only its random token.

    Ending the record (log-out, timeout, password change, disabled account) makes the cookie
    worthless even if someone kept a copy of it.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the token: a copy of the table cannot be turned into working cookies.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str | None] = mapped_column(String(32))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    @property
    def is_ended(self) -> bool:
        return self.ended_dt is not None


class LoginAttempt(db.Model):
    """One log-in attempt, counted per username and per client address in the database so every
    worker sees it."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at_dt"),
        Index("ix_login_attempts_ip_address_at", "ip_address", "at_dt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Lower-cased as typed (also names that do not exist, so guessing them is throttled too).
    username: Mapped[str] = mapped_column(String(80))
    at_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # "pending" while the password is being checked (counts as a failure until then), then
    # "success" or "failure"; "blocked" if refused during a lock-out (does not extend it).
    outcome: Mapped[str] = mapped_column(String(16))
    ip_address: Mapped[str | None] = mapped_column(String(64))


class LoginGuard(db.Model):
    """One row per username and per client address that tried to log in: the row an attempt
    locks while it counts earlier failures and records itself, so that attempts for the same
    name or address are counted one at a time, in every worker, on SQLite and PostgreSQL."""

    __tablename__ = "login_guards"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)  # "username" or "address"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    last_attempt_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
