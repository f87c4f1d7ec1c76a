"""Signing in with Microsoft Entra ID: find, link or create the account and set its role. The caller commits.

The claims come from an ID token whose signature, issuer, audience, expiry and nonce the OpenID
Connect client has already checked (tracker.accounts.oidc). Here the tracker's own rules apply:
the tenant must be allowed, the token must carry a known app role, and the account must be enabled.
"""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, or_, select

from tracker.accounts import sso_rules
from tracker.accounts.models import User
from tracker.accounts.passwords import NO_PASSWORD_HASH
from tracker.accounts.permissions import SystemActor, require_actor
from tracker.accounts.services import create_user, get_by_username
from tracker.audit import services as audit
from tracker.database import utcnow
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.text import without_control

METHOD = "oidc"
MESSAGES = {
    "claims": "Svaret fra Microsoft manglet tenant eller objekt-ID, så vi vet ikke hvem du er. Kontakt en administrator.",
    "wrong_tenant": (
        "Kontoen din tilhører en organisasjon som ikke har tilgang til Tiltaksporteføljen. "
        "Logg inn med jobbkontoen din i kommunen."
    ),
    "no_role": (
        "Du har ikke fått en rolle i Tiltaksporteføljen. Be en administrator om å gi deg en av appens "
        "roller i Microsoft Entra ID (for eksempel Tracker.Leser), og logg inn på nytt."
    ),
    "disabled": "Kontoen din i Tiltaksporteføljen er deaktivert. Kontakt en administrator.",
    "ambiguous": (
        "Flere brukere i Tiltaksporteføljen har e-postadressen din, så innloggingen kunne ikke knyttes til "
        "én av dem. Be en administrator om å legge inn Entra-ID-en din på riktig bruker."
    ),
}


class SignInRefused(ServiceError):
    """A verified token the tracker does not let in; `reason` is a stable code for the audit trail."""

    def __init__(self, reason: str, username: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(MESSAGES[reason])
        self.reason = reason
        self.username = username
        self.details = details or {}


def sign_in(claims: Mapping[str, Any], policy: sso_rules.SsoPolicy, *, actor: SystemActor) -> User:
    """The user a verified ID token signs in: found, linked or created, with the token's role."""
    require_actor(actor)
    identity = sso_rules.identity_from_claims(claims)
    if identity is None:
        raise SignInRefused("claims", _claimed_name(claims))
    if not sso_rules.is_allowed_tenant(identity.tid, policy):
        raise SignInRefused("wrong_tenant", identity.username, {"entra_tid": identity.tid})
    role = sso_rules.tracker_role(identity.app_roles, policy)
    if role is None:
        raise SignInRefused("no_role", identity.username, {"roles": list(identity.app_roles)})
    user = _find_linked(identity) or _link_existing(identity, actor) or _create(identity, role, actor)
    _update_from_token(user, identity, role, actor)
    user.last_login_dt = utcnow()
    audit.record("login.success", user=user, changes={"method": METHOD})
    return user


def record_refusal(refusal: SignInRefused) -> None:
    """Audit a refused sign-in (the caller has rolled back whatever the attempt changed)."""
    changes = {"method": METHOD, "reason": refusal.reason, **refusal.details}
    audit.record("login.refused", username=refusal.username or "ukjent", changes=changes)


def record_failure(reason: str, detail: str) -> None:
    """Audit a sign-in that failed in the protocol (state, token, provider) before any rule ran."""
    changes = {"method": METHOD, "reason": reason, "error": without_control(detail)[:300]}
    audit.record("login.failed", username="ukjent", changes=changes)


def _claimed_name(claims: Mapping[str, Any]) -> str | None:
    name = claims.get("preferred_username") or claims.get("email") or claims.get("sub")
    return without_control(str(name), keep_line_breaks=False)[:80] if name else None


def _find_linked(identity: sso_rules.TokenIdentity) -> User | None:
    user = db.session.scalar(select(User).where(User.entra_tid == identity.tid, User.entra_oid == identity.oid))
    _refuse_disabled(user, identity)
    return user


def _refuse_disabled(user: User | None, identity: sso_rules.TokenIdentity) -> None:
    if user is not None and not user.is_enabled:
        raise SignInRefused("disabled", user.username, {"entra_oid": identity.oid})


def _link_existing(identity: sso_rules.TokenIdentity, actor: SystemActor) -> User | None:
    """An account an admin gave this oid, else one whose e-mail or username the token vouches for."""
    matched_by = "entra_oid"
    user = db.session.scalar(select(User).where(User.entra_tid.is_(None), User.entra_oid == identity.oid))
    if user is None:
        matched_by = "email"
        user = _account_with_name(identity)
    if user is None:
        return None
    _refuse_disabled(user, identity)
    user.entra_tid, user.entra_oid = identity.tid, identity.oid
    changes = {"entra_tid": identity.tid, "entra_oid": identity.oid, "matched_by": matched_by}
    audit.record("user.sso_link", user=actor, obj=user, changes=changes)
    return user


def _account_with_name(identity: sso_rules.TokenIdentity) -> User | None:
    """The one unlinked account whose e-mail or username is the token's UPN or verified e-mail."""
    if not identity.link_names:
        return None
    names = list(identity.link_names)
    query = select(User).where(
        User.entra_oid.is_(None),
        or_(func.lower(User.email).in_(names), func.lower(User.username).in_(names)),
    )
    candidates = list(db.session.scalars(query.limit(2)))
    if len(candidates) > 1:
        raise SignInRefused("ambiguous", identity.username, {"entra_oid": identity.oid})
    return candidates[0] if candidates else None


def _create(identity: sso_rules.TokenIdentity, role: str, actor: SystemActor) -> User:
    username = identity.username
    if get_by_username(username) is not None:
        username = f"{username[: sso_rules.USERNAME_MAX_LENGTH - 9]}-{identity.oid[:8]}"
    return create_user(
        username,
        None,
        role,
        full_name=identity.full_name,
        email=identity.email,
        actor=actor,
        entra_tid=identity.tid,
        entra_oid=identity.oid,
    )


def _update_from_token(user: User, identity: sso_rules.TokenIdentity, role: str, actor: SystemActor) -> None:
    """Role (every sign-in), name and e-mail from the token; an unused one-time password is retired."""
    before = {"role": user.role, "full_name": user.full_name, "email": user.email}
    after = {"role": role, "full_name": identity.full_name or user.full_name, "email": identity.email or user.email}
    for name, value in after.items():
        setattr(user, name, value)
    changes = audit.diff(before, after)
    if user.must_change_password:
        # The one-time password only existed to get in; Microsoft is the way in now.
        user.password_hash, user.must_change_password = NO_PASSWORD_HASH, False
        changes["one_time_password"] = {"old": "gyldig", "new": "trukket tilbake"}
    if changes:
        audit.record("user.sso_update", user=actor, obj=user, changes=changes)
