"""Creating, listing, revoking and checking API tokens. The caller commits.

A token is "trk_" and 43 URL-safe random characters (256 bits). Only its SHA-256 hash is stored
(like session tokens): a token that random needs no slow hash, and the hash is looked up directly.
"""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from tracker.accounts.models import User
from tracker.accounts.permissions import require_admin
from tracker.accounts.sessions import hash_token
from tracker.api_tokens.models import ApiToken
from tracker.audit import services as audit
from tracker.database import utcnow
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.text import check_texts, line

TOKEN_START = "trk_"
SHOWN_CHARS = 12
MAX_NAME_CHARS = 100
NAME_TEXT = line(MAX_NAME_CHARS)
# Longer than any token we hand out: anything longer is refused before it is hashed.
MAX_TOKEN_CHARS = 200
AUDIT_INTERVAL = timedelta(hours=1)
TOUCH_INTERVAL = timedelta(minutes=1)


class TokenError(ServiceError):
    """A token the rules refuse (no name, a disabled user, already revoked)."""


def _refused(field: str, message: str) -> TokenError:
    return TokenError(message, {field: message})


def new_secret() -> str:
    return TOKEN_START + secrets.token_urlsafe(32)


def create_token(user: User, name: str, actor) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its secret, which is shown once and never stored."""
    require_admin(actor, "api_token.create")
    name = (name or "").strip()
    if not name:
        raise _refused("name", "Gi nøkkelen et navn, for eksempel «Power BI økonomi».")
    check_texts({"name": name}, {"name": NAME_TEXT}, TokenError)
    if not user.is_enabled:
        raise _refused("user", f"Brukeren {user.username} er deaktivert og kan ikke få en API-nøkkel.")
    secret = new_secret()
    token = ApiToken(
        user=user,
        name=name,
        prefix=secret[:SHOWN_CHARS],
        token_hash=hash_token(secret),
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(token)
    audit.record("api_token.create", user=actor, obj=token, changes={"user": {"old": None, "new": user.username}})
    return token, secret


def revoke_token(token: ApiToken, actor) -> None:
    """Revoke a token for good: it is refused from the next request on."""
    require_admin(actor, "api_token.revoke")
    if token.is_revoked:
        raise TokenError(f"Nøkkelen {token.audit_label} er allerede trukket tilbake.")
    token.revoked_dt = utcnow()
    token.revoked_by_id = getattr(actor, "id", None)
    audit.record("api_token.revoke", user=actor, obj=token)


def list_tokens() -> list[ApiToken]:
    """Every token, newest first, with its user."""
    query = select(ApiToken).options(joinedload(ApiToken.user)).order_by(ApiToken.created_dt.desc(), ApiToken.id.desc())
    return list(db.session.scalars(query))


def enabled_users() -> list[User]:
    """The users a token can be made for, by username."""
    return list(db.session.scalars(select(User).where(User.is_enabled.is_(True)).order_by(User.username)))


def find_token(key: str) -> ApiToken | None:
    """A token by its id or its shown prefix (as `api-tokens list` prints them)."""
    key = (key or "").strip()
    if key.isdigit():
        return db.session.get(ApiToken, int(key))
    return db.session.scalar(select(ApiToken).where(ApiToken.prefix == key)) if key else None


def authenticate(secret: str | None) -> ApiToken | None:
    """The token with this secret, if it is neither revoked nor of a disabled user."""
    if not secret or len(secret) > MAX_TOKEN_CHARS:
        return None
    token = db.session.scalar(
        select(ApiToken).options(joinedload(ApiToken.user)).where(ApiToken.token_hash == hash_token(secret))
    )
    if token is None or token.is_revoked or not token.user.is_enabled:
        return None
    return token


def is_use_due(token: ApiToken, now: datetime) -> bool:
    """Whether a request must write last-used or audit the use; most requests write nothing."""
    return _is_due(token.last_used_dt, now, TOUCH_INTERVAL) or _is_due(token.last_audited_dt, now, AUDIT_INTERVAL)


def _is_due(last_dt: datetime | None, now: datetime, interval: timedelta) -> bool:
    return last_dt is None or last_dt <= now - interval


def record_use(token_id: int, now: datetime) -> bool:
    """Write last-used (at most once a minute) and an audit entry (at most once an hour); True when audited.

    Both are conditional UPDATEs, so parallel requests in several workers audit a token's hour once.
    """
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, _not_since(ApiToken.last_used_dt, now - TOUCH_INTERVAL))
        .values(last_used_dt=now)
        .execution_options(synchronize_session=False)
    )
    claimed = db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, _not_since(ApiToken.last_audited_dt, now - AUDIT_INTERVAL))
        .values(last_audited_dt=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        return False
    token = db.session.get(ApiToken, token_id)
    audit.record("api_token.use", user=token.user, obj=token)
    return True


def _not_since(column, moment: datetime):
    return or_(column.is_(None), column <= moment)
