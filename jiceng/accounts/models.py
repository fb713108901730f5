from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.orgs.models import Area, Body, Person

from .roles import AccessRole


class Account(models.Model):
    """What a login is besides its Django user: the person behind it and the UI language."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="account")
    person = models.OneToOneField(Person, models.PROTECT, null=True, blank=True, related_name="account",
                                  verbose_name=_("人员"))
    language = models.CharField(_("界面语言"), max_length=8, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)

    class Meta:
        verbose_name = _("账号资料")
        verbose_name_plural = _("账号资料")

    def __str__(self) -> str:
        return self.user.get_username()


class RoleAssignmentQuerySet(models.QuerySet):
    def on(self, day: datetime.date):
        return self.filter(Q(end_on__isnull=True) | Q(end_on__gte=day), start_on__lte=day)


class RoleAssignment(models.Model):
    """A login holds an access role on an area (and everything below it) or on one body."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=32, choices=AccessRole)
    area = models.ForeignKey(Area, models.PROTECT, related_name="+", verbose_name=_("区域"))
    body = models.ForeignKey(Body, models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("机构"),
                             help_text=_("留空表示整个区域；填写时区域为该机构所在区域"))
    start_on = models.DateField(_("开始日期"), default=datetime.date.today)
    end_on = models.DateField(_("结束日期"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        indexes = [models.Index(fields=["user", "start_on"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.body or self.area}"


class ApiToken(models.Model):
    """Bearer token for scripts. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_raw() -> str:
        return "jc_" + secrets.token_urlsafe(32)
