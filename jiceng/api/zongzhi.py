"""综治 API (issue #9 part 7): disputes and their stages, screening rounds, ledgers and the reports upward. Thin:
parse, find what the user may see (404 otherwise), call jiceng.zongzhi.services, serialize. Parties are masked for a
user without the personal-data permission on the community."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from jiceng.core.errors import ValidationFailed
from jiceng.orgs.models import Area
from jiceng.orgs.services import get_visible
from jiceng.rules import zongzhi as r
from jiceng.zongzhi import documents, ledgers, presenters, services, stats
from jiceng.zongzhi.models import Dispute, FollowUp, Report, Round

from .common import PAGE_MAX, keyset

router = Router(tags=["zongzhi"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PartyIn(Schema):
    name: str
    side: str = "applicant"
    phone: str = ""
    id_number: str = ""
    address: str = ""


class DisputeIn(Schema):
    community: int
    title: str
    facts: str
    category: str
    level: str
    parties: list[PartyIn]
    source: Dispute.Source = Dispute.Source.VISIT
    mediation_types: list[str] = ["people"]
    responsible_unit: str = ""
    responsible_person: str = ""
    deadline: datetime.date | None = None
    collective: bool = False
    occurred_at: datetime.datetime | None = None


class AssignIn(Schema):
    mediator: int
    unit: str
    requirements: str
    deadline: datetime.date | None = None
    reason: str = ""


class SessionIn(Schema):
    mediation_type: str = "people"
    facts: str
    parties: str
    process: str
    outcome: str
    held_at: datetime.datetime | None = None


class AgreementIn(Schema):
    terms: str
    signed_on: datetime.date
    performance: str = ""


class ReportClosedIn(Schema):
    outcome: Dispute.Outcome
    result: str
    occurred_at: datetime.datetime | None = None


class FollowUpIn(Schema):
    visited_on: datetime.date
    situation: str
    method: FollowUp.Method = FollowUp.Method.VISIT
    stable: bool = True


class ReasonIn(Schema):
    reason: str = ""
    occurred_at: datetime.datetime | None = None


class NoteIn(Schema):
    note: str


class FindingIn(Schema):
    description: str = ""
    category: str
    level: str = "simple"
    location: str = ""


class RoundIn(Schema):
    area: int
    held_on: datetime.date
    kind: Round.Kind = Round.Kind.REGULAR
    scope_note: str = ""
    findings: list[FindingIn] = []
    register_cases: bool = False


class ReportIn(Schema):
    area: int
    period: Report.Period = Report.Period.MONTH
    period_start: datetime.date
    analysis: str = ""


def _dispute(request, dispute_id: int) -> Dispute:
    return get_visible(Dispute, request.auth, dispute_id)


def _mediator(dispute: Dispute, person_id: int):
    person = services.mediators(dispute.area, timezone.localdate()).filter(pk=person_id).first()
    if person is None:
        raise ValidationFailed("请选择本社区或街道的调解人员。", "Choose a mediator of this community or street.",
                               facts={"field": "mediator"})
    return person


@router.post("/disputes", response={201: dict}, summary="Register a dispute (A-FIRST-01: you are its first receiver)",
             description="201 with `id`, `register_no` and the due date of each stage. 422 `invalid_category`, "
             "`invalid_level` (A-ZZ-51), `major_case_incomplete` (A-ZZ-69), `deadline_before_registration`.")
def create_dispute(request, payload: DisputeIn):
    community = get_visible(Area, request.auth, payload.community)
    dispute = services.register_dispute(
        request.auth, area=community, title=payload.title, facts=payload.facts, category=payload.category,
        level=payload.level, parties=[p.dict() for p in payload.parties], source=payload.source,
        mediation_types=payload.mediation_types, responsible_unit=payload.responsible_unit,
        responsible_person=payload.responsible_person, deadline=payload.deadline, collective=payload.collective,
        occurred_at=payload.occurred_at)
    return Status(201, presenters.detail(_load(request, dispute.pk), request.auth))


@router.get("/disputes", summary="Disputes in your scope",
            description="Filters: `community`, `status`, `category`, `level`, `tier`, `overdue=true`; keyset pages.")
def list_disputes(request, community: int | None = None, status: str | None = None, category: str | None = None,
                  level: str | None = None, tier: str | None = None, overdue: bool = False,
                  after: int | None = None, limit: int = Query(50, ge=1, le=PAGE_MAX)):
    qs = (Dispute.objects.visible_to(request.auth).select_related("area", "mediator")
          .prefetch_related("parties", "follow_ups"))
    if community is not None:
        qs = qs.filter(area=get_visible(Area, request.auth, community))
    for field, value in (("status", status), ("category", category), ("level", level), ("tier", tier)):
        if value:
            qs = qs.filter(**{field: value})
    if overdue:
        qs = qs.filter(status__in=Dispute.OPEN, mediation_due__lt=timezone.localdate())
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [presenters.summary(d, request.auth) for d in rows], "next_after": next_after}


@router.get("/disputes/{int:dispute_id}", summary="A dispute with its timeline and due dates")
def get_dispute(request, dispute_id: int):
    return presenters.detail(_load(request, dispute_id), request.auth)


def _load(request, dispute_id: int) -> Dispute:
    _dispute(request, dispute_id)  # 404 when not visible
    return (Dispute.objects.select_related(*presenters.DETAIL_RELATED).prefetch_related(*presenters.DETAIL_PREFETCH)
            .get(pk=dispute_id))


@router.post("/disputes/{int:dispute_id}/assign", summary="交办 with the assignment notice (A-ZZ-70)",
             description="A second assignment is a reassignment: only the centre director, with `reason` "
             "(422 A-FIRST-01).")
def assign(request, dispute_id: int, payload: AssignIn):
    dispute = _dispute(request, dispute_id)
    services.assign(request.auth, dispute, mediator=_mediator(dispute, payload.mediator), unit=payload.unit,
                    requirements=payload.requirements, deadline=payload.deadline, reason=payload.reason)
    return presenters.detail(_load(request, dispute_id), request.auth)


@router.post("/disputes/{int:dispute_id}/mediate", response={201: dict},
             summary="Record a mediation session (A-ZZ-79)")
def mediate(request, dispute_id: int, payload: SessionIn):
    services.record_session(request.auth, _dispute(request, dispute_id), mediation_type=payload.mediation_type,
                            facts=payload.facts, parties=payload.parties, process=payload.process,
                            outcome=payload.outcome, held_at=payload.held_at)
    return Status(201, presenters.detail(_load(request, dispute_id), request.auth))


@router.post("/disputes/{int:dispute_id}/agree", response={201: dict}, summary="The mediation agreement")
def agree(request, dispute_id: int, payload: AgreementIn):
    services.record_agreement(request.auth, _dispute(request, dispute_id), terms=payload.terms,
                              signed_on=payload.signed_on, performance=payload.performance)
    return Status(201, presenters.detail(_load(request, dispute_id), request.auth))


@router.get("/disputes/{int:dispute_id}/agreement.docx", summary="The agreement as .docx (A-FMT)")
def agreement_docx(request, dispute_id: int):
    dispute = _load(request, dispute_id)
    if not hasattr(dispute, "agreement"):
        raise ValidationFailed("本案没有调解协议书。", "The case has no agreement.", code="no_agreement")
    data = documents.agreement_docx(dispute, masked=not presenters.may_see_parties(request.auth, dispute))
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="agreement-{dispute.pk}.docx"'
    return response


@router.post("/disputes/{int:dispute_id}/report", summary="报结: the mediation ended (resolved or not)")
def report_closed(request, dispute_id: int, payload: ReportClosedIn):
    services.report_closed(request.auth, _dispute(request, dispute_id), outcome=payload.outcome,
                           result=payload.result, occurred_at=payload.occurred_at)
    return presenters.detail(_load(request, dispute_id), request.auth)


@router.post("/disputes/{int:dispute_id}/follow-up", response={201: dict}, summary="回访 (A-ZZ-25)")
def follow_up(request, dispute_id: int, payload: FollowUpIn):
    services.record_follow_up(request.auth, _dispute(request, dispute_id), visited_on=payload.visited_on,
                              situation=payload.situation, method=payload.method, stable=payload.stable)
    return Status(201, presenters.detail(_load(request, dispute_id), request.auth))


@router.post("/disputes/{int:dispute_id}/escalate", summary="上报 one tier up, with a reason (A-ZZ-23)")
def escalate(request, dispute_id: int, payload: ReasonIn):
    services.escalate(request.auth, _dispute(request, dispute_id), reason=payload.reason,
                      occurred_at=payload.occurred_at)
    return presenters.detail(_load(request, dispute_id), request.auth)


@router.post("/disputes/{int:dispute_id}/close", summary="销案 by the street centre (A-ZZ-51), after 报结")
def close(request, dispute_id: int, payload: ReasonIn):
    services.close(request.auth, _dispute(request, dispute_id), occurred_at=payload.occurred_at)
    return presenters.detail(_load(request, dispute_id), request.auth)


class HandlingIn(Schema):
    handling: str
    occurred_at: datetime.datetime | None = None


@router.post("/disputes/{int:dispute_id}/leader-handling", summary="A leader handles a collective case (A-ZZ-26)",
             description="403 unless you hold a leading office of the street's party or government.")
def leader_handling(request, dispute_id: int, payload: HandlingIn):
    services.record_leader_handling(request.auth, _dispute(request, dispute_id), handling=payload.handling,
                                    occurred_at=payload.occurred_at)
    return presenters.detail(_load(request, dispute_id), request.auth)


@router.post("/disputes/{int:dispute_id}/chase", summary="催办 (A-ZZ-57)")
def chase(request, dispute_id: int, payload: NoteIn):
    services.chase(request.auth, _dispute(request, dispute_id), note=payload.note)
    return presenters.detail(_load(request, dispute_id), request.auth)


def _round(rd: Round) -> dict:
    return {"id": rd.pk, "area": {"id": rd.area_id, "name": rd.area.name}, "kind": rd.kind,
            "period_start": rd.period_start, "period_end": rd.period_end, "held_on": rd.held_on,
            "nothing_found": rd.nothing_found, "scope_note": rd.scope_note,
            "findings": [{"id": f.pk, "description": f.description, "category": f.category, "level": f.level,
                          "location": f.location} for f in rd.findings.all()]}


@router.post("/screening-rounds", response={201: dict}, summary="A screening round (A-ZZ-66/67)",
             description="`findings: []` records a round that found nothing; `register_cases: true` opens a dispute "
             "for "
             "each finding of a community round.")
def create_round(request, payload: RoundIn):
    area = get_visible(Area, request.auth, payload.area)
    rd = services.record_round(request.auth, area=area, held_on=payload.held_on, kind=payload.kind,
                               scope_note=payload.scope_note, findings=[f.dict() for f in payload.findings],
                               register=payload.register_cases)
    return Status(201, _round(Round.objects.select_related("area").prefetch_related("findings").get(pk=rd.pk)))


@router.get("/screening-rounds", summary="Screening rounds in your scope")
def list_rounds(request, area: int | None = None, after: int | None = None,
                limit: int = Query(50, ge=1, le=PAGE_MAX)):
    qs = Round.objects.visible_to(request.auth).select_related("area").prefetch_related("findings")
    if area is not None:
        qs = qs.filter(area=get_visible(Area, request.auth, area))
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [_round(rd) for rd in rows], "next_after": next_after}


def _range(start: datetime.date | None, end: datetime.date | None) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    start = start or today.replace(day=1)
    end = end or today
    if end < start:
        raise ValidationFailed("结束日期不能早于开始日期。", "The end is before the start.", facts={"field": "end"})
    return start, end


@router.get("/zongzhi/ledgers", summary="The seven ledgers (A-LEDG-01) with their entry counts")
def list_ledgers(request, area: int, start: datetime.date | None = None, end: datetime.date | None = None):
    target = get_visible(Area, request.auth, area)
    start, end = _range(start, end)
    return {"items": [{"kind": kind, "label": label, "entries": len(ledgers.rows(target, kind, start, end))}
                      for kind, label in r.LEDGERS.items()]}


@router.get("/zongzhi/ledgers/{kind}", summary="One ledger's entries for an area and period")
def ledger(request, kind: str, area: int, start: datetime.date | None = None, end: datetime.date | None = None):
    target = get_visible(Area, request.auth, area)
    start, end = _range(start, end)
    return {"kind": kind, "label": r.LEDGERS.get(kind, kind), "start": start, "end": end,
            "items": ledgers.rows(target, kind, start, end)}


@router.get("/zongzhi/ledgers/{kind}/xlsx", summary="One ledger as Excel")
def ledger_xlsx(request, kind: str, area: int, start: datetime.date | None = None, end: datetime.date | None = None):
    target = get_visible(Area, request.auth, area)
    start, end = _range(start, end)
    response = HttpResponse(ledgers.workbook(target, kind, start, end), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ledger-{kind}-{start}.xlsx"'
    return response


def _report(rep: Report) -> dict:
    return {"id": rep.pk, "area": {"id": rep.area_id, "name": rep.area.name}, "period": rep.period,
            "period_start": rep.period_start, "period_end": rep.period_end, "due_on": rep.due_on,
            "submitted_at": rep.submitted_at, "late": timezone.localdate(rep.submitted_at) > rep.due_on,
            "zero_report": rep.zero_report, "figures": rep.figures}


@router.post("/zongzhi/reports", response={201: dict}, summary="Submit the monthly or quarterly report upward",
             description="Figures come from the records; a month without cases is a zero report (A-ZZ-39). "
             "409 `already_reported`, 400 `period_not_ended`.")
def submit_report(request, payload: ReportIn):
    area = get_visible(Area, request.auth, payload.area)
    rep = services.submit_report(request.auth, area=area, period=payload.period, period_start=payload.period_start,
                                 analysis=payload.analysis)
    return Status(201, _report(rep))


@router.get("/zongzhi/reports", summary="Reports upward in your scope")
def list_reports(request, area: int | None = None):
    qs = Report.objects.visible_to(request.auth).select_related("area")
    if area is not None:
        qs = qs.filter(area=get_visible(Area, request.auth, area))
    return {"items": [_report(rep) for rep in qs[:PAGE_MAX]]}


def report_files(area, period: str, period_start: datetime.date) -> tuple[str, dict, list, str]:
    window = r.period_of(period, period_start)
    figures = stats.figures(area, window.start, window.end)
    cases = stats.case_rows(area, window.start, window.end)
    return window.label, figures, cases, documents.report_title(area)


@router.get("/zongzhi/report-documents/{fmt}", summary="The report of an area and period as .docx or .xlsx",
            description="`fmt`: `docx` (A-FMT layout) or `xlsx` (statistics form and 个案登记表).")
def report_document(request, fmt: str, area: int, period: Report.Period = Report.Period.MONTH,
                    period_start: datetime.date | None = None):
    target = get_visible(Area, request.auth, area)
    period_start = period_start or (timezone.localdate().replace(day=1) - datetime.timedelta(days=1))
    label, figures, cases, title = report_files(target, period, period_start)
    saved = Report.objects.filter(area=target, period=period, period_start=r.period_of(period, period_start).start)
    analysis = saved.values_list("analysis", flat=True).first() or ""
    if fmt == "docx":
        data = documents.report_docx(target, title=title, period_label=label, figures=figures, cases=cases,
                                     analysis=analysis, day=timezone.localdate(), quarterly=period == "quarter")
        content_type = DOCX
    elif fmt == "xlsx":
        data, content_type = ledgers.report_workbook(target, title, figures, cases), XLSX
    else:
        raise ValidationFailed("格式应为 docx 或 xlsx。", "The format must be docx or xlsx.", facts={"field": "fmt"})
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="report-{period}-{period_start}.{fmt}"'
    return response


@router.get("/zongzhi/mediators", summary="Mediators available for a community's cases")
def list_mediators(request, area: int):
    target = get_visible(Area, request.auth, area)
    return {"items": [{"id": p.pk, "name": p.name} for p in services.mediators(target, timezone.localdate())]}


class CaseItemIn(Schema):
    area: int
    kind: str
    title: str
    person_or_matter: str
    leaders: list[int]
    dispute: int | None = None


class CaseProgressIn(Schema):
    progress: str
    obligations: dict[str, bool] = {}
    done: bool = False


def _case_item(item) -> dict:
    return {"id": item.pk, "area": {"id": item.area_id, "name": item.area.name}, "kind": item.kind,
            "kind_label": r.CASE_KINDS.get(item.kind, item.kind), "title": item.title,
            "person_or_matter": item.person_or_matter, "leader": {"id": item.leader_id, "name": item.leader.name},
            "obligations": {k: {"label": label, "done": bool(item.obligations.get(k))}
                            for k, label in r.CASE_OBLIGATIONS.items()},
            "last_progress_on": item.last_progress_on, "progress": item.progress, "done": item.done,
            "dispute": item.dispute_id}


@router.post("/zongzhi/case-items", response={201: dict}, summary="List a 包案 item (A-CASE-01/02)",
             description="Exactly one case leader (422 `case_leader_count`); the 三包一落实 checklist starts open.")
def create_case_item(request, payload: CaseItemIn):
    from jiceng.orgs.models import Person

    area = get_visible(Area, request.auth, payload.area)
    leaders = list(Person.objects.visible_to(request.auth).filter(pk__in=payload.leaders))
    if len(leaders) != len(set(payload.leaders)):
        raise ValidationFailed("包案领导不在您的工作范围内。", "A leader is outside your scope.",
                               facts={"field": "leaders"})
    dispute = get_visible(Dispute, request.auth, payload.dispute) if payload.dispute else None
    item = services.list_case_item(request.auth, area=area, kind=payload.kind, title=payload.title,
                                   person_or_matter=payload.person_or_matter, leaders=leaders, dispute=dispute)
    return Status(201, _case_item(item))


@router.get("/zongzhi/case-items", summary="包案 items in your scope")
def list_case_items(request, done: bool | None = None, after: int | None = None,
                    limit: int = Query(50, ge=1, le=PAGE_MAX)):
    from jiceng.zongzhi.models import CaseItem

    qs = CaseItem.objects.visible_to(request.auth).select_related("area", "leader")
    if done is not None:
        qs = qs.filter(done=done)
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [_case_item(item) for item in rows], "next_after": next_after}


@router.post("/zongzhi/case-items/{int:item_id}/progress", summary="Record progress on a 包案 item")
def case_progress(request, item_id: int, payload: CaseProgressIn):
    from jiceng.zongzhi.models import CaseItem

    item = services.record_case_progress(request.auth, get_visible(CaseItem, request.auth, item_id),
                                         progress=payload.progress, obligations=payload.obligations,
                                         done=payload.done)
    return _case_item(item)
