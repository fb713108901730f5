"""Finance in the staff UI (issue #9 part 5): claims with their route and signatures, the approver's inbox, the
claim form, cash and bank journals, and the monthly statement (print, Excel, publish to the residents' board).

Thin (STYLE §4): find what the user may see (404 otherwise), call one service of jiceng.finance.services per
POST and redirect with a message; a refusal re-renders the page with the DomainError's message and its rule ID at
the error's status.
"""

from __future__ import annotations

import io
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core import uploads
from jiceng.core.errors import DomainError
from jiceng.finance import queries, services
from jiceng.finance.models import Budget, Claim, Entry, Kind, Ledger, Statement, Voucher
from jiceng.finance.money import yuan
from jiceng.finance.presenters import role_label, statement_detail
from jiceng.meetings.models import AgendaItem, Meeting
from jiceng.orgs.models import Area, Person

from ..forms import row_id_field
from .common import form_error, visible_or_404

PAGE_SIZE = 50
CHOICES_LIMIT = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refusal(exc: DomainError) -> dict:
    return {"message": exc.localized(get_language()), "rule": exc.rule, "code": exc.code}


def _areas(user):
    return (Area.objects.visible_to(user).filter(level__in=[Area.Level.COMMUNITY, Area.Level.STREET])
            .order_by("path")[:CHOICES_LIMIT])


# Claims ------------------------------------------------------------------------------------------------------

class FilterForm(forms.Form):
    area = row_id_field()
    status = forms.ChoiceField(required=False, choices=[("", gettext_lazy("全部状态")), *Claim.Status.choices])
    page = forms.IntegerField(required=False, min_value=1)


def _page(request, qs, query: str, template: str, extra: dict):
    page = Paginator(qs.order_by("-claimed_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"c": c, "amount": yuan(c.amount_fen), "waiting": [role_label(s.role) for s in c.steps.all()
                                                               if s.stage == c.current_stage and s.signed_at is None]
             if c.status == Claim.Status.PENDING else []} for c in page.object_list]
    return render(request, template, {"rows": rows, "page": page, "query": query, **extra})


@login_required
def claim_list(request):
    form = FilterForm(request.GET or None)
    qs = queries.claims_visible(request.user)
    query = ""
    if form.is_bound and form.is_valid():
        if form.cleaned_data["area"]:
            qs = qs.filter(area=visible_or_404(Area, request.user, form.cleaned_data["area"]))
        if form.cleaned_data["status"]:
            qs = qs.filter(status=form.cleaned_data["status"])
        query = urlencode({k: v for k, v in form.cleaned_data.items() if v and k != "page"})
    return _page(request, qs, query, "web/finance/list.html",
                 {"form": form, "areas": _areas(request.user), "title": _("报销审批")})


@login_required
def inbox(request):
    return _page(request, queries.awaiting(request.user), "", "web/finance/list.html",
                 {"inbox": True, "title": _("待我审批")})


class ClaimForm(forms.Form):
    area = forms.TypedChoiceField(label=gettext_lazy("社区或街道"), coerce=int)
    amount = forms.CharField(label=gettext_lazy("金额（元）"), max_length=20)
    purpose = forms.CharField(label=gettext_lazy("用途"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    claimant = forms.TypedChoiceField(label=gettext_lazy("经办人"), coerce=int)
    kind = forms.ChoiceField(label=gettext_lazy("支出类别"), choices=Kind.choices, initial="ordinary")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.pk, f"{a.name}（{a.get_level_display()}）") for a in _areas(user)]
        people = Person.objects.visible_to(user).order_by("name_pinyin")[:CHOICES_LIMIT]
        self.fields["claimant"].choices = [(p.pk, p.name) for p in people]
        own = getattr(getattr(user, "account", None), "person_id", None)
        if own:
            self.fields["claimant"].initial = own


@login_required
def claim_new(request):
    form = ClaimForm(request.user, request.POST or None)
    refusal, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                claim = services.create_claim(
                    request.user, area=visible_or_404(Area, request.user, data["area"]), amount=data["amount"],
                    purpose=data["purpose"], claimant=visible_or_404(Person, request.user, data["claimant"]),
                    kind=data["kind"])
            except DomainError as exc:
                refusal, status = _refusal(exc), exc.status
            else:
                messages.success(request, _("报销单已提交，审批路线已生成。"))
                return redirect("web:finance_claim", claim.pk)
        else:
            refusal, status = {"message": form_error(form)}, 400
    return render(request, "web/finance/new.html", {"form": form, "refusal": refusal}, status=status)


