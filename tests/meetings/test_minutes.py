"""Meeting minutes: drafted from the record, edited while draft, signed off by the right person and frozen,
closing the meeting, rendered as print HTML and as .docx in the official layout (issue #3 point 5)."""

from __future__ import annotations

import datetime
import hashlib
import io
from functools import cached_property
from types import SimpleNamespace

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from jiceng.audit.models import AuditEvent
from jiceng.core.errors import Conflict, PermissionDenied, RuleViolation
from jiceng.meetings import minutes as m
from jiceng.meetings import services
from jiceng.meetings.models import AgendaItem, Meeting, Minutes
from jiceng.orgs import services as orgs
from jiceng.orgs.models import Role
from tests import builders
from tests.meetings.conftest import at

TITLE = "2025年第3次党工委会议"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def pwc(street_world):
    """A PWC meeting of 9, noticed 5 days ahead, held with 7 present (one on leave, one absent with a written
    opinion), the secretary in the chair and a member recording; one ordinary item passed 6/1/0."""
    sw = street_world
    staff, members = sw.street_staff, sw.pwc_members
    day = sw.today - datetime.timedelta(days=1)
    meeting = services.create_meeting(staff, kind="pwc_meeting", body=sw.pwc, title=TITLE, scheduled_at=at(day),
                                      location="街道办三楼会议室")
    item = services.add_item(staff, meeting, title="关于老旧小区加装电梯的实施方案")
    services.publish_notice(staff, meeting, published_at=at(day - datetime.timedelta(days=5)))
    services.hold(staff, meeting, held_at=at(day), present=[p.pk for p in members[:7]], chair=sw.secretary,
                  recorder=members[2], leave=[members[7].pk],
                  written_opinions=[{"person": members[8].pk, "text": "同意加装电梯方案。"}])
    item = services.record_vote(staff, item, method="show_of_hands", yes=6, no=1, abstain=0)
    return PwcMeeting(meeting=Meeting.objects.get(pk=meeting.pk), item=item, staff=staff, members=members, sw=sw,
                      worker_b=sw.worker_b)


class PwcMeeting(SimpleNamespace):
    """Logins of PWC members, each a street staff account linked to its person, made when a test asks."""

    def _login(self, username: str, person):
        return builders.make_user(self.sw.root, username, "street_staff", self.sw.street, person=person)

    @cached_property
    def secretary(self):
        return self._login("shuji", self.sw.secretary)

    @cached_property
    def deputy(self):
        return self._login("fushuji", self.members[1])

    @cached_property
    def member(self):
        return self._login("weiyuan", self.members[3])


def _signed_events():
    return AuditEvent.objects.filter(action="meetings.minutes_signed")


# Drafting ---------------------------------------------------------------------------------------------

def test_generate_writes_attendance_items_arithmetic_and_written_opinions(pwc):
    minutes = m.generate_minutes(pwc.staff, pwc.meeting)
    text = minutes.text
    assert minutes.status == Minutes.Status.DRAFT
    assert text.startswith(f"# {TITLE}纪要\n")
    assert "- 会议类型：党工委会议" in text and "- 地点：街道办三楼会议室" in text
    assert f"- 主持人：{pwc.members[0].name}" in text and f"- 记录人：{pwc.members[2].name}" in text
    assert "应到9人，实到7人，请假1人，缺席1人。" in text
    assert f"- 请假：{pwc.members[7].name}" in text and f"- 缺席：{pwc.members[8].name}" in text
    assert "### （一）关于老旧小区加装电梯的实施方案" in text
    assert "- 表决方式：举手" in text
    assert "- 表决结果：6 赞成，1 反对，0 弃权" in text
    assert "- 结果：通过" in text
    assert pwc.item.basis["arithmetic"] in text and "R-PWC-11" in text
    assert f"{pwc.members[8].name}：同意加装电梯方案。（不计入票数）" in text
    assert AuditEvent.objects.filter(action="meetings.minutes_generated").count() == 1


def test_generate_refuses_a_meeting_not_yet_held(street_world):
    sw = street_world
    meeting = services.create_meeting(sw.street_staff, kind="pwc_meeting", body=sw.pwc, title=TITLE,
                                      scheduled_at=at(sw.today + datetime.timedelta(days=7)))
    with pytest.raises(Conflict) as refused:
        m.generate_minutes(sw.street_staff, meeting)
    assert refused.value.code == "meeting_not_held"
    assert not Minutes.objects.exists()


