"""Form pages shared by every feature: a second chance to send a form that could not be taken."""

from urllib.parse import urlsplit

from flask import flash, render_template, request

from tracker.errors import ServiceError

NOT_RESENT = ("csrf_token", "password", "passord")


CSRF_REASON = "Dette skjer når en side har stått åpen lenge, eller etter at du har logget inn eller ut i en annen fane."


def resend_page(
    message: str,
    can_resend: bool,
    heading: str = "Skjemaet må sendes på nytt",
    login_url: str | None = None,
    reason: str = CSRF_REASON,
) -> str:
    """A page listing what the user posted (never passwords), optionally with a button to resend it."""
    fields = [(name, value) for name, value in request.form.items(multi=True) if not _is_secret(name)]
    return render_template(
        "main/csrf_error.html",
        heading=heading,
        message=message,
        reason=reason,
        fields=fields,
        action=request.full_path.rstrip("?"),
        can_resend=can_resend,
        had_files=bool(request.files),
        dropped_secret=any(_is_secret(name) and name != "csrf_token" for name in request.form),
        login_url=login_url,
    )


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return any(part in lowered for part in NOT_RESENT)


def is_same_origin() -> bool:
    """Offer to resend only a form that came from our own pages (not another site's forged post)."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return True
    return urlsplit(source).netloc == request.host


def apply_errors(form, exc: ServiceError, fields: dict[str, str] | None = None) -> None:
    """Show a refused change on its form: each message by its field, the rest as a flash.

    `fields` maps a service's field name to the form's where they differ.
    """
    for key, message in exc.errors_by_field.items():
        field = getattr(form, (fields or {}).get(key, key), None)
        if field is None or not hasattr(field, "errors"):
            _flash_refusal(form, message)
        else:
            field.errors = [*field.errors, message]
    if not exc.errors_by_field:
        _flash_refusal(form, str(exc))


def _flash_refusal(form, message: str) -> None:
    """A message for the whole form: flashed, and kept as a form error so the page is a refusal (400)."""
    flash(message, "error")
    form.form_errors = [*form.form_errors, message]
