"""Meetings API (issue #3 contract). Thin: parse, find what the user may see (404 otherwise), call services."""

from __future__ import annotations

import datetime

from ninja import Query, Router, Schema, Status

from jiceng.core.errors import NotFound, ValidationFailed
from jiceng.meetings import services
from jiceng.meetings.models import AgendaItem, Kind, Meeting
from jiceng.meetings.queries import meeting_detail
from jiceng.orgs.models import Body, Person
from jiceng.orgs.services import get_visible

from .common import PAGE_MAX, keyset

router = Router(tags=["meetings"])

METHOD_ALIASES = {"secret_ballot": AgendaItem.Method.BALLOT, "hands": AgendaItem.Method.SHOW_OF_HANDS}


class MeetingIn(Schema):
    kind: Kind
    body: int
    title: str
    scheduled_at: datetime.datetime
    location: str = ""
    expected: list[int] | None = None
    level: str | None = None
    subject_category: str = ""
    evaluation_form: str = ""
    theme: str = ""


class NoticeIn(Schema):
    published_at: datetime.datetime
    text: str = ""


class OpinionIn(Schema):
    person: int
    text: str


class HoldIn(Schema):
    held_at: datetime.datetime
    present: list[int]
    chair: int | None = None
    recorder: int | None = None
    written_opinions: list[OpinionIn] = []
    leave: list[int] = []
    override_reason: str = ""


class ItemIn(Schema):
    title: str
    kind: AgendaItem.ItemKind = AgendaItem.ItemKind.ORDINARY
    topic: str = ""
    subject_person: int | None = None
    cadre_preconditions: dict[str, str] = {}
    override_reason: str = ""
    affects_residents: bool = False
    public_basis: str = ""
    public_hearing: int | None = None


class VoteChoiceIn(Schema):
    person: int
    choice: str


class VoteIn(Schema):
    method: str
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    votes: list[VoteChoiceIn] | None = None
    recused: list[int] = []
    candidates: list[int] | None = None
    override_reason: str = ""


class VoteOut(Schema):
    item: int
    outcome: str
    rule: str
    basis: dict


class ReasonIn(Schema):
    reason: str


class ResolveIn(Schema):
    resolution: str


class ConfirmIn(Schema):
    party: str


class ApproveIn(Schema):
    override_reason: str = ""


class ThemeIn(Schema):
    theme: str = ""


class ReportedIn(Schema):
    reported_at: datetime.datetime


class DutyReportIn(Schema):
    role: str
    person: int
    work_completed: str
    performance: str
    next_steps: str


class PublishedIn(Schema):
    published_on: datetime.date


class ExpectedIn(Schema):
    expected: list[int]


def _meeting(request, meeting_id: int) -> Meeting:
    return get_visible(Meeting, request.auth, meeting_id)


def _person(request, pk: int | None) -> Person | None:
    return None if pk is None else get_visible(Person, request.auth, pk)


def _detail(request, meeting: Meeting) -> dict:
    return meeting_detail(Meeting.objects.get(pk=meeting.pk), request.auth)


@router.get("/meetings", summary="Meetings in your scope", description="Filter by `body`, `kind`, `status`, and a "
            "date window `from`/`to` on the scheduled date.")
