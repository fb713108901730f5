"""The 综治 flags of the compliance scan, each the day before and the day after its deadline."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiceng.accountability.checks import Scope
from jiceng.zongzhi import checks, services
from jiceng.zongzhi.models import Report, Round

from .conftest import days_ago, mediate, register

pytestmark = pytest.mark.django_db


def keys(fn, zz, today=None, streets=False):
    scope = Scope(streets=[zz.street]) if streets else Scope(communities=[zz.a, zz.b])
    return {f.key.split(":")[0] for f in fn(scope, today or timezone.localdate())}


@pytest.mark.parametrize(("ago", "late"), [(29, False), (30, False), (31, True)])
def test_mediation_overdue_day_before_on_and_after(zz, ago, late):
    dispute = register(zz, ago=ago)
    mediate(zz, dispute, ago=ago)
    assert ("zongzhi.dispute_overdue" in keys(checks.overdue_disputes, zz)) is late


@pytest.mark.parametrize(("ago", "late"), [(2, False), (3, False), (4, True)])
def test_dispatch_overdue(zz, ago, late):
    register(zz, ago=ago)
    assert ("zongzhi.assign_overdue" in keys(checks.overdue_disputes, zz)) is late


def test_reported_case_is_no_longer_overdue(zz):
    dispute = register(zz, ago=40)
    mediate(zz, dispute, ago=39)
    services.report_closed(zz.worker_a, dispute, outcome="resolved", result="调结", occurred_at=days_ago(1))
    assert "zongzhi.dispute_overdue" not in keys(checks.overdue_disputes, zz)


def test_two_chasers_on_an_overdue_case_raise_criticism(zz):
    dispute = register(zz, ago=31)
    mediate(zz, dispute, ago=31)
    services.chase(zz.staff, dispute, note="请尽快调结")
    assert "zongzhi.criticism" not in keys(checks.overdue_disputes, zz)
    services.chase(zz.staff, dispute, note="第二次催办")
    assert "zongzhi.criticism" in keys(checks.overdue_disputes, zz)


@pytest.mark.parametrize(("ago", "late"), [(29, False), (30, False), (31, True)])
def test_follow_up_due_thirty_days_after_report(zz, ago, late):
    dispute = register(zz, ago=ago + 2)
    mediate(zz, dispute, ago=ago + 1)
    services.report_closed(zz.worker_a, dispute, outcome="resolved", result="调结", occurred_at=days_ago(ago))
    assert ("zongzhi.follow_up_missing" in keys(checks.missing_follow_ups, zz)) is late
    if late:
        services.record_follow_up(zz.worker_a, dispute, visited_on=timezone.localdate(), situation="稳定")
        assert "zongzhi.follow_up_missing" not in keys(checks.missing_follow_ups, zz)


def test_simple_dispute_leaving_the_community_is_flagged(zz):
    services.escalate(zz.worker_a, register(zz), reason="调解不成")
    services.escalate(zz.staff, register(zz, level="general"), reason="需区级协调")
    found = list(checks.simple_disputes_escalated(Scope(communities=[zz.a]), timezone.localdate()))
    assert len(found) == 1 and found[0].rule_id == "A-ZZ-23"


def _week_start(day):
    return day - datetime.timedelta(days=day.weekday())


def test_screening_cadence_weekly_for_communities(zz):
    today = timezone.localdate()
    monday = _week_start(today)
    last_week, week_before = monday - datetime.timedelta(days=7), monday - datetime.timedelta(days=14)
    for area in (zz.a, zz.b):
        for start in (last_week, week_before):
            services.record_round(zz.staff, area=area, held_on=start, findings=[])
    found = {f.key for f in checks.missing_screenings(Scope(communities=[zz.a, zz.b]), today)}
    assert f"zongzhi.screening_missing:{zz.a.pk}:{last_week}" not in found
    assert f"zongzhi.screening_missing:{zz.a.pk}:{monday}" not in found        # the week still runs
    Round.objects.filter(area=zz.a, period_start=last_week).delete()
    found = {f.key for f in checks.missing_screenings(Scope(communities=[zz.a, zz.b]), today)}
    assert f"zongzhi.screening_missing:{zz.a.pk}:{last_week}" in found          # a "nothing found" round counts
    assert f"zongzhi.screening_missing:{zz.b.pk}:{last_week}" not in found


def test_street_screening_monthly(zz):
    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    found = {f.key for f in checks.missing_screenings(Scope(streets=[zz.street]), today)}
    assert f"zongzhi.screening_missing:{zz.street.pk}:{last_month}" in found
    services.record_round(zz.staff, area=zz.street, held_on=last_month, findings=[])
    found = {f.key for f in checks.missing_screenings(Scope(streets=[zz.street]), today)}
    assert f"zongzhi.screening_missing:{zz.street.pk}:{last_month}" not in found


def test_streets_without_a_centre_are_not_checked(zz):
    zz.centre.closed_on = datetime.date(2020, 6, 1)
    zz.centre.save()
    assert not list(checks.missing_screenings(Scope(communities=[zz.a], streets=[zz.street]), timezone.localdate()))


def test_monthly_report_day_before_and_after_due(zz):
    today = timezone.localdate()
    month = today.replace(day=1)
    last = (month - datetime.timedelta(days=1)).replace(day=1)
    on_due = month.replace(day=5)
    day_after = month.replace(day=6)
    scope = Scope(streets=[zz.street])
    assert f"zongzhi.report_missing:{zz.street.pk}:{last}" not in {
        f.key for f in checks.missing_reports(scope, on_due)}
    assert f"zongzhi.report_missing:{zz.street.pk}:{last}" in {f.key for f in checks.missing_reports(scope, day_after)}
    Report.objects.create(area=zz.street, period="month", period_start=last, period_end=month - datetime.timedelta(1),
                          due_on=on_due, submitted_at=timezone.make_aware(datetime.datetime.combine(
                              on_due, datetime.time(10))), submitted_by=zz.staff)
    assert f"zongzhi.report_missing:{zz.street.pk}:{last}" not in {
        f.key for f in checks.missing_reports(scope, day_after)}


def test_late_report_is_flagged(zz):
    month = timezone.localdate().replace(day=1)
    last = (month - datetime.timedelta(days=1)).replace(day=1)
    Report.objects.create(area=zz.street, period="month", period_start=last, period_end=month - datetime.timedelta(1),
                          due_on=month.replace(day=5), submitted_at=timezone.make_aware(datetime.datetime.combine(
                              month.replace(day=6), datetime.time(10))), submitted_by=zz.staff)
    found = [f for f in checks.missing_reports(Scope(streets=[zz.street]), month.replace(day=7))
             if f.key == f"zongzhi.report_missing:{zz.street.pk}:{last}"]
    assert found and "逾期上报" in found[0].title


def test_community_without_office_is_flagged(zz):
    assert not list(checks.communities_without_office(Scope(communities=[zz.a, zz.b]), timezone.localdate()))
    zz.office_b.closed_on = datetime.date(2021, 1, 1)
    zz.office_b.save()
    found = list(checks.communities_without_office(Scope(communities=[zz.a, zz.b]), timezone.localdate()))
    assert [f.area for f in found] == [zz.b] and found[0].rule_id == "A-ZZ-01"


def test_stale_case_item(zz):
    item = services.list_case_item(zz.staff, area=zz.street, kind="petition", title="反复上访",
                                   person_or_matter="李四", leaders=[zz.mediator_st])
    scope = Scope(streets=[zz.street])
    assert not list(checks.stale_case_items(scope, item.last_progress_on + datetime.timedelta(days=30)))
    assert list(checks.stale_case_items(scope, item.last_progress_on + datetime.timedelta(days=31)))


def test_director_must_be_secretary_or_rc_leader(zz):
    from jiceng.orgs import services as orgs
    from jiceng.orgs.models import Body, Role
    from tests import builders

    director = builders.make_person(zz.root, zz.building_a, "周主任")
    orgs.add_membership(zz.root, person=director, body=zz.office_a, role=Role.CGO_DIRECTOR,
                        start_on=datetime.date(2021, 1, 1))
    scope = Scope(communities=[zz.a])
    found = list(checks.unqualified_directors(scope, timezone.localdate()))
    assert [f.rule_id for f in found] == ["A-ZZ-02"]
    rc = builders.make_body(zz.root, Body.Kind.RESIDENTS_COMMITTEE, zz.a, "长春路社区居委会")
    orgs.add_membership(zz.root, person=director, body=rc, role=Role.RC_DIRECTOR, start_on=datetime.date(2021, 1, 1))
    assert not list(checks.unqualified_directors(scope, timezone.localdate()))
