"""The meeting pages: list, calendar, convening through the form, and the live page a secretary runs —
notice, check-in with the quorum line, hold, votes with their arithmetic, refusals that cite the rule."""

import datetime
import re

import pytest
from django.utils.html import escape

from jiceng.meetings import services
from jiceng.meetings.models import AgendaItem, Meeting
from jiceng.orgs.models import Role
from tests import builders
from tests.meetings import conftest as meetings_conftest
from tests.meetings.conftest import at

street_world = meetings_conftest.street_world  # the fixture: a PWC of 9, community A's bodies, street staff

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = D(2025, 4, 10)
NOTICE_ON = D(2025, 4, 5)
HTMX = {"HX-Request": "true"}


def pwc_meeting(w, *, items=("年度预算",), notice_on=NOTICE_ON) -> Meeting:
    meeting = services.create_meeting(w.street_staff, kind="pwc_meeting", body=w.pwc, title="四月党工委会议",
                                      scheduled_at=at(DAY), location="街道三楼会议室")
    for title in items:
        services.add_item(w.street_staff, meeting, title=title)
    if notice_on:
        services.publish_notice(w.street_staff, meeting, published_at=at(notice_on))
    return meeting


def hold_data(w, present: int, **extra) -> dict:
    return {"held_at": "2025-04-10T09:00", "present": [p.pk for p in w.pwc_members[:present]],
            "chair": w.secretary.pk, "recorder": w.pwc_members[1].pk, **extra}


def council_meeting(w, title="议事会（四月）") -> Meeting:
    return services.create_meeting(w.worker_a, kind="deliberation_council", body=w.council, title=title,
                                   scheduled_at=at(DAY))


# List, detail and scope ------------------------------------------------------------------------------

def test_list_shows_a_meeting_of_a_to_worker_a_and_not_to_worker_b(client, street_world):
    meeting = council_meeting(street_world)
    client.force_login(street_world.worker_a)
    html = client.get("/meetings/").content.decode()
    assert "议事会（四月）" in html and f"/meetings/{meeting.pk}/" in html
    assert "召开会议" in html
    client.force_login(street_world.worker_b)
    assert "议事会（四月）" not in client.get("/meetings/").content.decode()
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert client.post(f"/meetings/{meeting.pk}/notice/", {"published_at": "2025-04-01T09:00"}).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


def test_list_filters_by_kind_status_and_month(client, street_world):
    council_meeting(street_world)
    pwc_meeting(street_world)
    client.force_login(street_world.street_admin)
    html = client.get("/meetings/", {"kind": "pwc_meeting"}).content.decode()
    assert "四月党工委会议" in html and "议事会（四月）" not in html
    html = client.get("/meetings/", {"status": "draft"}).content.decode()
    assert "议事会（四月）" in html and "四月党工委会议" not in html
    assert "四月党工委会议" not in client.get("/meetings/", {"month": "2025-05"}).content.decode()
    assert "四月党工委会议" in client.get("/meetings/", {"month": "2025-04"}).content.decode()


def test_list_page_query_count_is_bounded(client, street_world, django_assert_max_num_queries):
    for i in range(35):
        services.create_meeting(street_world.worker_a, kind="deliberation_council", body=street_world.council,
                                title=f"议事会{i:02d}", scheduled_at=at(DAY) + datetime.timedelta(days=i))
    client.force_login(street_world.worker_a)
    with django_assert_max_num_queries(10):
        response = client.get("/meetings/")
    assert len(response.context["page"].object_list) == 30
    assert "议事会34" in response.content.decode()  # newest first
    with django_assert_max_num_queries(10):
        assert "议事会00" in client.get("/meetings/", {"page": 2}).content.decode()


def test_meeting_page_query_count_does_not_grow_with_the_agenda(client, street_world,
                                                                 django_assert_max_num_queries):
    w = street_world
    meeting = pwc_meeting(w, items=[f"事项{i}" for i in range(8)])
    services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:6]],
                  chair=w.secretary, recorder=w.pwc_members[1])
    for item in meeting.items.all()[:4]:
        services.record_vote(w.street_staff, item, method="show_of_hands", yes=5, no=1)
    client.force_login(w.street_staff)
    with django_assert_max_num_queries(18):
        html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert html.count("R-PWC-11</span>") >= 4


