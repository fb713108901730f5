"""Decisions API (issue #5 contract): matters of the 「一征三议两公开」 method, their steps, publications, progress
and the public opinion form. Thin: parse, find what the user may see (404 otherwise), call the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jiceng.archives import services as archives
from jiceng.core import uploads
from jiceng.core.errors import NotFound, ValidationFailed
from jiceng.core.throttle import client_key, throttle
from jiceng.decisions import documents, services
from jiceng.decisions.models import Matter, MatterDocument, Opinion, Progress
from jiceng.decisions.presenters import documents as document_list
from jiceng.decisions.presenters import matter_detail, matter_summary
from jiceng.meetings.models import AgendaItem, Meeting
from jiceng.orgs.models import Area
from jiceng.orgs.services import get_visible
from jiceng.rules.decisions import STEP_RULES

from .common import PAGE_MAX, keyset

router = Router(tags=["decisions"])


class MatterIn(Schema):
    community: int
    topic: str
    title: str
    summary: str
    initiator: str
    budget: Decimal | None = None
    amends: int | None = None
    occurred_at: datetime.datetime | None = None


class SolicitationIn(Schema):
    question: str
    deadline: datetime.date
    occurred_at: datetime.datetime | None = None


class StaffOpinionIn(Schema):
    position: Opinion.Position
    text: str = ""
    channel: Opinion.Channel = Opinion.Channel.DOOR_TO_DOOR
    name: str = ""
    building: str = ""
    received_at: datetime.datetime | None = None


class PublicOpinionIn(Schema):
    position: Opinion.Position
    text: str = ""
    name: str = ""
    building: str = ""
    website: str = ""  # honeypot: left empty by people


class StepIn(Schema):
    agenda_item: int | None = None
    note: str = ""
    summary: str = ""
    hearing: int | None = None
    text: str = ""
    occurred_at: datetime.datetime | None = None


class OralNoticeIn(Schema):
    notified: list[str]


class PublishIn(Schema):
    title: str = ""
    body: str = ""
    oral_notice: OralNoticeIn | None = None
    occurred_at: datetime.datetime | None = None


class ProgressIn(Schema):
    kind: Progress.Kind = Progress.Kind.UPDATE
    text: str
    responds_to: int | None = None
    done: bool = False
    occurred_at: datetime.datetime | None = None


class ResolutionIn(Schema):
    resolution: str


def _matter(request, matter_id: int) -> Matter:
    return get_visible(Matter, request.auth, matter_id)


def _agenda_item(request, item_id: int | None) -> AgendaItem:
    if item_id is None:
        raise ValidationFailed("请指定完成本步骤的会议议题。", "Give the agenda item that completes the step.",
                               facts={"field": "agenda_item"})
    item = (AgendaItem.objects.filter(pk=item_id, meeting__in=Meeting.objects.visible_to(request.auth))
            .select_related("meeting__body__area", "origin").first())
    if item is None:
        raise NotFound()
    return item


@router.get("/matters", summary="Matters in your scope", description="Filter by `community`, `status`, `step`.")
def list_matters(request, community: int | None = None, status: Matter.Status | None = None, step: str | None = None,
                 after: int | None = None, limit: int = Query(50, ge=1, le=PAGE_MAX)):
    qs = Matter.objects.visible_to(request.auth).prefetch_related("steps")
    if community is not None:
        qs = qs.filter(community=get_visible(Area, request.auth, community))
    if status:
        qs = qs.filter(status=status)
    if step:
        qs = qs.filter(step=step)
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [matter_summary(m) for m in rows], "next_after": next_after}


@router.post("/matters", response={201: dict}, summary="R-WF-01: register a matter (U0/V0)",
             description="The community's kind picks the urban or 村改居 template. 422 `invalid_topic` (T1–T6), "
             "`no_archivist` (R-ARCH-03).")
def create_matter(request, payload: MatterIn):
    community = get_visible(Area, request.auth, payload.community)
    amends = get_visible(Matter, request.auth, payload.amends) if payload.amends else None
    matter = services.open_matter(request.auth, community=community, topic=payload.topic, title=payload.title,
                                  summary=payload.summary, initiator=payload.initiator, budget=payload.budget,
                                  amends=amends, occurred_at=payload.occurred_at)
    return Status(201, matter_detail(matter))


@router.get("/matters/{int:matter_id}", summary="A matter with its timeline, next step and deadlines")
def get_matter(request, matter_id: int):
    return matter_detail(_matter(request, matter_id))


@router.patch("/matters/{int:matter_id}", summary="R-WF-13: a resolution is never edited (always 422)")
def edit_matter(request, matter_id: int, payload: ResolutionIn):
    services.edit_resolution(request.auth, _matter(request, matter_id), text=payload.resolution)
    return matter_detail(_matter(request, matter_id))


@router.get("/matters/{int:matter_id}/dossier.zip", summary="R-WF-12: the matter's dossier as a verifiable .zip",
            description="Records in the archive's order with their SHA-256, attachments (documents and photos), the "
            "dossier as a printable dossier.html and an official dossier.docx, and a manifest hashing every file; "
            "check it offline with `jiceng verify --dossier FILE`.")
def dossier_zip(request, matter_id: int):
    matter = _matter(request, matter_id)
    data = archives.export_dossier(request.auth, matter.dossier)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="matter-{matter.pk}-dossier.zip"'
    return response


@router.post("/matters/{int:matter_id}/solicitation", response={201: dict}, summary="一征: open the call for opinions")
def open_solicitation(request, matter_id: int, payload: SolicitationIn):
    matter = _matter(request, matter_id)
    services.open_solicitation(request.auth, matter, question=payload.question, deadline=payload.deadline,
                               occurred_at=payload.occurred_at)
    return Status(201, matter_detail(_matter(request, matter_id)))


@router.post("/matters/{int:matter_id}/opinions", response={201: dict},
             summary="Enter an opinion gathered door to door, at a meeting or from the box")
def staff_opinion(request, matter_id: int, payload: StaffOpinionIn):
    solicitation = getattr(_matter(request, matter_id), "solicitation", None)
    if solicitation is None:
        raise NotFound()
    opinion, _created = services.give_opinion(
        solicitation, position=payload.position, text=payload.text, channel=payload.channel, name=payload.name,
        building=payload.building, recorded_by=request.auth, received_at=payload.received_at)
    return Status(201, {"id": opinion.pk, "counts": services.opinion_counts(solicitation)})


@router.post("/matters/{int:matter_id}/steps/{step}", summary="Complete a step of the method",
             description="`solicitation`: `{summary, hearing?}`; meeting steps (`proposal`, `consultation`, "
             "`resolution`, `party_proposal`, `two_committee_consultation`, `party_members_review`): "
             "`{agenda_item, note?}`; `implementation`: `{text}` (the final progress update); `closed`: `{}`. "
             "422 `step_out_of_order` with the missing step, `step_not_passed`, `wrong_meeting_kind`, "
             "`dossier_incomplete` listing the missing records.")
def complete_step(request, matter_id: int, step: str, payload: StepIn):
    matter = _matter(request, matter_id)
    if step == "solicitation":
        hearing = get_visible(Meeting, request.auth, payload.hearing) if payload.hearing else None
        services.close_solicitation(request.auth, matter, summary=payload.summary, hearing=hearing,
                                    occurred_at=payload.occurred_at)
    elif step in STEP_RULES:
        services.link_step(request.auth, matter, step, agenda_item=_agenda_item(request, payload.agenda_item),
                           note=payload.note)
    elif step == "implementation":
        services.add_progress(request.auth, matter, kind=Progress.Kind.UPDATE, text=payload.text or payload.note,
                              done=True, occurred_at=payload.occurred_at)
    elif step == "closed":
        services.close_matter(request.auth, matter, occurred_at=payload.occurred_at)
    elif step in ("resolution_published", "result_published"):
        raise ValidationFailed("公开步骤请使用 publish-resolution / publish-result。",
                               "Use publish-resolution / publish-result for the publications.",
                               code="use_publication_endpoint", facts={"field": "step"})
    else:
        raise ValidationFailed(f"没有「{step}」这一步骤。", f"There is no step {step!r}.", code="unknown_step",
                               facts={"field": "step"})
    return matter_detail(_matter(request, matter_id))


@router.post("/matters/{int:matter_id}/publish-resolution", summary="公开① (R-WF-09): draft the board item or "
             "record an oral notice", description="Creates the residents'-affairs item (category R01); the step "
             "completes when the board publishes it. `oral_notice: {notified: [...]}` completes it at once.")
def publish_resolution(request, matter_id: int, payload: PublishIn):
    notice = payload.oral_notice.dict() if payload.oral_notice else None
    services.publish_resolution(request.auth, _matter(request, matter_id), title=payload.title, body=payload.body,
                                oral_notice=notice, occurred_at=payload.occurred_at)
    return matter_detail(_matter(request, matter_id))


@router.post("/matters/{int:matter_id}/progress", response={201: dict},
             summary="R-WF-10: a progress update, a council member's supervision remark or its response")
def add_progress(request, matter_id: int, payload: ProgressIn):
    matter = _matter(request, matter_id)
    responds_to = matter.progress.filter(pk=payload.responds_to).first() if payload.responds_to else None
    services.add_progress(request.auth, matter, kind=payload.kind, text=payload.text, responds_to=responds_to,
                          done=payload.done, occurred_at=payload.occurred_at)
    return Status(201, matter_detail(_matter(request, matter_id)))


@router.post("/matters/{int:matter_id}/documents", response={201: dict},
             summary="Keep a file with the matter: original material, a progress photo or another document",
             description="Multipart: `file` (PDF, JPG, PNG, DOCX, XLSX; size limited; a photo is JPG or PNG), "
             "`kind` (`original`, `photo`, `other`), `progress` (optional: a progress entry of this matter). Filed "
             "into the dossier with its SHA-256. 400 `unsupported_attachment_type`, `attachment_too_large`, "
             "`attachment_content_mismatch`; 409 `matter_closed`.")
def attach_document(request, matter_id: int, file: File[UploadedFile], kind: Form[MatterDocument.Kind],
                    progress: Form[int | None] = None):
    matter = _matter(request, matter_id)
    entry = matter.progress.filter(pk=progress).first() if progress else None
    if progress and entry is None:
        raise NotFound()
    documents.attach_document(request.auth, matter, name=file.name, content=uploads.read(file), kind=kind,
                              progress=entry)
    return Status(201, {"documents": document_list(matter)})


@router.post("/matters/{int:matter_id}/publish-result", summary="公开② (R-WF-11): draft the result's board item")
def publish_result(request, matter_id: int, payload: PublishIn):
    services.publish_result(request.auth, _matter(request, matter_id), title=payload.title, body=payload.body,
                            occurred_at=payload.occurred_at)
    return matter_detail(_matter(request, matter_id))


# Public (no account) -----------------------------------------------------------------------------------

def _public_solicitation(matter_id: int):
    matter = Matter.objects.filter(pk=matter_id).select_related("solicitation", "community").first()
    solicitation = getattr(matter, "solicitation", None) if matter else None
    if solicitation is None:
        raise NotFound()
    return matter, solicitation


@router.get("/public/matters/{int:matter_id}", auth=None, summary="An open call for opinions (no account)")
def public_matter(request, matter_id: int):
    matter, solicitation = _public_solicitation(matter_id)
    return {"id": matter.pk, "community": {"id": matter.community_id, "name": matter.community.name},
            "title": matter.title, "summary": matter.summary, "question": solicitation.question,
            "deadline": solicitation.deadline, "open": solicitation.is_open
            and solicitation.deadline >= timezone.localdate(), "counts": services.opinion_counts(solicitation),
            "opinion_summary": solicitation.summary}


@router.post("/public/matters/{int:matter_id}/opinions", auth=None, response={200: dict, 201: dict},
             summary="Give an opinion (no account; idempotent)",
             description="Send an `Idempotency-Key` header: a retry with the same key returns the first opinion "
             "(200) instead of counting twice. 409 `solicitation_closed` after the deadline; 429 `rate_limited`.")
def public_opinion(request, matter_id: int, payload: PublicOpinionIn, response: HttpResponse):
    _matter_, solicitation = _public_solicitation(matter_id)
    if payload.website:
        raise ValidationFailed("提交未被接受。", "The opinion was not accepted.", code="rejected_as_spam")
    key = request.headers.get("Idempotency-Key", "")
    if key:
        response["Idempotency-Key"] = key
    throttle(client_key(request))
    opinion, created = services.give_opinion(solicitation, position=payload.position, text=payload.text,
                                             name=payload.name, building=payload.building, idempotency_key=key)
    body = {"id": opinion.pk, "position": opinion.position, "counts": services.opinion_counts(solicitation)}
    return Status(201 if created else 200, body)
