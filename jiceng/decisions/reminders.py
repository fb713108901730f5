"""Reminders of a matter's deadlines: publishing the resolution within R-WF-09's days of the vote."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jiceng.meetings.schedules import responsible_users
from jiceng.notify import services as notify
from jiceng.orgs.models import Body
from jiceng.rules import decisions as r
from jiceng.rules.base import check

LEAD_DAYS = 2  # NOT IN SOURCE: the reminder goes out two days before the last day
REMIND_AT_HOUR = 9


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(REMIND_AT_HOUR)))


def _key(matter) -> str:
    return f"{r.RESOLUTION_PUBLISHED.id}:matter:{matter.pk}"


def schedule_resolution_publication(matter) -> None:
    resolved_on = timezone.localdate(matter.resolved_at)
    due = check(r.RESOLUTION_PUBLISHED, area=matter.community, on=resolved_on, event_on=resolved_on).value
    bodies = list(Body.objects.filter(area=matter.community, kind=Body.Kind.RESIDENTS_COMMITTEE))
    recipients = set().union(*responsible_users(bodies, timezone.localdate()).values()) if bodies else set()
    if not recipients:
        return
    common = {"recipients": recipients, "rule_id": r.RESOLUTION_PUBLISHED.id, "deadline": due,
              "link": f"/matters/{matter.pk}/", "subject": matter}
    notify.schedule_reminder(key=f"{_key(matter)}:due", due_at=_at(max(due - datetime.timedelta(days=LEAD_DAYS),
                                                                       timezone.localdate())),
                             title=f"提醒：「{matter.title}」决议待公开",
                             body="居民代表会议（居民会议）决议须书面公示或口头告知。",
                             **common)
    notify.schedule_reminder(key=f"{_key(matter)}:overdue", due_at=_at(due + datetime.timedelta(days=1)),
                             title=f"逾期：「{matter.title}」决议未按期公开", body="决议公开已超过期限。", **common)


def cancel_resolution_publication(matter) -> None:
    notify.cancel_reminders(_key(matter))
