"""The daily compliance scan: `jiceng tick` enqueues it once a day, a worker runs it."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from jiceng.core.ticking import register_tick

from .scan import run_scan, scan_once_today

SCAN_HOUR = 2  # at night, when nobody is entering data


@task()
def scan_all() -> dict[str, int]:
    return run_scan()


@register_tick("accountability.scan")
def enqueue_daily_scan(now: datetime.datetime) -> int:
    if timezone.localtime(now).hour < SCAN_HOUR or not scan_once_today(now):
        return 0
    transaction.on_commit(scan_all.enqueue)
    return 1
