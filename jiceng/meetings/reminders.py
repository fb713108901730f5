"""Reminders of a held meeting's publication deadline (R-HEAR-15, R-EVAL-12): before the last day, and once
more the day after it if nothing was published. The accountability scan (issue #6) turns the lateness
into a Finding; here people are told in time."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jiceng.notify import services as notify
from jiceng.rules.base import Rule

from .models import Kind, Meeting
from .schedules import responsible_users

# The seeds give no lead time for these reminders; two days leaves time to post the board.
LEAD_DAYS = 2
REMIND_AT_HOUR = 9


def _key(meeting: Meeting, rule_id: str) -> str:
    return f"{rule_id}:meeting:{meeting.pk}"


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(REMIND_AT_HOUR)))


def schedule_publication_reminders(meeting: Meeting, *, rule: Rule, due: datetime.date) -> int:
    """Called when a meeting is held; schedules (idempotently) the reminder and the overdue notice."""
    if meeting.results_published_on is not None:
        return 0
    recipients = responsible_users([meeting.body], timezone.localdate())[meeting.body.pk]
    what = str(Kind(meeting.kind).label).split("（")[0]
    board = "党务公开栏" if meeting.kind == Kind.EVALUATION_MEETING else "居务公开栏"
    link = f"/meetings/{meeting.pk}/"
    notify.schedule_reminder(
        key=f"{_key(meeting, rule.id)}:due", due_at=_at(due - datetime.timedelta(days=LEAD_DAYS)),
        recipients=recipients, title=f"提醒：{meeting.title}结果待公布",
        body=f"{what}「{meeting.title}」已于{meeting.occurred_on}召开，其结果须在{board}公布。",
        rule_id=rule.id, deadline=due, link=link, subject=meeting)
    notify.schedule_reminder(
        key=f"{_key(meeting, rule.id)}:overdue", due_at=_at(due + datetime.timedelta(days=1)),
        recipients=recipients, title=f"逾期：{meeting.title}结果未按时公布",
        body=f"{what}「{meeting.title}」的结果未在期限内于{board}公布。", rule_id=rule.id, deadline=due,
        link=link, subject=meeting)
    return 2


def cancel_publication_reminders(meeting: Meeting, *, rule: Rule) -> int:
    return notify.cancel_reminders(_key(meeting, rule.id))
