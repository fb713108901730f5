"""Anonymous ballots API (issue #3 point 4). Thin: find what the user may see (404 otherwise), call
jiceng.meetings.ballots. Casting needs no account: the printed code is the credential."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Router, Schema, Status

from jiceng.core.errors import NotFound
from jiceng.meetings import ballots
from jiceng.meetings.models import AgendaItem, Meeting
from jiceng.orgs.services import get_visible

router = Router(tags=["ballots"])


class IssuedOut(Schema):
    issued: int
    codes: list[str]


class CastIn(Schema):
    answers: dict[str, str | None] = {}


class CastOut(Schema):
    receipt: str
    meeting: int


class TallyOut(Schema):
    item: int
    outcome: str
    rule: str
    basis: dict


@router.post("/meetings/{int:meeting_id}/ballots", response={201: IssuedOut},
             summary="R-EVAL-10: issue anonymous ballot codes",
             description="One code to each present voting participant without one. The codes are returned once, "
             "in random order, for printing; only their digests are kept. 409 `voting_closed` unless held.")
def issue(request, meeting_id: int):
    codes = ballots.issue_ballots(request.auth, get_visible(Meeting, request.auth, meeting_id))
    return Status(201, {"issued": len(codes), "codes": codes})


@router.post("/ballots/{code}", auth=None, response=CastOut, summary="Cast an anonymous ballot (no account)",
             description="Body `{\"answers\": {line: choice}}`; a line left out is blank. Casting is idempotent: the "
             "same answers again return the same receipt, so an `Idempotency-Key` header is accepted and echoed "
             "but not needed. 404 unknown code, 409 `ballot_already_cast` (other answers) or `voting_closed`, "
             "400 unknown line or choice.")
def cast(request, code: str, payload: CastIn, response: HttpResponse):
    key = request.headers.get("Idempotency-Key")
    if key:
        response["Idempotency-Key"] = key
    return ballots.cast_ballot(code, payload.answers)


@router.get("/meetings/{int:meeting_id}/results", summary="Live ballot results: counts per line and choice",
            description="For an evaluation meeting also `publish_due_on` (R-EVAL-12) and `published_on`.")
def results(request, meeting_id: int):
    return ballots.results(get_visible(Meeting, request.auth, meeting_id))


@router.post("/meetings/{int:meeting_id}/items/{int:item_id}/tally", response=TallyOut,
             summary="Decide a secret-ballot item from the ballots cast")
def tally(request, meeting_id: int, item_id: int):
    meeting = get_visible(Meeting, request.auth, meeting_id)
    item = AgendaItem.objects.filter(pk=item_id, meeting=meeting).first()
    if item is None:
        raise NotFound()
    item = ballots.tally_item_from_ballots(request.auth, item)
    return {"item": item.pk, "outcome": item.status, "rule": item.rule, "basis": item.basis}
