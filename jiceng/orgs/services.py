"""Every change to areas, bodies, people and memberships (ARCHITECTURE §4).

Each function takes the acting user, checks permission and rules, writes inside one transaction and
appends an audit event; it raises a DomainError and writes nothing when it refuses.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F, Func, Value

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jiceng.core.masking import mask_id_number, mask_phone
from jiceng.rules import org as org_rules
from jiceng.rules.base import check

from . import idcard
from .models import Area, AreaChange, Body, Household, Membership, Person
from .queries import party_member_count
from .search import search_keys, tails


def _require(actor, perm: str, area: Area) -> None:
    if not scope.has_perm(actor, perm, area):
        raise PermissionDenied(
            f"您在「{area}」没有「{Perm(perm).label}」权限。",
            f"You lack the '{perm}' permission on {area.code}.",
            facts={"permission": perm, "area": area.code},
        )


def _invalid(field: str, message: str, message_en: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(message, message_en, code=code, facts={"field": field})


def _today() -> datetime.date:
    return scope.today()


# Areas ------------------------------------------------------------------------------------------------

@transaction.atomic
def create_area(actor, *, code: str, name: str, level: str, parent: Area | None,
                community_kind: str = "", opened_on: datetime.date | None = None) -> Area:
    """Create an area under `parent` at the next level down (R-ORG-01). A root area is a district."""
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise _invalid("code" if not code else "name", "代码和名称不能为空。", "Code and name are required.")
    if parent is None:
        if level != Area.Level.DISTRICT or not getattr(actor, "is_superuser", False):
            raise PermissionDenied("只有系统管理员可以设立区。", "Only a system administrator may create a district.")
    else:
        _require(actor, Perm.MANAGE_ORGS, parent)
        if Area.CHILD_LEVEL.get(parent.level) != level:
            allowed = Area.CHILD_LEVEL.get(parent.level)
            raise _invalid("level", f"「{parent}」下只能设立{Area.Level(allowed).label if allowed else '（无）'}。",
                           f"Under a {parent.level} only a {allowed or 'nothing'} may be created.")
        if not parent.is_open(opened_on or _today()):
            raise _invalid("parent", f"上级区域「{parent}」已撤销。", f"Parent area {parent.code} is closed.")
    if level == Area.Level.COMMUNITY and community_kind not in Area.CommunityKind.values:
        community_kind = Area.CommunityKind.URBAN
    if level != Area.Level.COMMUNITY:
        community_kind = ""
    if Area.objects.filter(code=code).exists():
        raise Conflict(f"区域代码 {code} 已存在。", f"Area code {code} already exists.", code="duplicate_code",
                       facts={"field": "code"})
    area = Area.objects.create(code=code, name=name, level=level, parent=parent, path="",
                               community_kind=community_kind, opened_on=opened_on or _today())
    area.path = f"{parent.path if parent else '/'}{area.pk}/"
    area.save(update_fields=["path"])
    AreaChange.objects.create(area=area, kind=AreaChange.Kind.CREATED, occurred_on=area.opened_on,
                              new_parent=parent, new_name=name, actor=actor)
    record_event(actor, "orgs.area_created", area,
                 after={"code": code, "name": name, "level": level, "parent": parent and parent.code})
    return area


@transaction.atomic
def rename_area(actor, area: Area, *, name: str, occurred_on: datetime.date, reason: str = "") -> Area:
    area = Area.objects.select_for_update().get(pk=area.pk)
    _require(actor, Perm.MANAGE_ORGS, area)
    name = name.strip()
    if not name:
        raise _invalid("name", "名称不能为空。", "A name is required.")
    old = area.name
    area.name = name
    area.save(update_fields=["name"])
    AreaChange.objects.create(area=area, kind=AreaChange.Kind.RENAMED, occurred_on=occurred_on,
                              old_name=old, new_name=name, reason=reason, actor=actor)
    record_event(actor, "orgs.area_renamed", area, before={"name": old}, after={"name": name})
    return area


@transaction.atomic
def move_area(actor, area: Area, *, new_parent: Area, occurred_on: datetime.date, reason: str = "") -> Area:
    """Re-attach an area (and its whole subtree) to another parent of the same level as before.

    The move is kept as an AreaChange with the old and new parent, so history reads as it was.
    """
    area = Area.objects.select_for_update().get(pk=area.pk)
    _require(actor, Perm.MANAGE_ORGS, area)
    _require(actor, Perm.MANAGE_ORGS, new_parent)
    if area.parent is None or Area.CHILD_LEVEL.get(new_parent.level) != area.level:
        raise _invalid("new_parent", "新的上级区域层级不符。", "The new parent is not of the level above.")
    if new_parent.path.startswith(area.path):
        raise _invalid("new_parent", "不能移到自身下级。", "An area cannot move under itself.")
    if not new_parent.is_open(occurred_on):
        raise _invalid("new_parent", f"上级区域「{new_parent}」已撤销。", f"{new_parent.code} is closed.")
    old_parent, old_path = area.parent, area.path
    new_path = f"{new_parent.path}{area.pk}/"
    # One UPDATE rewrites the prefix of the whole subtree.
    Area.objects.filter(path__startswith=old_path).update(
        path=Func(F("path"), Value(old_path), Value(new_path), function="REPLACE"))
    Area.objects.filter(pk=area.pk).update(parent=new_parent)
    area.refresh_from_db()
    AreaChange.objects.create(area=area, kind=AreaChange.Kind.MOVED, occurred_on=occurred_on,
                              old_parent=old_parent, new_parent=new_parent, reason=reason, actor=actor)
    record_event(actor, "orgs.area_moved", area, before={"parent": old_parent.code},
                 after={"parent": new_parent.code})
    return area


@transaction.atomic
def close_area(actor, area: Area, *, closed_on: datetime.date, reason: str = "") -> Area:
    """Close an area from `closed_on`; it stays in the records (people, history) but takes nothing new."""
    area = Area.objects.select_for_update().get(pk=area.pk)
    _require(actor, Perm.MANAGE_ORGS, area)
    if area.closed_on is not None:
        raise Conflict(f"「{area}」已于{area.closed_on}撤销。", f"{area.code} was closed on {area.closed_on}.",
                       code="already_closed")
    if area.children.active(closed_on).exists():
        raise Conflict(f"「{area}」下仍有未撤销的区域，请先调整或撤销。",
                       f"{area.code} still has open sub-areas; move or close them first.",
                       code="has_open_children")
    if closed_on < area.opened_on:
        raise _invalid("closed_on", "撤销日期早于设立日期。", "The closing date is before the opening date.")
    area.closed_on = closed_on
    area.save(update_fields=["closed_on"])
    AreaChange.objects.create(area=area, kind=AreaChange.Kind.CLOSED, occurred_on=closed_on, reason=reason,
                              actor=actor)
    record_event(actor, "orgs.area_closed", area, after={"closed_on": closed_on})
    return area


# Bodies -----------------------------------------------------------------------------------------------

def _check_party_org_form(body: Body, members: int) -> None:
    check(org_rules.ORG_FORM, members=members, org_type=body.org_type,
          standalone=body.establishment_mode in ("", Body.EstablishmentMode.STANDALONE),
          committee_approved=bool(body.form_approval_ref and body.form_approval_on))


@transaction.atomic
def create_body(actor, *, name: str, kind: str, area: Area, org_type: str = "", establishment_mode: str = "",
                parent_body: Body | None = None, led_by: Body | None = None,
                members: Iterable[Person] = (), member_role: str = "party_member",
                opened_on: datetime.date | None = None, form_approval_ref: str = "",
                form_approval_on: datetime.date | None = None, form_approval_grounds: str = "") -> Body:
    """Create a body in `area`. A community party organisation is created with its party members
    (`members`), and its form must fit their number (R-ORG-03, R-ORG-04, R-ORG-05)."""
    _require(actor, Perm.MANAGE_ORGS, area)
    name = name.strip()
    if not name:
        raise _invalid("name", "名称不能为空。", "A name is required.")
    if kind not in Body.Kind.values:
        raise _invalid("kind", f"未知的机构类型 {kind}。", f"Unknown body kind {kind}.")
    opened_on = opened_on or _today()
    if not area.is_open(opened_on):
        raise _invalid("area", f"区域「{area}」已撤销。", f"Area {area.code} is closed.")
    is_party_org = kind in Body.PARTY_ORG_KINDS
    if is_party_org and org_type not in Body.OrgType.values:
        raise _invalid("org_type", "社区党组织须注明组织形式（党支部、党总支或党委）。",
                       "A community party organisation needs a form: branch, general branch or committee.")
    body = Body.objects.create(
        name=name, kind=kind, area=area, org_type=org_type if is_party_org else "",
        establishment_mode=establishment_mode or (Body.EstablishmentMode.STANDALONE if is_party_org else ""),
        parent_body=parent_body, led_by=led_by, opened_on=opened_on, form_approval_ref=form_approval_ref,
        form_approval_on=form_approval_on, form_approval_grounds=form_approval_grounds)
    people = list(members)
    Membership.objects.bulk_create(
        Membership(person=p, body=body, role=member_role, start_on=opened_on) for p in people)
    if is_party_org:
        _check_party_org_form(body, len({p.pk for p in people}))
    record_event(actor, "orgs.body_created", body,
                 after={"name": name, "kind": kind, "area": area.code, "org_type": body.org_type,
                        "members": len(people)})
    return body


@transaction.atomic
def change_party_org_form(actor, body: Body, *, org_type: str, on: datetime.date | None = None,
                          approval_ref: str = "", approval_on: datetime.date | None = None,
                          grounds: str = "") -> Body:
    """Change a community party organisation's form; the new form must fit its members on `on`."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    _require(actor, Perm.MANAGE_ORGS, body.area)
    if body.kind not in Body.PARTY_ORG_KINDS:
        raise _invalid("kind", "只有社区党组织有组织形式。", "Only a community party organisation has a form.")
    if org_type not in Body.OrgType.values:
        raise _invalid("org_type", f"未知的组织形式 {org_type}。", f"Unknown form {org_type}.")
    before = {"org_type": body.org_type}
    body.org_type = org_type
    if approval_ref:
        body.form_approval_ref, body.form_approval_on, body.form_approval_grounds = (
            approval_ref, approval_on or on or _today(), grounds)
    _check_party_org_form(body, party_member_count(body, on or _today()))
    body.save()
    record_event(actor, "orgs.party_org_form_changed", body, before=before,
                 after={"org_type": org_type, "approval_ref": body.form_approval_ref})
    return body


