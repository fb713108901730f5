"""Queries of the public site (ARCHITECTURE §7): only open communities and what is on their boards."""

from __future__ import annotations

import datetime
import re

from django.db.models import Q, QuerySet
from django.utils import timezone

from jiceng.core.errors import NotFound, ValidationFailed
from jiceng.orgs.models import Area

from .models import DisclosureItem

PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]))?$")
BOARD_LIMIT = 300  # a board shows the newest items; older ones stay in the archive and the feed


def public_community(community_id: int) -> Area:
    community = (Area.objects.active(timezone.localdate()).filter(pk=community_id, level=Area.Level.COMMUNITY)
                 .first())
    if community is None:
        raise NotFound()
    return community


def _period_bounds(period: str) -> tuple[datetime.date, datetime.date]:
    match = PERIOD.match(period or "")
    if not match:
        raise ValidationFailed("期间格式为 YYYY 或 YYYY-MM。", "A period reads YYYY or YYYY-MM.",
                               facts={"field": "period"})
    year = int(match.group(1))
    if match.group(2) is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    month = int(match.group(2))
    end = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
    return datetime.date(year, month, 1), end


def board_items(community: Area, board: str, *, category: str | None = None,
                period: str | None = None) -> QuerySet[DisclosureItem]:
    """Published items of a board (superseded versions included, marked), newest first; withdrawn ones and those
    past their withdrawal date are off the board."""
    today = timezone.localdate()
    qs = (DisclosureItem.objects.on_board().filter(community=community, board=board)
          .filter(Q(withdraw_on__isnull=True) | Q(withdraw_on__gt=today))
          .select_related("community", "superseded_by").prefetch_related("attachments"))
    if category:
        qs = qs.filter(category=category)
    if period:
        start, end = _period_bounds(period)
        covered = Q(period_start__lte=end, period_end__gte=start)
        published = Q(period_start__isnull=True, published_at__date__gte=start, published_at__date__lte=end)
        qs = qs.filter(covered | published)
    return qs.order_by("-published_at", "-pk")[:BOARD_LIMIT]

