"""Finance API (issue #9 part 5): expense claims with their approval route, vouchers, ledgers, budgets and monthly
statements. Thin: parse, find what the user may see (404 otherwise), call the services, present."""

from __future__ import annotations

import datetime

from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jiceng.core import uploads
from jiceng.core.errors import NotFound, ValidationFailed
from jiceng.finance import queries, services
from jiceng.finance.models import Claim, FinancePost, Ledger, Statement, Voucher
from jiceng.finance.money import yuan
from jiceng.finance.presenters import claim_detail, claim_summary, entry_row, ledger_summary, statement_detail
from jiceng.orgs.models import Area, Person
from jiceng.orgs.services import get_visible

from .common import PAGE_MAX, keyset, visible_agenda_item

router = Router(tags=["finance"])


class ExpenseIn(Schema):
    community: int | None = None
    street: int | None = None
    amount: str | int | float
    purpose: str
    claimant: int
    kind: str = "ordinary"
    claimed_on: datetime.date | None = None


class NoteIn(Schema):
    note: str = ""


class ReasonIn(Schema):
    reason: str = ""


class DecisionIn(Schema):
    agenda_item: int | None = None
    decided_on: datetime.date | None = None
    reference: str = ""


class PayIn(Schema):
    ledger: int
    occurred_on: datetime.date | None = None


class LedgerIn(Schema):
    area: int
    kind: str
    opened_on: datetime.date
    opening: str | int | float = "0"


class EntryIn(Schema):
    occurred_on: datetime.date
    direction: str
    amount: str | int | float
    summary: str
    category: str
    vouchers: list[int] = []


class BudgetIn(Schema):
    area: int
    year: int
    amount: str | int | float
    note: str = ""


class StatementIn(Schema):
    area: int
    year: int
    month: int


class PostIn(Schema):
    person: int
    area: int
    post: str
    start_on: datetime.date
    end_on: datetime.date | None = None


def _claim(request, claim_id: int) -> Claim:
    claim = (queries.claims_visible(request.auth).prefetch_related("vouchers", "steps__signed_by")
             .filter(pk=claim_id).first())
    if claim is None:
        raise NotFound()
    return claim


def _area(request, area_id: int) -> Area:
    return get_visible(Area, request.auth, area_id)


def _claimant(request, person_id: int) -> Person:
    person = Person.objects.visible_to(request.auth).filter(pk=person_id).first()
    if person is None:
        raise ValidationFailed("经办人不存在或不在您的范围内。", "Unknown claimant.", code="unknown_claimant",
                               facts={"field": "claimant"})
    return person


@router.post("/expenses", response={201: dict}, summary="A-FIN-07 / A-FIN-34..39: file an expense claim",
             description="Exactly one of `community` or `street` (area ids). `amount` in yuan with at most two "
             "decimals. Answers the claim with its `route` (approver role identifiers in order), "
             "`decision_required`, `decision_body`, `filing_required`. 400 for bad input.")
def create_expense(request, payload: ExpenseIn):
    if (payload.community is None) == (payload.street is None):
        raise ValidationFailed("请指定社区或街道之一。", "Give exactly one of community or street.",
                               code="invalid_area", facts={"field": "community"})
    level = Area.Level.COMMUNITY if payload.community is not None else Area.Level.STREET
    area = _area(request, payload.community if payload.community is not None else payload.street)
    if area.level != level:
        raise ValidationFailed(f"区域「{area}」不是{Area.Level(level).label}。", f"{area.code} is not a {level}.",
                               code="invalid_area", facts={"field": level})
    claim = services.create_claim(request.auth, area=area, amount=payload.amount, purpose=payload.purpose,
                                  claimant=_claimant(request, payload.claimant), kind=payload.kind,
                                  claimed_on=payload.claimed_on)
    return Status(201, claim_detail(_claim(request, claim.pk)))


@router.get("/expenses", summary="Claims in your scope", description="Filter by `area`, `status`; `mine=true` "
            "lists the claims waiting for your signature.")
def list_expenses(request, area: int | None = None, status: Claim.Status | None = None, mine: bool = False,
                  after: int | None = None, limit: int = Query(50, ge=1, le=PAGE_MAX)):
    qs = queries.awaiting(request.auth) if mine else queries.claims_visible(request.auth)
    if area is not None:
        qs = qs.filter(area=_area(request, area))
    if status:
        qs = qs.filter(status=status)
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [claim_summary(c) for c in rows], "next_after": next_after}


