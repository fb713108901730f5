"""A matter of the 「一征三议两公开」 method in a real browser: a worker opens the call for opinions, a resident
gives one on a phone, the worker sees the count, closes the call and walks the matter through the three
deliberations, the publications and implementation to a closed dossier.

Runs Debian's Chromium headless through Playwright against pytest-django's live server, as test_browser.py
does: skipped on a workstation without /usr/bin/chromium, failed on CI. Rows are written before the browser
starts; the meetings held later in the story (and the board publication of the result) go through a thread of
their own, because Playwright's event loop owns the test's thread.
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from jiceng.decisions import services
from jiceng.decisions.models import Matter
from jiceng.meetings.models import Kind
from tests import builders
from tests.decisions import conftest as decision_fixtures
from tests.decisions.conftest import held_item
from tests.decisions.test_urban import publish_on_board
from tests.disclosure import conftest as disclosure_fixtures
from tests.web.browsers import chromium, in_own_thread

RESOLUTION = "同意3号楼加装电梯，费用按楼层系数分摊。"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

dec_world = decision_fixtures.dec_world
disc_world = disclosure_fixtures.disc_world


@pytest.fixture
def scene(dec_world):
    cache.clear()
    matter = services.open_matter(dec_world.worker_a, community=dec_world.a, topic="T4", title="3号楼加装电梯",
                                  summary="3号楼居民申请加装电梯，费用按楼层分摊。", initiator="3号楼居民",
                                  budget="420000.00", occurred_at=timezone.now() - datetime.timedelta(days=3))
    return dec_world, matter


@pytest.fixture
def browser(scene):
    with chromium() as browser:  # after `scene`: its rows are written before the browser starts
        yield browser


def _step(page, step: str):
    return page.locator(f'.matter-steps li[data-step="{step}"]')


def test_a_matter_from_the_call_for_opinions_to_the_closed_dossier(live_server, scene, browser):
    from playwright.sync_api import expect

    w, matter = scene
    staff = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    staff.set_default_timeout(10_000)
    staff.goto(f"{live_server.url}/login/")
    staff.fill("input[name=username]", "worker_a")
    staff.fill("input[name=password]", builders.PASSWORD)
    staff.locator("main form button[type=submit]").click()
    staff.wait_for_url(f"{live_server.url}/")

    # The worker finds the matter through the top navigation and opens the call for opinions.
    staff.get_by_role("navigation", name="主导航").get_by_role("link", name="决策").click()
    staff.get_by_role("link", name="3号楼加装电梯").click()
    staff.wait_for_url(f"{live_server.url}/matters/{matter.pk}/")
    expect(_step(staff, "solicitation")).to_have_attribute("aria-current", "step")
    staff.get_by_label("征求意见的内容").fill("是否同意加装电梯及费用分摊方案？")
    staff.get_by_label("截止日期").fill((timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    staff.get_by_role("button", name="开始征求意见").click()
    expect(staff.locator(".messages")).to_contain_text("已开始征求意见")
    public_url = f"{live_server.url}/gongkai/matters/{matter.pk}/"
    expect(staff.locator("#solicitation")).to_contain_text(public_url)

    # A resident opens the public page on a phone, without an account, and supports the plan.
    resident = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    resident.set_default_timeout(10_000)
    resident.goto(public_url)
    expect(resident.locator("h1")).to_contain_text("3号楼加装电梯")
    expect(resident.locator("main")).to_contain_text("是否同意加装电梯及费用分摊方案？")
    assert resident.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    resident.get_by_label("赞成", exact=True).check()
    resident.get_by_role("textbox", name=re.compile(r"^具体意见")).fill("同意，希望尽快施工。")
    resident.get_by_role("textbox", name=re.compile(r"^楼栋")).fill("3号楼")
    resident.get_by_role("button", name="提交意见").click()
    resident.wait_for_url(re.compile(r"\?sent=1#result$"))
    expect(resident.get_by_role("status")).to_contain_text("您的意见已收到")
    expect(resident.locator('#counts td[data-position="support"]')).to_have_text("1")
    assert resident.evaluate("document.documentElement.scrollWidth") <= 390
    resident.set_viewport_size({"width": 320, "height": 640})  # WCAG 1.4.10: reflows without sideways scrolling
    assert resident.evaluate("document.documentElement.scrollWidth") <= 320
    resident.close()

    # The worker sees the opinion counted, closes the call with its summary, and the timeline moves on.
    staff.reload()
    expect(staff.locator("#opinion-counts li", has_text="赞成").locator("strong")).to_have_text("1")
    expect(staff.locator("#solicitation")).to_contain_text("同意，希望尽快施工。")
    staff.get_by_label("意见汇总").fill("网上收到1条意见：赞成1。")
    staff.get_by_role("button", name="结束征求意见").click()
    expect(staff.locator(".messages")).to_contain_text("征求意见已结束")
    expect(_step(staff, "solicitation")).to_have_class(re.compile(r"\bdone\b"))
    expect(_step(staff, "proposal")).to_have_attribute("aria-current", "step")

    # The three deliberations are held on the meeting pages; here they are prepared after the call closed.
    def hold_meetings():
        return [held_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=0, title="两委提议加装电梯"),
                held_item(w, Kind.DELIBERATION_COUNCIL, w.council, days_ago=0, title="议事会商议加装电梯"),
                held_item(w, Kind.RESIDENT_REPRESENTATIVES_MEETING, w.representatives, days_ago=0,
                          title="居民代表会议表决加装电梯")]

    joint, _council, _vote = in_own_thread(hold_meetings)
    staff.reload()
    for step, label in (("proposal", "两委提议加装电梯"), ("consultation", "议事会商议加装电梯"),
                        ("resolution", "居民代表会议表决加装电梯")):
        expect(_step(staff, step)).to_have_attribute("aria-current", "step")
        staff.get_by_label(re.compile(label)).check()
        if step == "resolution":
            staff.get_by_label(re.compile(r"^说明")).fill(RESOLUTION)
        staff.get_by_role("button", name="登记会议结果").click()
        expect(staff.locator(".messages")).to_contain_text("已登记会议结果")
        expect(_step(staff, step)).to_have_class(re.compile(r"\bdone\b"))
        expect(_step(staff, step)).to_contain_text(label)
    expect(staff.locator("#resolution")).to_contain_text(RESOLUTION)
    expect(staff.locator("#resolution")).to_contain_text("R-WF-13")

    # 公开①: an oral notice with the people told completes the step at once.
    staff.get_by_label("口头告知").check()
    staff.get_by_label(re.compile(r"^被告知")).fill("3号楼全体住户")
    staff.get_by_role("button", name="登记决议公开").click()
    expect(_step(staff, "resolution_published")).to_have_class(re.compile(r"\bdone\b"))

    # Implementation, recorded as done.
    staff.get_by_label("内容", exact=True).fill("电梯已安装并通过验收。")
    staff.get_by_role("checkbox", name=re.compile("实施完成")).check()
    staff.get_by_role("button", name="记录", exact=True).click()
    expect(_step(staff, "implementation")).to_have_class(re.compile(r"\bdone\b"))
    expect(_step(staff, "result_published")).to_have_attribute("aria-current", "step")

    # 公开②: the residents committee drafts the result and the board publishes it (the disclosure pages' work).
    def publish_result():
        fresh = Matter.objects.get(pk=matter.pk)
        services.publish_result(w.u.director, fresh, title="3号楼加装电梯实施结果")
        fresh.refresh_from_db()
        publish_on_board(w, fresh.result_item, joint)

    in_own_thread(publish_result)
    staff.reload()
    expect(_step(staff, "result_published")).to_have_class(re.compile(r"\bdone\b"))
    staff.get_by_role("button", name="结案归档").click()
    expect(staff.locator(".messages")).to_contain_text("事项已结案")
    expect(staff.locator("h1")).to_contain_text("已结案")
    expect(_step(staff, "closed")).to_have_class(re.compile(r"\bdone\b"))
    staff.close()