def test_viewer_without_run_permission_sees_the_page_without_actions(client, street_world):
    meeting = council_meeting(street_world)
    viewer = builders.make_user(street_world.root, "viewer_a", "viewer", street_world.a)
    client.force_login(viewer)
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "议事会（四月）" in html and "发布通知" not in html and "召开会议" not in html


# Calendar ---------------------------------------------------------------------------------------------

def test_calendar_shows_the_meeting_on_its_day(client, street_world):
    meeting = pwc_meeting(street_world)
    client.force_login(street_world.street_staff)
    html = client.get(f"/bodies/{street_world.pwc.pk}/meetings/", {"month": "2025-04"}).content.decode()
    cell = re.search(r'data-day="2025-04-10">(.*?)</td>', html, re.S).group(1)
    assert f"/meetings/{meeting.pk}/" in cell and "四月党工委会议" in cell
    assert "四月党工委会议" not in re.search(r'data-day="2025-04-11">(.*?)</td>', html, re.S).group(1)
    assert "?month=2025-03" in html and "?month=2025-05" in html
    assert "/meetings/new/?body=" in html
    empty = client.get(f"/bodies/{street_world.pwc.pk}/meetings/", {"month": "2025-05"}).content.decode()
    assert "四月党工委会议" not in empty


def test_calendar_of_a_body_outside_scope_is_404(client, street_world):
    client.force_login(street_world.worker_b)
    assert client.get(f"/bodies/{street_world.council.pk}/meetings/").status_code == 404


# Convening --------------------------------------------------------------------------------------------

def test_create_a_council_meeting_through_the_form(client, street_world):
    client.force_login(street_world.worker_a)
    page = client.get("/meetings/new/", {"body": street_world.council.pk})
    html = page.content.decode()
    # Only the kinds this body may hold are offered.
    assert 'value="deliberation_council"' in html and 'value="pwc_meeting"' not in html
    response = client.post("/meetings/new/", {"body": street_world.council.pk, "kind": "deliberation_council",
                                              "title": "加装电梯议事会", "scheduled_at": "2025-04-10T15:00",
                                              "location": "社区活动室"})
    meeting = Meeting.objects.get(title="加装电梯议事会")
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.kind == "deliberation_council" and meeting.body == street_world.council
    assert meeting.location == "社区活动室" and meeting.scheduled_at == at(DAY, 15)


def test_create_without_a_body_offers_the_bodies_the_user_runs(client, street_world):
    client.force_login(street_world.worker_a)
    html = client.get("/meetings/new/").content.decode()
    assert "长春路社区议事会" in html and "天津路街道党工委" not in html


