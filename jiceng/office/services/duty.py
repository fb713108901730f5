"""Duty roster (值班, A-DUTY): a day's shift with its one leader and officers, the handover record, substitutions
and incidents with their reporting chain."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, PermissionDenied, ValidationFailed
from jiceng.notify import services as notify
from jiceng.orgs.models import Area, Person
from jiceng.rules import office as r
from jiceng.rules.base import check

from .. import staff
from ..models import DutyHandover, DutyIncident, DutyOfficer, DutyShift


@transaction.atomic
def set_roster(actor, *, street: Area, day: datetime.date, leaders: list[tuple[Person, str]],
               officers: list[tuple[Person, str]]) -> DutyShift:
    """Schedule (or reschedule) the duty of `day`: exactly one leader on duty (A-DUTY-30), every person with a phone
    number (A-DUTY-02). A shift already started or handed over is not rescheduled (409)."""
    staff.require_office_staff(actor, street)
    check(r.DUTY_ONE_LEADER, area=street, on=day, day=day, leaders=len(leaders))
    for person, phone in [*leaders, *officers]:
        check(r.DUTY_PHONE, area=street, on=day, phone=(phone or "").strip(), person=person.pk)
    if not officers:
        raise ValidationFailed("请安排至少一名值班人员。", "Schedule at least one duty officer.",
                               facts={"field": "officers"})
    if len({p.pk for p, _ in officers}) != len(officers):
        raise ValidationFailed("值班人员重复。", "An officer is listed twice.", facts={"field": "officers"})
    leader, leader_phone = leaders[0]
    shift = DutyShift.objects.select_for_update().filter(area=street, day=day).first()
    if shift is not None and shift.status != DutyShift.Status.SCHEDULED:
        raise Conflict("该日值班已开始，不能重新排班。", "That shift has started and cannot be rescheduled.",
                       facts={"status": shift.status})
    before = None
    if shift is None:
        shift = DutyShift.objects.create(area=street, day=day, leader=leader, leader_phone=leader_phone.strip())
    else:
        before = {"leader": shift.leader_id, "officers": list(shift.officers.values_list("person_id", flat=True))}
        shift.leader, shift.leader_phone = leader, leader_phone.strip()
        shift.save(update_fields=["leader", "leader_phone"])
        shift.officers.all().delete()
    DutyOfficer.objects.bulk_create([DutyOfficer(shift=shift, person=p, phone=phone.strip()) for p, phone in officers])
    record_event(actor, "office.duty_scheduled", shift, before=before,
                 after={"day": day, "leader": leader.pk, "officers": [p.pk for p, _ in officers]})
    return shift


@transaction.atomic
def substitute(actor, shift: DutyShift, *, officer: Person, substitute: Person) -> DutyOfficer:
    """An approved swap or same-day substitution (A-DUTY-12/13): staff by the leader in charge, deputy-section
    cadres by the secretary and the director (either may record it here; both are named by the rule)."""
    row = DutyOfficer.objects.select_for_update().filter(shift=shift, person=officer).first()
    if row is None:
        raise ValidationFailed("该人员不在当日值班名单中。", "The person is not on that day's roster.",
                               facts={"field": "officer"})
    rank = staff.rank_of(officer, shift.day).post
    approvers = r.duty_swap(r.DUTY_SWAP.params, rank=rank)
    person = staff.person_of(actor)
    if not any(staff.may_act_as(person, post, shift.area, staff.today()) for post in approvers):
        raise PermissionDenied("调班须经" + "、".join(approvers) + "批准。",
                               f"The swap needs the approval of {', '.join(approvers)}.",
                               facts={"approvers": list(approvers)})
    row.status, row.substitute = DutyOfficer.Status.SUBSTITUTED, substitute
    row.save(update_fields=["status", "substitute"])
    record_event(actor, "office.duty_substituted", shift, area=shift.area,
                 after={"officer": officer.pk, "substitute": substitute.pk, "rule": r.DUTY_SWAP.id})
    return row


@transaction.atomic
def record_handover(actor, shift: DutyShift, *, successor: Person, arrived_at: datetime.datetime,
                    notes: str = "") -> DutyHandover:
    """The handover register (A-DUTY-01/10): who took over and when; lateness against the 08:30 handover is kept,
    and priced only when the district turned the penalty module on (A-DUTY-11, V-DUTY). Closes the shift."""
    staff.require_office_staff(actor, shift.area)
    shift = DutyShift.objects.select_for_update().get(pk=shift.pk)
    if hasattr(shift, "handover"):
        raise Conflict("该班次已有交接班记录。", "This shift already has a handover record.")
    if timezone.is_naive(arrived_at):
        raise ValidationFailed("到岗时间须带时区。", "The arrival time needs a timezone.",
                               facts={"field": "arrived_at"})
    _start, end = check(r.DUTY_SHIFT, area=shift.area, on=shift.day, day=shift.day).value
    due = timezone.make_aware(end)
    minutes = max(0, int((arrived_at - due).total_seconds() // 60))
    lateness = check(r.DUTY_LATENESS, area=shift.area, on=shift.day, minutes=minutes)
    params_on = lateness.value
    enabled = _lateness_enabled(shift)
    handover = DutyHandover.objects.create(shift=shift, successor=successor, arrived_at=arrived_at,
                                           minutes_late=minutes,
                                           deduction_fen=params_on.deduction_fen if enabled else 0,
                                           notes=notes.strip(), recorded_by=actor)
    shift.move_to(DutyShift.Status.HANDED_OVER)
    shift.save(update_fields=["status"])
    next_shift = DutyShift.objects.filter(area=shift.area, day=shift.day + datetime.timedelta(days=1)).first()
    if next_shift is not None and minutes:
        status = DutyOfficer.Status.ABSENT if params_on.absent else DutyOfficer.Status.LATE
        DutyOfficer.objects.filter(shift=next_shift, person=successor).update(status=status)
    record_event(actor, "office.duty_handed_over", shift,
                 after={"successor": successor.pk, "arrived_at": arrived_at, "minutes_late": minutes,
                        "deduction_fen": handover.deduction_fen, "absent": params_on.absent})
    return handover


def _lateness_enabled(shift: DutyShift) -> bool:
    from jiceng.rules.base import params_for

    params, _ = params_for(r.DUTY_LATENESS, shift.area, shift.day)
    return params.enabled


@transaction.atomic
def close_shift(actor, shift: DutyShift) -> DutyShift:
    """The outgoing officer may not leave before the successor signed the handover register (A-DUTY-10)."""
    shift = DutyShift.objects.select_for_update().get(pk=shift.pk)
    check(r.DUTY_HANDOVER, area=shift.area, on=shift.day, satisfied=DutyHandover.objects.filter(shift=shift).exists())
    return shift


@transaction.atomic
def report_incident(actor, shift: DutyShift, *, occurred_at: datetime.datetime, place: str, description: str,
                    measures: str, severity: str = DutyIncident.Severity.GENERAL,
                    is_theft: bool = False) -> DutyIncident:
    """Log an incident during duty (A-DUTY-17 mandatory fields; `recorded_at` shows late entry), notify the duty
    leader and the principal leaders at once and set the deadline for the upward report (A-DUTY-03)."""
    staff.require_office_staff(actor, shift.area)
    check(r.DUTY_INCIDENT_RECORD, area=shift.area, on=shift.day, occurred_at=occurred_at, place=place.strip(),
          description=description.strip(), measures=measures.strip())
    if severity not in DutyIncident.Severity.values:
        raise ValidationFailed("事件等级无效。", "Invalid severity.", facts={"field": "severity"})
    due = check(r.DUTY_INCIDENT_REPORT, area=shift.area, on=shift.day, occurred_at=occurred_at).value
    now = timezone.now()
    incident = DutyIncident.objects.create(
        area=shift.area, shift=shift, occurred_at=occurred_at, place=place.strip(), description=description.strip(),
        measures=measures.strip(), severity=severity, is_theft=is_theft, report_due_at=due,
        reported_to_leader_at=now, reported_to_principal_at=now, recorded_by=actor)
    recipients = staff.users_of([shift.leader, *staff.holders(r.PRINCIPAL_LEADER, shift.area, staff.today())])
    if recipients:
        notify.notify(recipients=recipients, title=f"值班报告：{place.strip()[:40]}",
                      body=f"{timezone.localtime(occurred_at):%m-%d %H:%M} {description.strip()[:200]}",
                      rule_id=r.DUTY_INCIDENT_REPORT.id, link="/office/duty/")
    record_event(actor, "office.duty_incident_reported", incident,
                 after={"shift": shift.pk, "severity": severity, "theft": is_theft, "report_due_at": due,
                        "responsible": [o.person_id for o in shift.officers.all()] if is_theft else []})
    return incident


@transaction.atomic
def report_upward(actor, incident: DutyIncident, *, reported_at: datetime.datetime | None = None) -> DutyIncident:
    """Record the report to the upper competent department (A-DUTY-03); late reports stay visible."""
    staff.require_office_staff(actor, incident.area)
    incident = DutyIncident.objects.select_for_update().get(pk=incident.pk)
    if incident.reported_upward_at is not None:
        raise Conflict("已上报。", "Already reported.")
    incident.reported_upward_at = reported_at or timezone.now()
    incident.save(update_fields=["reported_upward_at"])
    record_event(actor, "office.duty_incident_escalated", incident,
                 after={"at": incident.reported_upward_at,
                        "late": incident.reported_upward_at > incident.report_due_at})
    return incident
