"""Letters and visits (信访, A-VISIT, A-FIRST, A-CASE): registration with a tracking number, first responsibility,
leader instruction, assignment, case leader, conclusion, reply and satisfaction; due dates and reminders."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.audit.services import record_event
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.masking import mask_name
from jiceng.notify import services as notify
from jiceng.orgs.models import Area, Person
from jiceng.rules import office as r
from jiceng.rules.base import check

from .. import filing, staff
from ..models import Counter, Petition, Section

REMIND_AT_HOUR = 9


def next_serial(key: str) -> int:
    """The next number of the series `key`, gap-free and unique under concurrency: the counter row is locked
    (select_for_update) for the rest of the caller's transaction."""
    Counter.objects.get_or_create(key=key)
    counter = Counter.objects.select_for_update().get(key=key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


def _require_staff(actor, area: Area) -> None:
    if not scope.has_perm(actor, Perm.EDIT_PEOPLE, area):
        raise PermissionDenied("您无权办理该区域的来信来访。", "You may not handle letters and visits here.")


def _dues(kind: str, area: Area, received_on: datetime.date, upper_due_on: datetime.date | None):
    instruction = check(r.PETITION_INSTRUCTION, area=area, on=received_on, kind=kind, registered_on=received_on)
    conclusion = check(r.PETITION_CONCLUSION, area=area, on=received_on, kind=kind, registered_on=received_on,
                       upper_due_on=upper_due_on)
    return instruction.value, conclusion.value, conclusion.version


@transaction.atomic
def register_petition(actor, *, area: Area, petitioner_name: str, received_on: datetime.date | None, issue: str,
                      request: str, kind: str = Petition.Kind.ORDINARY, channel: str = Petition.Channel.VISIT,
                      petitioner_phone: str = "", petitioner_id_number: str = "", petitioner_address: str = "",
                      headcount: int = 1, upper_due_on: datetime.date | None = None) -> Petition:
    """Register a letter or visit (A-VISIT-03: name, date, issue and request) with a tracking number; the
    registering staff member is the first receiver and stays accountable (A-FIRST-01). Computes the instruction
    and conclusion due dates (A-VISIT-04/05, V-VISIT) and schedules their reminders.

    Raises RuleViolation `petition_incomplete`, ValidationFailed, PermissionDenied."""
    _require_staff(actor, area)
    facts = {"petitioner_name": (petitioner_name or "").strip(), "received_on": received_on,
             "issue": (issue or "").strip(), "request": (request or "").strip()}
    check(r.PETITION_REGISTER, area=area, on=received_on or staff.today(), **facts)
    if kind not in Petition.Kind.values:
        raise ValidationFailed(f"未知的信访类别：{kind}", f"Unknown petition kind: {kind}", facts={"field": "kind"})
    if received_on > staff.today():
        raise ValidationFailed("来信来访日期不能晚于今天。", "The date cannot be in the future.",
                               facts={"field": "received_on"})
    if headcount < 1:
        raise ValidationFailed("人数至少为1。", "Headcount is at least 1.", facts={"field": "headcount"})
    instruction, conclusion, version = _dues(kind, area, received_on, upper_due_on)
    street = staff.street_of(area)
    serial = next_serial(f"petition:{street.pk}:{received_on.year}")
    petition = Petition.objects.create(
        area=area, tracking_number=f"XF{street.code}-{received_on.year}-{serial:05d}", kind=kind, channel=channel,
        petitioner_name=facts["petitioner_name"], petitioner_phone=petitioner_phone.strip(),
        petitioner_id_number=petitioner_id_number.strip(), petitioner_address=petitioner_address.strip(),
        headcount=headcount, received_on=received_on, issue=facts["issue"], request=facts["request"],
        first_receiver=staff.person_of(actor), first_receiver_user=actor, owner=staff.person_of(actor),
        instruction_post=instruction.approver, instruction_due_on=instruction.due_on,
        conclusion_due_on=conclusion.due_on, conclusion_remind_on=conclusion.remind_on, upper_due_on=upper_due_on,
        rulebook_version=version)
    petition.move_to(Petition.Status.AWAITING_INSTRUCTION)
    petition.save(update_fields=["status"])
    record_event(actor, "office.petition_registered", petition,
                 after={"tracking_number": petition.tracking_number, "kind": kind,
                        "petitioner": mask_name(petition.petitioner_name), "due_on": petition.due_on})
    schedule_reminders(petition)
    return petition


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(REMIND_AT_HOUR)))


