"""Disclosure API (issue #4 contract): boards, the workflow steps, the public feedback box and replies.
Thin: parse, find what the user may see (404 otherwise), call the services."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.core.errors import NotFound, ValidationFailed
from jiceng.core.throttle import client_key, throttle
from jiceng.disclosure import feedback as feedback_services
from jiceng.disclosure import obligations, services
from jiceng.disclosure.models import Board, DisclosureItem, Feedback
from jiceng.disclosure.presenters import public_feedback, public_item, staff_feedback, staff_item
from jiceng.disclosure.public import board_items, public_community
from jiceng.meetings.models import AgendaItem, Meeting
from jiceng.orgs.models import Area
from jiceng.orgs.services import get_visible
from jiceng.rules.disclosure import CATEGORIES, TABLE_KINDS, TIMING_CLASSES

from .common import PAGE_MAX, keyset

router = Router(tags=["disclosure"])


class ItemIn(Schema):
    community: int
    board: Board
    category: str
    timing_class: str
    title: str
    body: str = ""
    tables: list[dict] = []
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    withdraw_on: datetime.date | None = None
    results_of: int | None = None
    occurred_at: datetime.datetime | None = None


class ItemPatch(Schema):
    category: str | None = None
    timing_class: str | None = None
    title: str | None = None
    body: str | None = None
    tables: list[dict] | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    withdraw_on: datetime.date | None = None


class ReviewIn(Schema):
    approved: bool = True
    note: str = ""
    occurred_at: datetime.datetime | None = None


class DecisionIn(Schema):
    agenda_item: int


class SignIn(Schema):
    occurred_at: datetime.datetime | None = None


class PublishIn(Schema):
    published_at: datetime.datetime | None = None
    withdraw_on: datetime.date | None = None


class WithdrawIn(Schema):
    reason: str
    withdrawn_at: datetime.datetime | None = None


class CorrectIn(ItemPatch):
    reason: str


class FeedbackIn(Schema):
    kind: Feedback.Kind
    text: str
    name: str = ""
    phone: str = ""
    household: str = ""
    website: str = ""  # a honeypot: people leave it empty, form-filling robots do not


class FeedbackOut(Schema):
    tracking_code: str
    due_on: datetime.date
    status: str


class ReplyIn(Schema):
    text: str
    public: bool = True
    face_to_face_on: datetime.date | None = None
    replied_at: datetime.datetime | None = None


def _item(request, item_id: int) -> DisclosureItem:
    return get_visible(DisclosureItem, request.auth, item_id)


def _personal(request, community: Area) -> bool:
    return scope.has_perm(request.auth, Perm.VIEW_PERSONAL_DATA, community)


def _changes(payload: Schema) -> dict:
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if k in services.CONTENT_FIELDS}


# Catalogue ---------------------------------------------------------------------------------------------

@router.get("/disclosure-categories", auth=None, summary="E-01/E-02/E-03: the boards' categories and timing classes")
def categories(request):
    return {"boards": {board: [{"code": code, "label": label, "tables": list(TABLE_KINDS.get(code, ()))}
                               for code, label in labels.items()] for board, labels in CATEGORIES.items()},
            "timing_classes": [{"code": code, "label": zh, "label_en": en}
                               for code, (zh, en) in TIMING_CLASSES.items()]}


# Staff -------------------------------------------------------------------------------------------------

@router.get("/disclosures", summary="Disclosure items in your scope",
            description="Filter by `community`, `board`, `status`, `category`; keyset pages by `after`.")
def list_items(request, community: int | None = None, board: Board | None = None,
               status: DisclosureItem.Status | None = None, category: str | None = None,
               after: int | None = None, limit: int = Query(50, ge=1, le=PAGE_MAX)):
    qs = DisclosureItem.objects.visible_to(request.auth).select_related(
        "community", "created_by", "reviewed_by", "signed_by", "published_by", "superseded_by"
    ).prefetch_related("attachments")
    if community is not None:
        qs = qs.filter(community=get_visible(Area, request.auth, community))
    if board:
        qs = qs.filter(board=board)
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [staff_item(i) for i in rows], "next_after": next_after}


@router.post("/disclosures", response={201: dict}, summary="R-PDISC-05 / R-RDISC-03: draft an item",
             description="Party board: only the designated person (`not_designated_collector`); residents' board: "
             "a member of the residents committee (`not_residents_committee`). Tables are checked: totals must add "
             "up (`totals_do_not_add_up`).")
def create_item(request, payload: ItemIn):
    community = get_visible(Area, request.auth, payload.community)
    meeting = get_visible(Meeting, request.auth, payload.results_of) if payload.results_of else None
    item = services.create_item(
        request.auth, community=community, board=payload.board, category=payload.category,
        timing_class=payload.timing_class, title=payload.title, body=payload.body, tables=payload.tables,
        period_start=payload.period_start, period_end=payload.period_end, withdraw_on=payload.withdraw_on,
        results_of=meeting, occurred_at=payload.occurred_at)
    return Status(201, staff_item(item))


@router.get("/disclosures/{int:item_id}", summary="One item with its steps")
def get_item(request, item_id: int):
    return staff_item(_item(request, item_id))


@router.patch("/disclosures/{int:item_id}", summary="Edit a draft (409 `item_immutable` once under way)")
def edit_item(request, item_id: int, payload: ItemPatch):
    return staff_item(services.update_draft(request.auth, _item(request, item_id), **_changes(payload)))


@router.post("/disclosures/{int:item_id}/attachments", response={201: dict},
             summary="Attach a file to a draft (PDF, JPG, PNG, DOCX, XLSX; size limited)")
def attach(request, item_id: int, file: File[UploadedFile]):
    item = services.attach(request.auth, _item(request, item_id), name=file.name, content=file.read())
    return Status(201, staff_item(item))


@router.post("/disclosures/{int:item_id}/review", summary="R-RDISC-04: the supervision committee reviews a plan",
             description="`approved: false` returns the plan to the residents committee with the note. Only members "
             "of the supervision committee (`not_supervision_committee`); party items 409 `step_not_in_workflow`.")
def review(request, item_id: int, payload: ReviewIn):
    return staff_item(services.review(request.auth, _item(request, item_id), approved=payload.approved,
                                      note=payload.note, occurred_at=payload.occurred_at))


@router.post("/disclosures/{int:item_id}/decision",
             summary="R-PDISC-06 / R-RDISC-04: link the passed agenda item that decided it collectively")
def decision(request, item_id: int, payload: DecisionIn):
    agenda_item = AgendaItem.objects.filter(meeting__in=Meeting.objects.visible_to(request.auth),
                                            pk=payload.agenda_item).select_related("meeting__body").first()
    if agenda_item is None:
        raise NotFound()
    return staff_item(services.record_decision(request.auth, _item(request, item_id), agenda_item=agenda_item))


@router.post("/disclosures/{int:item_id}/sign", summary="R-PDISC-07: the party organisation's head signs")
def sign(request, item_id: int, payload: SignIn | None = None):
    occurred_at = payload.occurred_at if payload else None
    return staff_item(services.sign(request.auth, _item(request, item_id), occurred_at=occurred_at))


@router.post("/disclosures/{int:item_id}/publish", summary="Publish on the board and file it",
             description="422 `not_collectively_decided`, `signature_missing`, `supervision_review_missing`, "
             "`wrong_publisher`, `wrong_board` with the rule; the item's content is hashed and filed.")
def publish(request, item_id: int, payload: PublishIn | None = None):
    payload = payload or PublishIn()
    return staff_item(services.publish(request.auth, _item(request, item_id), published_at=payload.published_at,
                                       withdraw_on=payload.withdraw_on))


@router.post("/disclosures/{int:item_id}/withdraw", summary="Take an item off the board (kept in the archive)")
def withdraw(request, item_id: int, payload: WithdrawIn):
    return staff_item(services.withdraw(request.auth, _item(request, item_id), reason=payload.reason,
                                        withdrawn_at=payload.withdrawn_at))


@router.post("/disclosures/{int:item_id}/correct", response={201: dict},
             summary="Open a corrected version; the old one stays visible as superseded once it is published")
def correct(request, item_id: int, payload: CorrectIn):
    item = services.correct(request.auth, _item(request, item_id), reason=payload.reason, **_changes(payload))
    return Status(201, staff_item(item))


@router.get("/disclosure-obligations", summary="Periodic publications per community: met, late, due, overdue")
def list_obligations(request, community: int, on: datetime.date | None = None):
    area = get_visible(Area, request.auth, community)
    if area.level != Area.Level.COMMUNITY:
        raise ValidationFailed("请选择一个社区。", "Choose a community.", facts={"field": "community"})
    return {"community": area.pk, "obligations": [o.as_dict() for o in obligations.obligations(area, on or _today())]}


@router.get("/disclosure-status", summary="The street dashboard: per community what is overdue or unanswered")
def street_status(request, street: int, on: datetime.date | None = None):
    area = get_visible(Area, request.auth, street)
    communities = list(Area.objects.below(area).filter(level=Area.Level.COMMUNITY).visible_to(request.auth)
                       .order_by("code")[:PAGE_MAX * 10])
    return {"street": area.pk, "communities": [s.as_dict() for s in obligations.street_status(communities,
                                                                                              on or _today())]}


@router.get("/feedback", summary="Feedback messages in your scope",
            description="Filter by `community`, `status` (open|answered), `overdue=true`.")
def list_feedback(request, community: int | None = None, status: Feedback.Status | None = None,
                  overdue: bool = False, after: int | None = None, limit: int = Query(50, ge=1, le=PAGE_MAX)):
    qs = Feedback.objects.visible_to(request.auth).select_related("community")
    if community is not None:
        qs = qs.filter(community=get_visible(Area, request.auth, community))
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=Feedback.Status.OPEN, due_on__lt=_today())
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [staff_feedback(f, personal=_personal(request, f.community)) for f in rows],
            "next_after": next_after}


@router.post("/feedback/{int:feedback_id}/reply", summary="A-OPEN-23: answer a message",
             description="Only the board's officers. Reports (检举) are answered privately; a named suggestion needs "
             "`face_to_face_on` (`face_to_face_missing`). 409 `already_answered`.")
def reply(request, feedback_id: int, payload: ReplyIn):
    feedback = get_visible(Feedback, request.auth, feedback_id)
    feedback = feedback_services.reply(request.auth, feedback, text=payload.text, public=payload.public,
                                       face_to_face_on=payload.face_to_face_on, replied_at=payload.replied_at)
    return staff_feedback(feedback, personal=_personal(request, feedback.community))


# Public (no account) -----------------------------------------------------------------------------------

@router.get("/public/communities/{int:community_id}/boards/{board}", auth=None, summary="A public board (no account)",
            description="Published items, newest first, with superseded versions marked; filter by `category` and "
                        "by a `period` (YYYY or YYYY-MM) the item covers or was published in.")
def public_board(request, community_id: int, board: str, category: str | None = None, period: str | None = None):
    community = public_community(community_id)
    if board not in Board.values:
        raise NotFound()
    items = board_items(community, board, category=category, period=period)
    return {"community": {"id": community.pk, "name": community.name}, "board": board,
            "items": [public_item(i) for i in items]}


@router.get("/public/disclosures/{int:item_id}", auth=None, summary="One published item (no account)")
def public_disclosure(request, item_id: int):
    item = DisclosureItem.objects.on_board().select_related("community").filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    return public_item(item)


def _submit(request: HttpRequest, community: Area, board: str, item: DisclosureItem | None, payload: FeedbackIn):
    if payload.website:
        raise ValidationFailed("提交未被接受。", "The message was not accepted.", code="rejected_as_spam")
    throttle(client_key(request))
    feedback = feedback_services.submit(community=community, board=board, item=item, kind=payload.kind,
                                        text=payload.text, name=payload.name, phone=payload.phone,
                                        household=payload.household)
    return Status(201, {"tracking_code": feedback.tracking_code, "due_on": feedback.due_on, "status": feedback.status})


@router.post("/public/disclosures/{int:item_id}/feedback", auth=None, response={201: FeedbackOut},
             summary="R-PDISC-03: send a question, opinion, objection or report on an item (no account)",
             description="Returns a tracking code and the reply deadline. Objections (`kind: objection`, residents' "
             "items only) need `household` (building and room) and count once per household (409 "
             "`objection_already_recorded`). 429 `rate_limited` when one address sends too many.")
def item_feedback(request, item_id: int, payload: FeedbackIn):
    item = DisclosureItem.objects.on_board().select_related("community").filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    return _submit(request, item.community, item.board, item, payload)


@router.post("/public/communities/{int:community_id}/boards/{board}/feedback", auth=None,
             response={201: FeedbackOut}, summary="Send feedback on a whole board (no account)")
def board_feedback(request, community_id: int, board: str, payload: FeedbackIn):
    community = public_community(community_id)
    if board not in Board.values:
        raise NotFound()
    return _submit(request, community, board, None, payload)


@router.get("/public/feedback/{code}", auth=None, summary="Follow a message by its tracking code (no account)")
def track(request, code: str):
    feedback = feedback_services.by_tracking_code(code)
    if feedback is None:
        raise NotFound()
    return public_feedback(feedback)


def _today() -> datetime.date:
    return timezone.localdate()
