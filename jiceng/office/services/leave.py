"""Staff posts and leave (请销假, A-LEAVE): every write of the two, audited in its transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.audit.services import record_event
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.notify import services as notify
from jiceng.orgs.models import Area, Person
from jiceng.rules import office as r
from jiceng.rules.base import check, params_for

from .. import filing, staff
from ..models import DutyOfficer, DutyShift, LeaveApproval, LeaveRequest, Post, StaffPost

MAX_DAYS = Decimal(365)
POST_LABELS = {r.PRINCIPAL_LEADER: "主要领导", r.VRC_PRINCIPAL: "村(居)委主要领导"}


# Posts -------------------------------------------------------------------------------------------------------

@transaction.atomic
def appoint_post(actor, *, person: Person, area: Area, post: str, start_on: datetime.date,
                 end_on: datetime.date | None = None, section: str = "", phone: str = "") -> StaffPost:
    """Record that `person` holds `post` in the street office (`area` = the street) or in a village/residents
    committee (`area` = the community). Needs MANAGE_MEMBERSHIPS on the area."""
    if not scope.has_perm(actor, Perm.MANAGE_MEMBERSHIPS, area):
        raise PermissionDenied("您无权维护该单位的岗位。", "You may not manage posts here.")
    if post not in Post.values:
        raise ValidationFailed(f"未知岗位：{post}", f"Unknown post: {post}", facts={"field": "post"})
    community_post = post in (*r.VRC_HEAD_POSTS, *r.VRC_MEMBER_POSTS, *r.COMMUNITY_WORKER_POSTS)
    wanted = Area.Level.COMMUNITY if community_post else Area.Level.STREET
    if area.level != wanted:
        raise ValidationFailed("村(居)委岗位登记在社区，机关岗位登记在街道。",
                               "Committee posts belong to a community, office posts to a street.",
                               facts={"field": "area"})
    if end_on is not None and end_on < start_on:
        raise ValidationFailed("任职结束不能早于开始。", "A post cannot end before it starts.",
                               facts={"field": "end_on"})
    row = StaffPost.objects.create(person=person, area=area, post=post, start_on=start_on, end_on=end_on,
                                   section=section, phone=phone)
    record_event(actor, "office.post_appointed", row, area=area,
                 after={"person": person.pk, "post": post, "section": section, "start_on": start_on,
                        "end_on": end_on})
    return row


@transaction.atomic
def end_post(actor, row: StaffPost, *, end_on: datetime.date) -> StaffPost:
    if not scope.has_perm(actor, Perm.MANAGE_MEMBERSHIPS, row.area):
        raise PermissionDenied("您无权维护该单位的岗位。", "You may not manage posts here.")
    if end_on < row.start_on:
        raise ValidationFailed("任职结束不能早于开始。", "A post cannot end before it starts.",
                               facts={"field": "end_on"})
    before = row.end_on
    row.end_on = end_on
    row.save(update_fields=["end_on"])
    record_event(actor, "office.post_ended", row, before={"end_on": before}, after={"end_on": end_on})
    return row


# Leave -------------------------------------------------------------------------------------------------------

def parse_days(value) -> Decimal:
    """Whole or half days ("0.5", 3); anything else is a 400."""
    try:
        days = Decimal(str(value))
    except (InvalidOperation, ValueError):
        days = Decimal(-1)
    if not days.is_finite() or days <= 0 or days > MAX_DAYS or (days * 2) % 1 != 0:
        raise ValidationFailed("请假天数须为大于0的整数或半天（如0.5）。",
                               "Leave days must be a positive whole or half number (e.g. 0.5).",
                               facts={"field": "days"})
    return days


def _calendar(area: Area, on: datetime.date) -> r.WorkCalendar:
    params, _version = params_for(r.WORK_CALENDAR, area, on)
    return r.WORK_CALENDAR.decide(params)


def _may_request_for(actor, person: Person, area: Area) -> bool:
    return staff.person_of(actor) == person or scope.has_perm(actor, Perm.EDIT_PEOPLE, area)


@transaction.atomic
def request_leave(actor, *, person: Person, start_on: datetime.date, days, reason: str,
                  during_duty: bool = False) -> LeaveRequest:
    """Submit a written leave request, routed by the requester's rank on the first day and the number of days
    (A-LEAVE-01..04, 07; V-LEAVE). A route with no approver (a committee head away for under a day, A-LEAVE-03)
    is approved at once.

    Raises ValidationFailed (days, reason, no post on the first day), PermissionDenied (neither the person nor
    staff of the person's unit), RuleViolation."""
    days = parse_days(days)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请书面说明请假事由。", "State the reason in writing.", facts={"field": "reason"})
    post = staff.rank_of(person, start_on)
    area = post.area
    if not _may_request_for(actor, person, area):
        raise PermissionDenied("只能为本人或本单位人员请假。", "You may request leave only for yourself or your unit.")
    rule = r.leave_rule_for(post.post)
    judged = check(rule, area=area, on=start_on, days=days)
    route: r.LeaveRoute = judged.value
    if during_duty:
        # A-LEAVE-09: stepping away during one's own duty shift goes to that shift's leader on duty instead.
        if not DutyOfficer.objects.filter(shift__day=start_on, person=person).exists():
            raise ValidationFailed("请假当日本人没有值班安排。", "The person is not on duty that day.",
                                   facts={"field": "during_duty"})
        judged = check(r.LEAVE_DUTY_LEADER, area=area, on=start_on)
        route = r.LeaveRoute(r.LEAVE_DUTY_LEADER.id, judged.value, False, True)
    return_params, _ = params_for(r.LEAVE_RETURN, area, start_on)
    period = r.LEAVE_RETURN.decide(return_params, start_on=start_on, days=days, calendar=_calendar(area, start_on))
    leave = LeaveRequest.objects.create(
        area=area, person=person, rank=post.post, start_on=start_on, days=days, end_on=period.end_on,
        return_due_on=period.return_due_on, reason=reason, route=list(route.approvers), rule_id=route.rule_id,
        rulebook_version=judged.version, file_with_office=route.file_with_office, written=True, created_by=actor)
    LeaveApproval.objects.bulk_create([LeaveApproval(request=leave, position=i, post=p)
                                       for i, p in enumerate(route.approvers)])
    record_event(actor, "office.leave_requested", leave,
                 after={"person": person.pk, "rank": post.post, "start_on": start_on, "days": days,
                        "route": list(route.approvers), "rule": route.rule_id, "version": judged.version})
    if not route.approvers:
        leave.move_to(LeaveRequest.Status.APPROVED)
        leave.save(update_fields=["status"])
        record_event(actor, "office.leave_approved", leave, after={"route": [], "rule": route.rule_id})
    else:
        _notify_next(leave)
    return leave


def pending_step(leave: LeaveRequest) -> LeaveApproval | None:
    return next((a for a in leave.approvals.all() if a.decision == LeaveApproval.Decision.PENDING), None)


def _notify_next(leave: LeaveRequest) -> None:
    step = pending_step(leave)
    if step is None:
        return
    users = staff.users_of(staff.holders(step.post, leave.area, staff.today()))
    if users:
        notify.notify(recipients=users, title=f"请假待审批：{leave.person.name}{leave.days}天",
                      body=f"{leave.start_on}起请假{leave.days}天，事由：{leave.reason[:100]}",
                      rule_id=leave.rule_id, link=f"/office/leave/{leave.pk}/")


def _section_of(leave: LeaveRequest) -> str:
    post = StaffPost.objects.on(leave.start_on).filter(person=leave.person, post=leave.rank).first()
    return post.section if post else ""


def _may_decide(person, post: str, leave: LeaveRequest) -> bool:
    if post == r.DUTY_LEADER:  # A-LEAVE-09: the leader on duty of that day's shift
        return person is not None and DutyShift.objects.filter(day=leave.start_on, leader=person,
                                                               officers__person=leave.person).exists()
    return staff.may_act_as(person, post, leave.area, staff.today(), section=_section_of(leave))


def _locked(leave: LeaveRequest) -> LeaveRequest:
    return LeaveRequest.objects.select_for_update(of=("self",)).select_related("area", "person").get(pk=leave.pk)


def _decide(actor, leave: LeaveRequest, decision: str, note: str) -> tuple[LeaveRequest, LeaveApproval]:
    leave = _locked(leave)
    if leave.status != LeaveRequest.Status.SUBMITTED:
        wanted = (LeaveRequest.Status.APPROVED if decision == LeaveApproval.Decision.APPROVED
                  else LeaveRequest.Status.REJECTED)
        leave.move_to(wanted)  # raises IllegalTransition naming the current state
    step = pending_step(leave)
    person = staff.person_of(actor)
    if step is None:
        raise PermissionDenied("没有待审批的步骤。", "No step is waiting for a decision.")
    if not _may_decide(person, step.post, leave):
        label = Post(step.post).label if step.post in Post.values else POST_LABELS.get(step.post, step.post)
        raise PermissionDenied(f"此步骤应由{label}审批。", f"This step is for the {step.post}.",
                               facts={"post": step.post})
    if person == leave.person:
        raise PermissionDenied("不能审批本人的请假。", "You cannot approve your own leave.")
    step.decision, step.approver, step.decided_by = decision, person, actor
    step.note, step.decided_at = note.strip(), timezone.now()
    step.save(update_fields=["decision", "approver", "decided_by", "note", "decided_at"])
    return leave, step


def _overlapping_duty(leave: LeaveRequest) -> list[str]:
    """The rostered duty days inside the leave that no approved swap covers (A-LEAVE-11)."""
    shifts = DutyShift.objects.filter(day__gte=leave.start_on, day__lte=leave.end_on)
    as_leader = shifts.filter(leader=leave.person).values_list("day", flat=True)
    as_officer = (DutyOfficer.objects.filter(shift__in=shifts, person=leave.person)
                  .exclude(status=DutyOfficer.Status.SUBSTITUTED).values_list("shift__day", flat=True))
    return sorted({d.isoformat() for d in [*as_leader, *as_officer]})


@transaction.atomic
def approve_leave(actor, leave: LeaveRequest, *, note: str = "") -> LeaveRequest:
    """The holder of the pending step's post approves it. After the last step the leave is approved and, where
    the rule says so, filed with the general office (A-LEAVE-01..04). Refuses the final approval while the leave
    covers the requester's rostered duty without an approved swap (A-LEAVE-11).

    Raises PermissionDenied (not the holder of the post, or one's own leave), IllegalTransition, RuleViolation."""
    leave, step = _decide(actor, leave, LeaveApproval.Decision.APPROVED, note)
    record_event(actor, "office.leave_step_approved", leave, after={"post": step.post, "position": step.position})
    if pending_step(leave) is None:
        # A leave during one's own shift (A-LEAVE-09) is approved by its duty leader; any other leave may not drop a
        # rostered duty (A-LEAVE-11).
        days = [] if leave.rule_id == r.LEAVE_DUTY_LEADER.id else _overlapping_duty(leave)
        check(r.LEAVE_DURING_DUTY, area=leave.area, on=leave.start_on, satisfied=not days, duty_days=days)
        leave.move_to(LeaveRequest.Status.APPROVED)
        fields = ["status"]
        if leave.file_with_office:
            leave.move_to(LeaveRequest.Status.FILED)
            leave.filed_at = timezone.now()
            fields.append("filed_at")
        leave.save(update_fields=fields)
        record_event(actor, "office.leave_approved", leave,
                     after={"status": leave.status, "filed_with_office": leave.file_with_office})
        if leave.file_with_office:
            filing.file(actor, leave.area, "leave", year=leave.start_on.year, kind="office.leave_filed",
                        title=f"{leave.person.name} {leave.start_on}起请假{leave.days}天", source=leave,
                        data={"person": leave.person_id, "rank": leave.rank, "start_on": leave.start_on.isoformat(),
                              "days": str(leave.days), "reason": leave.reason, "route": leave.route,
                              "rule": leave.rule_id, "approvals": [
                                  {"post": a.post, "approver": a.approver_id, "note": a.note}
                                  for a in leave.approvals.all()]})
        notify.notify(recipients=staff.users_of([leave.person]), title="请假已批准",
                      body=f"{leave.start_on}起{leave.days}天的请假已批准，请于{leave.return_due_on}销假。",
                      rule_id=r.LEAVE_RETURN.id, link=f"/office/leave/{leave.pk}/")
    else:
        _notify_next(leave)
    return leave


@transaction.atomic
def reject_leave(actor, leave: LeaveRequest, *, note: str = "") -> LeaveRequest:
    """The holder of the pending step's post refuses the leave; the request ends as `rejected`."""
    leave, step = _decide(actor, leave, LeaveApproval.Decision.REJECTED, note)
    leave.move_to(LeaveRequest.Status.REJECTED)
    leave.save(update_fields=["status"])
    record_event(actor, "office.leave_rejected", leave, after={"post": step.post, "note": step.note})
    return leave


@transaction.atomic
def record_return(actor, leave: LeaveRequest, *, returned_on: datetime.date | None = None) -> LeaveRequest:
    """销假 (A-LEAVE-06): the person, an approver or the office records the return; a return after the due day
    stays visible as late (checks: office.leave_returned_late)."""
    leave = _locked(leave)
    person = staff.person_of(actor)
    approvers = {a.approver_id for a in leave.approvals.all()}
    if not (person == leave.person or (person and person.pk in approvers)
            or scope.has_perm(actor, Perm.EDIT_PEOPLE, leave.area)):
        raise PermissionDenied("只有本人、审批人或办公室可以登记销假。",
                               "Only the person, an approver or the office may record the return.")
    returned_on = returned_on or staff.today()
    if returned_on < leave.start_on:
        raise ValidationFailed("销假日期不能早于请假开始日期。", "The return cannot precede the leave.",
                               facts={"field": "returned_on"})
    leave.move_to(LeaveRequest.Status.RETURNED)
    leave.returned_on, leave.returned_at = returned_on, timezone.now()
    leave.save(update_fields=["status", "returned_on", "returned_at"])
    record_event(actor, "office.leave_returned", leave,
                 after={"returned_on": returned_on, "due_on": leave.return_due_on,
                        "late": returned_on > leave.return_due_on})
    return leave


@transaction.atomic
def cancel_leave(actor, leave: LeaveRequest) -> LeaveRequest:
    leave = _locked(leave)
    if staff.person_of(actor) != leave.person and actor != leave.created_by:
        raise PermissionDenied("只能撤回本人提交的请假。", "Only the requester may withdraw the request.")
    leave.move_to(LeaveRequest.Status.CANCELLED)
    leave.save(update_fields=["status"])
    record_event(actor, "office.leave_cancelled", leave)
    return leave


def inbox_for(user, on: datetime.date | None = None):
    """Leave requests whose pending step `user`'s person may decide (the approver inbox): the person's posts are
    read once and matched in memory, so the cost does not grow with the number of requests."""
    on = on or staff.today()
    person = staff.person_of(user)
    if person is None:
        return LeaveRequest.objects.none()
    held = staff.posts_of(person, on)
    led_days = set(DutyShift.objects.filter(leader=person).values_list("day", flat=True)[:1000])
    pending = (LeaveRequest.objects.visible_to(user).filter(status=LeaveRequest.Status.SUBMITTED)
               .exclude(person=person).select_related("area").prefetch_related("approvals"))
    ids = []
    for leave in pending[:500]:
        step = pending_step(leave)
        if step is None:
            continue
        if step.post == r.DUTY_LEADER:
            if leave.start_on in led_days:
                ids.append(leave.pk)
        elif staff.acts_as(held, step.post, leave.area):
            ids.append(leave.pk)
    return LeaveRequest.objects.filter(pk__in=ids).select_related("person", "area").prefetch_related("approvals")


def on_leave(person: Person, day: datetime.date) -> bool:
    """True when `person` has an approved (or filed) leave covering `day` (A-DOC-14: the principal is away)."""
    return LeaveRequest.objects.filter(
        Q(status__in=LeaveRequest.OPEN) | Q(status=LeaveRequest.Status.RETURNED, returned_on__gt=day),
        person=person, start_on__lte=day, end_on__gte=day).exists()
