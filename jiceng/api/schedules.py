"""Recurring meeting obligations (issue #3 point 6): what a body owes, and who is behind. Read-only and thin."""

from __future__ import annotations

import datetime

from ninja import Router

from jiceng.accounts import scope
from jiceng.meetings import schedules
from jiceng.orgs.models import Area, Body
from jiceng.orgs.services import get_visible

from .common import area_ref

router = Router(tags=["meetings"])


@router.get("/bodies/{int:body_id}/obligations", summary="A body's recurring meeting obligations",
            description="Per meeting kind the body must hold (R-MTG, R-CPO, R-JOINT-01, R-PWC-23, R-EVAL-02): the "
            "rule and article, the calendar period containing `on` (default today), required and held counts, "
            "`state` (met, due, overdue), due and reminder dates, and the previous period.")
def body_obligations(request, body_id: int, on: datetime.date | None = None):
    body = get_visible(Body, request.auth, body_id)
    return [o.as_dict() for o in schedules.obligations(body, on or scope.today())]


@router.get("/obligations/overdue", summary="Bodies behind schedule",
            description="Bodies in `area` (default: all you can see) with an obligation overdue on `on` (default "
            "today): the previous period ended unmet and the current one is not met yet. With `caught_up=true`, "
            "also bodies that missed the previous period but have met the current one.")
def overdue(request, area: int | None = None, on: datetime.date | None = None, caught_up: bool = False):
    on = on or scope.today()
    bodies = Body.objects.visible_to(request.auth)
    if area is not None:
        bodies = bodies.filter(area__path__startswith=get_visible(Area, request.auth, area).path)
    rows = schedules.overdue_bodies(bodies, on, include_caught_up=caught_up)
    return {"area": area, "on": on, "items": [
        {"body": {"id": row.body.pk, "name": row.body.name, "kind": row.body.kind, "area": area_ref(row.body.area)},
         "obligations": [o.as_dict() for o in row.obligations]} for row in rows]}
