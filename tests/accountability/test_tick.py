"""The scan runs once a day from the tick, however many ticks or machines there are."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jiceng.accountability.models import ScanRun
from jiceng.accountability.tasks import enqueue_daily_scan


def test_the_daily_scan_is_claimed_once_after_two_in_the_morning(db, django_capture_on_commit_callbacks):
    day = timezone.localdate()
    night = timezone.make_aware(datetime.datetime.combine(day, datetime.time(1, 59)))
    assert enqueue_daily_scan(night) == 0
    morning = timezone.make_aware(datetime.datetime.combine(day, datetime.time(2, 0)))
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_daily_scan(morning) == 1
    assert enqueue_daily_scan(morning) == 0
    assert ScanRun.objects.filter(day=day).count() == 1


def test_the_half_year_assessment_is_reminded_once_in_january_and_july(acc_world):
    from jiceng.accountability.tasks import remind_half_year_assessment
    from jiceng.notify.models import Reminder

    july = timezone.make_aware(datetime.datetime(2026, 7, 1, 9))
    june = timezone.make_aware(datetime.datetime(2026, 6, 30, 9))
    assert remind_half_year_assessment(june) == 0
    assert remind_half_year_assessment(july) == 1
    remind_half_year_assessment(july)
    reminder = Reminder.objects.get(key__startswith="R-ACC-11:")
    assert reminder.key.endswith(":2026-01-01") and acc_world.decider in reminder.recipients.all()
