"""Every change to the 综治办's records (rules-admin §2.1): registering a dispute (the first receiver owns it,
A-FIRST-01), assignment with its notice (A-ZZ-70), mediation sessions (A-ZZ-79), the agreement, 报结, follow-up visits
(A-ZZ-25), escalation one tier up (A-ZZ-23), 销案 by the centre (A-ZZ-51), chasers (A-ZZ-57); screening rounds and
their findings (A-ZZ-66/67); 包案 items (A-CASE-01/02); manual ledger entries (A-LEDG-01); reports upward
(A-ZZ-27/28/39).

Each function takes the acting user, checks scope and the rules, writes in one transaction, appends an audit event
and files the record into the area's yearly 综治 dossier (A-ZZ-30, retention floor A-ARC-50). A refusal writes
nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from jiceng.accounts import scope
from jiceng.accounts.models import Account
from jiceng.accounts.roles import Perm
from jiceng.archives import services as archives
from jiceng.archives.models import Dossier
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, PermissionDenied, ValidationFailed
from jiceng.core.masking import mask_id_number, mask_name, mask_phone
from jiceng.notify import services as notify
from jiceng.orgs.models import Area, Membership, Person, Role
from jiceng.rules import zongzhi as r
from jiceng.rules.base import check

from . import reminders, stats
from .models import (
    Agreement,
    Assignment,
    CaseItem,
    Chaser,
    Counter,
    Dispute,
    Escalation,
    Finding,
    FollowUp,
    LedgerEntry,
    Party,
    Post,
    Report,
    Round,
    Session,
)

WRITE_PERM = Perm.RUN_MEETINGS  # staff work: every staff role holds it, supervisors and residents do not


# Helpers ------------------------------------------------------------------------------------------------------

def _invalid(field: str, zh: str, en: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(zh, en, code=code, facts={"field": field})


def _require(actor, area: Area) -> None:
    if not scope.has_perm(actor, WRITE_PERM, area):
        raise PermissionDenied(f"您无权办理「{area}」的综治工作。", f"You may not do 综治 work in {area.code}.",
                               facts={"area": area.code})


def _when(value: datetime.datetime | None) -> datetime.datetime:
    if value is None:
        return timezone.now()
    if timezone.is_naive(value):
        raise _invalid("occurred_at", "时间须带时区。", "Times must carry a time zone.")
    if value > timezone.now() + datetime.timedelta(minutes=5):
        raise _invalid("occurred_at", "不能记录将来发生的事。", "Cannot record something in the future.")
    return value


def _text(value: str, field: str, zh: str, en: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _invalid(field, f"请填写{zh}。", f"{en} is required.", code="required")
    return value


def street_of(area: Area) -> Area:
    """The street an area belongs to (itself when it is a street)."""
    return area.ancestor_at(Area.Level.STREET) or area


def person_of(user) -> Person | None:
    account = Account.objects.filter(user_id=getattr(user, "pk", None)).select_related("person").first()
    return account.person if account else None


def posts_of(person_id: int | None, area: Area, on: datetime.date) -> set[str]:
    """The 综治 posts `person_id` holds on `on` in `area` or an area above it."""
    if person_id is None:
        return set()
    from django.db.models import Q

    return set(Post.objects.filter(Q(end_on__isnull=True) | Q(end_on__gte=on), person_id=person_id,
                                   area_id__in=area.ancestor_ids, start_on__lte=on).values_list("kind", flat=True))


def is_centre_director(user, area: Area, on: datetime.date) -> bool:
    """The street centre's director (Post), or the community 综治办 director (orgs Role.CGO_DIRECTOR) for a case
    of that community; a superuser acts as the system's administrator."""
    if getattr(user, "is_superuser", False):
        return True
    person = person_of(user)
    if person is None:
        return False
    if Post.Kind.CENTER_DIRECTOR in posts_of(person.pk, area, on):
        return True
    return Membership.objects.on(on).filter(person=person, role=Role.CGO_DIRECTOR,
                                            body__area_id__in=area.ancestor_ids).exists()


