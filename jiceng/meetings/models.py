"""Meetings: notice, expected and present attendance, agenda items, votes, recusals, written opinions,
anonymous ballots and minutes. Kinds are the identifiers of rules-core §1.3; their rules are in kinds.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiceng.core.errors import IllegalTransition
from jiceng.orgs.models import Body, Person


class Kind(models.TextChoices):
    HEARING = "hearing", _("听证会")
    DELIBERATION_COUNCIL = "deliberation_council", _("议事会")
    EVALUATION_MEETING = "evaluation_meeting", _("评议会（四报告一评议）")
    PWC_MEETING = "pwc_meeting", _("党工委会议")
    TWO_COMMITTEES_JOINT_MEETING = "two_committees_joint_meeting", _("两委联席会议")
    COMMUNITY_WORK_JOINT_MEETING = "community_work_joint_meeting", _("社区工作联席会")
    RESIDENT_REPRESENTATIVES_MEETING = "resident_representatives_meeting", _("居民代表会议")
    RESIDENTS_ASSEMBLY = "residents_assembly", _("居民会议")
    MEMBER_CONGRESS = "community_member_representatives_assembly", _("社区成员代表大会")
    PARTY_ORG_COMMITTEE_MEETING = "party_org_committee_meeting", _("支委会（党组织委员会会议）")
    PARTY_MEMBERS_ASSEMBLY = "party_members_assembly", _("党员大会")
    PARTY_GROUP_MEETING = "party_group_meeting", _("党小组会")
    PARTY_LECTURE = "party_lecture", _("党课")
    DEMOCRATIC_LIFE_MEETING = "democratic_life_meeting", _("民主生活会")
    ORGANIZATIONAL_LIFE_MEETING = "organizational_life_meeting", _("组织生活会")
    PARTY_BUILDING_WORK_MEETING = "party_building_work_meeting", _("党建工作会")
    CENTRAL_GROUP_STUDY_SESSION = "central_group_study_session", _("中心组学习会")
    # The street office's own meetings (rules-admin A-MEET-01/02/03/10, seed 003).
    DIRECTOR_MEETING = "director_meeting", _("主任会议")
    OFFICE_MEETING = "office_meeting", _("办公会议")
    SECTION_MEETING = "section_meeting", _("部门会议")
    ADMINISTRATIVE_REGULAR_MEETING = "administrative_regular_meeting", _("行政例会")
    ZONGZHI_REGULAR_MEETING = "zongzhi_regular_meeting", _("综治例会")
    COMMUNITY_WORK_REGULAR_MEETING = "community_work_regular_meeting", _("社区工作例会")
    URBAN_MANAGEMENT_REGULAR_MEETING = "urban_management_regular_meeting", _("城管工作例会")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "body__area__path"))


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草拟")
        NOTICED = "noticed", _("已通知")
        HELD = "held", _("已召开")
        CLOSED = "closed", _("已结束")
        CANCELLED = "cancelled", _("已取消")
        DEFERRED = "deferred", _("已延期")

    TRANSITIONS = {
        Status.DRAFT: {Status.NOTICED, Status.CANCELLED},
        Status.NOTICED: {Status.HELD, Status.CANCELLED, Status.DEFERRED},
        Status.DEFERRED: {Status.NOTICED, Status.CANCELLED},
        Status.HELD: {Status.CLOSED},
    }

    kind = models.CharField(_("会议类型"), max_length=48, choices=Kind, db_index=True)
    body = models.ForeignKey(Body, models.PROTECT, related_name="meetings", verbose_name=_("机构"))
    title = models.CharField(_("会议名称"), max_length=200)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    scheduled_at = models.DateTimeField(_("计划时间"))
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.DRAFT)
    notice_published_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    notice_text = models.TextField(_("通知内容"), blank=True)
    held_at = models.DateTimeField(_("召开时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    chair = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("主持人"))
    recorder = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("记录人"))
    # Kind-specific preconditions (evaluation participants, hearing list, democratic-life theme).
    subject_category = models.CharField(_("事项类别"), max_length=8, blank=True)
    evaluation_form = models.CharField(_("评议形式"), max_length=16, blank=True)
    participants_approved_at = models.DateTimeField(_("名单审核通过"), null=True, blank=True)
    participants_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                                 related_name="+")
    participant_confirmations = models.JSONField(_("名单确认"), default=dict, blank=True)
    theme = models.CharField(_("主题"), max_length=200, blank=True)
    theme_approved_at = models.DateTimeField(_("主题经上级同意"), null=True, blank=True)
    superior_reported_at = models.DateTimeField(_("书面报告上级"), null=True, blank=True)
    results_published_on = models.DateField(_("结果公布日期"), null=True, blank=True)
    rulebook_version = models.CharField(_("规则库版本"), max_length=64, blank=True)
    # ENFORCE-O refusals an authorised user went past, each with its reason (rules-core §0.1).
    overrides = models.JSONField(_("例外处理"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-scheduled_at", "-pk"]
        indexes = [models.Index(fields=["body", "kind", "scheduled_at"]),
                   models.Index(fields=["status", "scheduled_at"])]

    def __str__(self) -> str:
        return self.title

    def move_to(self, new: str) -> None:
        if new not in self.TRANSITIONS.get(self.status, set()):
            raise IllegalTransition(self, current=self.get_status_display(), wanted=self.Status(new).label)
        self.status = new

    @property
    def occurred_on(self):
        """The date rules judge: when it was held, or when it is planned."""
        from django.utils import timezone

        return timezone.localdate(self.held_at or self.scheduled_at)


class Attendance(models.Model):
    class Status(models.TextChoices):
        EXPECTED = "expected", _("应到")
        PRESENT = "present", _("出席")
        LEAVE = "leave", _("请假")
        ABSENT = "absent", _("缺席")

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, models.PROTECT, related_name="+")
    expected = models.BooleanField(_("应到"), default=True)
    voting = models.BooleanField(_("有表决权"), default=True)
    category = models.CharField(_("类别"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.EXPECTED)
    leave_requested_at = models.DateTimeField(_("请假时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_person")]
        indexes = [models.Index(fields=["meeting", "status"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_status_display()}"


class AgendaItem(models.Model):
    class ItemKind(models.TextChoices):
        ORDINARY = "ordinary", _("一般事项")
        MAJOR = "major", _("重大事项")
        CADRE = "cadre", _("干部事项")

    class Status(models.TextChoices):
        PENDING = "pending", _("待议")
        PASSED = "passed", _("通过")
        REJECTED = "rejected", _("未通过")
        NOT_HANDLED = "not_handled", _("不办")
        POSTPONED = "postponed", _("缓办")
        DEFERRED = "deferred", _("暂缓决定")
        ESCALATED = "escalated", _("已提交上一级")
        FILED = "filed", _("备案")
        NOTED = "noted", _("已议（无需表决）")

    DECIDED = {Status.PASSED, Status.REJECTED, Status.NOT_HANDLED, Status.POSTPONED, Status.DEFERRED,
               Status.ESCALATED, Status.FILED, Status.NOTED}

    class Method(models.TextChoices):
        ORAL = "oral", _("口头")
        SHOW_OF_HANDS = "show_of_hands", _("举手")
        NAMED = "named", _("记名投票")
        BALLOT = "ballot", _("无记名投票")

    # An item belongs to a body's queue; it sits on a meeting once put on its agenda (escalated and
    # deferred items wait in the queue of the next body until that body's next meeting takes them).
    body = models.ForeignKey(Body, models.PROTECT, related_name="agenda_items")
    meeting = models.ForeignKey(Meeting, models.PROTECT, null=True, blank=True, related_name="items")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("议题"), max_length=300)
    kind = models.CharField(_("议题类型"), max_length=16, choices=ItemKind, default=ItemKind.ORDINARY)
    topic = models.CharField(_("议题类别"), max_length=8, blank=True)
    subject_person = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("干部事项对象"))
    cadre_preconditions = models.JSONField(_("干部事项前置程序"), default=dict, blank=True)
    added_ad_hoc = models.BooleanField(_("临时增加"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.PENDING)
    method = models.CharField(_("表决方式"), max_length=16, choices=Method, blank=True)
    yes = models.PositiveIntegerField(null=True, blank=True)
    no = models.PositiveIntegerField(null=True, blank=True)
    abstain = models.PositiveIntegerField(null=True, blank=True)
    rule = models.CharField(max_length=32, blank=True)
    basis = models.JSONField(default=dict, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    origin = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="successors",
                               verbose_name=_("来源议题"))
    note = models.TextField(_("备注"), blank=True)
    # R-WF-16: a PWC item on a major matter closely related to residents' interests, and the public notice or
    # hearing that preceded it.
    affects_residents = models.BooleanField(_("与群众利益密切相关"), default=False)
    public_basis = models.CharField(_("公示或听证情况"), max_length=300, blank=True)
    public_hearing = models.ForeignKey(Meeting, models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("听证会"))

    class Meta:
        ordering = ["meeting", "order", "pk"]
        indexes = [models.Index(fields=["body", "status"])]
        constraints = [models.CheckConstraint(condition=~Q(kind="cadre") | Q(subject_person__isnull=False),
                                              name="cadre_item_names_one_person")]

    def __str__(self) -> str:
        return self.title


class Recusal(models.Model):
    item = models.ForeignKey(AgendaItem, models.CASCADE, related_name="recusals")
    person = models.ForeignKey(Person, models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="one_recusal_per_person")]

    def __str__(self) -> str:
        return f"{self.person} 回避 {self.item}"


class NamedVote(models.Model):
    class Choice(models.TextChoices):
        YES = "yes", _("赞成")
        NO = "no", _("反对")
        ABSTAIN = "abstain", _("弃权")

    item = models.ForeignKey(AgendaItem, models.CASCADE, related_name="named_votes")
    person = models.ForeignKey(Person, models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=Choice)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="one_named_vote_per_person")]

    def __str__(self) -> str:
        return f"{self.person}: {self.choice}"


class WrittenOpinion(models.Model):
    """An absent member's written view: kept and shown in the minutes, never counted (R-PWC-06, R-PWC-11)."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="written_opinions")
    person = models.ForeignKey(Person, models.PROTECT, related_name="+")
    item = models.ForeignKey(AgendaItem, models.CASCADE, null=True, blank=True, related_name="written_opinions")
    text = models.TextField()

    def __str__(self) -> str:
        return f"{self.person}: {self.text[:30]}"


