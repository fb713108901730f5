"""Democratic evaluation of members, 民主评议党员 (rules-core §2.17 R-DEMEV-01..07, rules-admin A-PARTY-38).

A round is opened once a year per party organisation with the members on the evaluation date (the base of the
participation rate, R-DEMEV-03). Staff record who took part and the four modes (R-DEMEV-02); the branch
committee proposes grades, only for members with a written self-assessment (R-DEMEV-04); the branch submits
(the superior's envoy must be on record, R-DEMEV-01); members of the street party working committee approve
each grade (R-DEMEV-05); commendations and measures for unqualified members are recorded decisions
(R-DEMEV-06); the round closes with a summary and rectification plan (R-DEMEV-07), is filed into the archive and
drafts the party-affairs disclosure item (E-01 P07 民主评议).

Every function takes the acting user, writes in one transaction with an audit event, and raises
PermissionDenied, ValidationFailed, IllegalTransition, Conflict or RuleViolation having written nothing.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiceng.archives import services as archives
from jiceng.archives.models import Dossier
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, ValidationFailed
from jiceng.disclosure import services as disclosure
from jiceng.meetings.models import AgendaItem
from jiceng.orgs.models import Body
from jiceng.rules import orglife as r
from jiceng.rules.base import check

from . import access
from .models import EvaluationDecision, EvaluationRound, MemberEvaluation

DISCLOSURE_CATEGORY = "P07"  # E-01: …换届选举、民主评议、创先争优…


def _invalid(field: str, zh: str, en: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(zh, en, code=code, facts={"field": field})


def _judge(rule, rnd: EvaluationRound, on: datetime.date, **facts):
    judged = check(rule, area=rnd.party_org.area, on=on, **facts)
    rnd.rulebook_version = judged.version
    return judged.value


def _locked(rnd: EvaluationRound) -> EvaluationRound:
    return EvaluationRound.objects.select_for_update(of=("self",)).select_related("party_org__area").get(pk=rnd.pk)


def _require_open(rnd: EvaluationRound, *allowed: str) -> None:
    if rnd.status not in (allowed or (EvaluationRound.Status.OPEN,)):
        raise Conflict(f"该评议当前为「{rnd.get_status_display()}」，不能办理此事项。",
                       f"The round is {rnd.status}.", code="round_not_open", facts={"status": rnd.status})


def participation_of(rnd: EvaluationRound):
    """The R-DEMEV-03 refusal to show (WARN), or None when participation reaches the minimum."""
    return check(r.DEMEV_PARTICIPATION, area=rnd.party_org.area, on=rnd.evaluated_on,
                 participants=rnd.participant_count, base=rnd.base_count).value


def _store_participation(rnd: EvaluationRound) -> None:
    rnd.participant_count = rnd.evaluations.filter(participated=True).count()
    warning = participation_of(rnd)
    rnd.participation_warning = warning.as_dict() if warning is not None else None


# Opening and recording -------------------------------------------------------------------------------------

def open_round(actor, *, party_org: Body, year: int, evaluated_on: datetime.date,
               envoy_name: str = "") -> EvaluationRound:
    """Open the year's round with the members on `evaluated_on` (R-DEMEV-01, base of R-DEMEV-03)."""
    access.require_party_org(party_org)
    access.require_run(actor, party_org)
    if evaluated_on.year != year:
        raise _invalid("evaluated_on", "评议日期须在评议年度内。", "The evaluation date lies in the year evaluated.")
    members = access.members_on(party_org, evaluated_on)
    if not members:
        raise _invalid("party_org", f"{evaluated_on}该党组织没有党员。", "The organisation has no members that day.",
                       code="no_members")
    with transaction.atomic():
        try:
            with transaction.atomic():
                rnd = EvaluationRound.objects.create(
                    party_org=party_org, year=year, evaluated_on=evaluated_on, envoy_name=envoy_name.strip(),
                    base_count=len(members), created_by=actor)
        except IntegrityError:
            raise Conflict(f"{party_org}{year}年度的民主评议已经建立。", "This year's round exists already.",
                           code="round_exists", facts={"year": year}) from None
        MemberEvaluation.objects.bulk_create(
            [MemberEvaluation(round=rnd, person_id=pid, probationary=prob) for pid, prob in members.items()])
        _store_participation(rnd)
        rnd.rulebook_version = check(r.DEMEV_CADENCE, area=party_org.area, on=evaluated_on).version
        rnd.save()
        record_event(actor, "orglife.round_opened", rnd, area=party_org.area,
                     after={"year": year, "evaluated_on": evaluated_on, "base": rnd.base_count})
        return rnd