def director_users(area: Area, on: datetime.date) -> list[int]:
    """Logins of the centre directors and 综治办 directors over `area` (A-FIRST-02 recipients)."""
    from django.db.models import Q

    people = set(Post.objects.filter(Q(end_on__isnull=True) | Q(end_on__gte=on), start_on__lte=on,
                                     kind=Post.Kind.CENTER_DIRECTOR, area_id__in=area.ancestor_ids)
                 .values_list("person_id", flat=True))
    people |= set(Membership.objects.on(on).filter(role=Role.CGO_DIRECTOR, body__area_id__in=area.ancestor_ids)
                  .values_list("person_id", flat=True))
    return list(Account.objects.filter(person_id__in=people, user__is_active=True).values_list("user_id", flat=True))


def dossier_for(area: Area, year: int) -> Dossier:
    return archives.yearly_dossier(area, Dossier.Series.ZONGZHI, year)


def _file(actor, area: Area, obj, kind: str, title: str, at: datetime.datetime, data: dict) -> None:
    archives.file_record(actor, dossier_for(area, timezone.localtime(at).year), kind=f"zongzhi.{kind}",
                         title=title, source=obj, occurred_at=at, data=data)


def masked_parties(dispute: Dispute) -> list[dict]:
    """Parties as filed and audited: names, phones and ID numbers masked (ARCHITECTURE §5)."""
    return [{"side": p.side, "name": mask_name(p.name), "phone": mask_phone(p.phone),
             "id_number": mask_id_number(p.id_number) if p.id_number else ""} for p in dispute.parties.all()]


def _locked(dispute: Dispute) -> Dispute:
    return Dispute.objects.select_for_update().select_related("area").get(pk=dispute.pk)


