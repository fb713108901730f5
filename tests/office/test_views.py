"""The office pages: forms post through the services, refusals show the rule, lists keep a constant query count."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiceng.office import services
from jiceng.office.models import LeaveRequest, Petition


def test_leave_form_routes_and_inbox_shows_it(client, office_world):
    w = office_world
    client.force_login(w.u.staff)
    start = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = client.post("/office/leave/", {"start_on": start, "days": "4", "reason": "探亲"})
    assert response.status_code == 302
    leave = LeaveRequest.objects.get()
    assert leave.route == ["party_secretary"]
    client.force_login(w.u.secretary)
    assert w.p.staff.name in client.get("/office/leave/inbox/").content.decode()
    client.post(f"/office/leave/{leave.pk}/approve/", {"note": "同意"})
    assert LeaveRequest.objects.get().status == "filed"


def test_refused_approval_shows_a_message_and_changes_nothing(client, office_world):
    w = office_world
    leave = services.request_leave(w.u.staff, person=w.p.staff, start_on=timezone.localdate(), days=4, reason="事")
    client.force_login(w.u.director)
    page = client.post(f"/office/leave/{leave.pk}/approve/", follow=True).content.decode()
    assert "审批" in page and LeaveRequest.objects.get().status == "submitted"


def test_other_community_cannot_open_a_leave(client, office_world):
    w = office_world
    leave = services.request_leave(w.u.vrc_member, person=w.p.vrc_member, start_on=timezone.localdate(), days=2,
                                   reason="事")
    client.force_login(w.worker_b)
    assert client.get(f"/office/leave/{leave.pk}/").status_code == 404


def test_petition_register_form_and_stages(client, office_world):
    w = office_world
    client.force_login(w.u.center_director)
    response = client.post("/office/petitions/", {
        "area": w.street.pk, "received_on": timezone.localdate().isoformat(), "channel": "visit",
        "kind": "ordinary", "petitioner_name": "张大山", "petitioner_phone": "13812345678", "headcount": 1,
        "issue": "油烟扰民", "request": "整改"})
    assert response.status_code == 302
    petition = Petition.objects.get()
    client.force_login(w.u.deputy)
    client.post(f"/office/petitions/{petition.pk}/instruct/", {"text": "请城管科办理"})
    assert Petition.objects.get().status == "instructed"


def test_petition_pages_mask_for_viewers(client, office_world):
    from tests import builders

    w = office_world
    p = services.register_petition(w.u.center_director, area=w.street, petitioner_name="张大山",
                                   received_on=timezone.localdate(), issue="x", request="y",
                                   petitioner_phone="13812345678")
    viewer = builders.make_user(w.root, "viewer2", "viewer", w.street)
    client.force_login(viewer)
    page = client.get(f"/office/petitions/{p.pk}/").content.decode()
    assert "张*山" in page and "13812345678" not in page
    assert "张大山" not in client.get("/office/petitions/").content.decode()


@pytest.mark.parametrize("count", [1, 12])
def test_petition_list_constant_queries(client, office_world, django_assert_max_num_queries, count):
    w = office_world
    for i in range(count):
        services.register_petition(w.u.center_director, area=w.street, petitioner_name=f"来访人{i}",
                                   received_on=timezone.localdate(), issue="x", request="y")
    client.force_login(w.u.center_director)
    with django_assert_max_num_queries(22):
        assert client.get("/office/petitions/").status_code == 200


@pytest.mark.parametrize("count", [1, 7])
def test_duty_roster_constant_queries(client, office_world, django_assert_max_num_queries, count):
    w = office_world
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    for i in range(count):
        services.set_roster(w.u.office_director, street=w.street, day=monday + datetime.timedelta(days=i),
                            leaders=[(w.p.deputy, "139")], officers=[(w.p.staff, "138"), (w.p.section_head, "137")])
    client.force_login(w.u.office_director)
    with django_assert_max_num_queries(16):
        page = client.get("/office/duty/")
    assert page.status_code == 200 and page.content.decode().count(w.p.deputy.name) == count


def test_index_and_documents_pages(client, office_world):
    client.force_login(office_world.u.office_director)
    assert client.get("/office/").status_code == 200
    assert client.get("/office/documents/").status_code == 200
    assert client.get("/office/leave/").status_code == 200


@pytest.mark.parametrize("count", [1, 8])
def test_leave_inbox_constant_queries(client, office_world, django_assert_max_num_queries, count):
    w = office_world
    for _ in range(count):
        services.request_leave(w.u.staff, person=w.p.staff, start_on=timezone.localdate(), days=2, reason="事")
    client.force_login(w.u.director)
    with django_assert_max_num_queries(16):
        page = client.get("/office/leave/inbox/")
    assert page.content.decode().count(w.p.staff.name) == count
