"""Telling people things: `notify` (the one way a message reaches a user) and reminders sent once when due.

A notification is an inbox row written in the caller's transaction; e-mail and SMS go out after commit,
from a worker (`deliver_notification`), so a rolled-back change tells nobody and a slow mail server holds
up no request. Reminders are rows with a due time; `jiceng tick` enqueues those that are due
(tasks.enqueue_due_reminders) and `deliver_reminder` sends each once through `notify`.

Personal data: phone numbers are used to send and never logged unmasked; e-mail addresses are never
logged. These services write no audit events: the rows themselves are the record of who was told what.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from jiceng.core.errors import NotFound
from jiceng.core.masking import MOBILE_PATTERN
from jiceng.rules.base import REGISTRY

from . import sms
from .models import Notification, Reminder

logger = logging.getLogger(__name__)

TITLE_MAX = 200
SMS_MAX = 300  # characters; providers split long texts, but a reminder should read as one message


# Notifications ---------------------------------------------------------------------------------------------


def notify(*, recipients: Iterable, title: str, body: str, rule_id: str = "", link: str = "") -> list[Notification]:
    """Put a message in each recipient's inbox now, and send it by e-mail and SMS after commit.

    `recipients` are users or user IDs; duplicates and inactive users are left out. `link` is a path on
    this site ("/meetings/42/") or empty. Returns the inbox rows, one per recipient. E-mail goes to
    users with an address, SMS to users whose person record has a mobile number, through the gateway
    named by settings.JICENG_SMS_GATEWAY; each notification records what each channel did.

    Raises ValueError for an empty title or a link that is not a path on this site."""
    title = _clip(title.strip(), TITLE_MAX)
    if not title:
        raise ValueError("a notification needs a title")
    _check_link(link)
    user_ids = list(get_user_model().objects.filter(pk__in=_ids(recipients), is_active=True)
                    .order_by("pk").values_list("pk", flat=True))
    if not user_ids:
        return []
    now = timezone.now()
    rows = Notification.objects.bulk_create([
        Notification(recipient_id=pk, title=title, body=body.strip(), rule_id=rule_id, link=link, created_at=now)
        for pk in user_ids
    ])
    transaction.on_commit(partial(_enqueue_deliveries, [row.pk for row in rows]))
    return rows


def _enqueue_deliveries(notification_ids: list[int]) -> None:
    from .tasks import deliver_notification

    for pk in notification_ids:
        deliver_notification.enqueue(pk)


def deliver(notification_id: int) -> dict[str, str]:
    """Send notification `notification_id` by e-mail and SMS, once, and record what each channel did.

    Returns {"email": …, "sms": …} with "sent", "no_address", "no_mobile", "off" or "failed:<error class>";
    an empty dict when another worker has already taken this notification. A failing channel does not
    stop the other and raises nothing: the message is in the inbox whatever happens here."""
    # Conditional UPDATE: of two workers given the same notification, only one updates the row.
    if not Notification.objects.filter(pk=notification_id, delivered_at__isnull=True).update(
            delivered_at=timezone.now()):
        return {}
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    results = {"email": _send_email(notification), "sms": _send_sms(notification)}
    Notification.objects.filter(pk=notification_id).update(channel_results=results)
    return results


def _send_email(notification: Notification) -> str:
    address = notification.recipient.email
    if not address:
        return "no_address"
    lines = [notification.body]
    if notification.rule_id and notification.rule_id not in notification.body:
        lines.append(f"依据：{_rule_reference(notification.rule_id)}")
    if notification.link:
        lines.append(f"查看：{settings.JICENG_SITE_URL}{notification.link}")
    try:
        send_mail(notification.title, "\n\n".join(lines), None, [address])
    except Exception as exc:  # a refusing mail server must not lose the SMS or fail the worker
        logger.warning("e-mail for notification %s failed: %s", notification.pk, type(exc).__name__)
        return f"failed:{type(exc).__name__}"
    return "sent"


def _send_sms(notification: Notification) -> str:
    gateway = sms.gateway()
    if gateway is None:
        return "off"
    phone = _mobile_of(notification.recipient_id)
    if not phone:
        return "no_mobile"
    text = _clip(f"【基层治理平台】{notification.title}：{notification.body}", SMS_MAX)
    try:
        gateway.send(phone, text)
    except Exception as exc:  # a provider outage must not fail the worker; the inbox row stays
        logger.warning("SMS for notification %s failed: %s", notification.pk, type(exc).__name__)
        return f"failed:{type(exc).__name__}"
    return "sent"


def _mobile_of(user_id: int) -> str:
    from jiceng.accounts.models import Account

    phone = (Account.objects.filter(user_id=user_id, person__isnull=False)
             .values_list("person__phone", flat=True).first() or "").strip()
    return phone if MOBILE_PATTERN.fullmatch(phone) else ""


def mark_read(user, notification: Notification) -> Notification:
    """Mark `notification` read by `user`, its recipient. Marking it again keeps the first reading time.

    Raises NotFound when the notification is not `user`'s: the same answer as for one that does not exist."""
    if notification.recipient_id != getattr(user, "pk", None):
        raise NotFound()
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_read(user) -> int:
    """Mark every unread notification of `user` read; returns how many there were."""
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())


