"""Street-office administration (issue #9): staff posts, leave, letters and visits, duty roster, documents and seals,
meeting rooms. Every table carries `area` (the street, or the community for village/residents-committee staff), so
one `visible_to` rule covers it; every write goes through office.services.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiceng.core.errors import IllegalTransition
from jiceng.orgs.models import Area, Person
from jiceng.rules import office as r


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "area__path"))


class Stateful(models.Model):
    TRANSITIONS: dict = {}

    class Meta:
        abstract = True

    def move_to(self, new) -> None:
        """Only services call this; they save, audit and notify."""
        if new not in self.TRANSITIONS.get(self.status, set()):
            raise IllegalTransition(self, current=self.status, wanted=new)
        self.status = new


class Post(models.TextChoices):
    """Posts and ranks of rules-admin §1.2 (orgs.Role has no ranks)."""

    PARTY_SECRETARY = r.PARTY_SECRETARY, _("党工委书记")
    ACTING_PARTY_SECRETARY = r.ACTING_PARTY_SECRETARY, _("主持党工委工作的副书记")
    DIRECTOR = r.DIRECTOR, _("办事处主任")
    ACTING_DIRECTOR = r.ACTING_DIRECTOR, _("主持行政工作的副主任")
    DEPUTY_DIRECTOR = r.DEPUTY_DIRECTOR, _("副主任")
    LEADER_IN_CHARGE = r.LEADER_IN_CHARGE, _("分管领导")
    DISCIPLINE_SECRETARY = r.DISCIPLINE_SECRETARY, _("纪工委书记")
    DEPUTY_SECTION_LEADER = r.DEPUTY_SECTION_LEADER, _("副科级领导")
    SECTION_HEAD = r.SECTION_HEAD, _("科室负责人")
    OFFICE_DIRECTOR = r.OFFICE_DIRECTOR, _("办公室主任")
    CENTER_DIRECTOR = r.CENTER_DIRECTOR, _("综治信访维稳中心主任")
    SEAL_KEEPER = r.SEAL_KEEPER, _("印章管理人员")
    ORDINARY_STAFF = r.ORDINARY_STAFF, _("机关一般工作人员")
    CLERK = r.CLERK, _("办事员")
    MASS_ORG_HEAD = r.MASS_ORG_HEAD, _("群团组织负责人")
    VRC_SECRETARY = r.VRC_SECRETARY, _("村(居)委书记")
    VRC_DIRECTOR = r.VRC_DIRECTOR, _("村(居)委主任")
    VRC_MEMBER = r.VRC_MEMBER, _("村(居)委成员")
    COMMUNITY_WORKER = r.COMMUNITY_WORKER, _("职业社区工作者")
    DISTRICT_APPROVER = r.DISTRICT_APPROVER, _("区级审批领导")


# Which post decides a person's rank when they hold several (the highest first).
RANK_ORDER = [Post.PARTY_SECRETARY, Post.DIRECTOR, Post.ACTING_PARTY_SECRETARY, Post.ACTING_DIRECTOR,
              Post.DISCIPLINE_SECRETARY, Post.DEPUTY_DIRECTOR, Post.LEADER_IN_CHARGE, Post.DEPUTY_SECTION_LEADER,
              Post.OFFICE_DIRECTOR, Post.CENTER_DIRECTOR, Post.SECTION_HEAD, Post.SEAL_KEEPER, Post.ORDINARY_STAFF,
              Post.CLERK, Post.VRC_SECRETARY, Post.VRC_DIRECTOR, Post.VRC_MEMBER, Post.COMMUNITY_WORKER]


class Section(models.TextChoices):
    """Sections of the street office (rules-admin §1.1)."""

    GENERAL_OFFICE = "general_office", _("党政办公室")
    FINANCE_OFFICE = "finance_office", _("财务室")
    ECON_MGMT = "econ_mgmt_section", _("经管科")
    URBAN_MGMT = "urban_mgmt_section", _("城管科")
    FAMILY_PLANNING = "family_planning_section", _("计生科")
    SOCIAL_AFFAIRS = "social_affairs_section", _("社会事务科")
    SAFETY = "safety_supervision_section", _("安监科")
    ZZ_CENTER = "street_zz_center", _("综治信访维稳中心")
    ENFORCEMENT = "enforcement_team", _("综合执法队")
    SERVICE_CENTER = "community_service_center", _("社区服务中心")
    WORK_SAFETY_OFFICE = "work_safety_office", _("安全生产办公室")


class StaffPostQuerySet(ScopedQuerySet):
    def on(self, day: datetime.date):
        return self.filter(Q(end_on__isnull=True) | Q(end_on__gte=day), start_on__lte=day)


class StaffPost(models.Model):
    """A person holds a post (and so a rank) in a street office, or in a village/residents committee of one of its
    communities, from `start_on` to `end_on` (inclusive). A leader in charge holds one row per section led."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="staff_posts", verbose_name=_("人员"))
    area = models.ForeignKey(Area, models.PROTECT, related_name="staff_posts", verbose_name=_("单位所在区域"),
                             help_text=_("街道（机关人员）或社区（村(居)委人员）"))
    post = models.CharField(_("岗位"), max_length=32, choices=Post, db_index=True)
    section = models.CharField(_("科室/分管领域"), max_length=40, choices=Section, blank=True)
    phone = models.CharField(_("工作电话"), max_length=20, blank=True)
    start_on = models.DateField(_("任职开始"))
    end_on = models.DateField(_("任职结束"), null=True, blank=True, help_text=_("最后一天（含）"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StaffPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("岗位任职")
        verbose_name_plural = _("岗位任职")
        ordering = ["area", "post", "start_on"]
        indexes = [models.Index(fields=["area", "post", "start_on"]), models.Index(fields=["person", "start_on"])]
        constraints = [models.CheckConstraint(condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                                              name="office_post_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_post_display()}"


class Counter(models.Model):
    """A serial per key (tracking numbers, document numbers): read and bumped under select_for_update."""

    key = models.CharField(max_length=120, unique=True)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


# Leave ----------------------------------------------------------------------------------------------------------

class LeaveRequest(Stateful):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("申请")
        APPROVED = "approved", _("批准")
        REJECTED = "rejected", _("不批准")
        FILED = "filed", _("备案")
        RETURNED = "returned", _("已销假")
        CANCELLED = "cancelled", _("已撤回")

    TRANSITIONS = {
        Status.SUBMITTED: {Status.APPROVED, Status.REJECTED, Status.CANCELLED},
        Status.APPROVED: {Status.FILED, Status.RETURNED},
        Status.FILED: {Status.RETURNED},
    }
    OPEN = (Status.APPROVED, Status.FILED)  # approved and not yet returned

    area = models.ForeignKey(Area, models.PROTECT, related_name="leave_requests", verbose_name=_("单位所在区域"))
    person = models.ForeignKey(Person, models.PROTECT, related_name="leave_requests", verbose_name=_("请假人"))
    rank = models.CharField(_("职级"), max_length=32, choices=Post)
    start_on = models.DateField(_("开始日期"), db_index=True)
    days = models.DecimalField(_("天数"), max_digits=5, decimal_places=1)
    end_on = models.DateField(_("结束日期"))
    return_due_on = models.DateField(_("应销假日期"), db_index=True)
    reason = models.CharField(_("事由"), max_length=500)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.SUBMITTED, db_index=True)
    route = models.JSONField(_("审批路径"), default=list)
    rule_id = models.CharField(_("依据"), max_length=32)
    rulebook_version = models.CharField(max_length=64, blank=True)
    file_with_office = models.BooleanField(_("办公室备案"), default=False)
    written = models.BooleanField(_("书面请假"), default=True)
    filed_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    returned_on = models.DateField(_("销假日期"), null=True, blank=True)
    returned_at = models.DateTimeField(_("销假登记时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("请假")
        verbose_name_plural = _("请假")
        ordering = ["-start_on", "-pk"]
        indexes = [models.Index(fields=["area", "status", "start_on"]), models.Index(fields=["person", "start_on"])]

    def __str__(self) -> str:
        return f"{self.person}请假{self.days}天（{self.start_on}）"

    def is_overdue_return(self, today: datetime.date) -> bool:
        """A-LEAVE-06 `overdue_return`: approved, not returned, and past the day the return was due."""
        return self.status in self.OPEN and today > self.return_due_on


class LeaveApproval(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("同意")
        REJECTED = "rejected", _("不同意")

    request = models.ForeignKey(LeaveRequest, models.CASCADE, related_name="approvals")
    position = models.PositiveSmallIntegerField()
    post = models.CharField(_("审批岗位"), max_length=32)
    decision = models.CharField(_("意见"), max_length=16, choices=Decision, default=Decision.PENDING)
    approver = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("审批人"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(_("批示"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        ordering = ["request", "position"]
        constraints = [models.UniqueConstraint(fields=["request", "position"], name="office_leave_step_once")]
        indexes = [models.Index(fields=["post", "decision"])]

    def __str__(self) -> str:
        return f"{self.request_id}#{self.position} {self.post} {self.decision}"


# Letters and visits ---------------------------------------------------------------------------------------------

class Petition(Stateful):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("登记")
        AWAITING_INSTRUCTION = "awaiting_instruction", _("待阅批")
        INSTRUCTED = "instructed", _("已阅批")
        IN_PROGRESS = "in_progress", _("办理中")
        CONCLUDED = "concluded", _("处结")
        FED_BACK = "fed_back", _("已反馈")

    TRANSITIONS = {
        Status.REGISTERED: {Status.AWAITING_INSTRUCTION},
        Status.AWAITING_INSTRUCTION: {Status.INSTRUCTED},
        Status.INSTRUCTED: {Status.IN_PROGRESS},
        Status.IN_PROGRESS: {Status.CONCLUDED},
        Status.CONCLUDED: {Status.FED_BACK},
    }
    OPEN = (Status.REGISTERED, Status.AWAITING_INSTRUCTION, Status.INSTRUCTED, Status.IN_PROGRESS)

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("一般信访案件")
        IMPORTANT = "important", _("重要复杂的信访案件")
        POLICY = "policy", _("政策性、倾向性及重要建设性")
        COLLECTIVE = "collective", _("集体上访")
        LARGE_COLLECTIVE = "large_collective", _("大规模集体上访")
        LEVEL_SKIPPING = "level_skipping", _("越级上访")
        TO_CITY = "to_city", _("赴市上访")
        TO_PROVINCE = "to_province", _("赴省上访")
        TO_BEIJING = "to_beijing", _("赴京上访")

    class Channel(models.TextChoices):
        LETTER = "letter", _("来信")
        VISIT = "visit", _("来访")
        PHONE = "phone", _("来电")
        ONLINE = "online", _("网上信访")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("已解决")
        EXPLAINED = "explained", _("已解释说明")
        NOT_ACCEPTED = "not_accepted", _("不予受理")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY = "basically", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")
        UNKNOWN = "unknown", _("未表态")

    area = models.ForeignKey(Area, models.PROTECT, related_name="petitions", verbose_name=_("所属区域"))
    tracking_number = models.CharField(_("信访编号"), max_length=40, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind, default=Kind.ORDINARY, db_index=True)
    channel = models.CharField(_("方式"), max_length=16, choices=Channel, default=Channel.VISIT)
    petitioner_name = models.CharField(_("来信来访人"), max_length=100)
    petitioner_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    petitioner_id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    petitioner_address = models.CharField(_("住址"), max_length=200, blank=True)
    headcount = models.PositiveIntegerField(_("人数"), default=1)
    received_on = models.DateField(_("来信来访日期"), db_index=True)
    issue = models.TextField(_("反映的主要问题"))
    request = models.TextField(_("要求"))
    status = models.CharField(_("状态"), max_length=24, choices=Status, default=Status.REGISTERED, db_index=True)
    first_receiver = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("第一接待人"))
    first_receiver_user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    owner = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("责任人"))
    instruction_post = models.CharField(_("阅批领导岗位"), max_length=32)
    instruction_due_on = models.DateField(_("阅批期限"), db_index=True)
    conclusion_due_on = models.DateField(_("处结期限"), db_index=True)
    conclusion_remind_on = models.DateField(_("处结提醒日"))
    upper_due_on = models.DateField(_("上级要求报结日期"), null=True, blank=True)
    instructed_by = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("阅批领导"))
    instruction = models.TextField(_("阅批意见"), blank=True)
    instructed_on = models.DateField(_("阅批日期"), null=True, blank=True)
    assigned_section = models.CharField(_("承办科室"), max_length=40, choices=Section, blank=True)
    handler = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("承办人"))
    case_leader = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("包案领导"))
    case_obligations = models.JSONField(_("三包一落实"), default=dict, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=16, choices=Outcome, blank=True)
    result = models.TextField(_("处理情况"), blank=True)
    concluded_on = models.DateField(_("处结日期"), null=True, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    reply_channel = models.CharField(_("答复方式"), max_length=16, choices=Channel, blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=16, choices=Satisfaction, blank=True)
    rulebook_version = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("来信来访")
        verbose_name_plural = _("来信来访")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["area", "status", "conclusion_due_on"])]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def due_on(self) -> dict[str, str]:
        """Due dates per stage (A-VISIT-04 instruction, A-VISIT-05 conclusion; the reply to the petitioner is due
        with the conclusion, A-FIRST-03, inferred)."""
        return {"instruction": self.instruction_due_on.isoformat(), "conclusion": self.conclusion_due_on.isoformat(),
                "feedback": self.conclusion_due_on.isoformat()}

    def overdue_stages(self, today: datetime.date) -> list[str]:
        stages = []
        if self.instructed_on is None and today > self.instruction_due_on:
            stages.append("instruction")
        if self.concluded_on is None and today > self.conclusion_due_on:
            stages.append("conclusion")
        return stages


# Duty roster ----------------------------------------------------------------------------------------------------

class DutyShift(Stateful):
    """One day's duty (A-DUTY-01: 08:30 to 08:30 next day) with its one leader on duty (A-DUTY-30)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("排班")
        ON_DUTY = "on_duty", _("在岗")
        HANDED_OVER = "handed_over", _("已交班")

    TRANSITIONS = {Status.SCHEDULED: {Status.ON_DUTY, Status.HANDED_OVER}, Status.ON_DUTY: {Status.HANDED_OVER}}

    area = models.ForeignKey(Area, models.PROTECT, related_name="duty_shifts", verbose_name=_("街道"))
    day = models.DateField(_("值班日期"))
    leader = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("带班领导"))
    leader_phone = models.CharField(_("带班领导电话"), max_length=20)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.SCHEDULED)
    log = models.TextField(_("值班记录"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("值班")
        verbose_name_plural = _("值班")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["area", "day"], name="office_one_shift_per_day")]

    def __str__(self) -> str:
        return f"{self.day} 值班"


class DutyOfficer(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("排班")
        SUBSTITUTED = "substituted", _("代岗")
        LATE = "late", _("迟到")
        ABSENT = "absent", _("脱岗/漏岗")

    shift = models.ForeignKey(DutyShift, models.CASCADE, related_name="officers")
    person = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("值班人员"))
    phone = models.CharField(_("联系电话"), max_length=20)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.SCHEDULED)
    substitute = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("代岗人"))

    class Meta:
        ordering = ["shift", "pk"]
        constraints = [models.UniqueConstraint(fields=["shift", "person"], name="office_officer_once_per_shift")]
        indexes = [models.Index(fields=["person", "shift"])]

    def __str__(self) -> str:
        return f"{self.shift_id}:{self.person_id}"


class DutyHandover(models.Model):
    """A-DUTY-01/10: the handover record; the outgoing shift cannot close without it."""

    shift = models.OneToOneField(DutyShift, models.PROTECT, related_name="handover")
    successor = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("接班人"))
    arrived_at = models.DateTimeField(_("接班人到岗时间"))
    minutes_late = models.PositiveIntegerField(_("迟到分钟"), default=0)
    deduction_fen = models.PositiveIntegerField(_("扣勤奖（分）"), default=0)
    notes = models.TextField(_("交待情况"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.shift_id} → {self.successor_id}"


class DutyIncident(models.Model):
    """A-DUTY-03/17/18: an incident during duty, with its reporting chain and deadline."""

    class Severity(models.TextChoices):
        MINOR = "minor", _("轻微")
        GENERAL = "general", _("一般")
        MAJOR = "major", _("重大")

    area = models.ForeignKey(Area, models.PROTECT, related_name="duty_incidents")
    shift = models.ForeignKey(DutyShift, models.PROTECT, related_name="incidents")
    occurred_at = models.DateTimeField(_("发生时间"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    place = models.CharField(_("地点"), max_length=200)
    description = models.TextField(_("情况"))
    measures = models.TextField(_("处置措施"))
    severity = models.CharField(_("等级"), max_length=16, choices=Severity, default=Severity.GENERAL)
    is_theft = models.BooleanField(_("盗窃案件"), default=False)
    report_due_at = models.DateTimeField(_("报告时限"))
    reported_to_leader_at = models.DateTimeField(_("报告带班领导时间"), null=True, blank=True)
    reported_to_principal_at = models.DateTimeField(_("报告主要领导时间"), null=True, blank=True)
    reported_upward_at = models.DateTimeField(_("报告上级主管部门时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["area", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.place}"


# Documents and seals --------------------------------------------------------------------------------------------

class OutgoingDocument(Stateful):
    class Status(models.TextChoices):
        DRAFTING = "drafting", _("草拟")
        CHECKED = "checked", _("核稿")
        REVIEWED = "reviewed", _("审核")
        SIGNED_OFF = "signed_off", _("签发")
        RECHECKED = "rechecked", _("复核")
        PROOFREAD = "proofread", _("校核")
        PRINTED = "printed", _("缮印")
        SEALED = "sealed", _("用印")
        REGISTERED = "registered", _("登记")
        ISSUED = "issued", _("发文")

    TRANSITIONS = {
        **{a: {b} for a, b in zip(r.OUTGOING_STEPS, r.OUTGOING_STEPS[1:], strict=False)},
        # A-DOC-15: a content change after sign-off sends the document back to `reviewed`.
        Status.SIGNED_OFF: {Status.RECHECKED, Status.REVIEWED},
        Status.RECHECKED: {Status.PROOFREAD, Status.REVIEWED},
        Status.PROOFREAD: {Status.PRINTED, Status.REVIEWED},
        Status.PRINTED: {Status.SEALED, Status.REVIEWED},
        Status.SEALED: {Status.REGISTERED, Status.REVIEWED},
    }

    class Issuer(models.TextChoices):
        PARTY_WC = r.PARTY_WC, _("街道党工委")
        STREET_OFFICE = r.STREET_OFFICE, _("街道办事处")
        MASS_ORG = r.MASS_ORG, _("街道群团组织")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("普通")
        URGENT = "urgent", _("加急")
        EXTRA_URGENT = "extra_urgent", _("特急")

    area = models.ForeignKey(Area, models.PROTECT, related_name="outgoing_documents", verbose_name=_("街道"))
    issuer = models.CharField(_("发文机关"), max_length=16, choices=Issuer)
    kind = models.CharField(_("文种"), max_length=20)
    issuer_code = models.CharField(_("机关代字"), max_length=20)
    title = models.CharField(_("标题"), max_length=200)
    recipients = models.CharField(_("主送机关"), max_length=300)
    body = models.TextField(_("正文"))
    urgency = models.CharField(_("紧急程度"), max_length=16, choices=Urgency, default=Urgency.NORMAL)
    section = models.CharField(_("拟稿科室"), max_length=40, choices=Section)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.DRAFTING, db_index=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("审核人"))
    signed_by = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("签发人"))
    signed_post = models.CharField(_("签发岗位"), max_length=32, blank=True)
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    year = models.PositiveIntegerField(_("年份"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    number = models.CharField(_("发文字号"), max_length=60, blank=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("发文")
        verbose_name_plural = _("发文")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["area", "status"])]
        constraints = [models.UniqueConstraint(fields=["area", "issuer", "kind", "year", "serial"],
                                               condition=Q(serial__isnull=False), name="office_doc_number_once")]

    def __str__(self) -> str:
        return self.number or self.title


class IncomingDocument(Stateful):
    class Status(models.TextChoices):
        RECEIVED = "received", _("签收")
        REGISTERED = "registered", _("登记")
        INSTRUCTED = "instructed", _("批办")
        IN_PROGRESS = "in_progress", _("承办")
        REPLIED = "replied", _("办结")

    TRANSITIONS = {Status.REGISTERED: {Status.INSTRUCTED}, Status.INSTRUCTED: {Status.IN_PROGRESS},
                   Status.IN_PROGRESS: {Status.REPLIED}}

    area = models.ForeignKey(Area, models.PROTECT, related_name="incoming_documents", verbose_name=_("街道"))
    serial = models.CharField(_("收文编号"), max_length=40, unique=True)
    source = models.CharField(_("来文单位"), max_length=200)
    source_number = models.CharField(_("来文字号"), max_length=60, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    received_on = models.DateField(_("收文日期"))
    own_deadline = models.DateField(_("来文规定时限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.REGISTERED, db_index=True)
    routing = models.JSONField(_("文件处理签"), default=list, blank=True)  # [{post, person, text, kind, on}]
    lead_section = models.CharField(_("主办科室"), max_length=40, choices=Section, blank=True)
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    due_on = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    extension_reason = models.TextField(_("延期说明"), blank=True)
    replied_on = models.DateField(_("办结日期"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("收文")
        verbose_name_plural = _("收文")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class SealUse(Stateful):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("申请")
        APPROVED = "approved", _("批准")
        REFUSED = "refused", _("拒绝")
        USED = "used", _("已用印")

    TRANSITIONS = {Status.REQUESTED: {Status.APPROVED, Status.REFUSED}, Status.APPROVED: {Status.USED,
                                                                                         Status.REFUSED}}

    class Purpose(models.TextChoices):
        SIGNED_DOCUMENT = "signed_document", _("经街办领导签发的文件、信息")
        CONTRACT = "contract", _("协议、经济合同及其它重大事项")
        CERTIFICATE = "certificate", _("一般情况证明、介绍信")
        ROUTINE_REPORT = "routine_report", _("各业务部门常规报表及报送材料")
        SPECIAL = "special", _("特殊情况")
        FEE_RECEIPT = "fee_receipt", _("对外收费单据")

    area = models.ForeignKey(Area, models.PROTECT, related_name="seal_uses", verbose_name=_("街道"))
    seal = models.CharField(_("印章"), max_length=100)
    purpose = models.CharField(_("用途"), max_length=20, choices=Purpose)
    description = models.CharField(_("用印事由"), max_length=300)
    copies = models.PositiveIntegerField(_("份数"), default=1)
    document = models.ForeignKey(OutgoingDocument, models.PROTECT, null=True, blank=True, related_name="seal_uses")
    take_out = models.BooleanField(_("带出机关"), default=False)
    requester = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("用印人"))
    approver_post = models.CharField(_("审批岗位"), max_length=32)
    approver = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+")
    approver_signed = models.BooleanField(_("审批人签字"), default=False)
    requester_signature = models.CharField(_("用印人签字"), max_length=50, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.REQUESTED)
    refusal_reason = models.CharField(_("拒绝理由"), max_length=300, blank=True)
    used_at = models.DateTimeField(_("用印时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("用印")
        verbose_name_plural = _("用印")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.seal} · {self.description}"


# Meeting rooms --------------------------------------------------------------------------------------------------

class Room(models.Model):
    area = models.ForeignKey(Area, models.PROTECT, related_name="rooms", verbose_name=_("街道"))
    name = models.CharField(_("名称"), max_length=60)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议室")
        verbose_name_plural = _("会议室")
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="office_room_name_once")]

    def __str__(self) -> str:
        return self.name


class RoomBooking(models.Model):
    area = models.ForeignKey(Area, models.PROTECT, related_name="room_bookings")
    room = models.ForeignKey(Room, models.PROTECT, related_name="bookings")
    section = models.CharField(_("使用科室"), max_length=40, choices=Section)
    purpose = models.CharField(_("用途"), max_length=200)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    released_at = models.DateTimeField(null=True, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["room", "starts_at"])]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="office_booking_positive")]

    def __str__(self) -> str:
        return f"{self.room_id} {self.starts_at:%Y-%m-%d %H:%M}"


class RoomSlot(models.Model):
    """A-ROOM-02 at the database level on every backend: a booking claims each 15-minute slot it covers, and a
    slot can be held once, so two overlapping bookings can never both commit."""

    SLOT_MINUTES = 15
    room = models.ForeignKey(Room, models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    booking = models.ForeignKey(RoomBooking, models.CASCADE, related_name="slots")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "starts_at"], name="office_room_slot_once")]

    def __str__(self) -> str:
        return f"{self.room_id} {self.starts_at:%Y-%m-%d %H:%M}"


# Vehicles, reception, assets ------------------------------------------------------------------------------------

class Vehicle(models.Model):
    class Pool(models.TextChoices):
        """E-VEHPOOL (A-VEH-01)."""

        LEADERS = "1", _("(1)党政办公室——保证党政主要领导使用")
        ECON_SERVICE = "2", _("(2)经管科、社区服务中心")
        OFFICE_ZZ = "3", _("(3)党政办、综治维稳中心")
        URBAN_SAFETY = "4", _("(4)城管科、安办")

    area = models.ForeignKey(Area, models.PROTECT, related_name="vehicles", verbose_name=_("街道"))
    plate = models.CharField(_("车牌号"), max_length=20)
    pool = models.CharField(_("使用单位"), max_length=2, choices=Pool)
    insurance_until = models.DateField(_("保险到期"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("公务车辆")
        verbose_name_plural = _("公务车辆")
        constraints = [models.UniqueConstraint(fields=["plate"], name="office_vehicle_plate_once")]

    def __str__(self) -> str:
        return self.plate


class VehicleBooking(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("待批准")
        BOOKED = "booked", _("已派车")

    area = models.ForeignKey(Area, models.PROTECT, related_name="vehicle_bookings")
    vehicle = models.ForeignKey(Vehicle, models.PROTECT, related_name="bookings")
    section = models.CharField(_("用车科室"), max_length=40, choices=Section)
    purpose = models.CharField(_("事由"), max_length=200)
    private_use = models.BooleanField(_("因私用车"), default=False)
    for_principal = models.BooleanField(_("主要领导用车"), default=False)
    starts_at = models.DateTimeField(_("出车时间"))
    ends_at = models.DateTimeField(_("返回时间"))
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.BOOKED)
    approved_by = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["vehicle", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.starts_at:%Y-%m-%d %H:%M}"


class Reception(models.Model):
    """An official reception (A-RECP): guests, reception staff, gift approval, expense settlement."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("已安排")
        LEADER_DECISION = "leader_decision", _("待领导决定")
        HELD = "held", _("已接待")
        SETTLED = "settled", _("已结清")

    area = models.ForeignKey(Area, models.PROTECT, related_name="receptions", verbose_name=_("街道"))
    visitors = models.CharField(_("来宾单位"), max_length=200)
    guests = models.PositiveIntegerField(_("客人人数"))
    staff_count = models.PositiveIntegerField(_("接待人员数"))
    host_section = models.CharField(_("对口接待科室"), max_length=40, choices=Section)
    visit_on = models.DateField(_("接待日期"))
    gift = models.BooleanField(_("赠送礼品"), default=False)
    gift_approved_by = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.PLANNED)
    settle_due_on = models.DateField(_("结清期限"))
    settled_on = models.DateField(_("结清日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("公务接待")
        verbose_name_plural = _("公务接待")
        ordering = ["-visit_on"]

    def __str__(self) -> str:
        return f"{self.visit_on} {self.visitors}"


class Asset(models.Model):
    """The asset register (A-ASSET-09/11/12): items from 500 yuan carry a card number; equipment a custodian."""

    area = models.ForeignKey(Area, models.PROTECT, related_name="assets", verbose_name=_("街道"))
    name = models.CharField(_("名称"), max_length=100)
    section = models.CharField(_("使用科室"), max_length=40, choices=Section)
    unit_value_fen = models.PositiveBigIntegerField(_("单价（分）"))
    card_number = models.CharField(_("卡片编号"), max_length=40, blank=True)
    equipment = models.BooleanField(_("电器设备"), default=False)
    custodian = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("保管人"))
    holder = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("使用人"))
    acquired_on = models.DateField(_("购置日期"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("资产")
        verbose_name_plural = _("资产")
        indexes = [models.Index(fields=["area", "section"]), models.Index(fields=["holder"])]

    def __str__(self) -> str:
        return self.name


# Work reports and study ----------------------------------------------------------------------------------------

class WorkReport(models.Model):
    """A-RPT-01/02/03/21: written summaries and reports, with the period they cover."""

    class Kind(models.TextChoices):
        HALF_YEAR_SUMMARY = "half_year_summary", _("半年小结")
        YEAR_SUMMARY = "year_summary", _("年终总结")
        QUARTERLY_TO_PWC = "quarterly_to_pwc", _("季度向党工委汇报")
        TOPICAL = "topical", _("专题书面汇报")
        LIAISON = "liaison", _("联系点季度汇报")

    area = models.ForeignKey(Area, models.PROTECT, related_name="work_reports", verbose_name=_("街道"))
    kind = models.CharField(_("类别"), max_length=24, choices=Kind)
    section = models.CharField(_("科室"), max_length=40, choices=Section, blank=True)
    period_start = models.DateField(_("所属期间开始"))
    title = models.CharField(_("标题"), max_length=200)
    addressed_to = models.CharField(_("报送对象岗位"), max_length=32, blank=True)
    submitted_on = models.DateField(_("报送日期"))
    author = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作汇报")
        verbose_name_plural = _("工作汇报")
        indexes = [models.Index(fields=["area", "kind", "period_start"])]

    def __str__(self) -> str:
        return self.title


class StudySession(models.Model):
    """A-RPT-20: the Wednesday-afternoon study with its record."""

    area = models.ForeignKey(Area, models.PROTECT, related_name="study_sessions", verbose_name=_("街道"))
    held_on = models.DateField(_("学习日期"))
    topic = models.CharField(_("学习内容"), max_length=200)
    attendees = models.ManyToManyField(Person, related_name="+", verbose_name=_("参加人员"))
    absent_reasons = models.JSONField(_("缺席及理由"), default=dict, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("学习记录")
        verbose_name_plural = _("学习记录")
        indexes = [models.Index(fields=["area", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"