@transaction.atomic
def close_body(actor, body: Body, *, closed_on: datetime.date) -> Body:
    body = Body.objects.select_for_update().get(pk=body.pk)
    _require(actor, Perm.MANAGE_ORGS, body.area)
    if body.closed_on is not None:
        raise Conflict(f"「{body}」已撤销。", f"{body} is already closed.", code="already_closed")
    body.closed_on = closed_on
    body.save(update_fields=["closed_on"])
    # Memberships end with the body; their history stays.
    body.memberships.filter(end_on__isnull=True).update(end_on=closed_on)
    record_event(actor, "orgs.body_closed", body, after={"closed_on": closed_on})
    return body


# Memberships ------------------------------------------------------------------------------------------

@transaction.atomic
def add_membership(actor, *, person: Person, body: Body, role: str, start_on: datetime.date,
                   end_on: datetime.date | None = None) -> Membership:
    """Record that `person` holds `role` in `body` from `start_on` (to `end_on`, inclusive)."""
    _require(actor, Perm.MANAGE_MEMBERSHIPS, body.area)
    from .models import Role

    if role not in Role.values:
        raise _invalid("role", f"未知的职务 {role}。", f"Unknown role {role}.")
    if end_on is not None and end_on < start_on:
        raise _invalid("end_on", "任职结束日期早于开始日期。", "The end date is before the start date.")
    if not body.opened_on <= start_on or (body.closed_on and start_on >= body.closed_on):
        raise _invalid("start_on", f"「{body}」在{start_on}未存续。", f"{body} did not exist on {start_on}.")
    overlapping = Membership.objects.filter(person=person, body=body, role=role).exclude(
        end_on__lt=start_on)
    if end_on is not None:
        overlapping = overlapping.filter(start_on__lte=end_on)
    if overlapping.exists():
        raise Conflict(f"{person}在「{body}」已有同一时期的该职务。",
                       f"{person.pk} already holds this role in this body for an overlapping period.",
                       code="duplicate_membership")
    membership = Membership.objects.create(person=person, body=body, role=role, start_on=start_on,
                                           end_on=end_on)
    record_event(actor, "orgs.membership_added", membership, area=body.area,
                 after={"person": person.pk, "body": body.pk, "role": role, "start_on": start_on,
                        "end_on": end_on})
    return membership


