"""Street-office administration API (issue #9): staff posts, leave requests (A-LEAVE), letters and visits (A-VISIT),
duty roster (A-DUTY), documents and seals (A-DOC, A-SEAL), meeting rooms (A-ROOM). Thin: parse, find what the
user may see (404 otherwise), call office.services, present."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status

from jiceng.accounts import scope
from jiceng.core.errors import NotFound, ValidationFailed
from jiceng.office import presenters, services, staff
from jiceng.office.models import LeaveRequest, Petition, StaffPost
from jiceng.office.services.leave import inbox_for
from jiceng.orgs.models import Area, Person
from jiceng.orgs.services import get_visible
from jiceng.rules import office as r

from .common import PAGE_MAX, keyset

router = Router(tags=["office"])


def _person(request, person_id: int | None) -> Person:
    """A person the user may name: themself, a visible resident, or a holder of a post in a visible unit."""
    if person_id is None:
        raise ValidationFailed("请指定人员。", "Give a person.", facts={"field": "person"})
    own = staff.person_of(request.auth)
    if own is not None and own.pk == person_id:
        return own
    posts = StaffPost.objects.visible_to(request.auth).filter(person_id=person_id)
    person = (Person.objects.filter(pk=person_id).filter(pk__in=posts.values("person_id")).first()
              or Person.objects.visible_to(request.auth).filter(pk=person_id).first())
    if person is None:
        raise NotFound()
    return person


def _default_street(user) -> Area:
    """The street of the user's first grant, for registrations that name no area."""
    grants = scope.grants(user)
    for grant in grants:
        area = Area.objects.filter(pk=grant.area_id).first()
        street = area.ancestor_at(Area.Level.STREET) if area else None
        if street is not None:
            return street
    streets = list(Area.objects.visible_to(user).filter(level=Area.Level.STREET)[:2])
    if len(streets) == 1:  # e.g. a superuser of a single-street installation
        return streets[0]
    raise ValidationFailed("请指定所属区域。", "Give the area.", facts={"field": "area"})


# Staff posts ---------------------------------------------------------------------------------------------------

class PostIn(Schema):
    person: int
    area: int | None = None
    street: int | None = None  # alias of area
    post: str = ""
    rank: str = ""  # alias of post
    start_on: datetime.date
    end_on: datetime.date | None = None
    section: str = ""
    phone: str = ""


def _post_dict(row: StaffPost) -> dict:
    return {"id": row.pk, "person": {"id": row.person_id, "name": row.person.name}, "area": row.area_id,
            "post": row.post, "section": row.section, "start_on": row.start_on, "end_on": row.end_on}


@router.get("/staff-posts", summary="Posts and ranks held in the street office and its committees")
def list_posts(request, area: int | None = None, on: datetime.date | None = None, after: int | None = None,
               limit: int = Query(100, ge=1, le=PAGE_MAX)):
    qs = StaffPost.objects.visible_to(request.auth).select_related("person")
    if area is not None:
        qs = qs.filter(area=get_visible(Area, request.auth, area))
    if on is not None:
        qs = qs.on(on)
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [_post_dict(p) for p in rows], "next_after": next_after}


@router.post("/staff-posts", response={201: dict}, summary="Appoint a person to a post (rules-admin §1.2 ids)")
def create_post(request, payload: PostIn):
    area_id = payload.area if payload.area is not None else payload.street
    area = get_visible(Area, request.auth, area_id) if area_id is not None else _default_street(request.auth)
    person = _person(request, payload.person)
    row = services.appoint_post(request.auth, person=person, area=area, post=payload.post or payload.rank,
                                start_on=payload.start_on, end_on=payload.end_on, section=payload.section,
                                phone=payload.phone)
    return Status(201, _post_dict(row))


# Leave ---------------------------------------------------------------------------------------------------------

class LeaveIn(Schema):
    person: int | None = None
    start_on: datetime.date
    days: Decimal
    reason: str = ""
    during_duty: bool = False  # A-LEAVE-09: leave during one's own duty shift goes to the duty leader


class NoteIn(Schema):
    note: str = ""


