"""Shared pieces of the API: keyset pagination and small schemas."""

from __future__ import annotations

from ninja import Schema

PAGE_MAX = 200


class AreaRef(Schema):
    id: int
    code: str
    name: str
    level: str


def area_ref(area) -> dict | None:
    if area is None:
        return None
    return {"id": area.pk, "code": area.code, "name": area.name, "level": area.level}


def keyset(queryset, *, after: int | None, limit: int, order: str = "pk"):
    """One page of a long list, by primary key: constant cost however deep the page."""
    limit = max(1, min(limit, PAGE_MAX))
    if after is not None:
        queryset = queryset.filter(pk__gt=after)
    rows = list(queryset.order_by(order)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].pk if more and rows else None)


def visible_agenda_item(user, pk: int | None):
    """The agenda item a payload names as the decision behind a step, if its meeting is visible to `user`:
    None when none is named, NotFound when it is absent or not the user's to see."""
    from jiceng.core.errors import NotFound
    from jiceng.meetings.models import AgendaItem, Meeting

    if pk is None:
        return None
    item = (AgendaItem.objects.filter(pk=pk, meeting__in=Meeting.objects.visible_to(user))
            .select_related("meeting__body").first())
    if item is None:
        raise NotFound()
    return item