# Reminders -------------------------------------------------------------------------------------------------


def schedule_reminder(*, key: str, due_at: datetime.datetime, recipients: Iterable, title: str, body: str,
                      rule_id: str, deadline: datetime.date | datetime.datetime, link: str = "",
                      subject: models.Model | None = None) -> Reminder:
    """Have the reminder `key` sent to `recipients` at `due_at`, once; return its row.

    Idempotent on `key` (e.g. "R-HEAR-15:meeting:42:due"): scheduling a key again updates its time,
    recipients and message instead of adding a second reminder, and brings back a cancelled one; a
    reminder already sent is returned unchanged and never sent again. Moving `due_at` puts the reminder
    back in the queue, and a task enqueued for the old time then finds it not due and sends nothing.

    The message names the rule and the deadline: unless `body` already contains them, "依据 <rule ID>
    （<article>）" and "须于 <deadline> 前" are appended. `deadline` is a date, or an aware datetime for a
    deadline at a moment. `subject` (a saved model instance) is what the reminder is about.

    Raises ValueError for an empty or over-long key, a naive datetime, a deadline that is neither a date
    nor a datetime, a link that is not a path on this site, or an unsaved subject."""
    key = key.strip()
    if not key or len(key) > Reminder._meta.get_field("key").max_length:
        raise ValueError(f"a reminder key must have 1 to 200 characters, not {key!r}")
    _require_aware(due_at, "due_at")
    if isinstance(deadline, datetime.datetime):
        _require_aware(deadline, "deadline")
        deadline_on, deadline_at = None, deadline
    elif isinstance(deadline, datetime.date):
        deadline_on, deadline_at = deadline, None
    else:
        raise ValueError(f"deadline must be a date or a datetime, not {type(deadline).__name__}")
    _check_link(link)
    if subject is not None and subject.pk is None:
        raise ValueError(f"save {subject!r} before reminding of it")
    title = _clip(title.strip(), TITLE_MAX)
    if not title:
        raise ValueError("a reminder needs a title")
    values = {
        "due_at": due_at, "title": title, "body": _with_rule_and_deadline(body.strip(), rule_id, deadline),
        "rule_id": rule_id, "deadline_on": deadline_on, "deadline_at": deadline_at, "link": link,
        "subject_type": ContentType.objects.get_for_model(subject) if subject is not None else None,
        "subject_id": subject.pk if subject is not None else None,
    }
    user_ids = list(get_user_model().objects.filter(pk__in=_ids(recipients)).values_list("pk", flat=True))
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().filter(key=key).first()
        if reminder is None:
            try:
                with transaction.atomic():  # a savepoint: losing the race below leaves the caller usable
                    reminder = Reminder.objects.create(key=key, **values)
            except IntegrityError:
                # Another transaction scheduled this key between our read and our insert: update theirs.
                reminder = Reminder.objects.select_for_update().get(key=key)
            else:
                reminder.recipients.set(user_ids)
                return reminder
        if reminder.sent_at is not None:
            return reminder
        if reminder.due_at != due_at or reminder.cancelled_at is not None:
            values["enqueued_at"] = None  # back in the queue for the new time
        values["cancelled_at"] = None
        for name, value in values.items():
            setattr(reminder, name, value)
        reminder.save(update_fields=list(values))
        reminder.recipients.set(user_ids)
    return reminder


