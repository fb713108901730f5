"""The 综治办 in the staff UI (issue #9 part 7): the dispute register with filters, registration, the dispute page
with its timeline, due dates and the actions of its stage, screening rounds, the ledgers and the reports upward with
Excel and .docx downloads.

Thin (STYLE §4): find what the user may see (404 otherwise), call ONE service of jiceng.zongzhi.services per POST and
redirect with a message; a refusal re-renders the page with the message, its rule ID and the error's status.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.api.zongzhi import DOCX, XLSX, report_files
from jiceng.core.errors import DomainError
from jiceng.orgs.models import Area
from jiceng.rules import zongzhi as r
from jiceng.zongzhi import documents, ledgers, presenters, services
from jiceng.zongzhi.models import CATEGORY_CHOICES, LEVEL_CHOICES, Dispute, FollowUp, Report, Round

from ..forms_meetings import DATE
from .common import form_error, visible_or_404

PAGE_SIZE = 50
CHOICES_LIMIT = 500
BLANK = [("", "—")]


def _refusal(exc: DomainError) -> dict:
    return {"message": exc.localized(get_language()), "rule": exc.rule, "code": exc.code, "missing": []}


def _areas(user, *levels):
    return Area.objects.visible_to(user).filter(level__in=levels).order_by("path")[:CHOICES_LIMIT]


def _date(value, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default


# The register -------------------------------------------------------------------------------------------------

class FilterForm(forms.Form):
    community = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False, choices=BLANK + list(Dispute.Status.choices))
    category = forms.ChoiceField(label=gettext_lazy("类别"), required=False, choices=BLANK + CATEGORY_CHOICES)
    level = forms.ChoiceField(label=gettext_lazy("等级"), required=False, choices=BLANK + LEVEL_CHOICES)
    overdue = forms.BooleanField(label=gettext_lazy("只看逾期"), required=False)
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, communities=(), **kw):
        super().__init__(*args, **kw)
        self.fields["community"].choices = [("", "")] + [(c.pk, c.name) for c in communities]


@login_required
def dispute_list(request):
    user = request.user
    communities = list(_areas(user, Area.Level.COMMUNITY))
    form = FilterForm(request.GET or None, communities=communities)
    values = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = (Dispute.objects.visible_to(user).select_related("area", "mediator")
             .prefetch_related("parties", "follow_ups"))
    if values.get("community"):
        found = found.filter(area_id=values["community"])
    for key in ("status", "category", "level"):
        if values.get(key):
            found = found.filter(**{key: values[key]})
    if values.get("overdue"):
        found = found.filter(status__in=Dispute.OPEN, mediation_due__lt=timezone.localdate())
    page = Paginator(found.order_by("-registered_at", "-pk"), PAGE_SIZE).get_page(values.get("page"))
    today = timezone.localdate()
    rows = [presenters.summary(d, user, today) | {"obj": d} for d in page.object_list]
    kept = {k: values[k] for k in ("community", "status", "category", "level", "overdue") if values.get(k)}
    return render(request, "web/zongzhi/list.html", {
        "form": form, "page": page, "rows": rows, "query": urlencode(kept), "communities": communities,
        "chosen_community": values.get("community"),
        "may_register": bool(scope.paths(user, Perm.RUN_MEETINGS)) or user.is_superuser,
    })


class DisputeForm(forms.Form):
    community = forms.TypedChoiceField(label=gettext_lazy("发生地社区"), coerce=int)
    title = forms.CharField(label=gettext_lazy("纠纷事项"), max_length=200)
    facts = forms.CharField(label=gettext_lazy("基本情况"), widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label=gettext_lazy("类别"), choices=CATEGORY_CHOICES)
    level = forms.ChoiceField(label=gettext_lazy("等级"), choices=LEVEL_CHOICES)
    applicant = forms.CharField(label=gettext_lazy("申请人姓名"), max_length=50)
    applicant_phone = forms.CharField(label=gettext_lazy("申请人电话"), max_length=20, required=False)
    respondent = forms.CharField(label=gettext_lazy("被申请人姓名"), max_length=50, required=False)
    respondent_phone = forms.CharField(label=gettext_lazy("被申请人电话"), max_length=20, required=False)
    source = forms.ChoiceField(label=gettext_lazy("来源"), choices=Dispute.Source.choices)
    responsible_unit = forms.CharField(label=gettext_lazy("责任单位（重大纠纷必填）"), max_length=100, required=False)
    responsible_person = forms.CharField(label=gettext_lazy("责任人（重大纠纷必填）"), max_length=50, required=False)
    deadline = forms.DateField(label=gettext_lazy("办结时限（留空为登记后三十日）"), required=False, widget=DATE)
    collective = forms.BooleanField(label=gettext_lazy("集体访（五人以上或可能引发群体性事件）"), required=False)

    def __init__(self, *args, communities=(), **kw):
        super().__init__(*args, **kw)
        self.fields["community"].choices = [(c.pk, c.name) for c in communities]


@login_required
def dispute_new(request):
    communities = list(_areas(request.user, Area.Level.COMMUNITY))
    form = DisputeForm(request.POST or None, communities=communities)
    refusal, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            parties = [{"name": data["applicant"], "phone": data["applicant_phone"], "side": "applicant"}]
            if data["respondent"]:
                parties.append({"name": data["respondent"], "phone": data["respondent_phone"], "side": "respondent"})
            try:
                community = visible_or_404(Area, request.user, data["community"])
                dispute = services.register_dispute(
                    request.user, area=community, title=data["title"], facts=data["facts"],
                    category=data["category"], level=data["level"], parties=parties, source=data["source"],
                    responsible_unit=data["responsible_unit"], responsible_person=data["responsible_person"],
                    deadline=data["deadline"], collective=data["collective"])
            except DomainError as exc:
                refusal, status = _refusal(exc), exc.status
            else:
                messages.success(request, _("已登记：%(no)s") % {"no": dispute.register_no})
                return redirect("web:zz_dispute", pk=dispute.pk)
        else:
            refusal, status = {"message": form_error(form), "rule": None, "missing": []}, 400
    return render(request, "web/zongzhi/new.html", {"form": form, "refusal": refusal}, status=status)


# The dispute page and its actions -------------------------------------------------------------------------------

class AssignForm(forms.Form):
    mediator = forms.TypedChoiceField(label=gettext_lazy("调解人员"), coerce=int)
    unit = forms.CharField(label=gettext_lazy("责任单位"), max_length=100)
    requirements = forms.CharField(label=gettext_lazy("交办要求"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=gettext_lazy("完成时间（留空不变）"), required=False, widget=DATE)
    reason = forms.CharField(label=gettext_lazy("改派理由（改派时必填，仅中心主任）"), max_length=300, required=False)


class SessionForm(forms.Form):
    mediation_type = forms.ChoiceField(label=gettext_lazy("调解类型"), choices=list(r.MEDIATION_TYPES.items()))
    facts = forms.CharField(label=gettext_lazy("纠纷事实"), widget=forms.Textarea(attrs={"rows": 2}))
    parties = forms.CharField(label=gettext_lazy("到场当事人"), max_length=300)
    process = forms.CharField(label=gettext_lazy("调解经过"), widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(label=gettext_lazy("调解结果"), max_length=300)


class AgreementForm(forms.Form):
    terms = forms.CharField(label=gettext_lazy("协议内容"), widget=forms.Textarea(attrs={"rows": 3}))
    performance = forms.CharField(label=gettext_lazy("履行方式和期限"), required=False, max_length=500)
    signed_on = forms.DateField(label=gettext_lazy("签订日期"), widget=DATE)


class ReportForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("调处结果"), choices=Dispute.Outcome.choices)
    result = forms.CharField(label=gettext_lazy("办理情况"), widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(label=gettext_lazy("回访日期"), widget=DATE)
    method = forms.ChoiceField(label=gettext_lazy("回访方式"), choices=FollowUp.Method.choices)
    situation = forms.CharField(label=gettext_lazy("当事人思想状况和行为动态"),
                                widget=forms.Textarea(attrs={"rows": 2}))
    stable = forms.BooleanField(label=gettext_lazy("协议履行、情况稳定"), required=False, initial=True)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("上报理由"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("催办内容"), max_length=300)


class EmptyForm(forms.Form):
    pass


class HandlingForm(forms.Form):
    handling = forms.CharField(label=gettext_lazy("领导处理情况"), widget=forms.Textarea(attrs={"rows": 2}))


ACTIONS = {
    "assign": AssignForm, "mediate": SessionForm, "agree": AgreementForm, "report": ReportForm,
    "follow_up": FollowUpForm, "escalate": ReasonForm, "close": EmptyForm, "chase": NoteForm,
    "leader": HandlingForm,
}
OFFERED = {
    "registered": ("assign", "escalate"),
    "assigned": ("mediate", "assign", "escalate", "chase"),
    "in_mediation": ("mediate", "agree", "report", "assign", "escalate", "chase"),
    "escalated": ("assign", "escalate", "chase"),
    "reported_closed": ("follow_up", "close"),
    "closed": ("follow_up",),
}


def _load(user, pk: int) -> Dispute:
    visible_or_404(Dispute, user, pk)
    return (Dispute.objects.select_related(*presenters.DETAIL_RELATED).prefetch_related(*presenters.DETAIL_PREFETCH)
            .get(pk=pk))


def _forms(dispute, bound: tuple[str, forms.Form] | None = None) -> list[tuple[str, forms.Form]]:
    offered = list(OFFERED.get(dispute.status, ()))
    if "agree" in offered and hasattr(dispute, "agreement"):
        offered.remove("agree")
    if dispute.collective and dispute.leader_handled_at is None:
        offered.insert(0, "leader")
    today = timezone.localdate()
    result = []
    for name in offered:
        if bound and bound[0] == name:
            form = bound[1]
        else:
            initial = {"signed_on": today, "visited_on": today}
            form = ACTIONS[name](initial=initial, prefix=name)
        if name == "assign":
            form.fields["mediator"].choices = [(p.pk, p.name) for p in services.mediators(dispute.area, today)]
        result.append((name, form))
    return result


ACTION_LABELS = {"assign": gettext_lazy("交办 / 改派"), "mediate": gettext_lazy("记录调解"),
                 "agree": gettext_lazy("制作调解协议书"), "report": gettext_lazy("报结"),
                 "follow_up": gettext_lazy("回访"), "escalate": gettext_lazy("上报"), "close": gettext_lazy("销案"),
                 "chase": gettext_lazy("催办"), "leader": gettext_lazy("领导亲自处理（集体访）")}


def _detail_page(request, dispute, *, refusal=None, bound=None, status=200):
    data = presenters.detail(dispute, request.user)
    return render(request, "web/zongzhi/detail.html", {
        "d": dispute, "data": data, "refusal": refusal, "status_code": status,
        "actions": [(name, ACTION_LABELS[name], form) for name, form in _forms(dispute, bound)],
        "stages": [(_("交办"), data["dues"]["assign"]), (_("调结"), data["dues"]["mediation"]),
                   (_("回访"), data["dues"]["follow_up"])],
    }, status=status)


@login_required
def dispute_detail(request, pk: int):
    return _detail_page(request, _load(request.user, pk))


@require_POST
@login_required
def dispute_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    dispute = _load(request.user, pk)
    form = ACTIONS[action](request.POST, prefix=action)
    if action == "assign":
        form.fields["mediator"].choices = [(p.pk, p.name) for p in services.mediators(dispute.area,
                                                                                      timezone.localdate())]
    if not form.is_valid():
        return _detail_page(request, dispute, refusal={"message": form_error(form), "rule": None, "missing": []},
                            bound=(action, form), status=400)
    data = form.cleaned_data
    try:
        if action == "assign":
            mediator = services.mediators(dispute.area, timezone.localdate()).get(pk=data["mediator"])
            services.assign(request.user, dispute, mediator=mediator, unit=data["unit"],
                            requirements=data["requirements"], deadline=data["deadline"], reason=data["reason"])
        elif action == "mediate":
            services.record_session(request.user, dispute, **data)
        elif action == "agree":
            services.record_agreement(request.user, dispute, **data)
        elif action == "report":
            services.report_closed(request.user, dispute, **data)
        elif action == "follow_up":
            services.record_follow_up(request.user, dispute, **data)
        elif action == "escalate":
            services.escalate(request.user, dispute, reason=data["reason"])
        elif action == "close":
            services.close(request.user, dispute)
        elif action == "leader":
            services.record_leader_handling(request.user, dispute, handling=data["handling"])
        else:
            services.chase(request.user, dispute, note=data["note"])
    except DomainError as exc:
        return _detail_page(request, _load(request.user, pk), refusal=_refusal(exc), bound=(action, form),
                            status=exc.status)
    messages.success(request, _("已保存：%(action)s") % {"action": ACTION_LABELS[action]})
    return redirect("web:zz_dispute", pk=pk)


@login_required
def agreement_docx(request, pk: int):
    dispute = _load(request.user, pk)
    if not hasattr(dispute, "agreement"):
        raise Http404
    data = documents.agreement_docx(dispute, masked=not presenters.may_see_parties(request.user, dispute))
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="agreement-{dispute.pk}.docx"'
    return response


# Screening ------------------------------------------------------------------------------------------------------

FINDING_ROWS = 3


class RoundForm(forms.Form):
    area = forms.TypedChoiceField(label=gettext_lazy("排查单位"), coerce=int)
    kind = forms.ChoiceField(label=gettext_lazy("排查类型"), choices=Round.Kind.choices)
    held_on = forms.DateField(label=gettext_lazy("排查日期"), widget=DATE)
    scope_note = forms.CharField(label=gettext_lazy("排查范围和方式"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    register_cases = forms.BooleanField(label=gettext_lazy("将排查出的问题登记为纠纷案件"), required=False)

    def __init__(self, *args, areas=(), **kw):
        super().__init__(*args, **kw)
        self.fields["area"].choices = [(a.pk, a.name) for a in areas]
        for i in range(FINDING_ROWS):
            self.fields[f"f{i}_description"] = forms.CharField(label=_("问题描述"), required=False, max_length=500)
            self.fields[f"f{i}_category"] = forms.ChoiceField(label=_("类别"), required=False,
                                                              choices=BLANK + CATEGORY_CHOICES)
            self.fields[f"f{i}_level"] = forms.ChoiceField(label=_("等级"), required=False, choices=LEVEL_CHOICES)
            self.fields[f"f{i}_location"] = forms.CharField(label=_("地点"), required=False, max_length=200)

    def findings(self) -> list[dict]:
        data = self.cleaned_data
        return [{"description": data[f"f{i}_description"], "category": data[f"f{i}_category"],
                 "level": data[f"f{i}_level"] or "simple", "location": data[f"f{i}_location"]}
                for i in range(FINDING_ROWS) if data[f"f{i}_description"] or data[f"f{i}_category"]]

    def rows(self):
        return [[self[f"f{i}_{name}"] for name in ("description", "category", "level", "location")]
                for i in range(FINDING_ROWS)]


@login_required
def screening_list(request):
    rounds = Round.objects.visible_to(request.user).select_related("area").prefetch_related("findings")
    page = Paginator(rounds.order_by("-held_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/zongzhi/screening.html", {"page": page, "query": ""})


@login_required
def screening_new(request):
    areas = list(_areas(request.user, Area.Level.COMMUNITY, Area.Level.STREET))
    form = RoundForm(request.POST or None, areas=areas, initial={"held_on": timezone.localdate()})
    refusal, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                area = visible_or_404(Area, request.user, form.cleaned_data["area"])
                rd = services.record_round(request.user, area=area, held_on=form.cleaned_data["held_on"],
                                           kind=form.cleaned_data["kind"], scope_note=form.cleaned_data["scope_note"],
                                           findings=form.findings(), register=form.cleaned_data["register_cases"])
            except DomainError as exc:
                refusal, status = _refusal(exc), exc.status
            else:
                messages.success(request, _("排查记录已保存（%(n)s个问题）。") % {"n": rd.findings.count()})
                return redirect("web:zz_screening")
        else:
            refusal, status = {"message": form_error(form), "rule": None, "missing": []}, 400
    return render(request, "web/zongzhi/screening_new.html", {"form": form, "refusal": refusal}, status=status)


# Ledgers and reports --------------------------------------------------------------------------------------------

def _chosen_area(request, areas):
    pk = request.GET.get("area")
    if pk:
        return visible_or_404(Area, request.user, pk)
    return areas[0] if areas else None


@login_required
def ledger_page(request):
    areas = list(_areas(request.user, Area.Level.STREET, Area.Level.COMMUNITY))
    area = _chosen_area(request, areas)
    today = timezone.localdate()
    kind = request.GET.get("kind") or "dispute_screening_mediation"
    if kind not in r.LEDGERS:
        raise Http404
    start, end = _date(request.GET.get("start"), today.replace(day=1)), _date(request.GET.get("end"), today)
    rows = ledgers.rows(area, kind, start, end) if area else []
    query = urlencode({"area": area.pk if area else "", "kind": kind, "start": start, "end": end})
    if request.GET.get("format") == "xlsx" and area:
        response = HttpResponse(ledgers.workbook(area, kind, start, end), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="ledger-{kind}-{start}.xlsx"'
        return response
    return render(request, "web/zongzhi/ledgers.html", {
        "areas": areas, "area": area, "kind": kind, "kinds": list(r.LEDGERS.items()), "start": start, "end": end,
        "rows": rows, "query": query, "columns": r.LEDGER.params.columns,
    })


class SubmitForm(forms.Form):
    area = forms.TypedChoiceField(label=gettext_lazy("上报单位"), coerce=int)
    period = forms.ChoiceField(label=gettext_lazy("类型"), choices=Report.Period.choices)
    period_start = forms.DateField(label=gettext_lazy("期间（任一日期）"), widget=DATE)
    analysis = forms.CharField(label=gettext_lazy("情况分析"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, areas=(), **kw):
        super().__init__(*args, **kw)
        self.fields["area"].choices = [(a.pk, a.name) for a in areas]


@login_required
def report_page(request):
    areas = list(_areas(request.user, Area.Level.STREET, Area.Level.COMMUNITY))
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    form = SubmitForm(request.POST or None, areas=areas, initial={"period_start": last_month.replace(day=1)})
    refusal, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                area = visible_or_404(Area, request.user, data["area"])
                services.submit_report(request.user, area=area, period=data["period"],
                                       period_start=data["period_start"], analysis=data["analysis"])
            except DomainError as exc:
                refusal, status = _refusal(exc), exc.status
            else:
                messages.success(request, _("报表已上报。"))
                return redirect("web:zz_reports")
        else:
            refusal, status = {"message": form_error(form), "rule": None, "missing": []}, 400
    reports = Report.objects.visible_to(request.user).select_related("area").order_by("-period_start", "pk")[:100]
    return render(request, "web/zongzhi/reports.html", {"form": form, "refusal": refusal, "reports": reports},
                  status=status)


@login_required
def report_download(request, fmt: str):
    area = visible_or_404(Area, request.user, request.GET.get("area"))
    period = request.GET.get("period") or "month"
    if period not in Report.Period.values or fmt not in ("docx", "xlsx"):
        raise Http404
    start = _date(request.GET.get("period_start"), timezone.localdate().replace(day=1) - datetime.timedelta(days=1))
    label, figures, cases, title = report_files(area, period, start)
    if fmt == "docx":
        saved = Report.objects.filter(area=area, period=period, period_start=r.period_of(period, start).start)
        data = documents.report_docx(area, title=title, period_label=label, figures=figures, cases=cases,
                                     analysis=saved.values_list("analysis", flat=True).first() or "",
                                     day=timezone.localdate(), quarterly=period == "quarter")
        content_type = DOCX
    else:
        data, content_type = ledgers.report_workbook(area, title, figures, cases), XLSX
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="report-{period}-{start}.{fmt}"'
    return response


# 包案 (A-CASE) --------------------------------------------------------------------------------------------------

class CaseItemForm(forms.Form):
    area = forms.TypedChoiceField(label=gettext_lazy("单位"), coerce=int)
    kind = forms.ChoiceField(label=gettext_lazy("类别"), choices=list(r.CASE_KINDS.items()))
    title = forms.CharField(label=gettext_lazy("事项"), max_length=200)
    person_or_matter = forms.CharField(label=gettext_lazy("涉及人员或事项"), max_length=200)
    leader = forms.TypedChoiceField(label=gettext_lazy("包案领导"), coerce=int)

    def __init__(self, *args, areas=(), leaders=(), **kw):
        super().__init__(*args, **kw)
        self.fields["area"].choices = [(a.pk, a.name) for a in areas]
        self.fields["leader"].choices = [(p.pk, p.name) for p in leaders]


def _leaders(user):
    """People holding a 综治 post, or a leading office of the street, in the user's scope."""
    from jiceng.orgs.models import Membership, Person, Role
    from jiceng.zongzhi.models import Post

    roles = [Role.PWC_SECRETARY, Role.PWC_DEPUTY_SECRETARY, Role.PWC_MEMBER, Role.STREET_OFFICE_DIRECTOR,
             Role.STREET_OFFICE_DEPUTY_DIRECTOR, Role.SUPERVISING_LEADER]
    ids = set(Post.objects.visible_to(user).values_list("person_id", flat=True))
    ids |= set(Membership.objects.visible_to(user).on(timezone.localdate()).filter(role__in=roles)
               .values_list("person_id", flat=True))
    return Person.objects.filter(pk__in=ids).order_by("name")[:CHOICES_LIMIT]


