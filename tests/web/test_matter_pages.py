"""The staff pages of the 「一征三议两公开」 matter and its public opinion page (issue #5): the path through the
pages, the next-step action only, each refusal with its rule, scope, idempotent public opinions and query counts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiceng.decisions import services
from jiceng.decisions.models import Matter, Opinion
from jiceng.decisions.presenters import resolution_due
from jiceng.meetings.models import Kind
from jiceng.web.views.matters import due_dates
from tests.decisions import conftest as decision_fixtures
from tests.decisions.conftest import held_item
from tests.decisions.test_urban import open_matter, publish_on_board, resolved, solicited
from tests.disclosure import conftest as disclosure_fixtures

dec_world = decision_fixtures.dec_world  # the fixtures, so that pytest finds them from tests/web
disc_world = disclosure_fixtures.disc_world


def ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _login(client, user):
    client.force_login(user)
    return client


def _html(response) -> str:
    return response.content.decode()


def _local(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


# Pages render for the right user --------------------------------------------------------------------------

def test_list_shows_the_matter_with_next_step_and_who(client, dec_world):
    w = dec_world
    open_matter(w)
    html = _html(_login(client, w.worker_a).get("/matters/"))
    assert "3号楼加装电梯" in html and "城市社区" in html and "T4" in html
    assert "一征：党组织征求意见" in html and "社区党组织" in html
    assert 'aria-current="page">决策<' in html and "新建事项" in html


def test_list_filters_by_status_and_step(client, dec_world):
    w = dec_world
    open_matter(w)
    solicited(w, open_matter(w, title="小区停车整治"))
    client = _login(client, w.worker_a)
    html = _html(client.get("/matters/", {"step": "solicitation", "community": w.a.pk}))
    assert "小区停车整治" in html and "3号楼加装电梯" not in html
    html = _html(client.get("/matters/", {"status": "closed"}))
    assert "小区停车整治" not in html and "没有符合筛选条件的事项" in html


def test_worker_of_another_community_gets_404(client, dec_world):
    w = dec_world
    matter = open_matter(w)
    client = _login(client, w.worker_b)
    assert client.get(f"/matters/{matter.pk}/").status_code == 404
    assert client.post(f"/matters/{matter.pk}/solicitation/", {"question": "?", "deadline": "2030-01-01"}
                       ).status_code == 404
    assert "3号楼加装电梯" not in _html(client.get("/matters/"))


def test_matter_page_shows_header_timeline_and_only_the_next_action(client, dec_world):
    w = dec_world
    matter = open_matter(w)
    html = _html(_login(client, w.worker_a).get(f"/matters/{matter.pk}/"))
    assert "城市社区" in html and "420000.00" in html and "楼院管理、设施改造" in html
    assert 'aria-current="step" data-step="solicitation"' in html
    assert "开始征求意见" in html  # the next step's action …
    assert "登记会议结果" not in html and "结案归档" not in html  # … and no other
    assert "立卷归档" in html and "党组织征求意见过程情况档案" in html  # the dossier's missing list
    assert f'href="/archives/{matter.dossier_id}/"' in html


def test_intake_form_registers_a_matter(client, dec_world):
    w = dec_world
    client = _login(client, w.worker_a)
    html = _html(client.get("/matters/new/"))
    assert "楼院管理、设施改造、环境优化、文明创建等社区公共事务" in html
    response = client.post("/matters/new/", {"community": w.a.pk, "topic": "T4", "title": "楼道照明改造",
                                              "summary": "更换全部楼道灯。", "initiator": "居委会", "budget": "8000"})
    matter = Matter.objects.get(title="楼道照明改造")
    assert response.status_code == 302 and response["Location"] == f"/matters/{matter.pk}/"
    assert matter.template == "urban" and str(matter.budget) == "8000.00"


def test_intake_without_an_archivist_cites_r_arch_03(client, dec_world):
    from jiceng.orgs.models import Membership

    w = dec_world
    Membership.objects.filter(role="archivist").update(end_on=datetime.date(2021, 1, 1))
    response = _login(client, w.worker_a).post("/matters/new/", {
        "community": w.a.pk, "topic": "T4", "title": "楼道照明改造", "summary": "更换", "initiator": "居委会"})
    assert response.status_code == 422 and "R-ARCH-03" in _html(response)
    assert "楼道照明改造" in _html(response)  # the form keeps what was typed
    assert not Matter.objects.exists()


# The path through the pages -------------------------------------------------------------------------------

def test_solicitation_opinions_and_closing_through_the_pages(client, dec_world):
    w = dec_world
    matter = open_matter(w)
    client = _login(client, w.worker_a)
    response = client.post(f"/matters/{matter.pk}/solicitation/", {
        "question": "是否同意加装电梯？", "deadline": timezone.localdate().isoformat(), "occurred_at": _local(ago(29))})
    assert response.status_code == 302
    response = client.post(f"/matters/{matter.pk}/opinions/", {"position": "support", "text": "同意",
                                                               "channel": "door_to_door", "name": "张三"})
    assert response.status_code == 302
    html = _html(client.get(f"/matters/{matter.pk}/"))
    assert "征求中" in html and "入户走访" in html and "张三" in html and f"/gongkai/matters/{matter.pk}/" in html
    response = client.post(f"/matters/{matter.pk}/solicitation/close/", {"summary": "1户赞成。"})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.step == "solicitation"
    html = _html(client.get(f"/matters/{matter.pk}/"))
    assert 'aria-current="step" data-step="proposal"' in html and "1户赞成。" in html


def test_closing_the_solicitation_without_summary_cites_r_wf_04(client, dec_world):
    w = dec_world
    matter = open_matter(w)
    services.open_solicitation(w.worker_a, matter, question="意见？", deadline=timezone.localdate(),
                               occurred_at=ago(2))
    response = _login(client, w.worker_a).post(f"/matters/{matter.pk}/solicitation/close/", {"summary": " "})
    assert response.status_code == 422 and "R-WF-04" in _html(response)
    assert "须形成意见汇总" in _html(response)


def test_proposal_before_the_solicitation_is_refused_with_r_wf_02(client, dec_world):
    w = dec_world
    matter = open_matter(w)
    item = held_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=5)
    response = _login(client, w.worker_a).post(f"/matters/{matter.pk}/link/", {"step": "proposal",
                                                                                "agenda_item": item.pk})
    html = _html(response)
    assert response.status_code == 422 and "R-WF-02" in html and "一征：党组织征求意见" in html
    assert list(matter.steps.values_list("step", flat=True)) == ["intake"]


def test_the_proposal_offers_passed_joint_meeting_items_and_links_one(client, dec_world):
    w = dec_world
    matter = open_matter(w)
    solicited(w, matter)
    joint = held_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=18, title="两委提议加装电梯")
    held_item(w, Kind.PARTY_ORG_COMMITTEE_MEETING, w.party_org, days_ago=18, title="支委会议题")
    client = _login(client, w.worker_a)
    html = _html(client.get(f"/matters/{matter.pk}/"))
    assert "两委提议加装电梯" in html and "支委会议题" not in html and "开始征求意见" not in html
    response = client.post(f"/matters/{matter.pk}/link/", {"step": "proposal", "agenda_item": joint.pk})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.step == "proposal"


def test_wrong_meeting_kind_and_failed_item_are_refused(client, dec_world):
    w = dec_world
    matter = open_matter(w)
    solicited(w, matter)
    client = _login(client, w.worker_a)
    wrong = held_item(w, Kind.PARTY_ORG_COMMITTEE_MEETING, w.party_org, days_ago=18)
    response = client.post(f"/matters/{matter.pk}/link/", {"step": "proposal", "agenda_item": wrong.pk})
    assert response.status_code == 422 and "R-WF-05" in _html(response)
    failed = held_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=17, yes_share=0.6)
    response = client.post(f"/matters/{matter.pk}/link/", {"step": "proposal", "agenda_item": failed.pk})
    assert response.status_code == 422 and "未获通过" in _html(response)


def test_escalated_council_item_shows_waiting_on(client, dec_world):
    w = dec_world
    matter = open_matter(w)
    solicited(w, matter)
    services.link_step(w.worker_a, matter, "proposal",
                       agenda_item=held_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=18))
    grid_item = held_item(w, Kind.DELIBERATION_COUNCIL, w.grid_council, days_ago=16, yes_share=0.6)
    client = _login(client, w.worker_a)
    assert grid_item.title in _html(client.get(f"/matters/{matter.pk}/"))  # a grid council's item is offered
    assert client.post(f"/matters/{matter.pk}/link/", {"step": "consultation",
                                                       "agenda_item": grid_item.pk}).status_code == 302
    html = _html(client.get(f"/matters/{matter.pk}/"))
    assert "等待：长春路社区议事会" in html and "尚未对该议题作出决定" in html
    board = _html(client.get("/matters/board/"))
    assert "3号楼加装电梯" in board and "等待长春路社区议事会" in board


def test_resolution_is_read_only_and_offers_an_amending_matter(client, dec_world):
    w = dec_world
    matter = resolved(w, open_matter(w))
    client = _login(client, w.worker_a)
    html = _html(client.get(f"/matters/{matter.pk}/"))
    assert "同意3号楼加装电梯" in html and "R-WF-13" in html
    assert f"/matters/new/?amends={matter.pk}" in html and "<textarea name=\"resolution\"" not in html
    html = _html(client.get("/matters/new/", {"amends": matter.pk}))
    assert re.search(rf'<option value="{matter.pk}" selected>', html)
    assert "登记决议公开" in _html(client.get(f"/matters/{matter.pk}/"))


def test_closing_early_is_refused_listing_the_missing_records(client, dec_world):
    w = dec_world
    matter = resolved(w, open_matter(w))
    response = _login(client, w.worker_a).post(f"/matters/{matter.pk}/close/", {})
    html = _html(response)
    assert response.status_code == 422 and "R-WF-12" in html
    assert "公开内容记录档案（实施结果公开）" in html and "执行情况、对执行中问题的处理情况" in html


def test_the_rest_of_the_path_through_the_pages(client, dec_world):
    w = dec_world
    matter = resolved(w, open_matter(w))
    joint = matter.steps.get(step="proposal").agenda_item
    director = _login(client, w.u.director)
    response = director.post(f"/matters/{matter.pk}/publish-resolution/", {"mode": "board",
                                                                           "occurred_at": _local(ago(11))})
    assert response.status_code == 302
    matter.refresh_from_db()
    html = _html(director.get(f"/matters/{matter.pk}/"))
    assert f"/disclosure/{matter.resolution_item_id}/" in html and "打开公开事项" in html
    publish_on_board(w, matter.resolution_item, joint, at=ago(6))
    client = _login(Client(), w.worker_a)
    assert client.post(f"/matters/{matter.pk}/progress/", {"kind": "update", "text": "已招标。"}).status_code == 302
    assert client.post(f"/matters/{matter.pk}/progress/", {"kind": "update", "text": "已验收。",
                                                           "done": "on"}).status_code == 302
    refused = client.post(f"/matters/{matter.pk}/publish-result/", {"title": "实施结果"})
    assert refused.status_code == 422 and "R-RDISC-03" in _html(refused)  # the board's drafter is the RC
    assert director.post(f"/matters/{matter.pk}/publish-result/", {"title": "实施结果"}).status_code == 302
    matter.refresh_from_db()
    publish_on_board(w, matter.result_item, joint)
    assert "结案归档" in _html(client.get(f"/matters/{matter.pk}/"))
    assert client.post(f"/matters/{matter.pk}/close/", {}).status_code == 302
    matter.refresh_from_db()
    assert matter.status == "closed"
    html = _html(client.get(f"/matters/{matter.pk}/"))
    assert "已结案" in html and "档案已齐全" not in html and "结案前尚缺" not in html


def test_oral_notice_needs_names(client, dec_world):
    w = dec_world
    matter = resolved(w, open_matter(w))
    client = _login(client, w.worker_a)
    response = client.post(f"/matters/{matter.pk}/publish-resolution/", {"mode": "oral", "notified": " "})
    assert response.status_code == 400 and "口头告知须列明" in _html(response)
    response = client.post(f"/matters/{matter.pk}/publish-resolution/", {"mode": "oral",
                                                                         "notified": "3号楼全体住户\n4号楼楼长"})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.step == "resolution_published"


# The public opinion page ----------------------------------------------------------------------------------

@pytest.fixture
def open_call(dec_world):
    matter = open_matter(dec_world)
    services.open_solicitation(dec_world.worker_a, matter, question="是否同意加装电梯及分摊方案？",
                               deadline=timezone.localdate() + datetime.timedelta(days=5), occurred_at=ago(1))
    return matter


def test_public_page_needs_no_login_and_shows_the_call(client, open_call):
    response = client.get(f"/gongkai/matters/{open_call.pk}/")
    html = _html(response)
    assert response.status_code == 200 and "是否同意加装电梯及分摊方案？" in html and "3号楼居民申请加装电梯" in html
    for label in ("赞成", "反对", "建议修改", "其他意见"):
        assert label in html
    assert 'name="website"' in html and 'name="key"' in html and "<main" in html
    assert _html(client.get(f"/gongkai/matters/community/{open_call.community_id}/")).count("3号楼加装电梯") == 1


def test_public_opinion_counts_once_with_the_same_key(client, open_call):
    data = {"position": "support", "text": "同意", "building": "3号楼", "key": "form-key-1", "website": ""}
    first = client.post(f"/gongkai/matters/{open_call.pk}/", data)
    again = client.post(f"/gongkai/matters/{open_call.pk}/", data)
    assert first.status_code == 302 and again.status_code == 302
    assert Opinion.objects.filter(solicitation__matter=open_call).count() == 1
    html = _html(client.get(first["Location"]))
    assert "您的意见已收到" in html and 'data-position="support">1<' in html
    client.post(f"/gongkai/matters/{open_call.pk}/", {**data, "key": "form-key-2"})
    assert Opinion.objects.filter(solicitation__matter=open_call).count() == 2


def test_public_honeypot_is_rejected(client, open_call):
    response = client.post(f"/gongkai/matters/{open_call.pk}/", {"position": "oppose", "website": "http://x",
                                                                 "key": "k"})
    assert response.status_code == 400 and not Opinion.objects.exists()


def test_public_form_without_a_position_keeps_the_text(client, open_call):
    response = client.post(f"/gongkai/matters/{open_call.pk}/", {"text": "我的意见", "key": "k-3"})
    html = _html(response)
    assert response.status_code == 400 and "我的意见" in html and 'value="k-3"' in html
    assert not Opinion.objects.exists()


def test_public_page_after_the_deadline_is_closed(client, dec_world):
    w = dec_world
    matter = open_matter(w)
    solicited(w, matter)  # deadline 22 days ago, closed with a summary
    html = _html(client.get(f"/gongkai/matters/{matter.pk}/"))
    assert "征求意见已截止" in html and "走访42户" in html and 'name="position"' not in html
    response = client.post(f"/gongkai/matters/{matter.pk}/", {"position": "support", "key": "late"})
    assert response.status_code == 409
    assert Opinion.objects.filter(solicitation__matter=matter).count() == 2


def test_public_page_of_a_matter_without_a_call_is_404(client, dec_world):
    assert client.get(f"/gongkai/matters/{open_matter(dec_world).pk}/").status_code == 404


def test_public_opinions_are_rate_limited(client, open_call, settings):
    settings.JICENG_FEEDBACK_PER_HOUR = 1
    assert client.post(f"/gongkai/matters/{open_call.pk}/", {"position": "support", "key": "a"}).status_code == 302
    assert client.post(f"/gongkai/matters/{open_call.pk}/", {"position": "support", "key": "b"}).status_code == 429


# Dashboard and query counts ---------------------------------------------------------------------------------

def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_board_counts_stages_and_lists_late_publications(client, dec_world):
    w = dec_world
    matter = open_matter(w)
    solicited(w, matter)
    services.link_step(w.worker_a, matter, "proposal",
                       agenda_item=held_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=18))
    services.link_step(w.worker_a, matter, "consultation",
                       agenda_item=held_item(w, Kind.DELIBERATION_COUNCIL, w.council, days_ago=15))
    services.link_step(w.worker_a, matter, "resolution", note="同意。", agenda_item=held_item(
        w, Kind.RESIDENT_REPRESENTATIVES_MEETING, w.representatives, days_ago=12))
    matter.refresh_from_db()
    assert due_dates([matter])[matter.pk] == resolution_due(matter)
    html = _html(_login(client, w.street_admin).get("/matters/board/"))
    assert "决议公开逾期" in html and "3号楼加装电梯" in html
    assert re.search(r'step=resolution">1</a>', html)
    assert "长春路社区" in html


def test_list_and_board_take_a_constant_number_of_queries(client, dec_world):
    w = dec_world
    first = resolved(w, open_matter(w))
    client = _login(client, w.street_admin)
    list_one, board_one = _queries(client, "/matters/"), _queries(client, "/matters/board/")
    services.publish_resolution(w.u.director, first, oral_notice={"notified": ["全体住户"]}, occurred_at=ago(11))
    for n in range(3):
        m = open_matter(w, title=f"事项{n}")
        solicited(w, m)
    resolved(w, open_matter(w, title="另一个事项"))
    assert _queries(client, "/matters/") == list_one
    assert _queries(client, "/matters/board/") == board_one


def test_village_matter_offers_its_own_first_step_and_an_optional_call(client, dec_world):
    from jiceng.orgs.models import Area

    w = dec_world
    Area.objects.filter(pk=w.a.pk).update(community_kind=Area.CommunityKind.VILLAGE_TO_RESIDENTIAL)
    w.a.refresh_from_db()
    matter = services.open_matter(w.worker_a, community=w.a, topic="T2", title="集体资产收益分配",
                                  summary="按户分配。", initiator="社区党委", occurred_at=ago(30))
    item = held_item(w, Kind.PARTY_ORG_COMMITTEE_MEETING, w.party_org, days_ago=20, title="党组织提议收益分配")
    client = _login(client, w.worker_a)
    html = _html(client.get(f"/matters/{matter.pk}/"))
    assert "村改居社区" in html and 'aria-current="step" data-step="party_proposal"' in html
    assert "党组织提议收益分配" in html and "开始征求意见" in html and "（选用）" in html
    assert client.post(f"/matters/{matter.pk}/link/", {"step": "party_proposal",
                                                       "agenda_item": item.pk}).status_code == 302
    response = client.post(f"/matters/{matter.pk}/link/", {"step": "resolution", "agenda_item": item.pk})
    assert response.status_code == 422 and "R-WF-03" in _html(response)


def test_board_lists_items_escalated_to_the_street_working_committee(client, dec_world):
    w = dec_world
    matter = open_matter(w)
    solicited(w, matter)
    services.link_step(w.worker_a, matter, "proposal",
                       agenda_item=held_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=18))
    council_item = held_item(w, Kind.DELIBERATION_COUNCIL, w.council, days_ago=16, yes_share=0.6)
    assert council_item.status == "escalated"  # the community council could not agree (R-WF-07)
    services.link_step(w.worker_a, matter, "consultation", agenda_item=council_item)
    successor = council_item.successors.select_related("body").get()
    assert successor.body == w.pwc and successor.status == "pending"
    html = _html(_login(client, w.street_admin).get("/matters/board/"))
    pending = html.split("提交街道党工委、尚待研究的议题")[1]
    assert "等待天津路街道党工委" in html and successor.title in pending and "3号楼加装电梯" in pending


def test_pages_render_in_english(client, dec_world, settings):
    w = dec_world
    matter = resolved(w, open_matter(w))
    client = _login(client, w.worker_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _html(client.get(f"/matters/{matter.pk}/"))
    assert "Proposal by the two committees" in html and "the residents committee" in html
    for url in ("/matters/", "/matters/board/", "/matters/new/", f"/gongkai/matters/{matter.pk}/"):
        assert client.get(url).status_code == 200
