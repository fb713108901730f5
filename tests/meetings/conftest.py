"""A street with a PWC of 9, community A with a party branch, residents committee, councils, and a liaison."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from jiceng.orgs.models import Body, Role
from tests import builders

TZ = ZoneInfo("Asia/Shanghai")


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def street_world(world):
    root = world.root
    pwc = builders.make_body(root, Body.Kind.PARTY_WORKING_COMMITTEE, world.street, "天津路街道党工委")
    pwc_members = builders.make_members(root, pwc, [Role.PWC_SECRETARY, Role.PWC_DEPUTY_SECRETARY]
                                        + [Role.PWC_MEMBER] * 7, world.building_a)
    party_org = builders.make_body(root, Body.Kind.COMMUNITY_PARTY_ORG, world.a, "长春路社区党支部",
                                   org_type="party_branch", members=pwc_members[:3])
    rc = builders.make_body(root, Body.Kind.RESIDENTS_COMMITTEE, world.a, "长春路社区居委会")
    council = builders.make_body(root, Body.Kind.DELIBERATION_COUNCIL, world.a, "长春路社区议事会")
    grid_council = builders.make_body(root, Body.Kind.DELIBERATION_COUNCIL, world.grid_a, "第一网格议事会")
    return SimpleNamespace(**vars(world), pwc=pwc, pwc_members=pwc_members, secretary=pwc_members[0],
                           party_org=party_org, rc=rc, council=council, grid_council=grid_council,
                           street_staff=builders.make_user(root, "street_staff", "street_staff", world.street))
