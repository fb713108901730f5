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