@transaction.atomic
def end_membership(actor, membership: Membership, *, end_on: datetime.date) -> Membership:
    membership = Membership.objects.select_for_update().select_related("body__area").get(pk=membership.pk)
    _require(actor, Perm.MANAGE_MEMBERSHIPS, membership.body.area)
    if end_on < membership.start_on:
        raise _invalid("end_on", "任职结束日期早于开始日期。", "The end date is before the start date.")
    before = {"end_on": membership.end_on}
    membership.end_on = end_on
    membership.save(update_fields=["end_on"])
    record_event(actor, "orgs.membership_ended", membership, area=membership.body.area, before=before,
                 after={"end_on": end_on})
    return membership


# People -----------------------------------------------------------------------------------------------

PERSON_FIELDS = ("name", "gender", "id_number", "phone", "area", "unit", "room", "household",
                 "household_relation", "political_status")


def normalise_person(data: dict, *, require_area: bool = True) -> dict:
    """Validate and derive: ID number (GB 11643), birth date, gender match, search keys, tails.

    Raises ValidationFailed naming the field (`facts["field"]`). The roster import checks rows whose area
    it could not resolve with `require_area=False`, so their other cells are still reported."""
    name = (data.get("name") or "").strip()
    if not name or len(name) > 50:
        raise _invalid("name", "姓名不能为空且不超过50字。", "A name of 1–50 characters is required.")
    parsed = idcard.parse(data.get("id_number") or "")
    gender = data.get("gender") or parsed.gender
    if gender not in Person.Gender.values:
        raise _invalid("gender", "性别须为男或女。", "Gender must be male or female.")
    if gender != parsed.gender:
        raise _invalid("gender", "性别与公民身份号码第17位不符。",
                       "The gender does not match the 17th digit of the ID number.", code="gender_mismatch")
    phone = "".join(ch for ch in (data.get("phone") or "") if ch.isdigit() or ch == "-")
    if phone and not 7 <= len(phone.replace("-", "")) <= 15:
        raise _invalid("phone", "联系电话格式不正确。", "The phone number is malformed.")
    status = data.get("political_status") or Person.PoliticalStatus.NONE
    if status not in Person.PoliticalStatus.values:
        raise _invalid("political_status", f"未知的政治面貌 {status}。", f"Unknown political status {status}.")
    area = data.get("area")
    if (require_area or area is not None) and (
            not isinstance(area, Area) or area.level not in (Area.Level.COMMUNITY, Area.Level.GRID,
                                                             Area.Level.BUILDING)):
        raise _invalid("area", "居住区域须为社区、网格或楼栋。", "Residence must be a community, grid or building.")
    for field in ("phone", "unit", "room", "household_relation"):
        limit = Person._meta.get_field(field).max_length
        value = phone if field == "phone" else (data.get(field) or "").strip()
        if len(value) > limit:
            raise _invalid(field, f"{Person._meta.get_field(field).verbose_name}不能超过{limit}个字符。",
                           f"{field} is longer than {limit} characters.", code="too_long")
    pinyin, initials = search_keys(name)
    phone_tail, id_tail = tails(phone, parsed.number)
    return {
        "name": name, "gender": gender, "id_number": parsed.number, "birth_date": parsed.birth_date,
        "phone": phone, "phone_tail": phone_tail, "id_tail": id_tail, "name_pinyin": pinyin,
        "name_initials": initials, "area": area, "unit": (data.get("unit") or "").strip(),
        "room": (data.get("room") or "").strip(), "household": data.get("household"),
        "household_relation": (data.get("household_relation") or "").strip(), "political_status": status,
    }


