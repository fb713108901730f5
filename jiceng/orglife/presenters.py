"""What the API and the pages show of rounds, evaluations, commitments and a year's participation."""

from __future__ import annotations

from jiceng.rules import orglife as r

from . import commitments as commitment_services
from .models import Commitment, EvaluationRound, MemberEvaluation
from .participation import YearReport


def grade_label(code: str) -> str:
    return r.GRADE_LABELS[code][0] if code in r.GRADE_LABELS else ""


def round_summary(rnd: EvaluationRound) -> dict:
    return {"id": rnd.pk, "party_org": {"id": rnd.party_org_id, "name": rnd.party_org.name}, "year": rnd.year,
            "evaluated_on": rnd.evaluated_on, "status": rnd.status, "status_label": rnd.get_status_display(),
            "envoy": rnd.envoy_name, "base": rnd.base_count, "participants": rnd.participant_count,
            "participation_warning": rnd.participation_warning, "disclosure_item": rnd.disclosure_item_id,
            "rulebook_version": rnd.rulebook_version}


def evaluation_out(e: MemberEvaluation) -> dict:
    return {"id": e.pk, "person": {"id": e.person_id, "name": e.person.name}, "probationary": e.probationary,
            "participated": e.participated, "outgoing": e.outgoing, "modes": e.modes_done,
            "has_self_assessment": bool(e.self_assessment.strip()), "proposed_grade": e.proposed_grade,
            "proposed_grade_label": grade_label(e.proposed_grade), "grade": e.grade,
            "grade_label": grade_label(e.grade),
            "approved": bool(e.grade), "approved_at": e.approved_at, "approval_note": e.approval_note,
            "decisions": [{"id": d.pk, "kind": d.kind, "measure": d.measure, "decided_on": d.decided_on,
                           "decided_by_body": d.decided_by_body, "note": d.note} for d in e.decisions.all()]}


def round_detail(rnd: EvaluationRound) -> dict:
    evaluations = rnd.evaluations.select_related("person").prefetch_related("decisions")
    return {**round_summary(rnd), "summary": rnd.summary, "rectification": rnd.rectification,
            "members": [evaluation_out(e) for e in evaluations],
            "grades": {code: zh for code, (zh, _en) in r.GRADE_LABELS.items()}}


def commitment_summary(c: Commitment) -> dict:
    return {"id": c.pk, "party_org": c.party_org_id, "year": c.year, "committer_type": c.committer_type,
            "committer": c.committer_label,
            "person": c.person_id, "area": c.area, "area_label": r.AREA_LABELS.get(c.area, c.area), "title": c.title,
            "status": c.status, "status_label": c.get_status_display(), "appraisal_grade": c.appraisal_grade}


def commitment_detail(c: Commitment) -> dict:
    steps = list(c.steps.all())
    return {**commitment_summary(c), "content": c.content,
            "drafted_on": c.drafted_on, "posted_on": c.posted_on, "reviewed_on": c.reviewed_on,
            "confirmed_on": c.confirmed_on, "published_on": c.published_on, "approval": c.approval_basis or None,
            "warnings": c.warnings,
            "channels": sorted(commitment_services.channels_done(c)),
            "steps": [{"kind": s.kind, "label": s.get_kind_display(), "channel": s.channel, "on": s.occurred_on,
                       "grade": s.grade, "note": s.note, "data": s.data} for s in steps]}


def report_out(report: YearReport) -> dict:
    return {
        "party_org": {"id": report.party_org.pk, "name": report.party_org.name}, "year": report.year,
        "missed_periods": report.missed, "screenings": report.screenings,
        "duties": [{"kind": d.kind, "label": d.label, "body": d.body.pk, "rule": d.rule_id, "citation": d.citation,
                    "period": d.period, "met": d.met, "missed": d.missed,
                    "periods": [{"start": p.start, "end": p.end, "required": p.required, "held": p.held,
                                 "state": p.state} for p in d.periods],
                    "topics": [{"on": on, "title": title, "items": items} for on, title, items in d.topics]}
                   for d in report.duties],
        "members": [{"person": m.person_id, "name": m.name, "expected": m.expected, "present": m.present,
                     "rate": m.rate, "screenings": m.screenings, "by_kind": m.by_kind} for m in report.members],
    }