def _claim(request, pk: int) -> Claim:
    claim = queries.claims_visible(request.user).prefetch_related("vouchers", "steps__signed_by").filter(pk=pk).first()
    if claim is None:
        from django.http import Http404

        raise Http404
    return claim


def _detail(request, claim: Claim, refusal=None, status=200):
    person_id = queries.person_of(request.user)
    ledgers = Ledger.objects.visible_to(request.user).filter(area=claim.area) if claim.status == "approved" else []
    return render(request, "web/finance/detail.html", {
        "c": claim, "amount": yuan(claim.amount_fen), "refusal": refusal,
        "steps": [{"s": s, "label": role_label(s.role), "current": s.stage == claim.current_stage}
                  for s in claim.steps.all()],
        "route": [role_label(role) for role in claim.route],
        "may_sign": bool(services.signable_steps(claim, person_id, services._today()))
        if claim.status == Claim.Status.PENDING else False,
        "voucher_kinds": [k for k in Voucher.Kind.choices if k[0] != Voucher.Kind.INFORMAL_SLIP],
        "ledgers": ledgers,
    }, status=status)


@login_required
def claim_detail(request, pk: int):
    return _detail(request, _claim(request, pk))


def _act(request, pk: int, action, success: str):
    claim = _claim(request, pk)
    try:
        action(claim)
    except DomainError as exc:
        return _detail(request, _claim(request, pk), _refusal(exc), exc.status)
    messages.success(request, success)
    return redirect("web:finance_claim", pk)


@require_POST
@login_required
def claim_approve(request, pk: int):
    return _act(request, pk, lambda c: services.approve(request.user, c, note=request.POST.get("note", "")),
                _("已签字。"))


@require_POST
@login_required
def claim_reject(request, pk: int):
    return _act(request, pk, lambda c: services.reject(request.user, c, reason=request.POST.get("reason", "")),
                _("已拒绝报销。"))


class DecisionForm(forms.Form):
    agenda_item = row_id_field()
    decided_on = forms.DateField(required=False)
    reference = forms.CharField(required=False, max_length=200)


@require_POST
@login_required
def claim_decision(request, pk: int):
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, _claim(request, pk), {"message": form_error(form)}, 400)
    data = form.cleaned_data
    item = None
    if data["agenda_item"]:
        item = (AgendaItem.objects.filter(pk=data["agenda_item"], meeting__in=Meeting.objects.visible_to(request.user))
                .select_related("meeting__body").first())
        if item is None:
            return _detail(request, _claim(request, pk), {"message": _("未找到该议题。")}, 404)
    return _act(request, pk, lambda c: services.record_decision(
        request.user, c, agenda_item=item, decided_on=data["decided_on"], reference=data["reference"]),
        _("集体决定已登记。"))


@require_POST
@login_required
def claim_voucher(request, pk: int):
    upload = request.FILES.get("file")
    if upload is None:
        return _detail(request, _claim(request, pk), {"message": _("请选择凭证文件。")}, 400)

    def add(claim):
        services.add_voucher(request.user, area=claim.area, claim=claim, kind=request.POST.get("kind", "invoice"),
                             name=upload.name, content=uploads.read(upload))
    return _act(request, pk, add, _("凭证已上传。"))


@require_POST
@login_required
def claim_pay(request, pk: int):
    ledger = visible_or_404(Ledger, request.user, request.POST.get("ledger"))
    return _act(request, pk, lambda c: services.pay_claim(request.user, c, ledger=ledger), _("已支付并入账。"))


# Ledgers -----------------------------------------------------------------------------------------------------

@login_required
def ledgers(request):
    rows = Ledger.objects.visible_to(request.user).select_related("area").order_by("area__path", "kind")[:CHOICES_LIMIT]
    year = services._today().year
    budgets = list(Budget.objects.visible_to(request.user).filter(year=year).select_related("area")[:CHOICES_LIMIT])
    spent = dict(Entry.objects.filter(ledger__area__in=[b.area_id for b in budgets], direction=Entry.Direction.OUT,
                                      occurred_on__year=year)
                 .values("ledger__area").annotate(s=Sum("amount_fen")).values_list("ledger__area", "s"))
    usage = [{"b": b, "budget": yuan(b.amount_fen), "spent": yuan(spent.get(b.area_id, 0)),
              "remaining": yuan(b.amount_fen - spent.get(b.area_id, 0)), "over": spent.get(b.area_id, 0) > b.amount_fen}
             for b in budgets]
    return render(request, "web/finance/ledgers.html", {"ledgers": rows, "usage": usage, "year": year})


