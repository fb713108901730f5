"""Areas, bodies and members. Thin: parse, find what the user may see (404 otherwise), call services."""

from __future__ import annotations

import datetime

from ninja import Query, Router, Schema, Status

from jiceng.accounts import scope
from jiceng.core.masking import mask_name
from jiceng.orgs import services
from jiceng.orgs.models import Area, AreaChange, Body, Membership, Person, Role
from jiceng.orgs.queries import drifted_party_orgs, members_on

from .common import PAGE_MAX, area_ref, keyset

router = Router(tags=["orgs"])


class AreaOut(Schema):
    id: int
    code: str
    name: str
    level: str
    parent: int | None
    community_kind: str
    opened_on: datetime.date
    closed_on: datetime.date | None


class AreaIn(Schema):
    code: str
    name: str
    level: Area.Level
    parent: int
    community_kind: str = ""
    opened_on: datetime.date | None = None


class MoveIn(Schema):
    parent: int
    occurred_on: datetime.date
    reason: str = ""


class CloseIn(Schema):
    closed_on: datetime.date
    reason: str = ""


class AreaChangeOut(Schema):
    kind: str
    occurred_on: datetime.date
    old_parent: int | None = None
    new_parent: int | None = None
    old_name: str
    new_name: str
    reason: str


class Page(Schema):
    items: list
    next_after: int | None


def _area_out(a: Area) -> dict:
    return {"id": a.pk, "code": a.code, "name": a.name, "level": a.level, "parent": a.parent_id,
            "community_kind": a.community_kind, "opened_on": a.opened_on, "closed_on": a.closed_on}


@router.get("/areas", summary="Areas in your scope", description="Filter by `level` and `parent`; keyset pages.")
def list_areas(request, level: Area.Level | None = None, parent: int | None = None,
               after: int | None = None, limit: int = Query(100, ge=1, le=PAGE_MAX)):
    qs = Area.objects.visible_to(request.auth)
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    rows, nxt = keyset(qs, after=after, limit=limit)
    return {"items": [_area_out(a) for a in rows], "next_after": nxt}


@router.get("/areas/{area_id}", response=AreaOut)
def get_area(request, area_id: int):
    return _area_out(services.get_visible(Area, request.auth, area_id))


@router.get("/areas/{area_id}/history", response=list[AreaChangeOut], summary="Creation, renames, moves, closure")
def area_history(request, area_id: int):
    area = services.get_visible(Area, request.auth, area_id)
    return [{"kind": c.kind, "occurred_on": c.occurred_on, "old_parent": c.old_parent_id,
             "new_parent": c.new_parent_id, "old_name": c.old_name, "new_name": c.new_name, "reason": c.reason}
            for c in AreaChange.objects.filter(area=area)]


@router.post("/areas", response={201: AreaOut})
def create_area(request, payload: AreaIn):
    parent = services.get_visible(Area, request.auth, payload.parent)
    area = services.create_area(request.auth, code=payload.code, name=payload.name, level=payload.level,
                                parent=parent, community_kind=payload.community_kind,
                                opened_on=payload.opened_on)
    return Status(201, _area_out(area))


@router.post("/areas/{area_id}/move", response=AreaOut)
def move_area(request, area_id: int, payload: MoveIn):
    area = services.get_visible(Area, request.auth, area_id)
    parent = services.get_visible(Area, request.auth, payload.parent)
    return _area_out(services.move_area(request.auth, area, new_parent=parent, occurred_on=payload.occurred_on,
                                        reason=payload.reason))


@router.post("/areas/{area_id}/close", response=AreaOut)
def close_area(request, area_id: int, payload: CloseIn):
    area = services.get_visible(Area, request.auth, area_id)
    return _area_out(services.close_area(request.auth, area, closed_on=payload.closed_on, reason=payload.reason))


class BodyOut(Schema):
    id: int
    name: str
    kind: str
    level: str | None
    area: dict
    org_type: str
    establishment_mode: str
    parent_body: int | None
    led_by: int | None
    opened_on: datetime.date
    closed_on: datetime.date | None


class BodyIn(Schema):
    name: str
    kind: Body.Kind
    area: int
    org_type: Body.OrgType | None = None
    establishment_mode: Body.EstablishmentMode | None = None
    parent_body: int | None = None
    led_by: int | None = None
    members: list[int] = []
    opened_on: datetime.date | None = None
    form_approval_ref: str = ""
    form_approval_on: datetime.date | None = None
    form_approval_grounds: str = ""


class FormIn(Schema):
    org_type: Body.OrgType
    on: datetime.date | None = None
    approval_ref: str = ""
    approval_on: datetime.date | None = None
    grounds: str = ""


def _body_out(b: Body) -> dict:
    return {"id": b.pk, "name": b.name, "kind": b.kind, "level": b.level, "area": area_ref(b.area),
            "org_type": b.org_type, "establishment_mode": b.establishment_mode, "parent_body": b.parent_body_id,
            "led_by": b.led_by_id, "opened_on": b.opened_on, "closed_on": b.closed_on}