class ReturnIn(Schema):
    returned_on: datetime.date | None = None


def _leave(request, leave_id: int) -> LeaveRequest:
    leave = (LeaveRequest.objects.filter(pk=leave_id).select_related("person", "area")
             .prefetch_related("approvals__approver").first())
    if leave is None:
        raise NotFound()
    own = staff.person_of(request.auth)
    visible = LeaveRequest.objects.visible_to(request.auth).filter(pk=leave_id).exists()
    if not visible and (own is None or own.pk != leave.person_id) and leave.pk not in set(
            inbox_for(request.auth).values_list("pk", flat=True)):
        raise NotFound()
    return leave


@router.post("/leave-requests", response={201: dict},
             summary="A-LEAVE: request leave; the answer carries the approver route",
             description="`{person, start_on, days, reason}`. 201 with `id` and `route`: approver post ids in order "
             "(rules-admin §1.2). 400 `invalid` (days ≤ 0, no reason), `no_post` (no rank on the first day); "
             "403 when neither the person nor their unit's staff; 404 unknown person.")
def create_leave(request, payload: LeaveIn):
    person = _person(request, payload.person if payload.person is not None else
                     getattr(staff.person_of(request.auth), "pk", None))
    leave = services.request_leave(request.auth, person=person, start_on=payload.start_on, days=payload.days,
                                   reason=payload.reason, during_duty=payload.during_duty)
    return Status(201, presenters.leave_detail(_leave(request, leave.pk), staff.today()))


@router.get("/leave-requests", summary="Leave requests in scope; `mine=true` own, `inbox=true` waiting for me")
def list_leave(request, status: str | None = None, person: int | None = None, mine: bool = False,
               inbox: bool = False, after: int | None = None, limit: int = Query(50, ge=1, le=PAGE_MAX)):
    if inbox:
        qs = inbox_for(request.auth)
    elif mine:
        qs = LeaveRequest.objects.filter(person=staff.person_of(request.auth)).select_related("person")
    else:
        qs = LeaveRequest.objects.visible_to(request.auth).select_related("person")
    if status:
        qs = qs.filter(status=status)
    if person is not None:
        qs = qs.filter(person_id=person)
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [presenters.leave_summary(x) for x in rows], "next_after": next_after}


