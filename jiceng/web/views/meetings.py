"""Meetings in the staff UI: the list, a body's month calendar, convening a meeting, and the live meeting page a
secretary runs on a laptop.

Thin (STYLE §4): find the meeting the user may see (404 otherwise), call ONE service per POST and answer with
the part of the page that changed: htmx gets the meeting panel (or the one agenda item) back, a plain form post
a redirect. A refusal is shown in a red box with the DomainError's message, which cites the rule and its
article; on a refusal the form keeps what the user entered.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.core.errors import DomainError, RuleViolation
from jiceng.core.masking import mask_name
from jiceng.meetings import services
from jiceng.meetings.kinds import SPECS
from jiceng.meetings.models import AgendaItem, Attendance, Kind, Meeting, NamedVote
from jiceng.meetings.queries import meeting_detail
from jiceng.orgs.models import Area, Body, Membership, Person, Role
from jiceng.orgs.search import MAX_QUERY_LENGTH, person_search_q
from jiceng.orgs.services import get_visible
from jiceng.rules.base import check

from .. import forms_meetings as f
from .common import form_error, visible_or_404
from .results import panel_for

PAGE_SIZE = 30
PEOPLE_LIMIT = 40
HOLDING_KINDS = sorted({kind for spec in SPECS.values() for kind in spec.body_kinds})
OPEN = (Meeting.Status.DRAFT, Meeting.Status.NOTICED, Meeting.Status.DEFERRED)


def _htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


def may_run_somewhere(user) -> bool:
    """Whether to offer "召开会议" (no query beyond the user's cached grants)."""
    return (user.is_superuser and user.is_active) or bool(scope.paths(user, Perm.RUN_MEETINGS))


def _ids(value) -> list[int]:
    """Ids from a bound form's raw value; nothing when they do not parse (the form reports that itself)."""
    try:
        return f.IdListField().clean(value)
    except forms.ValidationError:
        return []


def _month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    start = timezone.make_aware(datetime.datetime.combine(month, datetime.time.min))
    return start, timezone.make_aware(datetime.datetime.combine(following, datetime.time.min))


# Lists -------------------------------------------------------------------------------------------------

@login_required
def meeting_list(request):
    user = request.user
    form = f.MeetingFilterForm(request.GET or None)
    values = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = Meeting.objects.visible_to(user).select_related("body")
    if values.get("body"):
        found = found.filter(body_id=values["body"])
    if values.get("kind"):
        found = found.filter(kind=values["kind"])
    if values.get("status"):
        found = found.filter(status=values["status"])
    month = f.parse_month(values.get("month"))
    if month:
        start, end = _month_bounds(month)
        found = found.filter(scheduled_at__gte=start, scheduled_at__lt=end)
    page = Paginator(found.order_by("-scheduled_at", "-pk"), PAGE_SIZE).get_page(values.get("page"))
    kept = {key: values[key] for key in ("body", "kind", "status", "month") if values.get(key)}
    return render(request, "web/meetings/list.html", {
        "form": form, "page": page, "query": urlencode(kept), "may_create": may_run_somewhere(user),
        # Only bodies that have meetings: one query, however many bodies the user's scope holds.
        "bodies": Body.objects.visible_to(user).filter(meetings__isnull=False).distinct().order_by("name"),
    })


@login_required
def body_meetings(request, pk: int):
    """A month of one body's meetings as a calendar grid, then as a list."""
    body = visible_or_404(Body, request.user, pk)
    today = scope.today()
    month = f.parse_month(request.GET.get("month")) or today.replace(day=1)
    start, end = _month_bounds(month)
    meetings = list(Meeting.objects.visible_to(request.user).filter(body=body, scheduled_at__gte=start,
                                                                    scheduled_at__lt=end)
                    .order_by("scheduled_at", "pk"))
    by_day = defaultdict(list)
    for meeting in meetings:
        by_day[timezone.localdate(meeting.scheduled_at)].append(meeting)
    weeks = [[{"day": day, "in_month": day.month == month.month, "today": day == today,
               "meetings": by_day.get(day, [])} for day in week]
             for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)]
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return render(request, "web/meetings/calendar.html", {
        "body": body, "month": month, "weeks": weeks, "meetings": meetings,
        "previous": previous.strftime("%Y-%m"), "following": following.strftime("%Y-%m"),
        "this_month": today.strftime("%Y-%m"),
        "may_create": bool(f.kinds_for(body)) and scope.has_perm(request.user, Perm.RUN_MEETINGS, body.area),
    })


