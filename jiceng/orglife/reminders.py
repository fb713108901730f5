"""REMIND duties of organisational life (rules-core §0.1), sent by `jiceng tick` once per period and key:

- R-EDU-02: a party organisation without a logged e-education screening this month, from 7 days before its end;
- R-DEMEV-01: a party organisation without a closed democratic evaluation this year, from 1 December.

A pending reminder whose duty has since been met is cancelled. Recipients are the organisation's secretary and the
users who run meetings on its area (the same people the 三会一课 reminders reach, jiceng/meetings/schedules.py).
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from jiceng.core.ticking import register_tick
from jiceng.meetings.schedules import period_bounds, responsible_users
from jiceng.orgs.models import Body
from jiceng.rules import orglife as r

from .models import EvaluationRound, Screening

SCREENING_LEAD_DAYS = 7                  # NOT IN SOURCE: days before the month ends
EVALUATION_FROM = (12, 1)                # NOT IN SOURCE: the year-end window (rules-core §0.3, 年底 = December)


def screening_key(body_id: int, month_start: datetime.date) -> str:
    return f"{r.EDU_MONTHLY.id}:party_org:{body_id}:{month_start.isoformat()}"


def evaluation_key(body_id: int, year: int) -> str:
    return f"{r.DEMEV_CADENCE.id}:party_org:{body_id}:{year}"


@register_tick("orglife.reminders")
def schedule_due_reminders(now: datetime.datetime) -> int:
    """Schedule the reminders due on `now`'s local date; return how many were scheduled."""
    from jiceng.notify import services as notify
    from jiceng.notify.models import Reminder

    today = timezone.localdate(now)
    bodies = list(Body.objects.active(today).filter(kind__in=Body.PARTY_ORG_KINDS).select_related("area")
                  .order_by("pk"))
    if not bodies:
        return 0
    month_start, month_end = period_bounds("month", today)
    screened = set(Screening.objects.filter(party_org__in=bodies, held_on__range=(month_start, month_end))
                   .values_list("party_org_id", flat=True))
    evaluated = set(EvaluationRound.objects.filter(party_org__in=bodies, year=today.year,
                                                   status=EvaluationRound.Status.CLOSED)
                    .values_list("party_org_id", flat=True))
    wanted: dict[str, tuple[Body, str, str, datetime.date, str]] = {}
    met: list[str] = []
    for body in bodies:
        key = screening_key(body.pk, month_start)
        if body.pk in screened:
            met.append(key)
        elif today >= month_end - datetime.timedelta(days=SCREENING_LEAD_DAYS):
            wanted[key] = (body, "提醒：本月尚未组织党员收看电教片",
                           f"{body.name}本月尚未登记电教片收看，须于 {month_end} 前组织一次。", month_end,
                           r.EDU_MONTHLY.id)
        key = evaluation_key(body.pk, today.year)
        if body.pk in evaluated:
            met.append(key)
        elif (today.month, today.day) >= EVALUATION_FROM:
            year_end = datetime.date(today.year, 12, 31)
            wanted[key] = (body, f"提醒：{today.year}年度民主评议党员尚未完成",
                           f"{body.name}{today.year}年度民主评议党员尚未结束，须于 {year_end} 前完成。", year_end,
                           r.DEMEV_CADENCE.id)
    for key in Reminder.objects.filter(key__in=met, sent_at__isnull=True, cancelled_at__isnull=True) \
            .values_list("key", flat=True):
        notify.cancel_reminders(key)
    known = set(Reminder.objects.filter(key__in=list(wanted), cancelled_at__isnull=True)
                .values_list("key", flat=True))
    todo = {key: value for key, value in wanted.items() if key not in known}
    if not todo:
        return 0
    recipients = responsible_users([body for body, *_rest in todo.values()], today)
    for key, (body, title, text, deadline, rule_id) in todo.items():
        notify.schedule_reminder(key=key, due_at=now, recipients=recipients[body.pk], title=title, body=text,
                                 rule_id=rule_id, deadline=deadline,
                                 link=reverse("web:orglife_participation") + f"?party_org={body.pk}", subject=body)
    return len(todo)