def _key(petition: Petition, rule: r.Rule) -> str:
    return f"{rule.id}:petition:{petition.pk}"


def schedule_reminders(petition: Petition) -> None:
    """REMIND before, escalate after (A-VISIT-04/05): the instruction due day to its leaders, the conclusion at 80%
    of the period to the owner and handler, and both overdue to the principal leaders. Idempotent by key."""
    today = staff.today()
    link = f"/office/petitions/{petition.pk}/"
    leaders = staff.users_of(staff.holders(petition.instruction_post, petition.area, today))
    principals = staff.users_of(staff.holders(r.PRINCIPAL_LEADER, petition.area, today))
    owners = staff.users_of([p for p in (petition.owner, petition.handler, petition.case_leader) if p])
    owners = owners or [petition.first_receiver_user]
    common = {"subject": petition, "link": link}
    if petition.instructed_on is None and leaders:
        key = _key(petition, r.PETITION_INSTRUCTION)
        notify.schedule_reminder(key=f"{key}:due", due_at=_at(max(petition.received_on, today)), recipients=leaders,
                                 title=f"信访{petition.tracking_number}待阅批", body="请按期阅批来信来访。",
                                 rule_id=r.PETITION_INSTRUCTION.id, deadline=petition.instruction_due_on, **common)
        notify.schedule_reminder(key=f"{key}:overdue", due_at=_at(petition.instruction_due_on
                                                                    + datetime.timedelta(days=1)),
                                 recipients=leaders + principals, title=f"逾期：信访{petition.tracking_number}未阅批",
                                 body="来信来访已超过阅批期限。", rule_id=r.PETITION_INSTRUCTION.id,
                                 deadline=petition.instruction_due_on, **common)
    if petition.concluded_on is None:
        key = _key(petition, r.PETITION_CONCLUSION)
        notify.schedule_reminder(key=f"{key}:due", due_at=_at(max(petition.conclusion_remind_on, today)),
                                 recipients=owners, title=f"提醒：信访{petition.tracking_number}临近处结期限",
                                 body="请在期限内处结并向来信来访人反馈。", rule_id=r.PETITION_CONCLUSION.id,
                                 deadline=petition.conclusion_due_on, **common)
        notify.schedule_reminder(key=f"{key}:overdue", due_at=_at(petition.conclusion_due_on
                                                                    + datetime.timedelta(days=1)),
                                 recipients=owners + principals, title=f"逾期：信访{petition.tracking_number}未处结",
                                 body="来信来访已超过处结期限，请督办。", rule_id=r.PETITION_CONCLUSION.id,
                                 deadline=petition.conclusion_due_on, **common)


def _locked(petition: Petition) -> Petition:
    return Petition.objects.select_for_update(of=("self",)).select_related("area").get(pk=petition.pk)


@transaction.atomic
def instruct(actor, petition: Petition, *, text: str) -> Petition:
    """The leader of the instruction post (A-VISIT-04/06, V-VISIT) annotates the case."""
    petition = _locked(petition)
    person = staff.person_of(actor)
    if not staff.may_act_as(person, petition.instruction_post, petition.area, staff.today()):
        raise PermissionDenied("该来信来访应由指定领导阅批。", "The designated leader must instruct this case.",
                               facts={"post": petition.instruction_post})
    if not text.strip():
        raise ValidationFailed("请填写阅批意见。", "Write the instruction.", facts={"field": "text"})
    petition.move_to(Petition.Status.INSTRUCTED)
    petition.instructed_by, petition.instruction, petition.instructed_on = person, text.strip(), staff.today()
    petition.save(update_fields=["status", "instructed_by", "instruction", "instructed_on"])
    notify.cancel_reminders(_key(petition, r.PETITION_INSTRUCTION))
    record_event(actor, "office.petition_instructed", petition,
                 after={"post": petition.instruction_post, "on": petition.instructed_on,
                        "late": petition.instructed_on > petition.instruction_due_on})
    return petition