def _next_number(area: Area, year: int) -> str:
    counter, _created = Counter.objects.select_for_update().get_or_create(area=area, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{area.name}综调〔{year}〕{counter.last}号"


def _save(actor, dispute: Dispute, action: str, at: datetime.datetime, after: dict, *, before: dict | None = None):
    dispute.save()
    record_event(actor, f"zongzhi.{action}", dispute, area=dispute.area, occurred_at=at, before=before,
                 after={"status": dispute.status, **after})


# Disputes ------------------------------------------------------------------------------------------------------

@transaction.atomic
def register_dispute(actor, *, area: Area, title: str, facts: str, category: str, level: str,
                     parties: list[dict], source: str = Dispute.Source.VISIT, mediation_types: list[str] | None = None,
                     responsible_unit: str = "", responsible_person: str = "", deadline: datetime.date | None = None,
                     fee=None, finding: Finding | None = None, collective: bool = False,
                     occurred_at: datetime.datetime | None = None) -> Dispute:
    """Register (受理) a dispute: the actor is its first receiver and owner (A-FIRST-01, no refusal exists);
    classification and tier (A-ZZ-51, A-ZZ-23); a major dispute needs unit, person and deadline (A-ZZ-69) and is
    reported to the centre director at once (A-FIRST-02); a collective case (five or more applicants, or marked) goes
    to the principal leaders (A-ZZ-26); mediation is free (A-ZZ-62); due dates (A-ZZ-78).

    Raises PermissionDenied, ValidationFailed, RuleViolation (`invalid_category`, `invalid_level`,
    `major_case_incomplete`, `mediation_fee`, `deadline_before_registration`)."""
    _require(actor, area)
    if area.level != Area.Level.COMMUNITY:
        raise _invalid("area", "纠纷须登记在发生地社区。", "Register the dispute in the community where it arose.")
    at = _when(occurred_at)
    on = timezone.localdate(at)
    title = _text(title, "title", "纠纷事项", "The title")
    facts = _text(facts, "facts", "基本情况", "The facts")
    if not parties or not all((p.get("name") or "").strip() for p in parties):
        raise _invalid("parties", "请填写当事人姓名。", "Give the parties' names.", code="required")
    classified = check(r.CLASSIFY, area=area, on=on, category=category, level=level).value
    check(r.FREE_SERVICE, area=area, on=on, fee=fee)
    types = check(r.MEDIATION_TYPE, area=area, on=on, types=mediation_types or ["people"]).value
    if level == "major":
        check(r.MAJOR_CASE, area=area, on=on, responsible_unit=responsible_unit.strip(),
              responsible_person=responsible_person.strip(), deadline=deadline)
    judged = check(r.DUE, area=area, on=on, registered_on=on, deadline=deadline)
    applicants = sum(1 for p in parties if (p.get("side") or Party.Side.APPLICANT) == Party.Side.APPLICANT)
    is_collective = check(r.COLLECTIVE, area=area, on=on, petitioners=applicants, marked=collective).value
    dispute = Dispute.objects.create(
        area=area, register_no=_next_number(area, on.year), title=title, facts=facts, category=category,
        level=level, tier=classified.tier, source=source, mediation_types=types, first_receiver=actor, owner=actor,
        responsible_unit=responsible_unit.strip() or classified.unit, responsible_person=responsible_person.strip(),
        registered_at=at, assign_due=judged.value.assign_due, mediation_due=judged.value.mediation_due,
        screening_item=finding, collective=is_collective, rulebook_version=judged.version)
    for p in parties:
        Party.objects.create(dispute=dispute, side=p.get("side") or Party.Side.APPLICANT, name=p["name"].strip(),
                             phone=(p.get("phone") or "").strip(), id_number=(p.get("id_number") or "").strip(),
                             address=(p.get("address") or "").strip())
    record_event(actor, "zongzhi.dispute_registered", dispute, area=area, occurred_at=at,
                 after={"register_no": dispute.register_no, "category": category, "level": level,
                        "tier": dispute.tier, "assign_due": dispute.assign_due,
                        "mediation_due": dispute.mediation_due, "parties": masked_parties(dispute)})
    _file(actor, area, dispute, "dispute_registered", f"个案登记表：{dispute.register_no} {title}", at,
          {"register_no": dispute.register_no, "title": title, "facts": facts, "category": category,
           "level": level, "parties": masked_parties(dispute), "first_receiver": actor.get_username()})
    reminders.schedule_stage(dispute)
    if check(r.MAJOR_REPORT, area=area, on=on, level=level).value:
        recipients = director_users(area, on)
        if recipients:
            transaction.on_commit(lambda: notify.notify(
                recipients=recipients, title=f"重大矛盾纠纷：{dispute.register_no} {title}",
                body="第一接待人已受理，请中心主任协调有关部门、人员调处。", rule_id=r.MAJOR_REPORT.id,
                link=f"/zongzhi/disputes/{dispute.pk}/"))
    if is_collective:
        leaders = leader_users(area, on, r.PRINCIPAL_ROLES)
        if leaders:
            transaction.on_commit(lambda: notify.notify(
                recipients=leaders, title=f"集体访：{dispute.register_no} {title}",
                body="可能引发群体性事件，请党政主要领导亲自处理并跟踪落实。", rule_id=r.COLLECTIVE.id,
                link=f"/zongzhi/disputes/{dispute.pk}/"))
    return dispute


def leader_users(area: Area, on: datetime.date, roles) -> list[int]:
    """Logins of the people holding `roles` in bodies of `area` or above it (the street's leaders)."""
    people = Membership.objects.on(on).filter(role__in=roles, body__area_id__in=area.ancestor_ids).values("person_id")
    return list(Account.objects.filter(person_id__in=people, user__is_active=True).values_list("user_id", flat=True))


@transaction.atomic
def record_leader_handling(actor, dispute: Dispute, *, handling: str,
                           occurred_at: datetime.datetime | None = None) -> Dispute:
    """A leader of the street's party or government records handling a collective case in person (A-ZZ-26,
    A-CASE-04). Raises PermissionDenied for anyone else, Conflict for a case that is not collective."""
    dispute = _locked(dispute)
    at = _when(occurred_at)
    person = person_of(actor)
    if not dispute.collective:
        raise Conflict("本案不是集体访。", "The case is not collective.", code="not_collective")
    leads = person is not None and Membership.objects.on(timezone.localdate(at)).filter(
        person=person, role__in=r.HANDLER_ROLES, body__area_id__in=dispute.area.ancestor_ids).exists()
    if not leads:
        raise PermissionDenied("集体访须由党委、政府负责人亲自处理并记录。",
                               "Only a leader of the street's party or government records this.",
                               rule=r.COLLECTIVE.id)
    dispute.leader_handled_at, dispute.leader_handling = at, _text(handling, "handling", "处理情况", "The handling")
    _save(actor, dispute, "leader_handling_recorded", at, {"leader": person.pk})
    _file(actor, dispute.area, dispute, "leader_handling", f"领导亲自处理：{dispute.register_no}", at,
          {"register_no": dispute.register_no, "leader": person.name, "handling": dispute.leader_handling})
    return dispute


@transaction.atomic
def assign(actor, dispute: Dispute, *, mediator: Person, unit: str, requirements: str,
           deadline: datetime.date | None = None, reason: str = "",
           occurred_at: datetime.datetime | None = None) -> Dispute:
    """交办 to a unit and a mediator with an assignment notice (A-ZZ-70). A second assignment is a reassignment:
    only the centre director may make it, with a reason (A-FIRST-01), except the fresh assignment by the higher tier
    after an escalation; the owner stays the first receiver.

    Raises PermissionDenied, RuleViolation `assignment_incomplete`, `reassignment_not_allowed`,
    `deadline_before_registration`, IllegalTransition."""
    dispute = _locked(dispute)
    _require(actor, dispute.area)
    at = _when(occurred_at)
    on = timezone.localdate(at)
    deadline = deadline or dispute.mediation_due
    check(r.ASSIGNMENT_NOTICE, area=dispute.area, on=on, unit=(unit or "").strip(), mediator=mediator,
          requirements=(requirements or "").strip(), deadline=deadline)
    # After an escalation the higher tier assigns the case afresh; otherwise a second assignment moves the case away
    # from the mediator the first receiver chose, which only the centre director may do (A-FIRST-01).
    reassigning = dispute.assignments.exists() and dispute.status != Dispute.Status.ESCALATED
    if reassigning:
        check(r.FIRST_RECEIVER, area=dispute.area, on=on,
              satisfied=is_centre_director(actor, dispute.area, on) and bool((reason or "").strip()),
              reason_given=bool((reason or "").strip()))
    dues = check(r.DUE, area=dispute.area, on=on, registered_on=timezone.localdate(dispute.registered_at),
                 deadline=deadline).value
    before = {"status": dispute.status, "mediator": dispute.mediator_id, "mediation_due": dispute.mediation_due}
    dispute.move_to(Dispute.Status.ASSIGNED)
    assignment = Assignment.objects.create(dispute=dispute, unit=unit.strip(), mediator=mediator,
                                           requirements=requirements.strip(), deadline=dues.mediation_due,
                                           reason=(reason or "").strip(), occurred_at=at, actor=actor)
    dispute.mediator, dispute.responsible_unit = mediator, unit.strip()
    dispute.responsible_person = dispute.responsible_person or mediator.name
    dispute.requirements, dispute.mediation_due = requirements.strip(), dues.mediation_due
    dispute.assigned_at = dispute.assigned_at or at
    _save(actor, dispute, "dispute_reassigned" if reassigning else "dispute_assigned", at,
          {"mediator": mediator.pk, "unit": dispute.responsible_unit, "mediation_due": dispute.mediation_due,
           "reason": assignment.reason}, before=before)
    _file(actor, dispute.area, assignment, "assignment_notice", f"交办调处通知书：{dispute.register_no}", at,
          {"register_no": dispute.register_no, "unit": assignment.unit, "mediator": mediator.name,
           "requirements": assignment.requirements, "deadline": assignment.deadline, "reason": assignment.reason})
    reminders.schedule_stage(dispute)
    return dispute


@transaction.atomic
def record_session(actor, dispute: Dispute, *, mediation_type: str, facts: str, parties: str, process: str,
                   outcome: str, held_at: datetime.datetime | None = None) -> Session:
    """Record one mediation session (A-ZZ-79: facts, parties, process, outcome; A-ZZ-24: its type)."""
    dispute = _locked(dispute)
    _require(actor, dispute.area)
    at = _when(held_at)
    on = timezone.localdate(at)
    check(r.SESSION_RECORD, area=dispute.area, on=on, facts=(facts or "").strip(), parties=(parties or "").strip(),
          process=(process or "").strip(), outcome=(outcome or "").strip())
    types = check(r.MEDIATION_TYPE, area=dispute.area, on=on, types=[*dispute.mediation_types, mediation_type]).value
    dispute.move_to(Dispute.Status.IN_MEDIATION)
    session = Session.objects.create(dispute=dispute, held_at=at, mediation_type=mediation_type,
                                     mediator=dispute.mediator, facts=facts.strip(), parties=parties.strip(),
                                     process=process.strip(), outcome=outcome.strip(), recorded_by=actor)
    dispute.mediation_types = types
    _save(actor, dispute, "session_recorded", at, {"session": session.pk, "mediation_type": mediation_type})
    _file(actor, dispute.area, session, "mediation_session", f"调解记录：{dispute.register_no}", at,
          {"register_no": dispute.register_no, "mediation_type": mediation_type, "facts": facts, "process": process,
           "outcome": outcome})
    return session


@transaction.atomic
def record_agreement(actor, dispute: Dispute, *, terms: str, signed_on: datetime.date,
                     performance: str = "") -> Agreement:
    """The written mediation agreement (A-ZZ-79/agreement, inferred): after at least one session, one per case."""
    dispute = _locked(dispute)
    _require(actor, dispute.area)
    if dispute.status != Dispute.Status.IN_MEDIATION or not dispute.sessions.exists():
        raise Conflict("须先记录调解过程，方可制作调解协议书。", "Record a mediation session before the agreement.",
                       code="no_session", facts={"status": dispute.status})
    if hasattr(dispute, "agreement"):
        raise Conflict("本案已有调解协议书。", "The case already has an agreement.", code="agreement_exists")
    if signed_on > timezone.localdate():
        raise _invalid("signed_on", "签订日期不能晚于今天。", "The signing date cannot be in the future.")
    check(r.AGREEMENT, area=dispute.area, on=signed_on, parties=list(dispute.parties.all()),
          terms=(terms or "").strip(), signed_on=signed_on)
    agreement = Agreement.objects.create(dispute=dispute, signed_on=signed_on, terms=terms.strip(),
                                         performance=(performance or "").strip(), recorded_by=actor)
    at = timezone.now()
    record_event(actor, "zongzhi.agreement_recorded", dispute, area=dispute.area,
                 after={"agreement": agreement.pk, "signed_on": signed_on})
    _file(actor, dispute.area, agreement, "mediation_agreement", f"调解协议书：{dispute.register_no}", at,
          {"register_no": dispute.register_no, "terms": agreement.terms, "performance": agreement.performance,
           "signed_on": signed_on, "parties": masked_parties(dispute)})
    return agreement


@transaction.atomic
def report_closed(actor, dispute: Dispute, *, outcome: str, result: str,
                  occurred_at: datetime.datetime | None = None) -> Dispute:
    """报结: the mediation ended (resolved or not); the first follow-up visit becomes due (A-ZZ-25)."""
    dispute = _locked(dispute)
    _require(actor, dispute.area)
    if outcome not in Dispute.Outcome.values:
        raise _invalid("outcome", "请选择调处结果。", "Choose the outcome.")
    result = _text(result, "result", "办理情况", "The result")
    at = _when(occurred_at)
    dispute.move_to(Dispute.Status.REPORTED_CLOSED)
    judged = check(r.FOLLOW_UP, area=dispute.area, on=timezone.localdate(at), reported_on=timezone.localdate(at))
    dispute.outcome, dispute.result, dispute.reported_at, dispute.follow_up_due = outcome, result, at, judged.value
    _save(actor, dispute, "dispute_reported_closed", at, {"outcome": outcome, "follow_up_due": judged.value})
    _file(actor, dispute.area, dispute, "reported_closed", f"报结：{dispute.register_no}", at,
          {"register_no": dispute.register_no, "outcome": outcome, "result": result})
    reminders.schedule_stage(dispute)
    return dispute


@transaction.atomic
def record_follow_up(actor, dispute: Dispute, *, visited_on: datetime.date, situation: str,
                     method: str = FollowUp.Method.VISIT, stable: bool = True) -> FollowUp:
    """回访 (A-ZZ-25): after 报结; records the parties' state."""
    dispute = _locked(dispute)
    _require(actor, dispute.area)
    if dispute.status not in (Dispute.Status.REPORTED_CLOSED, Dispute.Status.CLOSED):
        raise Conflict("报结后方可回访。", "Follow-up visits come after the case is reported closed.",
                       code="not_reported_closed", facts={"status": dispute.status})
    if visited_on > timezone.localdate() or visited_on < timezone.localdate(dispute.reported_at):
        raise _invalid("visited_on", "回访日期应在报结之后、今天之前。",
                       "The visit date must be between 报结 and today.")
    situation = _text(situation, "situation", "回访情况", "The situation")
    visit = FollowUp.objects.create(dispute=dispute, visited_on=visited_on, method=method, situation=situation,
                                    stable=stable, recorded_by=actor)
    record_event(actor, "zongzhi.follow_up_recorded", dispute, area=dispute.area,
                 after={"follow_up": visit.pk, "visited_on": visited_on, "stable": stable})
    _file(actor, dispute.area, visit, "follow_up", f"回访记录：{dispute.register_no}", timezone.now(),
          {"register_no": dispute.register_no, "visited_on": visited_on, "method": method, "situation": situation,
           "stable": stable})
    reminders.cancel_follow_up(dispute)
    return visit


@transaction.atomic
def escalate(actor, dispute: Dispute, *, reason: str, occurred_at: datetime.datetime | None = None) -> Escalation:
    """上报 one tier up with a reason (A-ZZ-23): community → street centre → district; a simple dispute leaving the
    community is allowed and flagged. The owner stays the first receiver (A-ZZ-24 人随案走)."""
    dispute = _locked(dispute)
    _require(actor, dispute.area)
    at = _when(occurred_at)
    judged = check(r.TIER, area=dispute.area, on=timezone.localdate(at), level=dispute.level,
                   from_tier=dispute.tier, reason=reason).value
    before = {"status": dispute.status, "tier": dispute.tier}
    dispute.move_to(Dispute.Status.ESCALATED)
    escalation = Escalation.objects.create(dispute=dispute, from_tier=dispute.tier, to_tier=judged.to_tier,
                                           reason=reason.strip(), flagged=judged.flagged, occurred_at=at, actor=actor)
    dispute.tier = judged.to_tier
    _save(actor, dispute, "dispute_escalated", at, {"tier": dispute.tier, "reason": escalation.reason,
                                                    "flagged": judged.flagged}, before=before)
    _file(actor, dispute.area, escalation, "escalation", f"上报：{dispute.register_no}", at,
          {"register_no": dispute.register_no, "from": escalation.from_tier, "to": escalation.to_tier,
           "reason": escalation.reason})
    recipients = director_users(dispute.area, timezone.localdate(at))
    if recipients:
        transaction.on_commit(lambda: notify.notify(
            recipients=recipients, title=f"纠纷上报：{dispute.register_no}", body=escalation.reason,
            rule_id=r.TIER.id, link=f"/zongzhi/disputes/{dispute.pk}/"))
    return escalation


@transaction.atomic
def close(actor, dispute: Dispute, *, occurred_at: datetime.datetime | None = None) -> Dispute:
    """销案 (A-ZZ-51): only the street centre closes a case (a user with staff rights on the street), after 报结."""
    dispute = _locked(dispute)
    street = street_of(dispute.area)
    if not scope.has_perm(actor, WRITE_PERM, street):
        raise r.CLASSIFY.violation("centre_closes_only", "只有街道综治中心可以销案",
                                   "Only the street centre closes a case",
                                   {"street": street.code})
    at = _when(occurred_at)
    dispute.move_to(Dispute.Status.CLOSED)
    dispute.closed_at = at
    _save(actor, dispute, "dispute_closed", at, {"closed_at": at})
    _file(actor, dispute.area, dispute, "closed", f"销案：{dispute.register_no}", at,
          {"register_no": dispute.register_no, "outcome": dispute.outcome, "result": dispute.result})
    reminders.cancel_mediation(dispute)
    return dispute


@transaction.atomic
def chase(actor, dispute: Dispute, *, note: str) -> Chaser:
    """催办 (A-ZZ-57): counted; two or more on an overdue case raise a criticism finding in the scan."""
    dispute = _locked(dispute)
    _require(actor, street_of(dispute.area))
    if not dispute.is_open:
        raise Conflict("案件已报结，无需催办。", "The case is no longer open.", code="not_open")
    chaser = Chaser.objects.create(dispute=dispute, note=_text(note, "note", "催办内容", "The note"),
                                   occurred_at=timezone.now(), actor=actor)
    dispute.chasers += 1
    _save(actor, dispute, "dispute_chased", chaser.occurred_at, {"chasers": dispute.chasers})
    return chaser


# Screening ------------------------------------------------------------------------------------------------------

@transaction.atomic
def record_round(actor, *, area: Area, held_on: datetime.date, findings: list[dict], kind: str = Round.Kind.REGULAR,
                 scope_note: str = "", register: bool = False) -> Round:
    """A screening round (A-ZZ-66) of a community (weekly) or the street (monthly); no findings is a valid "nothing
    found" record. Each finding is registered truthfully (A-ZZ-67); with `register`, each also opens a dispute.

    Raises PermissionDenied, ValidationFailed, RuleViolation `screening_item_incomplete`."""
    _require(actor, area)
    if area.level not in (Area.Level.COMMUNITY, Area.Level.STREET):
        raise _invalid("area", "排查单位应为社区或街道。", "Screening is done by a community or a street.")
    if held_on > timezone.localdate():
        raise _invalid("held_on", "排查日期不能晚于今天。", "The date cannot be in the future.")
    if kind not in Round.Kind.values:
        raise _invalid("kind", "排查类型无效。", "Unknown screening kind.")
    tier = r.COMMUNITY if area.level == Area.Level.COMMUNITY else r.STREET
    period = check(r.SCREENING, area=area, on=held_on, tier=tier, day=held_on).value
    for item in findings:
        check(r.SCREENING_ITEM, area=area, on=held_on, description=(item.get("description") or "").strip(),
              category=item.get("category"), location=(item.get("location") or "").strip())
        check(r.CLASSIFY, area=area, on=held_on, category=item.get("category"), level=item.get("level") or "simple")
    round_ = Round.objects.create(area=area, kind=kind, period_start=period.start, period_end=period.end,
                                  held_on=held_on, scope_note=(scope_note or "").strip(),
                                  nothing_found=not findings, conducted_by=actor)
    rows = [Finding.objects.create(round=round_, description=i["description"].strip(), category=i["category"],
                                   level=i.get("level") or "simple", location=i["location"].strip())
            for i in findings]
    record_event(actor, "zongzhi.screening_recorded", round_, area=area,
                 after={"period": period.label, "kind": kind, "findings": len(rows)})
    at = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(12)))
    _file(actor, area, round_, "screening", f"矛盾纠纷排查登记：{area.name} {period.label}", at,
          {"period": period.label, "kind": kind, "nothing_found": not rows,
           "findings": [{"description": f.description, "category": f.category, "level": f.level,
                         "location": f.location} for f in rows]})
    if register and area.level == Area.Level.COMMUNITY:
        for finding in rows:
            register_dispute(actor, area=area, title=finding.description[:200], facts=finding.description,
                             category=finding.category, level=finding.level,
                             parties=[{"name": "（排查发现）", "side": Party.Side.OTHER}],
                             source=Dispute.Source.SCREENING, finding=finding,
                             responsible_unit=r.CATEGORIES[finding.category][1],
                             responsible_person=actor.get_username() if finding.level == "major" else "",
                             deadline=(held_on + datetime.timedelta(days=r.DUE.params.mediation_days)
                                       if finding.level == "major" else None))
    reminders.cancel_screening(area, period)
    return round_


