"""The rulebook page: the rules in force for the user's district, grouped, with articles and plain parameters."""

import datetime

import pytest
from django.utils import timezone

from jiceng.rules.services import adopt_version

pytestmark = pytest.mark.django_db

D = datetime.date


def test_rules_page_lists_the_hearing_quorum_with_its_article(client, world):
    client.force_login(world.worker_a)
    response = client.get("/rules/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "R-HEAR-08" in html and "第七条(一)3" in html
    assert "应到人数过半数（不含半数）" in html           # R-HEAR-08 in plain words
    assert "全体成员的半数以上（含本数）" in html          # R-PWC-04 (C-16: inclusive by default)
    assert "出席人员的三分之二以上（含本数）" in html      # R-DELIB-07
    assert "提前 3 日" in html and "7 日内" in html and "不少于 50 人" in html and "每月至少 1 次" in html
    assert "ENFORCE-O" in html and "涧西区" in html
    # Groups in the order of the issue: hearings before councils before the PWC …
    assert html.index('id="g-R-HEAR"') < html.index('id="g-R-DELIB"') < html.index('id="g-R-PWC"') \
        < html.index('id="g-R-ORG"')


def test_rules_page_shows_the_district_version_in_force_on_the_date(client, world):
    adopt_version(world.root, district=world.district, effective_from=D(2025, 6, 1),
                  overrides={"R-PWC-04": {"threshold": {"strict": True}}, "R-HEAR-15": {"days": 3}})
    client.force_login(world.worker_a)
    before = client.get("/rules/", {"on": "2025-05-31"}).content.decode()
    assert "全体成员的半数以上（含本数）" in before and f"{world.district.code}@2025-06-01" not in before
    after = client.get("/rules/", {"on": "2025-06-01"}).content.decode()
    assert "全体成员过半数（不含半数）" in after and f"{world.district.code}@2025-06-01" in after
    assert "3 日内" in after


def test_an_invalid_date_falls_back_to_today(client, world):
    client.force_login(world.worker_a)
    response = client.get("/rules/", {"on": "not-a-date"})
    assert response.status_code == 200 and response.context["on"] == timezone.localdate()


def test_rules_page_needs_a_login(client, db):
    assert client.get("/rules/").status_code == 302