def test_edit_and_regenerate_while_draft(pwc):
    minutes = m.generate_minutes(pwc.staff, pwc.meeting)
    edited = m.edit_minutes(pwc.staff, minutes, minutes.text + "\r\n会议还研究了其他事项。\r\n")
    assert "会议还研究了其他事项。" in edited.text and "\r" not in edited.text
    again = m.generate_minutes(pwc.staff, pwc.meeting)
    assert again.pk == minutes.pk and "会议还研究了其他事项。" not in again.text


def test_written_opinion_on_an_item_is_marked_not_counted(pwc):
    opinion = pwc.meeting.written_opinions.get()
    opinion.item = pwc.item
    opinion.save()
    text = m.generate_minutes(pwc.staff, pwc.meeting).text
    assert f"- 书面意见（不计入票数）：{pwc.members[8].name}：同意加装电梯方案。" in text
    assert "（就「关于老旧小区加装电梯的实施方案」）" in text


# Sign-off ---------------------------------------------------------------------------------------------

def test_plain_pwc_member_cannot_sign_pwc_minutes(pwc):
    minutes = m.generate_minutes(pwc.staff, pwc.meeting)
    with pytest.raises(RuleViolation) as refused:
        m.sign_minutes(pwc.member, minutes)
    assert refused.value.code == "signer_not_authorised"
    assert refused.value.rule_id == "R-DOC-04"
    assert "三(二)4" in refused.value.message
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT and not minutes.content_hash
    assert not _signed_events().exists()


def test_street_staff_without_the_office_cannot_sign_pwc_minutes(pwc):
    """Running meetings is not enough: R-DOC-04 names the secretary's office."""
    minutes = m.generate_minutes(pwc.staff, pwc.meeting)
    with pytest.raises(RuleViolation) as refused:
        m.sign_minutes(pwc.staff, minutes)
    assert refused.value.code == "signer_not_authorised"


def test_deputy_secretary_may_sign_pwc_minutes(pwc):
    minutes = m.sign_minutes(pwc.deputy, m.generate_minutes(pwc.staff, pwc.meeting))
    assert minutes.status == Minutes.Status.SIGNED


def test_secretary_signs_freezes_and_files_the_hash(pwc):
    minutes = m.generate_minutes(pwc.staff, pwc.meeting)
    minutes = m.sign_minutes(pwc.secretary, minutes)
    minutes.refresh_from_db()
    digest = hashlib.sha256(minutes.text.encode("utf-8")).hexdigest()
    assert minutes.status == Minutes.Status.SIGNED
    assert minutes.signed_by == pwc.secretary and minutes.signed_at is not None
    assert minutes.content_hash == digest
    event = _signed_events().get()
    assert event.after["content_hash"] == digest and event.after["rule"] == "R-DOC-04"
    assert event.object_id == str(pwc.meeting.pk)

    for attempt in (lambda: m.edit_minutes(pwc.staff, minutes, "改写"), lambda: m.generate_minutes(pwc.staff,
                                                                                                   pwc.meeting),
                    lambda: m.sign_minutes(pwc.secretary, minutes)):
        with pytest.raises(Conflict) as refused:
            attempt()
        assert refused.value.code == "minutes_frozen"
    minutes.refresh_from_db()
    assert minutes.content_hash == digest and _signed_events().count() == 1


def test_close_meeting_needs_signed_minutes(pwc):
    with pytest.raises(RuleViolation) as refused:
        services.close_meeting(pwc.staff, pwc.meeting)
    assert refused.value.code == "record_missing"
    minutes = m.generate_minutes(pwc.staff, pwc.meeting)
    with pytest.raises(RuleViolation) as refused:
        services.close_meeting(pwc.staff, pwc.meeting)
    assert refused.value.code == "record_missing"
    m.sign_minutes(pwc.secretary, minutes)
    assert services.close_meeting(pwc.staff, pwc.meeting).status == Meeting.Status.CLOSED


# Hearings and evaluation meetings -----------------------------------------------------------------------

@pytest.fixture
def hearing(street_world):
    sw = street_world
    staff = sw.street_staff
    people = [builders.make_person(sw.root, sw.building_a, f"听证代表{i}") for i in range(5)]
    day = sw.today - datetime.timedelta(days=1)
    meeting = services.create_meeting(staff, kind="hearing", body=sw.rc, title="加装电梯听证会", scheduled_at=at(day),
                                      expected=[p.pk for p in people], subject_category="H2")
    item = services.add_item(staff, meeting, title="加装电梯费用分摊方案")
    for party in ("street_office", "party_org", "residents_committee"):
        services.confirm_participants(staff, meeting, party=party)
    services.publish_notice(staff, meeting, published_at=at(day - datetime.timedelta(days=4)))
    services.hold(staff, meeting, held_at=at(day), present=[p.pk for p in people[:4]], chair=people[0],
                  recorder=people[1])
    services.record_vote(staff, item, method="show_of_hands", yes=3, no=1, abstain=0)
    return SimpleNamespace(meeting=Meeting.objects.get(pk=meeting.pk), staff=staff)


