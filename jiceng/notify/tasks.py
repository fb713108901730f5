"""Tasks of the notify app, and the tick job that enqueues due reminders.

Tasks are thin and idempotent: each loads its row afresh and calls a service, which claims the row with a
conditional UPDATE, so a task run twice, or by two workers, sends once.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django_tasks import task

from jiceng.core.ticking import register_tick

from . import services
from .models import Reminder

BATCH = 500
MAX_BATCHES = 20  # at most 10,000 reminders per tick; the next tick takes the rest


@task()
def send_reminder(reminder_id: int) -> bool:
    """Send the reminder if it is still due (not sent, cancelled or moved later since it was enqueued)."""
    return services.deliver_reminder(reminder_id)


@task()
def deliver_notification(notification_id: int) -> dict[str, str]:
    """Send an inbox notification by e-mail and SMS, once."""
    return services.deliver(notification_id)


@register_tick("notify.reminders")
def enqueue_due_reminders(now: datetime.datetime) -> int:
    """Claim each reminder due by `now` and enqueue `send_reminder` for it after commit; return how many.

    A reminder claimed but still unsent after settings.JICENG_REMINDER_RETRY_MINUTES (its worker died, or
    the process stopped between commit and enqueue) is claimed and enqueued again; sending stays once,
    because `send_reminder` claims `sent_at` in its turn."""
    retry_before = now - datetime.timedelta(minutes=settings.JICENG_REMINDER_RETRY_MINUTES)
    claimable = (Reminder.objects.filter(due_at__lte=now, sent_at__isnull=True, cancelled_at__isnull=True)
                 .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=retry_before)))
    count = 0
    for _ in range(MAX_BATCHES):
        batch = list(claimable.order_by("due_at", "pk").values_list("pk", "enqueued_at")[:BATCH])
        for pk, claimed_at in batch:
            with transaction.atomic():
                # Conditional UPDATE: if another tick claimed the row first, this updates 0 rows.
                if Reminder.objects.filter(pk=pk, enqueued_at=claimed_at, sent_at__isnull=True,
                                           cancelled_at__isnull=True).update(enqueued_at=now):
                    transaction.on_commit(partial(send_reminder.enqueue, pk))
                    count += 1
        if len(batch) < BATCH:
            break
    return count
