"""The ends of a form: commit the one transaction, say so and move on; or show it again, refused."""

from flask import flash, redirect

from tracker.extensions import db


def form_status(form) -> int:
    """The status of a page that shows `form`: 400 when it shows the form refused (with errors), else 200."""
    return 400 if form.errors else 200


def commit_then_redirect(message: str, url: str):
    """Commit the user's change, flash `message` as a success and redirect to `url`."""
    db.session.commit()
    flash(message, "success")
    return redirect(url)


def commit_or_flash_refusal(run, refused: type[Exception], message: str) -> None:
    """Run a confirmed service call: flash its refusal as an error, or commit and flash `message`."""
    try:
        run()
    except refused as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(message, "success")