@router.get("/expenses/{int:claim_id}", summary="A claim with its route, signatures, decision and vouchers")
def get_expense(request, claim_id: int):
    return claim_detail(_claim(request, claim_id))


@router.post("/expenses/{int:claim_id}/approve", summary="Sign the next step you hold the post for",
             description="422 `own_claim` (A-FIN-39), `step_out_of_order` (A-FIN-36 / A-FIN-07), `decision_required` "
             "(A-FIN-07 / A-FIN-35), `repair_audit_report_missing` (A-FIN-34), `same_signer`; 403 `not_on_route`.")
def approve(request, claim_id: int, payload: NoteIn | None = None):
    services.approve(request.auth, _claim(request, claim_id), note=payload.note if payload else "")
    return claim_detail(_claim(request, claim_id))


@router.post("/expenses/{int:claim_id}/reject", summary="A-FIN-37: refuse a claim with the reason")
def reject(request, claim_id: int, payload: ReasonIn):
    services.reject(request.auth, _claim(request, claim_id), reason=payload.reason)
    return claim_detail(_claim(request, claim_id))


@router.post("/expenses/{int:claim_id}/decision", summary="Record the member congress / working committee decision",
             description="Either `agenda_item` (a passed item of the right meeting of the claim's area) or "
             "`decided_on` with `reference`.")
def decision(request, claim_id: int, payload: DecisionIn):
    item = visible_agenda_item(request.auth, payload.agenda_item)
    services.record_decision(request.auth, _claim(request, claim_id), agenda_item=item,
                             decided_on=payload.decided_on, reference=payload.reference)
    return claim_detail(_claim(request, claim_id))


@router.post("/expenses/{int:claim_id}/vouchers", response={201: dict},
             summary="Attach a voucher (PDF, JPG, PNG, DOCX, XLSX); A-FIN-05 refuses `informal_slip`")
def add_claim_voucher(request, claim_id: int, file: File[UploadedFile], kind: Form[str] = "invoice"):
    claim = _claim(request, claim_id)
    services.add_voucher(request.auth, area=claim.area, claim=claim, kind=kind, name=file.name,
                         content=uploads.read(file))
    return Status(201, claim_detail(_claim(request, claim_id)))


@router.post("/expenses/{int:claim_id}/pay", response={201: dict}, summary="Pay an approved claim from a journal")
def pay(request, claim_id: int, payload: PayIn):
    ledger = get_visible(Ledger, request.auth, payload.ledger)
    entry = services.pay_claim(request.auth, _claim(request, claim_id), ledger=ledger,
                               occurred_on=payload.occurred_on)
    return Status(201, entry_row(entry))


@router.post("/vouchers", response={201: dict}, summary="Register a voucher for a journal entry")
def add_voucher(request, file: File[UploadedFile], area: Form[int], kind: Form[str] = "receipt"):
    voucher = services.add_voucher(request.auth, area=_area(request, area), kind=kind, name=file.name,
                                   content=uploads.read(file))
    return Status(201, {"id": voucher.pk, "kind": voucher.kind, "name": voucher.name, "sha256": voucher.sha256})


@router.get("/ledgers", summary="Cash and bank journals in your scope")
def list_ledgers(request, area: int | None = None):
    qs = Ledger.objects.visible_to(request.auth).order_by("area__path", "kind")
    if area is not None:
        qs = qs.filter(area=_area(request, area))
    return {"items": [ledger_summary(ledger) for ledger in qs[:PAGE_MAX]]}


@router.post("/ledgers", response={201: dict}, summary="Open a cash or bank journal")
def open_ledger(request, payload: LedgerIn):
    ledger = services.open_ledger(request.auth, area=_area(request, payload.area), kind=payload.kind,
                                  opened_on=payload.opened_on, opening=payload.opening)
    return Status(201, ledger_summary(ledger))


@router.get("/ledgers/{int:ledger_id}", summary="A journal with its entries (running balance) and a check")
def get_ledger(request, ledger_id: int, after: int | None = None, limit: int = Query(100, ge=1, le=PAGE_MAX)):
    ledger = get_visible(Ledger, request.auth, ledger_id)
    rows, next_after = keyset(ledger.entries.all(), after=after, limit=limit, order="seq")
    return {**ledger_summary(ledger), "items": [entry_row(e) for e in rows], "next_after": next_after,
            "problems": services.verify_ledger(ledger)}


