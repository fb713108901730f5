"""Cross-community isolation through the web UI: a worker of B sees nothing of A (ARCHITECTURE §5)."""

import datetime

import pytest

from jiceng.orgs import services
from jiceng.orgs.models import Body
from tests import builders

D = datetime.date


@pytest.fixture
def body_a(world):
    body = services.create_body(world.root, name="长春路社区居民委员会", kind=Body.Kind.RESIDENTS_COMMITTEE,
                                area=world.a, opened_on=D(2021, 1, 1))
    services.add_membership(world.root, person=world.zhang, body=body, role="rc_director", start_on=D(2021, 1, 1))
    return body


@pytest.fixture
def as_worker_b(client, world):
    client.force_login(world.worker_b)
    return client


def test_worker_b_gets_404_for_a_person_of_a(as_worker_b, world):
    assert as_worker_b.get(f"/people/{world.zhang.pk}/").status_code == 404


def test_worker_b_gets_404_for_area_a_and_its_children(as_worker_b, world):
    assert as_worker_b.get(f"/areas/{world.a.pk}/").status_code == 404
    assert as_worker_b.get(f"/areas/{world.a.pk}/children/").status_code == 404
    assert as_worker_b.get(f"/areas/{world.building_a.pk}/").status_code == 404


def test_worker_b_gets_404_for_a_body_of_a(as_worker_b, body_a):
    assert as_worker_b.get(f"/bodies/{body_a.pk}/").status_code == 404


def test_404_for_an_id_that_does_not_exist_looks_the_same(as_worker_b, world):
    assert as_worker_b.get("/people/999999/").status_code == 404
    assert as_worker_b.get("/areas/999999/").status_code == 404


def test_worker_b_searching_zs_does_not_see_zhang_san(as_worker_b, world):
    for q in ["zs", "zhangsan", "张三", "1234", world.zhang.id_number[-6:]]:
        html = as_worker_b.get("/people/", {"q": q}).content.decode()
        assert f"/people/{world.zhang.pk}/" not in html and "13812341234" not in html, q
        assert "没有找到" in html, q


def test_worker_b_cannot_list_people_of_area_a(as_worker_b, world):
    assert as_worker_b.get("/people/", {"area": world.a.pk}).status_code == 404


def test_worker_b_home_and_directory_show_only_b(as_worker_b, world):
    home = as_worker_b.get("/").content.decode()
    assert "青岛路社区" in home and "长春路社区" not in home
    directory = as_worker_b.get("/people/").content.decode()
    assert "李四" in directory and "张三" not in directory
    assert "13956785678" in directory


def test_worker_b_does_not_see_drift_of_a(as_worker_b, world):
    members = [builders.make_person(world.root, world.building_a, f"党员{i}", political_status="party_member")
               for i in range(3)]
    org = services.create_body(world.root, name="长春路社区党支部", kind=Body.Kind.COMMUNITY_PARTY_ORG,
                               area=world.a, org_type="party_branch", members=members, opened_on=D(2021, 1, 1))
    services.end_membership(world.root, org.memberships.first(), end_on=D(2022, 1, 1))
    assert "长春路社区党支部" not in as_worker_b.get("/party-orgs/drift/").content.decode()


def test_worker_a_sees_li_si_only_through_a_body_of_a(client, world):
    client.force_login(world.worker_a)
    assert client.get(f"/people/{world.li.pk}/").status_code == 404
    assert "李四" not in client.get("/people/", {"q": "ls"}).content.decode()
    body = services.create_body(world.root, name="长春路议事会", kind=Body.Kind.DELIBERATION_COUNCIL,
                                area=world.a, opened_on=D(2021, 1, 1))
    services.add_membership(world.root, person=world.li, body=body, role="member", start_on=D(2021, 1, 1))
    html = client.get("/people/", {"q": "ls"}).content.decode()
    assert "李四" in html and "139****5678" in html and "13956785678" not in html
    assert "139****5678" in client.get(f"/people/{world.li.pk}/").content.decode()


def test_staff_who_are_not_admins_cannot_open_the_admin(client, world):
    client.force_login(world.worker_a)
    response = client.get("/admin/orgs/person/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
