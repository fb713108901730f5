"""Who holds a finance post where on a day: the finance app's own posts table plus the offices orgs already knows
(居委会主任, 社区党组织书记, 街道办事处主任, 党工委书记 …), so nobody is entered twice."""

from __future__ import annotations

import datetime

from django.db.models import Q

from jiceng.orgs.models import Area, Body, Membership, Role

from .models import FinancePost

# rules-admin §1.2 post → the orgs roles (in a body of the same area) that hold it.
FROM_MEMBERSHIPS: dict[str, tuple[str, ...]] = {
    "rc_director": (Role.RC_DIRECTOR,),
    "rc_deputy_director": (Role.RC_DEPUTY_DIRECTOR,),
    "community_party_secretary": (Role.COMMUNITY_PARTY_SECRETARY,),
    "director": (Role.STREET_OFFICE_DIRECTOR,),
    "party_secretary": (Role.PWC_SECRETARY,),
    "leader_in_charge": (Role.SUPERVISING_LEADER, Role.STREET_OFFICE_DEPUTY_DIRECTOR),
    # 领导班子成员: the working committee and the office's director and deputies.
    "leadership_member": (Role.PWC_SECRETARY, Role.PWC_DEPUTY_SECRETARY, Role.PWC_MEMBER,
                          Role.STREET_OFFICE_DIRECTOR, Role.STREET_OFFICE_DEPUTY_DIRECTOR),
}
# Where each orgs role counts: the residents committee's offices in its own body kind only.
BODY_KINDS: dict[str, tuple[str, ...]] = {
    "rc_director": (Body.Kind.RESIDENTS_COMMITTEE,),
    "rc_deputy_director": (Body.Kind.RESIDENTS_COMMITTEE,),
    "community_party_secretary": (Body.Kind.COMMUNITY_PARTY_ORG,),
}


def _memberships(post: str, area: Area, on: datetime.date):
    roles = FROM_MEMBERSHIPS.get(post)
    if not roles:
        return Membership.objects.none()
    qs = Membership.objects.on(on).filter(body__area=area, role__in=roles)
    if post in BODY_KINDS:
        qs = qs.filter(body__kind__in=BODY_KINDS[post])
    return qs


def holders(post: str, area: Area, on: datetime.date) -> set[int]:
    """Person ids holding `post` in `area` on `on`."""
    own = set(FinancePost.objects.on(on).filter(area=area, post=post).values_list("person_id", flat=True))
    return own | set(_memberships(post, area, on).values_list("person_id", flat=True))


def holds(person_id: int | None, post: str, area: Area, on: datetime.date) -> bool:
    if person_id is None:
        return False
    if FinancePost.objects.on(on).filter(area=area, post=post, person_id=person_id).exists():
        return True
    return _memberships(post, area, on).filter(person_id=person_id).exists()


def posts_of(person_id: int | None, area: Area, on: datetime.date) -> set[str]:
    """The finance posts `person_id` holds in `area` on `on` (own table and orgs offices)."""
    if person_id is None:
        return set()
    found = set(FinancePost.objects.on(on).filter(area=area, person_id=person_id).values_list("post", flat=True))
    roles = set(Membership.objects.on(on).filter(body__area=area, person_id=person_id)
                .values_list("role", "body__kind"))
    for post, mapped in FROM_MEMBERSHIPS.items():
        kinds = BODY_KINDS.get(post)
        if any(role in mapped and (kinds is None or kind in kinds) for role, kind in roles):
            found.add(post)
    return found


def held_pairs(person_id: int | None, on: datetime.date) -> set[tuple[str, int]]:
    """Every (post, area id) the person holds on `on`, for the approver's inbox (two queries)."""
    if person_id is None:
        return set()
    pairs = set(FinancePost.objects.on(on).filter(person_id=person_id).values_list("post", "area_id"))
    rows = Membership.objects.on(on).filter(person_id=person_id).values_list("role", "body__kind", "body__area_id")
    for role, kind, area_id in rows:
        for post, mapped in FROM_MEMBERSHIPS.items():
            kinds = BODY_KINDS.get(post)
            if role in mapped and (kinds is None or kind in kinds):
                pairs.add((post, area_id))
    return pairs


def pairs_q(pairs: set[tuple[str, int]], prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for post, area_id in pairs:
        q |= Q(**{f"{prefix}role": post, f"{prefix}area_id": area_id})
    return q
