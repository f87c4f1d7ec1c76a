"""The header every logged-in page shows: its menu and user box, rendered once and reused.

Why: the menu's links and the user's rights cost about a tenth of a trivial request to render, and
they depend only on the role (the menu) or on the user's name, role and password login (the user
box). The box's log-out form gets the reader's CSRF token per request (readmodel.fragments).
"""

from dataclasses import dataclass

from markupsafe import Markup

from tracker.readmodel.cache import cached
from tracker.readmodel.fragments import fill_slots, render_slotted


@dataclass(frozen=True)
class SiteHeader:
    nav: Markup
    user_box: Markup


def site_header(user) -> SiteHeader:
    """The logged-in user's menu and user box as HTML."""
    nav = cached(("site_nav", user.role), lambda: render_slotted("_site_nav.html", user=user))
    box = cached(
        ("user_box", user.display_name, user.role, user.has_password),
        lambda: render_slotted("_user_box.html", user=user),
    )
    return SiteHeader(nav, fill_slots(box))
