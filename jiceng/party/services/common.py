"""Shared pieces of the party services: who may act, the history row of a step, the orgs memberships that
follow a member's status."""


from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.archives import services as archives
from jiceng.archives.models import Dossier
from jiceng.audit.services import record_event
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.orgs import services as orgs
from jiceng.orgs.models import Area, Body, Membership, Person, Role
from jiceng.rules.base import check

from ..models import (
    PartyMember,
    Step,
)

S = PartyMember.Status
BRANCH_OFFICERS = (Role.COMMUNITY_PARTY_SECRETARY, Role.COMMUNITY_PARTY_DEPUTY_SECRETARY,
                   Role.PARTY_ORG_COMMITTEE_MEMBER, Role.PARTY_DISCLOSURE_OFFICER)
PWC_OFFICERS = (Role.PWC_SECRETARY, Role.PWC_DEPUTY_SECRETARY, Role.PWC_MEMBER)
GROUP_KINDS = (Body.Kind.PARTY_GROUP, Body.Kind.GRID_PARTY_GROUP, Body.Kind.BUILDING_PARTY_GROUP,
               Body.Kind.TEMPORARY_PARTY_BRANCH)
MEMBER_ROLES = (Role.PARTY_MEMBER, Role.PROBATIONARY_MEMBER)
STAGES = ("admission", "conversion")
DUES_CATEGORY = "P07"    # …党费收缴… (R-DUES-04)
CENT = Decimal("0.01")


# Who may act -------------------------------------------------------------------------------------------

def _person_id(actor) -> int | None:
    account = getattr(actor, "account", None)
    return account.person_id if account is not None else None


def holds_office(actor, *, community: Area, on: datetime.date, roles=BRANCH_OFFICERS,
                 body_kind: str = Body.Kind.COMMUNITY_PARTY_ORG) -> bool:
    person_id = _person_id(actor)
    if person_id is None:
        return False
    return Membership.objects.on(on).filter(person_id=person_id, role__in=roles, body__kind=body_kind,
                                            body__area=community).exists()


def is_branch_officer(actor, community: Area, on: datetime.date | None = None) -> bool:
    return scope.has_perm(actor, Perm.VIEW, community) and holds_office(actor, community=community,
                                                                        on=on or scope.today())


def _require_officer(actor, community: Area, *, doing_zh: str, doing_en: str, also_group: Body | None = None):
    """The community party organisation's officers act for the branch; a party group leader may take his group's
    dues (R-DUES-01). Everyone else is refused (403)."""
    on = scope.today()
    if is_branch_officer(actor, community, on):
        return
    if also_group is not None and scope.has_perm(actor, Perm.VIEW, community) and _person_id(actor) and (
            Membership.objects.on(on).filter(person_id=_person_id(actor), body=also_group,
                                             role__in=(Role.PARTY_GROUP_LEADER,
                                                       Role.BUILDING_PARTY_GROUP_LEADER)).exists()):
        return
    raise PermissionDenied(f"只有「{community}」党组织的书记、委员或党务专人可以{doing_zh}。",
                           f"Only the officers of {community.code}'s party organisation {doing_en}.",
                           code="not_branch_officer", facts={"community": community.code})


def _pwc_of(community: Area, on: datetime.date) -> Body | None:
    return Body.objects.active(on).filter(area_id=community.parent_id,
                                          kind=Body.Kind.PARTY_WORKING_COMMITTEE).order_by("pk").first()


def _holds_pwc(person: Person | None, community: Area, on: datetime.date) -> bool:
    pwc = _pwc_of(community, on)
    if person is None or pwc is None:
        return False
    return Membership.objects.on(on).filter(person=person, body=pwc, role__in=PWC_OFFICERS).exists()


# Helpers -----------------------------------------------------------------------------------------------