# 包案 (A-CASE) -----------------------------------------------------------------------------------------------------

@transaction.atomic
def list_case_item(actor, *, area: Area, kind: str, title: str, person_or_matter: str, leaders: list[Person],
                   dispute: Dispute | None = None) -> CaseItem:
    """List one 包案 item (A-CASE-01) with exactly one case leader (A-CASE-02) and the 三包一落实 checklist."""
    _require(actor, area)
    on = timezone.localdate()
    if kind not in r.CASE_KINDS:
        raise _invalid("kind", "包案事项类别无效。", "Unknown case kind.")
    check(r.CASE_LIST, area=area, on=on, title=(title or "").strip(), kind=kind,
          person_or_matter=(person_or_matter or "").strip())
    check(r.CASE_LEADER, area=area, on=on, leaders=len(set(p.pk for p in leaders)))
    item = CaseItem.objects.create(area=area, kind=kind, title=title.strip(), person_or_matter=person_or_matter.strip(),
                                   dispute=dispute, leader=leaders[0],
                                   obligations={k: False for k in r.CASE_OBLIGATIONS}, last_progress_on=on,
                                   created_by=actor)
    record_event(actor, "zongzhi.case_item_listed", item, area=area, after={"title": item.title, "kind": kind,
                                                                           "leader": leaders[0].pk})
    return item