def cancel_reminders(prefix: str | None = None, *, subject: models.Model | None = None) -> int:
    """Cancel the reminders not yet sent under `prefix`, or about `subject`, or both; return how many.

    `prefix` is matched by whole segments of the key: "R-HEAR-15:meeting:42" cancels that key and
    "R-HEAR-15:meeting:42:due", never "R-HEAR-15:meeting:420:due". A task already enqueued for a cancelled
    reminder sends nothing. Scheduling the same key again brings a reminder back.

    Raises ValueError when neither is given (nothing is ever cancelled wholesale)."""
    prefix = (prefix or "").strip().rstrip(":")
    if not prefix and subject is None:
        raise ValueError("cancel_reminders needs a key prefix or a subject")
    pending = Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True)
    if prefix:
        pending = pending.filter(Q(key=prefix) | Q(key__startswith=f"{prefix}:"))
    if subject is not None:
        pending = pending.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)
    return pending.update(cancelled_at=timezone.now())


def deliver_reminder(reminder_id: int) -> bool:
    """Send reminder `reminder_id` through `notify` if it is still due; True when this call sent it.

    Sends nothing, and returns False, when the reminder is gone, sent (by another worker too), cancelled,
    or moved to a later time since it was enqueued."""
    now = timezone.now()
    with transaction.atomic():
        # Conditional UPDATE: of two workers given the same reminder, one updates the row and the other 0
        # rows; on PostgreSQL the second waits for the first to commit and then finds sent_at set.
        if not Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True, cancelled_at__isnull=True,
                                       due_at__lte=now).update(sent_at=now):
            return False
        reminder = Reminder.objects.get(pk=reminder_id)
        recipients = list(reminder.recipients.values_list("pk", flat=True))
        if not recipients:
            logger.warning("reminder %s is due but has no recipients", reminder.key)
        notify(recipients=recipients, title=reminder.title, body=reminder.body, rule_id=reminder.rule_id,
               link=reminder.link)
    return True


# Helpers ---------------------------------------------------------------------------------------------------


def deadline_text(deadline: datetime.date | datetime.datetime) -> str:
    """A deadline as messages show it: "2025-03-17", or "2025-03-17 14:00" local time for a moment."""
    if isinstance(deadline, datetime.datetime):
        return timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")
    return deadline.isoformat()


def _with_rule_and_deadline(body: str, rule_id: str, deadline: datetime.date | datetime.datetime) -> str:
    """`body` with the rule and the deadline appended unless it already names them."""
    when = deadline_text(deadline)
    missing_rule = bool(rule_id) and rule_id not in body
    missing_deadline = when not in body
    if missing_rule and missing_deadline:
        tail = f"依据 {_rule_reference(rule_id)}，须于 {when} 前办理。"
    elif missing_rule:
        tail = f"依据 {_rule_reference(rule_id)}。"
    elif missing_deadline:
        tail = f"期限：须于 {when} 前办理。"
    else:
        return body
    return f"{body}\n{tail}" if body else tail


def _rule_reference(rule_id: str) -> str:
    """"R-HEAR-15（《…》第十五条）" when the rulebook knows the rule, else the bare ID."""
    rule = REGISTRY.get(rule_id)
    return f"{rule_id}（{rule.citation}）" if rule is not None else rule_id


def _ids(recipients: Iterable) -> set[int]:
    return {r if isinstance(r, int) else r.pk for r in recipients}


def _check_link(link: str) -> None:
    # Only paths on this site: an inbox must never carry a javascript: or off-site link.
    if link and not (link.startswith("/") and not link.startswith(("//", "/\\"))):
        raise ValueError(f"link must be a path on this site, such as /meetings/42/, not {link!r}")
    if len(link) > Notification._meta.get_field("link").max_length:
        raise ValueError("link is too long")


def _require_aware(value: datetime.datetime, name: str) -> None:
    if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
        raise ValueError(f"{name} must be a timezone-aware datetime")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