def record_envoy(actor, rnd: EvaluationRound, *, envoy_name: str) -> EvaluationRound:
    """R-DEMEV-01: the person the superior organisation sent."""
    if not envoy_name.strip():
        raise _invalid("envoy_name", "请填写上级派员姓名。", "Name the envoy.")
    with transaction.atomic():
        rnd = _locked(rnd)
        access.require_run(actor, rnd.party_org)
        _require_open(rnd, EvaluationRound.Status.OPEN)
        before = rnd.envoy_name
        rnd.envoy_name = envoy_name.strip()[:100]
        rnd.save(update_fields=["envoy_name"])
        record_event(actor, "orglife.envoy_recorded", rnd, area=rnd.party_org.area, before={"envoy": before},
                     after={"envoy": rnd.envoy_name})
        return rnd


TEXT_FIELDS = {"self": "self_assessment", "peer": "peer_opinion", "residents": "residents_opinion",
               "organisation": "organisation_opinion"}


def record_member(actor, evaluation: MemberEvaluation, *, participated: bool | None = None,
                  outgoing: bool | None = None, **modes: str) -> MemberEvaluation:
    """Record whether the member took part and the texts of the four modes (R-DEMEV-02); `modes` keys are
    self, peer, residents, organisation. Recomputes the participation rate (R-DEMEV-03, WARN)."""
    with transaction.atomic():
        rnd = _locked(evaluation.round)
        access.require_run(actor, rnd.party_org)
        _require_open(rnd)
        _judge(r.DEMEV_MODES, rnd, rnd.evaluated_on, categories=list(modes))
        evaluation = MemberEvaluation.objects.select_for_update().get(pk=evaluation.pk)
        changed = {}
        if participated is not None:
            evaluation.participated = changed["participated"] = bool(participated)
        if outgoing is not None:
            evaluation.outgoing = changed["outgoing"] = bool(outgoing)
        for mode, text in modes.items():
            setattr(evaluation, TEXT_FIELDS[mode], (text or "").strip())
            changed[mode] = bool((text or "").strip())
        evaluation.save()
        _store_participation(rnd)
        rnd.save()
        record_event(actor, "orglife.member_recorded", evaluation, area=rnd.party_org.area, after=changed)
        return evaluation


def propose_grade(actor, evaluation: MemberEvaluation, *, grade: str) -> MemberEvaluation:
    """The branch committee proposes a grade (R-DEMEV-05), only on a written self-assessment (R-DEMEV-04) and from
    the district's list (A-PARTY-38, E-10). Only a member who took part is graded."""
    with transaction.atomic():
        rnd = _locked(evaluation.round)
        on = timezone.localdate()
        if not access.on_branch_committee(actor, rnd.party_org, on):
            raise access.refuse_office(r.DEMEV_APPROVAL, "not_branch_committee",
                                       "只有支部委员会成员可以提出党员格次",
                                       "Only the branch committee proposes grades")
        _require_open(rnd)
        evaluation = (MemberEvaluation.objects.select_for_update(of=("self",)).select_related("person")
                      .get(pk=evaluation.pk))
        _judge(r.DEMEV_GRADES, rnd, rnd.evaluated_on, grade=grade)
        _judge(r.DEMEV_SELF_ASSESSMENT, rnd, rnd.evaluated_on, satisfied=bool(evaluation.self_assessment.strip()),
               person=evaluation.person_id)
        if not evaluation.participated:
            raise _invalid("participated", "未参加评议的党员不定格次。", "Only members who took part are graded.",
                           code="not_participated")
        before = evaluation.proposed_grade
        evaluation.proposed_grade, evaluation.proposed_at, evaluation.proposed_by = grade, timezone.now(), actor
        evaluation.save()
        rnd.save(update_fields=["rulebook_version"])
        record_event(actor, "orglife.grade_proposed", evaluation, area=rnd.party_org.area,
                     before={"grade": before}, after={"grade": grade, "person": evaluation.person_id})
        return evaluation


