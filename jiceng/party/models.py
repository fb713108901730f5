"""Party members, their development pipeline, the dues ledger and mobile members (rules-core §2.14–§2.16).

A PartyMember row is the party's file on one person: status, the dates of each stage, sponsors, the dues rate. The
office itself — being a (probationary) member of the community party organisation and of a party group — is an
orgs Membership, written by `party.services` through `orgs.services`, so meetings and the other apps see it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiceng.core.errors import IllegalTransition
from jiceng.orgs.models import Area, Body, Household, Person


class MemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "community__path"))


class PartyMember(models.Model):
    class Status(models.TextChoices):
        # rules-core §2.14 pipeline states, exact names
        APPLICANT = "applicant", _("入党申请人")
        ACTIVIST = "activist", _("入党积极分子")
        DEVELOPMENT_TARGET = "development_target", _("发展对象")
        PROBATIONARY_MEMBER = "probationary_member", _("预备党员")
        FULL_MEMBER = "full_member", _("正式党员")
        REJECTED = "rejected", _("未被接收")
        TRANSFERRED_OUT = "transferred_out", _("已转出")
        REMOVED = "removed", _("已除名")

    TRANSITIONS = {
        Status.APPLICANT: {Status.ACTIVIST, Status.REJECTED},
        Status.ACTIVIST: {Status.DEVELOPMENT_TARGET, Status.REJECTED},
        Status.DEVELOPMENT_TARGET: {Status.PROBATIONARY_MEMBER, Status.REJECTED},
        Status.PROBATIONARY_MEMBER: {Status.FULL_MEMBER, Status.REJECTED, Status.TRANSFERRED_OUT, Status.REMOVED},
        Status.FULL_MEMBER: {Status.TRANSFERRED_OUT, Status.REMOVED},
    }
    MEMBERS = (Status.PROBATIONARY_MEMBER, Status.FULL_MEMBER)
    PIPELINE = (Status.APPLICANT, Status.ACTIVIST, Status.DEVELOPMENT_TARGET)

    class Cycle(models.TextChoices):
        MONTHLY = "monthly", _("按月")
        QUARTERLY = "quarterly", _("按季")  # R-DUES-08: mobile members for whom monthly payment is hard

    class Education(models.TextChoices):  # E-15 (004 第二十六条)
        CADRE = "cadre", _("街道社区党员干部")
        RESIDENT = "resident", _("社区居民党员")
        MOBILE = "mobile", _("流动党员")
        TWO_NEW = "two_new", _("“两新”组织党员")
        LAID_OFF = "laid_off", _("下岗失业人员中的党员")
        RETIRED = "retired", _("离退休人员中的党员")

    person = models.OneToOneField(Person, models.PROTECT, related_name="party_file", verbose_name=_("人员"))
    community = models.ForeignKey(Area, models.PROTECT, related_name="+", verbose_name=_("社区"))
    party_org = models.ForeignKey(Body, models.PROTECT, related_name="+", verbose_name=_("党组织"))
    group = models.ForeignKey(Body, models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("党小组"))
    status = models.CharField(_("状态"), max_length=24, choices=Status, default=Status.APPLICANT)
    applied_on = models.DateField(_("申请入党日期"), null=True, blank=True)
    activist_on = models.DateField(_("确定为积极分子日期"), null=True, blank=True)
    target_on = models.DateField(_("列为发展对象日期"), null=True, blank=True)
    vetted_on = models.DateField(_("政审日期"), null=True, blank=True)
    vetting_note = models.CharField(_("政审结论"), max_length=500, blank=True)
    admitted_on = models.DateField(_("批准为预备党员日期"), null=True, blank=True)
    full_on = models.DateField(_("转为正式党员日期"), null=True, blank=True)
    left_on = models.DateField(_("转出或除名日期"), null=True, blank=True)
    left_note = models.CharField(_("转出或除名说明"), max_length=500, blank=True)
    materials = models.JSONField(_("材料清单"), default=list, blank=True)
    # 在职党员回社区报到 (004 第二十九条, A-PARTY-14)
    in_service = models.BooleanField(_("在职党员"), default=False)
    work_unit = models.CharField(_("工作单位"), max_length=120, blank=True)
    unit_party_org = models.CharField(_("单位党组织"), max_length=120, blank=True)
    reported_on = models.DateField(_("回社区报到日期"), null=True, blank=True)
    incoming = models.BooleanField(_("外来党员"), default=False)
    education = models.CharField(_("教育类别"), max_length=16, choices=Education, default=Education.RESIDENT)
    dues_fen = models.PositiveIntegerField(_("月党费（分）"), default=0)
    # The month this branch's ledger starts for the member: the month of admission (R-DUES-05), or later for a
    # member whose relation came in (or whose file was taken over from paper) later.
    dues_from = models.DateField(_("本支部党费起算月份"), null=True, blank=True)
    cycle = models.CharField(_("交纳周期"), max_length=16, choices=Cycle, default=Cycle.MONTHLY)
    cycle_reason = models.CharField(_("按季交纳理由"), max_length=200, blank=True)
    households = models.ManyToManyField(Household, blank=True, related_name="party_liaisons",
                                        verbose_name=_("联系户"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["community", "pk"]
        indexes = [models.Index(fields=["community", "status"]), models.Index(fields=["group", "status"]),
                   models.Index(fields=["party_org", "status"])]

    def __str__(self) -> str:
        return self.person.name

    def move_to(self, new: str) -> None:
        """Only services call this; they save, audit and sync the orgs memberships."""
        if new not in self.TRANSITIONS.get(self.status, set()):
            raise IllegalTransition(self, current=self.Status(self.status).label, wanted=self.Status(new).label)
        self.status = new

    def is_full_on(self, day: datetime.date) -> bool:
        return (self.full_on is not None and self.full_on <= day
                and (self.left_on is None or self.left_on > day))

    @property
    def dues_yuan(self):
        from decimal import Decimal

        return (Decimal(self.dues_fen) / 100).quantize(Decimal("0.01"))


class Sponsorship(models.Model):
    """R-DEV-03: the two full members who train an activist."""

    member = models.ForeignKey(PartyMember, models.CASCADE, related_name="sponsorships")
    sponsor = models.ForeignKey(PartyMember, models.PROTECT, related_name="sponsored")
    assigned_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "sponsor"], name="party_sponsor_once")]

    def __str__(self) -> str:
        return f"{self.sponsor_id} → {self.member_id}"


class Step(models.Model):
    """One step of the pipeline or one change of status, as it happened: the member's history."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("登记")
        ACTIVIST = "activist", _("确定为入党积极分子")
        TARGET = "target", _("列为发展对象")
        VETTING = "vetting", _("政治审查")
        NOTICE = "notice", _("公示")
        VOTE = "vote", _("党员大会表决")
        APPROVAL = "approval", _("上级审批")
        GROUP = "group", _("编入党小组")
        TRANSFER_OUT = "transfer_out", _("转出")
        REMOVAL = "removal", _("除名")
        REJECTED = "rejected", _("不予接收")

    member = models.ForeignKey(PartyMember, models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=16, choices=Kind)
    stage = models.CharField(max_length=16, blank=True)  # "admission" or "conversion" for notice/vote/approval
    occurred_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    passed = models.BooleanField(null=True)
    data = models.JSONField(default=dict, blank=True)
    rulebook_version = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["member", "occurred_on", "pk"]
        indexes = [models.Index(fields=["member", "kind", "stage"])]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.kind} · {self.occurred_on}"