@router.get("/leave-requests/attendance.xlsx", summary="Monthly attendance sheet (考勤表) of a unit")
def attendance(request, area: int, month: str = Query(..., pattern=r"^\d{4}-\d{2}$")):
    unit = get_visible(Area, request.auth, area)
    year, mon = (int(x) for x in month.split("-"))
    if not 1 <= mon <= 12:
        raise ValidationFailed("月份无效。", "Invalid month.", facts={"field": "month"})
    first = datetime.date(year, mon, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    posts = (StaffPost.objects.on(first).filter(area=unit) | StaffPost.objects.on(last).filter(area=unit))
    posts = posts.select_related("person").order_by("person_id", "post")
    leaves = LeaveRequest.objects.filter(area=unit, start_on__lte=last, end_on__gte=first)
    data = presenters.attendance_sheet(list(posts), list(leaves), year, mon)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="attendance-{month}.xlsx"'
    return response


@router.get("/leave-requests/{int:leave_id}", summary="A leave request with its approval steps")
def get_leave(request, leave_id: int):
    return presenters.leave_detail(_leave(request, leave_id), staff.today())


@router.post("/leave-requests/{int:leave_id}/approve", summary="The holder of the pending step's post approves",
             description="403 when you do not hold the post; 409 when not waiting; 422 A-LEAVE-11 (rostered duty).")
def approve_leave(request, leave_id: int, payload: NoteIn):
    services.approve_leave(request.auth, _leave(request, leave_id), note=payload.note)
    return presenters.leave_detail(_leave(request, leave_id), staff.today())


@router.post("/leave-requests/{int:leave_id}/reject", summary="The holder of the pending step's post refuses")
def reject_leave(request, leave_id: int, payload: NoteIn):
    services.reject_leave(request.auth, _leave(request, leave_id), note=payload.note)
    return presenters.leave_detail(_leave(request, leave_id), staff.today())


@router.post("/leave-requests/{int:leave_id}/return", summary="A-LEAVE-06: record the return (销假)")
def return_leave(request, leave_id: int, payload: ReturnIn):
    services.record_return(request.auth, _leave(request, leave_id), returned_on=payload.returned_on)
    return presenters.leave_detail(_leave(request, leave_id), staff.today())


@router.post("/leave-requests/{int:leave_id}/cancel", summary="The requester withdraws a pending request")
def cancel_leave(request, leave_id: int):
    services.cancel_leave(request.auth, _leave(request, leave_id))
    return presenters.leave_detail(_leave(request, leave_id), staff.today())


# Letters and visits -------------------------------------------------------------------------------------------

class PetitionIn(Schema):
    area: int | None = None
    petitioner_name: str = ""
    name: str = ""  # alias of petitioner_name
    received_on: datetime.date | None = None
    issue: str = ""
    request: str = ""
    kind: str = Petition.Kind.ORDINARY
    channel: str = Petition.Channel.VISIT
    petitioner_phone: str = ""
    phone: str = ""  # alias of petitioner_phone
    petitioner_id_number: str = ""
    petitioner_address: str = ""
    headcount: int = 1
    upper_due_on: datetime.date | None = None


class InstructIn(Schema):
    text: str


class AssignIn(Schema):
    section: str
    handler: int | None = None


class LeaderIn(Schema):
    leader: int


class ReassignIn(Schema):
    owner: int
    reason: str = ""


class ReclassifyIn(Schema):
    kind: str
    reason: str = ""


class ConcludeIn(Schema):
    outcome: str
    result: str = ""
    concluded_on: datetime.date | None = None


class ReplyIn(Schema):
    text: str = ""
    channel: str = Petition.Channel.PHONE
    satisfaction: str = ""
    replied_on: datetime.date | None = None


def _petition(request, petition_id: int) -> Petition:
    petition = (Petition.objects.visible_to(request.auth).filter(pk=petition_id)
                .select_related("area", "first_receiver", "owner", "instructed_by", "handler", "case_leader").first())
    if petition is None:
        raise NotFound()
    return petition


def _petition_out(request, petition_id: int) -> dict:
    return presenters.petition_detail(_petition(request, petition_id), request.auth, staff.today())


@router.post("/petitions", response={201: dict}, summary="A-VISIT-03: register a letter or visit",
             description="`{petitioner_name, received_on, issue, request, kind?, channel?, area?, petitioner_phone?, "
             "petitioner_id_number?, petitioner_address?, headcount?, upper_due_on?}`. 201 with `tracking_number` and "
             "`due_on` {instruction (A-VISIT-04), conclusion (A-VISIT-05), feedback (A-FIRST-03)}. 422 "
             "`petition_incomplete` names the missing fields; 400 bad kind/date; 403 outside your scope.")
def create_petition(request, payload: PetitionIn):
    area = get_visible(Area, request.auth, payload.area) if payload.area is not None else _default_street(request.auth)
    petition = services.register_petition(
        request.auth, area=area, petitioner_name=payload.petitioner_name or payload.name,
        received_on=payload.received_on, issue=payload.issue, request=payload.request, kind=payload.kind,
        channel=payload.channel, petitioner_phone=payload.petitioner_phone or payload.phone,
        petitioner_id_number=payload.petitioner_id_number, petitioner_address=payload.petitioner_address,
        headcount=payload.headcount, upper_due_on=payload.upper_due_on)
    return Status(201, _petition_out(request, petition.pk))


@router.get("/petitions", summary="Letters and visits in scope (personal data masked without the permission)")
def list_petitions(request, status: str | None = None, kind: str | None = None, overdue: bool = False,
                   after: int | None = None, limit: int = Query(50, ge=1, le=PAGE_MAX)):
    qs = Petition.objects.visible_to(request.auth).select_related("area")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if overdue:
        from django.db.models import Q

        today = staff.today()
        qs = qs.filter(status__in=Petition.OPEN).filter(
            Q(instructed_on__isnull=True, instruction_due_on__lt=today) | Q(conclusion_due_on__lt=today))
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [presenters.petition_summary(p, request.auth, staff.today()) for p in rows],
            "next_after": next_after}