def test_hearing_minutes_follow_the_order_of_business_and_name_the_three_parts(hearing):
    text = m.generate_minutes(hearing.staff, hearing.meeting).text
    positions = [text.index(f"）{part}\n") for part in m.HEARING_ORDER]
    assert positions == sorted(positions)
    parts = [text.index(f"### （{n}）{part}") for n, part in zip("一二三", m.HEARING_PARTS, strict=True)]
    assert parts == sorted(parts) and parts[0] > positions[-1]
    assert text.index("3 赞成") > positions[-1]


def test_hearing_minutes_cannot_be_signed_without_the_three_parts(hearing):
    minutes = m.generate_minutes(hearing.staff, hearing.meeting)
    with pytest.raises(RuleViolation) as refused:
        m.sign_minutes(hearing.staff, minutes)
    assert refused.value.code == "minutes_incomplete" and refused.value.rule_id == "R-HEAR-14"
    assert refused.value.facts["missing"] == ["基本情况", "代表意见", "倾向性方案"]

    text = minutes.text.replace("### （一）基本情况\n", "### （一）基本情况\n\n到会代表4人。\n")
    text = text.replace("### （二）代表意见\n", "### （二）代表意见\n\n多数代表赞成按楼层分摊。\n")
    minutes = m.edit_minutes(hearing.staff, minutes, text)
    with pytest.raises(RuleViolation) as refused:
        m.sign_minutes(hearing.staff, minutes)
    assert refused.value.facts["missing"] == ["倾向性方案"]

    minutes = m.edit_minutes(hearing.staff, minutes, minutes.text + "\n按楼层系数分摊费用。\n")
    assert m.sign_minutes(hearing.staff, minutes).status == Minutes.Status.SIGNED


def test_hearing_minutes_are_signed_by_the_chair_or_the_organiser_only(hearing, street_world):
    minutes = m.generate_minutes(hearing.staff, hearing.meeting)
    viewer = builders.make_user(street_world.root, "viewer_a", "viewer", street_world.a)
    with pytest.raises(PermissionDenied) as refused:
        m.sign_minutes(viewer, minutes)
    assert refused.value.code == "signer_not_authorised"
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT


def test_evaluation_minutes_list_the_four_reports_in_order_and_the_liaison_comments(street_world):
    sw = street_world
    staff = sw.street_staff
    day = sw.today - datetime.timedelta(days=1)
    liaison = builders.make_person(sw.root, sw.building_a, "分包领导", political_status="party_member")
    orgs.add_membership(sw.root, person=liaison, body=sw.party_org, role=Role.STREET_LIAISON_LEADER,
                        start_on=datetime.date(2020, 1, 1))
    people = [builders.make_person(sw.root, sw.building_a, f"评议代表{i}") for i in range(4)]
    meeting = services.create_meeting(staff, kind="evaluation_meeting", body=sw.party_org, title="2025年度评议会",
                                      scheduled_at=at(day), expected=[p.pk for p in people])
    for role, person in zip(reversed(m.EVALUATION_REPORT_ROLES), people, strict=True):  # entered out of order
        services.add_duty_report(staff, meeting, role=role, person=person, work_completed="完成",
                                 performance="履职", next_steps="打算")
    services.approve_participants(staff, meeting, override_reason="试点社区，参加人数不足50人")
    services.publish_notice(staff, meeting, published_at=at(day - datetime.timedelta(days=3)))
    services.hold(staff, meeting, held_at=at(day), present=[p.pk for p in people], chair=liaison)
    text = m.generate_minutes(staff, Meeting.objects.get(pk=meeting.pk)).text
    reports = [text.index(f"{Role(role).label}述职") for role in m.EVALUATION_REPORT_ROLES]
    assert reports == sorted(reports)
    assert text.index("、分包领导点评") > reports[-1]
    assert "点评人：分包领导" in text
    assert "R-EVAL-05" in text  # the recorded override of the 50-evaluator minimum


# Rendering ---------------------------------------------------------------------------------------------

def _docx(content: bytes):
    return Document(io.BytesIO(content))


