"""Organisational life API (issue #8 parts 5–7): democratic evaluation rounds and member evaluations with grade
approval (R-DEMEV), service commitments and their steps (R-COMMIT), e-education screenings (R-EDU) and a party
organisation's year of 三会一课 and participation (R-MTG). Thin: parse, find what the user may see (404
otherwise), call the services, serialise."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import Router, Schema, Status

from jiceng.core.errors import NotFound
from jiceng.meetings.models import Meeting
from jiceng.orglife import commitments, evaluation, exports, participation, screenings
from jiceng.orglife.models import Commitment, EducationFilm, EvaluationRound, MemberEvaluation
from jiceng.orglife.presenters import (
    commitment_detail,
    commitment_summary,
    evaluation_out,
    report_out,
    round_detail,
    round_summary,
)
from jiceng.orgs.models import Body, Person
from jiceng.orgs.services import get_visible

from .common import PAGE_MAX, keyset, visible_agenda_item

router = Router(tags=["orglife"])


class OrglifeRoundIn(Schema):
    party_org: int
    year: int
    evaluated_on: datetime.date
    envoy_name: str = ""


class OrglifeEnvoyIn(Schema):
    envoy_name: str


class OrglifeMemberIn(Schema):
    participated: bool | None = None
    outgoing: bool | None = None
    self_assessment: str | None = None
    peer: str | None = None
    residents: str | None = None
    organisation: str | None = None


class OrglifeGradeIn(Schema):
    grade: str = ""
    note: str = ""


class OrglifeDecisionIn(Schema):
    kind: str
    decided_on: datetime.date
    decided_by_body: str
    measure: str = ""
    note: str = ""
    agenda_item: int | None = None


class OrglifeCloseIn(Schema):
    summary: str
    rectification: str


class OrglifeReasonIn(Schema):
    reason: str


class OrglifeCommitmentIn(Schema):
    party_org: int
    year: int
    committer_type: str
    area: str
    title: str
    content: str
    person: int | None = None
    drafted_on: datetime.date | None = None


class OrglifeDatedIn(Schema):
    on: datetime.date
    note: str = ""


class OrglifeVoteIn(Schema):
    meeting: int
    yes: int


class OrglifePublicationIn(Schema):
    channel: str
    on: datetime.date
    note: str = ""


class OrglifeReviewCommentIn(Schema):
    on: datetime.date
    comment: str


class OrglifeAppraisalIn(Schema):
    step: str
    on: datetime.date
    note: str = ""
    grade: str = ""
    meeting: int | None = None


class OrglifePublicityIn(Schema):
    party_org: int
    period_start: datetime.date
    appraisal: bool = False


class OrglifeScreeningIn(Schema):
    party_org: int
    held_on: datetime.date
    film: int
    chair: int
    attendees: list[int] = []
    note: str = ""


def _round(request, round_id: int) -> EvaluationRound:
    return get_visible(EvaluationRound, request.auth, round_id)


def _evaluation(request, evaluation_id: int) -> MemberEvaluation:
    e = MemberEvaluation.objects.select_related("person").filter(pk=evaluation_id).first()
    if e is None:
        raise NotFound()
    get_visible(EvaluationRound, request.auth, e.round_id)
    return e


def _commitment(request, commitment_id: int) -> Commitment:
    return get_visible(Commitment, request.auth, commitment_id)


def _party_org(request, body_id: int) -> Body:
    return get_visible(Body, request.auth, body_id)


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# Evaluation rounds (R-DEMEV) -------------------------------------------------------------------------------

@router.get("/orglife/evaluations", summary="Democratic evaluation rounds in your scope",
            description="Filter by `party_org`, `year`, `status`; keyset pages (`after`, `limit`).")
def list_rounds(request, party_org: int | None = None, year: int | None = None, status: str | None = None,
                after: int | None = None, limit: int = 50):
    qs = EvaluationRound.objects.visible_to(request.auth).select_related("party_org")
    if party_org:
        qs = qs.filter(party_org=_party_org(request, party_org))
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [round_summary(x) for x in rows], "next_after": next_after}


@router.post("/orglife/evaluations", response={201: dict}, summary="R-DEMEV-01: open the year's round")
def open_round(request, payload: OrglifeRoundIn):
    rnd = evaluation.open_round(request.auth, party_org=_party_org(request, payload.party_org), year=payload.year,
                                evaluated_on=payload.evaluated_on, envoy_name=payload.envoy_name)
    return Status(201, round_detail(rnd))


@router.get("/orglife/evaluations/{int:round_id}", summary="A round with every member's modes and grades")
def get_round(request, round_id: int):
    return round_detail(_round(request, round_id))


@router.get("/orglife/evaluations/{int:round_id}/results.xlsx", summary="The results as an Excel sheet")
def round_xlsx(request, round_id: int):
    rnd = _round(request, round_id)
    return _xlsx(exports.evaluation_workbook(rnd), f"民主评议党员-{rnd.party_org.name}-{rnd.year}.xlsx")


@router.post("/orglife/evaluations/{int:round_id}/envoy", summary="R-DEMEV-01: record the superior's envoy")
def record_envoy(request, round_id: int, payload: OrglifeEnvoyIn):
    return round_summary(evaluation.record_envoy(request.auth, _round(request, round_id),
                                                 envoy_name=payload.envoy_name))


@router.post("/orglife/evaluations/{int:round_id}/submit", summary="R-DEMEV-05: submit grades to the superior")
def submit_round(request, round_id: int):
    return round_summary(evaluation.submit_round(request.auth, _round(request, round_id)))


@router.post("/orglife/evaluations/{int:round_id}/return", summary="The superior returns the round to the branch")
def return_round(request, round_id: int, payload: OrglifeReasonIn):
    return round_summary(evaluation.return_round(request.auth, _round(request, round_id), reason=payload.reason))


@router.post("/orglife/evaluations/{int:round_id}/close", summary="R-DEMEV-05/06/07: close, file and draft disclosure")
def close_round(request, round_id: int, payload: OrglifeCloseIn):
    rnd = evaluation.close_round(request.auth, _round(request, round_id), summary=payload.summary,
                                 rectification=payload.rectification)
    return round_summary(rnd)


@router.patch("/orglife/member-evaluations/{int:evaluation_id}", summary="R-DEMEV-02/03: participation and modes")
def record_member(request, evaluation_id: int, payload: OrglifeMemberIn):
    modes = {"self": payload.self_assessment, "peer": payload.peer, "residents": payload.residents,
             "organisation": payload.organisation}
    e = evaluation.record_member(request.auth, _evaluation(request, evaluation_id), participated=payload.participated,
                                 outgoing=payload.outgoing, **{k: v for k, v in modes.items() if v is not None})
    return evaluation_out(e)


@router.post("/orglife/member-evaluations/{int:evaluation_id}/propose", summary="R-DEMEV-04/05: branch proposes")
def propose_grade(request, evaluation_id: int, payload: OrglifeGradeIn):
    return evaluation_out(evaluation.propose_grade(request.auth, _evaluation(request, evaluation_id),
                                                   grade=payload.grade))


@router.post("/orglife/member-evaluations/{int:evaluation_id}/approve",
             summary="R-DEMEV-05: working committee approves")
def approve_grade(request, evaluation_id: int, payload: OrglifeGradeIn):
    return evaluation_out(evaluation.approve_grade(request.auth, _evaluation(request, evaluation_id),
                                                   grade=payload.grade, note=payload.note))


@router.post("/orglife/member-evaluations/{int:evaluation_id}/decisions", response={201: dict},
             summary="R-DEMEV-06: commendation or measure, a recorded decision")
def record_decision(request, evaluation_id: int, payload: OrglifeDecisionIn):
    item = visible_agenda_item(request.auth, payload.agenda_item)
    e = _evaluation(request, evaluation_id)
    evaluation.record_decision(request.auth, e, kind=payload.kind, decided_on=payload.decided_on,
                               decided_by_body=payload.decided_by_body, measure=payload.measure, note=payload.note,
                               agenda_item=item)
    return Status(201, evaluation_out(MemberEvaluation.objects.select_related("person").get(pk=e.pk)))


# Commitments (R-COMMIT) -------------------------------------------------------------------------------------

@router.get("/orglife/commitments", summary="Service commitments in your scope",
            description="Filter by `party_org`, `year`, `status`, `person`; keyset pages.")
def list_commitments(request, party_org: int | None = None, year: int | None = None, status: str | None = None,
                     person: int | None = None, after: int | None = None, limit: int = 50):
    qs = Commitment.objects.visible_to(request.auth).select_related("party_org", "person")
    if party_org:
        qs = qs.filter(party_org=_party_org(request, party_org))
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if person:
        qs = qs.filter(person_id=person)
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [commitment_summary(c) for c in rows], "next_after": next_after}


@router.post("/orglife/commitments", response={201: dict}, summary="R-COMMIT-02/03 一定: draft a commitment")
def draft_commitment(request, payload: OrglifeCommitmentIn):
    person = get_visible(Person, request.auth, payload.person) if payload.person else None
    c = commitments.draft_commitment(request.auth, party_org=_party_org(request, payload.party_org),
                                     year=payload.year, committer_type=payload.committer_type, area=payload.area,
                                     title=payload.title, content=payload.content, person=person,
                                     drafted_on=payload.drafted_on)
    return Status(201, commitment_detail(c))


@router.get("/orglife/commitments/{int:commitment_id}", summary="A commitment with its steps")
def get_commitment(request, commitment_id: int):
    return commitment_detail(_commitment(request, commitment_id))


@router.post("/orglife/commitments/{int:commitment_id}/posting", summary="R-COMMIT-04 二审: public review posting")
def post_for_review(request, commitment_id: int, payload: OrglifeDatedIn):
    return commitment_detail(commitments.post_for_review(request.auth, _commitment(request, commitment_id),
                                                         posted_on=payload.on, note=payload.note))


@router.post("/orglife/commitments/{int:commitment_id}/review", summary="R-COMMIT-05 二审: organisational review")
def review(request, commitment_id: int, payload: OrglifeDatedIn):
    return commitment_detail(commitments.review(request.auth, _commitment(request, commitment_id),
                                                reviewed_on=payload.on, note=payload.note))


@router.post("/orglife/commitments/{int:commitment_id}/assembly-vote",
             summary="R-COMMIT-05: members' assembly, at least half of those present agree")
def assembly_vote(request, commitment_id: int, payload: OrglifeVoteIn):
    meeting = get_visible(Meeting, request.auth, payload.meeting)
    return commitment_detail(commitments.record_assembly_vote(request.auth, _commitment(request, commitment_id),
                                                              meeting=meeting, yes=payload.yes))


@router.post("/orglife/commitments/{int:commitment_id}/publications", response={201: dict},
             summary="R-COMMIT-06 三公开: assembly, written, posting")
def publication(request, commitment_id: int, payload: OrglifePublicationIn):
    c = commitments.record_publication(request.auth, _commitment(request, commitment_id), channel=payload.channel,
                                       occurred_on=payload.on, note=payload.note)
    return Status(201, commitment_detail(c))


@router.post("/orglife/commitments/{int:commitment_id}/half-year-reviews", response={201: dict},
             summary="R-COMMIT-07 半年一点评")
def half_year_review(request, commitment_id: int, payload: OrglifeReviewCommentIn):
    c = commitments.record_half_year_review(request.auth, _commitment(request, commitment_id),
                                            occurred_on=payload.on, comment=payload.comment)
    return Status(201, commitment_detail(c))


@router.post("/orglife/commitments/{int:commitment_id}/appraisal", response={201: dict},
             summary="R-COMMIT-08 年终一考核: self, mutual, assembly with a grade")
def appraisal(request, commitment_id: int, payload: OrglifeAppraisalIn):
    meeting = get_visible(Meeting, request.auth, payload.meeting) if payload.meeting else None
    c = commitments.record_appraisal(request.auth, _commitment(request, commitment_id), step=payload.step,
                                     occurred_on=payload.on, note=payload.note, grade=payload.grade, meeting=meeting)
    return Status(201, commitment_detail(c))


@router.post("/orglife/commitments/{int:commitment_id}/withdraw", summary="Withdraw an unconfirmed commitment")
def withdraw(request, commitment_id: int, payload: OrglifeReasonIn):
    return commitment_detail(commitments.withdraw(request.auth, _commitment(request, commitment_id),
                                                  reason=payload.reason))


@router.post("/orglife/commitment-publicity", response={201: dict},
             summary="R-COMMIT-07/08: draft the quarter's (or the year's appraisal) party-affairs disclosure item")
def publicity(request, payload: OrglifePublicityIn):
    item = commitments.draft_publicity(request.auth, party_org=_party_org(request, payload.party_org),
                                       period_start=payload.period_start, appraisal=payload.appraisal)
    return Status(201, {"disclosure_item": item.pk, "category": item.category, "period_start": item.period_start,
                        "period_end": item.period_end, "status": item.status})


# Participation and screenings (R-MTG, R-EDU) ----------------------------------------------------------------

@router.get("/orglife/participation", summary="三会一课 compliance, topics and members' participation for a year")
def year_participation(request, party_org: int, year: int):
    return report_out(participation.year_report(_party_org(request, party_org), year))


@router.get("/orglife/participation.xlsx", summary="The year's participation as an Excel workbook")
def year_participation_xlsx(request, party_org: int, year: int):
    report = participation.year_report(_party_org(request, party_org), year)
    return _xlsx(exports.participation_workbook(report), f"组织生活-{report.party_org.name}-{year}.xlsx")


class OrglifeProjectionistIn(Schema):
    party_org: int
    person: int
    start_on: datetime.date


@router.post("/orglife/projectionists", response={201: dict},
             summary="R-EDU-01: record a projectionist (WARN outside one or two)")
def appoint_projectionist(request, payload: OrglifeProjectionistIn):
    row, warning = screenings.appoint_projectionist(
        request.auth, party_org=_party_org(request, payload.party_org),
        person=get_visible(Person, request.auth, payload.person), start_on=payload.start_on)
    return Status(201, {"id": row.pk, "person": row.person_id, "start_on": row.start_on,
                        "warning": warning.as_dict() if warning else None})


@router.get("/orglife/films", summary="R-EDU-03: the approved e-education catalogue for a party organisation")
def films(request, party_org: int, on: datetime.date | None = None):
    body = _party_org(request, party_org)
    rows = screenings.approved_films(body.area, on or datetime.date.today())
    return {"items": [{"id": f.pk, "title": f.title, "approved_on": f.approved_on} for f in rows[:PAGE_MAX]]}


@router.post("/orglife/screenings", response={201: dict}, summary="R-EDU-02/03: log an e-education screening")
def record_screening(request, payload: OrglifeScreeningIn):
    body = _party_org(request, payload.party_org)
    film = EducationFilm.objects.filter(pk=payload.film).first()
    if film is None:
        raise NotFound()
    chair = get_visible(Person, request.auth, payload.chair)
    s = screenings.record_screening(request.auth, party_org=body, held_on=payload.held_on, film=film, chair=chair,
                                    attendees=payload.attendees, note=payload.note)
    return Status(201, {"id": s.pk, "held_on": s.held_on, "film": film.title, "attendees": len(payload.attendees)})
