"""The end of every form that went through: commit the one transaction, say so, move on."""

from flask import flash, redirect

from tracker.extensions import db


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
