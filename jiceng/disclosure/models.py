"""Disclosure items on the party-affairs and residents'-affairs boards, their attachments and the feedback box.

An item moves draft → (reviewed →) decided → (signed →) published → withdrawn | superseded; the boards differ
in which steps they need (services.STEPS). Published content is never edited: a correction is a new item that
`supersedes` the old one, which stays visible as superseded with the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.meetings.models import AgendaItem, Meeting
from jiceng.orgs.models import Area
from jiceng.rules.disclosure import PARTY, RESIDENTS, TIMING_CLASSES


class Board(models.TextChoices):
    PARTY = PARTY, _("党务公开栏")
    RESIDENTS = RESIDENTS, _("居务公开栏")


TimingClass = models.TextChoices(
    "TimingClass", {code.upper(): (code, label) for code, (label, _en) in TIMING_CLASSES.items()})


class ItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "community__path"))

    def on_board(self):
        """What the public board shows now: published and superseded items (the latter marked as such)."""
        return self.filter(status__in=[DisclosureItem.Status.PUBLISHED, DisclosureItem.Status.SUPERSEDED])


class DisclosureItem(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草拟")
        RETURNED = "returned", _("退回修改")
        REVIEWED = "reviewed", _("监委会已审查")
        DECIDED = "decided", _("已集体研究")
        SIGNED = "signed", _("负责人已签字")
        PUBLISHED = "published", _("已公开")
        WITHDRAWN = "withdrawn", _("已撤下")
        SUPERSEDED = "superseded", _("已更正（旧版）")

    community = models.ForeignKey(Area, models.PROTECT, related_name="disclosures", verbose_name=_("社区"))
    board = models.CharField(_("公开栏"), max_length=16, choices=Board)
    category = models.CharField(_("公开类别"), max_length=4)
    timing_class = models.CharField(_("公开时间类别"), max_length=24, choices=TimingClass)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    tables = models.JSONField(_("表格"), default=list, blank=True)
    period_start = models.DateField(_("所属期间起"), null=True, blank=True)
    period_end = models.DateField(_("所属期间止"), null=True, blank=True)
    withdraw_on = models.DateField(_("撤下日期"), null=True, blank=True)
    results_of = models.ForeignKey(Meeting, models.PROTECT, null=True, blank=True, related_name="disclosures",
                                   verbose_name=_("公布结果的会议"))
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.DRAFT, db_index=True)

    # The steps, each with who and when (R-PDISC-05–07, R-RDISC-03–05).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    review_note = models.TextField(_("审查意见"), blank=True)
    decision = models.ForeignKey(AgendaItem, models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("集体研究决定的议题"))
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    signed_at = models.DateTimeField(_("签字时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+")
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)
    withdraw_reason = models.TextField(_("撤下原因"), blank=True)
    content_sha256 = models.CharField(_("公开内容摘要"), max_length=64, blank=True)

    # Corrections: a new version names the one it replaces and why.
    supersedes = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="superseded_by",
                                      verbose_name=_("更正的旧版"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    correction_reason = models.TextField(_("更正原因"), blank=True)
    correction_required_at = models.DateTimeField(_("须予纠正（多数居民不赞成）"), null=True, blank=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开事项")
        verbose_name_plural = _("公开事项")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["community", "board", "status", "category"])]

    def __str__(self) -> str:
        return self.title

    @property
    def category_label(self) -> str:
        from jiceng.rules.disclosure import CATEGORIES

        return CATEGORIES[self.board].get(self.category, self.category)


class Attachment(models.Model):
    item = models.ForeignKey(DisclosureItem, models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="disclosure/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    media_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("内容摘要"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class FeedbackQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "community__path"))


class Feedback(models.Model):
    """A question, opinion, objection or report (检举) from the feedback box (R-PDISC-03, R-RDISC-02)."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("询问")
        OPINION = "opinion", _("意见建议")
        OBJECTION = "objection", _("不赞成")
        REPORT = "report", _("检举")

    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已答复")

    community = models.ForeignKey(Area, models.PROTECT, related_name="disclosure_feedback")
    board = models.CharField(_("公开栏"), max_length=16, choices=Board)
    item = models.ForeignKey(DisclosureItem, models.PROTECT, null=True, blank=True, related_name="feedback")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind)
    text = models.TextField(_("内容"))
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # An objection counts once per household: the keyed digest of the address the resident gives (R-RDISC-06).
    household_digest = models.CharField(max_length=64, blank=True)
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    received_at = models.DateTimeField(_("收到时间"))
    due_on = models.DateField(_("答复期限"))
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.OPEN, db_index=True)
    reply = models.TextField(_("答复"), blank=True)
    reply_public = models.BooleanField(_("公开答复"), default=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    face_to_face_on = models.DateField(_("当面答复日期"), null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开反馈")
        verbose_name_plural = _("公开反馈")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["community", "status", "due_on"])]
        constraints = [models.UniqueConstraint(
            fields=["item", "household_digest"], condition=models.Q(kind="objection") & ~models.Q(household_digest=""),
            name="one_objection_per_household")]

    def __str__(self) -> str:
        return self.tracking_code


class BoardStamp(models.Model):
    """When a community's public pages last changed; part of every cached page's key (invalidation)."""

    community = models.OneToOneField(Area, models.CASCADE, related_name="+", primary_key=True)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.community_id}@{self.changed_at.isoformat()}"