class Notice(models.Model):
    """R-DEV-05: the public notice before admission or conversion, with its period and the feedback it got."""

    member = models.ForeignKey(PartyMember, models.CASCADE, related_name="notices")
    stage = models.CharField(max_length=16)  # admission | conversion
    started_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示期满"))
    disclosure = models.ForeignKey("disclosure.DisclosureItem", models.PROTECT, null=True, blank=True,
                                   related_name="+")
    feedback = models.TextField(_("公示期间收到的意见"), blank=True)
    feedback_considered = models.BooleanField(_("意见已处理"), default=True)

    class Meta:
        ordering = ["member", "-started_on"]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.stage} · {self.started_on}"


class DuesPayment(models.Model):
    """One payment, covering one or more months (R-DUES-01–03)."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("按月交纳")
        PROXY = "proxy", _("委托代交")
        ADVANCE = "advance", _("预交")
        BACK = "back", _("补交")

    member = models.ForeignKey(PartyMember, models.PROTECT, related_name="payments")
    kind = models.CharField(_("方式"), max_length=16, choices=Kind)
    paid_on = models.DateField(_("交纳日期"))
    first_month = models.DateField(_("起始月份"))
    months = models.PositiveSmallIntegerField(_("月数"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    payer = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("代交人"))
    consent = models.CharField(_("支部同意记录"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member", "first_month"]
        indexes = [models.Index(fields=["member", "paid_on"])]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.amount} · {self.paid_on}"


class DuesMonth(models.Model):
    """The ledger line: one member's dues for one calendar month, with the payment that covered it."""

    member = models.ForeignKey(PartyMember, models.PROTECT, related_name="dues_months")
    community = models.ForeignKey(Area, models.PROTECT, related_name="+")
    month = models.DateField()  # first day of the month
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    payment = models.ForeignKey(DuesPayment, models.PROTECT, related_name="lines")

    class Meta:
        ordering = ["member", "month"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="party_dues_month_once")]
        indexes = [models.Index(fields=["community", "month"])]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.month:%Y-%m}"