def submit_round(actor, rnd: EvaluationRound) -> EvaluationRound:
    """The branch reports the proposed grades to the superior for approval (R-DEMEV-05). Refused without the
    envoy on record (R-DEMEV-01) or while a member who took part has no proposed grade. Participation below
    95% is allowed and stored as a warning (R-DEMEV-03)."""
    with transaction.atomic():
        rnd = _locked(rnd)
        on = timezone.localdate()
        if not access.on_branch_committee(actor, rnd.party_org, on):
            raise access.refuse_office(r.DEMEV_APPROVAL, "not_branch_committee",
                                       "只有支部委员会成员可以报送评议结果", "Only the branch committee submits")
        _judge(r.DEMEV_ENVOY, rnd, rnd.evaluated_on, satisfied=bool(rnd.envoy_name or rnd.envoy_person_id))
        ungraded = list(rnd.evaluations.filter(participated=True, proposed_grade="").values_list("person_id",
                                                                                                 flat=True))
        if ungraded:
            raise _invalid("proposed_grade", f"还有{len(ungraded)}名参评党员没有建议格次。",
                           f"{len(ungraded)} member(s) who took part have no proposed grade.", code="grades_missing")
        rnd.move_to(EvaluationRound.Status.SUBMITTED)
        _store_participation(rnd)
        rnd.submitted_at = timezone.now()
        rnd.save()
        record_event(actor, "orglife.round_submitted", rnd, area=rnd.party_org.area,
                     after={"participants": rnd.participant_count, "base": rnd.base_count,
                            "warning": rnd.participation_warning})
        return rnd


def approve_grade(actor, evaluation: MemberEvaluation, *, grade: str = "", note: str = "") -> MemberEvaluation:
    """A member of the street party working committee approves (or sets) a member's grade (R-DEMEV-05). The
    approved grade is the one recorded as final; a changed grade keeps the branch's proposal beside it."""
    with transaction.atomic():
        rnd = _locked(evaluation.round)
        on = timezone.localdate()
        if not access.on_pwc(actor, rnd.party_org, on):
            raise access.refuse_office(r.DEMEV_APPROVER, "not_superior_org", "只有街道党工委成员可以审定党员格次",
                                       "Only members of the street party working committee approve grades")
        _require_open(rnd, EvaluationRound.Status.SUBMITTED)
        evaluation = MemberEvaluation.objects.select_for_update().get(pk=evaluation.pk)
        if not evaluation.proposed_grade:
            raise _invalid("grade", "支部尚未提出建议格次。", "The branch has proposed no grade.", code="no_proposal")
        final = grade or evaluation.proposed_grade
        _judge(r.DEMEV_GRADES, rnd, rnd.evaluated_on, grade=final)
        evaluation.grade, evaluation.approved_at, evaluation.approved_by = final, timezone.now(), actor
        evaluation.approval_note = note.strip()[:300]
        evaluation.save()
        record_event(actor, "orglife.grade_approved", evaluation, area=rnd.party_org.area,
                     after={"proposed": evaluation.proposed_grade, "grade": final, "person": evaluation.person_id,
                            "note": evaluation.approval_note})
        return evaluation


