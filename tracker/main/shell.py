"""What every page shows around its content, rendered once and reused: the style sheets and script,
the menu, the user box and the footer.

Why: their links and the user's rights cost about a tenth of a trivial request to render, and they
depend only on the mount point, the role (the menu) or the user's name, role and password login
(the user box). The box's log-out form gets the reader's CSRF token per request (readmodel.fragments).
"""

from dataclasses import dataclass

from flask import has_request_context, render_template, request
from markupsafe import Markup

from tracker.readmodel.cache import cached
from tracker.readmodel.fragments import fill_slots, render_slotted


@dataclass(frozen=True)
class PageShell:
    assets: Markup
    footer: Markup
    nav: Markup | None = None  # for a logged-in user only
    user_box: Markup | None = None


def page_shell(user) -> PageShell:
    """The parts of base.html around a page's content, for this user (None or anonymous: no menu)."""
    mount = request.script_root if has_request_context() else ""
    assets, footer = cached(("page_shell", mount), lambda: (_rendered("assets"), _rendered("footer")))
    if not getattr(user, "is_authenticated", False):
        return PageShell(assets, footer)
    nav = cached(("site_nav", mount, user.role), lambda: render_slotted("_shell/nav.html", user=user))
    box = cached(
        ("user_box", mount, user.display_name, user.role, user.has_password),
        lambda: render_slotted("_shell/user_box.html", user=user),
    )
    return PageShell(assets, footer, nav, fill_slots(box))


def _rendered(part: str) -> Markup:
    return Markup(render_template(f"_shell/{part}.html"))
