"""Cached public pages (ARCHITECTURE §7): a page's key carries the time its community's boards last changed,
so publishing, withdrawing or answering feedback makes every old copy unreachable at once.

The stamp itself is cached too, so that a cached page costs no database query: a change drops the cached stamp
at once and again when its transaction commits (every process shares the cache, so every process sees it).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from jiceng.orgs.models import Area

from .models import BoardStamp

TTL_SECONDS = 600  # the stamp invalidates on change; the TTL only bounds memory
# A request that read the stamp just before a change committed may put the old stamp back after the commit's
# drop; this bounds how long such a page can outlive the change.
STAMP_TTL_SECONDS = 60


def _stamp_key(community_id: int) -> str:
    return f"public-stamp:{community_id}"


def touch(community: Area) -> None:
    """Called inside the transaction of a change the public pages show."""
    BoardStamp.objects.update_or_create(community=community, defaults={"changed_at": timezone.now()})
    key = _stamp_key(community.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def stamp(community_id: int) -> str:
    key = _stamp_key(community_id)
    value = cache.get(key)
    if value is None:
        changed = BoardStamp.objects.filter(community_id=community_id).values_list("changed_at", flat=True).first()
        value = changed.isoformat() if changed else "0"
        cache.add(key, value, STAMP_TTL_SECONDS)  # add, not set: a drop by a commit since the read wins
    return value


def page_key(community_id: int, key: str) -> str:
    # The date is part of the key too: an item leaves the board on its withdrawal date without any write.
    return f"public:{community_id}:{stamp(community_id)}:{timezone.localdate().isoformat()}:{key}"


def cached(community_id: int, key: str, render) -> bytes | str:
    """The page for `key` as of the community's current stamp, rendering it on a miss."""
    full_key = page_key(community_id, key)
    page = cache.get(full_key)
    if page is None:
        page = render()
        cache.set(full_key, page, TTL_SECONDS)
    return page