class DuesDecision(models.Model):
    """R-DUES-07: how the branch closed a run of unpaid months — a valid reason, or removal decided by the
    assembly and approved by the superior (X-01). Never written by a scan."""

    class Outcome(models.TextChoices):
        VALID_REASON = "valid_reason", _("有正当理由")
        AUTO_WITHDRAWAL = "auto_withdrawal", _("按自行脱党处理（除名）")

    member = models.ForeignKey(PartyMember, models.PROTECT, related_name="dues_decisions")
    outcome = models.CharField(max_length=16, choices=Outcome)
    decided_on = models.DateField()
    months = models.JSONField(default=list)  # the unpaid months decided on ("YYYY-MM")
    reason = models.CharField(max_length=500, blank=True)
    assembly_ref = models.CharField(_("支部大会决定"), max_length=200, blank=True)
    approval_ref = models.CharField(_("上级批准"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member", "decided_on"]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.outcome}"


class MobileQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "member__community__path"))


class MobileEpisode(models.Model):
    """A member away (R-MOB-02–07): where, how to reach him, the disposition, report-in and the return check."""

    class Status(models.TextChoices):
        AWAY = "away", _("外出中")
        RETURNED = "returned", _("已返回")
        TRANSFERRED = "transferred", _("已转移组织关系")

    class Disposition(models.TextChoices):
        TRANSFER = "transfer", _("转移组织关系")
        CERTIFICATE = "certificate", _("开具《党员证明信》")
        CARD = "card", _("发放《流动党员活动证》")

    member = models.ForeignKey(PartyMember, models.PROTECT, related_name="mobile_episodes")
    status = models.CharField(max_length=16, choices=Status, default=Status.AWAY)
    reason = models.CharField(_("外出事由"), max_length=200)
    left_on = models.DateField(_("外出日期"))
    return_on = models.DateField(_("预计返回日期"), null=True, blank=True)
    place = models.CharField(_("外出地点"), max_length=120, blank=True)
    place_key = models.CharField(max_length=120, blank=True, db_index=True)  # normalised: R-MOB-04 grouping
    place_known = models.BooleanField(_("地点明确"), default=True)
    contact = models.CharField(_("联系方式"), max_length=120)
    disposition = models.CharField(_("处置方式"), max_length=16, choices=Disposition)
    document_no = models.CharField(_("证明信或活动证编号"), max_length=60, blank=True)
    inflow_org = models.CharField(_("流入地党组织"), max_length=120, blank=True)
    reported_in_on = models.DateField(_("到流入地报到日期"), null=True, blank=True)
    changes = models.JSONField(default=list, blank=True)  # R-MOB-06 change log
    returned_on = models.DateField(_("返回日期"), null=True, blank=True)
    return_check = models.TextField(_("返回查验记录"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = MobileQuerySet.as_manager()

    class Meta:
        ordering = ["-left_on", "pk"]
        indexes = [models.Index(fields=["status", "place_key"])]
        constraints = [models.CheckConstraint(condition=Q(return_on__isnull=True)
                                              | Q(return_on__gte=models.F("left_on")),
                                              name="party_mobile_returns_after_leaving")]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.place} · {self.left_on}"


class DevelopmentPlan(models.Model):
    """R-DEV-02: a branch's yearly plan, with the warnings it drew."""

    party_org = models.ForeignKey(Body, models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    admit = models.PositiveSmallIntegerField(_("计划发展党员"))
    activists = models.PositiveSmallIntegerField(_("计划培养积极分子"))
    warnings = models.JSONField(default=list, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["party_org", "year"], name="party_plan_once_a_year")]

    def __str__(self) -> str:
        return f"{self.party_org_id} · {self.year}"