@login_required
def case_page(request):
    from jiceng.zongzhi.models import CaseItem

    areas = list(_areas(request.user, Area.Level.STREET, Area.Level.COMMUNITY))
    form = CaseItemForm(request.POST or None, areas=areas, leaders=_leaders(request.user))
    refusal, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                from jiceng.orgs.models import Person

                services.list_case_item(request.user, area=visible_or_404(Area, request.user, data["area"]),
                                        kind=data["kind"], title=data["title"],
                                        person_or_matter=data["person_or_matter"],
                                        leaders=[Person.objects.get(pk=data["leader"])])
            except DomainError as exc:
                refusal, status = _refusal(exc), exc.status
            else:
                messages.success(request, _("包案事项已列入。"))
                return redirect("web:zz_cases")
        else:
            refusal, status = {"message": form_error(form), "rule": None, "missing": []}, 400
    items = CaseItem.objects.visible_to(request.user).select_related("area", "leader").order_by("done", "-pk")[:200]
    today = timezone.localdate()
    stale = r.CASE_LEADER.params.stale_days
    rows = [{"item": i, "stale": not i.done and (today - i.last_progress_on).days > stale,
             "obligations": [(k, label, bool(i.obligations.get(k))) for k, label in r.CASE_OBLIGATIONS.items()]}
            for i in items]
    return render(request, "web/zongzhi/cases.html", {"form": form, "refusal": refusal, "rows": rows},
                  status=status)


@require_POST
@login_required
def case_progress(request, pk: int):
    from jiceng.zongzhi.models import CaseItem

    item = visible_or_404(CaseItem, request.user, pk)
    try:
        services.record_case_progress(request.user, item, progress=request.POST.get("progress", ""),
                                      obligations={k: k in request.POST.getlist("obligations")
                                                   for k in r.CASE_OBLIGATIONS},
                                      done=request.POST.get("done") == "on")
    except DomainError as exc:
        messages.error(request, exc.localized(get_language()))
    else:
        messages.success(request, _("进展已记录。"))
    return redirect("web:zz_cases")