def audit_summary(person: Person | dict) -> dict:
    """What an audit event may say about a person: personal data masked (ARCHITECTURE §5)."""
    get = person.get if isinstance(person, dict) else lambda k: getattr(person, k)
    area = get("area")
    return {"name": get("name"), "gender": get("gender"), "id_number": mask_id_number(get("id_number")),
            "phone": mask_phone(get("phone") or ""), "area": area.code if area else None,
            "political_status": get("political_status")}


@transaction.atomic
def create_person(actor, **data) -> Person:
    """Register a resident or staff member. Refuses a malformed or duplicate ID number."""
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise _invalid(sorted(unknown)[0], "未知字段。", f"Unknown fields: {sorted(unknown)}.")
    area = data.get("area")
    if isinstance(area, Area):
        _require(actor, Perm.EDIT_PEOPLE, area)
    values = normalise_person(data)
    if Person.objects.filter(id_number=values["id_number"]).exists():
        raise Conflict("该公民身份号码已登记。", "This ID number is already registered.",
                       code="duplicate_id_number", facts={"field": "id_number"})
    try:
        with transaction.atomic():
            person = Person.objects.create(**values)
    except IntegrityError:
        raise Conflict("该公民身份号码已登记。", "This ID number is already registered.",
                       code="duplicate_id_number", facts={"field": "id_number"}) from None
    record_event(actor, "orgs.person_created", person, area=person.area, after=audit_summary(values))
    return person


