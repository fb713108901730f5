"""The staff pages of the disclosure boards (issue #4): both workflows through the pages, the refusals with their
rule, the table editor, feedback replies, scope and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiceng.disclosure import feedback as feedback_services
from jiceng.disclosure import services
from jiceng.disclosure.models import Attachment, DisclosureItem, Feedback
from jiceng.meetings.models import Kind
from tests.disclosure import conftest as disclosure_fixtures
from tests.disclosure.conftest import party_draft, passed_item, published_party, published_residents, residents_draft

disc_world = disclosure_fixtures.disc_world  # the fixture, so that pytest finds it from tests/web

Status = DisclosureItem.Status


def _login(client, user):
    client.force_login(user)
    return client


def _html(response) -> str:
    return response.content.decode()


def _item_form(**overrides) -> dict:
    data = {"community": "", "board": "residents", "category": "R02", "timing_class": "routine_periodic",
            "title": "2026年上半年社区收支情况", "body": "收支明细见下表。", "period_start": "2026-01-01",
            "period_end": "2026-06-30"}
    data.update(overrides)
    return data


def _feedback(w, *, kind="opinion", name="", board="residents", item=None, text="楼道灯坏了"):
    return feedback_services.submit(community=w.a, board=board, kind=kind, text=text, name=name, item=item)


# Pages render for the right user --------------------------------------------------------------------------

def test_list_shows_each_item_with_status_and_next_step(client, disc_world):
    party_draft(disc_world)
    residents_draft(disc_world)
    html = _html(_login(client, disc_world.worker_a).get("/disclosure/"))
    assert "2026年10月党费收缴情况" in html and "2026年上半年社区收支情况" in html
    assert "登记党组织集体研究决定" in html and "党务公开专人" in html
    assert "监委会审查方案" in html and "居务监督委员会成员" in html
    assert 'aria-current="page">公开<' in html


def test_list_filters_by_board_and_status(client, disc_world):
    party_draft(disc_world)
    published_residents(disc_world)
    client = _login(client, disc_world.worker_a)
    html = _html(client.get("/disclosure/", {"board": "party"}))
    assert "党费收缴" in html and "社区收支" not in html
    html = _html(client.get("/disclosure/", {"status": "published", "community": disc_world.a.pk}))
    assert "社区收支" in html and "党费收缴" not in html


def test_new_page_offers_the_categories_of_the_chosen_board(client, disc_world):
    client = _login(client, disc_world.u.officer)
    html = _html(client.get("/disclosure/new/"))
    assert "P07" in html and "R02" not in html
    refreshed = client.post("/disclosure/new/", {"board": "residents", "category": "R02", "refresh": "1"})
    html = _html(refreshed)
    assert refreshed.status_code == 200 and "R02" in html and "P07" not in html
    assert "收支表" in html and "收入合计（元）" in html  # R02 calls for a finance table
    assert not DisclosureItem.objects.exists()


# The party workflow ---------------------------------------------------------------------------------------

def test_party_workflow_through_the_pages(client, disc_world):
    w = disc_world
    client = _login(client, w.u.officer)
    response = client.post("/disclosure/new/", _item_form(
        community=w.a.pk, board="party", category="P07", title="2026年10月党费收缴情况", dues_month="2026-10",
        dues_rows="张三, 30\n李四, 20.50", dues_total=""))
    item = DisclosureItem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/disclosure/{item.pk}/"
    assert item.tables == [{"kind": "dues", "month": "2026-10", "total": "50.50",
                            "rows": [{"member": "张三", "amount": "30.00"}, {"member": "李四", "amount": "20.50"}]}]

    agenda_item = passed_item(w)
    html = _html(client.get(f"/disclosure/{item.pk}/"))
    assert f"/disclosure/{item.pk}/decision/" in html and agenda_item.meeting.title in html
    assert f"/disclosure/{item.pk}/sign/" not in html and f"/disclosure/{item.pk}/publish/" not in html
    assert f"/disclosure/{item.pk}/review/" not in html  # no supervision step on the party board
    response = client.post(f"/disclosure/{item.pk}/decision/", {"agenda_item": agenda_item.pk}, follow=True)
    assert "已登记集体研究决定" in _html(response)
    item.refresh_from_db()
    assert item.status == Status.DECIDED and item.decision == agenda_item

    client = _login(client, w.u.secretary)
    assert f"/disclosure/{item.pk}/sign/" in _html(client.get(f"/disclosure/{item.pk}/"))
    assert client.post(f"/disclosure/{item.pk}/sign/").status_code == 302

    client = _login(client, w.u.officer)
    withdraw_on = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(f"/disclosure/{item.pk}/publish/", {"published_at": "", "withdraw_on": withdraw_on})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED and item.withdraw_on == withdraw_on and item.published_by == w.u.officer
    html = _html(client.get(f"/disclosure/{item.pk}/"))
    assert "已公开" in html and item.content_sha256 in html
    assert f"/disclosure/{item.pk}/withdraw/" in html and f"/disclosure/{item.pk}/correct/" in html


def test_officer_is_not_offered_the_signature_and_is_refused_with_the_rule(client, disc_world):
    w = disc_world
    item = party_draft(w)
    services.record_decision(w.u.officer, item, agenda_item=passed_item(w))
    client = _login(client, w.u.officer)
    assert f"/disclosure/{item.pk}/sign/" not in _html(client.get(f"/disclosure/{item.pk}/"))
    response = client.post(f"/disclosure/{item.pk}/sign/")
    assert response.status_code == 422 and "R-PDISC-07" in _html(response)
    item.refresh_from_db()
    assert item.status == Status.DECIDED and item.signed_at is None


def test_publishing_before_the_signature_is_refused_with_the_rule(client, disc_world):
    w = disc_world
    item = party_draft(w)
    services.record_decision(w.u.officer, item, agenda_item=passed_item(w))
    response = _login(client, w.u.officer).post(f"/disclosure/{item.pk}/publish/", {})
    assert response.status_code == 422 and "R-PDISC-07" in _html(response)
    assert DisclosureItem.objects.get().published_at is None


def test_a_rejected_meeting_item_is_not_a_decision(client, disc_world):
    w = disc_world
    item = party_draft(w)
    rejected = passed_item(w, passed=False)
    client = _login(client, w.u.officer)
    assert f'value="{rejected.pk}"' not in _html(client.get(f"/disclosure/{item.pk}/"))
    response = client.post(f"/disclosure/{item.pk}/decision/", {"agenda_item": rejected.pk})
    assert response.status_code == 422 and "R-PDISC-06" in _html(response)
    assert DisclosureItem.objects.get().status == Status.DRAFT


def test_rc_director_cannot_draft_a_party_item(client, disc_world):
    response = _login(client, disc_world.u.director).post("/disclosure/new/", _item_form(
        community=disc_world.a.pk, board="party", category="P11", title="党务"))
    assert response.status_code == 422 and "R-PDISC-05" in _html(response)
    assert not DisclosureItem.objects.exists()


# The residents' workflow ----------------------------------------------------------------------------------

def test_residents_workflow_through_the_pages(client, disc_world):
    w = disc_world
    client = _login(client, w.u.director)
    response = client.post("/disclosure/new/", _item_form(
        community=w.a.pk, finance_rows="上级拨款, 10000, 0\n办公用品,,1200.5\n慰问困难户, 0, 3000",
        finance_total_income="10000", finance_total_expense="4200.50"))
    assert response.status_code == 302
    item = DisclosureItem.objects.get()
    assert item.tables[0]["total_expense"] == "4200.50" and len(item.tables[0]["rows"]) == 3
    html = _html(client.get(f"/disclosure/{item.pk}/"))
    assert "1200.50" in html and "4200.50" in html
    assert f"/disclosure/{item.pk}/review/" not in html and f"/disclosure/{item.pk}/edit/" in html

    client = _login(client, w.u.supervisor)
    assert f"/disclosure/{item.pk}/review/" in _html(client.get(f"/disclosure/{item.pk}/"))
    response = client.post(f"/disclosure/{item.pk}/review/", {"approved": "0", "note": ""})
    assert response.status_code == 400 and "审查意见" in _html(response)
    client.post(f"/disclosure/{item.pk}/review/", {"approved": "0", "note": "请列明慰问对象"})
    item.refresh_from_db()
    assert item.status == Status.RETURNED and item.review_note == "请列明慰问对象"

    client = _login(client, w.u.director)
    html = _html(client.get(f"/disclosure/{item.pk}/edit/"))
    assert "上级拨款, 10000.00, 0.00" in html and "请列明慰问对象" not in html
    response = client.post(f"/disclosure/{item.pk}/edit/", _item_form(
        body="慰问困难户5户", finance_rows="上级拨款, 10000, 0\n慰问困难户5户, 0, 3000"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.body == "慰问困难户5户" and item.tables[0]["total_expense"] == "3000.00"
    assert "请列明慰问对象" in _html(client.get(f"/disclosure/{item.pk}/"))  # the note stays on the timeline

    client = _login(client, w.u.supervisor)
    client.post(f"/disclosure/{item.pk}/review/", {"approved": "1", "note": "同意"})
    item.refresh_from_db()
    assert item.status == Status.REVIEWED and item.reviewed_by == w.u.supervisor

    joint = passed_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING)
    party_only = passed_item(w)
    client = _login(client, w.u.director)
    html = _html(client.get(f"/disclosure/{item.pk}/"))
    assert f'value="{joint.pk}"' in html and f'value="{party_only.pk}"' not in html
    assert client.post(f"/disclosure/{item.pk}/decision/", {"agenda_item": joint.pk}).status_code == 302
    assert client.post(f"/disclosure/{item.pk}/publish/", {}).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED and item.published_by == w.u.director


def test_deciding_a_plan_the_supervisors_have_not_reviewed_is_refused(client, disc_world):
    w = disc_world
    item = residents_draft(w)
    joint = passed_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING)
    client = _login(client, w.u.director)
    assert f"/disclosure/{item.pk}/decision/" not in _html(client.get(f"/disclosure/{item.pk}/"))
    response = client.post(f"/disclosure/{item.pk}/decision/", {"agenda_item": joint.pk})
    assert response.status_code == 422 and "R-RDISC-04" in _html(response)


def test_a_residents_committee_member_cannot_review(client, disc_world):
    item = residents_draft(disc_world)
    response = _login(client, disc_world.u.director).post(f"/disclosure/{item.pk}/review/", {"approved": "1"})
    assert response.status_code == 422 and "R-RDISC-04" in _html(response)
    assert DisclosureItem.objects.get().status == Status.DRAFT


def test_the_party_officer_may_not_link_the_decision_of_a_residents_plan(client, disc_world):
    w = disc_world
    item = residents_draft(w)
    services.review(w.u.supervisor, item, approved=True)
    joint = passed_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING)
    client = _login(client, w.u.officer)
    assert f"/disclosure/{item.pk}/decision/" not in _html(client.get(f"/disclosure/{item.pk}/"))
    response = client.post(f"/disclosure/{item.pk}/decision/", {"agenda_item": joint.pk})
    assert response.status_code == 403 and "经办人员" in _html(response)


def test_totals_that_do_not_add_up_are_a_form_error_and_nothing_is_saved(client, disc_world):
    response = _login(client, disc_world.u.director).post("/disclosure/new/", _item_form(
        community=disc_world.a.pk, finance_rows="上级拨款, 10000, 0\n办公用品, 0, 1200",
        finance_total_income="10000", finance_total_expense="1000"))
    html = _html(response)
    assert response.status_code == 400
    assert "1000.00元，各行相加为1200.00元，不相符" in html
    assert "上级拨款, 10000, 0" in html  # the form keeps what was typed
    assert not DisclosureItem.objects.exists()


def test_a_line_with_too_many_cells_is_a_form_error(client, disc_world):
    response = _login(client, disc_world.u.director).post("/disclosure/new/", _item_form(
        community=disc_world.a.pk, finance_rows="上级拨款, 10000, 0, 5"))
    assert response.status_code == 400 and "第1行有4列，应为3列" in _html(response)
    assert not DisclosureItem.objects.exists()


def test_attachment_upload_and_download(client, disc_world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = residents_draft(disc_world)
    client = _login(client, disc_world.u.director)
    upload = SimpleUploadedFile("收支明细.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assert client.post(f"/disclosure/{item.pk}/attachments/", {"file": upload}).status_code == 302
    attachment = Attachment.objects.get()
    assert "收支明细.pdf" in _html(client.get(f"/disclosure/{item.pk}/"))
    response = client.get(f"/disclosure/{item.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    bad = SimpleUploadedFile("病毒.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(f"/disclosure/{item.pk}/attachments/", {"file": bad})
    assert response.status_code == 400 and "不支持的附件格式" in _html(response)


def test_withdraw_and_correct_a_published_item(client, disc_world):
    w = disc_world
    item = published_residents(w)
    client = _login(client, w.u.director)
    html = _html(client.get(f"/disclosure/{item.pk}/correct/"))
    assert "2026年上半年社区收支情况" in html and "更正原因" in html
    response = client.post(f"/disclosure/{item.pk}/correct/", _item_form(title="2026年上半年社区收支情况（更正）",
                                                                           reason="漏列一笔支出"))
    new = DisclosureItem.objects.get(supersedes=item)
    assert response.status_code == 302 and response["Location"] == f"/disclosure/{new.pk}/"
    assert new.version == 2 and new.status == Status.DRAFT and new.correction_reason == "漏列一笔支出"
    html = _html(client.get(f"/disclosure/{item.pk}/"))
    assert "本事项已有更正版本" in html and f"/disclosure/{item.pk}/correct/" not in html

    response = client.post(f"/disclosure/{item.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 400
    assert client.post(f"/disclosure/{item.pk}/withdraw/", {"reason": "公开期满"}).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.WITHDRAWN and item.withdraw_reason == "公开期满"


def test_correction_required_banner_shows_the_objection_arithmetic(client, disc_world):
    item = published_residents(disc_world)
    DisclosureItem.objects.filter(pk=item.pk).update(correction_required_at=timezone.now())
    html = _html(_login(client, disc_world.u.director).get(f"/disclosure/{item.pk}/"))
    assert "须予纠正" in html and "R-RDISC-06" in html and "不赞成" in html


def test_refusals_come_in_english_for_an_english_user(client, disc_world):
    w = disc_world
    item = party_draft(w)
    services.record_decision(w.u.officer, item, agenda_item=passed_item(w))
    client = _login(client, w.u.officer)
    client.post("/language/", {"language": "en", "next": "/"})
    response = client.post(f"/disclosure/{item.pk}/sign/")
    html = _html(response)
    assert response.status_code == 422 and "R-PDISC-07" in html
    assert "负责人审核签字" not in html.split('id="refusal"')[1][:300]


# Scope ----------------------------------------------------------------------------------------------------

def test_another_communitys_worker_gets_404_for_items_and_feedback(client, disc_world):
    w = disc_world
    item = published_party(w)
    feedback = _feedback(w)
    client = _login(client, w.worker_b)
    for url in (f"/disclosure/{item.pk}/", f"/disclosure/{item.pk}/edit/", f"/disclosure/{item.pk}/correct/",
                f"/disclosure/feedback/{feedback.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/disclosure/{item.pk}/withdraw/", {"reason": "x"}).status_code == 404
    assert client.post(f"/disclosure/feedback/{feedback.pk}/reply/", {"text": "x"}).status_code == 404
    assert client.get("/disclosure/obligations/", {"community": w.a.pk}).status_code == 404
    html = _html(client.get("/disclosure/"))
    assert item.title not in html
    assert feedback.tracking_code not in _html(client.get("/disclosure/feedback/"))
    assert DisclosureItem.objects.get().status == Status.PUBLISHED


# Feedback -------------------------------------------------------------------------------------------------

def test_inbox_lists_open_first_and_highlights_overdue(client, disc_world):
    w = disc_world
    answered = _feedback(w, text="已答复的问题")
    feedback_services.reply(w.u.director, answered, text="已处理")
    late = _feedback(w, text="逾期的问题")
    Feedback.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    html = _html(_login(client, w.worker_a).get("/disclosure/feedback/"))
    assert html.index(late.tracking_code) < html.index(answered.tracking_code)
    assert "disc-overdue" in html and "已逾期" in html
    html = _html(client.get("/disclosure/feedback/", {"status": "answered"}))
    assert answered.tracking_code in html and late.tracking_code not in html


def test_a_named_message_needs_the_face_to_face_date(client, disc_world):
    w = disc_world
    feedback = _feedback(w, name="张三")
    client = _login(client, w.u.director)
    html = _html(client.get(f"/disclosure/feedback/{feedback.pk}/"))
    assert "张三" in html and "当面答复日期" in html
    response = client.post(f"/disclosure/feedback/{feedback.pk}/reply/", {"text": "已安排维修", "public": "on"})
    assert response.status_code == 422 and "A-OPEN-23" in _html(response)
    assert Feedback.objects.get().status == Feedback.Status.OPEN
    today = timezone.localdate()
    response = client.post(f"/disclosure/feedback/{feedback.pk}/reply/",
                           {"text": "已安排维修", "public": "on", "face_to_face_on": today.isoformat()})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.ANSWERED and feedback.face_to_face_on == today
    assert feedback.reply_public and feedback.replied_by == w.u.director


def test_a_report_is_never_answered_in_public(client, disc_world):
    w = disc_world
    feedback = _feedback(w, kind="report", text="检举某人")
    client = _login(client, w.u.director)
    html = _html(client.get(f"/disclosure/feedback/{feedback.pk}/"))
    assert 'name="public" disabled' in html
    response = client.post(f"/disclosure/feedback/{feedback.pk}/reply/", {"text": "已转有关部门", "public": "on"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.ANSWERED and not feedback.reply_public


def test_only_board_staff_are_offered_the_reply_form_and_others_are_refused(client, disc_world):
    w = disc_world
    feedback = _feedback(w)
    client = _login(client, w.u.supervisor)
    html = _html(client.get(f"/disclosure/feedback/{feedback.pk}/"))
    assert f"/disclosure/feedback/{feedback.pk}/reply/" not in html
    response = client.post(f"/disclosure/feedback/{feedback.pk}/reply/", {"text": "答复"})
    assert response.status_code == 403
    assert Feedback.objects.get().status == Feedback.Status.OPEN


def test_contact_details_are_masked_without_the_personal_data_permission(client, disc_world):
    w = disc_world
    feedback = feedback_services.submit(community=w.a, board="residents", kind="opinion", text="建议",
                                        name="张三丰", phone="13812345678")
    html = _html(_login(client, w.u.director).get(f"/disclosure/feedback/{feedback.pk}/"))
    assert "张三丰" in html and "13812345678" in html
    html = _html(_login(client, w.u.supervisor).get(f"/disclosure/feedback/{feedback.pk}/"))
    assert "张三丰" not in html and "13812345678" not in html


# Obligations and the street dashboard ---------------------------------------------------------------------

def test_obligations_page_lists_states_due_dates_and_rules(client, disc_world):
    html = _html(_login(client, disc_world.worker_a).get("/disclosure/obligations/"))
    assert "长春路社区" in html
    assert "R-DUES-04" in html and "A-OPEN-06" in html
    assert "逾期未公开" in html or "即将到期" in html or "未到期" in html


def test_street_dashboard_links_each_community_worst_first(client, disc_world):
    w = disc_world
    item = published_residents(w)
    DisclosureItem.objects.filter(pk=item.pk).update(correction_required_at=timezone.now())
    response = _login(client, w.street_admin).get("/disclosure/status/")
    html = _html(response)
    assert response.status_code == 200
    assert f"/disclosure/obligations/?community={w.a.pk}" in html and f"?community={w.b.pk}" in html
    rows = response.context["rows"]
    assert {r.community for r in rows} == {w.a, w.b}
    keys = [(r.overdue, r.unanswered_overdue, r.correction_required) for r in rows]
    assert keys == sorted(keys, reverse=True)


def test_community_worker_has_no_street_dashboard(client, disc_world):
    assert _login(client, disc_world.worker_a).get("/disclosure/status/").status_code == 403


# Query counts ---------------------------------------------------------------------------------------------

def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/disclosure/", "/disclosure/feedback/", "/disclosure/status/"])
def test_list_pages_do_a_constant_number_of_queries(client, disc_world, django_assert_max_num_queries, url):
    w = disc_world
    residents_draft(w)
    _feedback(w)
    client = _login(client, w.street_admin)
    one = _queries(client, url)
    for i in range(6):
        party_draft(w, title=f"党务{i}")
        _feedback(w, text=f"问题{i}", name="张三" if i % 2 else "")
    published_residents(w)
    with django_assert_max_num_queries(one):
        assert client.get(url).status_code == 200


def test_obligation_link_opens_the_form_for_its_board_and_category(client, disc_world):
    html = _html(_login(client, disc_world.u.director).get("/disclosure/new/", {"board": "residents",
                                                                                "category": "R03"}))
    assert 'value="R03" selected' in html and "发放表" in html and "身份证号" in html


def test_help_explains_both_boards_and_the_feedback_box(client, disc_world):
    html = _html(_login(client, disc_world.worker_a).get("/help/"))
    assert "党务公开与居务公开" in html and "R-PDISC-07" in html and "A-OPEN-23" in html
