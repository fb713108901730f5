"""A worker's main journey in a real browser: log in, find 张三 by initials, open his page (Chromium through
Playwright against pytest-django's live server; see tests/web/browsers.py)."""

import re

import pytest

from tests import builders
from tests.web.browsers import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(world):
    """The world plus 王五, a second resident of A whom a search for "zs" must hide."""
    builders.make_person(world.root, world.building_a, "王五", phone="13700009999")
    return world


@pytest.fixture
def browser(scene):
    with chromium() as browser:  # after `scene`: its rows are written before the browser starts
        yield browser


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_worker_logs_in_finds_zhang_san_by_initials_and_opens_his_page(live_server, scene, browser, width):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": width, "height": 800})
    page.set_default_timeout(10_000)

    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "worker_a")
    page.fill("input[name=password]", builders.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("#scope-tree")).to_contain_text("长春路社区")

    page.goto(f"{live_server.url}/people/")
    results = page.locator("#people-results")
    expect(results).to_contain_text("王五")  # the directory before any search
    page.locator("input[name=q]").press_sequentially("zs", delay=50)
    # htmx swaps the table in place: 张三 stays, 王五 goes, and the URL records the search.
    row = results.locator("tbody tr", has_text="张三")
    expect(row).to_have_count(1)
    expect(results).not_to_contain_text("王五")
    expect(page).to_have_url(re.compile(r"/people/\?q=zs$"))

    row.get_by_role("link", name="张三").click()
    page.wait_for_url(f"{live_server.url}/people/{scene.zhang.pk}/")
    expect(page.locator("h1")).to_contain_text("张三")
    expect(page.locator("main")).to_contain_text("13812341234")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling of the page
    page.close()


def test_expanding_a_node_of_the_scope_tree_loads_its_children(live_server, scene, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "street_admin")
    page.fill("input[name=password]", builders.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    tree = page.locator("#scope-tree")
    expect(tree).not_to_contain_text("第一网格")
    tree.locator("details[hx-get]", has_text="长春路社区").locator("summary").first.click(position={"x": 4, "y": 8})
    expect(tree).to_contain_text("第一网格")
    page.close()