# Convening ---------------------------------------------------------------------------------------------

def _runnable_bodies(user):
    return (Body.objects.active(scope.today()).filter(scope.area_q(user, "area__path", Perm.RUN_MEETINGS),
                                                      kind__in=HOLDING_KINDS)
            .select_related("area").order_by("area__path", "kind", "name"))


def _people(user, ids) -> list[Person]:
    return list(Person.objects.visible_to(user).filter(pk__in=ids).select_related("area").order_by("name_pinyin"))


@login_required
def meeting_new(request):
    user = request.user
    body_pk = request.POST.get("body") or request.GET.get("body")
    if not body_pk:
        return render(request, "web/meetings/new.html", {"bodies": _runnable_bodies(user)[:500]})
    body = visible_or_404(Body, user, body_pk)
    initial = {"scheduled_at": timezone.localtime().replace(minute=0, second=0, microsecond=0)
               + datetime.timedelta(days=7, hours=1)}
    form = f.MeetingForm(request.POST or None, body=body, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            given = SPECS[data["kind"]].expected.given
            try:
                meeting = services.create_meeting(
                    user, kind=data["kind"], body=body, title=data["title"], scheduled_at=data["scheduled_at"],
                    location=data["location"], expected=data["expected"] if given else None,
                    subject_category=data["subject_category"] if data["kind"] == Kind.HEARING else "",
                    evaluation_form=data["evaluation_form"] if data["kind"] == Kind.EVALUATION_MEETING else "",
                    theme=data["theme"] if data["kind"] == Kind.DEMOCRATIC_LIFE_MEETING else "")
            except DomainError as exc:
                form.add_error(None, exc.localized(get_language()))
            else:
                messages.success(request, _("会议已创建，请添加议题并发布通知。"))
                return redirect("web:meeting", pk=meeting.pk)
    chosen = _ids(form["expected"].value()) if form.is_bound else []
    return render(request, "web/meetings/new.html", {
        "body": body, "form": form, "may_run": scope.has_perm(user, Perm.RUN_MEETINGS, body.area),
        "given_kinds": [kind for kind, _label in f.kinds_for(body) if SPECS[kind].expected.given],
        "chosen": _people(user, chosen) if chosen else [],
    }, status=status)


@login_required
def people_search(request):
    """Visible people matching `q`, as checkboxes (`field=expected`) or radio buttons (`field=subject_person`)."""
    q = (request.GET.get("q") or "")[:MAX_QUERY_LENGTH]
    field = "subject_person" if request.GET.get("field") == "subject_person" else "expected"
    found = (Person.objects.visible_to(request.user).filter(person_search_q(q)).select_related("area")
             .order_by("name_pinyin", "pk")[:PEOPLE_LIMIT]) if q.strip() else []
    return render(request, "web/meetings/_people_pick.html",
                  {"people": found, "field": field, "multi": field == "expected", "q": q, "limit": PEOPLE_LIMIT})


# The meeting page --------------------------------------------------------------------------------------

def _meeting(request, pk: int) -> Meeting:
    visible = visible_or_404(Meeting, request.user, pk)
    return Meeting.objects.select_related("body__area").get(pk=visible.pk)


def _item_of(meeting: Meeting, item_pk: int) -> AgendaItem:
    item = AgendaItem.objects.filter(pk=item_pk, meeting=meeting).first()
    if item is None:
        raise Http404
    return item


def _names(user, ids, known: dict[int, str]) -> dict[int, str]:
    """Names of people the page mentions outside the attendance list, masked outside the user's scope."""
    wanted = {pk for pk in ids if pk and pk not in known}
    names = dict(known)
    for person in Person.objects.filter(pk__in=wanted).select_related("area"):
        names[person.pk] = person.name if scope.has_perm(user, Perm.VIEW, person.area) else mask_name(person.name)
    return names


def _quorum(meeting: Meeting, present_ids, on: datetime.date) -> dict:
    """Present and expected voting members, judged by the kind's quorum rule as `hold` will judge them."""
    expected = set(meeting.attendance.filter(expected=True, voting=True).values_list("person_id", flat=True))
    present, base = len(expected & set(present_ids)), len(expected)
    rule = SPECS[meeting.kind].quorum
    shown = {"present": present, "base": base, "rule": rule and rule.id}
    if rule is None:
        return shown
    try:
        judged = check(rule, area=meeting.body.area, on=on, present=present, base=base)
    except RuleViolation as exc:
        return shown | {"ok": False, "minimum": exc.facts.get("minimum"), "message": exc.localized(get_language())}
    english = (get_language() or "").startswith("en")
    return shown | {"ok": True, "minimum": judged.value.basis["minimum"],
                    "arithmetic": judged.value.arithmetic_en if english else judged.value.arithmetic_zh}


def _officers(meeting: Meeting, spec, attendance: list[dict], user) -> tuple[list[tuple[int, str]], int | None,
                                                                           int | None]:
    """Who may be picked as chair or recorder, labelled with their offices, and who to suggest: the expected
    attendees, and people holding the kind's chair roles or a designated recorder's office in a body of the
    meeting's area (the evaluation chair, R-EVAL-08). Services judge the choice (R-PWC-02, R-PWC-19 …)."""
    on, area = meeting.occurred_on, meeting.body.area
    roles = set(spec.chair_roles) | {Role.DESIGNATED_RECORDER}
    holders = Membership.objects.on(on).filter(body__area=area, role__in=roles).values("person_id")
    people = {a["person"]: a["name"] for a in attendance if a["expected"]}
    people |= {p.pk: p.name for p in Person.objects.visible_to(user).filter(pk__in=holders).order_by("name_pinyin")
               if p.pk not in people}
    offices = defaultdict(list)
    for m in Membership.objects.on(on).filter(Q(body=meeting.body) | Q(body__area=area, role__in=roles),
                                              person_id__in=list(people)):
        offices[m.person_id].append(m.role)
    labels = dict(Role.choices)
    rows = [(pk, f"{name}（{'、'.join(str(labels.get(r, r)) for r in offices[pk])}）" if offices[pk] else name)
            for pk, name in people.items()]
    chair = next((pk for pk in people if set(offices[pk]) & set(spec.chair_roles)), None)
    recorder = next((pk for pk in people if Role.DESIGNATED_RECORDER in offices[pk]), None)
    return rows, chair, recorder


def _reporters(meeting: Meeting) -> list[tuple[str, int, str]]:
    """The four heads who report at an evaluation meeting (R-EVAL-01/06), as they hold office on its date."""
    rows = (Membership.objects.on(meeting.occurred_on)
            .filter(body__area=meeting.body.area, role__in=services.EVALUATION_REPORT_ROLES)
            .select_related("person").order_by("role", "person__name_pinyin"))
    return [(m.role, m.person_id, f"{m.get_role_display()}：{m.person.name}") for m in rows]


def _item_row(item: dict, number: int, meeting: Meeting, spec, names: dict[int, str], voters: list[dict],
              may_run: bool, form=None, error: str = "") -> dict:
    held = meeting.status == Meeting.Status.HELD
    pending = item["status"] == AgendaItem.Status.PENDING
    # R-DELIB-07: a community council's topic that did not pass is not handled or postponed; a grid council's
    # goes up instead (R-DELIB-09), and other kinds' results are final.
    council = meeting.kind == Kind.DELIBERATION_COUNCIL and meeting.body.level != Area.Level.GRID
    ballot = item["kind"] in spec.ballot_required_for
    # A refused vote comes back as the user filled it: each named choice and each recusal.
    data = form.data if form is not None and form.is_bound else {}
    recused = set(_ids(data.getlist("recused"))) if data else set()
    return item | {
        "number": number,
        "kind_label": AgendaItem.ItemKind(item["kind"]).label,
        "status_label": AgendaItem.Status(item["status"]).label,
        "method_label": AgendaItem.Method(item["method"]).label if item["method"] else "",
        "subject_name": names.get(item["subject_person"], ""),
        "recused_names": [names.get(pk, "") for pk in item["recused"]],
        "named": [{"name": names.get(v["person"], ""), "label": NamedVote.Choice(v["choice"]).label}
                  for v in item["named_votes"]],
        "passed": item["status"] in (AgendaItem.Status.PASSED, AgendaItem.Status.FILED),
        "can_vote": may_run and held and pending and spec.passing is not None,
        "can_defer": may_run and held and pending,
        "can_resolve": may_run and council and item["status"] == AgendaItem.Status.REJECTED,
        "ballot_required": ballot,
        "voters": [{"person": v["person"], "name": v["name"], "choice": data.get(f"vote_{v['person']}", ""),
                    "recused": v["person"] in recused} for v in voters],
        "any_recused": bool(recused),
        "form": form or f.VoteForm(initial={"method": AgendaItem.Method.BALLOT if ballot
                                            else AgendaItem.Method.SHOW_OF_HANDS}),
        "error": error,
    }


def _context(request, meeting: Meeting, *, bound: dict | None = None, errors: dict | None = None,
             flash: str = "") -> dict:
    """Everything the meeting page shows. `bound` holds forms a refusal sent back, `errors` the refusal's text,
    keyed by the panel slot ("notice", "hold" …) or "item<pk>"."""
    user, bound, errors = request.user, bound or {}, errors or {}
    detail = meeting_detail(meeting, user)
    spec = SPECS[meeting.kind]
    area = meeting.body.area
    may_run = scope.has_perm(user, Perm.RUN_MEETINGS, area)
    street = area.ancestor_at(Area.Level.STREET) or area
    attendance = [a | {"status_label": Attendance.Status(a["status"]).label} for a in detail["attendance"]]
    known = {a["person"]: a["name"] for a in attendance}
    mentioned = [meeting.chair_id, meeting.recorder_id, *(o["person"] for o in detail["written_opinions"])]
    for item in detail["items"]:
        mentioned += [item["subject_person"], *item["recused"], *(v["person"] for v in item["named_votes"])]
    names = _names(user, mentioned, known)
    voters = [a for a in attendance if a["expected"] and a["voting"] and a["status"] == Attendance.Status.PRESENT]
    items = [_item_row(item, number, meeting, spec, names, voters, may_run, bound.get(f"item{item['id']}"),
                       errors.get(f"item{item['id']}", "")) for number, item in enumerate(detail["items"], start=1)]
    noticed = meeting.status == Meeting.Status.NOTICED
    officers, chair, recorder = _officers(meeting, spec, attendance, user) if noticed and may_run else ([], None, None)
    hold_form = bound.get("hold") or f.HoldForm(initial={"held_at": meeting.scheduled_at, "chair": chair,
                                                         "recorder": recorder})
    present_ids = _ids(hold_form["present"].value()) if hold_form.is_bound else []
    leave_ids = _ids(hold_form["leave"].value()) if hold_form.is_bound else []
    typed = hold_form.data if hold_form.is_bound else {}
    local = timezone.localtime()
    rule_tags = [(label, rule.id) for label, rule in (
        (_("通知"), spec.notice), (_("到会"), spec.quorum), (_("干部事项到会"), spec.cadre_quorum),
        (_("表决"), spec.passing), (_("主持"), spec.chair), (_("记录"), spec.recorder), (_("纪要"), spec.record),
        (_("公布"), spec.publish)) if rule is not None]
    return {
        "meeting": meeting, "d": detail, "spec": spec, "may_run": may_run, "flash": flash, "errors": errors,
        "may_approve": scope.has_perm(user, Perm.APPROVE_AS_STREET, street),
        "kind_label": Kind(meeting.kind).label, "attendance": attendance,
        "expected_rows": [a for a in attendance if a["expected"]],
        "checkin": [a | {"checked": a["person"] in present_ids, "on_leave": a["person"] in leave_ids,
                         "opinion": typed.get(f"opinion_{a['person']}", "")} for a in attendance if a["expected"]],
        "items": items, "names": names, "rule_tags": rule_tags,
        "chair_name": names.get(meeting.chair_id, ""), "recorder_name": names.get(meeting.recorder_id, ""),
        "subject_label": dict(f.HEARING_SUBJECTS).get(meeting.subject_category, meeting.subject_category),
        "opinions": [o | {"name": names.get(o["person"], "")} for o in detail["written_opinions"]],
        "pending_items": any(i["status"] == AgendaItem.Status.PENDING for i in items),
        "is_open": meeting.status in OPEN,
        "confirmations": [(party, label, detail["participant_confirmations"].get(party))
                          for party, label in f.HEARING_PARTIES.items()],
        "show_ballots": spec.anonymous or any(i["ballot_required"] and i["status"] == AgendaItem.Status.PENDING
                                              for i in items),
        "topics": f.TOPICS.get(meeting.kind, []),
        "live": panel_for(request, meeting),
        "present_ids": present_ids,
        "quorum": _quorum(meeting, present_ids, meeting.occurred_on) if noticed else None,
        "officers": officers,
        "reporters": _reporters(meeting) if meeting.kind == Kind.EVALUATION_MEETING and may_run else [],
        "duty_reports": [{"name": r.person.name, "role_label": Role(r.role).label}
                         for r in meeting.duty_reports.select_related("person").order_by("role")]
        if meeting.kind == Kind.EVALUATION_MEETING else [],
        "forms": {
            "item": bound.get("item") or f.ItemForm(),
            "expected": bound.get("expected") or f.ExpectedForm(),
            "approve": bound.get("approve") or f.OverrideForm(),
            "theme": bound.get("theme") or f.ThemeForm(initial={"theme": meeting.theme}),
            "report": bound.get("report") or f.ReportedForm(initial={"reported_at": local}),
            "duty": bound.get("duty") or f.DutyReportForm(),
            "notice": bound.get("notice") or f.NoticeForm(initial={"published_at": local}),
            "hold": hold_form,
            "cancel": bound.get("cancel") or f.ReasonForm(),
            "published": bound.get("published") or f.PublishedForm(initial={"published_on": scope.today()}),
        },
    }


@login_required
def meeting(request, pk: int):
    return render(request, "web/meetings/detail.html", _context(request, _meeting(request, pk)))


@login_required
def quorum(request, pk: int):
    """The live quorum line of the check-in form: `?present=…&held_at=…`."""
    meeting = _meeting(request, pk)
    present = _ids(request.GET.getlist("present"))
    try:
        held_at = forms.DateTimeField(required=False).clean(request.GET.get("held_at"))
    except forms.ValidationError:
        held_at = None
    on = timezone.localdate(held_at) if held_at else meeting.occurred_on
    return render(request, "web/meetings/_quorum.html", {"quorum": _quorum(meeting, present, on)})


# Actions: each calls one service -----------------------------------------------------------------------

def _act(request, meeting: Meeting, slot: str, form, call, success: str, *, item: AgendaItem | None = None):
    """Validate `form`, pass its data to `call` (one service), answer.

    Success: htmx gets the panel (or the item) re-rendered, a plain post a redirect to the page. Refusal:
    the same part with the message in a red box and the form as the user filled it (the whole page, 422,
    for a plain post)."""
    error = "" if form.is_valid() else form_error(form)
    if not error:
        try:
            call(form.cleaned_data)
        except DomainError as exc:
            error = exc.localized(get_language())
    fresh = _meeting(request, meeting.pk)
    anchor = f"item-{item.pk}" if item else "meeting-panel"
    if not error and not _htmx(request):
        messages.success(request, success)
        return redirect(reverse("web:meeting", args=[fresh.pk]) + f"#{anchor}")
    bound, errors = ({slot: form}, {slot: error}) if error else ({}, {})
    context = _context(request, fresh, bound=bound, errors=errors, flash="" if error else success)
    if not _htmx(request):
        return render(request, "web/meetings/detail.html", context, status=422)
    if item is None:
        return render(request, "web/meetings/_panel.html", context)
    row = next(i for i in context["items"] if i["id"] == item.pk)
    return render(request, "web/meetings/_item.html", context | {"item": row, "flash": context["flash"]})


def _person(user, pk: int | None) -> Person | None:
    return None if pk is None else get_visible(Person, user, pk)


@require_POST
@login_required
def item_add(request, pk: int):
    meeting, user = _meeting(request, pk), request.user
    form = f.ItemForm(request.POST)
    return _act(request, meeting, "item", form, lambda d: services.add_item(
        user, meeting, title=d["title"], kind=d["kind"], topic=d["topic"],
        subject_person=_person(user, d["subject_person"]), cadre_preconditions=form.preconditions(),
        override_reason=d["override_reason"]), _("议题已添加。"))


@require_POST
@login_required
def expected_set(request, pk: int):
    meeting = _meeting(request, pk)
    return _act(request, meeting, "expected", f.ExpectedForm(request.POST),
                lambda d: services.set_expected(request.user, meeting, d["expected"]), _("参加人员名单已更新。"))


@require_POST
@login_required
def confirm(request, pk: int):
    meeting = _meeting(request, pk)
    return _act(request, meeting, "confirm", f.ConfirmForm(request.POST),
                lambda d: services.confirm_participants(request.user, meeting, party=d["party"]),
                _("已记录确认。"))


@require_POST
@login_required
def approve(request, pk: int):
    meeting = _meeting(request, pk)
    return _act(request, meeting, "approve", f.OverrideForm(request.POST),
                lambda d: services.approve_participants(request.user, meeting, override_reason=d["override_reason"]),
                _("参会人员名单已审核通过。"))


@require_POST
@login_required
def theme(request, pk: int):
    meeting = _meeting(request, pk)
    return _act(request, meeting, "theme", f.ThemeForm(request.POST),
                lambda d: services.approve_theme(request.user, meeting, theme=d["theme"]), _("主题已经上级同意。"))


@require_POST
@login_required
def report(request, pk: int):
    meeting = _meeting(request, pk)
    return _act(request, meeting, "report", f.ReportedForm(request.POST),
                lambda d: services.report_to_superior(request.user, meeting, reported_at=d["reported_at"]),
                _("已记录书面报告上级的时间。"))


@require_POST
@login_required
def duty_report(request, pk: int):
    meeting, user = _meeting(request, pk), request.user
    form = f.DutyReportForm(request.POST, reporters=_reporters(meeting))

    def call(d):
        role, person = form.role_and_person()
        services.add_duty_report(user, meeting, role=role, person=_person(user, person),
                                 work_completed=d["work_completed"], performance=d["performance"],
                                 next_steps=d["next_steps"])

    return _act(request, meeting, "duty", form, call, _("述职报告已保存。"))


@require_POST
@login_required
def notice(request, pk: int):
    meeting = _meeting(request, pk)
    return _act(request, meeting, "notice", f.NoticeForm(request.POST),
                lambda d: services.publish_notice(request.user, meeting, published_at=d["published_at"],
                                                  text=d["text"]), _("会议通知已发布。"))


@require_POST
@login_required
def hold(request, pk: int):
    meeting, user = _meeting(request, pk), request.user
    form = f.HoldForm(request.POST)
    return _act(request, meeting, "hold", form, lambda d: services.hold(
        user, meeting, held_at=d["held_at"], present=d["present"], chair=_person(user, d["chair"]),
        recorder=_person(user, d["recorder"]), written_opinions=form.written_opinions(), leave=d["leave"],
        override_reason=d["override_reason"]), _("会议已确认召开。"))


@require_POST
@login_required
def vote(request, pk: int, item: int):
    meeting = _meeting(request, pk)
    agenda_item = _item_of(meeting, item)
    form = f.VoteForm(request.POST)
    return _act(request, meeting, f"item{item}", form, lambda d: services.record_vote(
        request.user, agenda_item, method=d["method"], yes=d["yes"], no=d["no"], abstain=d["abstain"],
        votes=form.named_votes(), recused=d["recused"]), _("表决结果已记录。"), item=agenda_item)


@require_POST
@login_required
def defer(request, pk: int, item: int):
    meeting = _meeting(request, pk)
    agenda_item = _item_of(meeting, item)
    return _act(request, meeting, f"item{item}", f.ReasonForm(request.POST),
                lambda d: services.defer_item(request.user, agenda_item, reason=d["reason"]),
                _("议题已暂缓决定，将列入下次会议。"), item=agenda_item)


@require_POST
@login_required
def resolve(request, pk: int, item: int):
    meeting = _meeting(request, pk)
    agenda_item = _item_of(meeting, item)
    return _act(request, meeting, f"item{item}", f.ResolveForm(request.POST),
                lambda d: services.resolve_not_passed(request.user, agenda_item, resolution=d["resolution"]),
                _("已记录处理结果。"), item=agenda_item)


@require_POST
@login_required
def close(request, pk: int):
    meeting = _meeting(request, pk)
    return _act(request, meeting, "close", forms.Form(request.POST),
                lambda _d: services.close_meeting(request.user, meeting), _("会议已结束。"))


@require_POST
@login_required
def cancel(request, pk: int):
    meeting = _meeting(request, pk)
    return _act(request, meeting, "cancel", f.ReasonForm(request.POST),
                lambda d: services.cancel_meeting(request.user, meeting, reason=d["reason"]), _("会议已取消。"))


@require_POST
@login_required
def results_published(request, pk: int):
    meeting = _meeting(request, pk)
    return _act(request, meeting, "published", f.PublishedForm(request.POST),
                lambda d: services.record_results_published(request.user, meeting, published_on=d["published_on"]),
                _("已记录结果公布日期。"))
