"""Work reports and study (A-RPT): summaries and quarterly reports filed with their period; reports addressed to
the next level up; the weekly study record."""

from __future__ import annotations

import datetime

from django.db import transaction

from jiceng.audit.services import record_event
from jiceng.core.errors import ValidationFailed
from jiceng.orgs.models import Area, Person
from jiceng.rules import office as r
from jiceng.rules.base import check

from .. import staff
from ..models import StudySession, WorkReport


@transaction.atomic
def submit_report(actor, *, street: Area, kind: str, period_start: datetime.date, title: str,
                  submitted_on: datetime.date | None = None, section: str = "", addressed_to: str = "",
                  urgent: bool = False) -> WorkReport:
    """Record a written report. A report by a staff member is addressed to the next level up (A-RPT-04); an urgent
    major matter may go to a principal leader (A-RPT-05)."""
    staff.require_office_staff(actor, street)
    if kind not in WorkReport.Kind.values or not title.strip():
        raise ValidationFailed("请选择汇报类别并填写标题。", "Give the kind and a title.", facts={"field": "kind"})
    author = staff.person_of(actor)
    on = submitted_on or staff.today()
    if addressed_to and author is not None:
        rank = staff.rank_of(author, on).post
        expected = check(r.REPORT_LEVELS, area=street, on=on, rank=rank, urgent=urgent).value
        if addressed_to != expected:
            raise r.REPORT_LEVELS.violation("report_skips_level", f"工作汇报应逐级报送{expected}，不得越级",
                                            f"Reports go to the {expected}, level by level",
                                            {"rank": rank, "addressed_to": addressed_to, "expected": expected})
    report = WorkReport.objects.create(area=street, kind=kind, section=section, period_start=period_start,
                                       title=title.strip(), addressed_to=addressed_to, submitted_on=on, author=author,
                                       recorded_by=actor)
    record_event(actor, "office.report_submitted", report, after={"kind": kind, "period_start": period_start})
    return report


@transaction.atomic
def record_study(actor, *, street: Area, held_on: datetime.date, topic: str, attendees: list[Person],
                 absent_reasons: dict | None = None) -> StudySession:
    """The weekly study record (A-RPT-20)."""
    staff.require_office_staff(actor, street)
    if not topic.strip() or not attendees:
        raise ValidationFailed("请填写学习内容和参加人员。", "Give the topic and the attendees.",
                               facts={"field": "topic"})
    session = StudySession.objects.create(area=street, held_on=held_on, topic=topic.strip(),
                                          absent_reasons=absent_reasons or {}, recorded_by=actor)
    session.attendees.set(attendees)
    record_event(actor, "office.study_recorded", session, after={"held_on": held_on, "attendees": len(attendees)})
    return session
