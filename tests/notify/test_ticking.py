"""The tick registry: capabilities plug periodic jobs in; one failing job does not stop the others."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from jiceng.core import ticking


def test_notify_registers_its_reminder_job():
    assert "notify.reminders" in ticking.registered()


def test_run_tick_runs_every_job_with_the_same_time(monkeypatch, db):
    seen = []
    monkeypatch.setattr(ticking, "_JOBS", {})
    ticking.register_tick("test.one")(lambda now: seen.append(now) or 1)
    ticking.register_tick("test.two")(lambda now: seen.append(now) or 2)
    now = timezone.now()
    assert ticking.run_tick(now) == {"test.one": 1, "test.two": 2}
    assert seen == [now, now]


def test_a_name_is_registered_once(monkeypatch):
    monkeypatch.setattr(ticking, "_JOBS", {})
    ticking.register_tick("test.job")(len)
    ticking.register_tick("test.job")(len)  # the same function again (a module imported twice) is fine
    with pytest.raises(ValueError):
        ticking.register_tick("test.job")(abs)


def test_a_failing_job_does_not_stop_the_others(monkeypatch):
    def broken(now):
        raise RuntimeError("boom")

    monkeypatch.setattr(ticking, "_JOBS", {})
    ticking.register_tick("test.broken")(broken)
    ticking.register_tick("test.fine")(lambda now: 3)
    with pytest.raises(ticking.TickFailed) as failed:
        ticking.run_tick(timezone.now())
    assert failed.value.counts == {"test.fine": 3}
    assert failed.value.failed == ["test.broken"]


def test_tick_command_fails_loudly_when_a_job_fails(monkeypatch, capsys):
    def broken(now):
        raise RuntimeError("boom")

    monkeypatch.setattr(ticking, "_JOBS", {})
    ticking.register_tick("test.broken")(broken)
    ticking.register_tick("test.fine")(lambda now: 3)
    with pytest.raises(CommandError, match="test.broken"):
        call_command("tick")
    assert "test.fine: 3" in capsys.readouterr().out


def test_run_tick_refuses_a_naive_time():
    with pytest.raises(ValueError):
        ticking.run_tick(datetime.datetime(2025, 3, 17, 9, 0))
