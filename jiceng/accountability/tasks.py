"""The daily compliance scan: `jiceng tick` enqueues it once a day, a worker runs it."""

from __future__ import annotations

import calendar
import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from jiceng.core.ticking import register_tick

from .scan import run_scan, scan_once_today
from .services import district_deciders

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


@register_tick("accountability.half_year_report")
def remind_half_year_assessment(now: datetime.datetime) -> int:
    """R-ACC-11: when a half-year has ended, remind each district's deciding bodies and administrators, once, to
    assess it; the dashboard for the ended half-year is the report."""
    from jiceng.notify import services as notify
    from jiceng.orgs.models import Area
    from jiceng.rules.accountability import HALF_YEAR_REPORT

    today = timezone.localdate(now)
    if not HALF_YEAR_REPORT.decide(HALF_YEAR_REPORT.params, month=today.month):
        return 0
    ended = today.replace(day=1) - datetime.timedelta(days=1)
    since = ended.replace(month=1 if ended.month <= 6 else 7, day=1)
    half = "上半年" if ended.month <= 6 else "下半年"
    # The seed names no deadline for the assessment itself; the reminder asks for it within the month.
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    sent = 0
    for district in Area.objects.active(today).filter(level=Area.Level.DISTRICT):
        recipients = district_deciders(district, today)
        if not recipients:
            continue
        notify.schedule_reminder(
            key=f"{HALF_YEAR_REPORT.id}:{district.pk}:{since.isoformat()}", due_at=now, recipients=recipients,
            title=f"{ended.year}年{half}民主科学决策机制考核", rule_id=HALF_YEAR_REPORT.id,
            deadline=month_end, subject=district,
            body=f"{ended.year}年{half}已结束，请依据合规概况对各街道、社区进行考核。",
            link=f"/accountability/?area={district.pk}")
        sent += 1
    return sent
