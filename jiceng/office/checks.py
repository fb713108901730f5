"""Compliance checks of the street office (FLAG rules of rules-admin §2.11), run by the accountability scan.
Each reads office tables only and yields one Found per breach it sees today."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from jiceng.accountability.checks import Found, Scope, check
from jiceng.rules import office as r

FAMILY = "office"
DAY = datetime.timedelta(days=1)


def _areas(scope: Scope):
    return scope.areas


@check("office.leave_unapproved", FAMILY)
def unapproved_absence(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A-LEAVE-05: the leave has begun while approvals are still missing (absent without approved leave)."""
    from .models import LeaveRequest

    rows = (LeaveRequest.objects.filter(area__in=_areas(scope), status=LeaveRequest.Status.SUBMITTED,
                                        start_on__lt=today).select_related("person", "area"))
    for leave in rows.iterator():
        yield Found(key=f"office.leave_unapproved:{leave.pk}", rule_id=r.LEAVE_UNAPPROVED.id, area=leave.area,
                    subject=leave, title=f"{leave.person.name}请假未获批准即离岗（{leave.start_on}起）",
                    occurred_on=leave.start_on, link=f"/office/leave/{leave.pk}/",
                    evidence={"start_on": leave.start_on.isoformat(), "route": leave.route})


@check("office.duty_absence", FAMILY, cures=False)
def duty_absence(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A-LEAVE-05 with A-DUTY-04: a rostered officer absent from post with no approved leave that day."""
    from django.db.models import Q

    from .models import DutyOfficer, LeaveRequest

    rows = (DutyOfficer.objects.filter(shift__area__in=_areas(scope), status=DutyOfficer.Status.ABSENT,
                                       shift__day__lt=today).select_related("shift__area", "person"))
    for officer in rows.iterator():
        day = officer.shift.day
        excused = LeaveRequest.objects.filter(
            Q(status__in=LeaveRequest.OPEN) | Q(status=LeaveRequest.Status.RETURNED), person=officer.person,
            start_on__lte=day, end_on__gte=day).exists()
        if excused:
            continue
        yield Found(key=f"office.duty_absence:{officer.pk}", rule_id=r.LEAVE_UNAPPROVED.id, area=officer.shift.area,
                    subject=officer.shift, title=f"{officer.person.name}{day}值班脱岗且无请假",
                    occurred_on=day, link=f"/office/duty/?week={day.isoformat()}", evidence={"day": day.isoformat()})


@check("office.leave_overdue_return", FAMILY)
def overdue_return(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A-LEAVE-06 `overdue_return`: approved leave not closed by 销假 on the working day after it."""
    from .models import LeaveRequest

    rows = (LeaveRequest.objects.filter(area__in=_areas(scope), status__in=LeaveRequest.OPEN,
                                        return_due_on__lt=today).select_related("person", "area"))
    for leave in rows.iterator():
        yield Found(key=f"office.leave_overdue_return:{leave.pk}", rule_id=r.LEAVE_RETURN.id, area=leave.area,
                    subject=leave, title=f"{leave.person.name}请假期满逾期未销假（应于{leave.return_due_on}销假）",
                    occurred_on=leave.return_due_on + DAY, link=f"/office/leave/{leave.pk}/",
                    evidence={"end_on": leave.end_on.isoformat(), "return_due_on": leave.return_due_on.isoformat()})


@check("office.leave_returned_late", FAMILY, cures=False)
def late_return(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A-LEAVE-06: a return recorded after its due day stays on record."""
    from django.db.models import F

    from .models import LeaveRequest

    rows = (LeaveRequest.objects.filter(area__in=_areas(scope), status=LeaveRequest.Status.RETURNED,
                                        returned_on__gt=F("return_due_on")).select_related("person", "area"))
    for leave in rows.iterator():
        yield Found(key=f"office.leave_returned_late:{leave.pk}", rule_id=r.LEAVE_RETURN.id, area=leave.area,
                    subject=leave, title=f"{leave.person.name}逾期销假（应于{leave.return_due_on}）",
                    occurred_on=leave.return_due_on + DAY, link=f"/office/leave/{leave.pk}/",
                    evidence={"returned_on": leave.returned_on.isoformat(),
                              "return_due_on": leave.return_due_on.isoformat()})


@check("office.petition_overdue", FAMILY)
def overdue_petitions(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A-VISIT-04/05: a letter or visit past its instruction or conclusion due date."""
    from .models import Petition

    rows = Petition.objects.filter(area__in=_areas(scope), status__in=Petition.OPEN).select_related("area")
    for petition in rows.iterator():
        for stage in petition.overdue_stages(today):
            rule = r.PETITION_INSTRUCTION if stage == "instruction" else r.PETITION_CONCLUSION
            due = petition.instruction_due_on if stage == "instruction" else petition.conclusion_due_on
            label = "阅批" if stage == "instruction" else "处结"
            yield Found(key=f"office.petition_overdue:{petition.pk}:{stage}", rule_id=rule.id, area=petition.area,
                        subject=petition, title=f"信访{petition.tracking_number}逾期未{label}",
                        occurred_on=due + DAY, link=f"/office/petitions/{petition.pk}/",
                        evidence={"stage": stage, "due_on": due.isoformat(), "kind": petition.kind})


@check("office.collective_petition", FAMILY, cures=False)
def collective_petitions(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A-VISIT-08: collective, level-skipping and city/province/Beijing petitions are flagged for the monthly
    meeting."""
    from .models import Petition

    rows = Petition.objects.filter(area__in=_areas(scope), kind__in=r.COLLECTIVE_KINDS).select_related("area")
    for petition in rows.iterator():
        yield Found(key=f"office.collective_petition:{petition.pk}", rule_id="A-VISIT-08", area=petition.area,
                    subject=petition, title=f"{petition.get_kind_display()}：{petition.tracking_number}",
                    occurred_on=petition.received_on, link=f"/office/petitions/{petition.pk}/",
                    evidence={"kind": petition.kind, "headcount": petition.headcount})


@check("office.duty_handover_missing", FAMILY)
def missing_handover(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A-DUTY-04/10: a past shift without a handover record."""
    from .models import DutyShift

    rows = (DutyShift.objects.filter(area__in=_areas(scope), day__lt=today - DAY, handover__isnull=True)
            .select_related("area"))
    for shift in rows.iterator():
        yield Found(key=f"office.duty_handover_missing:{shift.pk}", rule_id=r.DUTY_HANDOVER.id, area=shift.area,
                    subject=shift, title=f"{shift.day}值班无交接班记录", occurred_on=shift.day + DAY,
                    link=f"/office/duty/?week={shift.day.isoformat()}", evidence={"day": shift.day.isoformat()})


@check("office.incident_unreported", FAMILY)
def unreported_incidents(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A-DUTY-03: an incident during duty not reported upward by its deadline."""
    from django.utils import timezone

    from .models import DutyIncident

    rows = DutyIncident.objects.filter(area__in=_areas(scope), reported_upward_at__isnull=True,
                                       report_due_at__lt=timezone.now()).select_related("area")
    for incident in rows.iterator():
        yield Found(key=f"office.incident_unreported:{incident.pk}", rule_id=r.DUTY_INCIDENT_REPORT.id,
                    area=incident.area, subject=incident, title=f"值班事件未按时上报：{incident.place[:30]}",
                    occurred_on=timezone.localdate(incident.report_due_at), link="/office/duty/",
                    evidence={"occurred_at": incident.occurred_at.isoformat(),
                              "report_due_at": incident.report_due_at.isoformat()})


@check("office.incoming_overdue", FAMILY)
def overdue_incoming(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A-DOC-23: an incoming document not handled by its due date (15 working days or its own deadline)."""
    from .models import IncomingDocument

    rows = IncomingDocument.objects.filter(area__in=_areas(scope), status=IncomingDocument.Status.IN_PROGRESS,
                                           due_on__lt=today).select_related("area")
    for doc in rows.iterator():
        yield Found(key=f"office.incoming_overdue:{doc.pk}", rule_id=r.DOC_INCOMING_DEADLINE.id, area=doc.area,
                    subject=doc, title=f"收文{doc.serial}逾期未办结", occurred_on=doc.due_on + DAY,
                    link="/office/documents/", evidence={"due_on": doc.due_on.isoformat(),
                                                         "section": doc.lead_section})


def _office_streets(scope: Scope, today: datetime.date):
    """Streets of the pass that run the office module (someone holds a post there)."""
    from .models import StaffPost

    using = set(StaffPost.objects.filter(area__in=scope.streets).values_list("area_id", flat=True))
    return [s for s in scope.streets if s.pk in using]


@check("office.summary_missing", FAMILY)
def missing_summaries(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A-RPT-01/02: the half-year and year-end summaries and the quarterly report to the working committee."""
    from .models import WorkReport

    for street in _office_streets(scope, today):
        kinds = set(WorkReport.objects.filter(area=street).values_list("kind", "period_start"))
        due = []
        for year in (today.year - 1, today.year):
            dates = r.summaries_due(r.WORK_SUMMARY.params, year=year)
            due.append(("half_year_summary", datetime.date(year, 1, 1), dates["half_year_summary"]))
            due.append(("year_summary", datetime.date(year, 1, 1), dates["year_summary"]))
        start, _end = r.quarter_of(r.QUARTERLY_REPORT.params, day=today)
        previous, end = r.quarter_of(r.QUARTERLY_REPORT.params, day=start - DAY)
        due.append(("quarterly_to_pwc", previous, end))
        for kind, period, due_on in due:
            if due_on >= today or (kind, period) in kinds or due_on < today - datetime.timedelta(days=366):
                continue
            rule = r.QUARTERLY_REPORT if kind == "quarterly_to_pwc" else r.WORK_SUMMARY
            yield Found(key=f"office.summary_missing:{street.pk}:{kind}:{period}", rule_id=rule.id, area=street,
                        subject=street, title=f"{street.name}{WorkReport.Kind(kind).label}（{period:%Y-%m}起）未报送",
                        occurred_on=due_on + DAY, link="/office/",
                        evidence={"kind": kind, "period_start": period.isoformat(), "due_on": due_on.isoformat()})


@check("office.study_missed", FAMILY, cures=False)
def missed_study(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A-RPT-20: an ended week without the Wednesday study record (looking back eight weeks)."""
    from .models import StudySession

    since = today - datetime.timedelta(weeks=8)
    for street in _office_streets(scope, today):
        held = list(StudySession.objects.filter(area=street, held_on__gte=since).values_list("held_on", flat=True))
        for monday in r.study_weeks_missed(r.STUDY_DAY.params, held=held, since=since, today=today):
            yield Found(key=f"office.study_missed:{street.pk}:{monday}", rule_id=r.STUDY_DAY.id, area=street,
                        subject=street, title=f"{street.name}{monday:%m-%d}当周无学习记录",
                        occurred_on=monday + datetime.timedelta(days=7), link="/office/",
                        evidence={"week_of": monday.isoformat()})