@transaction.atomic
def assign(actor, petition: Petition, *, section: str, handler: Person | None = None) -> Petition:
    """Hand the instructed case to a section (and a handler); the first receiver stays accountable."""
    _require_staff(actor, petition.area)
    petition = _locked(petition)
    if section not in Section.values:
        raise ValidationFailed(f"未知科室：{section}", f"Unknown section: {section}", facts={"field": "section"})
    petition.move_to(Petition.Status.IN_PROGRESS)
    petition.assigned_section, petition.handler = section, handler
    petition.save(update_fields=["status", "assigned_section", "handler"])
    record_event(actor, "office.petition_assigned", petition,
                 after={"section": section, "handler": handler.pk if handler else None})
    schedule_reminders(petition)
    return petition


@transaction.atomic
def set_case_leader(actor, petition: Petition, *, leader: Person) -> Petition:
    """领导包案 (A-CASE-02): one street leader owns the case and its three guarantees + one responsibility."""
    petition = _locked(petition)
    street = staff.street_of(petition.area)
    if not (staff.leader_posts(staff.person_of(actor), street, staff.today())
            or staff.may_act_as(staff.person_of(actor), r.CENTER_DIRECTOR, petition.area, staff.today())):
        raise PermissionDenied("包案领导由街道领导或中心主任确定。", "A leader or the centre director assigns cases.")
    check(r.CASE_LEADER, area=petition.area, on=staff.today(),
          satisfied=bool(staff.leader_posts(leader, street, staff.today())), leader=leader.pk)
    before = petition.case_leader_id
    petition.case_leader = leader
    petition.case_obligations = {o: petition.case_obligations.get(o, False) for o in r.CASE_OBLIGATIONS}
    petition.save(update_fields=["case_leader", "case_obligations"])
    record_event(actor, "office.petition_case_leader_set", petition, before={"case_leader": before},
                 after={"case_leader": leader.pk})
    schedule_reminders(petition)
    return petition


@transaction.atomic
def reassign_owner(actor, petition: Petition, *, owner: Person, reason: str) -> Petition:
    """A-FIRST-01: the first receiver may not pass the case on; only the centre director (or a principal leader)
    reassigns it, with a reason. The first receiver stays on record."""
    petition = _locked(petition)
    person, on = staff.person_of(actor), staff.today()
    allowed = (staff.may_act_as(person, r.CENTER_DIRECTOR, petition.area, on)
               or staff.may_act_as(person, r.PRINCIPAL_LEADER, petition.area, on))
    check(r.FIRST_RECEIVER, area=petition.area, on=on, satisfied=allowed and bool(reason.strip()))
    before = petition.owner_id
    petition.owner = owner
    petition.save(update_fields=["owner"])
    record_event(actor, "office.petition_reassigned", petition, before={"owner": before},
                 after={"owner": owner.pk, "reason": reason.strip()})
    return petition


@transaction.atomic
def reclassify(actor, petition: Petition, *, kind: str, reason: str) -> Petition:
    """Ordinary ↔ important recomputes the due dates (A-VISIT-05) and is audited."""
    _require_staff(actor, petition.area)
    petition = _locked(petition)
    if kind not in Petition.Kind.values or not reason.strip():
        raise ValidationFailed("请选择类别并说明理由。", "Give a kind and a reason.", facts={"field": "kind"})
    before = {"kind": petition.kind, "due_on": petition.due_on}
    instruction, conclusion, version = _dues(kind, petition.area, petition.received_on, petition.upper_due_on)
    petition.kind = kind
    if petition.instructed_on is None:
        petition.instruction_post, petition.instruction_due_on = instruction.approver, instruction.due_on
    petition.conclusion_due_on, petition.conclusion_remind_on = conclusion.due_on, conclusion.remind_on
    petition.rulebook_version = version
    petition.save()
    record_event(actor, "office.petition_reclassified", petition, before=before,
                 after={"kind": kind, "due_on": petition.due_on, "reason": reason.strip()})
    schedule_reminders(petition)
    return petition