def test_hearing_without_subject_category_is_refused_in_the_form(client, street_world):
    invitees = [builders.make_person(street_world.root, street_world.building_a, f"代表{i}") for i in range(3)]
    client.force_login(street_world.worker_a)
    data = {"body": street_world.rc.pk, "kind": "hearing", "title": "停车收费听证会",
            "scheduled_at": "2025-04-10T15:00", "expected": [p.pk for p in invitees]}
    response = client.post("/meetings/new/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "R-HEAR-04" in html and "refusal" in html
    assert all(f'value="{p.pk}" checked' in html for p in invitees)  # the list is kept
    response = client.post("/meetings/new/", data | {"subject_category": "H2"})
    meeting = Meeting.objects.get(title="停车收费听证会")
    assert response.status_code == 302 and meeting.attendance.filter(expected=True).count() == 3


def test_people_search_finds_only_visible_people(client, street_world):
    client.force_login(street_world.worker_a)
    found = client.get("/meetings/people/", {"q": "张"}).content.decode()
    assert "张三" in found and f'value="{street_world.zhang.pk}"' in found
    assert f'value="{street_world.li.pk}"' not in client.get("/meetings/people/", {"q": "李四"}).content.decode()


# The live meeting page --------------------------------------------------------------------------------

def test_add_item_and_publish_notice_through_the_page(client, street_world):
    w = street_world
    meeting = pwc_meeting(w, items=(), notice_on=None)
    client.force_login(w.street_staff)
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "发布通知" in html and "R-PWC-08" in html
    panel = client.post(f"/meetings/{meeting.pk}/items/", {"title": "街道年度预算", "kind": "ordinary", "topic": "S7"},
                        headers=HTMX).content.decode()
    assert 'id="meeting-panel"' in panel and "<html" not in panel and "街道年度预算" in panel
    response = client.post(f"/meetings/{meeting.pk}/notice/", {"published_at": "2025-04-05T09:00"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.NOTICED and meeting.notice_published_at == at(D(2025, 4, 5))
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "确认召开" in html and "2025-04-05 09:00" in html


def test_publish_notice_refusal_is_shown_not_raised(client, street_world):
    w = street_world
    meeting = services.create_meeting(w.street_staff, kind="party_building_work_meeting", body=w.pwc,
                                      title="党建工作会", scheduled_at=at(DAY), expected=[])
    client.force_login(w.street_staff)
    panel = client.post(f"/meetings/{meeting.pk}/notice/", {"published_at": "2025-04-05T09:00"}, headers=HTMX)
    assert panel.status_code == 200
    assert "应到人员名单为空" in panel.content.decode()


def test_hold_below_quorum_shows_the_rule_and_keeps_the_ticks(client, street_world):
    w = street_world
    meeting = pwc_meeting(w)
    client.force_login(w.street_staff)
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert all(f'name="present" value="{p.pk}"' in html for p in w.pwc_members)
    response = client.post(f"/meetings/{meeting.pk}/hold/", hold_data(w, 4), headers=HTMX)
    panel = response.content.decode()
    assert response.status_code == 200 and "<html" not in panel
    assert "R-PWC-04" in panel and 'class="refusal"' in panel
    assert f'value="{w.pwc_members[3].pk}" checked' in panel and f'value="{w.pwc_members[4].pk}" checked' not in panel
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.NOTICED
    # Without htmx the whole page comes back, with the same refusal.
    page = client.post(f"/meetings/{meeting.pk}/hold/", hold_data(w, 4))
    assert page.status_code == 422 and "R-PWC-04" in page.content.decode()


def test_quorum_partial_counts_against_the_expected_members(client, street_world):
    w = street_world
    meeting = pwc_meeting(w)
    client.force_login(w.street_staff)
    url = f"/meetings/{meeting.pk}/quorum/"
    short = client.get(url, {"present": [p.pk for p in w.pwc_members[:4]]}).content.decode()
    assert "已到 4 / 应到 9，需 5 人（R-PWC-04）" in short and "quorum bad" in short
    enough = client.get(url, {"present": [p.pk for p in w.pwc_members[:5]], "held_at": "2025-04-10T09:00"})
    assert "已到 5 / 应到 9，需 5 人（R-PWC-04）" in enough.content.decode() and "quorum ok" in enough.content.decode()
    # Someone who is not expected does not count.
    stranger = client.get(url, {"present": [w.zhang.pk]}).content.decode()
    assert "已到 0 / 应到 9" in stranger


def test_hold_and_record_a_vote_show_the_arithmetic_and_the_rule(client, street_world):
    w = street_world
    meeting = pwc_meeting(w)
    item = meeting.items.get()
    client.force_login(w.street_staff)
    response = client.post(f"/meetings/{meeting.pk}/hold/",
                           hold_data(w, 6, **{f"opinion_{w.pwc_members[8].pk}": "同意"}))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.written_opinions.get().text == "同意"
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "记录表决结果" in html and f"/meetings/{meeting.pk}/minutes/" in html
    fragment = client.post(f"/meetings/{meeting.pk}/items/{item.pk}/vote/",
                           {"method": "show_of_hands", "yes": 5, "no": 1, "abstain": 0}, headers=HTMX)
    text = fragment.content.decode()
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.PASSED
    assert f'id="item-{item.pk}"' in text and 'id="meeting-panel"' not in text
    assert "赞成" in text and escape(item.basis["arithmetic"]) in text and "R-PWC-11" in text
    assert "5 赞成 &gt; 9 名应到会成员的 1/2 → 通过" in text


def test_named_vote_with_a_recusal_through_the_form(client, street_world):
    w = street_world
    meeting = pwc_meeting(w)
    item = meeting.items.get()
    services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:6]],
                  chair=w.secretary, recorder=w.pwc_members[1])
    client.force_login(w.street_staff)
    x = w.pwc_members[5]
    votes = {f"vote_{p.pk}": "yes" for p in w.pwc_members[:6]}
    refused = client.post(f"/meetings/{meeting.pk}/items/{item.pk}/vote/",
                          {"method": "named", "recused": [x.pk], **votes}, headers=HTMX).content.decode()
    assert "R-PWC-16" in refused and f'name="recused" value="{x.pk}" checked' in refused
    del votes[f"vote_{x.pk}"]
    client.post(f"/meetings/{meeting.pk}/items/{item.pk}/vote/", {"method": "named", "recused": [x.pk], **votes})
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.PASSED and item.named_votes.count() == 5
    assert item.basis["recused"] == [x.pk]


