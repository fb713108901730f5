"""The street office of 天津路街道 (from the shared `world`): its leaders and staff with posts and logins, and the
committee of community A (长春路社区) with its secretary, director, a member and a community worker."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from jiceng.office import services
from jiceng.rules import office as r
from tests import builders

D = datetime.date
START = D(2020, 1, 1)


@pytest.fixture
def office_world(world):
    w = world
    root = w.root
    people, users = {}, {}
    street_posts = [
        ("secretary", r.PARTY_SECRETARY, "", "王书记"),
        ("director", r.DIRECTOR, "", "李主任"),
        ("deputy", r.DEPUTY_DIRECTOR, "urban_mgmt_section", "赵副主任"),
        ("acting_secretary", r.ACTING_PARTY_SECRETARY, "", "钱副书记"),
        ("office_director", r.OFFICE_DIRECTOR, "general_office", "孙办公室主任"),
        ("staff", r.ORDINARY_STAFF, "urban_mgmt_section", "周干事"),
        ("section_head", r.SECTION_HEAD, "urban_mgmt_section", "吴科长"),
        ("center_director", r.CENTER_DIRECTOR, "street_zz_center", "郑中心主任"),
        ("keeper", r.SEAL_KEEPER, "general_office", "冯印章员"),
    ]
    for key, post, section, name in street_posts:
        person = builders.make_person(root, w.building_b, name, phone="139" + f"{len(people):08d}")
        services.appoint_post(root, person=person, area=w.street, post=post, start_on=START, section=section)
        people[key] = person
        users[key] = builders.make_user(root, f"office_{key}", "street_staff", w.street, person=person)
    for key, post, name in [("vrc_secretary", r.VRC_SECRETARY, "陈书记"), ("vrc_director", r.VRC_DIRECTOR, "褚主任"),
                            ("vrc_member", r.VRC_MEMBER, "卫委员"), ("worker", r.COMMUNITY_WORKER, "蒋社工")]:
        person = builders.make_person(root, w.building_a, name)
        services.appoint_post(root, person=person, area=w.a, post=post, start_on=START)
        people[key] = person
        users[key] = builders.make_user(root, f"office_{key}", "community_worker", w.a, person=person)
    district_leader = builders.make_person(root, w.building_b, "区领导")
    services.appoint_post(root, person=district_leader, area=w.street, post=r.DISTRICT_APPROVER, start_on=START)
    users["district_leader"] = builders.make_user(root, "office_district", "street_staff", w.street,
                                                  person=district_leader)
    people["district_leader"] = district_leader
    return SimpleNamespace(**vars(w), p=SimpleNamespace(**people), u=SimpleNamespace(**users))
