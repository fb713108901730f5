"""Dicts for the API and the pages: the staff view of an item, and the public view with personal data masked."""

from __future__ import annotations

from django.utils import timezone

from jiceng.core.masking import mask_name, mask_phone, mask_text
from jiceng.rules.disclosure import TIMING_CLASSES

from .models import DisclosureItem, Feedback
from .tables import public_tables


def _iso(value):
    return value.isoformat() if value is not None else None


def _user(user):
    return user.get_username() if user is not None else None


def public_item(item: DisclosureItem) -> dict:
    """What anyone may read: no drafts, no people's names in full, no ID numbers or phones (ARCHITECTURE §5)."""
    successor = getattr(item, "superseded_by", None) if item.status == DisclosureItem.Status.SUPERSEDED else None
    return {
        "id": item.pk, "community": item.community_id, "board": item.board, "category": item.category,
        "category_label": item.category_label, "timing_class": item.timing_class,
        "timing_label": TIMING_CLASSES[item.timing_class][0], "title": item.title, "body": mask_text(item.body),
        "tables": public_tables(item.tables), "period_start": _iso(item.period_start),
        "period_end": _iso(item.period_end), "published_at": _iso(item.published_at),
        "withdraw_on": _iso(item.withdraw_on), "status": item.status, "version": item.version,
        "supersedes": item.supersedes_id, "correction_reason": item.correction_reason,
        "superseded_by": successor.pk if successor is not None else None,
        "correction_required": item.correction_required_at is not None,
        "attachments": [{"name": a.name, "size": a.size, "sha256": a.sha256, "media_type": a.media_type}
                        for a in item.attachments.all()],
        "content_sha256": item.content_sha256,
    }


def staff_item(item: DisclosureItem) -> dict:
    data = public_item(item)
    data.update({
        "body": item.body, "tables": item.tables, "status_label": DisclosureItem.Status(item.status).label,
        "results_of": item.results_of_id, "created_by": _user(item.created_by), "created_at": _iso(item.created_at),
        "reviewed_by": _user(item.reviewed_by), "reviewed_at": _iso(item.reviewed_at), "review_note": item.review_note,
        "decision": item.decision_id, "signed_by": _user(item.signed_by), "signed_at": _iso(item.signed_at),
        "published_by": _user(item.published_by), "withdrawn_at": _iso(item.withdrawn_at),
        "withdraw_reason": item.withdraw_reason,
        "correction_required_at": _iso(item.correction_required_at),
        "on_board": item.status in (DisclosureItem.Status.PUBLISHED, DisclosureItem.Status.SUPERSEDED)
        and (item.withdraw_on is None or item.withdraw_on > timezone.localdate()),
    })
    return data


def public_feedback(feedback: Feedback) -> dict:
    """Shown on a board or by tracking code: the question and a public reply; never contact details."""
    return {
        "tracking_code": feedback.tracking_code, "kind": feedback.kind, "item": feedback.item_id,
        "received_on": _iso(timezone.localdate(feedback.received_at)), "due_on": _iso(feedback.due_on),
        "status": feedback.status, "reply": feedback.reply if feedback.reply_public else "",
        "replied_on": _iso(timezone.localdate(feedback.replied_at)) if feedback.replied_at else None,
    }


def staff_feedback(feedback: Feedback, *, personal: bool) -> dict:
    data = public_feedback(feedback)
    data.update({
        "id": feedback.pk, "community": feedback.community_id, "board": feedback.board, "text": feedback.text,
        "name": feedback.name if personal else mask_name(feedback.name),
        "phone": feedback.phone if personal else mask_phone(feedback.phone),
        "reply": feedback.reply, "reply_public": feedback.reply_public,
        "face_to_face_on": _iso(feedback.face_to_face_on), "overdue": feedback.status == Feedback.Status.OPEN
        and feedback.due_on < timezone.localdate(),
    })
    return data
