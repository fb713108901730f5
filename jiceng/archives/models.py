"""Archives (ARCHITECTURE §2, rules-core §2.12): dossiers, and the records filed into them.

A record is a snapshot of what was filed (a publication, a review, a signature) with the SHA-256 of its
content. The database refuses UPDATE and DELETE on records (audit.triggers, R-ARCH-02), and `jiceng verify`
recomputes every hash, so a record once filed stays as it was.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.orgs.models import Area


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "area__path"))

    def current(self):
        """Not destroyed: what lists show (a destroyed dossier stays, with its records, as the register's evidence)."""
        return self.filter(destroyed_on__isnull=True)


class Dossier(models.Model):
    class Classification(models.TextChoices):
        NONE = "none", _("非密")
        SECRET = "secret", _("秘密")
        CONFIDENTIAL = "confidential", _("机密")
        TOP_SECRET = "top_secret", _("绝密")

    class Series(models.TextChoices):
        PARTY_DISCLOSURE = "party_disclosure", _("党务公开档案")          # R-PDISC-09
        RESIDENTS_DISCLOSURE = "residents_disclosure", _("居务公开档案")  # R-RDISC-05
        MATTER = "matter", _("决策事项档案")                              # 一事一档, R-WF-12
        ELECTION = "election", _("换届选举档案")                          # A-ARC-01: kept separately
        ZONGZHI = "zongzhi", _("综治工作档案")                            # A-ARC-50
        FONDS = "fonds", _("全宗卷")                                      # A-ARC-37: handovers, destruction
        GENERAL = "general", _("其他档案")

    class Retention(models.TextChoices):
        # E-RETENTION; the years of each class are in the rulebook (jiceng.rules.archives.RETENTION).
        PERMANENT = "permanent", _("永久")
        FIXED_30Y = "fixed_30y", _("定期30年")
        FIXED_10Y = "fixed_10y", _("定期10年")

    area = models.ForeignKey(Area, models.PROTECT, related_name="dossiers", verbose_name=_("区域"))
    series = models.CharField(_("档案类别"), max_length=32, choices=Series)
    key = models.CharField(_("卷号"), max_length=64, help_text=_("年度卷为年份"))
    title = models.CharField(_("案卷题名"), max_length=200)
    created_at = models.DateTimeField(_("立卷时间"), auto_now_add=True)
    # Retention (A-ARC-11): the class, and the last day kept, derived by services from the class and the file's
    # year (a yearly file's year, or the year it was closed); empty for permanent files and open matters.
    retention = models.CharField(_("保管期限"), max_length=16, choices=Retention, default=Retention.PERMANENT)
    retention_until = models.DateField(_("保管期满日"), null=True, blank=True, db_index=True)
    retention_reminded_until = models.DateField(null=True, blank=True, editable=False)
    closed_on = models.DateField(_("结卷日期"), null=True, blank=True)
    # A-ARC-27: documents of the party (working) committee are lent to its members and street leaders only.
    party_committee = models.BooleanField(_("党委文件"), default=False)
    # A-ARC-38: 秘密 and above need a register entry and two or more witnesses to be destroyed.
    classification = models.CharField(_("密级"), max_length=16, choices=Classification,
                                      default=Classification.NONE)
    # A-ARC-35: destroyed after appraisal. Records are append-only, so the rows stay (hashed, verified); the dossier
    # leaves lists and can no longer be lent, exported or filed into.
    destroyed_on = models.DateField(_("销毁日期"), null=True, blank=True)
    destroyed_in = models.ForeignKey("Appraisal", models.PROTECT, null=True, blank=True, related_name="destroyed",
                                     verbose_name=_("销毁鉴定"))

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("案卷")
        verbose_name_plural = _("案卷")
        constraints = [models.UniqueConstraint(fields=["area", "series", "key"], name="one_dossier_per_key")]

    def __str__(self) -> str:
        return self.title


class Record(models.Model):
    dossier = models.ForeignKey(Dossier, models.PROTECT, related_name="records", verbose_name=_("案卷"))
    sequence = models.PositiveIntegerField(_("件号"))
    kind = models.CharField(_("文件类型"), max_length=64)
    title = models.CharField(_("文件题名"), max_length=300)
    media_type = models.CharField(_("格式"), max_length=100, default="application/json")
    content = models.TextField(_("内容"))
    sha256 = models.CharField(_("内容摘要"), max_length=64)
    source_type = models.CharField(_("来源类型"), max_length=64)
    source_id = models.PositiveBigIntegerField(_("来源编号"))
    occurred_at = models.DateTimeField(_("形成时间"))
    filed_at = models.DateTimeField(_("归档时间"), auto_now_add=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("归档人"))

    class Meta:
        verbose_name = _("档案文件")
        verbose_name_plural = _("档案文件")
        ordering = ["dossier", "sequence"]
        constraints = [models.UniqueConstraint(fields=["dossier", "sequence"], name="one_record_per_sequence")]
        indexes = [models.Index(fields=["source_type", "source_id"])]

    def __str__(self) -> str:
        return f"{self.dossier} #{self.sequence} {self.title}"


class Handover(models.Model):
    """The handover slip of a change of archivist (R-ARCH-07, A-ARC-04, A-ARC-33): items counted, both signed."""

    community = models.ForeignKey(Area, models.PROTECT, related_name="archive_handovers", verbose_name=_("社区"))
    outgoing = models.ForeignKey("orgs.Person", models.PROTECT, related_name="+", verbose_name=_("移交人"))
    successor = models.ForeignKey("orgs.Person", models.PROTECT, related_name="+", verbose_name=_("接收人"))
    items = models.JSONField(_("交接清单"), default=list)
    item_count = models.PositiveIntegerField(_("交接件数"))
    handed_over_on = models.DateField(_("交接日期"))
    outgoing_signed = models.BooleanField(_("移交人已签字"))
    successor_signed = models.BooleanField(_("接收人已签字"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("档案交接")
        verbose_name_plural = _("档案交接")
        ordering = ["-handed_over_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.community} {self.handed_over_on} {self.outgoing} → {self.successor}"

    @property
    def area(self) -> Area:
        return self.community


class LoanQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "dossier__area__path"))

    def open(self):
        return self.filter(returned_on__isnull=True)


class Loan(models.Model):
    """One loan of a dossier (借阅登记, A-ARC-24/29): who, why, approved by whom, until when, and the feedback."""

    dossier = models.ForeignKey(Dossier, models.PROTECT, related_name="loans", verbose_name=_("案卷"))
    borrower_name = models.CharField(_("借阅人"), max_length=50)
    borrower_unit = models.CharField(_("借阅单位"), max_length=120)
    borrower = models.ForeignKey("orgs.Person", models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("借阅人（人员）"))
    purpose = models.CharField(_("借阅用途"), max_length=500)
    external = models.BooleanField(_("外单位"), default=False)
    introduction_letter = models.CharField(_("介绍信"), max_length=200, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("批准人"))
    allow_copy = models.BooleanField(_("准予摘抄复印"), default=False)
    lent_on = models.DateField(_("借出日期"))
    due_on = models.DateField(_("应还日期"))
    returned_on = models.DateField(_("归还日期"), null=True, blank=True)
    feedback = models.TextField(_("利用效果"), blank=True)
    lent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("经办人"))
    returned_to = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("收回人"))
    rulebook_version = models.CharField(max_length=64, blank=True)

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("借阅")
        verbose_name_plural = _("借阅")
        ordering = ["-lent_on", "-pk"]
        indexes = [models.Index(fields=["dossier", "returned_on"])]

    def __str__(self) -> str:
        return f"{self.dossier} · {self.borrower_name} · {self.lent_on}"

    @property
    def area(self) -> Area:
        return self.dossier.area


