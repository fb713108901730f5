"""The 「一征三议两公开」 matter (rules-core §2.2): one decision case, its steps, its solicitation of opinions,
its implementation progress; every record is filed into the matter's own dossier (一事一档)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.archives.models import Dossier
from jiceng.disclosure.models import DisclosureItem
from jiceng.meetings.models import AgendaItem, Meeting
from jiceng.orgs.models import Area
from jiceng.rules.decisions import STEP_LABELS, URBAN, VILLAGE

Step = models.TextChoices("Step", {code.upper(): (code, zh) for code, (zh, _en) in STEP_LABELS.items()})


class MatterQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "community__path"))


class Matter(models.Model):
    class Template(models.TextChoices):
        URBAN = URBAN, _("城市社区")
        VILLAGE = VILLAGE, _("村改居社区")

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        SUSPENDED = "suspended", _("不办或缓办")
        CLOSED = "closed", _("已结案")

    community = models.ForeignKey(Area, models.PROTECT, related_name="matters", verbose_name=_("社区"))
    template = models.CharField(_("程序"), max_length=16, choices=Template)
    topic = models.CharField(_("事项类别"), max_length=4)
    title = models.CharField(_("事项名称"), max_length=200)
    summary = models.TextField(_("事项内容"))
    budget = models.DecimalField(_("预算（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    initiator = models.CharField(_("提出人或提出机构"), max_length=100)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.OPEN, db_index=True)
    step = models.CharField(_("已完成到"), max_length=32, choices=Step, default="intake")
    waiting_on = models.CharField(_("等待"), max_length=100, blank=True)
    resolution = models.TextField(_("决议内容"), blank=True)
    resolved_at = models.DateTimeField(_("决议时间"), null=True, blank=True)
    council_item = models.ForeignKey(AgendaItem, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("议事会议题"))
    hearing = models.ForeignKey(Meeting, models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("听证会"))
    resolution_item = models.OneToOneField(DisclosureItem, models.PROTECT, null=True, blank=True,
                                           related_name="resolution_of")
    result_item = models.OneToOneField(DisclosureItem, models.PROTECT, null=True, blank=True, related_name="result_of")
    amends = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="amended_by",
                               verbose_name=_("变更的事项"))
    dossier = models.OneToOneField(Dossier, models.PROTECT, related_name="matter")
    rulebook_version = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MatterQuerySet.as_manager()

    class Meta:
        verbose_name = _("决策事项")
        verbose_name_plural = _("决策事项")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["community", "status", "step"])]

    def __str__(self) -> str:
        return self.title


class StepRecord(models.Model):
    """One completed step: when it happened, who recorded it, and what completed it."""

    matter = models.ForeignKey(Matter, models.PROTECT, related_name="steps")
    step = models.CharField(max_length=32, choices=Step)
    occurred_at = models.DateTimeField(_("发生时间"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    agenda_item = models.ForeignKey(AgendaItem, models.PROTECT, null=True, blank=True, related_name="+")
    disclosure = models.ForeignKey(DisclosureItem, models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["matter", "step"], name="one_record_per_step")]

    def __str__(self) -> str:
        return f"{self.matter} · {self.step}"


class Solicitation(models.Model):
    """一征: the open call for opinions, shown on the public site until its deadline."""

    matter = models.OneToOneField(Matter, models.PROTECT, related_name="solicitation")
    question = models.TextField(_("征求意见的内容"))
    opened_at = models.DateTimeField(_("开始时间"))
    deadline = models.DateField(_("截止日期"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    summary = models.TextField(_("意见汇总"), blank=True)
    # R-HEAR-16: a linked hearing's preferred plan, shown beside the proposal.
    preferred_plan = models.TextField(_("听证会倾向性方案"), blank=True)

    def __str__(self) -> str:
        return f"{self.matter} 征求意见"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Opinion(models.Model):
    class Position(models.TextChoices):
        SUPPORT = "support", _("赞成")
        OPPOSE = "oppose", _("反对")
        SUGGEST = "suggest", _("建议修改")
        OTHER = "other", _("其他意见")

    class Channel(models.TextChoices):
        ONLINE = "online", _("网上")
        DOOR_TO_DOOR = "door_to_door", _("入户走访")
        LIAISON = "liaison", _("党员联系户")
        HEARING = "hearing", _("听证会")
        MEETING = "meeting", _("座谈会")
        BOX = "box", _("意见箱")

    solicitation = models.ForeignKey(Solicitation, models.PROTECT, related_name="opinions")
    position = models.CharField(_("意见"), max_length=16, choices=Position)
    text = models.TextField(_("具体意见"), blank=True)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    building = models.CharField(_("楼栋"), max_length=50, blank=True)
    received_at = models.DateTimeField(_("收到时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+")
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["solicitation", "idempotency_key"],
                                               condition=~models.Q(idempotency_key=""), name="one_opinion_per_key")]

    def __str__(self) -> str:
        return f"{self.get_position_display()} {self.text[:20]}"


class Progress(models.Model):
    """Implementation progress and supervision (R-WF-10): an update, or a council member's remark that needs a
    response."""

    class Kind(models.TextChoices):
        UPDATE = "update", _("进展")
        REMARK = "remark", _("监督意见")
        RESPONSE = "response", _("处理回复")

    matter = models.ForeignKey(Matter, models.PROTECT, related_name="progress")
    kind = models.CharField(max_length=16, choices=Kind)
    text = models.TextField(_("内容"))
    responds_to = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="response")
    occurred_at = models.DateTimeField(_("发生时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    done = models.BooleanField(_("实施完成"), default=False)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class MatterDocument(models.Model):
    """A file kept with the matter (issue #5; R-ARCH-04/05 "每个决策事项的内容和有关原始资料"): original material,
    a photo of the implementation's progress, or another document; checked and stored by jiceng.core.uploads."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("原始资料")
        PHOTO = "photo", _("进展照片")
        OTHER = "other", _("其他文件")

    matter = models.ForeignKey(Matter, models.PROTECT, related_name="documents")
    progress = models.ForeignKey(Progress, models.PROTECT, null=True, blank=True, related_name="documents",
                                 verbose_name=_("所属进展"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind)
    file = models.FileField(_("文件"), upload_to="decisions/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    media_type = models.CharField(_("文件格式"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("内容摘要"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("事项资料")
        verbose_name_plural = _("事项资料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
