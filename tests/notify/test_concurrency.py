"""Two ticks, or two workers, at the same moment: every reminder is still sent exactly once.

These tests commit for real (transactional database), so tasks enqueued on commit run as they would
under cron and a worker; on PostgreSQL the threads contend for the same rows.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jiceng.core.ticking import run_tick
from jiceng.notify import services
from jiceng.notify.models import Notification, Reminder

from .support import hearing_reminder

REMINDERS = 20


def at_once(fn: Callable[[], object], times: int = 2) -> list:
    """Run `fn` in `times` threads released together; each thread closes its own connection."""
    barrier = threading.Barrier(times)

    def run():
        barrier.wait()
        try:
            return fn()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=times) as pool:
        return [f.result() for f in [pool.submit(run) for _ in range(times)]]


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_send_each_reminder_exactly_once(world, mailoutbox, sms_outbox):
    get_user_model().objects.filter(pk=world.worker_a.pk).update(email="worker_a@example.org")
    for i in range(REMINDERS):
        hearing_reminder(world, key=f"R-HEAR-15:meeting:{i}:due", recipients=[world.worker_a, world.worker_b])
    now = timezone.now()

    counts = at_once(lambda: run_tick(now)["notify.reminders"])

    assert sum(counts) == REMINDERS
    assert Reminder.objects.filter(sent_at__isnull=False).count() == REMINDERS
    assert Notification.objects.count() == 2 * REMINDERS
    assert Notification.objects.filter(recipient=world.worker_a).values("title", "body").distinct().count() == 1
    assert len(mailoutbox) == REMINDERS  # worker_a's address; worker_b has none


@pytest.mark.django_db(transaction=True)
def test_two_workers_given_the_same_reminder_send_it_once(world):
    reminder = hearing_reminder(world, recipients=[world.worker_a, world.worker_b])

    sent = at_once(lambda: services.deliver_reminder(reminder.pk))

    assert sorted(sent) == [False, True]
    assert Notification.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_worker_runs_what_the_tick_queued_in_the_database(world, settings, mailoutbox, capsys):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    get_user_model().objects.filter(pk=world.worker_a.pk).update(email="worker_a@example.org")
    hearing_reminder(world)

    call_command("tick")
    # queued, not run: no worker yet (after 2 a.m. the tick also queues the day's compliance scan)
    assert DBTaskResult.objects.filter(task_path__endswith=".send_reminder").count() == 1
    assert not Notification.objects.exists()

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    assert Reminder.objects.get().sent_at is not None
    assert Notification.objects.count() == 1
    assert len(mailoutbox) == 1  # the worker also ran the e-mail delivery the reminder queued
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