def list_meetings(request, body: int | None = None, kind: Kind | None = None, status: Meeting.Status | None = None,
                  date_from: datetime.date | None = Query(None, alias="from"),
                  date_to: datetime.date | None = Query(None, alias="to"),
                  after: int | None = None, limit: int = Query(50, ge=1, le=PAGE_MAX)):
    qs = Meeting.objects.visible_to(request.auth).select_related("body")
    if body is not None:
        qs = qs.filter(body=get_visible(Body, request.auth, body))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(scheduled_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(scheduled_at__date__lte=date_to)
    rows, nxt = keyset(qs, after=after, limit=limit)
    return {"items": [{"id": m.pk, "kind": m.kind, "title": m.title, "body": m.body_id, "status": m.status,
                       "scheduled_at": m.scheduled_at, "held_at": m.held_at} for m in rows], "next_after": nxt}


@router.post("/meetings", response={201: dict}, summary="Convene a meeting")
def create_meeting(request, payload: MeetingIn):
    body = get_visible(Body, request.auth, payload.body)
    if payload.level is not None and payload.level != body.level:
        raise ValidationFailed(f"机构「{body}」不是{payload.level}级议事会。",
                               f"{body} is not a {payload.level} council.",
                               code="wrong_level", facts={"field": "level", "body_level": body.level})
    meeting = services.create_meeting(
        request.auth, kind=payload.kind, body=body, title=payload.title, scheduled_at=payload.scheduled_at,
        location=payload.location, expected=payload.expected, subject_category=payload.subject_category,
        evaluation_form=payload.evaluation_form, theme=payload.theme)
    return Status(201, _detail(request, meeting))


@router.get("/meetings/{int:meeting_id}", summary="A meeting with attendance, items, outcomes and rulebook version")
def get_meeting(request, meeting_id: int):
    return _detail(request, _meeting(request, meeting_id))


@router.post("/meetings/{int:meeting_id}/expected", summary="Replace the invitee list (before notice)")
def set_expected(request, meeting_id: int, payload: ExpectedIn):
    return _detail(request, services.set_expected(request.auth, _meeting(request, meeting_id), payload.expected))


@router.post("/meetings/{int:meeting_id}/confirm-participants", summary="R-HEAR-05: one party agrees the list")
def confirm_participants(request, meeting_id: int, payload: ConfirmIn):
    meeting = services.confirm_participants(request.auth, _meeting(request, meeting_id), party=payload.party)
    return _detail(request, meeting)


@router.post("/meetings/{int:meeting_id}/approve-participants", summary="R-EVAL-05/07: street approves the list")
def approve_participants(request, meeting_id: int, payload: ApproveIn):
    meeting = services.approve_participants(request.auth, _meeting(request, meeting_id),
                                            override_reason=payload.override_reason)
    return _detail(request, meeting)


@router.post("/meetings/{int:meeting_id}/approve-theme", summary="R-MTG-15: superior agrees the theme")
def approve_theme(request, meeting_id: int, payload: ThemeIn):
    return _detail(request, services.approve_theme(request.auth, _meeting(request, meeting_id), theme=payload.theme))


@router.post("/meetings/{int:meeting_id}/report-to-superior", summary="A-PARTY-10: written report 5 days ahead")
def report_to_superior(request, meeting_id: int, payload: ReportedIn):
    meeting = services.report_to_superior(request.auth, _meeting(request, meeting_id),
                                          reported_at=payload.reported_at)
    return _detail(request, meeting)


@router.post("/meetings/{int:meeting_id}/duty-reports", response={201: dict}, summary="R-EVAL-06: a duty report")
def add_duty_report(request, meeting_id: int, payload: DutyReportIn):
    meeting = _meeting(request, meeting_id)
    services.add_duty_report(request.auth, meeting, role=payload.role, person=_person(request, payload.person),
                             work_completed=payload.work_completed, performance=payload.performance,
                             next_steps=payload.next_steps)
    return Status(201, _detail(request, meeting))


@router.post("/meetings/{int:meeting_id}/notice", summary="Publish the notice")
def publish_notice(request, meeting_id: int, payload: NoticeIn):
    meeting = services.publish_notice(request.auth, _meeting(request, meeting_id),
                                      published_at=payload.published_at, text=payload.text)
    return _detail(request, meeting)


@router.post("/meetings/{int:meeting_id}/hold", summary="Record the meeting as held",
             description="422 `notice_period_not_met` / `quorum_not_met` (and the kind's other rules) with the rule.")
def hold(request, meeting_id: int, payload: HoldIn):
    meeting = services.hold(
        request.auth, _meeting(request, meeting_id), held_at=payload.held_at, present=payload.present,
        chair=_person(request, payload.chair), recorder=_person(request, payload.recorder),
        written_opinions=[o.dict() for o in payload.written_opinions], leave=payload.leave,
        override_reason=payload.override_reason)
    return _detail(request, meeting)


@router.post("/meetings/{int:meeting_id}/items", response={201: dict}, summary="Add an agenda item")
def add_item(request, meeting_id: int, payload: ItemIn):
    item = services.add_item(request.auth, _meeting(request, meeting_id), title=payload.title, kind=payload.kind,
                             topic=payload.topic, subject_person=_person(request, payload.subject_person),
                             cadre_preconditions=payload.cadre_preconditions, override_reason=payload.override_reason,
                             affects_residents=payload.affects_residents, public_basis=payload.public_basis,
                             public_hearing=get_visible(Meeting, request.auth, payload.public_hearing)
                             if payload.public_hearing else None)
    return Status(201, {"id": item.pk, "title": item.title, "kind": item.kind, "status": item.status,
                        "added_ad_hoc": item.added_ad_hoc})


def _item(request, meeting_id: int, item_id: int) -> AgendaItem:
    meeting = _meeting(request, meeting_id)
    item = AgendaItem.objects.filter(pk=item_id, meeting=meeting).first()
    if item is None:
        raise NotFound()
    return item


def _vote_out(item: AgendaItem) -> dict:
    return {"item": item.pk, "outcome": item.status, "rule": item.rule, "basis": item.basis}


@router.post("/meetings/{int:meeting_id}/items/{int:item_id}/vote", response=VoteOut, summary="Record a vote")
def vote(request, meeting_id: int, item_id: int, payload: VoteIn):
    item = _item(request, meeting_id, item_id)
    method = METHOD_ALIASES.get(payload.method, payload.method)
    item = services.record_vote(
        request.auth, item, method=method, yes=payload.yes, no=payload.no, abstain=payload.abstain,
        votes=[v.dict() for v in payload.votes] if payload.votes is not None else None,
        recused=payload.recused, candidates=payload.candidates, override_reason=payload.override_reason)
    return _vote_out(item)


@router.post("/meetings/{int:meeting_id}/items/{int:item_id}/defer", response=VoteOut,
             summary="R-PWC-15: defer to the next meeting")
def defer(request, meeting_id: int, item_id: int, payload: ReasonIn):
    return _vote_out(services.defer_item(request.auth, _item(request, meeting_id, item_id), reason=payload.reason))


@router.post("/meetings/{int:meeting_id}/items/{int:item_id}/resolve", response=VoteOut,
             summary="R-DELIB-07/09: record 不办 or 缓办")
def resolve(request, meeting_id: int, item_id: int, payload: ResolveIn):
    item = services.resolve_not_passed(request.auth, _item(request, meeting_id, item_id),
                                       resolution=payload.resolution)
    return _vote_out(item)


@router.post("/meetings/{int:meeting_id}/close", summary="Close (minutes must be signed off)")
def close(request, meeting_id: int):
    return _detail(request, services.close_meeting(request.auth, _meeting(request, meeting_id)))


@router.post("/meetings/{int:meeting_id}/cancel", summary="Cancel; undecided items return to the queue")
def cancel(request, meeting_id: int, payload: ReasonIn):
    return _detail(request, services.cancel_meeting(request.auth, _meeting(request, meeting_id), reason=payload.reason))


class PostponeIn(Schema):
    scheduled_at: datetime.datetime
    reason: str


@router.post("/meetings/{int:meeting_id}/postpone", summary="Put off to a new time; notice again afterwards")
def postpone(request, meeting_id: int, payload: PostponeIn):
    meeting = services.postpone_meeting(request.auth, _meeting(request, meeting_id), scheduled_at=payload.scheduled_at,
                                        reason=payload.reason)
    return _detail(request, meeting)


@router.post("/meetings/{int:meeting_id}/results-published", summary="R-HEAR-15 / R-EVAL-12: results published on")
def results_published(request, meeting_id: int, payload: PublishedIn):
    meeting = services.record_results_published(request.auth, _meeting(request, meeting_id),
                                                published_on=payload.published_on)
    return _detail(request, meeting)