@router.get("/petitions/ledger.xlsx", summary="A-VISIT-12: the letters-and-visits ledger as Excel")
def petition_ledger(request, year: int | None = None):
    qs = (Petition.objects.visible_to(request.auth).select_related("area", "first_receiver", "case_leader")
          .order_by("received_on", "pk"))
    if year is not None:
        qs = qs.filter(received_on__year=year)
    data = presenters.petition_ledger(qs[:20000], request.auth)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="petition-ledger.xlsx"'
    return response


@router.get("/petitions/{int:petition_id}", summary="A letter or visit with its stages and due dates")
def get_petition(request, petition_id: int):
    return _petition_out(request, petition_id)


@router.post("/petitions/{int:petition_id}/instruct", summary="A-VISIT-04: the designated leader instructs")
def instruct_petition(request, petition_id: int, payload: InstructIn):
    services.instruct(request.auth, _petition(request, petition_id), text=payload.text)
    return _petition_out(request, petition_id)


@router.post("/petitions/{int:petition_id}/assign", summary="Assign the instructed case to a section and handler")
def assign_petition(request, petition_id: int, payload: AssignIn):
    handler = _person(request, payload.handler) if payload.handler is not None else None
    services.assign(request.auth, _petition(request, petition_id), section=payload.section, handler=handler)
    return _petition_out(request, petition_id)


@router.post("/petitions/{int:petition_id}/case-leader", summary="A-CASE-02: set the case leader (领导包案)")
def case_leader(request, petition_id: int, payload: LeaderIn):
    services.set_case_leader(request.auth, _petition(request, petition_id), leader=_person(request, payload.leader))
    return _petition_out(request, petition_id)


@router.post("/petitions/{int:petition_id}/reassign", summary="A-FIRST-01: centre director reassigns with a reason")
def reassign(request, petition_id: int, payload: ReassignIn):
    services.reassign_owner(request.auth, _petition(request, petition_id), owner=_person(request, payload.owner),
                            reason=payload.reason)
    return _petition_out(request, petition_id)


@router.post("/petitions/{int:petition_id}/reclassify", summary="A-VISIT-05: change the kind; due dates recomputed")
def reclassify(request, petition_id: int, payload: ReclassifyIn):
    services.reclassify(request.auth, _petition(request, petition_id), kind=payload.kind, reason=payload.reason)
    return _petition_out(request, petition_id)


@router.post("/petitions/{int:petition_id}/conclude", summary="A-VISIT-01/05: conclude with the outcome")
def conclude(request, petition_id: int, payload: ConcludeIn):
    services.conclude(request.auth, _petition(request, petition_id), outcome=payload.outcome, result=payload.result,
                      concluded_on=payload.concluded_on)
    return _petition_out(request, petition_id)


@router.post("/petitions/{int:petition_id}/reply", summary="A-FIRST-03: reply to the petitioner (closes the case)")
def reply(request, petition_id: int, payload: ReplyIn):
    services.reply(request.auth, _petition(request, petition_id), text=payload.text, channel=payload.channel,
                   satisfaction=payload.satisfaction, replied_on=payload.replied_on)
    return _petition_out(request, petition_id)


# Duty roster ---------------------------------------------------------------------------------------------------

class DutyPersonIn(Schema):
    person: int
    phone: str = ""


class RosterIn(Schema):
    area: int
    day: datetime.date
    leaders: list[DutyPersonIn]
    officers: list[DutyPersonIn]


class HandoverIn(Schema):
    successor: int
    arrived_at: datetime.datetime
    notes: str = ""


class IncidentIn(Schema):
    occurred_at: datetime.datetime
    place: str = ""
    description: str = ""
    measures: str = ""
    severity: str = "general"
    is_theft: bool = False


