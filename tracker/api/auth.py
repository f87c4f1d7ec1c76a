"""Who calls the API: the token in `Authorization: Bearer …` or as the password of HTTP Basic, never in the URL."""

import base64
import binascii

# Query parameters a client might put a token in: refused, as URLs end up in logs and histories.
URL_TOKEN_PARAMS = frozenset({"token", "access_token", "api_key", "apikey"})
REALM = "tracker"
CHALLENGES = (
    ("WWW-Authenticate", f'Bearer realm="{REALM}"'),
    ("WWW-Authenticate", f'Basic realm="{REALM}", charset="UTF-8"'),
)


def has_token_in_url(args) -> bool:
    return any(name.lower() in URL_TOKEN_PARAMS for name in args)


def token_from_header(header: str | None) -> str | None:
    """The token of `Bearer <token>`, or the password of `Basic <user:password>` whatever the user name.

    Power BI's "Basic" credential asks for a user name and a password; the token is the password.
    """
    scheme, _, value = (header or "").strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer":
        return value or None
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    _user, has_colon, password = decoded.partition(":")
    return password.strip() or None if has_colon else None