class ExportApproval(models.Model):
    """A street leader's approval to give a dossier to an outside party (A-SEC-01)."""

    dossier = models.ForeignKey(Dossier, models.PROTECT, related_name="export_approvals", verbose_name=_("案卷"))
    recipient = models.CharField(_("提供对象"), max_length=200)
    purpose = models.CharField(_("用途"), max_length=500)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("批准人"))
    approved_on = models.DateField(_("批准日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("对外提供审批")
        verbose_name_plural = _("对外提供审批")
        ordering = ["-approved_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.dossier} → {self.recipient}"

    @property
    def area(self) -> Area:
        return self.dossier.area


class AppraisalQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "area__path"))


class Appraisal(models.Model):
    """One appraisal of expired files by the appraisal group (A-ARC-30), its destruction list approved by the street
    director and filed with the district archives bureau (A-ARC-31), and the destruction (A-ARC-35/36/38)."""

    class Status(models.TextChoices):
        OPEN = "open", _("鉴定中")
        APPROVED = "approved", _("已批准")
        FILED = "filed", _("已备案")
        DESTROYED = "destroyed", _("已销毁")

    TRANSITIONS = {Status.OPEN: {Status.APPROVED}, Status.APPROVED: {Status.FILED}, Status.FILED: {Status.DESTROYED}}

    class Method(models.TextChoices):
        PULPING = "pulping", _("纸浆法")
        BURNING = "burning", _("烧毁法")

    area = models.ForeignKey(Area, models.PROTECT, related_name="appraisals", verbose_name=_("区域"))
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                  verbose_name=_("登记人"))
    opened_at = models.DateTimeField(_("鉴定开始"), auto_now_add=True)
    # A-ARC-31: the list as approved (frozen), the street director's approval and the filing with the bureau.
    destruction_list = models.JSONField(_("销毁清册"), default=list)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("批准人"))
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    bureau_filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    bureau_reference = models.CharField(_("备案文号"), max_length=100, blank=True)
    # A-ARC-35/36/38: who, how, where and when.
    destroyer = models.ForeignKey("orgs.Person", models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("销毁人"))
    witnesses = models.ManyToManyField("orgs.Person", blank=True, related_name="+", verbose_name=_("监销人"))
    method = models.CharField(_("销毁方法"), max_length=16, choices=Method, blank=True)
    place = models.CharField(_("销毁地点"), max_length=200, blank=True)
    destroyed_at = models.DateTimeField(_("销毁时间"), null=True, blank=True)
    register_entry = models.CharField(_("涉密销毁登记号"), max_length=100, blank=True)
    rulebook_version = models.CharField(max_length=64, blank=True)

    objects = AppraisalQuerySet.as_manager()

    class Meta:
        verbose_name = _("档案鉴定")
        verbose_name_plural = _("档案鉴定")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.area} {self.opened_at:%Y-%m-%d}"

    def move_to(self, new: str) -> None:
        """Only services call this; they save and audit."""
        from jiceng.core.errors import IllegalTransition

        if new not in self.TRANSITIONS.get(self.status, set()):
            raise IllegalTransition(self, current=self.status, wanted=new)
        self.status = new


