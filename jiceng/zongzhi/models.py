"""综治办 records (rules-admin §2.1): disputes with their parties, assignments, mediation sessions, agreements,
follow-up visits and escalations; screening rounds and their findings; 包案 items; manual ledger entries; the reports
upward; and the 综治 posts people hold (mediator, 司法所所长, centre director), which orgs.Role does not name.

Ledgers are not tables: each is a view over these records (jiceng.zongzhi.ledgers).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.orgs.models import Area, Person
from jiceng.rules import zongzhi as r

CATEGORY_CHOICES = [(code, label) for code, (label, _unit, _ledger) in r.CATEGORIES.items()]
LEVEL_CHOICES = [(code, zh) for code, (zh, _en, _tier) in r.LEVELS.items()]
TIER_CHOICES = [(code, zh) for code, (zh, _en) in r.TIER_LABELS.items()]
LEDGER_CHOICES = list(r.LEDGERS.items())


class AreaScoped(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "area__path"))


class Post(models.Model):
    """A 综治 post held by a person in an area for a date range (rules-admin §1.2)."""

    class Kind(models.TextChoices):
        MEDIATOR = "mediator", _("调解人员")
        JUDICIAL_OFFICE_HEAD = "judicial_office_head", _("司法所所长")
        CENTER_DIRECTOR = "center_director", _("综治中心主任")
        ZZ_SOCIAL_WORKER = "zz_social_worker", _("综治社工")

    area = models.ForeignKey(Area, models.PROTECT, related_name="zongzhi_posts", verbose_name=_("区域"))
    person = models.ForeignKey(Person, models.PROTECT, related_name="zongzhi_posts", verbose_name=_("人员"))
    kind = models.CharField(_("岗位"), max_length=32, choices=Kind)
    start_on = models.DateField(_("起始日期"))
    end_on = models.DateField(_("终止日期"), null=True, blank=True)

    objects = AreaScoped.as_manager()

    class Meta:
        verbose_name = _("综治岗位")
        verbose_name_plural = _("综治岗位")
        ordering = ["area", "kind", "pk"]
        indexes = [models.Index(fields=["area", "kind", "start_on"])]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.get_kind_display()}"


class Counter(models.Model):
    """The last register number of an area and year (gap-free under the row lock)."""

    area = models.ForeignKey(Area, models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="zongzhi_one_counter_per_year")]

    def __str__(self) -> str:
        return f"{self.area_id}:{self.year}:{self.last}"


class DisputeQuerySet(AreaScoped):
    pass


class Dispute(models.Model):
    """One dispute or hazard case (§1.5: 登记 → 交办 → 调处中 → 报结 → 销案; side state 上报)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("登记（受理）")
        ASSIGNED = "assigned", _("交办")
        IN_MEDIATION = "in_mediation", _("调处中")
        ESCALATED = "escalated", _("上报")
        REPORTED_CLOSED = "reported_closed", _("报结")
        CLOSED = "closed", _("销案")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("调解成功")
        FAILED = "failed", _("调解不成")

    class Source(models.TextChoices):
        VISIT = "visit", _("来访申请")
        SCREENING = "screening", _("排查发现")
        UPPER = "upper", _("上级交办")
        INFORMANT = "informant", _("信息员报告")

    TRANSITIONS = {
        Status.REGISTERED: {Status.ASSIGNED, Status.ESCALATED},
        Status.ASSIGNED: {Status.ASSIGNED, Status.IN_MEDIATION, Status.ESCALATED},
        Status.IN_MEDIATION: {Status.IN_MEDIATION, Status.REPORTED_CLOSED, Status.ESCALATED, Status.ASSIGNED},
        Status.ESCALATED: {Status.ASSIGNED, Status.ESCALATED},
        Status.REPORTED_CLOSED: {Status.CLOSED},
    }
    OPEN = (Status.REGISTERED, Status.ASSIGNED, Status.IN_MEDIATION, Status.ESCALATED)

    area = models.ForeignKey(Area, models.PROTECT, related_name="disputes", verbose_name=_("发生地社区"))
    register_no = models.CharField(_("登记编号"), max_length=64, unique=True)
    title = models.CharField(_("纠纷事项"), max_length=200)
    facts = models.TextField(_("基本情况"))
    category = models.CharField(_("类别"), max_length=32, choices=CATEGORY_CHOICES, db_index=True)
    level = models.CharField(_("等级"), max_length=16, choices=LEVEL_CHOICES, db_index=True)
    tier = models.CharField(_("办理层级"), max_length=16, choices=TIER_CHOICES, db_index=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source, default=Source.VISIT)
    mediation_types = models.JSONField(_("调解类型"), default=list)
    status = models.CharField(_("状态"), max_length=20, choices=Status, default=Status.REGISTERED, db_index=True)
    # A-FIRST-01: the first receiver owns the case and stays its owner.
    first_receiver = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                       verbose_name=_("第一接待人"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("责任人账号"))
    mediator = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("调解人员"))
    responsible_unit = models.CharField(_("责任单位"), max_length=100, blank=True)
    responsible_person = models.CharField(_("责任人"), max_length=50, blank=True)
    requirements = models.TextField(_("交办要求"), blank=True)
    registered_at = models.DateTimeField(_("登记时间"), db_index=True)
    assign_due = models.DateField(_("交办期限"))
    mediation_due = models.DateField(_("调结期限"), db_index=True)
    follow_up_due = models.DateField(_("回访期限"), null=True, blank=True, db_index=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    reported_at = models.DateTimeField(_("报结时间"), null=True, blank=True)
    outcome = models.CharField(_("调处结果"), max_length=16, choices=Outcome, blank=True)
    result = models.TextField(_("办理情况"), blank=True)
    closed_at = models.DateTimeField(_("销案时间"), null=True, blank=True)
    chasers = models.PositiveIntegerField(_("催办次数"), default=0)
    # A-ZZ-26: a collective case, and the principal leader's own handling of it.
    collective = models.BooleanField(_("集体访（群体性）"), default=False, db_index=True)
    leader_handled_at = models.DateTimeField(_("领导亲自处理时间"), null=True, blank=True)
    leader_handling = models.TextField(_("领导处理情况"), blank=True)
    screening_item = models.OneToOneField("Finding", models.PROTECT, null=True, blank=True, related_name="dispute")
    rulebook_version = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        ordering = ["-registered_at", "-pk"]
        indexes = [models.Index(fields=["area", "status", "registered_at"]),
                   models.Index(fields=["status", "mediation_due"])]

    def __str__(self) -> str:
        return f"{self.register_no} {self.title}"

    def move_to(self, new: str) -> None:
        from jiceng.core.errors import IllegalTransition

        if new not in self.TRANSITIONS.get(self.status, set()):
            raise IllegalTransition(self, current=self.get_status_display(),
                                    wanted=str(self.Status(new).label))
        self.status = new

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class Party(models.Model):
    class Side(models.TextChoices):
        APPLICANT = "applicant", _("申请人")
        RESPONDENT = "respondent", _("被申请人")
        OTHER = "other", _("其他当事人")

    dispute = models.ForeignKey(Dispute, models.CASCADE, related_name="parties")
    side = models.CharField(_("身份"), max_length=16, choices=Side, default=Side.APPLICANT)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    id_number = models.CharField(_("公民身份号码"), max_length=18, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """交办 (A-ZZ-70) and any later reassignment (A-FIRST-01: only the centre director, with a reason)."""

    dispute = models.ForeignKey(Dispute, models.CASCADE, related_name="assignments")
    unit = models.CharField(_("责任单位"), max_length=100)
    mediator = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("调解人员"))
    requirements = models.TextField(_("交办要求"))
    deadline = models.DateField(_("完成时间"))
    reason = models.CharField(_("改派理由"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("交办时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute_id} → {self.unit}"


class Session(models.Model):
    """One mediation session and its record (A-ZZ-79)."""

    dispute = models.ForeignKey(Dispute, models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("调解时间"))
    mediation_type = models.CharField(_("调解类型"), max_length=16, choices=list(r.MEDIATION_TYPES.items()))
    mediator = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+")
    facts = models.TextField(_("纠纷事实"))
    parties = models.TextField(_("到场当事人"))
    process = models.TextField(_("调解经过"))
    outcome = models.TextField(_("调解结果"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.held_at:%Y-%m-%d}"


class Agreement(models.Model):
    """The written mediation agreement (inferred, A-ZZ-79/agreement), rendered as .docx."""

    dispute = models.OneToOneField(Dispute, models.CASCADE, related_name="agreement")
    signed_on = models.DateField(_("签订日期"))
    terms = models.TextField(_("协议内容"))
    performance = models.TextField(_("履行方式和期限"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.dispute_id} 调解协议书"


class FollowUp(models.Model):
    """回访 (A-ZZ-25)."""

    class Method(models.TextChoices):
        VISIT = "visit", _("上门回访")
        PHONE = "phone", _("电话回访")
        MEETING = "meeting", _("约谈回访")

    dispute = models.ForeignKey(Dispute, models.CASCADE, related_name="follow_ups")
    visited_on = models.DateField(_("回访日期"))
    method = models.CharField(_("回访方式"), max_length=16, choices=Method, default=Method.VISIT)
    situation = models.TextField(_("当事人思想状况和行为动态"))
    stable = models.BooleanField(_("协议履行、情况稳定"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["visited_on", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute_id} 回访 {self.visited_on}"


class Escalation(models.Model):
    """上报 one tier up (A-ZZ-23) with the reason."""

    dispute = models.ForeignKey(Dispute, models.CASCADE, related_name="escalations")
    from_tier = models.CharField(max_length=16, choices=TIER_CHOICES)
    to_tier = models.CharField(max_length=16, choices=TIER_CHOICES)
    reason = models.TextField(_("上报理由"))
    flagged = models.BooleanField(default=False)  # a simple dispute left the community tier
    occurred_at = models.DateTimeField(_("上报时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.from_tier}→{self.to_tier}"


class Chaser(models.Model):
    """催办 (A-ZZ-57)."""

    dispute = models.ForeignKey(Dispute, models.CASCADE, related_name="chaser_records")
    note = models.CharField(_("催办内容"), max_length=300)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute_id} 催办"


class Round(models.Model):
    """A screening round (排查, A-ZZ-66): regular for its cadence period, or special; zero findings is valid."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("定期排查")
        SPECIAL = "special", _("专项排查")
        SENSITIVE = "sensitive", _("敏感期重点排查")

    area = models.ForeignKey(Area, models.PROTECT, related_name="screening_rounds", verbose_name=_("排查单位"))
    kind = models.CharField(_("排查类型"), max_length=16, choices=Kind, default=Kind.REGULAR)
    period_start = models.DateField(_("所属周期起"), db_index=True)
    period_end = models.DateField(_("所属周期止"))
    held_on = models.DateField(_("排查日期"))
    scope_note = models.TextField(_("排查范围和方式"), blank=True)
    nothing_found = models.BooleanField(_("未排查出问题"), default=False)
    conducted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AreaScoped.as_manager()

    class Meta:
        verbose_name = _("排查记录")
        verbose_name_plural = _("排查记录")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["area", "kind", "period_start"])]

    def __str__(self) -> str:
        return f"{self.area.name} {self.held_on} {self.get_kind_display()}"


class Finding(models.Model):
    """One screened item (A-ZZ-67), registered as a dispute when it needs handling."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="findings")
    description = models.TextField(_("问题描述"))
    category = models.CharField(_("类别"), max_length=32, choices=CATEGORY_CHOICES)
    level = models.CharField(_("等级"), max_length=16, choices=LEVEL_CHOICES, default="simple")
    location = models.CharField(_("地点"), max_length=200)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description[:40]


class CaseItem(models.Model):
    """A 包案 item (A-CASE-01/02): one listed person or matter, one case leader, the 三包一落实 checklist."""

    area = models.ForeignKey(Area, models.PROTECT, related_name="zongzhi_case_items")
    kind = models.CharField(_("类别"), max_length=32, choices=list(r.CASE_KINDS.items()))
    title = models.CharField(_("事项"), max_length=200)
    person_or_matter = models.CharField(_("涉及人员或事项"), max_length=200)
    dispute = models.ForeignKey(Dispute, models.PROTECT, null=True, blank=True, related_name="case_items")
    leader = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("包案领导"))
    obligations = models.JSONField(_("三包一落实"), default=dict)
    last_progress_on = models.DateField(_("最近进展日期"))
    progress = models.TextField(_("进展"), blank=True)
    done = models.BooleanField(_("已化解"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = AreaScoped.as_manager()

    class Meta:
        ordering = ["-last_progress_on", "pk"]
        indexes = [models.Index(fields=["area", "done", "last_progress_on"])]

    def __str__(self) -> str:
        return self.title


class LedgerEntry(models.Model):
    """A manual entry in a ledger that other records do not feed (安置帮教, 平安创建, 考核奖惩 …)."""

    area = models.ForeignKey(Area, models.PROTECT, related_name="zongzhi_ledger_entries")
    ledger = models.CharField(_("台帐"), max_length=40, choices=LEDGER_CHOICES, db_index=True)
    occurred_on = models.DateField(_("日期"), db_index=True)
    title = models.CharField(_("事项"), max_length=200)
    content = models.TextField(_("内容"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = AreaScoped.as_manager()

    class Meta:
        ordering = ["occurred_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Report(models.Model):
    """A report upward (A-ZZ-27 monthly statistics and case sheets, zero allowed; A-ZZ-28 quarterly analysis)."""

    class Period(models.TextChoices):
        MONTH = "month", _("月报")
        QUARTER = "quarter", _("季报")

    area = models.ForeignKey(Area, models.PROTECT, related_name="zongzhi_reports")
    period = models.CharField(_("类型"), max_length=16, choices=Period)
    period_start = models.DateField(_("期间起"))
    period_end = models.DateField(_("期间止"))
    due_on = models.DateField(_("上报期限"))
    submitted_at = models.DateTimeField(_("上报时间"))
    figures = models.JSONField(_("统计数字"), default=dict)
    zero_report = models.BooleanField(_("零报告"), default=False)
    analysis = models.TextField(_("情况分析"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    rulebook_version = models.CharField(max_length=64, blank=True)

    objects = AreaScoped.as_manager()

    class Meta:
        ordering = ["-period_start", "pk"]
        constraints = [models.UniqueConstraint(fields=["area", "period", "period_start"],
                                               name="zongzhi_one_report_per_period")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.period} {self.period_start}"