@transaction.atomic
def conclude(actor, petition: Petition, *, outcome: str, result: str,
             concluded_on: datetime.date | None = None) -> Petition:
    """处结 with the outcome recorded (A-VISIT-01: resolved / explained / not accepted)."""
    _require_staff(actor, petition.area)
    petition = _locked(petition)
    check(r.PETITION_OUTCOME, area=petition.area, on=staff.today(), outcome=outcome, result=(result or "").strip())
    if outcome not in Petition.Outcome.values:
        raise ValidationFailed(f"未知的办理结果：{outcome}", f"Unknown outcome: {outcome}", facts={"field": "outcome"})
    petition.move_to(Petition.Status.CONCLUDED)
    petition.outcome, petition.result = outcome, result.strip()
    petition.concluded_on = concluded_on or staff.today()
    petition.save(update_fields=["status", "outcome", "result", "concluded_on"])
    notify.cancel_reminders(_key(petition, r.PETITION_CONCLUSION))
    record_event(actor, "office.petition_concluded", petition,
                 after={"outcome": outcome, "on": petition.concluded_on,
                        "late": petition.concluded_on > petition.conclusion_due_on})
    return petition


@transaction.atomic
def reply(actor, petition: Petition, *, text: str, channel: str, satisfaction: str = "",
          replied_on: datetime.date | None = None) -> Petition:
    """落实结果有回声 (A-FIRST-03, A-VISIT-02): the result is fed back to the petitioner, which closes the case;
    the petitioner's satisfaction is recorded when given."""
    _require_staff(actor, petition.area)
    petition = _locked(petition)
    check(r.PETITION_REPLY, area=petition.area, on=staff.today(), satisfied=bool((text or "").strip()))
    if channel not in Petition.Channel.values or (satisfaction and satisfaction not in Petition.Satisfaction.values):
        raise ValidationFailed("答复方式或满意度无效。", "Invalid reply channel or satisfaction.",
                               facts={"field": "channel"})
    petition.move_to(Petition.Status.FED_BACK)
    petition.reply, petition.reply_channel = text.strip(), channel
    petition.satisfaction = satisfaction or Petition.Satisfaction.UNKNOWN
    petition.replied_on = replied_on or staff.today()
    petition.save(update_fields=["status", "reply", "reply_channel", "satisfaction", "replied_on"])
    record_event(actor, "office.petition_replied", petition,
                 after={"channel": channel, "satisfaction": petition.satisfaction, "on": petition.replied_on})
    filing.file(actor, petition.area, "petitions", year=petition.received_on.year, kind="office.petition_closed",
                title=f"{petition.tracking_number} {petition.issue[:60]}", source=petition,
                data={"tracking_number": petition.tracking_number, "kind": petition.kind,
                      "received_on": petition.received_on.isoformat(),
                      "petitioner": mask_name(petition.petitioner_name),
                      "issue": petition.issue, "request": petition.request, "instruction": petition.instruction,
                      "outcome": petition.outcome, "result": petition.result, "reply": petition.reply,
                      "satisfaction": petition.satisfaction})
    return petition


@transaction.atomic
def tick_obligation(actor, petition: Petition, *, obligation: str, done: bool = True) -> Petition:
    """The case leader ticks one of the 三包一落实 obligations."""
    petition = _locked(petition)
    if staff.person_of(actor) != petition.case_leader or obligation not in r.CASE_OBLIGATIONS:
        raise PermissionDenied("只有包案领导可以确认。", "Only the case leader may confirm this.")
    petition.case_obligations = {**petition.case_obligations, obligation: done}
    petition.save(update_fields=["case_obligations"])
    record_event(actor, "office.petition_obligation_ticked", petition, after={obligation: done})
    return petition
