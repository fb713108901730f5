"""The public site of the disclosure boards (issue #4, ARCHITECTURE §7): pages without an account, 404s, filters,
the feedback form, tracking codes, print sheets, QR codes, the Atom feed, caching and masking."""

from __future__ import annotations

import datetime
import io
import xml.etree.ElementTree as ET

import pytest
import segno
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiceng.disclosure import feedback as fb
from jiceng.disclosure import services
from jiceng.disclosure.models import DisclosureItem, Feedback
from jiceng.orgs.models import Area

from .conftest import party_draft, passed_item, published_party, published_residents

ATOM = "{http://www.w3.org/2005/Atom}"
DISTRIBUTION = [{"kind": "distribution", "total": "1300.00", "rows": [
    {"recipient": "张三丰", "id_number": "110101199003071234", "building": "1号楼", "amount": "800.00"},
    {"recipient": "欧阳娜娜", "id_number": "11010119850512002X", "amount": "500.00"},
]}]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Pages and the feedback rate limit live in the cache; every test starts without them."""
    cache.clear()
    yield
    cache.clear()


def board_url(w, board="party"):
    return f"/gongkai/{w.a.pk}/{board}/"


def item_url(item):
    return f"/gongkai/items/{item.pk}/"


def html(response) -> str:
    return response.content.decode()


def publish_correction(w, old, **changes):
    correction = services.correct(w.u.officer, old, **changes)
    services.record_decision(w.u.officer, correction, agenda_item=passed_item(w))
    services.sign(w.u.secretary, correction)
    return services.publish(w.u.officer, correction)


def post_feedback(client, url, **fields):
    data = {"kind": "question", "text": "请问本月党费用于何处？", "name": "", "phone": "", "household": "",
            "website": ""}
    data.update(fields)
    return client.post(url, data)


# Pages without an account ------------------------------------------------------------------------------------

def test_community_home_shows_both_boards_and_their_newest_items_without_login(client, disc_world):
    w = disc_world
    published_party(w, title="党费收缴情况")
    published_residents(w, title="上半年收支情况")
    page = html(client.get(f"/gongkai/{w.a.pk}/"))
    assert "长春路社区" in page and "党务公开栏" in page and "居务公开栏" in page
    assert "党费收缴情况" in page and "上半年收支情况" in page
    assert 'lang="zh-hans"' in page and 'href="#main"' in page and '<main id="main"' in page
    assert "退出" not in page and "/login/" not in page  # no staff navigation


def test_board_lists_items_newest_first_and_marks_corrections(client, disc_world):
    w = disc_world
    old = published_party(w, title="十月党费收缴情况")
    newer = published_party(w, title="党组织设置及主要职责", category="P07", timing_class="fixed_permanent")
    correction = publish_correction(w, old, reason="实交人数有误", body="本月应交党员32名，实交31名。")
    response = client.get(board_url(w))
    assert response.status_code == 200
    page = html(response)
    assert page.index(f"/gongkai/items/{correction.pk}/") < page.index(f"/gongkai/items/{newer.pk}/")
    assert page.index(f"/gongkai/items/{newer.pk}/") < page.index(f"/gongkai/items/{old.pk}/")
    superseded_row = page[page.index(f"/gongkai/items/{old.pk}/"):]
    assert "已更正" in superseded_row and "实交人数有误" in superseded_row
    assert f'href="/gongkai/items/{correction.pk}/"' in superseded_row


def test_an_item_flagged_for_correction_is_marked(client, disc_world):
    w = disc_world
    item = published_residents(w)
    DisclosureItem.objects.filter(pk=item.pk).update(correction_required_at=timezone.now())
    services.cache.touch(w.a)
    assert "须予纠正" in html(client.get(board_url(w, "residents")))
    assert "须予纠正" in html(client.get(item_url(item)))


def test_board_filters_by_category_and_period(client, disc_world):
    w = disc_world
    march = published_party(w, title="三月党费", period_start=datetime.date(2025, 3, 1),
                            period_end=datetime.date(2025, 3, 31))
    hot = published_party(w, title="热点问题处理情况", category="P10", timing_class="hot_issue_prompt",
                          period_start=datetime.date(2026, 5, 1), period_end=datetime.date(2026, 5, 31))
    by_category = html(client.get(board_url(w), {"category": "P10"}))
    assert hot.title in by_category and march.title not in by_category
    assert '<option value="P10" selected>' in by_category
    by_month = html(client.get(board_url(w), {"period": "2025-03"}))
    assert march.title in by_month and hot.title not in by_month
    by_year = html(client.get(board_url(w), {"period": "2026"}))
    assert hot.title in by_year and march.title not in by_year
    bad = client.get(board_url(w), {"period": "2025年3月"})
    assert bad.status_code == 400 and "YYYY" in html(bad) and march.title in html(bad)
    assert 'value="2025年3月"' in html(bad)  # the field keeps what was typed, to be corrected
    assert march.title in html(client.get(board_url(w), {"category": "R99"}))  # not this board's: ignored


def test_item_page_shows_the_content_tables_and_versions(client, disc_world):
    w = disc_world
    item = published_residents(w, category="R03", title="慰问金发放情况", tables=DISTRIBUTION,
                               period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 1, 31))
    response = client.get(item_url(item))
    assert response.status_code == 200
    page = html(response)
    for text in ["慰问金发放情况", "上级下拨款物和社会各界捐款物资及使用发放情况", "常规工作定期公开", "2026-01-01",
                 "<caption>发放明细</caption>", '<th scope="col"', '<th scope="row">', "1300.00", "合计"]:
        assert text in page, text
    assert 'name="website"' in page and 'tabindex="-1"' in page and 'aria-hidden="true"' in page
    assert 'value="objection"' in page  # residents' items take objections
    assert 'value="objection"' not in html(client.get(item_url(published_party(w))))


def test_attachment_is_served_with_its_type_and_name_only_for_items_on_a_board(client, disc_world, settings,
                                                                            tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = disc_world
    draft = party_draft(w, title="附件测试")
    services.attach(w.u.officer, draft, name="会议记录.pdf", content=b"%PDF-1.4 minutes")
    attachment = draft.attachments.get()
    url = f"/gongkai/items/{draft.pk}/attachments/{attachment.pk}/"
    assert client.get(url).status_code == 404  # a draft's file is not public
    services.record_decision(w.u.officer, draft, agenda_item=passed_item(w))
    services.sign(w.u.secretary, draft)
    services.publish(w.u.officer, draft)
    page = html(client.get(item_url(draft)))
    assert "会议记录.pdf" in page and attachment.sha256 in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"] and "filename" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"
    assert client.get(f"/gongkai/items/{draft.pk}/attachments/{attachment.pk + 1}/").status_code == 404
    services.withdraw(w.u.officer, draft, reason="公示期满")
    assert client.get(url).status_code == 404


def test_what_is_not_on_a_public_board_is_404(client, disc_world):
    w = disc_world
    draft = party_draft(w)
    withdrawn = published_party(w, title="已撤下")
    services.withdraw(w.u.officer, withdrawn, reason="公示期满")
    published = published_party(w)
    for url in [f"/gongkai/{w.a.pk + 999}/", f"/gongkai/{w.street.pk}/", f"/gongkai/{w.a.pk}/other/",
                item_url(draft), item_url(withdrawn), f"/gongkai/items/{draft.pk}/print/",
                f"/gongkai/items/{withdrawn.pk}/qr.svg", "/gongkai/feedback/NOSUCHCODE/"]:
        assert client.get(url).status_code == 404, url
    Area.objects.filter(pk=w.a.pk).update(closed_on=timezone.localdate() - datetime.timedelta(days=1))
    for url in [f"/gongkai/{w.a.pk}/", board_url(w), item_url(published), f"{board_url(w)}feed.atom"]:
        assert client.get(url).status_code == 404, url


def test_every_public_page_opens_without_login(client, disc_world):
    w = disc_world
    item = published_party(w)
    for url in [f"/gongkai/{w.a.pk}/", board_url(w), board_url(w, "residents"), item_url(item),
                f"{board_url(w)}print/", f"/gongkai/items/{item.pk}/print/", f"{board_url(w)}qr.svg",
                f"/gongkai/items/{item.pk}/qr.svg", f"{board_url(w)}feed.atom", "/gongkai/feedback/"]:
        assert client.get(url).status_code == 200, url


# The feedback box ----------------------------------------------------------------------------------------------

def test_feedback_on_an_item_shows_the_tracking_code_and_deadline(client, disc_world):
    w = disc_world
    item = published_party(w)
    response = post_feedback(client, item_url(item), name="赵六", phone="13800001111")
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.item == item and feedback.board == "party" and feedback.due_on is not None
    assert response["Location"] == f"/gongkai/feedback/{feedback.tracking_code}/?sent=1#main"
    page = html(client.get(response["Location"]))
    assert feedback.tracking_code in page and feedback.due_on.isoformat() in page and "已收到您的意见" in page
    assert "赵六" not in page and "13800001111" not in page and "1111" not in page  # contact details never shown


def test_board_level_feedback_has_no_item(client, disc_world):
    w = disc_world
    response = post_feedback(client, board_url(w, "residents"), kind="opinion", text="建议公开楼道维修费用。")
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.item is None and feedback.board == "residents" and feedback.kind == "opinion"


def test_the_honeypot_refuses_and_writes_nothing(client, disc_world):
    item = published_party(disc_world)
    response = post_feedback(client, item_url(item), website="http://spam.example")
    assert response.status_code == 400 and "提交未被接受" in html(response)
    assert not Feedback.objects.exists()


def test_too_many_messages_from_one_address_are_refused(client, disc_world, settings):
    settings.JICENG_FEEDBACK_PER_HOUR = 2
    cache.clear()
    item = published_party(disc_world)
    assert post_feedback(client, item_url(item)).status_code == 302
    assert post_feedback(client, item_url(item)).status_code == 302
    refused = post_feedback(client, item_url(item), text="第三条")
    assert refused.status_code == 429 and "提交过于频繁" in html(refused)
    assert "第三条" in html(refused)  # the form keeps what was written
    assert Feedback.objects.count() == 2


def test_an_objection_needs_the_household_and_counts_once(client, disc_world):
    item = published_residents(disc_world)
    missing = post_feedback(client, item_url(item), kind="objection", text="不赞成")
    assert missing.status_code == 400 and "请填写楼栋和房号" in html(missing)
    assert 'aria-invalid="true"' in html(missing)
    assert post_feedback(client, item_url(item), kind="objection", text="不赞成",
                         household="1号楼2单元301").status_code == 302
    again = post_feedback(client, item_url(item), kind="objection", text="还是不赞成", household=" 1号楼2单元301 ")
    assert again.status_code == 409 and "本户已对该事项提出过不赞成意见" in html(again)
    assert Feedback.objects.filter(kind="objection").count() == 1


def test_an_objection_against_a_party_item_is_refused_as_a_form_error(client, disc_world):
    item = published_party(disc_world)
    response = post_feedback(client, item_url(item), kind="objection", household="1-301")
    assert response.status_code == 400 and "不赞成" in html(response)
    assert not Feedback.objects.exists()


def test_english_error_messages_come_from_the_domain_error(client, disc_world):
    item = published_residents(disc_world)
    client.cookies["django_language"] = "en"
    response = post_feedback(client, item_url(item), kind="objection", text="no")
    assert response.status_code == 400 and "each household&#x27;s objection counts once" in html(response)


def test_tracking_codes_are_case_insensitive_and_show_the_public_reply(client, disc_world):
    w = disc_world
    item = published_party(w)
    feedback = fb.submit(community=w.a, board="party", item=item, kind="question", text="党费用于何处？",
                         phone="13800001111")
    code = feedback.tracking_code
    lookup = client.get("/gongkai/feedback/", {"code": f" {code.lower()} "})
    assert lookup.status_code == 302 and lookup["Location"] == f"/gongkai/feedback/{code}/"
    assert client.get("/gongkai/feedback/", {"code": "NOSUCH"}).status_code == 404
    waiting = html(client.get(f"/gongkai/feedback/{code.lower()}/"))
    assert "待答复" in waiting and code in waiting
    fb.reply(w.u.officer, feedback, text="用于党员教育培训。")
    answered = html(client.get(f"/gongkai/feedback/{code}/"))
    assert "已答复" in answered and "用于党员教育培训。" in answered
    item_page = html(client.get(item_url(item)))  # the answered question joins the item page
    assert "党费用于何处？" in item_page and "用于党员教育培训。" in item_page and "13800001111" not in item_page


def test_a_report_is_never_answered_in_public(client, disc_world):
    w = disc_world
    item = published_party(w)
    report = fb.submit(community=w.a, board="party", item=item, kind="report", text="某党员长期不交党费")
    fb.reply(w.u.officer, report, text="已核查，某某已补交。")
    status = html(client.get(f"/gongkai/feedback/{report.tracking_code}/"))
    assert "已答复" in status and "已核查" not in status
    assert "某党员长期不交党费" not in html(client.get(item_url(item)))


# Print sheets, QR codes, feed --------------------------------------------------------------------------------

def test_qr_codes_encode_the_absolute_address(client, disc_world, settings):
    w = disc_world
    item = published_party(w)
    settings.JICENG_SITE_URL = "https://gongkai.example.gov.cn"
    response = client.get(f"{board_url(w)}qr.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    url = f"https://gongkai.example.gov.cn/gongkai/{w.a.pk}/party/"
    expected = io.BytesIO()
    segno.make(url, error="m").save(expected, kind="svg", scale=8, border=2, xmldecl=True, title=url)
    assert response.content == expected.getvalue()  # the code encodes exactly the board's absolute address
    assert ET.fromstring(response.content).tag.endswith("svg")
    assert f"https://gongkai.example.gov.cn/gongkai/{w.a.pk}/party/" in html(response)  # the SVG's title
    settings.JICENG_SITE_URL = ""
    item_qr = client.get(f"/gongkai/items/{item.pk}/qr.svg")
    assert item_qr["Content-Type"] == "image/svg+xml" and f"http://testserver/gongkai/items/{item.pk}/" in html(item_qr)


def test_print_sheets_carry_the_board_the_items_and_a_qr_code(client, disc_world):
    w = disc_world
    published_party(w, title="十月党费收缴情况", category="P07",
                    tables=[{"kind": "dues", "month": "2026-10", "total": "50.00",
                             "rows": [{"member": "李大明", "amount": "50.00"}]}])
    sheet = html(client.get(f"{board_url(w)}print/"))
    assert "长春路社区党务公开栏" in sheet and "十月党费收缴情况" in sheet and "<svg" in sheet
    assert f"http://testserver/gongkai/{w.a.pk}/party/" in sheet and "@media print" not in sheet
    assert "李*明" in sheet and "李大明" not in sheet and "2026-10 党费收缴明细" in sheet


def test_the_feed_is_atom_with_the_boards_items(client, disc_world):
    w = disc_world
    first = published_party(w, title="第一项")
    second = published_party(w, title="第二项")
    response = client.get(f"{board_url(w)}feed.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["第二项", "第一项"]
    assert entries[1].find(f"{ATOM}link").get("href") == f"http://testserver/gongkai/items/{first.pk}/"
    assert all(e.find(f"{ATOM}id") is not None and e.find(f"{ATOM}updated") is not None for e in entries)
    assert second.pk


# Caching ---------------------------------------------------------------------------------------------------------

def test_publishing_invalidates_the_cached_board(client, disc_world):
    w = disc_world
    published_party(w, title="甲项公开内容")
    assert "甲项公开内容" in html(client.get(board_url(w)))
    published_party(w, title="乙项公开内容")
    page = html(client.get(board_url(w)))
    assert "甲项公开内容" in page and "乙项公开内容" in page


def test_withdrawing_and_answering_invalidate_the_cached_pages(client, disc_world):
    w = disc_world
    item = published_party(w, title="甲项公开内容")
    feedback = fb.submit(community=w.a, board="party", item=item, kind="question", text="何时开会？")
    assert "甲项公开内容" in html(client.get(f"/gongkai/{w.a.pk}/"))
    assert "何时开会？" not in html(client.get(item_url(item)))
    fb.reply(w.u.officer, feedback, text="下周一。")
    assert "下周一。" in html(client.get(item_url(item)))
    services.withdraw(w.u.officer, item, reason="公示期满")
    assert "甲项公开内容" not in html(client.get(f"/gongkai/{w.a.pk}/"))


@pytest.mark.parametrize("page", ["home", "board", "item", "feed"])
def test_a_second_view_of_an_unchanged_page_costs_fewer_queries(client, disc_world, page):
    w = disc_world
    item = published_party(w, tables=[{"kind": "dues", "month": "2026-10", "total": "50.00",
                                       "rows": [{"member": "李大明", "amount": "50.00"}]}])
    url = {"home": f"/gongkai/{w.a.pk}/", "board": board_url(w), "item": item_url(item),
           "feed": f"{board_url(w)}feed.atom"}[page]
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        again = client.get(url)
    assert again.status_code == 200
    assert len(second) < len(first)
    # A whole page comes from the cache with no query at all; the feed still looks its community up.
    assert len(second) == (1 if page == "feed" else 0)


def test_cached_pages_hold_nothing_per_visitor_and_the_box_works_without_a_token(disc_world):
    item = published_party(disc_world)
    visitor = Client(enforce_csrf_checks=True)
    first, second = visitor.get(item_url(item)), visitor.get(item_url(item))
    assert first.content == second.content and "csrfmiddlewaretoken" not in html(first)
    assert not first.cookies and not second.cookies
    sent = visitor.post(item_url(item), {"kind": "question", "text": "何时开始收缴？"})
    assert sent.status_code == 302 and "/gongkai/feedback/" in sent["Location"]


# Masking ----------------------------------------------------------------------------------------------------------

def test_distribution_names_and_id_numbers_are_masked_everywhere(client, disc_world):
    w = disc_world
    item = published_residents(w, category="R03", title="慰问金发放情况", tables=DISTRIBUTION,
                               body="联系人电话13912345678，身份证110101199003071234。")
    pages = {
        "item": html(client.get(item_url(item))),
        "item print": html(client.get(f"/gongkai/items/{item.pk}/print/")),
        "board print": html(client.get(f"{board_url(w, 'residents')}print/")),
        "feed": html(client.get(f"{board_url(w, 'residents')}feed.atom")),
    }
    for name, page in pages.items():
        for raw in ["张三丰", "欧阳娜娜", "110101199003071234", "11010119850512002X", "13912345678"]:
            assert raw not in page, (name, raw)
        for masked in ["张*丰", "欧**娜", "1101**********1234", "1101**********002X", "139****5678"]:
            assert masked in page, (name, masked)


# Reader preferences -----------------------------------------------------------------------------------------------

def test_larger_text_and_language_are_plain_links(client, disc_world):
    w = disc_world
    home = f"/gongkai/{w.a.pk}/"
    response = client.get("/gongkai/text-size/", {"size": "large", "next": home})
    assert response.status_code == 302 and response["Location"] == home
    assert 'class="large-text"' in html(client.get(home))
    client.get("/gongkai/text-size/", {"size": "normal", "next": home})
    assert 'class="large-text"' not in html(client.get(home))
    assert client.get("/gongkai/language/", {"language": "en", "next": "https://evil.example/"})[
        "Location"] == "/gongkai/feedback/"
    assert 'lang="en"' in html(client.get(home))
