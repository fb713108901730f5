"""Who holds which post on which day (office.StaffPost), and the predicates every office service asks: the rank of
a requester, whether a person may act under a post, which users to notify. Reads only; the writes are in
services.appoint_post / end_post."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.orgs.models import Area, Membership, Person, Role
from jiceng.rules import office as r

from .models import RANK_ORDER, Post, StaffPost

LEADERSHIP_POSTS = (*r.PRINCIPAL_POSTS, *r.DEPUTY_SECTION_POSTS)


def today() -> datetime.date:
    return timezone.localdate()


def street_of(area: Area) -> Area:
    street = area.ancestor_at(Area.Level.STREET)
    if street is None:
        raise ValidationFailed("该区域不属于任何街道。", "The area is not in a street.", facts={"field": "area"})
    return street


def person_of(user) -> Person | None:
    account = getattr(user, "account", None) if getattr(user, "is_authenticated", False) else None
    return getattr(account, "person", None)


# Offices held in orgs bodies that imply a post here (rules-admin §1.2), used for people without an explicit
# office.StaffPost on the day: a street already recording its leaders as memberships gets leave routes at once.
ROLE_POSTS = {
    Role.PWC_SECRETARY: r.PARTY_SECRETARY,
    Role.STREET_OFFICE_DIRECTOR: r.DIRECTOR,
    Role.STREET_OFFICE_DEPUTY_DIRECTOR: r.DEPUTY_DIRECTOR,
    Role.PWC_DEPUTY_SECRETARY: r.DEPUTY_SECTION_LEADER,
    Role.PWC_MEMBER: r.DEPUTY_SECTION_LEADER,
    Role.SUPERVISING_LEADER: r.LEADER_IN_CHARGE,
    Role.PWC_OFFICE_DIRECTOR: r.OFFICE_DIRECTOR,
    Role.AGENCY_STAFF: r.ORDINARY_STAFF,
    Role.COMMUNITY_PARTY_SECRETARY: r.VRC_SECRETARY,
    Role.RC_DIRECTOR: r.VRC_DIRECTOR,
    Role.RC_DEPUTY_DIRECTOR: r.VRC_MEMBER,
    Role.RC_MEMBER: r.VRC_MEMBER,
    Role.COMMUNITY_PARTY_DEPUTY_SECRETARY: r.VRC_MEMBER,
    Role.PARTY_ORG_COMMITTEE_MEMBER: r.VRC_MEMBER,
    Role.COMMUNITY_WORKER: r.COMMUNITY_WORKER,
}
UNIT_LEVELS = (Area.Level.STREET, Area.Level.COMMUNITY)


def posts_of(person: Person | None, on: datetime.date, street: Area | None = None) -> list[StaffPost]:
    """The posts `person` holds on `on`, in `street` (its office and its communities) when given. Without an
    explicit post on the day, the posts implied by the person's memberships (ROLE_POSTS) count, as unsaved rows."""
    if person is None:
        return []
    qs = StaffPost.objects.on(on).filter(person=person).select_related("area")
    if street is not None:
        qs = qs.filter(area__path__startswith=street.path)
    rows = list(qs)
    if rows or StaffPost.objects.on(on).filter(person=person).exists():
        return rows
    memberships = (Membership.objects.on(on).filter(person=person, role__in=list(ROLE_POSTS),
                                                    body__area__level__in=UNIT_LEVELS)
                   .select_related("body__area").order_by("pk"))
    seen = set()
    for m in memberships:
        area, post = m.body.area, ROLE_POSTS[m.role]
        if (street is not None and not area.path.startswith(street.path)) or (post, area.pk) in seen:
            continue
        seen.add((post, area.pk))
        rows.append(StaffPost(person=person, area=area, post=post, start_on=m.start_on, end_on=m.end_on))
    return rows