def _shift_dict(shift) -> dict:
    handover = getattr(shift, "handover", None)
    return {"id": shift.pk, "day": shift.day, "status": shift.status,
            "leader": {"id": shift.leader_id, "name": shift.leader.name, "phone": shift.leader_phone},
            "officers": [{"person": {"id": o.person_id, "name": o.person.name}, "phone": o.phone, "status": o.status,
                          "substitute": o.substitute_id} for o in shift.officers.all()],
            "handover": None if handover is None else {
                "successor": handover.successor_id, "arrived_at": handover.arrived_at,
                "minutes_late": handover.minutes_late, "deduction_fen": handover.deduction_fen},
            "incidents": [{"id": i.pk, "occurred_at": i.occurred_at, "recorded_at": i.recorded_at, "place": i.place,
                           "severity": i.severity, "report_due_at": i.report_due_at,
                           "reported_upward_at": i.reported_upward_at} for i in shift.incidents.all()]}


def _shift(request, shift_id: int):
    from jiceng.office.models import DutyShift

    shift = (DutyShift.objects.visible_to(request.auth).filter(pk=shift_id).select_related("leader", "area")
             .prefetch_related("officers__person", "incidents").first())
    if shift is None:
        raise NotFound()
    return shift


@router.get("/duty-shifts", summary="The duty roster of a street between two days (default: this week)")
def list_shifts(request, area: int | None = None, start: datetime.date | None = None, days: int = Query(7, ge=1,
                                                                                                        le=62)):
    from jiceng.office.models import DutyShift

    start = start or staff.today() - datetime.timedelta(days=staff.today().weekday())
    end = start + datetime.timedelta(days=days)
    qs = (DutyShift.objects.visible_to(request.auth).filter(day__gte=start, day__lt=end)
          .select_related("leader", "handover").prefetch_related("officers__person", "incidents"))
    if area is not None:
        qs = qs.filter(area=get_visible(Area, request.auth, area))
    return {"items": [_shift_dict(s) for s in qs.order_by("day")]}


@router.post("/duty-shifts", response={201: dict}, summary="A-DUTY-30/02: schedule a day (exactly one leader)")
def create_shift(request, payload: RosterIn):
    street = get_visible(Area, request.auth, payload.area)
    shift = services.set_roster(
        request.auth, street=street, day=payload.day,
        leaders=[(_person(request, x.person), x.phone) for x in payload.leaders],
        officers=[(_person(request, x.person), x.phone) for x in payload.officers])
    return Status(201, _shift_dict(_shift(request, shift.pk)))


@router.post("/duty-shifts/{int:shift_id}/handover", response={201: dict},
             summary="A-DUTY-01/10/11: the handover record (closes the shift)")
def handover(request, shift_id: int, payload: HandoverIn):
    services.record_handover(request.auth, _shift(request, shift_id), successor=_person(request, payload.successor),
                             arrived_at=payload.arrived_at, notes=payload.notes)
    return Status(201, _shift_dict(_shift(request, shift_id)))


@router.post("/duty-shifts/{int:shift_id}/incidents", response={201: dict},
             summary="A-DUTY-03/17: report an incident (notifies the duty leader and principal leaders)")
def incident(request, shift_id: int, payload: IncidentIn):
    row = services.report_incident(request.auth, _shift(request, shift_id), occurred_at=payload.occurred_at,
                                   place=payload.place, description=payload.description, measures=payload.measures,
                                   severity=payload.severity, is_theft=payload.is_theft)
    return Status(201, {"id": row.pk, "report_due_at": row.report_due_at})


# Documents and seals -------------------------------------------------------------------------------------------

class DocumentIn(Schema):
    area: int
    issuer: str
    kind: str
    issuer_code: str
    title: str
    recipients: str
    body: str
    section: str
    urgency: str = "normal"


class EditIn(Schema):
    title: str | None = None
    body: str | None = None


class SealIn(Schema):
    area: int
    seal: str
    purpose: str
    description: str
    copies: int = 1
    document: int | None = None
    take_out: bool = False


class SealApproveIn(Schema):
    signed: bool = False


class SealUseIn(Schema):
    requester_signature: str = ""