def test_docx_is_a4_with_official_fonts_and_exactly_30pt(pwc):
    minutes = m.generate_minutes(pwc.staff, pwc.meeting)
    doc = _docx(m.render_minutes_docx(minutes))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    assert [round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "草稿（未签发）"
    assert f"{TITLE}纪要" in texts
    for paragraph in doc.paragraphs:
        assert paragraph.paragraph_format.line_spacing == Pt(30)
        assert paragraph.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    title = doc.paragraphs[texts.index(f"{TITLE}纪要")]
    run = title.runs[0]
    assert run.font.size == Pt(22)
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("表决结果："))
    assert body.runs[0].font.size == Pt(16)
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.paragraph_format.first_line_indent == Pt(32)
    heading = next(p for p in doc.paragraphs if p.text == "一、会议基本情况")
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in footer


def test_signed_docx_has_the_signature_line_and_no_draft_mark(pwc):
    minutes = m.sign_minutes(pwc.secretary, m.generate_minutes(pwc.staff, pwc.meeting))
    texts = [p.text for p in _docx(m.render_minutes_docx(minutes)).paragraphs]
    assert not any("草稿" in t for t in texts)
    day = m.full_date(datetime.date.today())
    assert f"签发人：{pwc.members[0].name}　　日期：{day}" in texts


def test_print_html_has_the_title_and_the_official_layout(pwc):
    html = m.render_minutes_html(m.generate_minutes(pwc.staff, pwc.meeting))
    assert f"<h1>{TITLE}纪要</h1>" in html
    for css in ("size: A4", "margin: 37mm 26mm 35mm 28mm", "font-size: 22pt", "font-size: 16pt",
                "line-height: 30pt", '"仿宋_GB2312", "FangSong", "STFangsong", serif', "方正小标宋简体"):
        assert css in html
    assert "草稿（未签发）" in html


# API ----------------------------------------------------------------------------------------------------

def _call(client, user):
    from jiceng.accounts.services import issue_token

    headers = {"Authorization": f"Bearer {issue_token(user, user)}"}

    def call(method: str, path: str, data=None):
        return getattr(client, method)(f"/api/v1/meetings/{path}", data or {}, content_type="application/json",
                                       headers=headers)
    return call


def test_api_generate_edit_sign_and_download(client, pwc):
    staff, mid = _call(client, pwc.staff), pwc.meeting.pk
    assert staff("get", f"{mid}/minutes").status_code == 404
    created = staff("post", f"{mid}/minutes")
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "draft" and "6 赞成" in body["text"] and body["id"]
    assert staff("get", f"{mid}/minutes").json()["id"] == body["id"]
    edited = staff("put", f"{mid}/minutes", {"text": body["text"] + "\n补充说明。"})
    assert edited.status_code == 200 and "补充说明。" in edited.json()["text"]

    refused = _call(client, pwc.member)("post", f"{mid}/minutes/sign")
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "signer_not_authorised"
    assert refused.json()["error"]["rule"] == "R-DOC-04"

    signed = _call(client, pwc.secretary)("post", f"{mid}/minutes/sign")
    assert signed.status_code == 200
    assert signed.json()["status"] == "signed" and signed.json()["signed_by"] == "shuji"
    assert len(signed.json()["content_hash"]) == 64

    frozen = staff("put", f"{mid}/minutes", {"text": "改写"})
    assert frozen.status_code == 409 and frozen.json()["error"]["code"] == "minutes_frozen"
    assert frozen.json()["error"]["rule"] == "R-DOC-04"

    download = staff("get", f"{mid}/minutes.docx")
    assert download.status_code == 200
    assert download["Content-Type"] == DOCX
    assert f"meeting-{mid}-minutes.docx" in download["Content-Disposition"]
    assert f"{TITLE}纪要" in [p.text for p in _docx(download.content).paragraphs]


def test_api_hearing_sign_without_the_three_parts_is_422(client, hearing):
    staff = _call(client, hearing.staff)
    assert staff("post", f"{hearing.meeting.pk}/minutes").status_code == 201
    refused = staff("post", f"{hearing.meeting.pk}/minutes/sign")
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "minutes_incomplete"
    assert refused.json()["error"]["rule"] == "R-HEAR-14"


def test_api_generate_before_the_meeting_is_409(client, street_world):
    sw = street_world
    meeting = services.create_meeting(sw.street_staff, kind="pwc_meeting", body=sw.pwc, title=TITLE,
                                      scheduled_at=at(sw.today + datetime.timedelta(days=7)))
    response = _call(client, sw.street_staff)("post", f"{meeting.pk}/minutes")
    assert response.status_code == 409 and response.json()["error"]["code"] == "meeting_not_held"


