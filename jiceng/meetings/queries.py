"""Read helpers shared by the meeting pages and the API."""

from __future__ import annotations

from jiceng.accounts import scope
from jiceng.core.masking import mask_name

from .models import AgendaItem, Meeting
from .services import attendance_counts, results_due_on, spec_of


def meeting_detail(meeting: Meeting, user) -> dict:
    """Everything the meeting page and `GET /meetings/{id}` show, in a constant number of queries."""
    spec = spec_of(meeting)
    attendance = list(meeting.attendance.select_related("person__area").order_by("-expected", "person__name_pinyin"))
    visible = {a.person_id for a in attendance if scope.has_perm(user, "view", a.person.area)}
    items = list(meeting.items.select_related("subject_person").prefetch_related("recusals", "named_votes")
                 .order_by("order", "pk"))
    opinions = list(meeting.written_opinions.all())
    return {
        "id": meeting.pk, "kind": meeting.kind, "title": meeting.title, "body": meeting.body_id,
        "level": meeting.body.level, "status": meeting.status, "location": meeting.location,
        "scheduled_at": meeting.scheduled_at, "notice_published_at": meeting.notice_published_at,
        "notice_text": meeting.notice_text, "held_at": meeting.held_at, "closed_at": meeting.closed_at,
        "chair": meeting.chair_id, "recorder": meeting.recorder_id, "rulebook_version": meeting.rulebook_version,
        "subject_category": meeting.subject_category, "theme": meeting.theme,
        "participants_approved_at": meeting.participants_approved_at,
        "participant_confirmations": meeting.participant_confirmations,
        "results_due_on": results_due_on(meeting), "results_published_on": meeting.results_published_on,
        "overrides": meeting.overrides, "counts": attendance_counts(meeting),
        "rules": {name: rule.id for name, rule in (("notice", spec.notice), ("quorum", spec.quorum),
                                                     ("passing", spec.passing), ("publish", spec.publish)) if rule},
        "attendance": [{"person": a.person_id,
                        "name": a.person.name if a.person_id in visible else mask_name(a.person.name),
                        "expected": a.expected, "voting": a.voting, "status": a.status, "category": a.category}
                       for a in attendance],
        "items": [{"id": i.pk, "title": i.title, "kind": i.kind, "status": i.status, "outcome": i.status,
                   "subject_person": i.subject_person_id, "method": i.method, "yes": i.yes, "no": i.no,
                   "abstain": i.abstain, "rule": i.rule, "basis": i.basis, "added_ad_hoc": i.added_ad_hoc,
                   "origin": i.origin_id, "recused": [x.person_id for x in i.recusals.all()],
                   "named_votes": [{"person": v.person_id, "choice": v.choice} for v in i.named_votes.all()],
                   "decided": i.status in AgendaItem.DECIDED} for i in items],
        "written_opinions": [{"person": o.person_id, "text": o.text, "counted": False} for o in opinions],
    }