def _doc_dict(doc) -> dict:
    return {"id": doc.pk, "issuer": doc.issuer, "kind": doc.kind, "title": doc.title, "status": doc.status,
            "number": doc.number, "urgency": doc.urgency, "section": doc.section, "signed_post": doc.signed_post,
            "signed_at": doc.signed_at, "issued_on": doc.issued_on,
            "warnings": r.title_warnings(r.TITLE_LENGTH.params, title=doc.title)}


def _doc(request, doc_id: int):
    from jiceng.office.models import OutgoingDocument

    return get_visible(OutgoingDocument, request.auth, doc_id)


@router.get("/documents", summary="Outgoing document register")
def list_documents(request, status: str | None = None, after: int | None = None,
                   limit: int = Query(50, ge=1, le=PAGE_MAX)):
    from jiceng.office.models import OutgoingDocument

    qs = OutgoingDocument.objects.visible_to(request.auth)
    if status:
        qs = qs.filter(status=status)
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [_doc_dict(d) for d in rows], "next_after": next_after}


@router.post("/documents", response={201: dict}, summary="A-DOC-02/12: draft an outgoing document")
def create_document(request, payload: DocumentIn):
    street = get_visible(Area, request.auth, payload.area)
    doc = services.draft_document(request.auth, street=street, issuer=payload.issuer, kind=payload.kind,
                                  issuer_code=payload.issuer_code, title=payload.title, recipients=payload.recipients,
                                  body=payload.body, section=payload.section, urgency=payload.urgency)
    return Status(201, _doc_dict(doc))


@router.get("/documents/{int:doc_id}", summary="An outgoing document")
def get_document(request, doc_id: int):
    return {**_doc_dict(_doc(request, doc_id)), "body": _doc(request, doc_id).body}


@router.post("/documents/{int:doc_id}/steps/{step}", summary="A-DOC-10: the next step",
             description="`checked`, `rechecked`, `proofread`, `printed`, `sealed`, `issued` (office); `reviewed` "
             "(leader in charge, A-DOC-13); `signed_off` (A-DOC-14 signatory); `registered` (numbering, A-FMT-11).")
def document_step(request, doc_id: int, step: str):
    doc = _doc(request, doc_id)
    if step == "reviewed":
        services.review(request.auth, doc)
    elif step == "signed_off":
        services.sign_off(request.auth, doc)
    elif step == "registered":
        services.register(request.auth, doc)
    else:
        services.advance(request.auth, doc, step=step)
    return _doc_dict(_doc(request, doc_id))


@router.patch("/documents/{int:doc_id}", summary="A-DOC-15: edit; after sign-off the sign-off is void")
def edit_document(request, doc_id: int, payload: EditIn):
    services.edit(request.auth, _doc(request, doc_id), title=payload.title, body=payload.body)
    return _doc_dict(_doc(request, doc_id))


