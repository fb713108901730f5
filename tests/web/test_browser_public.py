"""A resident's journey on the public disclosure site in a real browser, on a phone-sized screen: from the QR
code on the printed board to the board, an item, the feedback form and the tracking page with the reply.

Runs Debian's Chromium headless through Playwright against pytest-django's live server, as test_browser.py
does: skipped on a workstation without /usr/bin/chromium, failed on CI. Rows are written before the browser
starts; the worker's reply, written while Playwright's event loop owns this thread, goes through a thread of
its own.
"""

import re

import pytest
from django.core.cache import cache

from jiceng.disclosure import feedback as feedback_services
from jiceng.disclosure.models import Feedback
from tests.disclosure import conftest as disclosure_fixtures
from tests.web.browsers import chromium, in_own_thread

REPLY = "已安排下周一在居委会公开栏旁当面说明，欢迎到场。"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

disc_world = disclosure_fixtures.disc_world


@pytest.fixture
def scene(disc_world, settings):
    settings.JICENG_SITE_URL = ""  # the QR code then encodes the address the live server answers on
    cache.clear()
    item = disclosure_fixtures.published_residents(disc_world, title="2026年上半年社区收支情况")
    return disc_world, item


@pytest.fixture
def browser(scene):
    with chromium() as browser:  # after `scene`: its rows are written before the browser starts
        yield browser


def test_resident_scans_the_board_sends_feedback_and_reads_the_reply(live_server, scene, browser):
    from playwright.sync_api import expect

    w, item = scene
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")  # a phone set to Chinese
    page.set_default_timeout(10_000)

    # The printed sheet carries the QR code and, under it, the address it encodes.
    page.goto(f"{live_server.url}/gongkai/{w.a.pk}/residents/print/")
    expect(page.locator(".qr svg")).to_have_count(1)
    qr_url = page.locator(".qr-url").inner_text().strip()
    assert qr_url == f"{live_server.url}/gongkai/{w.a.pk}/residents/"

    page.goto(qr_url)
    expect(page.locator("h1")).to_contain_text("居务公开栏")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.get_by_role("link", name=item.title).click()
    page.wait_for_url(f"{live_server.url}/gongkai/items/{item.pk}/")
    expect(page.locator("h1")).to_contain_text(item.title)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_label("意见建议").check()
    page.get_by_role("textbox", name=re.compile(r"^内容")).fill("建议把收支明细按月公开。")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(re.compile(r"/gongkai/feedback/[A-Z0-9]{10}/\?sent=1#main$"))
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{10}", code)
    expect(page.locator("#feedback-status")).to_contain_text("待答复")

    def answer():
        feedback = Feedback.objects.get(tracking_code=code)
        feedback_services.reply(w.u.director, feedback, text=REPLY)

    in_own_thread(answer)

    page.goto(f"{live_server.url}/gongkai/feedback/")
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(f"{live_server.url}/gongkai/feedback/{code}/")
    expect(page.locator("#feedback-status")).to_contain_text("已答复")
    expect(page.locator("#public-reply")).to_contain_text(REPLY)
    page.close()


@pytest.fixture
def wide_table(disc_world):
    cache.clear()
    rows = [{"recipient": f"居民{i}号", "id_number": "110101199003071234", "building": "幸福小区12号楼3单元",
             "amount": "1234567.89", "note": "一次性临时救助金（含取暖补贴）"} for i in range(3)]
    return disclosure_fixtures.published_residents(
        disc_world, category="R03", title="临时救助金发放情况",
        tables=[{"kind": "distribution", "rows": rows, "total": "3703703.67"}])


def test_item_with_a_wide_table_fits_a_320px_screen_with_larger_text(live_server, wide_table, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 320, "height": 640}, locale="zh-CN")
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/gongkai/items/{wide_table.pk}/")
    page.get_by_role("link", name="大字号").click()
    expect(page.locator("html")).to_have_class("large-text")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "22px"
    expect(page.get_by_role("table")).to_contain_text("3703703.67")
    # The table scrolls inside its own region; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    page.close()
