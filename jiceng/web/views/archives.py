"""Archives in the staff UI (issue #5, 一事一档): the dossiers of a user's scope, one dossier with its contents,
retention, loans and the archivist's handover, the printable dossier and the verifiable .zip export.

Thin (STYLE §4): find the dossier the user may see (404 otherwise), call ONE service per POST and redirect (PRG)
with a message. A refusal re-renders the page with the DomainError's message (it cites the rule and its article)
at the error's status, and the form keeps what was typed.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.accounts import scope
from jiceng.accounts.models import Account
from jiceng.archives import services
from jiceng.archives.exports import render_dossier_html
from jiceng.archives.models import Dossier, ExportApproval, Handover, Loan
from jiceng.core.errors import DomainError
from jiceng.orgs.models import Area, Membership, Person, Role
from jiceng.rules import archives as rules

from ..forms_meetings import DATE
from .common import form_error, visible_or_404

PAGE_SIZE = 50
CHOICES_LIMIT = 300


def _refusal(exc: DomainError) -> dict:
    return {"message": exc.localized(get_language()), "rule": exc.rule, "code": exc.code}


def _holders(area: Area, roles, on) -> list[Membership]:
    """Memberships in `roles` in force on `on` in bodies of `area` or above it, with the person."""
    return list(Membership.objects.on(on).filter(body__area_id__in=area.ancestor_ids, role__in=roles)
                .select_related("person").order_by("person__name_pinyin", "pk")[:CHOICES_LIMIT])


def _approver_choices(area: Area, on) -> list[tuple[str, str]]:
    persons = {m.person_id: m for m in _holders(area, rules.EXTERNAL_LOAN.params.approver_roles, on)}
    accounts = Account.objects.filter(person_id__in=persons, user__is_active=True).select_related("person")
    return [("", "—")] + [(str(a.user_id), f"{a.person.name}（{persons[a.person_id].get_role_display()}）")
                          for a in accounts]


# Forms --------------------------------------------------------------------------------------------------------

class LendForm(forms.Form):
    borrower_name = forms.CharField(label=gettext_lazy("借阅人"), max_length=50)
    borrower_unit = forms.CharField(label=gettext_lazy("借阅单位"), max_length=120)
    borrower = forms.TypedChoiceField(label=gettext_lazy("借阅人职务（党委文件须选）"), required=False, coerce=int,
                                      empty_value=None)
    purpose = forms.CharField(label=gettext_lazy("借阅用途"), max_length=500)
    due_on = forms.DateField(label=gettext_lazy("应还日期"), required=False, widget=DATE,
                             help_text=gettext_lazy("不填则按规则默认期限"))
    external = forms.BooleanField(label=gettext_lazy("外单位查阅"), required=False)
    introduction_letter = forms.CharField(label=gettext_lazy("介绍信（编号或单位）"), max_length=200, required=False)
    approved_by = forms.TypedChoiceField(label=gettext_lazy("批准人"), required=False, coerce=int, empty_value=None)
    allow_copy = forms.BooleanField(label=gettext_lazy("准予摘抄复印"), required=False)

    def __init__(self, *args, borrowers=(), approvers=(), **kw):
        super().__init__(*args, **kw)
        self.fields["borrower"].choices = [("", "—"), *borrowers]
        self.fields["approved_by"].choices = approvers or [("", "—")]


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label=gettext_lazy("归还日期"), required=False, widget=DATE)
    feedback = forms.CharField(label=gettext_lazy("利用效果"), max_length=2000, required=False)


class RetentionForm(forms.Form):
    retention = forms.ChoiceField(label=gettext_lazy("保管期限"), choices=Dossier.Retention.choices)


class HandoverForm(forms.Form):
    outgoing = forms.TypedChoiceField(label=gettext_lazy("移交人"), coerce=int)
    successor = forms.TypedChoiceField(label=gettext_lazy("接收人"), coerce=int)
    items = forms.CharField(label=gettext_lazy("交接清单（每行一项）"), widget=forms.Textarea(attrs={"rows": 4}))
    handed_over_on = forms.DateField(label=gettext_lazy("交接日期"), widget=DATE)
    outgoing_signed = forms.BooleanField(label=gettext_lazy("移交人已签字"), required=False)
    successor_signed = forms.BooleanField(label=gettext_lazy("接收人已签字"), required=False)

    def __init__(self, *args, outgoing=(), people=(), **kw):
        super().__init__(*args, **kw)
        self.fields["outgoing"].choices = list(outgoing)
        self.fields["successor"].choices = list(people)


class EndArchivistForm(forms.Form):
    membership = forms.TypedChoiceField(label=gettext_lazy("档案管理人员"), coerce=int)
    end_on = forms.DateField(label=gettext_lazy("任职结束日期"), widget=DATE)

    def __init__(self, *args, posts=(), **kw):
        super().__init__(*args, **kw)
        self.fields["membership"].choices = list(posts)


# Pages --------------------------------------------------------------------------------------------------------

@login_required
def dossier_list(request):
    found = (Dossier.objects.visible_to(request.user).current().select_related("area")
             .annotate(record_count=Count("records", distinct=True),
                       open_loans=Count("loans", filter=Q(loans__returned_on__isnull=True), distinct=True)))
    series = request.GET.get("series") or ""
    if series in Dossier.Series.values:
        found = found.filter(series=series)
    page = Paginator(found.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/archives/list.html", {
        "page": page, "series": series, "series_choices": Dossier.Series.choices})


def _dossier(request, pk: int) -> Dossier:
    return visible_or_404(Dossier, request.user, pk)


def _page(request, dossier: Dossier, *, bound: dict | None = None, refusal: dict | None = None, status: int = 200):
    bound, today = bound or {}, scope.today()
    area = dossier.area
    borrowers = [(m.person_id, f"{m.person.name}（{m.get_role_display()}）")
                 for m in _holders(area, rules.PARTY_COMMITTEE_LOAN.params.roles, today)]
    posts = list(Membership.objects.on(today).filter(body__area=area, role=Role.ARCHIVIST)
                 .select_related("person", "body").order_by("start_on", "pk"))
    people = (Person.objects.filter(memberships__body__area=area).distinct().order_by("name_pinyin", "pk")
              .only("pk", "name")[:CHOICES_LIMIT])
    archivists = Person.objects.filter(memberships__body__area=area, memberships__role=Role.ARCHIVIST).distinct()
    return render(request, "web/archives/detail.html", {
        "dossier": dossier, "refusal": refusal,
        "records": list(dossier.records.order_by("sequence").only(
            "pk", "sequence", "kind", "title", "sha256", "occurred_at", "filed_at", "dossier_id")),
        "loans": list(dossier.loans.select_related("approved_by", "borrower").order_by("-lent_on", "-pk")[:50]),
        "approvals": list(dossier.export_approvals.select_related("approved_by")[:20]),
        "handovers": list(Handover.objects.filter(community=area).select_related("outgoing", "successor")[:20]),
        "archivist": services.active_archivist(area, today), "posts": posts,
        "forms": {
            "lend": bound.get("lend") or LendForm(borrowers=borrowers, approvers=_approver_choices(area, today)),
            "return": ReturnForm(),
            "retention": bound.get("retention") or RetentionForm(initial={"retention": dossier.retention}),
            "handover": bound.get("handover") or HandoverForm(
                outgoing=[(p.pk, p.name) for p in archivists], people=[(p.pk, p.name) for p in people],
                initial={"handed_over_on": today}),
            "end": bound.get("end") or EndArchivistForm(posts=[(m.pk, f"{m.person.name} · {m.body.name}")
                                                                for m in posts], initial={"end_on": today}),
        },
        "may_write": scope.has_perm(request.user, services.WRITE_PERM, area),
    }, status=status)


@login_required
def dossier_detail(request, pk: int):
    return _page(request, _dossier(request, pk))


@login_required
def dossier_print(request, pk: int):
    dossier = _dossier(request, pk)
    records = list(dossier.records.order_by("sequence"))
    return HttpResponse(render_dossier_html(dossier, records, back_link=reverse("web:archives_dossier", args=[pk])))


@login_required
def dossier_export(request, pk: int):
    """The verifiable .zip; `?approval=<id>` exports for the outside party that approval names (A-SEC-01)."""
    dossier = _dossier(request, pk)
    approval = None
    if request.GET.get("approval"):
        approval = ExportApproval.objects.filter(dossier=dossier, pk=_int(request.GET["approval"])).first()
    try:
        data = services.export_dossier(request.user, dossier, external=bool(request.GET.get("approval")),
                                       approval=approval)
    except DomainError as exc:
        return _page(request, dossier, refusal=_refusal(exc), status=exc.status)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="dossier-{dossier.pk}.zip"'
    return response


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _act(request, dossier: Dossier, slot: str, form, call, success: str):
    """Validate the slot's form, call one service, redirect; or show the page again with the refusal."""
    if not form.is_valid():
        return _page(request, dossier, bound={slot: form}, refusal={"message": form_error(form)}, status=400)
    try:
        call(form.cleaned_data)
    except DomainError as exc:
        return _page(request, _dossier(request, dossier.pk), bound={slot: form}, refusal=_refusal(exc),
                     status=exc.status)
    messages.success(request, success)
    return redirect("web:archives_dossier", pk=dossier.pk)


