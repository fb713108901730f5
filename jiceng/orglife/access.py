"""Who the members of a party organisation are on a day, and which offices an actor holds there (pure reads).

Members come from jiceng/orgs: a Person holding Role.PARTY_MEMBER or Role.PROBATIONARY_MEMBER on the party
organisation Body on the date. Offices are Memberships too: the branch committee of the organisation, and the
street party working committee above it (the superior organisation, rules-core §0.4 and C-03).
"""

from __future__ import annotations

import datetime

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.orgs.models import Area, Body, Membership, Person, Role

MEMBER_ROLES = (Role.PARTY_MEMBER, Role.PROBATIONARY_MEMBER)
BRANCH_COMMITTEE = (Role.COMMUNITY_PARTY_SECRETARY, Role.COMMUNITY_PARTY_DEPUTY_SECRETARY,
                    Role.PARTY_ORG_COMMITTEE_MEMBER)
BRANCH_HEADS = (Role.COMMUNITY_PARTY_SECRETARY, Role.COMMUNITY_PARTY_DEPUTY_SECRETARY)
PWC_ROLES = (Role.PWC_SECRETARY, Role.PWC_DEPUTY_SECRETARY, Role.PWC_MEMBER)


def person_id_of(actor) -> int | None:
    account = getattr(actor, "account", None)
    return account.person_id if account is not None else None


def require_party_org(body: Body) -> Body:
    if body.kind not in Body.PARTY_ORG_KINDS:
        raise ValidationFailed("请选择一个社区党组织。", "Choose a community party organisation.",
                               code="not_a_party_org", facts={"field": "party_org", "kind": body.kind})
    return body


def members_on(party_org: Body, day: datetime.date) -> dict[int, bool]:
    """{person id: probationary?} of the organisation's members on `day` (one query)."""
    rows = (Membership.objects.on(day).filter(body=party_org, role__in=MEMBER_ROLES)
            .values_list("person_id", "role"))
    found: dict[int, bool] = {}
    for person_id, role in rows:
        # A full membership wins over a probationary one held the same day.
        found[person_id] = found.get(person_id, True) and role == Role.PROBATIONARY_MEMBER
    return found


def members_during(party_org: Body, start: datetime.date, end: datetime.date) -> list[Person]:
    """Everyone who was a member at some time between `start` and `end`, by name."""
    ids = (Membership.objects.filter(body=party_org, role__in=MEMBER_ROLES, start_on__lte=end)
           .exclude(end_on__lt=start).values("person_id"))
    return list(Person.objects.filter(pk__in=ids).order_by("name_pinyin", "pk"))


def superior_pwc(party_org: Body, day: datetime.date) -> Body | None:
    """The street party working committee above the organisation (superior_party_org)."""
    street = party_org.area.ancestor_at(Area.Level.STREET)
    if street is None:
        return None
    return Body.objects.active(day).filter(area=street, kind=Body.Kind.PARTY_WORKING_COMMITTEE).order_by("pk").first()


def holds_office(actor, body: Body | None, roles, day: datetime.date) -> bool:
    person_id = person_id_of(actor)
    if body is None or person_id is None:
        return False
    return Membership.objects.on(day).filter(person_id=person_id, body=body, role__in=roles).exists()


def on_branch_committee(actor, party_org: Body, day: datetime.date) -> bool:
    return holds_office(actor, party_org, BRANCH_COMMITTEE, day)


def on_pwc(actor, party_org: Body, day: datetime.date) -> bool:
    return holds_office(actor, superior_pwc(party_org, day), PWC_ROLES, day)


def require_run(actor, party_org: Body) -> None:
    """Clerical entry (attendance of a round, texts of the modes, screenings): staff of the organisation's area."""
    if not scope.has_perm(actor, Perm.RUN_MEETINGS, party_org.area):
        raise PermissionDenied(f"您无权办理「{party_org}」的组织生活事项。",
                               f"You may not handle the organisational life of {party_org}.",
                               facts={"party_org": party_org.pk})


def require_view(actor, party_org: Body) -> None:
    if not scope.has_perm(actor, Perm.VIEW, party_org.area):
        raise PermissionDenied(f"您无权查看「{party_org}」。", f"You may not see {party_org}.",
                               facts={"party_org": party_org.pk})


def refuse_office(rule, code: str, zh: str, en: str, **facts) -> PermissionDenied:
    """A 403 that cites the rule naming who may act."""
    zh, en = rule.cited(zh, en)
    return PermissionDenied(zh, en, code=code, rule=rule.id, facts=facts)
