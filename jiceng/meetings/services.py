"""Every change to a meeting: convene, notice, hold, items, votes, deferral, escalation, close.

Each function takes the acting user, checks permission and the rules of the meeting's kind (kinds.py),
writes inside one transaction and appends an audit event. Refusals are RuleViolations citing the rule
and its article; ENFORCE-O refusals give way to an `override_reason` from an authorised user, which is
kept on the meeting and audited.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, NotFound, PermissionDenied, RuleViolation, ValidationFailed
from jiceng.orgs.models import Area, Body, Membership, Person, Role
from jiceng.rules import admin_meetings as a
from jiceng.rules import meetings as r
from jiceng.rules import pwc
from jiceng.rules.base import Rule, check
from jiceng.rules.decisions import PUBLIC_BEFORE_PWC
from jiceng.rules.thresholds import Base

from . import reminders
from .kinds import NON_MEMBER_ROLES, SPECS, KindSpec
from .models import AgendaItem, Attendance, DutyReport, Kind, Meeting, NamedVote, Recusal, WrittenOpinion

HEARING_CONFIRMERS = ("street_office", "party_org", "residents_committee")  # R-HEAR-05: the three parties
# R-EVAL-01/09: the four heads, in the reporting order the rulebook gives.
EVALUATION_REPORT_ROLES = tuple(Role(role) for role in r.EVAL_REPORT_ORDER.params.steps)


def spec_of(meeting: Meeting) -> KindSpec:
    return SPECS[meeting.kind]


def _require(actor, perm: str, area: Area) -> None:
    if not scope.has_perm(actor, perm, area):
        raise PermissionDenied(f"您在「{area}」没有「{Perm(perm).label}」权限。",
                               f"You lack the '{perm}' permission on {area.code}.",
                               facts={"permission": perm, "area": area.code})


def _invalid(field: str, zh: str, en: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(zh, en, code=code, facts={"field": field})


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("body__area").get(pk=meeting.pk)


def _judge(rule: Rule, meeting: Meeting, **facts):
    """Apply `rule` under the rulebook version in force for the meeting's district on its date."""
    judged = check(rule, area=meeting.body.area, on=meeting.occurred_on, **facts)
    meeting.rulebook_version = judged.version
    return judged.value


def _may_override(actor, meeting: Meeting) -> bool:
    """ENFORCE-O: the body's chair or a street user may proceed with a recorded reason (rules-core §0.1)."""
    street = meeting.body.area.ancestor_at(Area.Level.STREET) or meeting.body.area
    if scope.has_perm(actor, Perm.APPROVE_AS_STREET, street):
        return True
    person_id = getattr(getattr(actor, "account", None), "person_id", None)
    return person_id is not None and person_id == meeting.chair_id


def _enforce_o(actor, meeting: Meeting, rule: Rule, override_reason: str, **facts) -> None:
    """Judge an ENFORCE-O rule: a refusal stands unless an authorised user gives a reason."""
    try:
        _judge(rule, meeting, **facts)
    except RuleViolation as refusal:
        reason = (override_reason or "").strip()
        if not reason:
            raise
        if not _may_override(actor, meeting):
            raise PermissionDenied("只有会议主持人或街道工作人员可以记录例外理由。",
                                   "Only the chair or a street user may record an override.",
                                   rule=refusal.rule, code="override_not_authorised") from None
        meeting.overrides = [*meeting.overrides, {
            "rule": refusal.rule, "code": refusal.code, "reason": reason, "by": actor.get_username(),
            "at": timezone.now().isoformat(), "facts": refusal.facts}]
        record_event(actor, "meetings.rule_overridden", meeting, area=meeting.body.area,
                     after={"rule": refusal.rule, "code": refusal.code, "reason": reason})


def _duty(rule: Rule, meeting: Meeting, satisfied: bool, **facts) -> None:
    _judge(rule, meeting, satisfied=satisfied, **facts)


# Who is expected -------------------------------------------------------------------------------------

def computed_expected(meeting: Meeting, on: datetime.date) -> list[int]:
    """Distinct persons expected by the kind's definition, as of `on` (a person in two bodies counts once)."""
    spec = spec_of(meeting)
    wanted = spec.expected
    memberships = Membership.objects.on(on).filter(body=meeting.body).exclude(role__in=NON_MEMBER_ROLES)
    if wanted.roles is not None:
        memberships = memberships.filter(role__in=wanted.roles)
    people = set(memberships.values_list("person_id", flat=True))
    if wanted.also_kinds:
        others = Membership.objects.on(on).filter(body__area=meeting.body.area, body__kind__in=wanted.also_kinds)
        if wanted.also_roles is not None:
            others = others.filter(role__in=wanted.also_roles)
        people |= set(others.values_list("person_id", flat=True))
    return sorted(people)


def _set_attendance(meeting: Meeting, person_ids: Iterable[int], *, voting: bool = True) -> None:
    Attendance.objects.filter(meeting=meeting, expected=True).delete()
    Attendance.objects.bulk_create(Attendance(meeting=meeting, person_id=pk, expected=True, voting=voting)
                                   for pk in dict.fromkeys(person_ids))


