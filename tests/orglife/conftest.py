"""Community A's party branch (tests/disclosure `disc_world`) grown to 20 members, the street working committee
above it with a login, and helpers for a held members' assembly."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from jiceng.meetings import services as meetings
from jiceng.meetings.models import Kind
from jiceng.orgs import services as orgs
from jiceng.orgs.models import Body, Role
from tests import builders
from tests.disclosure.conftest import disc_world  # noqa: F401  (the fixture, shared)

D = datetime.date


@pytest.fixture
def ol_world(disc_world):  # noqa: F811
    w = disc_world
    root = w.root
    members = list(w.party_org.memberships.filter(role=Role.PARTY_MEMBER).select_related("person"))
    people = [m.person for m in members]
    for i in range(17):
        person = builders.make_person(root, w.building_a, f"党员{i + 3}", political_status="party_member")
        orgs.add_membership(root, person=person, body=w.party_org, role=Role.PARTY_MEMBER, start_on=D(2020, 1, 1))
        people.append(person)
    # The branch committee are members too.
    for person in w.committee:
        orgs.add_membership(root, person=person, body=w.party_org, role=Role.PARTY_MEMBER, start_on=D(2020, 1, 1))
    pwc = builders.make_body(root, Body.Kind.PARTY_WORKING_COMMITTEE, w.street, "天津路街道党工委")
    (pwc_secretary,) = builders.make_members(root, pwc, [Role.PWC_SECRETARY], w.building_b)
    member_user = builders.make_user(root, "dangyuan", "viewer", w.a, person=people[0])
    committee_member = builders.make_user(root, "weiyuan", "community_worker", w.a, person=w.committee[2])
    pwc_user = builders.make_user(root, "danggongwei", "street_staff", w.street, person=pwc_secretary)
    return SimpleNamespace(**vars(w), members=people, pwc=pwc, pwc_user=pwc_user, member_user=member_user,
                           committee_user=committee_member)


def held_assembly(w, *, present: int, days_ago: int = 2):
    """A members' assembly of the branch held `days_ago` days ago with the first `present` expected members."""
    held = timezone.now() - datetime.timedelta(days=days_ago)
    meeting = meetings.create_meeting(w.worker_a, kind=Kind.PARTY_MEMBERS_ASSEMBLY, body=w.party_org,
                                      title="党员大会", scheduled_at=held)
    meetings.publish_notice(w.worker_a, meeting, published_at=held - datetime.timedelta(days=3))
    expected = list(meeting.attendance.filter(expected=True).values_list("person_id", flat=True))
    meetings.hold(w.worker_a, meeting, held_at=held, present=expected[:present], chair=w.committee[0],
                  recorder=w.committee[1])
    return meeting