@router.get("/bodies", summary="Bodies in your scope",
            description="`kind` takes the identifiers of rules-core §1.1; `area` keeps bodies in that area "
                        "and every area below it.")
def list_bodies(request, kind: Body.Kind | None = None, area: int | None = None, after: int | None = None,
                limit: int = Query(100, ge=1, le=PAGE_MAX)):
    qs = Body.objects.visible_to(request.auth).select_related("area")
    if kind:
        qs = qs.filter(kind=kind)
    if area is not None:
        qs = qs.filter(area__path__startswith=services.get_visible(Area, request.auth, area).path)
    rows, nxt = keyset(qs, after=after, limit=limit)
    return {"items": [_body_out(b) for b in rows], "next_after": nxt}


@router.get("/bodies/{body_id}", response=BodyOut)
def get_body(request, body_id: int):
    return _body_out(services.get_visible(Body, request.auth, body_id))


@router.post("/bodies", response={201: BodyOut})
def create_body(request, payload: BodyIn):
    area = services.get_visible(Area, request.auth, payload.area)
    people = [services.get_visible(Person, request.auth, pk) for pk in dict.fromkeys(payload.members)]
    body = services.create_body(
        request.auth, name=payload.name, kind=payload.kind, area=area, org_type=payload.org_type or "",
        establishment_mode=payload.establishment_mode or "",
        parent_body=payload.parent_body and services.get_visible(Body, request.auth, payload.parent_body),
        led_by=payload.led_by and services.get_visible(Body, request.auth, payload.led_by),
        members=people, opened_on=payload.opened_on, form_approval_ref=payload.form_approval_ref,
        form_approval_on=payload.form_approval_on, form_approval_grounds=payload.form_approval_grounds)
    return Status(201, _body_out(body))


@router.post("/bodies/{body_id}/form", response=BodyOut, summary="Change a party organisation's form (R-ORG-03/04)")
def change_form(request, body_id: int, payload: FormIn):
    body = services.get_visible(Body, request.auth, body_id)
    return _body_out(services.change_party_org_form(
        request.auth, body, org_type=payload.org_type, on=payload.on, approval_ref=payload.approval_ref,
        approval_on=payload.approval_on, grounds=payload.grounds))


class MemberOut(Schema):
    membership: int
    person: int
    name: str
    role: str
    start_on: datetime.date
    end_on: datetime.date | None


class MembersOut(Schema):
    body: int
    on: datetime.date
    count: int
    members: list[MemberOut]


class MembershipIn(Schema):
    person: int
    role: Role
    start_on: datetime.date
    end_on: datetime.date | None = None


class EndIn(Schema):
    end_on: datetime.date


@router.get("/bodies/{body_id}/members", response=MembersOut,
            summary="Members as of a date",
            description="`on` defaults to today; roles are rules-core §1.2 identifiers.")
def body_members(request, body_id: int, on: datetime.date | None = None):
    body = services.get_visible(Body, request.auth, body_id)
    on = on or scope.today()
    rows = list(members_on(body, on))
    names_visible = set(Person.objects.filter(scope.area_q(request.auth, "area__path"),
                                              pk__in=[m.person_id for m in rows]).values_list("pk", flat=True))
    return {"body": body.pk, "on": on, "count": len({m.person_id for m in rows}),
            "members": [{"membership": m.pk, "person": m.person_id, "role": m.role, "start_on": m.start_on,
                         "end_on": m.end_on,
                         "name": m.person.name if m.person_id in names_visible else mask_name(m.person.name)}
                        for m in rows]}


@router.post("/bodies/{body_id}/members", response={201: MemberOut})
def add_member(request, body_id: int, payload: MembershipIn):
    body = services.get_visible(Body, request.auth, body_id)
    person = services.get_visible(Person, request.auth, payload.person)
    m = services.add_membership(request.auth, person=person, body=body, role=payload.role,
                                start_on=payload.start_on, end_on=payload.end_on)
    return Status(201, {"membership": m.pk, "person": person.pk, "name": person.name, "role": m.role,
                        "start_on": m.start_on, "end_on": m.end_on})


@router.post("/memberships/{membership_id}/end", response=MemberOut)
def end_member(request, membership_id: int, payload: EndIn):
    membership = services.get_visible(Membership, request.auth, membership_id)
    m = services.end_membership(request.auth, membership, end_on=payload.end_on)
    return {"membership": m.pk, "person": m.person_id, "name": m.person.name, "role": m.role,
            "start_on": m.start_on, "end_on": m.end_on}


@router.get("/party-orgs/drift", summary="Party organisations whose size no longer fits their form (R-ORG-03)")
def party_org_drift(request, on: datetime.date | None = None):
    rows = drifted_party_orgs(Body.objects.visible_to(request.auth), on or scope.today())
    return [{"body": _body_out(r["body"]), "members": r["members"], "org_type": r["org_type"],
             "fitting": r["fitting"], "rule": r["rule"]} for r in rows]