@transaction.atomic
def record_case_progress(actor, item: CaseItem, *, progress: str, obligations: dict[str, bool],
                         done: bool = False) -> CaseItem:
    item = CaseItem.objects.select_for_update().select_related("area").get(pk=item.pk)
    _require(actor, item.area)
    unknown = set(obligations) - set(r.CASE_OBLIGATIONS)
    if unknown:
        raise _invalid("obligations", "未知的包案责任项。", "Unknown obligations.")
    item.obligations = {**item.obligations, **{k: bool(v) for k, v in obligations.items()}}
    item.progress, item.done = _text(progress, "progress", "进展", "The progress"), done
    item.last_progress_on = timezone.localdate()
    item.save()
    record_event(actor, "zongzhi.case_progress_recorded", item, area=item.area,
                 after={"obligations": item.obligations, "done": done})
    return item


# Ledgers and reports -----------------------------------------------------------------------------------------------

@transaction.atomic
def add_ledger_entry(actor, *, area: Area, ledger: str, occurred_on: datetime.date, title: str,
                     content: str = "") -> LedgerEntry:
    """A manual entry in one of the seven ledgers (A-LEDG-01), e.g. 刑释解教人员安置帮教, 平安创建, 考核奖惩."""
    _require(actor, area)
    check(r.LEDGER, area=area, on=occurred_on, kind=ledger)
    entry = LedgerEntry.objects.create(area=area, ledger=ledger, occurred_on=occurred_on,
                                       title=_text(title, "title", "事项", "The title"), content=content.strip(),
                                       recorded_by=actor)
    record_event(actor, "zongzhi.ledger_entry_added", entry, area=area, after={"ledger": ledger, "title": entry.title})
    at = timezone.make_aware(datetime.datetime.combine(occurred_on, datetime.time(12)))
    _file(actor, area, entry, f"ledger.{ledger}", f"{r.LEDGERS[ledger]}台帐：{entry.title}", at,
          {"ledger": ledger, "title": entry.title, "content": entry.content})
    return entry


