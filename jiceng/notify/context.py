"""Template context: the unread badge of the top bar."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .queries import unread_badge


def unread_notifications(request) -> dict:
    """`unread_notifications` for base.html: counted only when a page shows it (one query), and only
    for a logged-in user; htmx partials that do not extend base.html never pay for it."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_badge(user))}
