"""The OpenID Connect client for Microsoft Entra ID (Authlib): settings, the redirect, the callback.

Authorization code flow with PKCE (S256), `state` and `nonce`. Authlib keeps state, nonce and the
PKCE verifier in the signed session cookie and removes them when the callback uses them, so a
state works once. The ID token is checked against the provider's published keys (signature),
the issuer, our client id (audience), its expiry and the nonce; only then are its claims used.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import current_app
from joserfc.errors import JoseError
from requests import RequestException

from tracker.accounts import sso_rules
from tracker.accounts.models import ROLES

CLIENT_NAME = "entra"
SCOPES = "openid profile email"
TENANT_PLACEHOLDER = "{tenantid}"  # Entra's multi-tenant metadata names the issuer with it
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    timeout_s: int
    policy: sso_rules.SsoPolicy


class OidcFailure(Exception):
    """The sign-in failed in the protocol; `reason` is a stable code for the audit trail."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def local_login_mode(config: Mapping[str, Any]) -> str:
    """LOCAL_LOGIN as one of on, admins, off; anything else is a configuration error."""
    mode = str(config.get("LOCAL_LOGIN") or sso_rules.LOCAL_LOGIN_ON).strip().lower()
    if mode not in sso_rules.LOCAL_LOGIN_MODES:
        raise RuntimeError(f"LOCAL_LOGIN must be one of {', '.join(sso_rules.LOCAL_LOGIN_MODES)}, got {mode!r}")
    return mode


def settings_from_config(config: Mapping[str, Any]) -> OidcSettings | None:
    """The single sign-on settings, or None while OIDC_ISSUER is empty; refuses an incomplete setup."""
    issuer = str(config.get("OIDC_ISSUER") or "").strip()
    if not issuer:
        return None
    _check_issuer(issuer)
    client_id, client_secret = str(config.get("OIDC_CLIENT_ID") or ""), str(config.get("OIDC_CLIENT_SECRET") or "")
    if not client_id or not client_secret:
        raise RuntimeError("OIDC_ISSUER is set: OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are required too")
    return OidcSettings(
        issuer=issuer.rstrip("/"),
        client_id=client_id,
        client_secret=client_secret,
        timeout_s=int(config.get("OIDC_TIMEOUT_S") or 10),
        policy=sso_rules.SsoPolicy(
            allowed_tenants=_allowed_tenants(config.get("OIDC_ALLOWED_TENANTS") or []),
            role_map=_role_map(config.get("OIDC_ROLE_MAP") or {}),
            role_ranking=ROLES,
        ),
    )


def _check_issuer(issuer: str) -> None:
    parts = urlsplit(issuer)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
        raise RuntimeError(f"OIDC_ISSUER must be an https URL (http only on this machine), got {issuer!r}")


def _allowed_tenants(values) -> frozenset[str]:
    tenants = {sso_rules.normalise_guid(value) for value in values}
    if not values or "" in tenants:
        raise RuntimeError("OIDC_ALLOWED_TENANTS must list the tenant ids (GUIDs) whose users may sign in")
    return frozenset(tenants)


def _role_map(mapping: Mapping[str, str]) -> dict[str, str]:
    unknown = sorted(role for role in mapping.values() if role not in ROLES)
    if not mapping or unknown:
        raise RuntimeError(f"OIDC_ROLE_MAP must map app roles to {', '.join(ROLES)}; unknown: {', '.join(unknown)}")
    return dict(mapping)


def check_config(config: Mapping[str, Any]) -> None:
    """Fail at start-up, not at the first sign-in, when the sign-in settings do not fit together."""
    mode = local_login_mode(config)
    if settings_from_config(config) is None and mode == sso_rules.LOCAL_LOGIN_OFF:
        raise RuntimeError("LOCAL_LOGIN=off needs single sign-on: set OIDC_ISSUER and the other OIDC_ settings")


def current_settings() -> OidcSettings | None:
    return settings_from_config(current_app.config)


def _client(settings: OidcSettings) -> FlaskOAuth2App:
    """One Authlib client per app and settings; it caches the provider's metadata and keys."""
    clients = current_app.extensions.setdefault("tracker_oidc_clients", {})
    key = (settings.issuer, settings.client_id, settings.client_secret, settings.timeout_s)
    if key not in clients:
        clients[key] = FlaskOAuth2App(
            FlaskIntegration(CLIENT_NAME),
            CLIENT_NAME,
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            server_metadata_url=f"{settings.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": SCOPES, "code_challenge_method": "S256", "default_timeout": settings.timeout_s},
        )
    return clients[key]


def redirect_to_provider(settings: OidcSettings, redirect_uri: str):
    """The redirect to the provider's sign-in page; state, nonce and PKCE verifier go in the session."""
    try:
        return _client(settings).authorize_redirect(redirect_uri)
    except (RequestException, ValueError) as exc:
        raise OidcFailure("unavailable", str(exc)) from exc


def claims_from_callback(settings: OidcSettings) -> dict[str, Any]:
    """The verified ID token's claims for the provider's answer in this request, or OidcFailure."""
    client = _client(settings)
    try:
        metadata = client.load_server_metadata()
        token = client.authorize_access_token(claims_options=claims_options(settings, metadata))
    except MismatchingStateError as exc:
        raise OidcFailure("state", "unknown, used or missing state") from exc
    except OAuthError as exc:
        raise OidcFailure("provider", f"{exc.error}: {exc.description or ''}".strip()) from exc
    except JoseError as exc:
        raise OidcFailure("token", f"{exc.error}: {exc.description or ''}".strip()) from exc
    except (RequestException, ValueError) as exc:
        raise OidcFailure("unavailable", str(exc)) from exc
    if not token.get("userinfo"):
        raise OidcFailure("token", "no ID token in the answer")
    return dict(token["userinfo"])


def claims_options(settings: OidcSettings, metadata: Mapping[str, Any]) -> dict[str, dict]:
    """The issuer must be the configured one and the audience our client id."""
    issuer_template = str(metadata.get("issuer") or "").rstrip("/")

    def is_our_issuer(claims, value) -> bool:
        if TENANT_PLACEHOLDER in issuer_template:
            return value == issuer_template.replace(TENANT_PLACEHOLDER, str(claims.get("tid", "")))
        return str(value).rstrip("/") == settings.issuer

    return {
        "iss": {"essential": True, "validate": is_our_issuer},
        "aud": {"essential": True, "value": settings.client_id},
    }
