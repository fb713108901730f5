"""A 村改居 matter keeps its own order (R-WF-03): party proposal → two committees → party members' meeting →
residents' vote; it is never merged with the urban sequence."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiceng.core.errors import RuleViolation
from jiceng.decisions import services
from jiceng.meetings.models import Kind
from jiceng.orgs.models import Area

from .conftest import held_item


def ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def village(dec_world):
    Area.objects.filter(pk=dec_world.a.pk).update(community_kind=Area.CommunityKind.VILLAGE_TO_RESIDENTIAL)
    dec_world.a.refresh_from_db()
    return dec_world


def open_matter(w):
    return services.open_matter(w.worker_a, community=w.a, topic="T2", title="集体资产收益分配",
                                summary="2026年集体资产租金收益按户分配。", initiator="社区党委", occurred_at=ago(30))


def test_the_village_path(village):
    w = village
    matter = open_matter(w)
    assert matter.template == "village"
    services.link_step(w.worker_a, matter, "party_proposal",
                       agenda_item=held_item(w, Kind.PARTY_ORG_COMMITTEE_MEETING, w.party_org, days_ago=20))
    services.link_step(w.worker_a, matter, "two_committee_consultation",
                       agenda_item=held_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=17))
    services.link_step(w.worker_a, matter, "party_members_review",
                       agenda_item=held_item(w, Kind.PARTY_MEMBERS_ASSEMBLY, w.party_org, days_ago=14))
    services.link_step(w.worker_a, matter, "resolution",
                       agenda_item=held_item(w, Kind.RESIDENT_REPRESENTATIVES_MEETING, w.representatives, days_ago=10))
    matter.refresh_from_db()
    assert matter.step == "resolution"
    assert services.missing_records(matter) == ["公开内容记录档案（决议公开）", "执行情况、对执行中问题的处理情况",
                                                 "公开内容记录档案（实施结果公开）"]


def test_residents_vote_before_the_party_members_meeting_is_refused(village):
    """AT-19(b)."""
    w = village
    matter = open_matter(w)
    services.link_step(w.worker_a, matter, "party_proposal",
                       agenda_item=held_item(w, Kind.PARTY_ORG_COMMITTEE_MEETING, w.party_org, days_ago=20))
    services.link_step(w.worker_a, matter, "two_committee_consultation",
                       agenda_item=held_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=17))
    with pytest.raises(RuleViolation) as refused:
        services.link_step(w.worker_a, matter, "resolution", agenda_item=held_item(
            w, Kind.RESIDENT_REPRESENTATIVES_MEETING, w.representatives, days_ago=10))
    assert refused.value.code == "step_out_of_order" and refused.value.rule_id == "R-WF-03"
    assert refused.value.facts["missing"] == ["party_members_review"]


def test_urban_steps_do_not_exist_in_a_village_matter(village):
    w = village
    matter = open_matter(w)
    with pytest.raises(RuleViolation) as refused:
        services.link_step(w.worker_a, matter, "proposal",
                           agenda_item=held_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=5))
    assert refused.value.code == "unknown_step"


def test_the_template_stays_when_the_community_kind_changes(village):
    w = village
    matter = open_matter(w)
    Area.objects.filter(pk=w.a.pk).update(community_kind=Area.CommunityKind.URBAN)
    matter.refresh_from_db()
    assert matter.template == "village"
