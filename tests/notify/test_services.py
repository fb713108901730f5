"""notify, reminders and the tick: each reminder is sent once, when due, naming its rule and deadline."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from jiceng.core.errors import NotFound
from jiceng.core.ticking import run_tick
from jiceng.notify import services
from jiceng.notify.models import Notification, Reminder
from jiceng.notify.sms import ConsoleSmsGateway
from jiceng.notify.tasks import enqueue_due_reminders, send_reminder

from .support import hearing_reminder

MINUTE = datetime.timedelta(minutes=1)


# schedule_reminder -----------------------------------------------------------------------------------------


def test_schedule_reminder_is_idempotent_on_key(world):
    first = hearing_reminder(world, due_at=timezone.now() + MINUTE)
    later = timezone.now() + 60 * MINUTE
    second = hearing_reminder(world, due_at=later, recipients=[world.worker_b, world.street_admin])
    assert second.pk == first.pk
    assert Reminder.objects.count() == 1
    reminder = Reminder.objects.get()
    assert reminder.due_at == later
    assert set(reminder.recipients.all()) == {world.worker_b, world.street_admin}


def test_rescheduling_a_sent_reminder_changes_nothing(world, django_capture_on_commit_callbacks):
    hearing_reminder(world)
    with django_capture_on_commit_callbacks(execute=True):
        run_tick(timezone.now())
    sent = Reminder.objects.get()
    again = hearing_reminder(world, due_at=timezone.now() - MINUTE, recipients=[world.worker_b])
    assert again.sent_at == sent.sent_at
    assert list(again.recipients.all()) == [world.worker_a]
    with django_capture_on_commit_callbacks(execute=True):
        assert run_tick(timezone.now())["notify.reminders"] == 0
    assert Notification.objects.count() == 1


def test_reminder_message_names_the_rule_and_the_deadline(world):
    reminder = hearing_reminder(world)
    assert reminder.body.startswith("听证会结果尚未公开。\n依据 R-HEAR-15")
    assert reminder.body.endswith("须于 2025-03-17 前办理。")
    assert reminder.deadline == datetime.date(2025, 3, 17)


def test_reminder_message_names_a_rule_the_rulebook_does_not_know_by_its_id(world):
    reminder = hearing_reminder(world, rule_id="R-TEST-99")
    assert reminder.body == "听证会结果尚未公开。\n依据 R-TEST-99，须于 2025-03-17 前办理。"


def test_reminder_message_cites_the_article_when_the_rulebook_knows_the_rule(world):
    from jiceng.rules.org import ORG_FORM

    reminder = hearing_reminder(world, rule_id=ORG_FORM.id, body="请核对党组织设置形式。")
    assert f"依据 {ORG_FORM.id}（{ORG_FORM.citation}）" in reminder.body


def test_reminder_message_is_left_alone_when_it_names_rule_and_deadline(world):
    body = "依据 R-HEAR-15（《听证会规则》第十五条）须于 2025-03-17 前公开结果。"
    assert hearing_reminder(world, body=body).body == body


def test_deadline_at_a_moment_is_shown_in_local_time(world):
    deadline = datetime.datetime(2025, 3, 17, 6, 0, tzinfo=datetime.UTC)  # 14:00 in Shanghai
    reminder = hearing_reminder(world, deadline=deadline, body="会议即将开始。")
    assert "须于 2025-03-17 14:00 前" in reminder.body
    assert reminder.deadline_at == deadline and reminder.deadline_on is None


@pytest.mark.parametrize("bad", [
    {"key": "  "},
    {"due_at": datetime.datetime(2025, 3, 1, 9, 0)},
    {"deadline": "2025-03-17"},
    {"link": "https://elsewhere.example/"},
    {"link": "//elsewhere.example/"},
    {"link": "javascript:alert(1)"},
])
def test_schedule_reminder_refuses_malformed_input(world, bad):
    with pytest.raises(ValueError):
        hearing_reminder(world, **bad)
    assert not Reminder.objects.exists()


# Sending once ----------------------------------------------------------------------------------------------


def test_due_reminder_is_sent_exactly_once_across_two_ticks(people, mailoutbox, django_capture_on_commit_callbacks):
    hearing_reminder(people, recipients=[people.worker_a, people.worker_b])
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        first = run_tick(now)
    with django_capture_on_commit_callbacks(execute=True):
        second = run_tick(now + MINUTE)
    assert first["notify.reminders"] == 1
    assert second["notify.reminders"] == 0
    reminder = Reminder.objects.get()
    assert reminder.enqueued_at == now and reminder.sent_at is not None
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["worker_a", "worker_b"]
    assert [m.to for m in mailoutbox] == [["worker_a@example.org"]]  # worker_b has no address


def test_reminder_not_yet_due_waits(world, django_capture_on_commit_callbacks):
    hearing_reminder(world, due_at=timezone.now() + 10 * MINUTE)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_tick(timezone.now())["notify.reminders"] == 0
    assert not Notification.objects.exists()


def test_cancelled_reminder_is_never_sent(world, django_capture_on_commit_callbacks):
    hearing_reminder(world)
    kept = hearing_reminder(world, key="R-HEAR-15:meeting:420:due")
    assert services.cancel_reminders("R-HEAR-15:meeting:42") == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert run_tick(timezone.now())["notify.reminders"] == 1
    assert Reminder.objects.get(key="R-HEAR-15:meeting:42:due").sent_at is None
    assert Reminder.objects.filter(sent_at__isnull=False).get() == kept
    assert Notification.objects.count() == 1


def test_reminder_cancelled_after_it_was_enqueued_is_not_sent(world, django_capture_on_commit_callbacks):
    hearing_reminder(world)
    with django_capture_on_commit_callbacks() as enqueued:
        assert enqueue_due_reminders(timezone.now()) == 1
    services.cancel_reminders("R-HEAR-15:meeting:42:due")
    with django_capture_on_commit_callbacks(execute=True):
        for callback in enqueued:
            callback()
    assert Reminder.objects.get().sent_at is None
    assert not Notification.objects.exists()


def test_reminder_moved_later_after_it_was_enqueued_is_not_sent_by_the_old_task(
        world, django_capture_on_commit_callbacks):
    reminder = hearing_reminder(world)
    with django_capture_on_commit_callbacks() as enqueued:
        enqueue_due_reminders(timezone.now())
    later = timezone.now() + 30 * MINUTE
    hearing_reminder(world, due_at=later)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in enqueued:  # the task enqueued for the old time
            callback()
    assert not Notification.objects.exists()
    assert Reminder.objects.get().enqueued_at is None  # back in the queue for the new time
    hearing_reminder(world, due_at=timezone.now() - MINUTE)  # and, when due, sent by the next tick
    with django_capture_on_commit_callbacks(execute=True):
        assert run_tick(timezone.now())["notify.reminders"] == 1
    assert send_reminder.call(reminder.pk) is False  # already sent: a retried task sends nothing
    assert Notification.objects.count() == 1


def test_cancelled_reminder_comes_back_when_scheduled_again(world, django_capture_on_commit_callbacks):
    hearing_reminder(world)
    services.cancel_reminders("R-HEAR-15:meeting:42")
    hearing_reminder(world)
    with django_capture_on_commit_callbacks(execute=True):
        run_tick(timezone.now())
    assert Notification.objects.count() == 1


def test_cancel_reminders_by_subject(world):
    hearing_reminder(world, subject=world.a)
    hearing_reminder(world, key="R-HEAR-16:meeting:42:due", subject=world.a)
    hearing_reminder(world, key="R-HEAR-15:meeting:43:due", subject=world.b)
    assert services.cancel_reminders(subject=world.a) == 2
    assert list(Reminder.objects.filter(cancelled_at__isnull=True).values_list("key", flat=True)) == [
        "R-HEAR-15:meeting:43:due"]


def test_cancel_reminders_refuses_to_cancel_everything(world):
    hearing_reminder(world)
    with pytest.raises(ValueError):
        services.cancel_reminders(":")
    assert Reminder.objects.get().cancelled_at is None


def test_claimed_but_unsent_reminder_is_enqueued_again_after_the_retry_time(
        world, settings, django_capture_on_commit_callbacks):
    hearing_reminder(world)
    now = timezone.now()
    with django_capture_on_commit_callbacks():  # claimed, but the process died before the enqueue ran
        enqueue_due_reminders(now)
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due_reminders(now + MINUTE) == 0
    retry_at = now + datetime.timedelta(minutes=settings.JICENG_REMINDER_RETRY_MINUTES + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due_reminders(retry_at) == 1
    assert Notification.objects.count() == 1


def test_reminder_rolled_back_with_its_change_is_never_sent(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            hearing_reminder(world)
            raise RuntimeError("the meeting was not saved")
        run_tick(timezone.now())
    assert not Reminder.objects.exists() and not Notification.objects.exists()


# notify ----------------------------------------------------------------------------------------------------


def test_notify_writes_an_inbox_row_and_sends_email_and_sms(people, mailoutbox, sms_outbox,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rows = services.notify(recipients=[people.worker_a, people.zhang_user, people.worker_a.pk],
                               title="会议通知", body="明天上午九点召开两委会议。", rule_id="R-HEAR-15",
                               link="/meetings/42/")
    assert [row.recipient for row in rows] == [people.worker_a, people.zhang_user]
    assert Notification.objects.count() == 2
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["worker_a@example.org"] and mail.subject == "会议通知"
    assert "明天上午九点召开两委会议。" in mail.body and "R-HEAR-15" in mail.body and "/meetings/42/" in mail.body
    assert sms_outbox == [("13812341234", "【基层治理平台】会议通知：明天上午九点召开两委会议。")]
    by_user = dict(Notification.objects.values_list("recipient__username", "channel_results"))
    assert by_user == {"worker_a": {"email": "sent", "sms": "no_mobile"},
                       "zhang_user": {"email": "no_address", "sms": "sent"}}


def test_notify_sends_nothing_outside_the_inbox_before_commit(people, mailoutbox, sms_outbox,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.notify(recipients=[people.worker_a, people.zhang_user], title="会议通知", body="……")
            raise RuntimeError("rolled back")
    assert not Notification.objects.exists()
    assert mailoutbox == [] and sms_outbox == []


def test_notify_leaves_out_inactive_users(world):
    world.worker_b.is_active = False
    world.worker_b.save(update_fields=["is_active"])
    rows = services.notify(recipients=[world.worker_a, world.worker_b], title="通知", body="内容")
    assert [row.recipient for row in rows] == [world.worker_a]


def test_a_failing_mail_server_does_not_stop_the_sms(people, monkeypatch, sms_outbox,
                                                     django_capture_on_commit_callbacks):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPException("refused")

    monkeypatch.setattr(services, "send_mail", refuse)
    people.zhang_user.email = "zhang@example.org"
    people.zhang_user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[people.zhang_user], title="通知", body="内容")
    assert Notification.objects.get().channel_results == {"email": "failed:SMTPException", "sms": "sent"}
    assert len(sms_outbox) == 1


def test_each_notification_is_delivered_once(people, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [row] = services.notify(recipients=[people.worker_a], title="通知", body="内容")
    assert services.deliver(row.pk) == {}
    assert len(mailoutbox) == 1


def test_sms_can_be_turned_off(people, settings, django_capture_on_commit_callbacks):
    settings.JICENG_SMS_GATEWAY = ""
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[people.zhang_user], title="通知", body="内容")
    assert Notification.objects.get().channel_results["sms"] == "off"


def test_console_sms_gateway_logs_a_masked_number(caplog):
    with caplog.at_level(logging.INFO, logger="jiceng.notify.sms"):
        ConsoleSmsGateway().send("13812341234", "会议通知")
    assert "138****1234" in caplog.text and "13812341234" not in caplog.text
    assert "会议通知" in caplog.text


def test_a_mistyped_sms_gateway_fails_the_startup_checks(settings):
    from jiceng.notify.apps import sms_gateway_is_usable

    assert sms_gateway_is_usable(None) == []
    settings.JICENG_SMS_GATEWAY = "jiceng.notify.sms.NoSuchGateway"
    assert [e.id for e in sms_gateway_is_usable(None)] == ["notify.E001"]
    settings.JICENG_SMS_GATEWAY = "jiceng.notify.sms.SmsError"
    assert [e.id for e in sms_gateway_is_usable(None)] == ["notify.E002"]


def test_mark_read_keeps_the_first_reading_time(world):
    [row] = services.notify(recipients=[world.worker_a], title="通知", body="内容")
    first = services.mark_read(world.worker_a, row).read_at
    assert first is not None
    assert services.mark_read(world.worker_a, row).read_at == first


def test_mark_read_refuses_someone_elses_notification(world):
    [row] = services.notify(recipients=[world.worker_a], title="通知", body="内容")
    with pytest.raises(NotFound):
        services.mark_read(world.worker_b, row)
    row.refresh_from_db()
    assert row.read_at is None


# The tick command ------------------------------------------------------------------------------------------


def test_tick_command_reports_what_it_enqueued(world, capsys, django_capture_on_commit_callbacks):
    hearing_reminder(world)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("tick")
    assert "notify.reminders: 1" in capsys.readouterr().out
    assert Notification.objects.count() == 1
