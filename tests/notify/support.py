"""Helpers for the notify tests: a recording SMS gateway and a reminder as a meeting would schedule it."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jiceng.notify.services import schedule_reminder
from jiceng.notify.sms import SmsGateway


class RecordingSmsGateway(SmsGateway):
    """Keeps what would have been sent, for the tests to read."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))


def hearing_reminder(world, **kw):
    """A reminder for the result publication of a hearing (R-HEAR-15), due a minute ago unless told."""
    values = {
        "key": "R-HEAR-15:meeting:42:due",
        "due_at": timezone.now() - datetime.timedelta(minutes=1),
        "recipients": [world.worker_a],
        "title": "提醒：听证会结果公开期限",
        "body": "听证会结果尚未公开。",
        "rule_id": "R-HEAR-15",
        "deadline": datetime.date(2025, 3, 17),
        "link": "/meetings/42/",
    }
    return schedule_reminder(**(values | kw))
