"""组织生活 in the staff UI (issue #8 parts 5–7): democratic evaluation rounds, service commitments (a member's page
reads on a phone), and a party organisation's year of 三会一课 with members' participation, with Excel exports.

Thin (STYLE §4): find what the user may see (404 otherwise), call ONE service of jiceng.orglife per POST and
redirect with a message; a refusal re-renders the page with the message in the user's language, its rule ID and
the error's status (400 input, 403 office, 409 state, 422 rule).
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core.errors import DomainError, ValidationFailed
from jiceng.meetings.models import Kind, Meeting
from jiceng.orglife import access, commitments, evaluation, exports, participation, screenings
from jiceng.orglife.models import Commitment, EvaluationRound, MemberEvaluation
from jiceng.orgs.models import Body, Membership, Person
from jiceng.rules import orglife as r

from .common import visible_or_404

PAGE_SIZE = 50
CHOICES_LIMIT = 200


def _refusal(exc: DomainError) -> dict:
    return {"message": exc.localized(get_language()), "rule": exc.rule, "code": exc.code}


def _party_orgs(user):
    return (Body.objects.visible_to(user).filter(kind__in=Body.PARTY_ORG_KINDS).select_related("area")
            .order_by("area__path", "pk")[:CHOICES_LIMIT])


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date(post, name: str) -> datetime.date:
    raw = (post.get(name) or "").strip()
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(f"日期格式应为 YYYY-MM-DD：{raw}", f"Dates read YYYY-MM-DD: {raw}",
                               facts={"field": name}) from None


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# Evaluation rounds ------------------------------------------------------------------------------------------

@login_required
def round_list(request):
    user = request.user
    rounds = EvaluationRound.objects.visible_to(user).select_related("party_org__area")
    party_org, year = _int(request.GET.get("party_org")), _int(request.GET.get("year"))
    if party_org:
        rounds = rounds.filter(party_org_id=party_org)
    if year:
        rounds = rounds.filter(year=year)
    page = Paginator(rounds.order_by("-year", "party_org__area__path", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    kept = {k: v for k, v in (("party_org", party_org), ("year", year)) if v}
    return render(request, "web/orglife/rounds.html", {
        "page": page, "rounds": list(page.object_list), "query": urlencode(kept), "party_orgs": _party_orgs(user),
        "chosen": party_org, "year": year, "today": timezone.localdate()})


@require_POST
@login_required
def round_open(request):
    body = visible_or_404(Body, request.user, _int(request.POST.get("party_org")))
    try:
        on = _date(request.POST, "evaluated_on")
        rnd = evaluation.open_round(request.user, party_org=body, year=_int(request.POST.get("year")) or on.year,
                                    evaluated_on=on, envoy_name=request.POST.get("envoy_name", ""))
    except DomainError as exc:
        messages.error(request, f"{exc.rule or ''} {exc.localized(get_language())}".strip())
        return redirect("web:orglife_rounds")
    messages.success(request, _("已建立民主评议。"))
    return redirect("web:orglife_round", pk=rnd.pk)


def _round_page(request, rnd: EvaluationRound, *, refusal=None, status=200):
    evaluations = list(rnd.evaluations.select_related("person").prefetch_related("decisions"))
    return render(request, "web/orglife/round.html", {
        "rnd": rnd, "evaluations": evaluations, "grades": [(c, zh) for c, (zh, _en) in r.GRADE_LABELS.items()],
        "measures": [(c, zh) for c, (zh, _en) in r.MEASURE_LABELS.items()], "refusal": refusal,
        "warning": rnd.participation_warning, "today": timezone.localdate(),
        "minimum": rnd.participation_warning["facts"]["minimum"] if rnd.participation_warning else None,
    }, status=status)


@login_required
def round_detail(request, pk: int):
    rnd = visible_or_404(EvaluationRound, request.user, pk)
    return _round_page(request, rnd)


@login_required
def round_xlsx(request, pk: int):
    rnd = visible_or_404(EvaluationRound, request.user, pk)
    return _xlsx(exports.evaluation_workbook(rnd), f"民主评议党员-{rnd.party_org.name}-{rnd.year}.xlsx")


def _evaluation_of(rnd: EvaluationRound, post) -> MemberEvaluation:
    e = MemberEvaluation.objects.filter(round=rnd, pk=_int(post.get("evaluation"))).select_related("person").first()
    if e is None:
        raise Http404
    return e


ROUND_ACTIONS = {
    "envoy": (lambda u, rnd, p: evaluation.record_envoy(u, rnd, envoy_name=p.get("envoy_name", "")),
              gettext_lazy("已登记上级派员。")),
    "member": (lambda u, rnd, p: evaluation.record_member(
        u, _evaluation_of(rnd, p), participated=p.get("participated") == "1", outgoing=p.get("outgoing") == "1",
        **{mode: p.get(mode, "") for mode in r.MODE_LABELS if mode in p}), gettext_lazy("已保存。")),
    "propose": (lambda u, rnd, p: evaluation.propose_grade(u, _evaluation_of(rnd, p), grade=p.get("grade", "")),
                gettext_lazy("已提出建议格次。")),
    "submit": (lambda u, rnd, p: evaluation.submit_round(u, rnd), gettext_lazy("已报街道党工委审定。")),
    "approve": (lambda u, rnd, p: evaluation.approve_grade(u, _evaluation_of(rnd, p), grade=p.get("grade", ""),
                                                           note=p.get("note", "")), gettext_lazy("已审定。")),
    "return": (lambda u, rnd, p: evaluation.return_round(u, rnd, reason=p.get("reason", "")),
               gettext_lazy("已退回支部。")),
    "decision": (lambda u, rnd, p: evaluation.record_decision(
        u, _evaluation_of(rnd, p), kind=p.get("kind", ""), measure=p.get("measure", ""),
        decided_on=_date(p, "decided_on"), decided_by_body=p.get("decided_by_body", ""), note=p.get("note", "")),
        gettext_lazy("已登记决定。")),
    "close": (lambda u, rnd, p: evaluation.close_round(u, rnd, summary=p.get("summary", ""),
                                                       rectification=p.get("rectification", "")),
              gettext_lazy("评议已结束，结果已归档，党务公开事项已起草。")),
}


@require_POST
@login_required
def round_act(request, pk: int, action: str):
    rnd = visible_or_404(EvaluationRound, request.user, pk)
    if action not in ROUND_ACTIONS:
        raise Http404
    call, success = ROUND_ACTIONS[action]
    try:
        call(request.user, rnd, request.POST)
    except DomainError as exc:
        rnd.refresh_from_db()
        return _round_page(request, rnd, refusal=_refusal(exc), status=exc.status)
    messages.success(request, success)
    return redirect(reverse("web:orglife_round", args=[pk]) + "#members")


# Commitments ------------------------------------------------------------------------------------------------

@login_required
def commitment_list(request):
    user = request.user
    found = Commitment.objects.visible_to(user).select_related("party_org", "person")
    party_org, year, status = _int(request.GET.get("party_org")), _int(request.GET.get("year")), request.GET.get(
        "status", "")
    if party_org:
        found = found.filter(party_org_id=party_org)
    if year:
        found = found.filter(year=year)
    if status in Commitment.Status.values:
        found = found.filter(status=status)
    else:
        status = ""
    page = Paginator(found.order_by("-year", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {k: v for k, v in (("party_org", party_org), ("year", year), ("status", status)) if v}
    return render(request, "web/orglife/commitments.html", {
        "page": page, "rows": list(page.object_list), "query": urlencode(kept), "party_orgs": _party_orgs(user),
        "chosen": party_org, "year": year, "status": status, "statuses": Commitment.Status.choices})


def _new_page(request, *, refusal=None, status=200):
    user = request.user
    orgs = list(_party_orgs(user))
    chosen = _int(request.POST.get("party_org") or request.GET.get("party_org")) or (orgs[0].pk if orgs else None)
    org = next((o for o in orgs if o.pk == chosen), None)
    members = []
    if org is not None:
        ids = list(access.members_on(org, timezone.localdate()))
        members = list(Person.objects.filter(pk__in=ids).order_by("name_pinyin", "pk"))
    me = access.person_id_of(user)
    return render(request, "web/orglife/commitment_new.html", {
        "party_orgs": orgs, "chosen": chosen, "members": members,
        "me": str(request.POST.get("person", me if me in {m.pk for m in members} else "")),
        "types": [(c, zh) for c, (zh, _en) in r.COMMITTER_LABELS.items()],
        "areas": [(t, [(a, r.AREA_LABELS[a]) for a in areas]) for t, areas in r.COMMITTER_AREAS.items()],
        "refusal": refusal, "post": request.POST, "today": timezone.localdate()}, status=status)


@login_required
def commitment_new(request):
    if request.method != "POST":
        return _new_page(request)
    p = request.POST
    try:
        body = visible_or_404(Body, request.user, _int(p.get("party_org")))
        person = visible_or_404(Person, request.user, _int(p.get("person"))) if p.get("person") else None
        drafted_on = _date(p, "drafted_on")
        c = commitments.draft_commitment(request.user, party_org=body, year=drafted_on.year,
                                         committer_type=p.get("committer_type", ""), area=p.get("area", ""),
                                         title=p.get("title", ""), content=p.get("content", ""), person=person,
                                         drafted_on=drafted_on)
    except DomainError as exc:
        return _new_page(request, refusal=_refusal(exc), status=exc.status)
    messages.success(request, _("承诺已拟定，下一步在社区范围内公示接受审查。"))
    return redirect("web:orglife_commitment", pk=c.pk)


def _commitment_page(request, c: Commitment, *, refusal=None, status=200):
    assemblies = []
    if c.status == Commitment.Status.ORGANISATIONALLY_REVIEWED:
        assemblies = list(Meeting.objects.filter(body__area=c.party_org.area, kind=Kind.PARTY_MEMBERS_ASSEMBLY,
                                                 status__in=(Meeting.Status.HELD, Meeting.Status.CLOSED))
                          .order_by("-held_at")[:20])
    return render(request, "web/orglife/commitment.html", {
        "c": c, "steps": list(c.steps.select_related("recorded_by")), "channels": commitments.channels_done(c),
        "channel_labels": [(k, zh) for k, (zh, _en) in r.CHANNEL_LABELS.items()],
        "appraisal_grades": [(k, zh) for k, (zh, _en) in r.APPRAISAL_GRADES.items()],
        "area_label": r.AREA_LABELS.get(c.area, c.area), "assemblies": assemblies, "refusal": refusal,
        "today": timezone.localdate()}, status=status)


@login_required
def commitment_detail(request, pk: int):
    c = visible_or_404(Commitment, request.user, pk)
    return _commitment_page(request, c)


def _meeting(user, post) -> Meeting:
    return visible_or_404(Meeting, user, _int(post.get("meeting")))


COMMITMENT_ACTIONS = {
    "posting": (lambda u, c, p: commitments.post_for_review(u, c, posted_on=_date(p, "on"), note=p.get("note", "")),
                gettext_lazy("已登记公示审查。")),
    "review": (lambda u, c, p: commitments.review(u, c, reviewed_on=_date(p, "on"), note=p.get("note", "")),
               gettext_lazy("已登记组织审查。")),
    "vote": (lambda u, c, p: commitments.record_assembly_vote(u, c, meeting=_meeting(u, p),
                                                              yes=_int(p.get("yes")) or 0),
             gettext_lazy("党员大会已通过，承诺确定。")),
    "publication": (lambda u, c, p: commitments.record_publication(u, c, channel=p.get("channel", ""),
                                                                   occurred_on=_date(p, "on"), note=p.get("note", "")),
                    gettext_lazy("已登记公开。")),
    "half_year": (lambda u, c, p: commitments.record_half_year_review(u, c, occurred_on=_date(p, "on"),
                                                                      comment=p.get("comment", "")),
                  gettext_lazy("已登记半年点评。")),
    "appraisal": (lambda u, c, p: commitments.record_appraisal(u, c, step=p.get("step", ""),
                                                               occurred_on=_date(p, "on"), note=p.get("note", ""),
                                                               grade=p.get("grade", "")), gettext_lazy("已登记考评。")),
    "withdraw": (lambda u, c, p: commitments.withdraw(u, c, reason=p.get("reason", "")), gettext_lazy("承诺已撤回。")),
}


@require_POST
@login_required
def commitment_act(request, pk: int, action: str):
    c = visible_or_404(Commitment, request.user, pk)
    if action not in COMMITMENT_ACTIONS:
        raise Http404
    call, success = COMMITMENT_ACTIONS[action]
    try:
        call(request.user, c, request.POST)
    except DomainError as exc:
        c.refresh_from_db()
        return _commitment_page(request, c, refusal=_refusal(exc), status=exc.status)
    messages.success(request, success)
    return redirect("web:orglife_commitment", pk=pk)


@require_POST
@login_required
def commitment_publicity(request):
    body = visible_or_404(Body, request.user, _int(request.POST.get("party_org")))
    try:
        item = commitments.draft_publicity(request.user, party_org=body, period_start=_date(request.POST, "on"),
                                           appraisal=request.POST.get("appraisal") == "1")
    except DomainError as exc:
        messages.error(request, f"{exc.rule or ''} {exc.localized(get_language())}".strip())
        return redirect("web:orglife_commitments")
    messages.success(request, _("已起草党务公开事项，请在公开栏中完成集体研究、签字和公布。"))
    return redirect("web:disclosure_item", pk=item.pk)


# Participation ----------------------------------------------------------------------------------------------

def _report(request):
    orgs = list(_party_orgs(request.user))
    chosen = _int(request.GET.get("party_org")) or (orgs[0].pk if orgs else None)
    year = _int(request.GET.get("year")) or timezone.localdate().year
    if chosen is None:
        return orgs, None, year
    body = visible_or_404(Body, request.user, chosen)
    return orgs, participation.year_report(body, year), year


def _screening_choices(body: Body) -> dict:
    today = timezone.localdate()
    members = access.members_on(body, today)
    chairs = (Membership.objects.on(today).filter(body=body, role__in=access.BRANCH_COMMITTEE)
              .select_related("person").order_by("pk"))
    return {"films": list(screenings.approved_films(body.area, today)[:CHOICES_LIMIT]),
            "chairs": list(dict.fromkeys(m.person for m in chairs)),
            "watchers": list(Person.objects.filter(pk__in=list(members)).order_by("name_pinyin", "pk")),
            "projectionists": list(screenings.projectionists_on(body, today)),
            "projectionist_warning": screenings.projectionist_warning(body, today), "today": today}


@login_required
def participation_page(request):
    orgs, report, year = _report(request)
    return render(request, "web/orglife/participation.html", {
        **(_screening_choices(report.party_org) if report else {}),
        "party_orgs": orgs, "report": report, "year": year, "chosen": report.party_org.pk if report else None,
        "member_rows": [(m, [m.by_kind.get(kind) for kind, _label in report.kinds]) for m in report.members]
        if report else [],
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1))})


@require_POST
@login_required
def screening_record(request):
    body = visible_or_404(Body, request.user, _int(request.POST.get("party_org")))
    try:
        film = screenings.approved_films(body.area, timezone.localdate()).filter(
            pk=_int(request.POST.get("film"))).first()
        if film is None:
            raise ValidationFailed("请选择审定目录中的电教片。", "Choose a film of the approved catalogue.",
                                   facts={"field": "film"})
        chair = visible_or_404(Person, request.user, _int(request.POST.get("chair")))
        held_on = _date(request.POST, "held_on")
        screenings.record_screening(request.user, party_org=body, held_on=held_on, film=film, chair=chair,
                                    attendees=[pk for pk in map(_int, request.POST.getlist("attendees")) if pk],
                                    note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, f"{exc.rule or ''} {exc.localized(get_language())}".strip())
    else:
        messages.success(request, _("已登记电教片收看。"))
        year = held_on.year
        return redirect(reverse("web:orglife_participation") + f"?party_org={body.pk}&year={year}#screening")
    return redirect(reverse("web:orglife_participation") + f"?party_org={body.pk}#screening")


@require_POST
@login_required
def projectionist_appoint(request):
    body = visible_or_404(Body, request.user, _int(request.POST.get("party_org")))
    person = visible_or_404(Person, request.user, _int(request.POST.get("person")))
    try:
        _row, warning = screenings.appoint_projectionist(request.user, party_org=body, person=person,
                                                         start_on=_date(request.POST, "start_on"))
    except DomainError as exc:
        messages.error(request, f"{exc.rule or ''} {exc.localized(get_language())}".strip())
    else:
        messages.success(request, _("已登记播放员。"))
        if warning is not None:
            messages.warning(request, f"{warning.rule} {warning.localized(get_language())}")
    return redirect(reverse("web:orglife_participation") + f"?party_org={body.pk}#screening")


@login_required
def participation_xlsx(request):
    _orgs, report, year = _report(request)
    if report is None:
        raise Http404
    return _xlsx(exports.participation_workbook(report), f"组织生活-{report.party_org.name}-{year}.xlsx")
