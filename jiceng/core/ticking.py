"""Periodic jobs: what `jiceng tick` runs every minute (ARCHITECTURE §8).

A capability registers a job once, at import (its apps.py `ready` imports the module):

    @register_tick("notify.reminders")
    def enqueue_due_reminders(now: datetime) -> int:
        ...

A job takes the tick's time and returns how many things it did (usually: tasks enqueued). Cron or a
timer may start a tick while the previous one still runs, and several machines may tick at once, so a
job must be safe to run twice at the same time: it claims each row with a conditional UPDATE and
enqueues after commit (STYLE §7), and does the real work in a task.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.utils import timezone

logger = logging.getLogger(__name__)

TickJob = Callable[[datetime.datetime], int]

_JOBS: dict[str, TickJob] = {}


class TickFailed(Exception):
    """Some jobs raised; the others ran. `counts` holds what the others did, `failed` the names that raised."""

    def __init__(self, counts: dict[str, int], failed: list[str]):
        super().__init__(f"tick jobs failed: {', '.join(failed)}")
        self.counts = counts
        self.failed = failed


def register_tick(name: str) -> Callable[[TickJob], TickJob]:
    """Register `fn(now) -> int` under `name` ("<app>.<what>"), to run on every tick; returns fn unchanged.

    Raises ValueError when another function already holds `name`."""

    def register(fn: TickJob) -> TickJob:
        held = _JOBS.get(name)
        if held is not None and held is not fn:
            raise ValueError(f"tick job {name!r} is already registered by {held.__module__}.{held.__qualname__}")
        _JOBS[name] = fn
        return fn

    return register


def registered() -> list[str]:
    return sorted(_JOBS)


def run_tick(now: datetime.datetime) -> dict[str, int]:
    """Run every registered job with `now` (aware) and return {job name: count}, in name order.

    A job that raises does not stop the others: its error is logged, and once all have run TickFailed
    is raised carrying the counts of the rest. Raises ValueError for a naive `now`."""
    if timezone.is_naive(now):
        raise ValueError("run_tick needs a timezone-aware time")
    counts: dict[str, int] = {}
    failed: list[str] = []
    for name in sorted(_JOBS):
        try:
            counts[name] = _JOBS[name](now)
        except Exception:
            logger.exception("tick job %s failed", name)
            failed.append(name)
    if failed:
        raise TickFailed(counts, failed)
    return counts
