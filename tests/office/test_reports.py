"""Work reports and study (A-RPT-01/02/04/20): rules at their edges and the scan findings."""

from __future__ import annotations

import datetime

import pytest

from jiceng.accountability.checks import Scope
from jiceng.core.errors import RuleViolation
from jiceng.office import checks, services
from jiceng.rules import office as r

D = datetime.date


def test_summary_due_dates():
    assert r.summaries_due(r.WORK_SUMMARY.params, year=2024) == {"half_year_summary": D(2024, 7, 10),
                                                                 "year_summary": D(2025, 1, 10)}


@pytest.mark.parametrize(("day", "quarter"), [(D(2024, 1, 1), (D(2024, 1, 1), D(2024, 3, 31))),
                                              (D(2024, 6, 30), (D(2024, 4, 1), D(2024, 6, 30))),
                                              (D(2024, 12, 31), (D(2024, 10, 1), D(2024, 12, 31)))])
def test_quarter_bounds(day, quarter):
    assert r.quarter_of(r.QUARTERLY_REPORT.params, day=day) == quarter


@pytest.mark.parametrize(("rank", "urgent", "to"), [
    (r.CLERK, False, r.SECTION_HEAD), (r.ORDINARY_STAFF, False, r.SECTION_HEAD),
    (r.SECTION_HEAD, False, r.LEADER_IN_CHARGE), (r.LEADER_IN_CHARGE, False, r.DIRECTOR),
    (r.CLERK, True, r.PRINCIPAL_LEADER)])
def test_report_goes_to_the_next_level(rank, urgent, to):
    assert r.next_level(r.NoParams(), rank=rank, urgent=urgent) == to


def test_study_weeks_missed():
    # Weeks of 3, 10 and 17 Jun 2024; study held on Wed 5 and Wed 19 Jun; today Mon 24 Jun.
    missed = r.study_weeks_missed(r.STUDY_DAY.params, held=[D(2024, 6, 5), D(2024, 6, 19)], since=D(2024, 6, 3),
                                  today=D(2024, 6, 24))
    assert missed == [D(2024, 6, 10)]
    assert r.study_weeks_missed(r.STUDY_DAY.params, held=[], since=D(2024, 6, 3), today=D(2024, 6, 9)) == []


def test_report_skipping_a_level_is_refused(office_world):
    w = office_world
    with pytest.raises(RuleViolation) as refused:
        services.submit_report(w.u.staff, street=w.street, kind="topical", period_start=D(2024, 1, 1),
                               title="防汛工作情况", addressed_to=r.DIRECTOR)
    assert refused.value.rule_id == "A-RPT-04"
    services.submit_report(w.u.staff, street=w.street, kind="topical", period_start=D(2024, 1, 1),
                           title="防汛工作情况", addressed_to=r.SECTION_HEAD)


def test_missing_summaries_and_study_are_found(office_world):
    w = office_world
    scope = Scope(streets=[w.street])
    today = D(2024, 7, 11)
    found = {(f.evidence["kind"], f.evidence["period_start"]) for f in checks.missing_summaries(scope, today)}
    assert {("half_year_summary", "2024-01-01"), ("quarterly_to_pwc", "2024-04-01")} <= found
    services.submit_report(w.u.office_director, street=w.street, kind="half_year_summary",
                           period_start=D(2024, 1, 1), title="2024年上半年工作小结", submitted_on=D(2024, 7, 9))
    found = {(f.evidence["kind"], f.evidence["period_start"]) for f in checks.missing_summaries(scope, today)}
    assert ("half_year_summary", "2024-01-01") not in found
    on_due_day = {(f.evidence["kind"], f.evidence["period_start"]) for f in checks.missing_summaries(
        scope, D(2024, 7, 10))}
    assert ("half_year_summary", "2023-01-01") in on_due_day  # last year's is long overdue
    assert ("year_summary", "2023-01-01") in on_due_day       # due 10 Jan 2024
    services.record_study(w.u.office_director, street=w.street, held_on=D(2024, 7, 3), topic="学习条例",
                           attendees=[w.p.staff, w.p.deputy])
    weeks = {f.evidence["week_of"] for f in checks.missed_study(scope, D(2024, 7, 11))}
    assert "2024-07-01" not in weeks and "2024-06-24" in weeks


def test_street_without_office_posts_is_not_checked(world):
    scope = Scope(streets=[world.street])
    assert list(checks.missing_summaries(scope, D(2024, 7, 11))) == []
    assert list(checks.missed_study(scope, D(2024, 7, 11))) == []