@transaction.atomic
def submit_report(actor, *, area: Area, period: str, period_start: datetime.date, analysis: str = "") -> Report:
    """Submit the monthly statistics and case sheets (A-ZZ-27; zero report allowed, A-ZZ-39) or the quarterly
    analysis (A-ZZ-28) of a street or community for a closed period, with figures computed from the records.

    Raises PermissionDenied, ValidationFailed (period not yet ended), Conflict (already reported)."""
    _require(actor, area)
    if period not in Report.Period.values:
        raise _invalid("period", "报表类型应为月报或季报。", "The period must be month or quarter.")
    window = r.period_of(period, period_start)
    today = timezone.localdate()
    if window.end >= today:
        raise _invalid("period_start", "报表期间尚未结束。", "The period has not ended yet.", code="period_not_ended")
    rule = r.MONTHLY_REPORT if period == Report.Period.MONTH else r.QUARTERLY_REPORT
    judged = check(rule, area=area, on=window.start, period_start=window.start)
    if Report.objects.filter(area=area, period=period, period_start=window.start).exists():
        raise Conflict(f"{window.label}的报表已上报。", "This period is already reported.", code="already_reported",
                       facts={"period_start": window.start.isoformat()})
    figures = stats.figures(area, window.start, window.end)
    zero = check(r.ZERO_REPORT, area=area, on=window.start, cases=figures["registered"]).value
    report = Report.objects.create(area=area, period=period, period_start=window.start, period_end=window.end,
                                   due_on=judged.value, submitted_at=timezone.now(), figures=figures,
                                   zero_report=zero, analysis=(analysis or "").strip(), submitted_by=actor,
                                   rulebook_version=judged.version)
    record_event(actor, "zongzhi.report_submitted", report, area=area,
                 after={"period": period, "period_start": window.start, "due_on": judged.value, "zero": zero,
                        "late": today > judged.value})
    _file(actor, area, report, f"report.{period}", f"矛盾纠纷排查调处情况统计表（{window.label}）", report.submitted_at,
          {"period": window.label, "figures": figures, "analysis": report.analysis, "zero_report": zero})
    return report


@transaction.atomic
def appoint(actor, *, area: Area, person: Person, kind: str, start_on: datetime.date) -> Post:
    """Record a 综治 post (mediator, 司法所所长, centre director, 综治社工) held in `area` from `start_on`."""
    _require(actor, area)
    if kind not in Post.Kind.values:
        raise _invalid("kind", "岗位无效。", "Unknown post.")
    post = Post.objects.create(area=area, person=person, kind=kind, start_on=start_on)
    record_event(actor, "zongzhi.post_appointed", post, area=area, after={"person": person.pk, "kind": kind})
    return post


def mediators(area: Area, on: datetime.date):
    """People holding a mediator post (or 司法所所长) in `area` or above it on `on`, for the assignment form."""
    from django.db.models import Q

    ids = Post.objects.filter(Q(end_on__isnull=True) | Q(end_on__gte=on), start_on__lte=on,
                              area_id__in=area.ancestor_ids,
                              kind__in=[Post.Kind.MEDIATOR, Post.Kind.JUDICIAL_OFFICE_HEAD]).values("person_id")
    return Person.objects.filter(pk__in=ids).order_by("name")
