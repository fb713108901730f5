"""Findings (what the scan finds broken), cases (what people decide about them) and the pre-aggregated compliance
figures the dashboard reads (rules-core §2.13)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.orgs.models import Area, Body, Person
from jiceng.rules.accountability import MEASURES, SEVERITIES, SUBJECTS


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "area__path"))


class Finding(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("未整改")
        CURED = "cured", _("已纠正")
        DISMISSED = "dismissed", _("已核销")

    key = models.CharField(max_length=200, unique=True)  # "<check>:<subject>[:<period>]": one finding per breach
    check_name = models.CharField(_("检查项"), max_length=64, db_index=True)
    family = models.CharField(_("类别"), max_length=32, db_index=True)
    rule_id = models.CharField(_("规则"), max_length=32, db_index=True)
    area = models.ForeignKey(Area, models.PROTECT, related_name="findings", verbose_name=_("区域"))
    title = models.CharField(_("问题"), max_length=300)
    subject_type = models.CharField(max_length=64)
    subject_id = models.PositiveBigIntegerField()
    link = models.CharField(_("证据链接"), max_length=200, blank=True)
    evidence = models.JSONField(_("证据"), default=dict)
    occurred_on = models.DateField(_("违规日期"))
    responsible_body = models.ForeignKey(Body, models.PROTECT, null=True, blank=True, related_name="+",
                                         verbose_name=_("责任机构"))
    # R-ORG-12, resolved on the day of the breach.
    first_responsible = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                          verbose_name=_("第一责任人"))
    specific_responsible = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                             verbose_name=_("具体责任人"))
    direct_responsible = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                           verbose_name=_("直接责任人"))
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.OPEN, db_index=True)
    first_seen = models.DateTimeField(_("首次发现"))
    last_seen = models.DateTimeField(_("最近发现"))
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    case = models.ForeignKey("Case", models.PROTECT, null=True, blank=True, related_name="findings")

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("违规发现")
        verbose_name_plural = _("违规发现")
        ordering = ["-first_seen", "pk"]
        indexes = [models.Index(fields=["area", "status"]), models.Index(fields=["check_name", "status"])]

    def __str__(self) -> str:
        return self.title


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "area__path"))


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("调查中")
        DECIDED = "decided", _("已决定")
        CLOSED = "closed", _("已办结")

    class Ground(models.TextChoices):
        STREET_1 = "street_1", _("街道：工作敷衍应付")
        STREET_2 = "street_2", _("街道：决策程序不规范造成上访")
        STREET_3 = "street_3", _("街道：问题不及时研究解决")
        STREET_4 = "street_4", _("街道：纪工委监督不到位")
        COMMUNITY_1 = "community_1", _("社区：个人擅自决策")
        COMMUNITY_2 = "community_2", _("社区：应公开未公开或公开不及时、弄虚作假")
        COMMUNITY_3 = "community_3", _("社区：随意变更决议")
        COMMUNITY_4 = "community_4", _("社区：居务监督委员会不履行监督责任")
        COMMUNITY_5 = "community_5", _("社区：其他违反规定的行为")
        PWC = "pwc", _("党工委议事决策规则")

    area = models.ForeignKey(Area, models.PROTECT, related_name="cases", verbose_name=_("区域"))
    title = models.CharField(_("案由"), max_length=200)
    ground = models.CharField(_("追究情形"), max_length=16, choices=Ground)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.OPEN, db_index=True)
    severity = models.CharField(_("情节"), max_length=16, blank=True,
                                choices=[(k, v[0]) for k, v in SEVERITIES.items()])
    subject = models.CharField(_("追究对象类别"), max_length=32, blank=True,
                               choices=[(k, v[0]) for k, v in SUBJECTS.items()])
    person = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("被追究人"))
    post = models.CharField(_("职务"), max_length=100, blank=True)
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    rectified_on = models.DateField(_("整改完成"), null=True, blank=True)
    summary = models.TextField(_("处理结果"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published = models.BooleanField(_("已公开曝光"), default=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任追究案件")
        verbose_name_plural = _("责任追究案件")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.title


class Measure(models.Model):
    case = models.ForeignKey(Case, models.PROTECT, related_name="measures")
    measure = models.CharField(_("处理措施"), max_length=32, choices=[(k, v[0]) for k, v in MEASURES.items()])
    kind = models.CharField(_("措施类型"), max_length=32)  # E-13: organisational handling / disciplinary / referral
    note = models.TextField(_("说明"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("处理措施")
        verbose_name_plural = _("处理措施")
        constraints = [models.UniqueConstraint(fields=["case", "measure"], name="one_measure_of_a_kind_per_case")]

    def __str__(self) -> str:
        return self.get_measure_display()


class ComplianceCell(models.Model):
    """Obligations of one family that fell due in one month for one community, and how many were met on time —
    written by the scan, read by the dashboard (no table walk per request)."""

    area = models.ForeignKey(Area, models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    family = models.CharField(max_length=32)
    due = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "month", "family"], name="one_cell")]
        indexes = [models.Index(fields=["month", "family"])]

    def __str__(self) -> str:
        return f"{self.area_id} {self.month:%Y-%m} {self.family}: {self.on_time}/{self.due}"


class ScanRun(models.Model):
    """One scan: when, of which scope, what it found. The daily tick claims the day's row so it runs once."""

    day = models.DateField()
    scope = models.ForeignKey(Area, models.PROTECT, null=True, blank=True, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day"], condition=models.Q(scope__isnull=True),
                                               name="one_full_scan_a_day")]

    def __str__(self) -> str:
        return f"scan {self.day}"
