"""API tokens: long random secrets that let Power BI, Excel and scripts read the API as one user."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.accounts.models import User
from tracker.database import UTCDateTime, utcnow
from tracker.extensions import db


class ApiToken(db.Model):
    """One token of one user; only its SHA-256 hash and its first characters are stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # The token's first characters, so an admin can tell tokens apart; far too few to use it.
    prefix: Mapped[str] = mapped_column(String(16))
    # SHA-256 of the token: a copy of the table cannot be used to read the API.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_used_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When its use was last written to the audit trail (at most once an hour).
    last_audited_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_dt is not None

    @property
    def audit_label(self) -> str:
        return f"{self.name} ({self.prefix}…)"
