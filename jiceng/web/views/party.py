"""Party-member affairs in the staff UI (issue #8): the roster, a member's page (readable on a phone), the branch
secretary's month, and the dues ledger as Excel in the layout branches hand upward.

Thin (STYLE §4): find what the user may see (404 otherwise), call one service of jiceng.party.services per POST and
redirect with a message; a refusal shows the DomainError's message (which cites the rule) at its status.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.accounts import scope
from jiceng.core.errors import DomainError
from jiceng.orgs.models import Area, Membership, Person
from jiceng.party import queries, services
from jiceng.party.models import DuesMonth, PartyMember
from jiceng.rules import party as r

from .common import form_error, visible_or_404

PAGE_SIZE = 50
CHOICES_LIMIT = 500


def _communities(user):
    return Area.objects.visible_to(user).filter(level=Area.Level.COMMUNITY).order_by("path")[:CHOICES_LIMIT]


def _message(exc: DomainError) -> str:
    return exc.localized(get_language())


class RosterFilter(forms.Form):
    community = forms.IntegerField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", gettext_lazy("全部状态")), *PartyMember.Status.choices])
    group = forms.IntegerField(required=False)
    q = forms.CharField(required=False, max_length=50, label=gettext_lazy("姓名"))


@login_required
def roster(request):
    form = RosterFilter(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    community = None
    if values.get("community"):
        community = visible_or_404(Area, request.user, values["community"])
    qs = queries.roster(request.user, community=community, status=values.get("status") or None,
                        group_id=values.get("group"), q=values.get("q") or "")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(request, "web/party/roster.html", {
        "form": form, "page": page, "rows": page.object_list, "query": query, "communities": _communities(request.user),
        "chosen_community": community.pk if community else None})


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=gettext_lazy("交纳日期"),
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    first_month = forms.CharField(label=gettext_lazy("起始月份"), max_length=7,
                                  widget=forms.TextInput(attrs={"placeholder": "2026-01", "pattern": r"\d{4}-\d{2}"}))
    months = forms.IntegerField(label=gettext_lazy("月数"), min_value=1, max_value=24, initial=1)
    amount = forms.DecimalField(label=gettext_lazy("金额（元）"), required=False, max_digits=10, decimal_places=2,
                                min_value=Decimal("0.01"))
    consent = forms.CharField(label=gettext_lazy("支部同意记录（代交、预交、补交）"), required=False, max_length=200)

    def clean_first_month(self):
        try:
            return datetime.date.fromisoformat(f"{self.cleaned_data['first_month']}-01")
        except ValueError:
            raise forms.ValidationError(_("月份格式须为 YYYY-MM。")) from None


STEPS = {
    PartyMember.Status.APPLICANT: ("activist",),
    PartyMember.Status.ACTIVIST: ("target",),
    PartyMember.Status.DEVELOPMENT_TARGET: ("vetting", "notice", "vote", "approval"),
    PartyMember.Status.PROBATIONARY_MEMBER: ("notice", "vote", "approval"),
}
STEP_LABELS = {"activist": gettext_lazy("确定为入党积极分子（R-DEV-03）"),
               "target": gettext_lazy("列为发展对象（R-DEV-04）"),
               "vetting": gettext_lazy("记录政治审查（R-DEV-03）"), "notice": gettext_lazy("公示（R-DEV-05）"),
               "vote": gettext_lazy("党员大会表决（R-DEV-07）"), "approval": gettext_lazy("街道党工委审批（R-DEV-07）")}
MATERIALS = sorted({*r.MATERIALS.params.admission, *r.MATERIALS.params.conversion})


class StepForm(forms.Form):
    """The fields of every pipeline step; the page shows those of the step, the service judges them."""

    on = forms.DateField(label=gettext_lazy("日期"), required=False,
                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    sponsors = forms.ModelMultipleChoiceField(label=gettext_lazy("培养联系人（两名正式党员）"), required=False,
                                              queryset=PartyMember.objects.none())
    note = forms.CharField(label=gettext_lazy("政审结论"), required=False, max_length=500)
    publish = forms.BooleanField(label=gettext_lazy("同时在党务公开栏起草公示"), required=False)
    yes = forms.IntegerField(label=gettext_lazy("赞成票"), required=False, min_value=0)
    entitled = forms.IntegerField(label=gettext_lazy("应到会有表决权的党员"), required=False, min_value=1)
    materials = forms.MultipleChoiceField(label=gettext_lazy("材料"), required=False,
                                          choices=[(m, m) for m in MATERIALS], widget=forms.CheckboxSelectMultiple)
    approval_ref = forms.CharField(label=gettext_lazy("批复文号"), required=False, max_length=120)
    approver = forms.ModelChoiceField(label=gettext_lazy("审批的党工委成员"), required=False,
                                      queryset=Person.objects.none())

    def __init__(self, *args, member: PartyMember, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsors"].queryset = (PartyMember.objects.filter(community=member.community,
                                                                       status=PartyMember.Status.FULL_MEMBER)
                                            .exclude(pk=member.pk).select_related("person")
                                            .order_by("person__name_pinyin"))
        self.fields["sponsors"].label_from_instance = lambda m: m.person.name
        pwc = Membership.objects.on(scope.today()).filter(
            role__in=services.PWC_OFFICERS, body__kind="party_working_committee",
            body__area_id=member.community.parent_id).values("person_id")
        self.fields["approver"].queryset = Person.objects.filter(pk__in=pwc)


def _member_context(request, member: PartyMember, form=None, step_form=None) -> dict:
    today = scope.today()
    year = today.year
    paid = {line.month: line for line in DuesMonth.objects.filter(member=member, month__year=year)
            .select_related("payment")}
    owed = set(queries.due_months(member, today))
    months = [{"month": m, "line": paid.get(m), "owed": m in owed and r.next_month(m) <= today}
              for m in r.months_between(datetime.date(year, 1, 1), datetime.date(year, 12, 31))]
    return {
        "m": member, "months": months, "year": year,
        "run": queries.unpaid_run(member, today),
        "sponsors": member.sponsorships.select_related("sponsor__person"),
        "steps": member.steps.all(), "notices": member.notices.all(),
        "episodes": member.mobile_episodes.all(),
        "officer": services.is_branch_officer(request.user, member.community, today),
        "form": form or PaymentForm(initial={"paid_on": today, "first_month": f"{today:%Y-%m}"}),
        "step_form": step_form or StepForm(member=member, initial={"on": today}),
        "steps_open": [(s, STEP_LABELS[s]) for s in STEPS.get(member.status, ())],
        "stage": "admission" if member.status == PartyMember.Status.DEVELOPMENT_TARGET else "conversion",
    }


@login_required
def member(request, pk: int):
    m = visible_or_404(PartyMember, request.user, pk)
    return render(request, "web/party/member.html", _member_context(request, m))


@require_POST
@login_required
def pay(request, pk: int):
    m = visible_or_404(PartyMember, request.user, pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        ctx = _member_context(request, m, form)
        ctx["error"] = form_error(form)
        return render(request, "web/party/member.html", ctx, status=400)
    data = form.cleaned_data
    try:
        services.pay_dues(request.user, m, paid_on=data["paid_on"], first_month=data["first_month"],
                          months=data["months"], amount=data["amount"], consent=data["consent"])
    except DomainError as exc:
        ctx = _member_context(request, m, form)
        ctx["error"] = _message(exc)
        return render(request, "web/party/member.html", ctx, status=exc.status)
    messages.success(request, _("党费已登记。"))
    return redirect("web:party_member", pk=m.pk)


@login_required
def feedback_slip(request, pk: int):
    """在职党员社区表现反馈单 (R-ORG-13, A-PARTY-15): printable, for the member's unit party organisation."""
    m = visible_or_404(PartyMember, request.user, pk)
    today = scope.today()
    try:
        year = int(request.GET.get("year") or today.year)
        quarter = int(request.GET.get("quarter") or (today.month - 1) // 3 + 1)
    except ValueError:
        year, quarter = today.year, (today.month - 1) // 3 + 1
    quarter = min(max(quarter, 1), 4)
    return render(request, "web/party/feedback_slip.html", {"m": m, "slip": queries.feedback_slip(m, year, quarter)})


@require_POST
@login_required
def step(request, pk: int, step: str):
    """One pipeline step by the branch (R-DEV-03…07); the service judges it and refuses with the rule."""
    m = visible_or_404(PartyMember, request.user, pk)
    if step not in STEPS.get(m.status, ()):
        messages.error(request, _("当前状态不能办理此步骤。"))
        return redirect("web:party_member", pk=m.pk)
    form = StepForm(request.POST, member=m)
    if not form.is_valid():
        ctx = _member_context(request, m, step_form=form)
        ctx["error"] = form_error(form)
        return render(request, "web/party/member.html", ctx, status=400)
    d = form.cleaned_data
    stage = "admission" if m.status == PartyMember.Status.DEVELOPMENT_TARGET else "conversion"
    on = d["on"] or scope.today()
    try:
        if step == "activist":
            services.make_activist(request.user, m, on=on, sponsors=list(d["sponsors"]))
        elif step == "target":
            services.make_target(request.user, m, on=on)
        elif step == "vetting":
            services.record_vetting(request.user, m, on=on, note=d["note"])
        elif step == "notice":
            services.start_notice(request.user, m, stage=stage, started_on=on, publish=d["publish"])
        elif step == "vote":
            services.record_vote(request.user, m, stage=stage, on=on, yes=d["yes"], entitled=d["entitled"],
                                 materials=d["materials"])
        else:
            services.approve(request.user, m, stage=stage, approved_on=on, approval_ref=d["approval_ref"],
                             approver=d["approver"])
    except DomainError as exc:
        ctx = _member_context(request, m, step_form=form)
        ctx["error"] = _message(exc)
        return render(request, "web/party/member.html", ctx, status=exc.status)
    messages.success(request, _("已办理：%(step)s") % {"step": STEP_LABELS[step]})
    return redirect("web:party_member", pk=m.pk)


def _chosen(request):
    communities = list(_communities(request.user))
    chosen = request.GET.get("community") or request.POST.get("community")
    community = next((c for c in communities if str(c.pk) == chosen), communities[0] if communities else None)
    return communities, community


def _month_param(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        return r.month_start(scope.today())


@login_required
def month(request):
    communities, community = _chosen(request)
    chosen_month = _month_param(request.GET.get("month"))
    data = queries.month_view(community, chosen_month) if community else None
    return render(request, "web/party/month.html", {
        "communities": communities, "community": community, "chosen_community": community.pk if community else None,
        "month": chosen_month, "data": data,
        "officer": bool(community) and services.is_branch_officer(request.user, community)})


@require_POST
@login_required
def dues_summary(request):
    communities, community = _chosen(request)
    chosen_month = _month_param(request.POST.get("month"))
    if community is None:
        return redirect("web:party_month")
    try:
        item = services.publish_dues_summary(request.user, community=community, month=chosen_month)
    except DomainError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("已在党务公开栏起草党费收缴情况（编号 %(pk)s），请按公开程序审定后公布。")
                         % {"pk": item.pk})
    query = urlencode({"community": community.pk, "month": f"{chosen_month:%Y-%m}"})
    return redirect(f"{reverse('web:party_month')}?{query}")


@login_required
def ledger_xlsx(request):
    """党费收缴登记表: one sheet, a row per member (group, name, status, monthly rate), twelve month columns (amount,
    or 欠 when owed and unpaid), the member's total; a totals row; the same layout every branch hands upward."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    communities, community = _chosen(request)
    if community is None:
        return redirect("web:party_month")
    try:
        year = int(request.GET.get("year") or scope.today().year)
    except ValueError:
        year = scope.today().year
    data = queries.ledger(community, year)
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}"
    title = _("%(community)s %(year)s年党费收缴登记表") % {"community": community.name, "year": year}
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=17)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    head = [_("序号"), _("党小组"), _("姓名"), _("状态"), _("月党费（元）")] + [_("%(m)s月") % {"m": m.month}
                                                                        for m in data["months"]] + [_("合计")]
    ws.append(head)
    for i, row in enumerate(data["rows"], start=1):
        m = row["member"]
        # Amounts go in as Decimal (openpyxl writes them as numbers), never through a float.
        cells = [c if isinstance(c, Decimal) else (c or "") for c in row["cells"]]
        ws.append([i, m.group.name if m.group else "", m.person.name, str(PartyMember.Status(m.status).label),
                   m.dues_yuan, *cells, row["total"]])
    ws.append(["", "", _("合计"), "", "", *data["month_totals"], data["total"]])
    thin = Side(style="thin")
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row, max_col=len(head)):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
    for row in ws.iter_rows(min_row=2, max_row=2):
        for cell in row:
            cell.font = Font(bold=True)
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 10
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="party-dues-{community.code}-{year}.xlsx"'
    return response