@router.get("/documents/{int:doc_id}/docx", summary="The document as .docx (GB/T 9704 layout)")
def document_docx(request, doc_id: int):
    from jiceng.office.docx import render

    doc = _doc(request, doc_id)
    response = HttpResponse(render(doc),
                            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="document-{doc.pk}.docx"'
    return response


@router.post("/seal-uses", response={201: dict}, summary="A-SEAL-11: request a seal use (routed by purpose)")
def create_seal_use(request, payload: SealIn):
    street = get_visible(Area, request.auth, payload.area)
    document = _doc(request, payload.document) if payload.document is not None else None
    use = services.request_seal(request.auth, street=street, seal=payload.seal, purpose=payload.purpose,
                                description=payload.description, copies=payload.copies, document=document,
                                take_out=payload.take_out)
    return Status(201, {"id": use.pk, "approver_post": use.approver_post, "status": use.status})


def _seal(request, use_id: int):
    from jiceng.office.models import SealUse

    return get_visible(SealUse, request.auth, use_id)


@router.post("/seal-uses/{int:use_id}/approve", summary="A-SEAL-11/12: the purpose's approver consents")
def approve_seal(request, use_id: int, payload: SealApproveIn):
    use = services.approve_seal(request.auth, _seal(request, use_id), signed=payload.signed)
    return {"id": use.pk, "status": use.status}


@router.post("/seal-uses/{int:use_id}/use", summary="A-SEAL-10: the keeper seals; the requester signs the register")
def use_seal(request, use_id: int, payload: SealUseIn):
    use = services.use_seal(request.auth, _seal(request, use_id), requester_signature=payload.requester_signature)
    return {"id": use.pk, "status": use.status}


# Rooms, vehicles, reception, reports ---------------------------------------------------------------------------

class RoomBookingIn(Schema):
    room: int
    section: str
    purpose: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class VehicleBookingIn(Schema):
    vehicle: int
    section: str
    purpose: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    private_use: bool = False
    for_principal: bool = False


class ReceptionIn(Schema):
    area: int
    visitors: str
    guests: int
    staff_count: int
    host_section: str
    visit_on: datetime.date
    gift: bool = False


class ReportIn(Schema):
    area: int
    kind: str
    period_start: datetime.date
    title: str
    submitted_on: datetime.date | None = None
    section: str = ""
    addressed_to: str = ""
    urgent: bool = False


def _booking_dict(b) -> dict:
    return {"id": b.pk, "room": b.room_id, "section": b.section, "purpose": b.purpose, "starts_at": b.starts_at,
            "ends_at": b.ends_at, "released_at": b.released_at}


@router.get("/room-bookings", summary="Bookings of the rooms in scope from a day on")
def list_room_bookings(request, room: int | None = None, start: datetime.date | None = None, days: int = Query(
        7, ge=1, le=62)):
    from jiceng.office.models import RoomBooking

    start = start or staff.today()
    qs = RoomBooking.objects.visible_to(request.auth).filter(
        released_at__isnull=True, starts_at__date__gte=start, starts_at__date__lt=start + datetime.timedelta(days=days))
    if room is not None:
        qs = qs.filter(room_id=room)
    return {"items": [_booking_dict(b) for b in qs.order_by("starts_at")[:500]]}


@router.post("/room-bookings", response={201: dict},
             summary="A-ROOM-02: book a room; an overlap is 422 `room_double_booked` naming the holder")
def book_room(request, payload: RoomBookingIn):
    from jiceng.office.models import Room

    booking = services.book_room(request.auth, room=get_visible(Room, request.auth, payload.room),
                                 section=payload.section, purpose=payload.purpose, starts_at=payload.starts_at,
                                 ends_at=payload.ends_at)
    return Status(201, _booking_dict(booking))


@router.post("/vehicle-bookings", response={201: dict}, summary="A-VEH-01/03: book a pool vehicle")
def book_vehicle(request, payload: VehicleBookingIn):
    from jiceng.office.models import Vehicle

    booking = services.book_vehicle(request.auth, vehicle=get_visible(Vehicle, request.auth, payload.vehicle),
                                    section=payload.section, purpose=payload.purpose, starts_at=payload.starts_at,
                                    ends_at=payload.ends_at, private_use=payload.private_use,
                                    for_principal=payload.for_principal)
    return Status(201, {"id": booking.pk, "status": booking.status})


@router.post("/receptions", response={201: dict}, summary="A-RECP-04/14: plan an official reception")
def plan_reception(request, payload: ReceptionIn):
    reception = services.plan_reception(request.auth, street=get_visible(Area, request.auth, payload.area),
                                        visitors=payload.visitors, guests=payload.guests,
                                        staff_count=payload.staff_count, host_section=payload.host_section,
                                        visit_on=payload.visit_on, gift=payload.gift)
    return Status(201, {"id": reception.pk, "status": reception.status, "settle_due_on": reception.settle_due_on})


@router.post("/work-reports", response={201: dict}, summary="A-RPT-01/02/04: record a work report or summary")
def submit_report(request, payload: ReportIn):
    report = services.submit_report(request.auth, street=get_visible(Area, request.auth, payload.area),
                                    kind=payload.kind, period_start=payload.period_start, title=payload.title,
                                    submitted_on=payload.submitted_on, section=payload.section,
                                    addressed_to=payload.addressed_to, urgent=payload.urgent)
    return Status(201, {"id": report.pk, "kind": report.kind, "submitted_on": report.submitted_on})