def return_round(actor, rnd: EvaluationRound, *, reason: str) -> EvaluationRound:
    """The superior sends the round back to the branch (submitted → open), with its reason."""
    if not reason.strip():
        raise _invalid("reason", "请填写退回理由。", "Give the reason for returning the round.")
    with transaction.atomic():
        rnd = _locked(rnd)
        if not access.on_pwc(actor, rnd.party_org, timezone.localdate()):
            raise access.refuse_office(r.DEMEV_APPROVER, "not_superior_org", "只有街道党工委成员可以退回评议结果",
                                       "Only members of the street party working committee return a round")
        rnd.move_to(EvaluationRound.Status.OPEN)
        rnd.save(update_fields=["status"])
        record_event(actor, "orglife.round_returned", rnd, area=rnd.party_org.area, after={"reason": reason})
        return rnd


# Decisions (R-DEMEV-06) -------------------------------------------------------------------------------------

def record_decision(actor, evaluation: MemberEvaluation, *, kind: str, decided_on: datetime.date,
                    decided_by_body: str, measure: str = "", note: str = "",
                    agenda_item: AgendaItem | None = None) -> EvaluationDecision:
    """Record the commendation of an excellent member or the measure taken for an unqualified one (R-DEMEV-06).
    Only on an approved grade: a commendation needs `excellent`, a measure `unqualified` and one of E-11."""
    with transaction.atomic():
        rnd = _locked(evaluation.round)
        if not (access.on_branch_committee(actor, rnd.party_org, decided_on)
                or access.on_pwc(actor, rnd.party_org, decided_on)):
            raise access.refuse_office(r.DEMEV_MEASURE, "not_party_org_officer",
                                       "只有支部委员会或街道党工委成员可以登记表彰和处置决定",
                                       "Only the branch committee or the working committee records these decisions")
        _require_open(rnd, EvaluationRound.Status.SUBMITTED)
        evaluation = MemberEvaluation.objects.select_for_update().get(pk=evaluation.pk)
        wanted = {EvaluationDecision.Kind.COMMENDATION: r.EXCELLENT, EvaluationDecision.Kind.MEASURE: r.UNQUALIFIED}
        if kind not in wanted:
            raise _invalid("kind", "决定类型为表彰或处置。", "kind is commendation or measure.")
        if evaluation.grade != wanted[kind]:
            raise r.DEMEV_MEASURE.violation(
                "grade_does_not_fit", "表彰只针对审定为优秀党员者，处置只针对审定为不合格党员者",
                "Commendation needs an approved excellent grade, a measure an approved unqualified one",
                {"grade": evaluation.grade, "kind": kind})
        if kind == EvaluationDecision.Kind.MEASURE and measure not in r.MEASURE_LABELS:
            raise r.DEMEV_MEASURE.violation("unknown_measure", "处置方式须为教育帮助、限期改正、劝其退党或党内除名",
                                            "The measure is one of the four of E-11", {"measure": measure})
        if not decided_by_body.strip():
            raise _invalid("decided_by_body", "请填写作出决定的机构。", "Name the deciding body.")
        decision = EvaluationDecision.objects.create(
            evaluation=evaluation, kind=kind, measure=measure if kind == EvaluationDecision.Kind.MEASURE else "",
            decided_on=decided_on, decided_by_body=decided_by_body.strip()[:120], agenda_item=agenda_item,
            note=note.strip(), recorded_by=actor)
        record_event(actor, "orglife.decision_recorded", decision, area=rnd.party_org.area,
                     after={"kind": kind, "measure": decision.measure, "person": evaluation.person_id,
                            "decided_on": decided_on, "by": decision.decided_by_body})
        return decision


# Closing ----------------------------------------------------------------------------------------------------

def results_of(rnd: EvaluationRound) -> dict:
    """The round as filed and exported: counts, grades and decisions per member."""
    rows = []
    for e in rnd.evaluations.select_related("person").prefetch_related("decisions"):
        rows.append({"person": e.person.name, "probationary": e.probationary, "participated": e.participated,
                     "outgoing": e.outgoing, "modes": e.modes_done, "proposed_grade": e.proposed_grade,
                     "grade": e.grade, "approved_at": e.approved_at,
                     "decisions": [{"kind": d.kind, "measure": d.measure, "decided_on": d.decided_on,
                                    "by": d.decided_by_body} for d in e.decisions.all()]})
    counts = {code: sum(1 for row in rows if row["grade"] == code) for code in r.GRADE_LABELS}
    return {"party_org": rnd.party_org.name, "year": rnd.year, "evaluated_on": rnd.evaluated_on,
            "envoy": rnd.envoy_name, "base": rnd.base_count, "participants": rnd.participant_count,
            "participation_warning": rnd.participation_warning, "grades": counts, "members": rows,
            "summary": rnd.summary, "rectification": rnd.rectification, "rulebook_version": rnd.rulebook_version}


