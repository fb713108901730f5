"""The caller's own notifications: list (unread first, keyset pages) and mark read."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from jiceng.core.errors import ValidationFailed
from jiceng.notify import queries, services
from jiceng.notify.models import Notification

from .common import PAGE_MAX

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    rule_id: str
    link: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    next_after: str | None
    unread: int


@router.get("/notifications", response=NotificationPage, summary="Your notifications, unread first",
            description="Newest first within unread, then read. `after`: the `next_after` of the previous page "
                        "(opaque). `unread`: how many are unread, counted up to 100.")
def list_notifications(request, after: str = Query("", max_length=20), limit: int = Query(50, ge=1, le=PAGE_MAX)):
    try:
        rows, next_after = queries.inbox(request.auth, after=after, limit=limit)
    except ValueError:
        raise ValidationFailed("分页参数 after 无效。", "Invalid `after` cursor.", code="invalid",
                               facts={"after": after}) from None
    return {"items": rows, "next_after": next_after, "unread": queries.unread_badge(request.auth).count}


@router.post("/notifications/read-all", summary="Mark all your notifications read")
def read_all(request):
    return {"marked": services.mark_all_read(request.auth)}


@router.post("/notifications/{int:notification_id}/read", response=NotificationOut, summary="Mark one read")
def read(request, notification_id: int):
    notification = get_object_or_404(Notification.objects.visible_to(request.auth), pk=notification_id)
    return services.mark_read(request.auth, notification)
