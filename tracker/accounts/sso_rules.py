"""Single sign-on rules: who may sign in, with which role, and which account a token may take over.

Pure: no Flask, no database. The claims are those of a verified ID token from Microsoft Entra ID
(or any OpenID provider that sends the same claims): `tid` (tenant), `oid` (object id), `roles`
(app roles), `name`, `preferred_username` (the UPN) and `email` / `email_verified`.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tracker.text import without_control

LOCAL_LOGIN_ON = "on"
LOCAL_LOGIN_ADMINS = "admins"
LOCAL_LOGIN_OFF = "off"
LOCAL_LOGIN_MODES = (LOCAL_LOGIN_ON, LOCAL_LOGIN_ADMINS, LOCAL_LOGIN_OFF)
GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
USERNAME_MAX_LENGTH = 80


@dataclass(frozen=True)
class SsoPolicy:
    """What the configuration allows: the tenants, and app role → tracker role (most rights first)."""

    allowed_tenants: frozenset[str]
    role_map: Mapping[str, str]
    role_ranking: tuple[str, ...]


@dataclass(frozen=True)
class TokenIdentity:
    """The person an ID token names, in the shape the tracker stores."""

    tid: str
    oid: str
    username: str
    full_name: str
    email: str | None
    # Lower-cased names the token vouches for (UPN, verified e-mail): they may link a local account.
    link_names: tuple[str, ...]
    app_roles: tuple[str, ...]


def normalise_guid(value: Any) -> str:
    """A GUID in lower case without spaces, or "" when the value is not a GUID."""
    text = str(value or "").strip().lower()
    return text if GUID_RE.match(text) else ""


def _text(claims: Mapping[str, Any], name: str) -> str:
    value = claims.get(name)
    return without_control(value, keep_line_breaks=False).strip() if isinstance(value, str) else ""


def _app_roles(claims: Mapping[str, Any]) -> tuple[str, ...]:
    roles = claims.get("roles")
    if isinstance(roles, str):
        roles = [roles]
    return tuple(role for role in roles or () if isinstance(role, str))


def _link_names(claims: Mapping[str, Any]) -> tuple[str, ...]:
    names = [_text(claims, "preferred_username").lower()]
    if claims.get("email_verified") is True:
        names.append(_text(claims, "email").lower())
    return tuple(dict.fromkeys(name for name in names if name))


def identity_from_claims(claims: Mapping[str, Any]) -> TokenIdentity | None:
    """The identity in a token's claims, or None when the tenant or object id is missing."""
    tid, oid = normalise_guid(claims.get("tid")), normalise_guid(claims.get("oid"))
    if not tid or not oid:
        return None
    upn = _text(claims, "preferred_username")
    email = _text(claims, "email") or (upn if "@" in upn else "")
    return TokenIdentity(
        tid=tid,
        oid=oid,
        username=(upn or email or oid).lower()[:USERNAME_MAX_LENGTH],
        full_name=_text(claims, "name")[:200],
        email=email.lower()[:254] or None,
        link_names=_link_names(claims),
        app_roles=_app_roles(claims),
    )


def is_allowed_tenant(tid: str, policy: SsoPolicy) -> bool:
    return tid in policy.allowed_tenants


def tracker_role(app_roles: Iterable[str], policy: SsoPolicy) -> str | None:
    """The tracker role with the most rights among the token's known app roles, or None."""
    mapped = {policy.role_map[role] for role in app_roles if role in policy.role_map}
    return next((role for role in policy.role_ranking if role in mapped), None)


def may_log_in_with_password(mode: str, is_admin: bool) -> bool:
    """LOCAL_LOGIN: "on" lets everyone use a password, "admins" only admins (break-glass), "off" nobody."""
    return mode == LOCAL_LOGIN_ON or (mode == LOCAL_LOGIN_ADMINS and is_admin)
