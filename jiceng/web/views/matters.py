"""The 「一征三议两公开」 matter in the staff UI (issue #5): the matters of a user's scope, intake, the matter page
with its timeline and the action for the next step only, and the community / street dashboard.

Thin (STYLE §4): find what the user may see (404 otherwise), call ONE service of jiceng.decisions.services per
POST and redirect (PRG) with a message. A refusal re-renders the matter page with the DomainError's message in
the user's language and its rule ID (and, for `step_out_of_order` and `dossier_incomplete`, what is missing), at
the error's status (400 input, 403 scope, 409 state, 422 rule); the form keeps what was typed. The services judge
every post again, whatever the page offered.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.core import uploads
from jiceng.core.errors import DomainError, NotFound
from jiceng.decisions import documents, services
from jiceng.decisions.models import Matter, MatterDocument, Opinion, Progress, Solicitation
from jiceng.decisions.presenters import next_step
from jiceng.meetings.models import AgendaItem, Kind, Meeting
from jiceng.orgs.models import Area, Body
from jiceng.rules import decisions as r
from jiceng.rules.base import Rulebook

from ..forms import row_id_field
from ..forms_meetings import DATE, DATETIME_LOCAL
from .common import form_error, visible_or_404

PAGE_SIZE = 50
CHOICES_LIMIT = 500
CANDIDATES = 50  # agenda items offered for a step
OPINIONS_SHOWN = 200
BOARD_LIMIT = 200  # rows of each dashboard list
MEETING_STEPS = tuple(r.STEP_RULES)
PUBLICATIONS = ("resolution_published", "result_published")
DECIDED = (AgendaItem.Status.PASSED, AgendaItem.Status.ESCALATED, AgendaItem.Status.REJECTED,
           AgendaItem.Status.NOT_HANDLED, AgendaItem.Status.POSTPONED)
STAFF_CHANNELS = [(c.value, c.label) for c in Opinion.Channel if c != Opinion.Channel.ONLINE]


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _pick(pair) -> str:
    """The user's language from a (zh, en) pair of the rulebook."""
    return pair[1] if _english() else pair[0]


def step_label(step: str) -> str:
    return _pick(r.STEP_LABELS[step]) if step in r.STEP_LABELS else step


def step_actor(step: str | None) -> str:
    return _pick(r.STEP_ACTORS[step]) if step in r.STEP_ACTORS else ""


def topic_label(topic: str) -> str:
    return _pick(r.TOPIC_LABELS[topic]) if topic in r.TOPIC_LABELS else topic


def _refusal(exc: DomainError) -> dict:
    """The message and rule, plus what the refusal says is missing (steps by their labels, dossier records)."""
    missing = exc.facts.get("missing") if isinstance(exc.facts, dict) else None
    return {"message": exc.localized(get_language()), "rule": exc.rule, "code": exc.code,
            "missing": [step_label(m) for m in missing] if isinstance(missing, list) else []}


def _communities(user):
    return Area.objects.visible_to(user).filter(level=Area.Level.COMMUNITY).order_by("path")[:CHOICES_LIMIT]


def archive_url(dossier_id: int) -> str:
    """The dossier page of the archives, if that part of the site is installed."""
    try:
        return reverse("web:archives_dossier", args=[dossier_id])
    except NoReverseMatch:
        return ""


def due_dates(matters) -> dict[int, datetime.date]:
    """R-WF-09's publication deadline of each resolved matter, as presenters.resolution_due gives it, judged under
    the district's rulebook version in force on the day of the resolution; one query for any number of matters
    (the community of each must be loaded)."""
    resolved = [m for m in matters if m.resolved_at is not None]
    if not resolved:
        return {}
    book = Rulebook.for_areas(m.community for m in resolved)
    due = {}
    for matter in resolved:
        day = timezone.localdate(matter.resolved_at)
        params, _version = book.params(r.RESOLUTION_PUBLISHED, matter.community, day)
        due[matter.pk] = r.RESOLUTION_PUBLISHED.decide(params, event_on=day)
    return due


def _done(matter: Matter) -> set[str]:
    return {s.step for s in matter.steps.all()}


# The list ----------------------------------------------------------------------------------------------

class FilterForm(forms.Form):
    community = row_id_field()
    status = forms.ChoiceField(required=False, choices=[("", gettext_lazy("全部状态")), *Matter.Status.choices])
    step = forms.ChoiceField(required=False)
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data=None):
        super().__init__(data)
        self.fields["step"].choices = [("", _("全部步骤"))] + [(code, step_label(code)) for code in r.STEP_LABELS]


