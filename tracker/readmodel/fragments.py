"""Cached HTML with slots for what differs per request: the reader's CSRF token.

Why: a page whose rows carry small forms (an approve button per figure) needs the reader's CSRF
token in every form, and the token belongs to the session, so such HTML could not be cached per
data version. Rendered with `render_slotted`, the template's `csrf_token()` and the `csrf_field`
it is given write unguessable markers instead; `fill_slots` puts the reader's token and field in
their place with one string replacement per request. The markers are random per process start,
so no text a user typed can hold one (and if it did, the reader would see only their own token).
"""

import secrets

from flask import render_template
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

_NONCE = secrets.token_hex(12)
CSRF_TOKEN_SLOT = f"csrf-token-slot-{_NONCE}"
CSRF_FIELD_SLOT = Markup(f"<!--csrf-field-slot-{_NONCE}-->")


def _token_slot() -> str:
    return CSRF_TOKEN_SLOT


def render_slotted(template: str, **context) -> Markup:
    """The template as HTML to cache: `csrf_token()` and `csrf_field` write markers for fill_slots."""
    return Markup(render_template(template, csrf_token=_token_slot, csrf_field=CSRF_FIELD_SLOT, **context))


def fill_slots(html: Markup, csrf_field: Markup | None = None) -> Markup:
    """Cached HTML with the reader's CSRF token (and hidden CSRF field, when it has a slot for one)."""
    text = str(html)
    if CSRF_TOKEN_SLOT in text:
        text = text.replace(CSRF_TOKEN_SLOT, generate_csrf())
    if CSRF_FIELD_SLOT in text:
        if csrf_field is None:
            raise ValueError("This HTML has a slot for a CSRF field: pass the field.")
        text = text.replace(CSRF_FIELD_SLOT, str(csrf_field))
    return Markup(text)
