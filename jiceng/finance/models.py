"""Finance of communities and the street office (rules-admin §2.7 A-FIN): who holds which finance post, expense
claims with their approval route and signatures, vouchers, budgets, cash and bank ledgers, monthly statements.

Money is stored as integer fen (`*_fen`), so sums are exact in SQLite and PostgreSQL alike; `Decimal` yuan
are derived for display and the API. Nothing is ever a float.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiceng.core.errors import IllegalTransition
from jiceng.disclosure.models import DisclosureItem
from jiceng.meetings.models import AgendaItem
from jiceng.orgs.models import Area, Person
from jiceng.rules.finance import KINDS, ROLE_LABELS


def to_yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))


Post = models.TextChoices("Post", {code.upper(): (code, zh) for code, (zh, _en) in ROLE_LABELS.items()})
Kind = models.TextChoices("Kind", {code.upper(): (code, zh) for code, (zh, _en) in KINDS.items()})


class AreaScoped(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "area__path"))


class PostQuerySet(AreaScoped):
    def on(self, day: datetime.date):
        return self.filter(Q(end_on__isnull=True) | Q(end_on__gte=day), start_on__lte=day)


class FinancePost(models.Model):
    """A person holds a finance-relevant post (rules-admin §1.2 identifier) in a community or at the street,
    for a date range. orgs.Role has no section head, discipline secretary, leadership member, accountant or
    cashier, so they live here; posts orgs.Role does have are read from memberships as well (services.holders)."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="finance_posts", verbose_name=_("人员"))
    area = models.ForeignKey(Area, models.PROTECT, related_name="finance_posts", verbose_name=_("社区或街道"))
    post = models.CharField(_("岗位"), max_length=32, choices=Post)
    start_on = models.DateField(_("任职开始"))
    end_on = models.DateField(_("任职结束"), null=True, blank=True, help_text=_("最后一天（含）"))
    # A-FIN-09: a fund holder leaves with the street's departure audit and a handover to the successor.
    audit_ref = models.CharField(_("离岗审计记录"), max_length=200, blank=True)
    successor = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("接替人"))
    handover_note = models.TextField(_("财务交接内容"), blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("财务岗位")
        verbose_name_plural = _("财务岗位")
        ordering = ["area", "post", "start_on"]
        indexes = [models.Index(fields=["area", "post", "start_on"]), models.Index(fields=["person", "start_on"])]
        constraints = [models.CheckConstraint(condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                                              name="finance_post_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_post_display()} · {self.area}"


class Claim(models.Model):
    """An expense claim (报销) of a community or of the street office, routed by amount (A-FIN-07 / V-FIN-ST)."""

    class Level(models.TextChoices):
        COMMUNITY = "community", _("社区")
        STREET = "street", _("街道办事处")

    class Status(models.TextChoices):
        PENDING = "pending", _("审批中")
        APPROVED = "approved", _("已审批")
        REJECTED = "rejected", _("已拒绝")
        PAID = "paid", _("已支付入账")

    TRANSITIONS = {
        Status.PENDING: {Status.APPROVED, Status.REJECTED},
        Status.APPROVED: {Status.PAID},
    }

    area = models.ForeignKey(Area, models.PROTECT, related_name="expense_claims", verbose_name=_("社区或街道"))
    level = models.CharField(_("层级"), max_length=16, choices=Level)
    kind = models.CharField(_("支出类别"), max_length=24, choices=Kind, default="ordinary")
    amount_fen = models.BigIntegerField(_("金额（分）"))
    purpose = models.CharField(_("用途"), max_length=500)
    claimant = models.ForeignKey(Person, models.PROTECT, related_name="expense_claims", verbose_name=_("经办人"))
    claimed_on = models.DateField(_("报销日期"), db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.PENDING, db_index=True)
    # The route as the rules gave it when the claim was made (role identifiers), and what else it needs.
    route = models.JSONField(_("审批路线"), default=list)
    rules = models.JSONField(default=list)
    decision_required = models.BooleanField(_("须集体决定"), default=False)
    decision_body = models.CharField(_("决定机构"), max_length=48, blank=True)
    filing_required = models.BooleanField(_("须备案"), default=False)
    repair_report_required = models.BooleanField(_("须附维修审计报告"), default=False)
    current_stage = models.PositiveSmallIntegerField(_("当前步骤"), default=1, db_index=True)
    rulebook_version = models.CharField(max_length=64, blank=True)
    # The collective decision (member congress / working committee): a passed agenda item, or a recorded one.
    decision_item = models.ForeignKey(AgendaItem, models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("决定议题"))
    decision_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_ref = models.CharField(_("决定文号或会议记录"), max_length=200, blank=True)
    rejection_reason = models.TextField(_("拒绝原因"), blank=True)
    filed_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(_("审批完成时间"), null=True, blank=True)

    objects = AreaScoped.as_manager()

    class Meta:
        verbose_name = _("报销单")
        verbose_name_plural = _("报销单")
        ordering = ["-claimed_on", "-pk"]
        indexes = [models.Index(fields=["area", "status", "claimed_on"])]
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="claim_amount_positive")]

    def __str__(self) -> str:
        return gettext("报销单 %(number)s") % {"number": self.pk}

    @property
    def amount(self) -> Decimal:
        return to_yuan(self.amount_fen)

    @property
    def decision_recorded(self) -> bool:
        return self.decision_item_id is not None or self.decision_on is not None

    def move_to(self, new: str) -> None:
        if new not in self.TRANSITIONS.get(self.status, set()):
            raise IllegalTransition(self, current=self.Status(self.status).label, wanted=self.Status(new).label)
        self.status = new


class Step(models.Model):
    """One signature on the route: a post (role identifier) held where the claim needs it, in `stage` order.
    Every leadership member has a step of their own (A-FIN-34), all in one stage."""

    claim = models.ForeignKey(Claim, models.CASCADE, related_name="steps")
    stage = models.PositiveSmallIntegerField(_("顺序"))
    role = models.CharField(_("岗位"), max_length=32, choices=Post)
    area = models.ForeignKey(Area, models.PROTECT, related_name="+", verbose_name=_("任职区域"))
    person = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("指定签字人"))
    signed_by = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("签字人"))
    signed_user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+")
    signed_at = models.DateTimeField(_("签字时间"), null=True, blank=True)
    note = models.CharField(_("意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("审批步骤")
        verbose_name_plural = _("审批步骤")
        ordering = ["claim", "stage", "pk"]
        indexes = [models.Index(fields=["role", "area", "signed_at"])]

    def __str__(self) -> str:
        return f"{self.claim} · {self.get_role_display()}"


class Voucher(models.Model):
    """An original voucher (发票、收据 …) of a claim or a ledger entry, stored under its SHA-256 (A-FIN-02)."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("正规发票")
        RECEIPT = "receipt", _("收据")
        ADMIN_RECEIPT = "admin_receipt", _("行政事业性收据")
        BANK_SLIP = "bank_slip", _("银行回单")
        REPAIR_AUDIT_REPORT = "repair_audit_report", _("维修审计报告")
        OTHER = "other", _("其他凭证")
        INFORMAL_SLIP = "informal_slip", _("白条")  # named only to be refused (A-FIN-05)

    area = models.ForeignKey(Area, models.PROTECT, related_name="+")
    claim = models.ForeignKey(Claim, models.PROTECT, null=True, blank=True, related_name="vouchers")
    kind = models.CharField(_("凭证类型"), max_length=24, choices=Kind)
    file = models.FileField(_("文件"), upload_to="finance/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    media_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = AreaScoped.as_manager()

    class Meta:
        verbose_name = _("凭证")
        verbose_name_plural = _("凭证")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Budget(models.Model):
    area = models.ForeignKey(Area, models.PROTECT, related_name="budgets", verbose_name=_("社区或街道"))
    year = models.PositiveSmallIntegerField(_("年度"))
    amount_fen = models.BigIntegerField(_("预算（分）"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = AreaScoped.as_manager()

    class Meta:
        verbose_name = _("年度预算")
        verbose_name_plural = _("年度预算")
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="one_budget_per_area_year"),
                       models.CheckConstraint(condition=Q(amount_fen__gte=0), name="budget_not_negative")]

    def __str__(self) -> str:
        return f"{self.area} {self.year}"

    @property
    def amount(self) -> Decimal:
        return to_yuan(self.amount_fen)


class Ledger(models.Model):
    """A cash journal (现金日记账) or bank journal (银行存款日记账) of a community or the street office."""

    class Kind(models.TextChoices):
        CASH = "cash", _("现金日记账")
        BANK = "bank", _("银行存款日记账")

    area = models.ForeignKey(Area, models.PROTECT, related_name="ledgers", verbose_name=_("社区或街道"))
    kind = models.CharField(_("账簿"), max_length=8, choices=Kind)
    opened_on = models.DateField(_("启用日期"))
    opening_fen = models.BigIntegerField(_("期初余额（分）"), default=0)
    balance_fen = models.BigIntegerField(_("当前余额（分）"), default=0)
    entry_count = models.PositiveIntegerField(default=0)

    objects = AreaScoped.as_manager()

    class Meta:
        verbose_name = _("日记账")
        verbose_name_plural = _("日记账")
        constraints = [models.UniqueConstraint(fields=["area", "kind"], name="one_ledger_per_kind")]

    def __str__(self) -> str:
        return f"{self.area}{self.get_kind_display()}"

    @property
    def balance(self) -> Decimal:
        return to_yuan(self.balance_fen)


class Entry(models.Model):
    """One line of a journal with the balance after it; lines are appended in date order and never edited."""

    class Direction(models.TextChoices):
        IN = "in", _("收入")
        OUT = "out", _("支出")

    ledger = models.ForeignKey(Ledger, models.PROTECT, related_name="entries")
    seq = models.PositiveIntegerField(_("序号"))
    occurred_on = models.DateField(_("日期"), db_index=True)
    direction = models.CharField(_("收支"), max_length=4, choices=Direction)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    balance_fen = models.BigIntegerField(_("余额（分）"))
    summary = models.CharField(_("摘要"), max_length=200)
    category = models.CharField(_("科目"), max_length=60)
    claim = models.OneToOneField(Claim, models.PROTECT, null=True, blank=True, related_name="entry")
    vouchers = models.ManyToManyField(Voucher, related_name="entries", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("日记账分录")
        verbose_name_plural = _("日记账分录")
        ordering = ["ledger", "seq"]
        constraints = [models.UniqueConstraint(fields=["ledger", "seq"], name="one_entry_per_seq"),
                       models.CheckConstraint(condition=Q(amount_fen__gt=0), name="entry_amount_positive")]

    def __str__(self) -> str:
        return f"{self.ledger} #{self.seq}"

    @property
    def amount(self) -> Decimal:
        return to_yuan(self.amount_fen)

    @property
    def balance(self) -> Decimal:
        return to_yuan(self.balance_fen)


class Statement(models.Model):
    """The monthly income-and-expenditure statement (月结, A-FIN-03/43), frozen when drawn up."""

    area = models.ForeignKey(Area, models.PROTECT, related_name="finance_statements", verbose_name=_("社区或街道"))
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    data = models.JSONField(_("内容"))
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    disclosure = models.OneToOneField(DisclosureItem, models.PROTECT, null=True, blank=True,
                                      related_name="finance_statement", verbose_name=_("公开事项"))

    objects = AreaScoped.as_manager()

    class Meta:
        verbose_name = _("月度收支报表")
        verbose_name_plural = _("月度收支报表")
        ordering = ["-year", "-month", "area"]
        constraints = [models.UniqueConstraint(fields=["area", "year", "month"], name="one_statement_per_month")]

    def __str__(self) -> str:
        return gettext("%(area)s%(year)s年%(month)s月收支报表") % {"area": self.area, "year": self.year,
                                                               "month": self.month}