class DutyReport(models.Model):
    """One of the four reports of an evaluation meeting (R-EVAL-01, R-EVAL-06)."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="duty_reports")
    role = models.CharField(max_length=48)
    person = models.ForeignKey(Person, models.PROTECT, related_name="+")
    work_completed = models.TextField()
    performance = models.TextField()
    next_steps = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "role"], name="one_report_per_role")]

    def __str__(self) -> str:
        return f"{self.role}: {self.person}"


class BallotBatch(models.Model):
    """Codes issued together for a meeting. Who received a code is kept (to issue one each), which code
    is never: codes carry no person, are stored only as digests, and share the batch's timestamp."""

    meeting = models.ForeignKey(Meeting, models.PROTECT, related_name="ballot_batches")
    issued_at = models.DateTimeField()
    count = models.PositiveIntegerField()
    recipients = models.ManyToManyField(Person, related_name="+")

    def __str__(self) -> str:
        return f"{self.meeting} · {self.count}"


class Ballot(models.Model):
    batch = models.ForeignKey(BallotBatch, models.PROTECT, related_name="ballots")
    meeting = models.ForeignKey(Meeting, models.PROTECT, related_name="ballots")
    digest = models.CharField(max_length=64, unique=True)
    answers = models.JSONField(null=True, blank=True)
    receipt = models.CharField(max_length=32, blank=True)
    cast = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["meeting", "cast"])]

    def __str__(self) -> str:
        return f"ballot {self.pk}"


class Minutes(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SIGNED = "signed", _("已签发")

    meeting = models.OneToOneField(Meeting, models.PROTECT, related_name="minutes")
    text = models.TextField(_("纪要正文"))
    status = models.CharField(max_length=8, choices=Status, default=Status.DRAFT)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.meeting} 纪要"
