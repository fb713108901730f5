"""What a user is told (Notification) and what the system will tell them when it is due (Reminder).

Rows change only through jiceng.notify.services and the reminder tick (jiceng.notify.tasks).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's inbox is their own, whatever their roles: superusers included."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one user: always in the inbox, and also sent by e-mail and SMS where possible."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications",
                                  verbose_name=_("接收人"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    rule_id = models.CharField(_("依据规则"), max_length=32, blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True, help_text=_("站内路径，如 /meetings/42/"))
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    # Set when a worker takes the e-mail and SMS delivery, so that it happens once.
    delivered_at = models.DateTimeField(_("外发时间"), null=True, blank=True)
    # Per channel: "sent", "no_address", "no_mobile", "off" or "failed:<ExceptionClass>".
    channel_results = models.JSONField(_("外发结果"), default=dict, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notify_inbox_idx"),
            # The unread badge counts on every page: a small partial index keeps that cheap.
            models.Index(fields=["recipient", "-id"], condition=Q(read_at__isnull=True),
                         name="notify_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.recipient_id}"


class Reminder(models.Model):
    """A message due at a time, sent once to its recipients by `jiceng tick` and a worker.

    `key` names what it reminds of, e.g. "R-HEAR-15:meeting:42:due"; scheduling the same key again
    moves the reminder instead of adding one, so a reminder is never sent twice."""

    key = models.CharField(_("键"), max_length=200, unique=True)
    due_at = models.DateTimeField(_("提醒时间"))
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True,
                                        verbose_name=_("接收人"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), help_text=_("已写明依据规则与期限"))
    rule_id = models.CharField(_("依据规则"), max_length=32, blank=True)
    # A deadline is a day (须于3月17日前) or a moment (会议开始前); exactly one of the two is set.
    deadline_on = models.DateField(_("期限（日）"), null=True, blank=True)
    deadline_at = models.DateTimeField(_("期限（时刻）"), null=True, blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    subject_type = models.ForeignKey(ContentType, models.CASCADE, null=True, blank=True, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    enqueued_at = models.DateTimeField(_("入队时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        indexes = [
            # What the tick scans every minute: only reminders still to send.
            models.Index(fields=["due_at"], condition=Q(sent_at__isnull=True, cancelled_at__isnull=True),
                         name="notify_reminder_pending_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="notify_reminder_subject_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(deadline_on__isnull=False, deadline_at__isnull=True)
                           | Q(deadline_on__isnull=True, deadline_at__isnull=False)),
                name="notify_reminder_one_deadline",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def deadline(self) -> datetime.date | datetime.datetime | None:
        return self.deadline_at or self.deadline_on