def rank_of(person: Person, on: datetime.date) -> StaffPost:
    """The post that decides `person`'s rank on `on` (the highest in RANK_ORDER). Raises ValidationFailed when the
    person holds no post then (A-LEAVE: rank is taken from the role on the first day of leave)."""
    posts = [p for p in posts_of(person, on) if p.post in RANK_ORDER]
    if not posts:
        raise ValidationFailed(f"{person.name}在{on}没有登记岗位，无法确定请假审批路径。",
                               f"{person.name} holds no post on {on}; the leave route cannot be decided.",
                               code="no_post", facts={"field": "person", "on": on.isoformat()})
    return min(posts, key=lambda p: RANK_ORDER.index(p.post))


def may_act_as(person: Person | None, post: str, area: Area, on: datetime.date, *, section: str = "") -> bool:
    """True when `person` holds `post` for something in `area` on `on`. `principal_leader` is the party secretary
    or the director; `vrc_principal` the secretary or director of that community's committee; a `leader_in_charge`
    must lead `section` when one is given (else any field)."""
    if person is None:
        return False
    return acts_as(posts_of(person, on), post, area, section=section)


def acts_as(held: list[StaffPost], post: str, area: Area, *, section: str = "") -> bool:
    """`may_act_as` on posts already read (with their areas): no query, for lists such as the approver inbox."""
    if post == r.VRC_PRINCIPAL:
        return any(p.post in r.VRC_HEAD_POSTS and p.area_id == area.pk for p in held)
    # The street's own posts: paths are "/<district>/<street>/…", so the street is the first two ids.
    street_path = "/".join(area.path.rstrip("/").split("/")[:3]) + "/"
    held = [p for p in held if p.area.path == street_path]
    if post == r.PRINCIPAL_LEADER:
        return any(p.post in r.PRINCIPAL_POSTS for p in held)
    if post == r.LEADER_IN_CHARGE:
        leaders = [p for p in held if p.post in (r.LEADER_IN_CHARGE, r.DEPUTY_DIRECTOR)]
        return any(not section or not p.section or p.section == section for p in leaders)
    return any(p.post == post for p in held)


def holders(post: str, area: Area, on: datetime.date) -> list[Person]:
    """The people who may act under `post` for `area` on `on` (for notifications and the approver inbox), from the
    posts table and from the memberships that imply the post."""
    if post == r.VRC_PRINCIPAL:
        posts, where = r.VRC_HEAD_POSTS, {"area": area}
        member_where = {"body__area": area}
    else:
        street = street_of(area)
        posts = {r.PRINCIPAL_LEADER: r.PRINCIPAL_POSTS,
                 r.LEADER_IN_CHARGE: (r.LEADER_IN_CHARGE, r.DEPUTY_DIRECTOR)}.get(post, (post,))
        where = {"area": street}
        member_where = {"body__area": street}
    explicit = StaffPost.objects.on(on).filter(post__in=posts, **where).values("person_id")
    roles = [role for role, implied in ROLE_POSTS.items() if implied in posts]
    implied = (Membership.objects.on(on).filter(role__in=roles, **member_where)
               .exclude(person_id__in=StaffPost.objects.on(on).values("person_id")).values("person_id"))
    return list(Person.objects.filter(Q(pk__in=explicit) | Q(pk__in=implied)).order_by("pk"))


def users_of(people) -> list:
    """Active logins of `people` (through accounts.Account.person)."""
    ids = [p.pk for p in people]
    return list(get_user_model().objects.filter(account__person_id__in=ids, is_active=True))


def is_office_staff(user, street: Area) -> bool:
    """Street staff and admins (APPROVE_AS_STREET on the street) run the office's registers."""
    return scope.has_perm(user, Perm.APPROVE_AS_STREET, street)


def require_office_staff(user, street: Area) -> None:
    if not is_office_staff(user, street):
        raise PermissionDenied("只有街道机关工作人员可以办理。", "Only street office staff may do this.")


def leader_posts(person: Person | None, street: Area, on: datetime.date) -> tuple[str, ...]:
    return tuple(p.post for p in posts_of(person, on, street) if p.post in LEADERSHIP_POSTS)


__all__ = ["Post", "holders", "may_act_as", "person_of", "posts_of", "rank_of", "street_of", "users_of"]
