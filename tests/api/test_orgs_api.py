import datetime

import pytest

from jiceng.orgs import services
from jiceng.orgs.models import Body, Person
from tests import builders


@pytest.fixture
def party_org_a(world):
    members = [builders.make_person(world.root, world.building_a, f"党员{i}", political_status="party_member")
               for i in range(3)]
    body = services.create_body(world.root, name="长春路社区党支部", kind=Body.Kind.COMMUNITY_PARTY_ORG,
                                area=world.a, org_type="party_branch", members=members,
                                opened_on=datetime.date(2024, 1, 1))
    services.add_membership(world.root, person=members[0], body=body, role="community_party_secretary",
                            start_on=datetime.date(2024, 1, 1))
    return body


def test_me_lists_roles_and_scope(api, world):
    data = api(world.worker_a).get("/api/v1/me").json()
    assert data["username"] == "worker_a"
    assert [(r["role"], r["area"]["id"]) for r in data["roles"]] == [("community_worker", world.a.pk)]


def test_bodies_filter_by_kind_and_area(api, world, party_org_a):
    data = api(world.street_admin).get("/api/v1/bodies", kind="community_party_org", area=world.a.pk).json()
    assert [b["id"] for b in data["items"]] == [party_org_a.pk]
    assert data["items"][0]["org_type"] == "party_branch"
    assert api(world.street_admin).get("/api/v1/bodies", kind="community_party_org",
                                       area=world.b.pk).json()["items"] == []


def test_members_on_a_date_give_person_ids_and_roles(api, world, party_org_a):
    data = api(world.worker_a).get(f"/api/v1/bodies/{party_org_a.pk}/members", on="2024-06-01").json()
    assert data["count"] == 3
    assert {m["role"] for m in data["members"]} == {"party_member", "community_party_secretary"}
    assert api(world.worker_a).get(f"/api/v1/bodies/{party_org_a.pk}/members",
                                   on="2023-12-31").json()["members"] == []


def test_worker_of_b_gets_404_for_everything_of_a(api, world, party_org_a):
    caller = api(world.worker_b)
    for path in [f"/api/v1/bodies/{party_org_a.pk}", f"/api/v1/bodies/{party_org_a.pk}/members",
                 f"/api/v1/people/{world.zhang.pk}", f"/api/v1/areas/{world.a.pk}"]:
        response = caller.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"
    assert world.zhang.pk not in [p["id"] for p in caller.get("/api/v1/people").json()["items"]]
    assert caller.get("/api/v1/people", q="zs").json()["items"] == []
    assert caller.get("/api/v1/bodies", area=world.a.pk).status_code == 404


def test_people_search_by_initials_pinyin_and_tails(api, world):
    caller = api(world.worker_a)
    for q in ["zs", "zhangsan", "张三", "1234", world.zhang.id_number[-4:]]:
        assert [p["id"] for p in caller.get("/api/v1/people", q=q).json()["items"]] == [world.zhang.pk], q


def test_personal_data_is_full_in_scope_and_masked_outside(api, world):
    own = api(world.worker_a).get(f"/api/v1/people/{world.zhang.pk}").json()
    assert (own["phone"], own["id_number"], own["masked"]) == ("13812341234", world.zhang.id_number, False)
    # 李四 lives in B but sits on a body of A, so worker_a sees 李四 — masked.
    body = services.create_body(world.root, name="议事会", kind="deliberation_council", area=world.a)
    services.add_membership(world.root, person=world.li, body=body, role="member", start_on=world.today)
    other = api(world.worker_a).get(f"/api/v1/people/{world.li.pk}").json()
    assert other["masked"] is True
    assert other["phone"] == "139****5678"
    assert world.li.id_number not in str(other)


def test_create_person_with_bad_id_is_400_and_names_the_field(api, world):
    bad = world.zhang.id_number[:-1] + ("1" if world.zhang.id_number[-1] == "0" else "0")
    response = api(world.worker_a).post("/api/v1/people", {"name": "王五", "id_number": bad,
                                                            "area": world.building_a.pk})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "id_number_checksum"
    assert not Person.objects.filter(name="王五").exists()


def test_worker_cannot_create_person_in_another_community(api, world):
    response = api(world.worker_a).post("/api/v1/people", {"name": "王五", "id_number": builders.valid_id(),
                                                            "area": world.building_b.pk})
    assert response.status_code == 404  # B's building is not even visible


def test_party_org_with_wrong_form_is_422_citing_the_rule(api, world):
    members = [builders.make_person(world.root, world.building_a, f"党员{i}", political_status="party_member")
               for i in range(4)]
    response = api(world.root).post("/api/v1/bodies", {
        "name": "党总支", "kind": "community_party_org", "area": world.a.pk, "org_type": "general_party_branch",
        "members": [p.pk for p in members]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["rule"]) == ("org_type_mismatch", "R-ORG-03")
    assert "第四条" in error["message"] and error["message_en"]
    assert error["facts"]["members"] == 4


def test_unauthenticated_is_401(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_malformed_json_is_400(api, world):
    from django.test import Client

    from jiceng.accounts.services import issue_token

    token = issue_token(world.worker_a, world.worker_a)
    response = Client().post("/api/v1/people", "{bad", content_type="application/json",
                             headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_openapi_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/bodies/{body_id}/members" in response.json()["paths"]


def test_token_command_prints_a_working_token(client, world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("token", "worker_a", stdout=out)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {out.getvalue().strip()}"})
    assert response.json()["username"] == "worker_a"