def close_round(actor, rnd: EvaluationRound, *, summary: str, rectification: str) -> EvaluationRound:
    """Close the round (R-DEMEV-07): every proposed grade approved (R-DEMEV-05), a measure for every unqualified
    member (R-DEMEV-06), summary and rectification given. Files the results into the archive and drafts the
    party-affairs disclosure item. Only the branch secretary or deputy secretary closes (they draft the item,
    R-PDISC-05)."""
    with transaction.atomic():
        rnd = _locked(rnd)
        on = timezone.localdate()
        if not access.holds_office(actor, rnd.party_org, access.BRANCH_HEADS, on):
            raise access.refuse_office(r.DEMEV_SUMMARY, "not_branch_head", "只有党组织书记或副书记可以结束评议",
                                       "Only the secretary or deputy secretary closes the round")
        _require_open(rnd, EvaluationRound.Status.SUBMITTED)
        pending = rnd.evaluations.exclude(proposed_grade="").filter(grade="").count()
        _judge(r.DEMEV_APPROVAL, rnd, on, satisfied=pending == 0, pending=pending)
        unhandled = list(rnd.evaluations.filter(grade=r.UNQUALIFIED)
                         .exclude(decisions__kind=EvaluationDecision.Kind.MEASURE).values_list("person_id", flat=True))
        _judge(r.DEMEV_MEASURE, rnd, on, satisfied=not unhandled, persons=unhandled)
        _judge(r.DEMEV_SUMMARY, rnd, on, satisfied=bool(summary.strip() and rectification.strip()))
        rnd.summary, rnd.rectification = summary.strip(), rectification.strip()
        rnd.move_to(EvaluationRound.Status.CLOSED)
        _store_participation(rnd)
        rnd.closed_at = timezone.now()
        results = results_of(rnd)
        item = disclosure.create_item(
            actor, community=rnd.party_org.area, board="party", category=DISCLOSURE_CATEGORY,
            timing_class="phased_by_stage", title=f"{rnd.year}年度民主评议党员结果",
            body=_disclosure_text(rnd, results), period_start=datetime.date(rnd.year, 1, 1),
            period_end=datetime.date(rnd.year, 12, 31))
        rnd.disclosure_item = item
        rnd.save()
        dossier = archives.open_dossier(rnd.party_org.area, Dossier.Series.GENERAL, f"demev-{rnd.year}",
                                        f"{rnd.party_org.name}{rnd.year}年度民主评议党员")
        archives.file_record(actor, dossier, kind="orglife.evaluation_results", title=f"{rnd}结果及整改措施",
                             data=results, source=rnd, occurred_at=rnd.closed_at)
        record_event(actor, "orglife.round_closed", rnd, area=rnd.party_org.area,
                     after={"grades": results["grades"], "participants": rnd.participant_count,
                            "base": rnd.base_count, "warning": rnd.participation_warning, "disclosure": item.pk})
        return rnd


def _disclosure_text(rnd: EvaluationRound, results: dict) -> str:
    grades = "，".join(f"{r.GRADE_LABELS[code][0]}{n}名" for code, n in results["grades"].items() if n)
    return (f"{rnd.party_org.name}于{rnd.evaluated_on}组织{rnd.year}年度民主评议党员，上级党组织派员{rnd.envoy_name}"
            f"参加。应参评党员{rnd.base_count}名，实际参评{rnd.participant_count}名。经街道党工委审定：{grades}。"
            f"\n整改措施：{rnd.rectification}")
