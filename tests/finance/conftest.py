"""Finance world: community A with its residents-committee director, deputy, party secretary, accountant, cashier
and a worker who files claims; the street office 天津路街道 with director, party secretary, leader in charge,
section head, discipline secretary and a clerk; each person with a login."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from jiceng.finance import services
from jiceng.orgs import services as orgs
from jiceng.orgs.models import Body, Role
from tests import builders

D = datetime.date
START = D(2020, 1, 1)
PDF = b"%PDF-1.4 voucher"


@pytest.fixture
def fin(world):
    root, a, street = world.root, world.a, world.street
    rc = builders.make_body(root, Body.Kind.RESIDENTS_COMMITTEE, a, "长春路社区居委会")
    party_org = builders.make_body(root, Body.Kind.COMMUNITY_PARTY_ORG, a, "长春路社区党支部", org_type="party_branch",
                                   members=[builders.make_person(root, world.building_a, f"党员{i}") for i in range(3)])
    office = builders.make_body(root, Body.Kind.STREET_OFFICE, street, "天津路街道办事处")
    pwc = builders.make_body(root, Body.Kind.PARTY_WORKING_COMMITTEE, street, "天津路街道党工委")

    def person(name, area, body=None, role=None, post=None, access="community_worker"):
        p = builders.make_person(root, world.building_a, name)
        if body is not None:
            orgs.add_membership(root, person=p, body=body, role=role, start_on=START)
        if post is not None:
            services.assign_post(root, person=p, area=area, post=post, start_on=START)
        user = builders.make_user(root, f"u{p.pk}", access, area, person=p)
        return p, user

    people = {
        "rc_director": person("居委会主任", a, rc, Role.RC_DIRECTOR),
        "rc_deputy": person("居委会副主任", a, rc, Role.RC_DEPUTY_DIRECTOR),
        "secretary": person("社区书记", a, party_org, Role.COMMUNITY_PARTY_SECRETARY),
        "accountant": person("会计", a, post="accountant"),
        "cashier": person("出纳", a, post="cashier"),
        "handler": person("社区干事", a, rc, Role.RC_MEMBER),
        "director": person("街道主任", street, office, Role.STREET_OFFICE_DIRECTOR, access="street_staff"),
        "party_secretary": person("党工委书记", street, pwc, Role.PWC_SECRETARY, access="street_staff"),
        "leader": person("分管副主任", street, office, Role.STREET_OFFICE_DEPUTY_DIRECTOR, access="street_staff"),
        "section_head": person("科长", street, post="section_head", access="street_staff"),
        "discipline": person("纪工委书记", street, pwc, Role.PWC_MEMBER, post="discipline_secretary",
                             access="street_staff"),
        "clerk": person("办事员", street, access="street_staff"),
        "street_accountant": person("街道会计", street, post="accountant", access="street_staff"),
    }
    p = SimpleNamespace(**{k: v[0] for k, v in people.items()})
    u = SimpleNamespace(**{k: v[1] for k, v in people.items()})
    return SimpleNamespace(**vars(world), rc=rc, party_org=party_org, office=office, pwc=pwc, p=p, u=u)


def claim(w, amount, *, street=False, by=None, claimant=None, kind="ordinary"):
    area = w.street if street else w.a
    actor = by or (w.u.clerk if street else w.u.handler)
    return services.create_claim(actor, area=area, amount=amount, purpose="购买办公用品",
                                 claimant=claimant or (w.p.clerk if street else w.p.handler), kind=kind)


def sign_all(w, c, users):
    for user in users:
        c = services.approve(user, c)
    return c


def congress_item(w, *, passed: bool = True):
    """An agenda item of a member congress of community A held two days ago, passed unanimously or rejected."""
    from django.utils import timezone

    from jiceng.meetings import services as meetings
    from jiceng.meetings.models import Kind

    body = builders.make_body(w.root, Body.Kind.COMMUNITY_MEMBER_REPRESENTATIVES_ASSEMBLY, w.a, "社区成员代表大会")
    builders.make_members(w.root, body, [Role.COMMUNITY_MEMBER_REPRESENTATIVE] * 5, w.building_a)
    held = timezone.now() - datetime.timedelta(days=2)
    meeting = meetings.create_meeting(w.street_admin, kind=Kind.MEMBER_CONGRESS, body=body, title="社区成员代表大会",
                                      scheduled_at=held)
    meetings.publish_notice(w.street_admin, meeting, published_at=held - datetime.timedelta(days=8))
    present = list(meeting.attendance.filter(expected=True).values_list("person_id", flat=True))
    recorder = meeting.attendance.filter(expected=True).first().person
    meetings.hold(w.street_admin, meeting, held_at=held, present=present, recorder=recorder)
    item = meetings.add_item(w.street_admin, meeting, title="购置社区活动室设备")
    yes = len(present) if passed else 0
    meetings.record_vote(w.street_admin, item, method="show_of_hands", yes=yes, no=len(present) - yes, abstain=0)
    item.refresh_from_db()
    return item
