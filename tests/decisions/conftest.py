"""Community A as an urban community running the method: its party organisation, residents committee,
supervision committee (from the disclosure fixture), a community council and a grid council, the resident
representatives meeting, an archivist, and the street's working committee; the district has set the residents'
meetings' numbers (R-WF-08)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from jiceng.meetings import services as meetings
from jiceng.meetings.models import Kind
from jiceng.orgs import services as orgs
from jiceng.orgs.models import Area, Body, Role
from jiceng.rules import services as rulebook
from tests import builders
from tests.disclosure.conftest import disc_world  # noqa: F401  (the fixture, shared)

D = datetime.date


@pytest.fixture
def dec_world(disc_world):  # noqa: F811
    w = disc_world
    root = w.root
    Area.objects.filter(pk=w.a.pk).update(community_kind=Area.CommunityKind.URBAN)
    w.a.refresh_from_db()
    council = builders.make_body(root, Body.Kind.DELIBERATION_COUNCIL, w.a, "长春路社区议事会")
    council_people = builders.make_members(root, council, [Role.MEMBER] * 9, w.building_a)
    grid_council = builders.make_body(root, Body.Kind.DELIBERATION_COUNCIL, w.grid_a, "第一网格议事会")
    builders.make_members(root, grid_council, [Role.MEMBER] * 10, w.building_a)
    representatives = builders.make_body(root, Body.Kind.RESIDENT_REPRESENTATIVES_MEETING, w.a,
                                         "长春路社区居民代表会议")
    builders.make_members(root, representatives, [Role.RESIDENT_REPRESENTATIVE] * 11, w.building_a)
    pwc = builders.make_body(root, Body.Kind.PARTY_WORKING_COMMITTEE, w.street, "天津路街道党工委")
    builders.make_members(root, pwc, [Role.PWC_SECRETARY, Role.PWC_DEPUTY_SECRETARY] + [Role.PWC_MEMBER] * 7,
                          w.building_b)
    archivist = builders.make_person(root, w.building_a, "档案员")
    workstation = builders.make_body(root, Body.Kind.COMMUNITY_WORKSTATION, w.a, "长春路社区工作站")
    orgs.add_membership(root, person=archivist, body=workstation, role=Role.ARCHIVIST, start_on=D(2020, 1, 1))
    rulebook.adopt_version(root, district=w.district, effective_from=D(2020, 1, 1), overrides={
        "R-WF-08": {"threshold": {"share": "1/2", "base": "expected", "strict": True}},
        "R-WF-08/passing": {"threshold": {"share": "1/2", "base": "present", "strict": True}},
        "R-WF-03/party_members_vote": {"threshold": {"share": "1/2", "base": "present", "strict": True}}})
    council_member = builders.make_user(root, "yishi", "community_worker", w.a, person=council_people[0])
    return SimpleNamespace(**vars(w), council=council, grid_council=grid_council, representatives=representatives,
                           pwc=pwc, archivist=archivist, council_member=council_member)


def held_item(w, kind: str, body: Body, *, days_ago: float, yes_share: float = 1.0, topic: str = "T4",
              title: str = "老旧小区加装电梯方案"):
    """An agenda item of a meeting of `body` held `days_ago` days ago, all expected present, `yes_share` of them
    voting yes and the rest no."""
    held = timezone.now() - datetime.timedelta(days=days_ago)
    actor = w.street_admin
    meeting = meetings.create_meeting(actor, kind=kind, body=body, title=f"{body.name}会议", scheduled_at=held)
    with_topic = (Kind.DELIBERATION_COUNCIL, Kind.RESIDENT_REPRESENTATIVES_MEETING, Kind.RESIDENTS_ASSEMBLY)
    item = meetings.add_item(actor, meeting, title=title, topic=topic if kind in with_topic else "")
    meetings.publish_notice(actor, meeting, published_at=held - datetime.timedelta(days=6))
    present = list(meeting.attendance.filter(expected=True).values_list("person_id", flat=True))
    chairs = {Kind.TWO_COMMITTEES_JOINT_MEETING: w.committee[0], Kind.PARTY_ORG_COMMITTEE_MEETING: w.committee[0]}
    chair = chairs.get(kind)
    recorder = w.committee[1] if chair else meeting.attendance.filter(expected=True).first().person
    meetings.hold(actor, meeting, held_at=held, present=present, chair=chair, recorder=recorder)
    yes = round(len(present) * yes_share)
    meetings.record_vote(actor, item, method="show_of_hands", yes=yes, no=len(present) - yes, abstain=0)
    item.refresh_from_db()
    return item
