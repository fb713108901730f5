"""Party-member affairs API (issue #8): the roster, each pipeline step, dues payments and the ledger, mobile members.
Thin: parse, find what the user may see (404 otherwise), call `party.services`."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Query, Router, Schema, Status

from jiceng.core.errors import NotFound
from jiceng.orgs.models import Area, Body, Household, Person
from jiceng.orgs.services import get_visible
from jiceng.party import presenters, queries, services
from jiceng.party.models import MobileEpisode, Notice, PartyMember

from .common import PAGE_MAX, keyset, visible_agenda_item

router = Router(tags=["party"])


class RegisterIn(Schema):
    person: int
    community: int
    status: str = "applicant"
    applied_on: datetime.date
    admitted_on: datetime.date | None = None
    full_on: datetime.date | None = None
    group: int | None = None
    in_service: bool = False
    work_unit: str = ""
    unit_party_org: str = ""
    reported_on: datetime.date | None = None
    arrived_on: datetime.date | None = None
    incoming: bool = False
    dues: Decimal | None = None


class ProfileIn(Schema):
    in_service: bool | None = None
    work_unit: str | None = None
    unit_party_org: str | None = None
    reported_on: datetime.date | None = None
    education: str | None = None
    households: list[int] | None = None


class ActivistIn(Schema):
    on: datetime.date
    sponsors: list[int]


class DateIn(Schema):
    on: datetime.date


class VettingIn(Schema):
    on: datetime.date
    note: str


class NoticeIn(Schema):
    stage: str
    started_on: datetime.date
    publish: bool = False
    text: str = ""


class FeedbackIn(Schema):
    feedback: str = ""
    considered: bool = True


class VoteIn(Schema):
    stage: str
    on: datetime.date | None = None
    yes: int | None = None
    entitled: int | None = None
    agenda_item: int | None = None
    materials: list[str] = []


class ApprovalIn(Schema):
    stage: str
    approved_on: datetime.date
    approval_ref: str
    approver: int | None = None


class TransferIn(Schema):
    on: datetime.date
    destination: str


class GroupIn(Schema):
    group: int
    on: datetime.date


class RateIn(Schema):
    amount: Decimal
    cycle: str = "monthly"
    reason: str = ""


class PaymentIn(Schema):
    paid_on: datetime.date
    first_month: str  # YYYY-MM
    months: int = 1
    amount: Decimal | None = None
    payer: int | None = None
    consent: str = ""


class UnpaidDecisionIn(Schema):
    outcome: str
    decided_on: datetime.date
    reason: str = ""
    assembly_ref: str = ""
    approval_ref: str = ""


class DepartureIn(Schema):
    reason: str
    left_on: datetime.date
    return_on: datetime.date | None = None
    place: str = ""
    place_known: bool = True
    contact: str
    disposition: str
    document_no: str = ""


class ReportInIn(Schema):
    on: datetime.date
    inflow_org: str


class ChangeIn(Schema):
    on: datetime.date
    place: str | None = None
    contact: str | None = None
    return_on: datetime.date | None = None
    inflow_org: str | None = None


class ReturnIn(Schema):
    returned_on: datetime.date
    check_note: str


class SummaryIn(Schema):
    community: int
    month: str  # YYYY-MM


class PlanIn(Schema):
    community: int
    year: int
    admit: int
    activists: int


def _member(request, member_id: int) -> PartyMember:
    return get_visible(PartyMember, request.auth, member_id)


def _month(value: str) -> datetime.date:
    from jiceng.core.errors import ValidationFailed

    try:
        return datetime.date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        raise ValidationFailed("月份格式须为 YYYY-MM。", "Months are YYYY-MM.", facts={"field": "month"}) from None


def _detail(request, member_id: int) -> dict:
    return presenters.member_detail(_member(request, member_id), request.auth)


@router.get("/party/members", summary="Party members and people in the pipeline, in your scope",
            description="Filter by `community`, `status` (applicant, activist, development_target, "
            "probationary_member, full_member, rejected, transferred_out, removed), `group`, `q` (name). Keyset "
            "pagination: pass `next_after` back as `after`.")
def list_members(request, community: int | None = None, status: PartyMember.Status | None = None,
                 group: int | None = None, q: str = "", after: int | None = None,
                 limit: int = Query(50, ge=1, le=PAGE_MAX)):
    area = get_visible(Area, request.auth, community) if community is not None else None
    qs = queries.roster(request.auth, community=area, status=status, group_id=group, q=q)
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [presenters.member_summary(m) for m in rows], "next_after": next_after}


@router.post("/party/members", response={201: dict}, summary="Open a party file: an applicant, or a member on the roll")
def register_member(request, payload: RegisterIn):
    community = get_visible(Area, request.auth, payload.community)
    person = get_visible(Person, request.auth, payload.person)
    group = get_visible(Body, request.auth, payload.group) if payload.group else None
    member = services.register(
        request.auth, person=person, community=community, status=payload.status, applied_on=payload.applied_on,
        admitted_on=payload.admitted_on, full_on=payload.full_on, group=group, in_service=payload.in_service,
        work_unit=payload.work_unit, unit_party_org=payload.unit_party_org, reported_on=payload.reported_on,
        incoming=payload.incoming, dues=payload.dues, arrived_on=payload.arrived_on)
    return Status(201, presenters.member_detail(member, request.auth))


@router.get("/party/members/{int:member_id}", summary="A member: status, dates, sponsors, steps, unpaid months")
def get_member(request, member_id: int):
    return _detail(request, member_id)


@router.patch("/party/members/{int:member_id}", summary="In-service registration, education category, households")
def update_member(request, member_id: int, payload: ProfileIn):
    households = None
    if payload.households is not None:
        households = [get_visible(Household, request.auth, pk) for pk in payload.households]
    services.update_profile(request.auth, _member(request, member_id), in_service=payload.in_service,
                            work_unit=payload.work_unit, unit_party_org=payload.unit_party_org,
                            reported_on=payload.reported_on,
                            education=payload.education, households=households)
    return _detail(request, member_id)


@router.post("/party/members/{int:member_id}/activist", response={201: dict},
             summary="R-DEV-03: applicant → activist with two full-member sponsors (422 `sponsors_invalid`)")
def make_activist(request, member_id: int, payload: ActivistIn):
    sponsors = [_member(request, pk) for pk in payload.sponsors]
    services.make_activist(request.auth, _member(request, member_id), on=payload.on, sponsors=sponsors)
    return Status(201, _detail(request, member_id))


@router.post("/party/members/{int:member_id}/target", response={201: dict},
             summary="R-DEV-04: activist → development target after a year (422 `training_period_not_met`)")
def make_target(request, member_id: int, payload: DateIn):
    services.make_target(request.auth, _member(request, member_id), on=payload.on)
    return Status(201, _detail(request, member_id))


@router.post("/party/members/{int:member_id}/vetting", response={201: dict}, summary="R-DEV-03: political vetting")
def vetting(request, member_id: int, payload: VettingIn):
    services.record_vetting(request.auth, _member(request, member_id), on=payload.on, note=payload.note)
    return Status(201, _detail(request, member_id))


@router.post("/party/members/{int:member_id}/notices", response={201: dict},
             summary="R-DEV-05: public notice before admission or conversion (`publish` drafts a P05 board item)")
def start_notice(request, member_id: int, payload: NoticeIn):
    services.start_notice(request.auth, _member(request, member_id), stage=payload.stage,
                          started_on=payload.started_on, publish=payload.publish, text=payload.text)
    return Status(201, _detail(request, member_id))


@router.post("/party/notices/{int:notice_id}/feedback", summary="Feedback received during a notice")
def notice_feedback(request, notice_id: int, payload: FeedbackIn):
    notice = Notice.objects.filter(pk=notice_id, member__in=PartyMember.objects.visible_to(request.auth)).first()
    if notice is None:
        raise NotFound()
    services.record_notice_feedback(request.auth, notice, feedback=payload.feedback, considered=payload.considered)
    return _detail(request, notice.member_id)


@router.post("/party/members/{int:member_id}/votes", response={201: dict},
             summary="R-DEV-07: the assembly's vote (an `agenda_item` of a held assembly, or yes/entitled judged by "
             "the district's threshold)",
             description="422 `public_notice_missing`, `notice_feedback_pending`, `vetting_missing`, "
             "`materials_incomplete`, `probation_not_ended`, `rule_parameter_unset`.")
def record_vote(request, member_id: int, payload: VoteIn):
    item = visible_agenda_item(request.auth, payload.agenda_item)
    step = services.record_vote(request.auth, _member(request, member_id), stage=payload.stage, on=payload.on,
                                yes=payload.yes, entitled=payload.entitled, agenda_item=item,
                                materials=payload.materials)
    return Status(201, {"passed": step.passed, "member": _detail(request, member_id)})


@router.post("/party/members/{int:member_id}/approvals", response={201: dict},
             summary="R-DEV-07: the street working committee's approval; the status moves on its date",
             description="422 `assembly_vote_missing`, `superior_approval_missing`.")
def approve(request, member_id: int, payload: ApprovalIn):
    approver = get_visible(Person, request.auth, payload.approver) if payload.approver else None
    services.approve(request.auth, _member(request, member_id), stage=payload.stage,
                     approved_on=payload.approved_on, approval_ref=payload.approval_ref, approver=approver)
    return Status(201, _detail(request, member_id))


@router.post("/party/members/{int:member_id}/transfer", response={201: dict}, summary="Transfer the relation out")
def transfer(request, member_id: int, payload: TransferIn):
    services.transfer_out(request.auth, _member(request, member_id), on=payload.on, destination=payload.destination)
    return Status(201, _detail(request, member_id))


@router.post("/party/members/{int:member_id}/group", response={201: dict}, summary="Place in a party group (R-MOB-08)")
def place_in_group(request, member_id: int, payload: GroupIn):
    group = get_visible(Body, request.auth, payload.group)
    services.place_in_group(request.auth, _member(request, member_id), group=group, on=payload.on)
    return Status(201, _detail(request, member_id))


@router.post("/party/members/{int:member_id}/dues-rate", summary="Monthly dues and cycle (quarterly needs a reason)")
def dues_rate(request, member_id: int, payload: RateIn):
    services.set_dues(request.auth, _member(request, member_id), amount=payload.amount, cycle=payload.cycle,
                      reason=payload.reason)
    return _detail(request, member_id)


@router.post("/party/members/{int:member_id}/payments", response={201: dict},
             summary="R-DUES-01–05: a dues payment and its ledger lines",
             description="422 `back_payment_too_long`, `advance_payment_too_long`, `branch_consent_missing`, "
             "`proxy_not_member`, `dues_before_membership`; 409 `already_paid`.")
def pay(request, member_id: int, payload: PaymentIn):
    payer = get_visible(Person, request.auth, payload.payer) if payload.payer else None
    payment = services.pay_dues(request.auth, _member(request, member_id), paid_on=payload.paid_on,
                                first_month=_month(payload.first_month), months=payload.months,
                                amount=payload.amount, payer=payer, consent=payload.consent)
    return Status(201, presenters.payment(payment))


@router.get("/party/members/{int:member_id}/payments", summary="A member's payments")
def payments(request, member_id: int):
    member = _member(request, member_id)
    return {"items": [presenters.payment(p) for p in member.payments.prefetch_related("lines")]}


@router.post("/party/members/{int:member_id}/unpaid-decisions", response={201: dict},
             summary="R-DUES-07: the branch's decision on a run of unpaid months (valid_reason | auto_withdrawal)")
def unpaid_decision(request, member_id: int, payload: UnpaidDecisionIn):
    decision = services.decide_unpaid(request.auth, _member(request, member_id), outcome=payload.outcome,
                                      decided_on=payload.decided_on, reason=payload.reason,
                                      assembly_ref=payload.assembly_ref, approval_ref=payload.approval_ref)
    return Status(201, {"id": decision.pk, "outcome": decision.outcome, "months": decision.months,
                        "member": _detail(request, member_id)})


@router.get("/party/ledger", summary="R-DUES-04: a community's dues ledger for a year (members × months, totals)")
def ledger(request, community: int, year: int):
    area = get_visible(Area, request.auth, community)
    data = queries.ledger(area, year)
    return {"year": year, "months": [f"{m:%Y-%m}" for m in data["months"]],
            "rows": [{"member": r["member"].pk, "name": r["member"].person.name,
                      "cells": [f"{c:.2f}" if isinstance(c, Decimal) else c for c in r["cells"]],
                      "total": f"{r['total']:.2f}", "behind": r["behind"]} for r in data["rows"]],
            "month_totals": [f"{t:.2f}" for t in data["month_totals"]], "total": f"{data['total']:.2f}"}


@router.post("/party/dues-summaries", response={201: dict},
             summary="R-DUES-04: draft the month's collection on the party-affairs board (P07 dues table)")
def dues_summary(request, payload: SummaryIn):
    area = get_visible(Area, request.auth, payload.community)
    item = services.publish_dues_summary(request.auth, community=area, month=_month(payload.month))
    return Status(201, {"disclosure": item.pk, "status": item.status, "tables": item.tables})


@router.post("/party/plans", response={201: dict}, summary="R-DEV-02: the yearly plan, with warnings")
def plan(request, payload: PlanIn):
    area = get_visible(Area, request.auth, payload.community)
    result = services.set_yearly_plan(request.auth, community=area, year=payload.year, admit=payload.admit,
                                      activists=payload.activists)
    return Status(201, {"year": result.year, "admit": result.admit, "activists": result.activists,
                        "warnings": result.warnings})


@router.get("/party/mobile", summary="Mobile-member registrations in your scope")
def mobile(request, community: int | None = None, status: MobileEpisode.Status | None = None,
           after: int | None = None, limit: int = Query(50, ge=1, le=PAGE_MAX)):
    qs = MobileEpisode.objects.visible_to(request.auth).select_related("member__person")
    if community is not None:
        qs = qs.filter(member__community=get_visible(Area, request.auth, community))
    if status:
        qs = qs.filter(status=status)
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [presenters.episode(e) for e in rows], "next_after": next_after}


@router.post("/party/members/{int:member_id}/departures", response={201: dict},
             summary="R-MOB-02/03: register a departure; the disposition must fit time away and place",
             description="422 `wrong_mobile_disposition` (with `fitting`), `registration_incomplete`. The answer "
             "says whether a temporary branch is due (R-MOB-04).")
def depart(request, member_id: int, payload: DepartureIn):
    episode = services.register_departure(request.auth, _member(request, member_id), **payload.dict())
    return Status(201, {**presenters.episode(episode), "temporary_branch": services.temporary_branch_due(episode)})


def _episode(request, episode_id: int) -> MobileEpisode:
    return get_visible(MobileEpisode, request.auth, episode_id)


@router.post("/party/mobile/{int:episode_id}/report-in", summary="R-MOB-05: reported to the inflow organisation")
def report_in(request, episode_id: int, payload: ReportInIn):
    episode = services.report_in(request.auth, _episode(request, episode_id), on=payload.on,
                                 inflow_org=payload.inflow_org)
    return presenters.episode(episode)


@router.post("/party/mobile/{int:episode_id}/changes", summary="R-MOB-06: a reported change of place or contact")
def change(request, episode_id: int, payload: ChangeIn):
    changes = {k: v for k, v in payload.dict().items() if k != "on" and v is not None}
    episode = services.record_change(request.auth, _episode(request, episode_id), on=payload.on, **changes)
    return presenters.episode(episode)


@router.post("/party/mobile/{int:episode_id}/return", summary="R-MOB-07: return with the check record")
def returned(request, episode_id: int, payload: ReturnIn):
    episode = services.record_return(request.auth, _episode(request, episode_id), returned_on=payload.returned_on,
                                     check_note=payload.check_note)
    return presenters.episode(episode)