@login_required
def ledger(request, pk: int):
    book = visible_or_404(Ledger, request.user, pk)
    page = Paginator(book.entries.select_related("claim").order_by("seq"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/finance/ledger.html", {
        "ledger": book, "page": page, "query": "", "problems": services.verify_ledger(book),
        "balance": yuan(book.balance_fen), "opening": yuan(book.opening_fen),
        "rows": [{"e": e, "amount": yuan(e.amount_fen), "balance": yuan(e.balance_fen)} for e in page.object_list]})


# Statements --------------------------------------------------------------------------------------------------

class StatementForm(forms.Form):
    area = forms.TypedChoiceField(label=gettext_lazy("社区或街道"), coerce=int)
    year = forms.IntegerField(label=gettext_lazy("年"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=gettext_lazy("月"), min_value=1, max_value=12)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.pk, a.name) for a in _areas(user)]


@login_required
def statements(request):
    form = StatementForm(request.user, request.POST or None)
    refusal, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                statement = services.draw_up_statement(request.user, area=visible_or_404(Area, request.user,
                                                                                          data["area"]),
                                                       year=data["year"], month=data["month"])
            except DomainError as exc:
                refusal, status = _refusal(exc), exc.status
            else:
                messages.success(request, _("月度报表已编制。"))
                return redirect("web:finance_statement", statement.pk)
        else:
            refusal, status = {"message": form_error(form)}, 400
    rows = Statement.objects.visible_to(request.user).select_related("area")[:CHOICES_LIMIT]
    return render(request, "web/finance/statements.html",
                  {"form": form, "statements": rows, "refusal": refusal}, status=status)


def _statement_page(request, statement: Statement, template: str, refusal=None, status=200):
    return render(request, template, {"st": statement, "d": statement_detail(statement), "refusal": refusal},
                  status=status)


@login_required
def statement(request, pk: int):
    return _statement_page(request, visible_or_404(Statement, request.user, pk), "web/finance/statement.html")


@login_required
def statement_print(request, pk: int):
    return _statement_page(request, visible_or_404(Statement, request.user, pk), "web/finance/statement_print.html")


@login_required
def statement_xlsx(request, pk: int):
    from openpyxl import Workbook

    st = visible_or_404(Statement, request.user, pk)
    d = statement_detail(st)
    book = Workbook()
    sheet = book.active
    sheet.title = f"{st.year}-{st.month:02d}"
    sheet.append([_("%(area)s%(year)s年%(month)s月收支报表") % {"area": st.area.name, "year": st.year,
                                                               "month": st.month}])
    sheet.append([_("科目"), _("收入（元）"), _("支出（元）")])
    for row in d["rows"]:
        sheet.append([row["item"], Decimal(row["income"]), Decimal(row["expense"])])
    sheet.append([_("合计"), Decimal(d["totals"]["income"]), Decimal(d["totals"]["expense"])])
    sheet.append([])
    sheet.append([_("账簿"), _("期初余额"), _("收入"), _("支出"), _("期末余额")])
    for j in d["journals"]:
        sheet.append([str(Ledger.Kind(j["kind"]).label),
                      *(Decimal(j[k]) for k in ("opening", "income", "expense", "closing"))])
    sheet.append([_("合计"), *(Decimal(d["totals"][k]) for k in ("opening", "income", "expense", "closing"))])
    sheet.append([])
    sheet.append(["SHA-256", st.sha256])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    name = f"{st.area.name}-{st.year}-{st.month:02d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@require_POST
@login_required
def statement_publish(request, pk: int):
    st = visible_or_404(Statement, request.user, pk)
    try:
        item = services.publish_statement(request.user, st)
    except DomainError as exc:
        return _statement_page(request, st, "web/finance/statement.html", _refusal(exc), exc.status)
    messages.success(request, _("已生成居务公开草稿，请按公开程序审查、集体研究后公布。"))
    return redirect("web:finance_statement", item.finance_statement.pk)
