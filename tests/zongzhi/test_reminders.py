"""Reminders before the deadlines and the district's own report day (V-REPORT, CONFIG)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiceng.notify.models import Reminder
from jiceng.orgs import services as orgs
from jiceng.orgs.models import Role
from jiceng.rules import services as rulebook
from jiceng.zongzhi import reminders, services
from tests import builders

from .conftest import days_ago, mediate, register

pytestmark = pytest.mark.django_db


def test_follow_up_reminder_follows_the_report_and_is_cancelled_by_the_visit(zz):
    dispute = register(zz, ago=3)
    mediate(zz, dispute, ago=2)
    services.report_closed(zz.worker_a, dispute, outcome="resolved", result="调结", occurred_at=days_ago(1))
    dispute.refresh_from_db()
    key = f"A-ZZ-25:dispute:{dispute.pk}:follow_up:overdue"
    reminder = Reminder.objects.get(key=key)
    assert reminder.deadline_on == dispute.follow_up_due and reminder.cancelled_at is None
    assert Reminder.objects.get(key=f"A-ZZ-78:dispute:{dispute.pk}:mediation:due").cancelled_at is not None
    services.record_follow_up(zz.worker_a, dispute, visited_on=timezone.localdate(), situation="稳定")
    reminder.refresh_from_db()
    assert reminder.cancelled_at is not None


def test_mediation_reminder_goes_out_three_days_before(zz):
    dispute = register(zz, ago=0)
    reminder = Reminder.objects.get(key=f"A-ZZ-78:dispute:{dispute.pk}:mediation:due")
    assert timezone.localdate(reminder.due_at) == dispute.mediation_due - datetime.timedelta(days=3)
    assert set(reminder.recipients.values_list("pk", flat=True)) == {zz.worker_a.pk}


def test_cadence_tick_reminds_office_of_missing_screening_once(zz):
    director = zz.mediator_a
    orgs.add_membership(zz.root, person=director, body=zz.office_a, role=Role.CGO_DIRECTOR,
                        start_on=datetime.date(2021, 1, 1))
    builders.make_user(zz.root, "cgo_a", "community_worker", zz.a, person=director)
    now = timezone.now().replace(minute=0)
    assert reminders.schedule_cadence_reminders(now.replace(minute=1)) == 0      # only on the hour
    assert reminders.schedule_cadence_reminders(now) >= 1
    period_start = timezone.localdate(now) - datetime.timedelta(days=timezone.localdate(now).weekday())
    key = f"A-ZZ-66:area:{zz.a.pk}:{period_start}"
    assert Reminder.objects.filter(key=key).count() == 1
    reminders.schedule_cadence_reminders(now)
    assert Reminder.objects.filter(key=key).count() == 1
    services.record_round(zz.worker_a, area=zz.a, held_on=timezone.localdate(), findings=[])
    assert Reminder.objects.get(key=key).cancelled_at is not None


def test_district_may_choose_the_25th_of_the_same_month(zz):
    rulebook.adopt_version(zz.root, district=zz.district, effective_from=datetime.date(2020, 1, 1),
                           overrides={"A-ZZ-27": {"due": "same_month_day_25"}})
    last = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    report = services.submit_report(zz.staff, area=zz.street, period="month", period_start=last)
    assert report.due_on == last.replace(day=25) and report.rulebook_version
