"""Meeting minutes API (issue #3 point 5). Thin: find the meeting the user may see (404 otherwise), call
jiceng.meetings.minutes, serialize."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import Router, Schema, Status

from jiceng.core.errors import NotFound
from jiceng.meetings import minutes as service
from jiceng.meetings.models import Meeting, Minutes
from jiceng.orgs.services import get_visible

router = Router(tags=["minutes"])


class MinutesIn(Schema):
    text: str


class MinutesOut(Schema):
    id: int
    meeting: int
    status: str
    text: str
    signed_by: str | None
    signed_at: datetime.datetime | None
    content_hash: str


def _out(minutes: Minutes) -> dict:
    return {"id": minutes.pk, "meeting": minutes.meeting_id, "status": minutes.status, "text": minutes.text,
            "signed_by": minutes.signed_by.get_username() if minutes.signed_by_id else None,
            "signed_at": minutes.signed_at, "content_hash": minutes.content_hash}


def _minutes(request, meeting_id: int) -> Minutes:
    meeting = get_visible(Meeting, request.auth, meeting_id)
    minutes = Minutes.objects.select_related("meeting__body__area", "signed_by").filter(meeting=meeting).first()
    if minutes is None:
        raise NotFound("该会议尚未形成纪要。", "The meeting has no minutes yet.", code="minutes_missing")
    return minutes


@router.post("/meetings/{int:meeting_id}/minutes", response={201: MinutesOut},
             summary="Draft the minutes from the record (again, while draft)",
             description="409 `meeting_not_held` before the meeting, `minutes_frozen` once signed off.")
def generate(request, meeting_id: int):
    minutes = service.generate_minutes(request.auth, get_visible(Meeting, request.auth, meeting_id))
    return Status(201, _out(minutes))


@router.get("/meetings/{int:meeting_id}/minutes", response=MinutesOut, summary="The minutes")
def read(request, meeting_id: int):
    return _out(_minutes(request, meeting_id))


@router.put("/meetings/{int:meeting_id}/minutes", response=MinutesOut, summary="Replace the text of draft minutes",
            description="409 `minutes_frozen` after sign-off (R-DOC-04; A-FMT-13 for other kinds).")
def edit(request, meeting_id: int, payload: MinutesIn):
    return _out(service.edit_minutes(request.auth, _minutes(request, meeting_id), payload.text))


@router.post("/meetings/{int:meeting_id}/minutes/sign", response=MinutesOut, summary="Sign off and freeze",
             description="422 `signer_not_authorised` (R-DOC-04, PWC minutes: the secretary or a deputy secretary), "
                         "`minutes_incomplete` (R-HEAR-14: hearing minutes need their three parts); "
                         "409 `minutes_frozen`.")
def sign(request, meeting_id: int):
    return _out(service.sign_minutes(request.auth, _minutes(request, meeting_id)))


@router.get("/meetings/{int:meeting_id}/minutes.docx", summary="The minutes as .docx (GB/T 9704 layout)")
def docx(request, meeting_id: int):
    minutes = _minutes(request, meeting_id)
    response = HttpResponse(service.render_minutes_docx(minutes), content_type=service.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"meeting-{meeting_id}-minutes.docx")
    return response