def test_vote_before_the_meeting_is_held_is_refused_not_a_500(client, street_world):
    w = street_world
    meeting = pwc_meeting(w)
    item = meeting.items.get()
    client.force_login(w.street_staff)
    response = client.post(f"/meetings/{meeting.pk}/items/{item.pk}/vote/", {"method": "show_of_hands", "yes": 5})
    assert response.status_code == 422 and "不能表决" in response.content.decode()
    assert client.post(f"/meetings/{meeting.pk}/items/999999/vote/", {"method": "oral"}).status_code == 404


def test_defer_an_item(client, street_world):
    w = street_world
    meeting = pwc_meeting(w)
    item = meeting.items.get()
    services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:6]],
                  chair=w.secretary, recorder=w.pwc_members[1])
    client.force_login(w.street_staff)
    text = client.post(f"/meetings/{meeting.pk}/items/{item.pk}/defer/", {"reason": "意见分歧较大"},
                       headers=HTMX).content.decode()
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.DEFERRED and "R-PWC-15" in text


def test_close_without_signed_minutes_cites_the_rule(client, street_world):
    w = street_world
    meeting = pwc_meeting(w)
    services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:6]],
                  chair=w.secretary, recorder=w.pwc_members[1])
    client.force_login(w.street_staff)
    panel = client.post(f"/meetings/{meeting.pk}/close/", headers=HTMX).content.decode()
    assert "A-MEET-05" in panel and 'class="refusal"' in panel


def test_grid_council_result_escalates_and_offers_no_set_aside(client, street_world):
    w = street_world
    members = builders.make_members(w.root, w.grid_council, [Role.MEMBER] * 9, w.building_a)
    meeting = services.create_meeting(w.worker_a, kind="deliberation_council", body=w.grid_council, title="网格议事",
                                      scheduled_at=at(DAY))
    item = services.add_item(w.worker_a, meeting, title="加装电梯", topic="T4")
    services.publish_notice(w.worker_a, meeting, published_at=at(D(2025, 4, 1)))
    services.hold(w.worker_a, meeting, held_at=at(DAY), present=[p.pk for p in members], recorder=members[0])
    client.force_login(w.worker_a)
    text = client.post(f"/meetings/{meeting.pk}/items/{item.pk}/vote/",
                       {"method": "show_of_hands", "yes": 5, "no": 4}, headers=HTMX).content.decode()
    assert "已提交上一级" in text and "R-DELIB-07" in text and "不办" not in text


def test_hearing_results_due_date_and_publication(client, street_world):
    w = street_world
    invitees = [builders.make_person(w.root, w.building_a, f"代表{i}") for i in range(5)]
    meeting = services.create_meeting(w.worker_a, kind="hearing", body=w.rc, title="听证会", subject_category="H2",
                                      scheduled_at=at(DAY), expected=[p.pk for p in invitees])
    for party in ("party_org", "residents_committee"):
        services.confirm_participants(w.worker_a, meeting, party=party)
    client.force_login(w.street_staff)
    assert "H2 涉及本社区的公共事务和公益事业" in client.get(f"/meetings/{meeting.pk}/").content.decode()
    client.post(f"/meetings/{meeting.pk}/confirm/", {"party": "street_office"})
    meeting.refresh_from_db()
    assert "street_office" in meeting.participant_confirmations
    services.publish_notice(w.worker_a, meeting, published_at=at(D(2025, 4, 1)))
    services.hold(w.worker_a, meeting, held_at=at(DAY), present=[p.pk for p in invitees[:3]])
    client.force_login(w.worker_a)
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "2025-04-17" in html and "R-HEAR-15" in html
    client.post(f"/meetings/{meeting.pk}/results-published/", {"published_on": "2025-04-15"})
    meeting.refresh_from_db()
    assert meeting.results_published_on == D(2025, 4, 15)
