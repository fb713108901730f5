"""Rate limits for what the public may send without an account (feedback, opinions): at most
JICENG_FEEDBACK_PER_HOUR messages per client address and hour, counted in the shared cache."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .errors import RateLimited

WINDOW_SECONDS = 3600


def client_key(request) -> str:
    """The address a public request came from, for rate limiting only (never stored). Behind our own proxy
    (JICENG_BEHIND_PROXY) every request comes from the proxy, so the address it appended last is the client's;
    earlier entries are whatever the client claimed and are ignored."""
    if settings.JICENG_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def throttle(client: str) -> None:
    hashed = hashlib.sha256(client.encode()).hexdigest()[:32]  # addresses are personal data: never stored
    bucket = f"public-rate:{hashed}:{int(timezone.now().timestamp()) // WINDOW_SECONDS}"
    cache.add(bucket, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, WINDOW_SECONDS)
        count = 1
    if count > settings.JICENG_FEEDBACK_PER_HOUR:
        raise RateLimited("提交过于频繁，请一小时后再试。", "Too many messages; please try again in an hour.",
                          facts={"limit_per_hour": settings.JICENG_FEEDBACK_PER_HOUR})