def _visible_people(actor, ids: Iterable[int]) -> list[int]:
    ids = list(dict.fromkeys(int(pk) for pk in ids))
    found = set(Person.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise NotFound(f"人员 {missing} 不存在或不在您的权限范围内。", f"People {missing} not found or not visible.",
                       facts={"people": missing})
    return ids


# Convening -------------------------------------------------------------------------------------------

@transaction.atomic
def create_meeting(actor, *, kind: str, body: Body, title: str, scheduled_at: datetime.datetime,
                   location: str = "", expected: Iterable[int] | None = None, subject_category: str = "",
                   evaluation_form: str = "", theme: str = "") -> Meeting:
    """Convene a meeting of `body`. Items waiting in the body's queue (deferred or escalated to it) are put
    on its agenda. `expected` lists the invitees where the kind has no fixed membership (hearing,
    evaluation meeting); otherwise the body's members on the meeting date are expected.

    A hearing is convened by the residents committee (R-HEAR-02 / A-HEAR-02, RuleViolation `not_convener`)."""
    _require(actor, Perm.RUN_MEETINGS, body.area)
    if kind not in SPECS:
        raise _invalid("kind", f"未知的会议类型 {kind}。", f"Unknown meeting kind {kind}.")
    spec = SPECS[kind]
    if timezone.is_naive(scheduled_at):
        scheduled_at = timezone.make_aware(scheduled_at)
    if kind == Kind.HEARING:
        # R-HEAR-02 (000-A 第五条) and A-HEAR-02 (001): the residents committee convenes the hearing.
        check(r.HEAR_CONVENER, area=body.area, on=timezone.localdate(scheduled_at),
              satisfied=body.kind == Body.Kind.RESIDENTS_COMMITTEE, body_kind=body.kind)
    if body.kind not in spec.body_kinds:
        allowed = "、".join(str(Body.Kind(k).label) for k in spec.body_kinds)
        raise _invalid("body", f"{Kind(kind).label}须由{allowed}召开。", f"A {kind} is held by: {spec.body_kinds}.",
                       code="wrong_body_kind")
    title = (title or "").strip()
    if not title:
        raise _invalid("title", "会议名称不能为空。", "A title is required.")
    if kind == Kind.HEARING and subject_category not in r.HEARING_SUBJECTS:
        check(r.HEAR_SUBJECT, satisfied=False, given=subject_category)
    meeting = Meeting.objects.create(kind=kind, body=body, title=title, scheduled_at=scheduled_at,
                                     location=location.strip(), subject_category=subject_category,
                                     evaluation_form=evaluation_form, theme=theme.strip(), created_by=actor)
    if expected is not None:
        _set_attendance(meeting, _visible_people(actor, expected))
    elif not spec.expected.given:
        _set_attendance(meeting, computed_expected(meeting, meeting.occurred_on))
    queued = AgendaItem.objects.filter(body=body, meeting__isnull=True, status=AgendaItem.Status.PENDING)
    queued.update(meeting=meeting)
    record_event(actor, "meetings.meeting_created", meeting, area=body.area,
                 after={"kind": kind, "title": title, "scheduled_at": scheduled_at.isoformat(),
                        "expected": meeting.attendance.filter(expected=True).count()})
    return meeting


@transaction.atomic
def set_expected(actor, meeting: Meeting, person_ids: Iterable[int]) -> Meeting:
    """Replace the invitee list before notice. A changed list loses its approvals (R-EVAL-07, R-HEAR-05)."""
    meeting = _locked(meeting)
    _require(actor, Perm.RUN_MEETINGS, meeting.body.area)
    if meeting.status != Meeting.Status.DRAFT:
        raise Conflict("名单只能在会议通知前修改。", "The list can only change before notice.", code="list_frozen",
                       facts={"status": meeting.status})
    ids = _visible_people(actor, person_ids)
    _set_attendance(meeting, ids)
    meeting.participants_approved_at = None
    meeting.participants_approved_by = None
    meeting.participant_confirmations = {}
    meeting.save()
    record_event(actor, "meetings.expected_set", meeting, area=meeting.body.area, after={"expected": len(ids)})
    return meeting


@transaction.atomic
def confirm_participants(actor, meeting: Meeting, *, party: str) -> Meeting:
    """R-HEAR-05: one of the three parties (street office, party organisation, residents committee) agrees
    the hearing's participant list. Street confirmation needs a street user."""
    meeting = _locked(meeting)
    if party not in HEARING_CONFIRMERS:
        raise _invalid("party", f"确认方须为 {HEARING_CONFIRMERS} 之一。",
                       f"party must be one of {HEARING_CONFIRMERS}.")
    if party == "street_office":
        street = meeting.body.area.ancestor_at(Area.Level.STREET) or meeting.body.area
        _require(actor, Perm.APPROVE_AS_STREET, street)
    else:
        _require(actor, Perm.RUN_MEETINGS, meeting.body.area)
    meeting.participant_confirmations = {**meeting.participant_confirmations,
                                         party: {"by": actor.get_username(), "at": timezone.now().isoformat()}}
    meeting.save(update_fields=["participant_confirmations"])
    record_event(actor, "meetings.participants_confirmed", meeting, area=meeting.body.area, after={"party": party})
    return meeting


@transaction.atomic
def approve_participants(actor, meeting: Meeting, *, override_reason: str = "") -> Meeting:
    """R-EVAL-07: the street party working committee approves an evaluation meeting's participant list,
    which must hold at least 50 evaluators (R-EVAL-05, ENFORCE-O)."""
    meeting = _locked(meeting)
    street = meeting.body.area.ancestor_at(Area.Level.STREET) or meeting.body.area
    _require(actor, Perm.APPROVE_AS_STREET, street)
    count = meeting.attendance.filter(expected=True).count()
    _enforce_o(actor, meeting, r.EVAL_MIN_EVALUATORS, override_reason, count=count)
    meeting.participants_approved_at = timezone.now()
    meeting.participants_approved_by = actor
    meeting.save()
    record_event(actor, "meetings.participants_approved", meeting, area=meeting.body.area,
                 after={"participants": count})
    return meeting


@transaction.atomic
def approve_theme(actor, meeting: Meeting, *, theme: str = "") -> Meeting:
    """R-MTG-15: the superior party organisation agrees a democratic life meeting's theme."""
    meeting = _locked(meeting)
    street = meeting.body.area.ancestor_at(Area.Level.STREET) or meeting.body.area
    _require(actor, Perm.APPROVE_AS_STREET, street)
    meeting.theme = (theme or meeting.theme).strip()
    if not meeting.theme:
        raise _invalid("theme", "主题不能为空。", "A theme is required.")
    meeting.theme_approved_at = timezone.now()
    meeting.save()
    record_event(actor, "meetings.theme_approved", meeting, area=meeting.body.area, after={"theme": meeting.theme})
    return meeting


@transaction.atomic
def report_to_superior(actor, meeting: Meeting, *, reported_at: datetime.datetime) -> Meeting:
    """A-PARTY-10: the time and agenda of a democratic life meeting reported in writing to the superior."""
    meeting = _locked(meeting)
    _require(actor, Perm.RUN_MEETINGS, meeting.body.area)
    meeting.superior_reported_at = reported_at
    meeting.save(update_fields=["superior_reported_at"])
    record_event(actor, "meetings.superior_reported", meeting, area=meeting.body.area,
                 after={"reported_at": reported_at.isoformat()}, occurred_at=reported_at)
    return meeting


@transaction.atomic
def add_duty_report(actor, meeting: Meeting, *, role: str, person: Person, work_completed: str,
                    performance: str, next_steps: str) -> DutyReport:
    """R-EVAL-06: a head's duty report with its three sections."""
    meeting = _locked(meeting)
    _require(actor, Perm.RUN_MEETINGS, meeting.body.area)
    if role not in EVALUATION_REPORT_ROLES:
        raise _invalid("role", "述职人须为社区党组织书记、居委会主任、工作站站长或综治办主任。",
                       "The reporter is one of the four heads.")
    sections = [work_completed, performance, next_steps]
    if not all((s or "").strip() for s in sections):
        raise RuleViolation(r.EVAL_DUTY_REPORTS.id, "述职报告须包括工作完成情况、个人履职情况、下步工作打算3项内容"
                            f"（{r.EVAL_DUTY_REPORTS.id}，{r.EVAL_DUTY_REPORTS.citation}）",
                            f"A duty report needs all three sections ({r.EVAL_DUTY_REPORTS.id})",
                            {"role": role}, code="duty_report_incomplete")
    report, _ = DutyReport.objects.update_or_create(
        meeting=meeting, role=role, defaults={"person": person, "work_completed": work_completed.strip(),
                                              "performance": performance.strip(), "next_steps": next_steps.strip()})
    record_event(actor, "meetings.duty_report_added", meeting, area=meeting.body.area, after={"role": role})
    return report


@transaction.atomic
def publish_notice(actor, meeting: Meeting, *, published_at: datetime.datetime, text: str = "") -> Meeting:
    """Give notice: when, where, what, to whom. Freezes the expected list.

    Refuses a hearing whose list lacks the three confirmations (R-HEAR-05), an evaluation meeting whose
    list is not approved (R-EVAL-07), a democratic life meeting without an agreed theme (R-MTG-15)."""
    meeting = _locked(meeting)
    _require(actor, Perm.RUN_MEETINGS, meeting.body.area)
    if timezone.is_naive(published_at):
        published_at = timezone.make_aware(published_at)
    if meeting.kind == Kind.HEARING:
        missing = [p for p in HEARING_CONFIRMERS if p not in meeting.participant_confirmations]
        _duty(r.HEAR_PARTICIPANTS_AGREED, meeting, not missing, missing=missing)
    if meeting.kind == Kind.EVALUATION_MEETING:
        _duty(r.EVAL_PARTICIPANTS_APPROVED, meeting, meeting.participants_approved_at is not None)
    if meeting.kind == Kind.DEMOCRATIC_LIFE_MEETING:
        _duty(r.DLM_THEME, meeting, bool(meeting.theme and meeting.theme_approved_at))
    if not meeting.attendance.filter(expected=True).exists():
        raise _invalid("expected", "应到人员名单为空。", "Nobody is expected.", code="nobody_expected")
    meeting.move_to(Meeting.Status.NOTICED)  # from draft, or again after a postponement
    meeting.notice_published_at = published_at
    meeting.notice_text = text.strip() or _default_notice(meeting)
    meeting.save()
    record_event(actor, "meetings.notice_published", meeting, area=meeting.body.area,
                 after={"published_at": published_at.isoformat()}, occurred_at=published_at)
    return meeting


def _default_notice(meeting: Meeting) -> str:
    when = timezone.localtime(meeting.scheduled_at).strftime("%Y年%m月%d日 %H:%M")
    items = "；".join(i.title for i in meeting.items.all()) or meeting.title
    count = meeting.attendance.filter(expected=True).count()
    return f"定于{when}在{meeting.location or '（地点待定）'}召开{meeting.title}。议题：{items}。参加人员：{count}人。"


@transaction.atomic
def add_item(actor, meeting: Meeting, *, title: str, kind: str = AgendaItem.ItemKind.ORDINARY, topic: str = "",
             subject_person: Person | None = None, cadre_preconditions: dict | None = None,
             override_reason: str = "", affects_residents: bool = False, public_basis: str = "",
             public_hearing: Meeting | None = None) -> AgendaItem:
    """Put an item on the agenda. A cadre item names exactly one person (R-PWC-13); adding a topic to a
    noticed PWC meeting is ad hoc (R-PWC-08, ENFORCE-O). A PWC item closely related to residents' interests
    records the public notice or hearing that preceded it (R-WF-16, judged at the vote)."""
    meeting = _locked(meeting)
    _require(actor, Perm.RUN_MEETINGS, meeting.body.area)
    title = (title or "").strip()
    if not title:
        raise _invalid("title", "议题不能为空。", "An item needs a title.")
    if kind not in AgendaItem.ItemKind.values:
        raise _invalid("kind", f"未知的议题类型 {kind}。", f"Unknown item kind {kind}.")
    if meeting.status in (Meeting.Status.CLOSED, Meeting.Status.CANCELLED):
        raise Conflict(f"会议{meeting.get_status_display()}，不能再增加议题。", "The meeting takes no more items.",
                       code="meeting_closed", facts={"status": meeting.status})
    if kind == AgendaItem.ItemKind.CADRE and subject_person is None:
        _duty(pwc.PWC_ONE_BY_ONE, meeting, False)
    if meeting.kind == Kind.DELIBERATION_COUNCIL:
        _duty(r.DELIB_TOPIC, meeting, topic in r.COUNCIL_TOPICS, given=topic)
    spec = spec_of(meeting)
    ad_hoc = meeting.status != Meeting.Status.DRAFT
    if ad_hoc and spec.ad_hoc_items is not None:
        _enforce_o(actor, meeting, spec.ad_hoc_items, override_reason, satisfied=False)
    if public_hearing is not None and (public_hearing.kind != Kind.HEARING or public_hearing.held_at is None):
        raise _invalid("public_hearing", "请选择已召开的听证会。", "Choose a hearing that has been held.")
    order = (meeting.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    item = AgendaItem.objects.create(body=meeting.body, meeting=meeting, order=order, title=title, kind=kind,
                                     topic=topic, subject_person=subject_person,
                                     cadre_preconditions=cadre_preconditions or {}, added_ad_hoc=ad_hoc,
                                     affects_residents=bool(affects_residents) and meeting.kind == Kind.PWC_MEETING,
                                     public_basis=(public_basis or "").strip()[:300], public_hearing=public_hearing)
    meeting.save()
    record_event(actor, "meetings.item_added", meeting, area=meeting.body.area,
                 after={"item": item.pk, "title": title, "kind": kind, "ad_hoc": ad_hoc})
    return item


# Holding ---------------------------------------------------------------------------------------------

@transaction.atomic
def hold(actor, meeting: Meeting, *, held_at: datetime.datetime, present: Iterable[int],
         chair: Person | None = None, recorder: Person | None = None,
         written_opinions: Iterable[dict] = (), leave: Iterable[int] = (), override_reason: str = "") -> Meeting:
    """Record that the meeting was held at `held_at` (possibly entered later), with who was present.

    Judges, under the rulebook in force on the meeting date: the notice period (R-HEAR-06, R-DELIB-06,
    R-PWC-08 …), the chair (R-PWC-02, R-JOINT-01, R-EVAL-08), the recorder (R-DELIB-11, R-PWC-19), the
    evaluation preconditions (R-EVAL-06/07), the democratic life meeting's notice of time and topics (R-MTG-16)
    and the quorum (R-HEAR-08, R-PWC-04, R-JOINT-03 …).
    A meeting below quorum is not held and can take no decision."""
    meeting = _locked(meeting)
    _require(actor, Perm.RUN_MEETINGS, meeting.body.area)
    if timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    if meeting.status != Meeting.Status.NOTICED:
        meeting.move_to(Meeting.Status.HELD)  # raises IllegalTransition naming the current state
    spec = spec_of(meeting)
    meeting.held_at, meeting.chair, meeting.recorder = held_at, chair, recorder
    on = meeting.occurred_on
    notice_on = timezone.localdate(meeting.notice_published_at) if meeting.notice_published_at else None
    if spec.notice is not None:
        if spec.notice.action == "enforce_o":
            _enforce_o(actor, meeting, spec.notice, override_reason, event_on=on, notice_on=notice_on)
        else:
            _judge(spec.notice, meeting, event_on=on, notice_on=notice_on)
    if meeting.kind == Kind.DEMOCRATIC_LIFE_MEETING:
        # R-MTG-16: time and topics were notified to the participants (a theme or agenda items, and a notice text).
        topics = bool(meeting.theme) or meeting.items.exists()
        _duty(r.DLM_NOTICE, meeting, bool(meeting.notice_published_at and meeting.notice_text and topics))
    if meeting.kind == Kind.DEMOCRATIC_LIFE_MEETING and meeting.body.kind == Body.Kind.COMMUNITY_PARTY_ORG:
        reported = timezone.localdate(meeting.superior_reported_at) if meeting.superior_reported_at else None
        _judge(r.DLM_REPORT_AHEAD, meeting, event_on=on, notice_on=reported)
    if spec.chair is not None:
        _check_chair(meeting, spec, chair, on)
    if spec.recorder is not None:
        _duty(spec.recorder, meeting, recorder is not None)
    if meeting.kind == Kind.EVALUATION_MEETING:
        _duty(r.EVAL_PARTICIPANTS_APPROVED, meeting, meeting.participants_approved_at is not None)
        reported = set(meeting.duty_reports.values_list("role", flat=True))
        missing = [role for role in EVALUATION_REPORT_ROLES if role not in reported]
        _duty(r.EVAL_DUTY_REPORTS, meeting, not missing, missing=missing)

    expected = {a.person_id: a for a in meeting.attendance.all()}
    present_ids = list(dict.fromkeys(int(pk) for pk in present))
    strangers = [pk for pk in present_ids if pk not in expected]
    if strangers:
        # Non-expected attendees may sit in (列席) without a vote; they must exist and be visible.
        _visible_people(actor, strangers)
        Attendance.objects.bulk_create(Attendance(meeting=meeting, person_id=pk, expected=False, voting=False)
                                       for pk in strangers)
    now = timezone.now()
    leave_ids = {int(pk) for pk in leave}
    for person_id, row in expected.items():
        row.status = (Attendance.Status.PRESENT if person_id in present_ids else
                      Attendance.Status.LEAVE if person_id in leave_ids else Attendance.Status.ABSENT)
        row.checked_in_at = now if row.status == Attendance.Status.PRESENT else None
    Attendance.objects.bulk_update(expected.values(), ["status", "checked_in_at"])
    meeting.attendance.filter(person_id__in=strangers).update(status=Attendance.Status.PRESENT, checked_in_at=now)

    if spec.quorum is not None:
        counts = attendance_counts(meeting)
        _judge(spec.quorum, meeting, present=counts["present_voting"], base=counts["expected_voting"])
    for opinion in written_opinions:
        _add_written_opinion(meeting, opinion, expected, present_ids)
    meeting.move_to(Meeting.Status.HELD)
    meeting.save()
    if spec.publish is not None:
        reminders.schedule_publication_reminders(meeting, rule=spec.publish, due=results_due_on(meeting))
    record_event(actor, "meetings.meeting_held", meeting, area=meeting.body.area, occurred_at=held_at,
                 after={**attendance_counts(meeting), "rulebook": meeting.rulebook_version,
                        "chair": chair and chair.pk, "recorder": recorder and recorder.pk})
    return meeting


def _check_chair(meeting: Meeting, spec: KindSpec, chair: Person | None, on: datetime.date) -> None:
    if meeting.kind == Kind.EVALUATION_MEETING:
        # R-EVAL-08: the street leader assigned to this community (recorded on its bodies).
        ok = chair is not None and Membership.objects.on(on).filter(
            person=chair, role=Role.STREET_LIAISON_LEADER, body__area=meeting.body.area).exists()
        _duty(spec.chair, meeting, ok, chair=chair and chair.pk)
        return
    roles = set(spec.chair_roles)
    # R-PWC-02 / R-ORG-14: a deputy secretary may chair when the secretary is away (delegation).
    roles |= {Role.PWC_DEPUTY_SECRETARY, Role.COMMUNITY_PARTY_DEPUTY_SECRETARY}
    ok = chair is not None and Membership.objects.on(on).filter(person=chair, body=meeting.body,
                                                                role__in=roles).exists()
    _duty(spec.chair, meeting, ok, chair=chair and chair.pk)


def _add_written_opinion(meeting: Meeting, opinion: dict, expected: dict, present_ids: list[int]) -> None:
    try:
        person_id = int(opinion["person"])
        text = str(opinion["text"]).strip()
    except (KeyError, TypeError, ValueError):
        raise _invalid("written_opinions", "书面意见须包括人员和内容。", "A written opinion needs a person and text.") \
            from None
    if person_id not in expected or person_id in present_ids or not text:
        raise _invalid("written_opinions", "书面意见只能由未到会的应到人员提交。",
                       "Only an expected member who is absent may give a written opinion.",
                       code="written_opinion_not_absent")
    WrittenOpinion.objects.create(meeting=meeting, person_id=person_id, text=text)


def attendance_counts(meeting: Meeting) -> dict:
    rows = list(meeting.attendance.values_list("expected", "voting", "status"))
    present = Attendance.Status.PRESENT
    return {
        "expected": sum(1 for e, _v, _s in rows if e),
        "expected_voting": sum(1 for e, v, _s in rows if e and v),
        "present": sum(1 for _e, _v, s in rows if s == present),
        "present_voting": sum(1 for e, v, s in rows if e and v and s == present),
        "leave": sum(1 for _e, _v, s in rows if s == Attendance.Status.LEAVE),
    }


# Votes -----------------------------------------------------------------------------------------------

@transaction.atomic
def record_vote(actor, item: AgendaItem, *, method: str, yes: int | None = None, no: int | None = None,
                abstain: int | None = None, votes: Iterable[dict] | None = None, recused: Iterable[int] = (),
                candidates: Iterable[int] | None = None, override_reason: str = "") -> AgendaItem:
    """Record the vote on one item and compute its outcome by the kind's passing rule, with the arithmetic.

    Enforces: the meeting was held; cadre quorum (R-PWC-05), preconditions (R-PWC-09), one person per
    cadre vote (R-PWC-13), ballots for major and cadre items (R-PWC-12), recusal (R-PWC-16), that only
    present voting members vote (R-PWC-03; at a hearing observers never vote, A-HEAR-05), a hearing's voting
    method (R-HEAR-11). Written opinions are never counted (R-PWC-11).
    Council items escalate or are filed as R-DELIB-08/09/10 say."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    meeting = item.meeting
    if meeting is None:
        raise Conflict("该议题尚未列入会议议程。", "The item is not on a meeting's agenda.", code="item_not_scheduled")
    _require(actor, Perm.RUN_MEETINGS, meeting.body.area)
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.HELD:
        raise Conflict(f"会议{meeting.get_status_display()}，不能表决。", f"The meeting is {meeting.status}; no vote.",
                       code="meeting_not_held", facts={"status": meeting.status})
    if item.status != AgendaItem.Status.PENDING:
        raise Conflict(f"该议题已{item.get_status_display()}。", f"The item is already {item.status}.",
                       code="item_already_decided", facts={"status": item.status})
    if method not in AgendaItem.Method.values:
        raise _invalid("method", f"未知的表决方式 {method}。", f"Unknown method {method}.")
    if meeting.kind == Kind.HEARING:
        # R-HEAR-11: the residents committee chooses show of hands, named or secret ballot (not an oral vote).
        _judge(r.HEAR_VOTE_METHOD, meeting, categories=[method])
    if item.affects_residents:
        _enforce_o(actor, meeting, PUBLIC_BEFORE_PWC, override_reason, item=item.pk,
                   satisfied=bool(item.public_basis or item.public_hearing_id))
    spec = spec_of(meeting)
    counts = attendance_counts(meeting)
    if item.kind == AgendaItem.ItemKind.CADRE:
        if spec.cadre_quorum is not None:
            _judge(spec.cadre_quorum, meeting, present=counts["present_voting"], base=counts["expected_voting"])
        named = list(dict.fromkeys(int(pk) for pk in (candidates or [item.subject_person_id])))
        _duty(pwc.PWC_ONE_BY_ONE, meeting, named == [item.subject_person_id], candidates=named)
        pre = item.cadre_preconditions or {}
        missing = [k for k in ("recommendation", "inspection", "leader_opinion") if not str(pre.get(k, "")).strip()]
        if meeting.kind == Kind.PWC_MEETING:
            _duty(pwc.PWC_CADRE_PRECONDITIONS, meeting, not missing, missing=missing)
    if item.kind in spec.ballot_required_for:
        _duty(pwc.PWC_BALLOT, meeting, method == AgendaItem.Method.BALLOT, method=method, item_kind=item.kind)

    voters = set(meeting.attendance.filter(expected=True, voting=True, status=Attendance.Status.PRESENT)
                 .values_list("person_id", flat=True))
    recused_ids = list(dict.fromkeys(int(pk) for pk in recused))
    for pk in recused_ids:
        Recusal.objects.create(item=item, person_id=_one_visible(actor, pk))
    eligible = voters - set(recused_ids)
    if votes is not None:
        yes, no, abstain = _named_votes(meeting, item, votes, voters, set(recused_ids))
    yes, no, abstain = _counts(yes, no, abstain)
    if yes + no + abstain > len(eligible):
        raise _invalid("yes", f"票数合计{yes + no + abstain}，超过可表决的出席人数{len(eligible)}。",
                       f"{yes + no + abstain} votes exceed the {len(eligible)} present members who may vote.",
                       code="too_many_votes")
    if spec.passing is None:
        raise Conflict(f"{Kind(meeting.kind).label}不作表决。", f"A {meeting.kind} takes no votes.",
                       code="no_vote_for_kind")
    threshold = spec.passing.params.threshold
    base = counts["present_voting"] if threshold.base == Base.PRESENT else counts["expected_voting"]
    outcome = _judge(spec.passing, meeting, yes=yes, base=base)
    item.method, item.yes, item.no, item.abstain = method, yes, no, abstain
    item.rule = spec.passing.id
    item.basis = {**outcome.basis, "no": no, "abstain": abstain, "recused": recused_ids,
                  "arithmetic": outcome.arithmetic_zh, "arithmetic_en": outcome.arithmetic_en,
                  "rulebook": meeting.rulebook_version, "present": counts["present_voting"],
                  "expected": counts["expected_voting"], "unanimous": yes == len(eligible) and no == abstain == 0}
    item.decided_at = timezone.now()
    item.status = AgendaItem.Status.PASSED if outcome.passed else AgendaItem.Status.REJECTED
    if meeting.kind == Kind.DELIBERATION_COUNCIL:
        _after_council_vote(actor, meeting, item, outcome.passed)
    item.save()
    meeting.save(update_fields=["rulebook_version", "overrides"])
    record_event(actor, "meetings.vote_recorded", meeting, area=meeting.body.area,
                 after={"item": item.pk, "outcome": item.status, "basis": item.basis})
    return item


def _one_visible(actor, pk: int) -> int:
    return _visible_people(actor, [pk])[0]


def _counts(yes, no, abstain) -> tuple[int, int, int]:
    values = []
    for name, value in (("yes", yes), ("no", no), ("abstain", abstain)):
        if value is None:
            value = 0
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise _invalid(name, "票数须为非负整数。", "Vote counts are whole numbers of zero or more.")
        values.append(value)
    return values[0], values[1], values[2]


def _named_votes(meeting: Meeting, item: AgendaItem, votes: Iterable[dict], voters: set[int],
                 recused: set[int]) -> tuple[int, int, int]:
    tally = {"yes": 0, "no": 0, "abstain": 0}
    seen: set[int] = set()
    for vote in votes:
        try:
            person_id, choice = int(vote["person"]), str(vote["choice"])
        except (KeyError, TypeError, ValueError):
            raise _invalid("votes", "记名表决须注明人员和选择。", "A named vote needs a person and a choice.") from None
        if choice not in tally:
            raise _invalid("votes", f"未知的选择 {choice}。", f"Unknown choice {choice}.")
        if person_id in recused:
            _duty(pwc.PWC_RECUSAL, meeting, False, person=person_id)
        if person_id not in voters:
            # A hearing's voters are fixed by the residents committee; observers and officials sit in without a
            # vote (A-HEAR-04/05). Elsewhere only the body's members vote (R-PWC-03).
            rule = a.HEARING_VOTERS if meeting.kind == Kind.HEARING else pwc.PWC_ONLY_MEMBERS_VOTE
            _duty(rule, meeting, False, person=person_id)
        if person_id in seen:
            raise Conflict("同一人不能重复表决。", "A person votes once.", code="double_vote",
                           facts={"person": person_id})
        seen.add(person_id)
        tally[choice] += 1
        NamedVote.objects.create(item=item, person_id=person_id, choice=choice)
    return tally["yes"], tally["no"], tally["abstain"]


def _after_council_vote(actor, meeting: Meeting, item: AgendaItem, passed: bool) -> None:
    """R-DELIB-08/09/10: a grid council files what it passed with the community council and sends up what it
    did not; a community council sends to the street PWC what it could not agree on."""
    area = meeting.body.area
    if area.level == Area.Level.GRID:
        target = Body.objects.active(meeting.occurred_on).filter(
            kind=Body.Kind.DELIBERATION_COUNCIL, area=area.parent).first()
        if passed:
            _queue_successor(actor, item, target, status=AgendaItem.Status.FILED, rule=r.DELIB_GRID_FILED)
        else:
            item.status = AgendaItem.Status.ESCALATED
            _queue_successor(actor, item, target, rule=r.DELIB_GRID_ESCALATE)
        return
    escalate = _judge(r.DELIB_COMMUNITY_ESCALATE, meeting, passed=passed, unanimous=item.basis["unanimous"])
    if escalate:
        street = area.ancestor_at(Area.Level.STREET)
        target = street and Body.objects.active(meeting.occurred_on).filter(
            kind=Body.Kind.PARTY_WORKING_COMMITTEE, area=street).first()
        item.status = AgendaItem.Status.ESCALATED
        _queue_successor(actor, item, target, rule=r.DELIB_COMMUNITY_ESCALATE)


def _queue_successor(actor, item: AgendaItem, target: Body | None, *, rule: Rule,
                     status: str = AgendaItem.Status.PENDING) -> AgendaItem:
    """Create the item on the next body's agenda: on its next meeting not yet held, else in its queue."""
    if target is None:
        raise Conflict(f"找不到上一级机构，无法按 {rule.id} 提交。", f"No body to send the item to under {rule.id}.",
                       code="no_escalation_target", rule=rule.id)
    upcoming = (Meeting.objects.filter(body=target, status__in=[Meeting.Status.DRAFT, Meeting.Status.NOTICED])
                .order_by("scheduled_at").first()) if status == AgendaItem.Status.PENDING else None
    successor = AgendaItem.objects.create(
        body=target, meeting=upcoming, title=item.title, kind=item.kind, topic=item.topic,
        subject_person=item.subject_person, origin=item, status=status, rule=rule.id,
        decided_at=timezone.now() if status != AgendaItem.Status.PENDING else None,
        note=f"由「{item.meeting.body}」依据 {rule.id}（{rule.citation}）提交")
    record_event(actor, "meetings.item_sent_on", successor, area=target.area,
                 after={"from_item": item.pk, "to_body": target.pk, "rule": rule.id, "status": status})
    return successor


@transaction.atomic
def defer_item(actor, item: AgendaItem, *, reason: str) -> AgendaItem:
    """R-PWC-15 / A-PARTY-07: an item with strong disagreement is deferred to the next meeting of the body; the item
    names the rule its body defers under."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    meeting = item.meeting
    if meeting is None or meeting.status != Meeting.Status.HELD:
        raise Conflict("只有已召开会议上的议题可以暂缓决定。", "Only an item of a held meeting can be deferred.",
                       code="meeting_not_held")
    _require(actor, Perm.RUN_MEETINGS, meeting.body.area)
    if item.status != AgendaItem.Status.PENDING:
        raise Conflict(f"该议题已{item.get_status_display()}。", f"The item is already {item.status}.",
                       code="item_already_decided")
    if not (reason or "").strip():
        raise _invalid("reason", "请说明暂缓的理由。", "Give the reason for deferring.")
    item.status, item.decided_at, item.note = AgendaItem.Status.DEFERRED, timezone.now(), reason.strip()
    # A community party committee defers under its own rules of procedure (A-PARTY-07, 001); others under R-PWC-15.
    if meeting.kind == Kind.PARTY_ORG_COMMITTEE_MEETING:
        check(a.PARTY_COMMITTEE_OUTCOMES, area=meeting.body.area, on=meeting.occurred_on,
              categories=[AgendaItem.Status.DEFERRED])
        item.rule = a.PARTY_COMMITTEE_OUTCOMES.id
    else:
        item.rule = "R-PWC-15"
    item.save()
    successor = AgendaItem.objects.create(
        body=meeting.body, title=item.title, kind=item.kind, topic=item.topic, subject_person=item.subject_person,
        cadre_preconditions=item.cadre_preconditions, origin=item, note=f"上次会议暂缓决定：{reason.strip()}")
    record_event(actor, "meetings.item_deferred", meeting, area=meeting.body.area,
                 after={"item": item.pk, "successor": successor.pk, "reason": reason.strip()})
    return item


@transaction.atomic
def resolve_not_passed(actor, item: AgendaItem, *, resolution: str) -> AgendaItem:
    """A council topic that did not pass is recorded as 不办 or 缓办 (R-DELIB-07); a grid council's cannot
    be — it goes to the community council (R-DELIB-09)."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    meeting = item.meeting
    if meeting is None:
        raise Conflict("该议题尚未列入会议议程。", "The item is not on an agenda.", code="item_not_scheduled")
    _require(actor, Perm.RUN_MEETINGS, meeting.body.area)
    if resolution not in (AgendaItem.Status.NOT_HANDLED, AgendaItem.Status.POSTPONED):
        raise _invalid("resolution", "只能选择不办或缓办。", "Choose not_handled or postponed.")
    if meeting.kind == Kind.DELIBERATION_COUNCIL and meeting.body.area.level == Area.Level.GRID:
        _duty(r.DELIB_GRID_ESCALATE, meeting, False, item=item.pk)
    if item.status != AgendaItem.Status.REJECTED:
        raise Conflict("只有未通过的议题可以不办或缓办。", "Only a topic that did not pass can be set aside.",
                       code="item_not_rejected", facts={"status": item.status})
    item.status = resolution
    item.save(update_fields=["status"])
    record_event(actor, "meetings.item_resolved", meeting, area=meeting.body.area,
                 after={"item": item.pk, "resolution": resolution})
    return item


# After the meeting -----------------------------------------------------------------------------------

@transaction.atomic
def close_meeting(actor, meeting: Meeting) -> Meeting:
    """Close a held meeting: its minutes must be signed off (R-HEAR-13, R-MTG-18, A-MEET-05)."""
    meeting = _locked(meeting)
    _require(actor, Perm.RUN_MEETINGS, meeting.body.area)
    spec = spec_of(meeting)
    if spec.record is not None:
        signed = hasattr(meeting, "minutes") and meeting.minutes.status == "signed"
        _duty(spec.record, meeting, signed)
    meeting.move_to(Meeting.Status.CLOSED)
    meeting.closed_at = timezone.now()
    meeting.save()
    record_event(actor, "meetings.meeting_closed", meeting, area=meeting.body.area)
    return meeting


@transaction.atomic
def cancel_meeting(actor, meeting: Meeting, *, reason: str) -> Meeting:
    meeting = _locked(meeting)
    _require(actor, Perm.RUN_MEETINGS, meeting.body.area)
    if not (reason or "").strip():
        raise _invalid("reason", "请说明取消的理由。", "Give the reason for cancelling.")
    meeting.move_to(Meeting.Status.CANCELLED)
    # Its undecided items go back to the body's queue for the next meeting.
    meeting.items.filter(status=AgendaItem.Status.PENDING).update(meeting=None)
    meeting.save()
    record_event(actor, "meetings.meeting_cancelled", meeting, area=meeting.body.area, after={"reason": reason})
    return meeting


@transaction.atomic
def postpone_meeting(actor, meeting: Meeting, *, scheduled_at: datetime.datetime, reason: str) -> Meeting:
    """Put a noticed meeting off to a new time. It must be noticed again, so the notice period counts
    from the new notice (R-HEAR-06, R-PWC-08 …)."""
    meeting = _locked(meeting)
    _require(actor, Perm.RUN_MEETINGS, meeting.body.area)
    if not (reason or "").strip():
        raise _invalid("reason", "请说明延期的理由。", "Give the reason for postponing.")
    if timezone.is_naive(scheduled_at):
        scheduled_at = timezone.make_aware(scheduled_at)
    before = meeting.scheduled_at
    meeting.move_to(Meeting.Status.DEFERRED)
    meeting.scheduled_at, meeting.notice_published_at = scheduled_at, None
    meeting.save()
    record_event(actor, "meetings.meeting_postponed", meeting, area=meeting.body.area,
                 before={"scheduled_at": before.isoformat()},
                 after={"scheduled_at": scheduled_at.isoformat(), "reason": reason.strip()})
    return meeting


@transaction.atomic
def record_results_published(actor, meeting: Meeting, *, published_on: datetime.date) -> Meeting:
    """Record the publication of the results (R-HEAR-15, R-EVAL-12); judged against the deadline."""
    meeting = _locked(meeting)
    _require(actor, Perm.RUN_MEETINGS, meeting.body.area)
    if meeting.held_at is None:
        raise Conflict("会议尚未召开。", "The meeting has not been held.", code="meeting_not_held")
    meeting.results_published_on = published_on
    meeting.save(update_fields=["results_published_on"])
    if spec_of(meeting).publish is not None:
        reminders.cancel_publication_reminders(meeting, rule=spec_of(meeting).publish)
    record_event(actor, "meetings.results_published", meeting, area=meeting.body.area,
                 after={"published_on": published_on, "on_time": results_on_time(meeting)})
    return meeting


def results_due_on(meeting: Meeting) -> datetime.date | None:
    spec = spec_of(meeting)
    if spec.publish is None or meeting.held_at is None:
        return None
    return check(spec.publish, area=meeting.body.area, on=meeting.occurred_on, event_on=meeting.occurred_on).value


def results_on_time(meeting: Meeting) -> bool | None:
    due = results_due_on(meeting)
    if due is None or meeting.results_published_on is None:
        return None
    return meeting.results_published_on <= due