class AppraisalMember(models.Model):
    """A member of the appraisal group with their function (A-ARC-30)."""

    class Function(models.TextChoices):
        HEAD = "head", _("组长")
        DEPUTY_HEAD = "deputy_head", _("副组长")
        MEMBER = "member", _("成员")

    appraisal = models.ForeignKey(Appraisal, models.CASCADE, related_name="members", verbose_name=_("鉴定"))
    person = models.ForeignKey("orgs.Person", models.PROTECT, related_name="+", verbose_name=_("人员"))
    function = models.CharField(_("职能"), max_length=16, choices=Function)

    class Meta:
        verbose_name = _("鉴定小组成员")
        verbose_name_plural = _("鉴定小组成员")
        constraints = [models.UniqueConstraint(fields=["appraisal", "person"], name="one_function_per_appraiser")]

    def __str__(self) -> str:
        return f"{self.person} ({self.function})"


class AppraisalOpinion(models.Model):
    """The group's opinion on one dossier: keep (refiled into `retention`) or destroy (A-ARC-31)."""

    class Verdict(models.TextChoices):
        KEEP = "keep", _("继续保存")
        DESTROY = "destroy", _("销毁")

    appraisal = models.ForeignKey(Appraisal, models.CASCADE, related_name="opinions", verbose_name=_("鉴定"))
    dossier = models.ForeignKey(Dossier, models.PROTECT, related_name="appraisal_opinions", verbose_name=_("案卷"))
    verdict = models.CharField(_("鉴定意见"), max_length=16, choices=Verdict)
    retention = models.CharField(_("重新划定保管期限"), max_length=16, choices=Dossier.Retention, blank=True)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("鉴定意见")
        verbose_name_plural = _("鉴定意见")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["appraisal", "dossier"], name="one_opinion_per_dossier")]

    def __str__(self) -> str:
        return f"{self.dossier} ({self.verdict})"