@transaction.atomic
def update_person(actor, person: Person, **changes) -> Person:
    person = Person.objects.select_for_update().select_related("area").get(pk=person.pk)
    _require(actor, Perm.EDIT_PEOPLE, person.area)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise _invalid(sorted(unknown)[0], "未知字段。", f"Unknown fields: {sorted(unknown)}.")
    if isinstance(changes.get("area"), Area):
        _require(actor, Perm.EDIT_PEOPLE, changes["area"])
    before = audit_summary(person)
    merged = {f: getattr(person, f) for f in PERSON_FIELDS} | changes
    values = normalise_person(merged)
    if Person.objects.filter(id_number=values["id_number"]).exclude(pk=person.pk).exists():
        raise Conflict("该公民身份号码已登记。", "This ID number is already registered.",
                       code="duplicate_id_number", facts={"field": "id_number"})
    for key, value in values.items():
        setattr(person, key, value)
    person.save()
    record_event(actor, "orgs.person_updated", person, area=person.area, before=before,
                 after=audit_summary(person))
    return person


@transaction.atomic
def create_household(actor, *, number: str, area: Area, unit: str = "", room: str = "") -> Household:
    _require(actor, Perm.EDIT_PEOPLE, area)
    number = number.strip()
    if not number:
        raise _invalid("number", "户号不能为空。", "A household number is required.")
    if Household.objects.filter(number=number).exists():
        raise Conflict(f"户号 {number} 已存在。", f"Household {number} already exists.", code="duplicate_household")
    household = Household.objects.create(number=number, area=area, unit=unit, room=room)
    record_event(actor, "orgs.household_created", household, area=area, after={"number": number})
    return household


def get_visible(model, user, pk) -> object:
    """The one way to fetch a user-facing object by id: same NotFound for 'absent' and 'not yours'."""
    try:
        return model.objects.visible_to(user).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