def matter_row(matter: Matter, due: dict) -> dict:
    step = next_step(matter)
    published = "resolution_published" in _done(matter)
    return {"m": matter, "topic": matter.topic, "topic_label": topic_label(matter.topic),
            "step_label": step_label(matter.step), "next": step, "next_label": step_label(step) if step else "",
            "next_by": step_actor(step), "due": None if published else due.get(matter.pk),
            "late": not published and due.get(matter.pk) is not None and due[matter.pk] < timezone.localdate()}


@login_required
def matter_list(request):
    user = request.user
    form = FilterForm(request.GET or None)
    values = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = Matter.objects.visible_to(user).select_related("community").prefetch_related("steps")
    for key in ("community", "status", "step"):
        if values.get(key):
            found = found.filter(**{"community_id" if key == "community" else key: values[key]})
    page = Paginator(found.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(values.get("page"))
    matters = list(page.object_list)
    due = due_dates(matters)
    kept = {key: values[key] for key in ("community", "status", "step") if values.get(key)}
    return render(request, "web/matters/list.html", {
        "form": form, "page": page, "rows": [matter_row(m, due) for m in matters], "query": urlencode(kept),
        "communities": _communities(user), "chosen_community": values.get("community"),
        "may_open": bool(scope.paths(user, Perm.RUN_MEETINGS)) or user.is_superuser,
    })


# Intake ------------------------------------------------------------------------------------------------

class MatterForm(forms.Form):
    community = forms.TypedChoiceField(label=gettext_lazy("社区"), coerce=int)
    topic = forms.ChoiceField(label=gettext_lazy("事项类别（议事范围）"))
    title = forms.CharField(label=gettext_lazy("事项名称"), max_length=200)
    summary = forms.CharField(label=gettext_lazy("事项内容"), widget=forms.Textarea(attrs={"rows": 6}))
    initiator = forms.CharField(label=gettext_lazy("提出人或提出机构"), max_length=100)
    budget = forms.DecimalField(label=gettext_lazy("预算（元）"), required=False, max_digits=14, decimal_places=2,
                                min_value=0, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    amends = forms.TypedChoiceField(label=gettext_lazy("变更的事项（选填）"), coerce=int, required=False,
                                    empty_value=None,
                                    help_text=gettext_lazy("已形成决议的事项不能修改；变更须另立事项，重新履行程序。"))
    occurred_at = forms.DateTimeField(label=gettext_lazy("登记时间（留空为现在）"), required=False,
                                      widget=DATETIME_LOCAL)

    def __init__(self, data=None, *, user, initial=None):
        super().__init__(data, initial=initial)
        self.fields["community"].choices = [(c.pk, c.name) for c in _communities(user)]
        self.fields["topic"].choices = [(code, f"{code} {topic_label(code)}") for code in r.TOPIC_LABELS]
        resolved = (Matter.objects.visible_to(user).filter(resolved_at__isnull=False).select_related("community")
                    .order_by("-resolved_at")[:CHOICES_LIMIT])
        self.fields["amends"].choices = [("", _("（不变更其他事项）"))] + [
            (m.pk, f"{m.community.name} · {m.title}") for m in resolved]


@login_required
def matter_new(request):
    user = request.user
    if request.method != "POST":
        initial = {}
        amends = request.GET.get("amends")
        if amends and amends.isdigit():
            source = visible_or_404(Matter, user, int(amends))
            initial = {"amends": source.pk, "community": source.community_id, "topic": source.topic,
                       "title": _("%(title)s（变更）") % {"title": source.title}}
        return render(request, "web/matters/new.html", {"form": MatterForm(user=user, initial=initial)})
    form = MatterForm(request.POST, user=user)
    if not form.is_valid():
        return render(request, "web/matters/new.html", {"form": form, "refusal": {"message": form_error(form)}},
                      status=400)
    d = form.cleaned_data
    community = visible_or_404(Area, user, d["community"])
    amends = visible_or_404(Matter, user, d["amends"]) if d["amends"] else None
    try:
        matter = services.open_matter(user, community=community, topic=d["topic"], title=d["title"],
                                      summary=d["summary"], initiator=d["initiator"], budget=d["budget"],
                                      amends=amends, occurred_at=d["occurred_at"])
    except DomainError as exc:
        return render(request, "web/matters/new.html", {"form": form, "refusal": _refusal(exc)}, status=exc.status)
    messages.success(request, _("事项已登记。"))
    return redirect("web:matter_detail", pk=matter.pk)


# The matter page ---------------------------------------------------------------------------------------

class SolicitationForm(forms.Form):
    question = forms.CharField(label=gettext_lazy("征求意见的内容"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=gettext_lazy("截止日期"), widget=DATE)
    occurred_at = forms.DateTimeField(label=gettext_lazy("开始时间（留空为现在）"), required=False,
                                      widget=DATETIME_LOCAL)


class StaffOpinionForm(forms.Form):
    position = forms.ChoiceField(label=gettext_lazy("意见"), choices=Opinion.Position.choices,
                                 widget=forms.RadioSelect)
    text = forms.CharField(label=gettext_lazy("具体意见"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    channel = forms.ChoiceField(label=gettext_lazy("渠道"), choices=STAFF_CHANNELS)
    name = forms.CharField(label=gettext_lazy("姓名（选填）"), required=False, max_length=50)
    building = forms.CharField(label=gettext_lazy("楼栋（选填）"), required=False, max_length=50)
    received_at = forms.DateTimeField(label=gettext_lazy("收到时间（留空为现在）"), required=False,
                                      widget=DATETIME_LOCAL)


class CloseSolicitationForm(forms.Form):
    summary = forms.CharField(label=gettext_lazy("意见汇总"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    hearing = forms.IntegerField(label=gettext_lazy("听证会（选填）"), required=False)
    occurred_at = forms.DateTimeField(label=gettext_lazy("结束时间（留空为现在）"), required=False,
                                      widget=DATETIME_LOCAL)


class LinkForm(forms.Form):
    step = forms.ChoiceField(choices=[(s, s) for s in MEETING_STEPS])
    agenda_item = forms.IntegerField(label=gettext_lazy("会议议题"))
    note = forms.CharField(label=gettext_lazy("说明（决议步骤填写决议内容）"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class PublishResolutionForm(forms.Form):
    mode = forms.ChoiceField(label=gettext_lazy("公开方式"), widget=forms.RadioSelect,
                             choices=[("board", gettext_lazy("在居务公开栏书面公示")),
                                      ("oral", gettext_lazy("口头告知"))])
    title = forms.CharField(label=gettext_lazy("公开标题（留空自动生成）"), required=False, max_length=200)
    body = forms.CharField(label=gettext_lazy("公开正文（留空为决议内容）"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))
    notified = forms.CharField(label=gettext_lazy("被告知的党员群众（每行一个）"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    occurred_at = forms.DateTimeField(label=gettext_lazy("时间（留空为现在）"), required=False,
                                      widget=DATETIME_LOCAL)


class PublishResultForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("公开标题（留空自动生成）"), required=False, max_length=200)
    body = forms.CharField(label=gettext_lazy("实施结果"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ProgressForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=Progress.Kind.choices, initial=Progress.Kind.UPDATE)
    text = forms.CharField(label=gettext_lazy("内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    responds_to = forms.IntegerField(label=gettext_lazy("回复的监督意见"), required=False)
    done = forms.BooleanField(label=gettext_lazy("实施完成"), required=False)
    occurred_at = forms.DateTimeField(label=gettext_lazy("时间（留空为现在）"), required=False,
                                      widget=DATETIME_LOCAL)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("资料类型"), choices=MatterDocument.Kind.choices,
                             initial=MatterDocument.Kind.PHOTO)
    progress = forms.IntegerField(label=gettext_lazy("所属进展"), required=False)
    file = forms.FileField(label=gettext_lazy("文件（PDF、JPG、PNG、DOCX、XLSX）"))


class CloseForm(forms.Form):
    occurred_at = forms.DateTimeField(label=gettext_lazy("结案时间（留空为现在）"), required=False,
                                      widget=DATETIME_LOCAL)


FORMS = {"solicitation": SolicitationForm, "opinion": StaffOpinionForm, "close_solicitation": CloseSolicitationForm,
         "link": LinkForm, "publish_resolution": PublishResolutionForm, "publish_result": PublishResultForm,
         "progress": ProgressForm, "document": DocumentForm, "close": CloseForm}


def _matter(request, pk: int) -> Matter:
    visible = visible_or_404(Matter, request.user, pk)
    return (Matter.objects.select_related("community", "dossier", "amends", "resolution_item", "result_item",
                                          "council_item__meeting", "hearing")
            .prefetch_related("steps").get(pk=visible.pk))


def _chain(council_item_id: int) -> Q:
    """Items escalated (or deferred) from the matter's council item, up the grid → community → PWC chain."""
    return (Q(origin_id=council_item_id) | Q(origin__origin_id=council_item_id)
            | Q(origin__origin__origin_id=council_item_id))


def _candidates(user, matter: Matter, step: str) -> list[AgendaItem]:
    """The agenda items that may complete `step`: decided items of this community's (or its grids') councils for
    the consultation, then those escalated from the matter's council item; passed items of the step's meeting
    kinds of this community otherwise."""
    held = (AgendaItem.objects.filter(meeting__held_at__isnull=False).select_related("meeting__body")
            .order_by("-meeting__held_at", "-pk"))
    visible = Q(meeting__in=Meeting.objects.visible_to(user))
    if step == "consultation":
        if matter.council_item_id is not None:
            return list(held.filter(_chain(matter.council_item_id)).filter(status__in=DECIDED)[:CANDIDATES])
        return list(held.filter(visible, meeting__kind=Kind.DELIBERATION_COUNCIL, status__in=DECIDED,
                                meeting__body__area__path__startswith=matter.community.path)[:CANDIDATES])
    kinds = r.STEP_RULES[step].params.kinds
    return list(held.filter(visible, meeting__kind__in=kinds, meeting__body__area=matter.community,
                            status=AgendaItem.Status.PASSED)[:CANDIDATES])


def _timeline(matter: Matter, step: str | None) -> list[dict]:
    records = {s.step: s for s in matter.steps.select_related("agenda_item__meeting", "disclosure")}
    drafts = {"resolution_published": matter.resolution_item, "result_published": matter.result_item}
    rows = []
    for code in services.STEPS[matter.template]:
        rec = records.get(code)
        meeting = rec.agenda_item.meeting if rec is not None and rec.agenda_item is not None else None
        rows.append({
            "step": code, "label": step_label(code), "by": step_actor(code), "done": rec is not None,
            "current": code == step, "at": rec.occurred_at if rec else None, "note": rec.note if rec else "",
            "meeting": meeting, "agenda_item": rec.agenda_item if rec else None,
            "disclosure": (rec.disclosure if rec else None) or drafts.get(code),
            "waiting_on": matter.waiting_on if code == "consultation" and rec is None else "",
        })
    return rows


def _may_run(user, matter: Matter) -> bool:
    return scope.has_perm(user, Perm.RUN_MEETINGS, matter.community)


def _page(request, matter: Matter, *, bound: dict | None = None, refusal: dict | None = None, status: int = 200):
    user, bound = request.user, bound or {}
    step = next_step(matter)
    may = _may_run(user, matter) and matter.status == Matter.Status.OPEN
    solicitation = Solicitation.objects.filter(matter=matter).first()
    counts = services.opinion_counts(solicitation) if solicitation else {}
    # Urban: 一征 is the step after intake; 村改居: an optional call for opinions before the resolution.
    solicit_now = may and (step == "solicitation" if matter.template == r.URBAN else matter.resolved_at is None)
    due = due_dates([matter]).get(matter.pk)
    published = "resolution_published" in _done(matter)
    progress = list(matter.progress.select_related("response").order_by("occurred_at", "pk"))
    forms_ = {slot: bound.get(slot) or form_class(auto_id=f"{slot}-%s") for slot, form_class in FORMS.items()}
    if "link" not in bound and step in MEETING_STEPS:
        forms_["link"] = LinkForm(auto_id="link-%s", initial={"step": step})
    return render(request, "web/matters/detail.html", {
        "matter": matter, "topic_label": topic_label(matter.topic), "timeline": _timeline(matter, step),
        "next": step, "next_label": step_label(step) if step else "", "next_by": step_actor(step),
        "may": may, "refusal": refusal, "forms": forms_, "meeting_step": step in MEETING_STEPS,
        "solicitation": solicitation, "solicit_now": solicit_now,
        "solicitation_open": solicitation is not None and solicitation.closed_at is None,
        "counts": [(label, counts.get(value, 0)) for value, label in Opinion.Position.choices],
        "opinions": list(solicitation.opinions.all()[:OPINIONS_SHOWN]) if solicitation else [],
        "hearings": list(Meeting.objects.filter(kind=Kind.HEARING, body__area=matter.community,
                                                held_at__isnull=False).order_by("-held_at")[:CANDIDATES])
        if solicit_now and solicitation else [],
        "candidates": _candidates(user, matter, step) if may and step in MEETING_STEPS else [],
        "due": due, "due_late": due is not None and not published and due < timezone.localdate(),
        "published": published, "progress": progress,
        "documents": list(matter.documents.select_related("progress")),
        "may_attach": _may_run(user, matter) and matter.status != Matter.Status.CLOSED,
        "open_remarks": [p for p in progress if p.kind == Progress.Kind.REMARK and not hasattr(p, "response")],
        "records": matter.dossier.records.count(), "missing": services.missing_records(matter),
        "archive_url": archive_url(matter.dossier_id),
        "amended_by": list(matter.amended_by.only("pk", "title", "status")),
        "public_url": reverse("web:public_matter", args=[matter.pk]) if solicitation else "",
    }, status=status)


@login_required
def matter_detail(request, pk: int):
    return _page(request, _matter(request, pk))


def _act(request, pk: int, slot: str, call, success: str):
    """Validate the slot's form, call one service, redirect; or show the page again with the refusal."""
    matter = _matter(request, pk)
    form = FORMS[slot](request.POST, request.FILES, auto_id=f"{slot}-%s")
    if not form.is_valid():
        return _page(request, matter, bound={slot: form}, refusal={"message": form_error(form)}, status=400)
    try:
        call(matter, form.cleaned_data)
    except DomainError as exc:
        return _page(request, _matter(request, pk), bound={slot: form}, refusal=_refusal(exc), status=exc.status)
    messages.success(request, success)
    return redirect(reverse("web:matter_detail", args=[pk]) + "#timeline")


def _solicitation(matter: Matter) -> Solicitation:
    solicitation = Solicitation.objects.filter(matter=matter).select_related("matter__community").first()
    if solicitation is None:
        raise NotFound()
    return solicitation


@require_POST
@login_required
def open_solicitation(request, pk: int):
    return _act(request, pk, "solicitation", lambda m, d: services.open_solicitation(
        request.user, m, question=d["question"], deadline=d["deadline"], occurred_at=d["occurred_at"]),
        _("已开始征求意见，居民可在公开页面提交意见。"))


@require_POST
@login_required
def add_opinion(request, pk: int):
    def call(matter, d):
        services.give_opinion(_solicitation(matter), position=d["position"], text=d["text"], channel=d["channel"],
                              name=d["name"], building=d["building"], recorded_by=request.user,
                              received_at=d["received_at"])

    return _act(request, pk, "opinion", call, _("意见已登记。"))


@require_POST
@login_required
def close_solicitation(request, pk: int):
    def call(matter, d):
        hearing = visible_or_404(Meeting, request.user, d["hearing"]) if d["hearing"] else None
        services.close_solicitation(request.user, matter, summary=d["summary"], hearing=hearing,
                                    occurred_at=d["occurred_at"])

    return _act(request, pk, "close_solicitation", call, _("征求意见已结束，意见汇总已归档。"))


@require_POST
@login_required
def link_step(request, pk: int):
    def call(matter, d):
        visible = Q(meeting__in=Meeting.objects.visible_to(request.user))
        if matter.council_item_id is not None:
            visible |= _chain(matter.council_item_id)
        item = AgendaItem.objects.filter(visible, pk=d["agenda_item"]).first()
        if item is None:
            raise NotFound()
        services.link_step(request.user, matter, d["step"], agenda_item=item, note=d["note"])

    return _act(request, pk, "link", call, _("已登记会议结果。"))


@require_POST
@login_required
def publish_resolution(request, pk: int):
    def call(matter, d):
        notice = None
        if d["mode"] == "oral":
            notice = {"notified": [line.strip() for line in d["notified"].splitlines() if line.strip()]}
        services.publish_resolution(request.user, matter, title=d["title"], body=d["body"], oral_notice=notice,
                                    occurred_at=d["occurred_at"])

    return _act(request, pk, "publish_resolution", call,
                _("已登记决议公开。书面公示须在居务公开栏完成审查、研究并公布后，本步骤才完成。"))


@require_POST
@login_required
def add_progress(request, pk: int):
    def call(matter, d):
        responds_to = matter.progress.filter(pk=d["responds_to"]).first() if d["responds_to"] else None
        services.add_progress(request.user, matter, kind=d["kind"], text=d["text"], responds_to=responds_to,
                              done=d["done"], occurred_at=d["occurred_at"])

    return _act(request, pk, "progress", call, _("已记录。"))


@require_POST
@login_required
def add_document(request, pk: int):
    def call(matter, d):
        progress = matter.progress.filter(pk=d["progress"]).first() if d["progress"] else None
        if d["progress"] and progress is None:
            raise NotFound()
        documents.attach_document(request.user, matter, name=d["file"].name, content=uploads.read(d["file"]),
                                  kind=d["kind"], progress=progress)

    return _act(request, pk, "document", call, _("资料已上传并归档。"))


@login_required
def document(request, pk: int, document_pk: int):
    """A matter's file, only to users who can see the matter (404 otherwise)."""
    matter = visible_or_404(Matter, request.user, pk)
    found = matter.documents.filter(pk=document_pk).first()
    if found is None:
        raise Http404
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=found.name, content_type=found.media_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def publish_result(request, pk: int):
    return _act(request, pk, "publish_result", lambda m, d: services.publish_result(
        request.user, m, title=d["title"], body=d["body"]),
        _("已建立实施结果公开事项，请在居务公开栏完成审查、研究并公布。"))


@require_POST
@login_required
def close(request, pk: int):
    return _act(request, pk, "close", lambda m, d: services.close_matter(request.user, m, occurred_at=d["occurred_at"]),
                _("事项已结案，档案已立卷。"))


# The dashboard -----------------------------------------------------------------------------------------

@login_required
def board(request):
    """Matters by stage, late resolution publications (R-WF-09) and escalations waiting for the street (R-WF-07),
    for one community or the whole scope: a fixed number of queries whatever the number of matters."""
    user = request.user
    communities = list(_communities(user))
    chosen = request.GET.get("community")
    matters = Matter.objects.visible_to(user)
    community = None
    if chosen:
        community = next((c for c in communities if str(c.pk) == chosen), None)
        if community is None:
            raise Http404
        matters = matters.filter(community=community)
    by_step = defaultdict(int)
    by_status = defaultdict(int)
    per_community = defaultdict(lambda: defaultdict(int))
    for row in matters.values("community_id", "template", "status", "step").annotate(n=Count("pk")):
        by_status[row["status"]] += row["n"]
        per_community[row["community_id"]][row["status"]] += row["n"]
        if row["status"] == Matter.Status.OPEN:
            by_step[(row["template"], row["step"])] += row["n"]
    stages = [{"template": label, "steps": [{"step": s, "label": step_label(s), "n": by_step[(code, s)]}
                                            for s in services.STEPS[code]]}
              for code, label in Matter.Template.choices]
    unpublished = list(matters.filter(status=Matter.Status.OPEN, resolved_at__isnull=False)
                       .exclude(steps__step="resolution_published").select_related("community")
                       .order_by("resolved_at")[:BOARD_LIMIT])
    due = due_dates(unpublished)
    today = timezone.localdate()
    late = [{"m": m, "due": due[m.pk], "days": (today - due[m.pk]).days} for m in unpublished if due[m.pk] < today]
    waiting = list(matters.filter(status=Matter.Status.OPEN).exclude(waiting_on="").select_related("community")
                   .order_by("created_at")[:BOARD_LIMIT])
    council_items = matters.filter(council_item__isnull=False).values("council_item_id")
    # An escalated item waits on the PWC's agenda, with or without a meeting scheduled yet.
    pwc = list(AgendaItem.objects.filter(body__kind=Body.Kind.PARTY_WORKING_COMMITTEE,
                                         status=AgendaItem.Status.PENDING)
               .filter(Q(origin_id__in=council_items) | Q(origin__origin_id__in=council_items))
               .select_related("meeting", "body", "origin").order_by("pk")[:BOARD_LIMIT])
    origins = {i.origin_id for i in pwc} | {i.origin.origin_id for i in pwc if i.origin.origin_id}
    owners = {m.council_item_id: m for m in matters.filter(council_item_id__in=origins).select_related("community")}
    pwc_rows = [{"item": i, "m": owners.get(i.origin_id) or owners.get(i.origin.origin_id)} for i in pwc]
    names = {c.pk: c.name for c in communities}
    rows = [{"community": names.get(cid, cid), "pk": cid, **{s: counts.get(s, 0) for s in Matter.Status.values}}
            for cid, counts in per_community.items()]
    rows.sort(key=lambda row: str(row["community"]))
    return render(request, "web/matters/board.html", {
        "communities": communities, "community": community, "stages": stages, "by_status": dict(by_status),
        "total": sum(by_status.values()), "late": late, "waiting": waiting, "pwc": pwc_rows,
        "per_community": rows if community is None else [],
    })