def _user(pk: int | None):
    account = Account.objects.filter(user_id=pk).select_related("user").first() if pk else None
    return account.user if account else None


@require_POST
@login_required
def lend(request, pk: int):
    dossier = _dossier(request, pk)
    today = scope.today()
    borrowers = [(m.person_id, m.person.name) for m in _holders(dossier.area, rules.PARTY_COMMITTEE_LOAN.params.roles,
                                                                today)]
    form = LendForm(request.POST, borrowers=borrowers, approvers=_approver_choices(dossier.area, today))

    def call(d):
        borrower = Person.objects.filter(pk=d["borrower"]).first() if d["borrower"] else None
        services.lend(request.user, dossier, borrower_name=d["borrower_name"], borrower_unit=d["borrower_unit"],
                      purpose=d["purpose"], due_on=d["due_on"], external=d["external"],
                      introduction_letter=d["introduction_letter"], approved_by_user=_user(d["approved_by"]),
                      allow_copy=d["allow_copy"], borrower=borrower)

    return _act(request, dossier, "lend", form, call, _("已登记借阅。"))


@require_POST
@login_required
def return_loan(request, pk: int, loan: int):
    dossier = _dossier(request, pk)
    found = Loan.objects.filter(dossier=dossier, pk=loan).first()
    if found is None:
        raise Http404

    def call(d):
        services.return_loan(request.user, found, returned_on=d["returned_on"], feedback=d["feedback"])

    return _act(request, dossier, "return", ReturnForm(request.POST), call, _("已登记归还。"))


