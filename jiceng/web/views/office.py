"""Street-office administration in the staff UI (issue #9): leave (form, my requests, approver inbox, detail with
the approval steps), letters and visits (register and list, detail with the stage actions), the week's duty roster
and the outgoing document register.

Thin (STYLE §4): find what the user may see (404 otherwise), call ONE office service per POST, redirect with a
message (PRG); a refusal shows the DomainError's message (it cites the rule ID) and keeps what was typed.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from jiceng.core.errors import DomainError
from jiceng.office import presenters, services, staff
from jiceng.office.models import DutyShift, LeaveRequest, OutgoingDocument, Petition, Section
from jiceng.office.services.leave import inbox_for, pending_step
from jiceng.orgs.models import Area

from .common import form_error

PAGE_SIZE = 50
DATE = forms.DateInput(attrs={"type": "date"})


def _refusal(request, exc: DomainError) -> None:
    messages.error(request, exc.localized(get_language()))


def _visible(model, user, pk, related=()):
    row = model.objects.visible_to(user).filter(pk=pk).select_related(*related).first()
    if row is None:
        raise Http404
    return row


def _page(request, qs):
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return page


@login_required
def index(request):
    return render(request, "web/office/index.html", {
        "inbox_count": inbox_for(request.user).count(),
        "open_petitions": Petition.objects.visible_to(request.user).filter(status__in=Petition.OPEN).count(),
    })


# Leave -------------------------------------------------------------------------------------------------------

class LeaveForm(forms.Form):
    start_on = forms.DateField(label=_("开始日期"), widget=DATE)
    days = forms.DecimalField(label=_("天数"), min_value=0.5, max_value=365, decimal_places=1,
                              help_text=_("可填半天，如0.5"))
    reason = forms.CharField(label=_("事由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


@login_required
def leave_list(request):
    """My requests and the form for a new one."""
    person = staff.person_of(request.user)
    form = LeaveForm(request.POST or None)
    if request.method == "POST":
        if person is None:
            messages.error(request, _("您的账号没有关联人员，无法请假。"))
        elif not form.is_valid():
            messages.error(request, form_error(form))
        else:
            try:
                leave = services.request_leave(request.user, person=person, **form.cleaned_data)
            except DomainError as exc:
                _refusal(request, exc)
            else:
                messages.success(request, _("请假申请已提交。"))
                return redirect("web:office_leave_detail", leave.pk)
    mine = (LeaveRequest.objects.filter(person=person).select_related("person").order_by("-start_on", "-pk")
            if person else LeaveRequest.objects.none())
    page = _page(request, mine)
    return render(request, "web/office/leave_list.html", {"form": form, "page": page, "rows": page.object_list,
                                                          "today": staff.today()})


@login_required
def leave_inbox(request):
    rows = list(inbox_for(request.user).order_by("start_on", "pk")[:200])
    return render(request, "web/office/leave_inbox.html", {"rows": rows})


def _leave_or_404(request, pk: int) -> LeaveRequest:
    leave = LeaveRequest.objects.filter(pk=pk).select_related("person", "area").first()
    if leave is None:
        raise Http404
    own = staff.person_of(request.user)
    if not (LeaveRequest.objects.visible_to(request.user).filter(pk=pk).exists()
            or (own and own.pk == leave.person_id) or inbox_for(request.user).filter(pk=pk).exists()):
        raise Http404
    return leave


@login_required
def leave_detail(request, pk: int):
    leave = _leave_or_404(request, pk)
    step = pending_step(leave)
    person = staff.person_of(request.user)
    may_decide = bool(step and person and person != leave.person
                      and staff.may_act_as(person, step.post, leave.area, staff.today()))
    return render(request, "web/office/leave_detail.html", {
        "leave": leave, "data": presenters.leave_detail(leave, staff.today()), "step": step,
        "may_decide": may_decide, "approvals": leave.approvals.select_related("approver")})


@require_POST
@login_required
def leave_action(request, pk: int, action: str):
    leave = _leave_or_404(request, pk)
    note = request.POST.get("note", "")[:500]
    try:
        if action == "approve":
            services.approve_leave(request.user, leave, note=note)
        elif action == "reject":
            services.reject_leave(request.user, leave, note=note)
        elif action == "return":
            services.record_return(request.user, leave)
        elif action == "cancel":
            services.cancel_leave(request.user, leave)
        else:
            raise Http404
    except DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("已办理。"))
    return redirect("web:office_leave_detail", pk)


# Letters and visits ----------------------------------------------------------------------------------------------

class PetitionForm(forms.Form):
    area = forms.ModelChoiceField(label=_("所属区域"), queryset=Area.objects.none())
    received_on = forms.DateField(label=_("来信来访日期"), widget=DATE)
    channel = forms.ChoiceField(label=_("方式"), choices=Petition.Channel.choices)
    kind = forms.ChoiceField(label=_("类别"), choices=Petition.Kind.choices)
    petitioner_name = forms.CharField(label=_("来信来访人"), max_length=100)
    petitioner_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    petitioner_address = forms.CharField(label=_("住址"), max_length=200, required=False)
    headcount = forms.IntegerField(label=_("人数"), min_value=1, max_value=10000, initial=1)
    issue = forms.CharField(label=_("反映的主要问题"), widget=forms.Textarea(attrs={"rows": 3}))
    request = forms.CharField(label=_("要求"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = (Area.objects.visible_to(user)
                                        .filter(level__in=[Area.Level.STREET, Area.Level.COMMUNITY]))


@login_required
def petition_list(request):
    form = PetitionForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, form_error(form))
        else:
            try:
                petition = services.register_petition(request.user, **form.cleaned_data)
            except DomainError as exc:
                _refusal(request, exc)
            else:
                messages.success(request, _("已登记，编号 %(number)s。") % {"number": petition.tracking_number})
                return redirect("web:office_petition_detail", petition.pk)
    qs = Petition.objects.visible_to(request.user).select_related("area")
    status = request.GET.get("status", "")
    if status in Petition.Status.values:
        qs = qs.filter(status=status)
    page = _page(request, qs)
    today = staff.today()
    rows = [{"p": p, "who": presenters.petitioner(p, request.user), "overdue": p.overdue_stages(today)
             if p.status in Petition.OPEN else []} for p in page.object_list]
    return render(request, "web/office/petition_list.html", {
        "form": form, "page": page, "rows": rows, "statuses": Petition.Status.choices, "status": status,
        "query": f"status={status}" if status else ""})


class StageForm(forms.Form):
    text = forms.CharField(required=False, max_length=2000)
    section = forms.ChoiceField(required=False, choices=[("", "—"), *Section.choices])
    outcome = forms.ChoiceField(required=False, choices=[("", "—"), *Petition.Outcome.choices])
    channel = forms.ChoiceField(required=False, choices=Petition.Channel.choices)
    satisfaction = forms.ChoiceField(required=False, choices=[("", "—"), *Petition.Satisfaction.choices])


@login_required
def petition_detail(request, pk: int):
    petition = _visible(Petition, request.user, pk, ("area", "first_receiver", "owner", "instructed_by", "handler",
                                                     "case_leader"))
    return render(request, "web/office/petition_detail.html", {
        "p": petition, "who": presenters.petitioner(petition, request.user), "form": StageForm(),
        "overdue": petition.overdue_stages(staff.today()) if petition.status in Petition.OPEN else [],
        "sections": Section.choices, "outcomes": Petition.Outcome.choices, "channels": Petition.Channel.choices,
        "satisfactions": Petition.Satisfaction.choices})


@require_POST
@login_required
def petition_stage(request, pk: int, stage: str):
    petition = _visible(Petition, request.user, pk, ("area",))
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error(form))
        return redirect("web:office_petition_detail", pk)
    data = form.cleaned_data
    try:
        if stage == "instruct":
            services.instruct(request.user, petition, text=data["text"])
        elif stage == "assign":
            services.assign(request.user, petition, section=data["section"])
        elif stage == "conclude":
            services.conclude(request.user, petition, outcome=data["outcome"], result=data["text"])
        elif stage == "reply":
            services.reply(request.user, petition, text=data["text"], channel=data["channel"],
                           satisfaction=data["satisfaction"])
        else:
            raise Http404
    except DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("已办理。"))
    return redirect("web:office_petition_detail", pk)


# Duty and documents ----------------------------------------------------------------------------------------------

@login_required
def duty_roster(request):
    try:
        week = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        week = staff.today()
    start = week - datetime.timedelta(days=week.weekday())
    shifts = (DutyShift.objects.visible_to(request.user)
              .filter(day__gte=start, day__lt=start + datetime.timedelta(days=7))
              .select_related("leader", "area", "handover").prefetch_related("officers__person", "incidents")
              .order_by("area", "day"))
    return render(request, "web/office/duty.html", {
        "shifts": shifts, "start": start, "previous": start - datetime.timedelta(days=7),
        "next": start + datetime.timedelta(days=7)})


@login_required
def document_list(request):
    qs = OutgoingDocument.objects.visible_to(request.user).select_related("signed_by")
    page = _page(request, qs)
    return render(request, "web/office/documents.html", {"page": page, "rows": page.object_list, "query": ""})
