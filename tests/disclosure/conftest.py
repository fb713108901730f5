"""Community A with its party branch (a secretary, the designated disclosure officer), residents committee and
supervision committee, each person with a login; helpers to get a passed agenda item from a real meeting."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from jiceng.disclosure import services
from jiceng.meetings import services as meetings
from jiceng.meetings.models import Kind
from jiceng.orgs import services as orgs
from jiceng.orgs.models import Body, Role
from tests import builders


@pytest.fixture
def disc_world(world):
    root, a = world.root, world.a
    party_org = builders.make_body(root, Body.Kind.COMMUNITY_PARTY_ORG, a, "长春路社区党支部", org_type="party_branch",
                                   members=[builders.make_person(root, world.building_a, f"党员{i}") for i in range(3)])
    secretary, deputy, member = builders.make_members(
        root, party_org, [Role.COMMUNITY_PARTY_SECRETARY, Role.COMMUNITY_PARTY_DEPUTY_SECRETARY,
                          Role.PARTY_ORG_COMMITTEE_MEMBER], world.building_a)
    officer = builders.make_person(root, world.building_a, "王公开")
    orgs.add_membership(root, person=officer, body=party_org, role=Role.PARTY_DISCLOSURE_OFFICER,
                        start_on=datetime.date(2020, 1, 1))
    rc = builders.make_body(root, Body.Kind.RESIDENTS_COMMITTEE, a, "长春路社区居委会")
    director, rc_member = builders.make_members(root, rc, [Role.RC_DIRECTOR, Role.RC_MEMBER], world.building_a)
    supervision = builders.make_body(root, Body.Kind.SUPERVISION_COMMITTEE, a, "长春路社区居务监督委员会")
    (supervisor,) = builders.make_members(root, supervision, [Role.SUPERVISION_COMMITTEE_MEMBER], world.building_a)
    users = SimpleNamespace(
        secretary=builders.make_user(root, "shuji", "community_worker", a, person=secretary),
        officer=builders.make_user(root, "gongkai", "community_worker", a, person=officer),
        director=builders.make_user(root, "zhuren", "community_worker", a, person=director),
        supervisor=builders.make_user(root, "jiandu", "supervision_member", a, person=supervisor),
    )
    return SimpleNamespace(**vars(world), party_org=party_org, rc=rc, supervision=supervision, u=users,
                           committee=[secretary, deputy, member], rc_people=[director, rc_member],
                           officer_person=officer)


def passed_item(w, kind: str = Kind.PARTY_ORG_COMMITTEE_MEETING, *, days_ago: int = 3, passed: bool = True):
    """An agenda item of a meeting of `kind` held `days_ago` days ago in community A, passed unanimously (or
    rejected)."""
    held = timezone.now() - datetime.timedelta(days=days_ago)
    meeting = meetings.create_meeting(w.worker_a, kind=kind, body=w.party_org, title="研究公开事项",
                                      scheduled_at=held)
    meetings.publish_notice(w.worker_a, meeting, published_at=held - datetime.timedelta(days=5))
    present = list(meeting.attendance.filter(expected=True).values_list("person_id", flat=True))
    meetings.hold(w.worker_a, meeting, held_at=held, present=present, chair=w.committee[0],
                  recorder=w.committee[1])
    item = meetings.add_item(w.worker_a, meeting, title="拟公开事项")
    if passed:
        meetings.record_vote(w.worker_a, item, method="show_of_hands", yes=len(present), no=0, abstain=0)
    else:
        meetings.record_vote(w.worker_a, item, method="show_of_hands", yes=0, no=len(present), abstain=0)
    item.refresh_from_db()
    return item


def party_draft(w, **kw):
    fields = {"community": w.a, "board": "party", "category": "P07", "timing_class": "routine_periodic",
              "title": "2026年10月党费收缴情况", "body": "本月应交党员32名，实交32名。"}
    fields.update(kw)
    return services.create_item(w.u.officer, **fields)


def residents_draft(w, **kw):
    fields = {"community": w.a, "board": "residents", "category": "R02", "timing_class": "routine_periodic",
              "title": "2026年上半年社区收支情况", "body": "收支明细见下表。"}
    fields.update(kw)
    return services.create_item(w.u.director, **fields)


def published_party(w, **kw):
    item = party_draft(w, **kw)
    services.record_decision(w.u.officer, item, agenda_item=passed_item(w))
    services.sign(w.u.secretary, item)
    return services.publish(w.u.officer, item)


def published_residents(w, **kw):
    item = residents_draft(w, **kw)
    services.review(w.u.supervisor, item, approved=True, note="同意")
    services.record_decision(w.u.director, item, agenda_item=passed_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING))
    return services.publish(w.u.director, item)
