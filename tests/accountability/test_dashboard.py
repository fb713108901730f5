"""The score's definition at its edges, and the dashboard reading pre-aggregated figures."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest
from django.utils import timezone

from jiceng.accountability.models import ComplianceCell
from jiceng.rules import accountability as r
from jiceng.rules import services as rulebook
from jiceng.rules.base import check


@pytest.mark.parametrize(("due", "on_time", "late", "score"), [
    (0, 0, 0, None), (2, 1, 0, Fraction(1, 2)), (2, 2, 0, Fraction(1)), (3, 0, 3, Fraction(0))])
def test_score_is_the_share_met_on_time(due, on_time, late, score):
    assert check(r.SCORE, due=due, on_time=on_time, late=late).value == score


def test_a_district_may_count_late_work_at_a_weight(world):
    rulebook.adopt_version(world.root, district=world.district, effective_from=datetime.date(2020, 1, 1),
                           overrides={"R-ACC-11": {"late_counts": "1/2"}})
    assert check(r.SCORE, area=world.a, on=timezone.localdate(), due=4, on_time=2, late=2).value == Fraction(3, 4)


def test_dashboard_reads_cells_with_constant_queries(world, api, django_assert_max_num_queries):
    month = timezone.localdate().replace(day=1)
    ComplianceCell.objects.create(area=world.a, month=month, family="disclosure", due=4, on_time=3, late=1)
    caller = api(world.street_admin)
    with django_assert_max_num_queries(20) as one:
        body = caller.get(f"/api/v1/dashboard/{world.street.pk}", since=month.isoformat()).json()
    assert body["communities"][0]["score"] == "0.750" and body["communities"][0]["families"]["disclosure"]["due"] == 4
    ComplianceCell.objects.create(area=world.b, month=month, family="disclosure", due=2, on_time=2)
    ComplianceCell.objects.create(area=world.b, month=month, family="feedback", due=1, on_time=0, late=1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = caller.get(f"/api/v1/dashboard/{world.street.pk}", since=month.isoformat()).json()
    assert [c["name"] for c in body["communities"]] == ["青岛路社区", "长春路社区"]  # worst first: 2/3, 3/4
    assert body["score"] == f"{5 / 7:.3f}"