@router.post("/ledgers/{int:ledger_id}/entries", response={201: dict},
             summary="A-FIN-02: book a receipt or payment with its vouchers")
def post_entry(request, ledger_id: int, payload: EntryIn):
    ledger = get_visible(Ledger, request.auth, ledger_id)
    vouchers = list(Voucher.objects.visible_to(request.auth).filter(pk__in=payload.vouchers))
    if len(vouchers) != len(set(payload.vouchers)):
        raise ValidationFailed("凭证不存在。", "Unknown voucher.", facts={"field": "vouchers"})
    entry = services.post_entry(request.auth, ledger, occurred_on=payload.occurred_on, direction=payload.direction,
                                amount=payload.amount, summary=payload.summary, category=payload.category,
                                vouchers=vouchers)
    return Status(201, entry_row(entry))


@router.post("/finance/budgets", response={201: dict}, summary="Set the year's budget of an area")
def set_budget(request, payload: BudgetIn):
    area = _area(request, payload.area)
    services.set_budget(request.auth, area=area, year=payload.year, amount=payload.amount, note=payload.note)
    return Status(201, budget(request, area.pk, payload.year))


@router.get("/finance/budgets/{int:area_id}/{int:year}", summary="Budget against spending")
def budget(request, area_id: int, year: int):
    usage = services.budget_usage(_area(request, area_id), year)
    return {"year": year, "area": area_id,
            **{k.removesuffix("_fen"): (yuan(v) if isinstance(v, int) and not isinstance(v, bool) else v)
               for k, v in usage.items() if k != "year"}}


@router.get("/finance/statements", summary="Monthly statements in your scope")
def list_statements(request, area: int | None = None):
    qs = Statement.objects.visible_to(request.auth)
    if area is not None:
        qs = qs.filter(area=_area(request, area))
    return {"items": [statement_detail(s) for s in qs[:PAGE_MAX]]}


@router.post("/finance/statements", response={201: dict}, summary="A-FIN-43: draw up a month's statement")
def draw_up(request, payload: StatementIn):
    statement = services.draw_up_statement(request.auth, area=_area(request, payload.area), year=payload.year,
                                           month=payload.month)
    return Status(201, statement_detail(statement))


@router.get("/finance/statements/{int:statement_id}", summary="A monthly statement")
def get_statement(request, statement_id: int):
    return statement_detail(get_visible(Statement, request.auth, statement_id))


@router.post("/finance/statements/{int:statement_id}/publish", response={201: dict},
             summary="Put the statement on the residents'-affairs board (draft item, category R02)")
def publish_statement(request, statement_id: int):
    item = services.publish_statement(request.auth, get_visible(Statement, request.auth, statement_id))
    return Status(201, {"disclosure_item": item.pk, "status": item.status})


@router.get("/finance/posts", summary="Finance posts held in an area")
def list_posts(request, area: int):
    qs = FinancePost.objects.visible_to(request.auth).filter(area=_area(request, area)).select_related("person")
    return {"items": [{"id": p.pk, "person": p.person_id, "post": p.post, "start_on": p.start_on.isoformat(),
                       "end_on": p.end_on.isoformat() if p.end_on else None} for p in qs[:PAGE_MAX]]}


@router.post("/finance/posts", response={201: dict}, summary="A-FIN-01: assign a finance post")
def assign_post(request, payload: PostIn):
    row = services.assign_post(request.auth, person=_claimant(request, payload.person),
                               area=_area(request, payload.area), post=payload.post, start_on=payload.start_on,
                               end_on=payload.end_on)
    return Status(201, {"id": row.pk, "person": row.person_id, "post": row.post})


class PostEndIn(Schema):
    end_on: datetime.date
    audit_ref: str = ""
    successor: int | None = None
    handover_note: str = ""


@router.post("/finance/posts/{int:post_id}/end", summary="A-FIN-09: end a post (fund holders: audit and handover)")
def end_post(request, post_id: int, payload: PostEndIn):
    row = get_visible(FinancePost, request.auth, post_id)
    successor = _claimant(request, payload.successor) if payload.successor is not None else None
    row = services.end_post(request.auth, row, end_on=payload.end_on, audit_ref=payload.audit_ref,
                            successor=successor, handover_note=payload.handover_note)
    return {"id": row.pk, "post": row.post, "end_on": row.end_on.isoformat()}
