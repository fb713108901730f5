"""A matter as the API and the pages show it: its timeline, what is due next and by whom, its deadlines."""

from __future__ import annotations

from django.utils import timezone

from jiceng.rules import decisions as r
from jiceng.rules.base import check

from .models import Matter, MatterDocument, Progress
from .services import STEPS, missing_records, opinion_counts


def _iso(value):
    return value.isoformat() if value is not None else None


def next_step(matter: Matter) -> str | None:
    if matter.status != Matter.Status.OPEN:
        return None
    done = {s.step for s in matter.steps.all()}
    return next((s for s in STEPS[matter.template] if s not in done), None)


def resolution_due(matter: Matter):
    if matter.resolved_at is None:
        return None
    day = timezone.localdate(matter.resolved_at)
    return check(r.RESOLUTION_PUBLISHED, area=matter.community, on=day, event_on=day).value


def matter_summary(matter: Matter) -> dict:
    step = next_step(matter)
    return {"id": matter.pk, "community": matter.community_id, "template": matter.template, "topic": matter.topic,
            "title": matter.title, "status": matter.status, "step": matter.step,
            "step_label": r.STEP_LABELS[matter.step][0], "next_step": step,
            "next_step_label": r.STEP_LABELS[step][0] if step else None,
            "next_by": r.STEP_ACTORS.get(step, ("", ""))[0] if step else None, "waiting_on": matter.waiting_on,
            "created_at": _iso(matter.created_at)}


def document_row(document: MatterDocument) -> dict:
    return {"id": document.pk, "kind": document.kind, "kind_label": MatterDocument.Kind(document.kind).label,
            "name": document.name, "media_type": document.media_type, "size": document.size,
            "sha256": document.sha256, "progress": document.progress_id, "uploaded_at": _iso(document.uploaded_at)}


def documents(matter: Matter) -> list[dict]:
    return [document_row(d) for d in matter.documents.all()]


def matter_detail(matter: Matter) -> dict:
    records = {s.step: s for s in matter.steps.select_related("agenda_item__meeting", "disclosure")}
    timeline = []
    for step in STEPS[matter.template]:
        rec = records.get(step)
        meeting = rec.agenda_item.meeting if rec and rec.agenda_item else None
        timeline.append({
            "step": step, "label": r.STEP_LABELS[step][0], "label_en": r.STEP_LABELS[step][1],
            "by": r.STEP_ACTORS.get(step, ("", ""))[0], "stage": r.STAGE_OF_STEP.get(step, ""),  # R-WF-15
            "done": rec is not None,
            "occurred_at": _iso(rec.occurred_at) if rec else None, "note": rec.note if rec else "",
            "meeting": {"id": meeting.pk, "title": meeting.title, "kind": meeting.kind} if meeting else None,
            "agenda_item": rec.agenda_item_id if rec else None, "disclosure": rec.disclosure_id if rec else None})
    solicitation = getattr(matter, "solicitation", None)
    due = resolution_due(matter)
    data = matter_summary(matter)
    data.update({
        "summary": matter.summary, "initiator": matter.initiator,
        "budget": str(matter.budget) if matter.budget is not None else None,
        "resolution": matter.resolution, "resolved_at": _iso(matter.resolved_at), "amends": matter.amends_id,
        "timeline": timeline, "rulebook_version": matter.rulebook_version,
        "deadlines": {"resolution_published": _iso(due)} if due else {},
        "solicitation": None if solicitation is None else {
            "question": solicitation.question, "opened_at": _iso(solicitation.opened_at),
            "deadline": _iso(solicitation.deadline), "open": solicitation.is_open, "summary": solicitation.summary,
            "hearing": matter.hearing_id, "preferred_plan": solicitation.preferred_plan,
            "counts": opinion_counts(solicitation)},
        "publications": {"resolution": matter.resolution_item_id, "result": matter.result_item_id},
        "progress": [{"id": p.pk, "kind": p.kind, "text": p.text, "occurred_at": _iso(p.occurred_at),
                      "responds_to": p.responds_to_id, "done": p.done,
                      "answered": p.kind != Progress.Kind.REMARK or hasattr(p, "response")}
                     for p in matter.progress.select_related("response")],
        "documents": documents(matter),
        "dossier": {"id": matter.dossier_id, "records": matter.dossier.records.count(),
                    "missing": missing_records(matter)},
    })
    return data