def test_api_worker_of_another_community_gets_404(client, pwc):
    m.generate_minutes(pwc.staff, pwc.meeting)
    other, mid = _call(client, pwc.worker_b), pwc.meeting.pk
    for method, path in (("get", f"{mid}/minutes"), ("post", f"{mid}/minutes"), ("put", f"{mid}/minutes"),
                         ("post", f"{mid}/minutes/sign"), ("get", f"{mid}/minutes.docx")):
        response = other(method, path, {"text": "x"} if method == "put" else None)
        assert response.status_code == 404, (method, path)


# Web ----------------------------------------------------------------------------------------------------

def test_web_minutes_page_generate_save_sign_print_and_download(client, pwc):
    mid = pwc.meeting.pk
    client.force_login(pwc.staff)
    page = client.get(reverse("web:meeting_minutes", args=[mid]))
    assert page.status_code == 200 and "根据会议记录生成纪要" in page.content.decode()
    assert client.post(reverse("web:meeting_minutes_generate", args=[mid])).status_code == 302
    page = client.get(reverse("web:meeting_minutes", args=[mid])).content.decode()
    assert "6 赞成" in page and 'hx-post="' in page
    assert reverse("web:meeting_minutes_print", args=[mid]) in page
    assert reverse("web:meeting_minutes_docx", args=[mid]) in page

    text = Minutes.objects.get(meeting=pwc.meeting).text + "\n网页补充。"
    panel = client.post(reverse("web:meeting_minutes_save", args=[mid]), {"text": text}, headers={"HX-Request": "true"})
    assert panel.status_code == 200 and 'id="minutes-panel"' in panel.content.decode()
    assert "<html" not in panel.content.decode()
    assert "网页补充。" in Minutes.objects.get(meeting=pwc.meeting).text

    client.post(reverse("web:meeting_minutes_sign", args=[mid]))  # street staff: refused, shown as a message
    assert Minutes.objects.get(meeting=pwc.meeting).status == Minutes.Status.DRAFT
    client.force_login(pwc.secretary)
    client.post(reverse("web:meeting_minutes_sign", args=[mid]))
    assert Minutes.objects.get(meeting=pwc.meeting).status == Minutes.Status.SIGNED
    page = client.get(reverse("web:meeting_minutes", args=[mid])).content.decode()
    assert "minutes-text" not in page.split('id="minutes-panel"')[1]  # no edit form once signed

    printed = client.get(reverse("web:meeting_minutes_print", args=[mid]))
    assert printed.status_code == 200 and f"{TITLE}纪要" in printed.content.decode()
    download = client.get(reverse("web:meeting_minutes_docx", args=[mid]))
    assert download.status_code == 200 and download["Content-Type"] == DOCX


def test_web_save_after_sign_off_shows_the_refusal(client, pwc):
    minutes = m.sign_minutes(pwc.secretary, m.generate_minutes(pwc.staff, pwc.meeting))
    client.force_login(pwc.staff)
    panel = client.post(reverse("web:meeting_minutes_save", args=[pwc.meeting.pk]), {"text": "改写"},
                        headers={"HX-Request": "true"})
    assert "已签发" in panel.content.decode()
    minutes.refresh_from_db()
    assert minutes.text != "改写\n"


def test_web_worker_of_another_community_gets_404(client, pwc):
    m.generate_minutes(pwc.staff, pwc.meeting)
    client.force_login(pwc.worker_b)
    mid = pwc.meeting.pk
    for name in ("meeting_minutes", "meeting_minutes_print", "meeting_minutes_docx"):
        assert client.get(reverse(f"web:{name}", args=[mid])).status_code == 404
    for name in ("meeting_minutes_generate", "meeting_minutes_save", "meeting_minutes_sign"):
        assert client.post(reverse(f"web:{name}", args=[mid]), {"text": "x"}).status_code == 404


def test_web_minutes_page_requires_login(client, pwc):
    response = client.get(reverse("web:meeting_minutes", args=[pwc.meeting.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_item_outcome_labels_come_from_the_model(pwc):
    """The minutes speak Chinese whatever the user's language (an official document)."""
    from django.utils import translation

    with translation.override("en"):
        text = m.generate_minutes(pwc.staff, pwc.meeting).text
    assert f"- 结果：{AgendaItem.Status.PASSED.label}" in text and "- 结果：通过" in text
