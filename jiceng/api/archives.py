"""Archives API (issue #5, 一事一档): dossiers with their records and hashes, the verifiable .zip export, loans and
the archivist's handover. Thin: parse, find what the user may see (404 otherwise), call the services."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status

from jiceng.accounts.models import Account
from jiceng.archives import appraisals, services
from jiceng.archives.models import Appraisal, Dossier, ExportApproval, Handover, Loan
from jiceng.core.errors import NotFound, ValidationFailed
from jiceng.orgs.models import Area, Person
from jiceng.orgs.services import get_visible

from .common import PAGE_MAX, area_ref, keyset

router = Router(tags=["archives"])


class LoanIn(Schema):
    borrower_name: str
    borrower_unit: str
    purpose: str
    due_on: datetime.date | None = None
    external: bool = False
    introduction_letter: str | None = None
    approved_by: int | None = None  # user id of the approver
    allow_copy: bool = False
    borrower: int | None = None     # person id, needed for party-committee files (A-ARC-27)
    lent_on: datetime.date | None = None


class ReturnIn(Schema):
    returned_on: datetime.date | None = None
    feedback: str = ""


class HandoverIn(Schema):
    community: int
    outgoing: int
    successor: int
    items: list[str]
    handed_over_on: datetime.date
    outgoing_signed: bool = False
    successor_signed: bool = False


class ApprovalIn(Schema):
    recipient: str
    purpose: str
    approved_by: int
    approved_on: datetime.date | None = None


class AppraiserIn(Schema):
    person: int
    function: str  # head | deputy_head | member


class AppraisalIn(Schema):
    area: int
    members: list[AppraiserIn]


class OpinionIn(Schema):
    dossier: int
    verdict: str          # keep | destroy
    retention: str = ""   # the new class of a kept dossier
    reason: str = ""


class DestructionApprovalIn(Schema):
    approved_by: int | None = None  # user id of the street office director
    approved_on: datetime.date | None = None


class BureauFilingIn(Schema):
    filed_on: datetime.date
    reference: str


class DestroyIn(Schema):
    destroyer: int | None = None
    witnesses: list[int] = []
    all_signed: bool = False
    method: str               # pulping | burning
    place: str
    destroyed_at: datetime.datetime | None = None
    register_entry: str = ""  # A-ARC-38, for classified files


def appraisal_out(a: Appraisal) -> dict:
    return {"id": a.pk, "area": area_ref(a.area), "status": a.status, "opened_at": a.opened_at,
            "members": [{"person": m.person_id, "function": m.function} for m in a.members.all()],
            "opinions": [{"dossier": o.dossier_id, "verdict": o.verdict, "retention": o.retention,
                          "reason": o.reason} for o in a.opinions.all()],
            "destruction_list": a.destruction_list, "approved_by": a.approved_by_id, "approved_on": a.approved_on,
            "bureau_filed_on": a.bureau_filed_on, "bureau_reference": a.bureau_reference,
            "destroyer": a.destroyer_id, "witnesses": [w.pk for w in a.witnesses.all()], "method": a.method,
            "place": a.place, "destroyed_at": a.destroyed_at, "register_entry": a.register_entry}


def dossier_out(d: Dossier) -> dict:
    return {"id": d.pk, "area": area_ref(d.area), "series": d.series, "key": d.key, "title": d.title,
            "retention": d.retention, "retention_until": d.retention_until, "closed_on": d.closed_on,
            "party_committee": d.party_committee, "classification": d.classification,
            "destroyed_on": d.destroyed_on, "created_at": d.created_at}


def loan_out(loan: Loan) -> dict:
    return {"id": loan.pk, "dossier": loan.dossier_id, "borrower_name": loan.borrower_name,
            "borrower_unit": loan.borrower_unit, "borrower": loan.borrower_id, "purpose": loan.purpose,
            "external": loan.external, "introduction_letter": loan.introduction_letter,
            "approved_by": loan.approved_by_id, "allow_copy": loan.allow_copy, "lent_on": loan.lent_on,
            "due_on": loan.due_on, "returned_on": loan.returned_on, "feedback": loan.feedback}


def handover_out(h: Handover) -> dict:
    return {"id": h.pk, "community": h.community_id, "outgoing": h.outgoing_id, "successor": h.successor_id,
            "items": h.items, "item_count": h.item_count, "handed_over_on": h.handed_over_on,
            "outgoing_signed": h.outgoing_signed, "successor_signed": h.successor_signed}


def _user(user_id: int | None, field: str):
    if user_id is None:
        return None
    account = Account.objects.filter(user_id=user_id, user__is_active=True).select_related("user").first()
    if account is None:
        raise ValidationFailed("找不到该批准人账号。", "No such approver account.", facts={"field": field})
    return account.user


def _person(request, person_id: int | None) -> Person | None:
    return get_visible(Person, request.auth, person_id) if person_id is not None else None


@router.get("/dossiers", summary="Dossiers in your scope", description="Filter by `area` (and below) and `series`.")
def list_dossiers(request, area: int | None = None, series: Dossier.Series | None = None, after: int | None = None,
                  limit: int = Query(50, ge=1, le=PAGE_MAX)):
    qs = Dossier.objects.visible_to(request.auth).current().select_related("area")
    if area is not None:
        qs = qs.filter(area__in=Area.objects.below(get_visible(Area, request.auth, area)))
    if series:
        qs = qs.filter(series=series)
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [dossier_out(d) for d in rows], "next_after": next_after}


@router.get("/dossiers/{int:dossier_id}", summary="One dossier with its records and their SHA-256")
def get_dossier(request, dossier_id: int):
    dossier = get_visible(Dossier, request.auth, dossier_id)
    records = dossier.records.order_by("sequence").only(
        "sequence", "kind", "title", "media_type", "sha256", "source_type", "source_id", "occurred_at", "filed_at")
    return {**dossier_out(dossier),
            "records": [{"sequence": r.sequence, "kind": r.kind, "title": r.title, "media_type": r.media_type,
                         "sha256": r.sha256, "source_type": r.source_type, "source_id": r.source_id,
                         "occurred_at": r.occurred_at, "filed_at": r.filed_at} for r in records],
            "loans": [loan_out(loan) for loan in dossier.loans.all()[:50]]}


@router.get("/dossiers/{int:dossier_id}/export.zip", summary="The dossier as a verifiable .zip",
            description="`approval=<id>` exports for the outside party an approval names (A-SEC-01); check the file "
            "offline with `jiceng verify --dossier file.zip`.")
def export_dossier(request, dossier_id: int, approval: int | None = None):
    dossier = get_visible(Dossier, request.auth, dossier_id)
    approved = ExportApproval.objects.filter(dossier=dossier, pk=approval).first() if approval is not None else None
    data = services.export_dossier(request.auth, dossier, external=approval is not None, approval=approved)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="dossier-{dossier.pk}.zip"'
    return response


@router.post("/dossiers/{int:dossier_id}/export-approvals", response={201: dict},
             summary="A-SEC-01: record a street leader's approval to give the dossier to an outside party")
def approve_export(request, dossier_id: int, payload: ApprovalIn):
    dossier = get_visible(Dossier, request.auth, dossier_id)
    approval = services.approve_export(request.auth, dossier, recipient=payload.recipient, purpose=payload.purpose,
                                       approved_by_user=_user(payload.approved_by, "approved_by"),
                                       approved_on=payload.approved_on)
    return Status(201, {"id": approval.pk, "dossier": dossier.pk, "recipient": approval.recipient,
                        "approved_on": approval.approved_on})


@router.post("/dossiers/{int:dossier_id}/loans", response={201: dict}, summary="A-ARC-27/28/29: lend a dossier",
             description="422 `introduction_letter_missing`, `approval_missing`, `approver_not_entitled`, "
             "`borrower_not_entitled`, `copy_consent_missing`; 409 `already_on_loan`. Due date defaults to 7 days.")
def lend(request, dossier_id: int, payload: LoanIn):
    dossier = get_visible(Dossier, request.auth, dossier_id)
    loan = services.lend(
        request.auth, dossier, borrower_name=payload.borrower_name, borrower_unit=payload.borrower_unit,
        purpose=payload.purpose, due_on=payload.due_on, external=payload.external,
        introduction_letter=payload.introduction_letter, approved_by_user=_user(payload.approved_by, "approved_by"),
        allow_copy=payload.allow_copy, borrower=_person(request, payload.borrower), lent_on=payload.lent_on)
    return Status(201, loan_out(loan))


@router.post("/loans/{int:loan_id}/return", summary="Return a loan with feedback on its use (409 if returned)")
def return_loan(request, loan_id: int, payload: ReturnIn | None = None):
    payload = payload or ReturnIn()
    loan = get_visible(Loan, request.auth, loan_id)
    return loan_out(services.return_loan(request.auth, loan, returned_on=payload.returned_on,
                                         feedback=payload.feedback))


@router.post("/archives/handovers", response={201: dict},
             summary="R-ARCH-07 / A-ARC-33: record an archivist's handover",
             description="Both signatures and at least one item: 422 `handover_signature_missing`, "
             "`handover_items_missing`; then ending the archivist's post is allowed.")
def record_handover(request, payload: HandoverIn):
    community = get_visible(Area, request.auth, payload.community)
    outgoing, successor = _person(request, payload.outgoing), _person(request, payload.successor)
    if outgoing is None or successor is None:
        raise NotFound()
    handover = services.record_handover(
        request.auth, community=community, outgoing=outgoing, successor=successor, items=payload.items,
        handed_over_on=payload.handed_over_on, outgoing_signed=payload.outgoing_signed,
        successor_signed=payload.successor_signed)
    return Status(201, handover_out(handover))


# Appraisal and destruction (A-ARC-30/31/35/36/37/38) ------------------------------------------------------------

def _appraisal(request, appraisal_id: int) -> Appraisal:
    return get_visible(Appraisal, request.auth, appraisal_id)


@router.post("/archives/appraisals", response={201: dict}, summary="A-ARC-30: open an appraisal with its group",
             description="422 `appraisal_group_invalid` unless head = street office (deputy) director, deputy head = "
             "office director (党办主任), members = archivists and section staff with at least one archivist.")
def open_appraisal(request, payload: AppraisalIn):
    area = get_visible(Area, request.auth, payload.area)
    members = [(_person(request, m.person), m.function) for m in payload.members]
    return Status(201, appraisal_out(appraisals.open_appraisal(request.auth, area=area, members=members)))


@router.get("/archives/appraisals/{int:appraisal_id}", summary="One appraisal, its opinions and list")
def get_appraisal(request, appraisal_id: int):
    return appraisal_out(_appraisal(request, appraisal_id))


@router.post("/archives/appraisals/{int:appraisal_id}/opinions", response={201: dict},
             summary="A-ARC-31: keep (with a new retention class) or destroy one dossier",
             description="422 `retention_not_expired` for a destroy opinion on an unexpired or permanent file.")
def give_opinion(request, appraisal_id: int, payload: OpinionIn):
    appraisal = _appraisal(request, appraisal_id)
    dossier = get_visible(Dossier, request.auth, payload.dossier)
    opinion = appraisals.give_opinion(request.auth, appraisal, dossier=dossier, verdict=payload.verdict,
                                      retention=payload.retention, reason=payload.reason)
    return Status(201, {"id": opinion.pk, "dossier": dossier.pk, "verdict": opinion.verdict,
                        "retention": opinion.retention})


@router.post("/archives/appraisals/{int:appraisal_id}/approve",
             summary="A-ARC-31: the street director approves the destruction list",
             description="422 `destruction_list_empty`, `director_approval_missing`.")
def approve(request, appraisal_id: int, payload: DestructionApprovalIn):
    appraisal = appraisals.approve_destruction_list(
        request.auth, _appraisal(request, appraisal_id), approved_by_user=_user(payload.approved_by, "approved_by"),
        approved_on=payload.approved_on)
    return appraisal_out(appraisal)


@router.post("/archives/appraisals/{int:appraisal_id}/bureau-filing",
             summary="A-ARC-31: record the filing of the list with the district archives bureau",
             description="422 `director_approval_missing` before the approval.")
def bureau_filing(request, appraisal_id: int, payload: BureauFilingIn):
    appraisal = appraisals.record_bureau_filing(request.auth, _appraisal(request, appraisal_id),
                                                filed_on=payload.filed_on, reference=payload.reference)
    return appraisal_out(appraisal)


@router.post("/archives/appraisals/{int:appraisal_id}/destroy",
             summary="A-ARC-35/36/38: destroy the listed dossiers; report and list go into the fonds file",
             description="422 `director_approval_missing`, `bureau_filing_missing`, `destruction_persons`, "
             "`destruction_method_invalid`, `destruction_place_missing`, `classified_register_missing`. The "
             "records stay (append-only) as the register's evidence; the dossiers are marked destroyed.")
def destroy(request, appraisal_id: int, payload: DestroyIn):
    appraisal = appraisals.destroy(
        request.auth, _appraisal(request, appraisal_id), destroyer=_person(request, payload.destroyer),
        witnesses=[_person(request, pk) for pk in payload.witnesses], all_signed=payload.all_signed,
        method=payload.method, place=payload.place, destroyed_at=payload.destroyed_at,
        register_entry=payload.register_entry)
    return appraisal_out(appraisal)