@require_POST
@login_required
def retention(request, pk: int):
    dossier = _dossier(request, pk)

    def call(d):
        services.set_retention(request.user, dossier, retention=d["retention"])

    return _act(request, dossier, "retention", RetentionForm(request.POST), call, _("已调整保管期限。"))


@require_POST
@login_required
def handover(request, pk: int):
    dossier = _dossier(request, pk)
    area = dossier.area
    people = Person.objects.filter(memberships__body__area=area).distinct()
    archivists = people.filter(memberships__role=Role.ARCHIVIST)
    form = HandoverForm(request.POST, outgoing=[(p.pk, p.name) for p in archivists],
                        people=[(p.pk, p.name) for p in people[:CHOICES_LIMIT]])

    def call(d):
        services.record_handover(
            request.user, community=area, outgoing=people.get(pk=d["outgoing"]),
            successor=people.get(pk=d["successor"]), items=d["items"].splitlines(),
            handed_over_on=d["handed_over_on"], outgoing_signed=d["outgoing_signed"],
            successor_signed=d["successor_signed"])

    return _act(request, dossier, "handover", form, call, _("已登记档案交接。"))


@require_POST
@login_required
def end_archivist(request, pk: int):
    dossier = _dossier(request, pk)
    posts = Membership.objects.filter(body__area=dossier.area, role=Role.ARCHIVIST).select_related("person", "body")
    form = EndArchivistForm(request.POST, posts=[(m.pk, m.person.name) for m in posts])

    def call(d):
        services.end_archivist(request.user, posts.get(pk=d["membership"]), end_on=d["end_on"])

    return _act(request, dossier, "end", form, call, _("档案管理人员任职已结束。"))
