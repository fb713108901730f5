"""Cached public pages (ARCHITECTURE §7): a page's key carries the time its community's boards last changed,
so publishing, withdrawing or answering feedback makes every old copy unreachable at once."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from jiceng.orgs.models import Area

from .models import BoardStamp

TTL_SECONDS = 600  # the stamp invalidates on change; the TTL only bounds memory


def touch(community: Area) -> None:
    """Called inside the transaction of a change the public pages show."""
    BoardStamp.objects.update_or_create(community=community, defaults={"changed_at": timezone.now()})


def stamp(community_id: int) -> str:
    changed = BoardStamp.objects.filter(community_id=community_id).values_list("changed_at", flat=True).first()
    return changed.isoformat() if changed else "0"


def cached(community_id: int, key: str, render) -> bytes | str:
    """The page for `key` as of the community's current stamp, rendering it on a miss."""
    # The date is part of the key too: an item leaves the board on its withdrawal date without any write.
    full_key = f"public:{community_id}:{stamp(community_id)}:{timezone.localdate().isoformat()}:{key}"
    page = cache.get(full_key)
    if page is None:
        page = render()
        cache.set(full_key, page, TTL_SECONDS)
    return page