def _invalid(field: str, zh: str, en: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(zh, en, code=code, facts={"field": field})


def _at(day: datetime.date) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    return min(moment, timezone.now())


def _not_future(day: datetime.date, field: str = "occurred_on") -> datetime.date:
    if day is None:
        raise _invalid(field, "请填写日期。", "A date is required.")
    if day > scope.today():
        raise _invalid(field, "不能记录将来发生的事。", "A step cannot be dated in the future.")
    return day


def _locked(member: PartyMember) -> PartyMember:
    # of=self: the group is nullable, and PostgreSQL cannot lock the nullable side of an outer join.
    return (PartyMember.objects.select_for_update(of=("self",))
            .select_related("person", "community", "party_org", "group").get(pk=member.pk))


def _judge(rule, member: PartyMember, on: datetime.date, **facts):
    return check(rule, area=member.community, on=on, **facts)


def _dossier(member: PartyMember, year: int) -> Dossier:
    return archives.open_dossier(member.community, Dossier.Series.GENERAL, f"party-{year}",
                                 f"{member.community.name}党员发展和党费档案（{year}年）")


def _step(actor, member: PartyMember, kind: str, on: datetime.date, *, stage: str = "", passed=None,
          data: dict | None = None, version: str = "") -> Step:
    """The history row, the audit event and the archived record of one step, in the caller's transaction."""
    data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    step = Step.objects.create(member=member, kind=kind, stage=stage, occurred_on=on, actor=actor, passed=passed,
                               data=data, rulebook_version=version)
    record_event(actor, f"party.{kind}_recorded", member, area=member.community, occurred_at=_at(on),
                 after={"status": member.status, "stage": stage, "passed": passed, **data})
    archives.file_record(actor, _dossier(member, on.year), kind=f"party.{kind}",
                         title=f"{member.person.name}：{Step.Kind(kind).label}", source=member, occurred_at=_at(on),
                         data={"member": member.pk, "name": member.person.name, "status": member.status,
                               "stage": stage, "on": on, "passed": passed, **data})
    return step


def _set_political_status(actor, person: Person, status: str) -> None:
    if person.political_status != status:
        orgs.update_person(actor, person, political_status=status)


def _open_memberships(member: PartyMember):
    bodies = [member.party_org_id] + ([member.group_id] if member.group_id else [])
    return Membership.objects.filter(person=member.person, body_id__in=bodies, role__in=MEMBER_ROLES,
                                     end_on__isnull=True).select_related("body__area")


def _join(actor, member: PartyMember, role: str, on: datetime.date) -> None:
    """Make `member` hold `role` from `on` in the party organisation and his group (unless already held). A member
    since before the body was set up (the roll taken over from paper) holds it from the body's founding."""
    for body in filter(None, (member.party_org, member.group)):
        start = max(on, body.opened_on)
        # Held already (or from a later day, as the orgs roster may have it): leave it as it is.
        held = Membership.objects.filter(person=member.person, body=body, role=role).exclude(end_on__lt=start)
        if not held.exists():
            orgs.add_membership(actor, person=member.person, body=body, role=role, start_on=start)


def _leave(actor, member: PartyMember, last_day: datetime.date, roles=MEMBER_ROLES) -> None:
    for membership in _open_memberships(member).filter(role__in=roles):
        orgs.end_membership(actor, membership, end_on=max(last_day, membership.start_on))


# Registration helpers ---------------------------------------------------------------------------------

def party_org_of(community: Area, on: datetime.date | None = None) -> Body | None:
    return Body.objects.active(on or scope.today()).filter(area=community,
                                                           kind=Body.Kind.COMMUNITY_PARTY_ORG).order_by("pk").first()


def _check_group(group: Body | None, party_org: Body) -> None:
    if group is None:
        return
    if group.kind not in GROUP_KINDS or not group.area.path.startswith(party_org.area.path):
        raise _invalid("group", "党小组须为本社区党组织下的党小组。",
                       "The group must be a party group of this community.",
                       code="not_a_party_group")


def _fen(value, field: str) -> int:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _invalid(field, "金额格式不正确。", "Not an amount.") from None
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2 or amount > Decimal("99999.99"):
        raise _invalid(field, "金额须为0至99999.99元、最多两位小数。", "Amounts are 0–99999.99 yuan, two decimals.")
    return int(amount * 100)


