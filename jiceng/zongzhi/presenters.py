"""Dicts of the 综治 records for the API and the pages: parties masked for a user without Perm.VIEW_PERSONAL_DATA
on the dispute's community (ARCHITECTURE §5); the timeline of a case; its due dates and whether each is late."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.core.masking import mask_address, mask_id_number, mask_name, mask_phone
from jiceng.rules import zongzhi as r


def may_see_parties(user, dispute) -> bool:
    return scope.has_perm(user, Perm.VIEW_PERSONAL_DATA, dispute.area)


def party(p, *, masked: bool) -> dict:
    if masked:
        return {"side": p.side, "side_label": p.get_side_display(), "name": mask_name(p.name),
                "phone": mask_phone(p.phone) if p.phone else "",
                "id_number": mask_id_number(p.id_number) if p.id_number else "",
                "address": mask_address(p.address) if p.address else "", "masked": True}
    return {"side": p.side, "side_label": p.get_side_display(), "name": p.name, "phone": p.phone,
            "id_number": p.id_number, "address": p.address, "masked": False}


def dues(dispute, today=None) -> dict:
    """Each stage's due date, and whether it is late (done after it, or open past it)."""
    today = today or timezone.localdate()
    assigned_on = timezone.localdate(dispute.assigned_at) if dispute.assigned_at else None
    reported_on = timezone.localdate(dispute.reported_at) if dispute.reported_at else None
    visits = [f.visited_on for f in dispute.follow_ups.all()]
    return {
        "assign": {"due": dispute.assign_due, "done": assigned_on,
                   "late": r.is_overdue(dispute.assign_due, assigned_on, today)},
        "mediation": {"due": dispute.mediation_due, "done": reported_on,
                      "late": r.is_overdue(dispute.mediation_due, reported_on, today)},
        "follow_up": {"due": dispute.follow_up_due, "done": min(visits) if visits else None,
                      "late": r.is_overdue(dispute.follow_up_due, min(visits) if visits else None, today)},
    }


def summary(dispute, user, today=None) -> dict:
    masked = not may_see_parties(user, dispute)
    d = dues(dispute, today)
    return {
        "id": dispute.pk, "register_no": dispute.register_no, "title": dispute.title,
        "community": {"id": dispute.area_id, "name": dispute.area.name},
        "category": dispute.category, "category_label": r.label(r.CATEGORIES, dispute.category),
        "level": dispute.level, "level_label": r.label(r.LEVELS, dispute.level),
        "tier": dispute.tier, "status": dispute.status, "status_label": dispute.get_status_display(),
        "registered_at": dispute.registered_at,
        "parties": [party(p, masked=masked) for p in dispute.parties.all()],
        "due": {stage: v["due"] for stage, v in d.items()},
        "late": [stage for stage, v in d.items() if v["late"]],
        "mediator": dispute.mediator.name if dispute.mediator_id else "",
    }


def timeline(dispute) -> list[dict]:
    """What happened to the case, in order (registration, assignments, sessions, agreement, escalations, 报结,
    visits, chasers, 销案)."""
    events = [{"at": dispute.registered_at, "kind": "registered", "label": _("登记受理"),
               "text": _("第一接待人：%(user)s") % {"user": dispute.first_receiver.get_username()}}]
    for a in dispute.assignments.all():
        events.append({"at": a.occurred_at, "kind": "assigned", "label": _("改派") if a.reason else _("交办"),
                       "text": _("%(unit)s · %(mediator)s · 完成时间%(deadline)s") % {
                           "unit": a.unit, "mediator": a.mediator.name, "deadline": a.deadline}
                       + (_(" · 理由：%(reason)s") % {"reason": a.reason} if a.reason else "")})
    for s in dispute.sessions.all():
        kind = _("调解（%(type)s）") % {"type": r.MEDIATION_TYPES[s.mediation_type]}
        events.append({"at": s.held_at, "kind": "session", "label": kind,
                       "text": _("经过：%(process)s；结果：%(outcome)s") % {"process": s.process,
                                                                       "outcome": s.outcome}})
    agreement = getattr(dispute, "agreement", None)
    if agreement is not None:
        events.append({"at": agreement.recorded_at, "kind": "agreement", "label": _("调解协议书"),
                       "text": _("签订日期%(day)s") % {"day": agreement.signed_on}})
    for e in dispute.escalations.all():
        events.append({"at": e.occurred_at, "kind": "escalated", "label": _("上报"),
                       "text": f"{r.TIER_LABELS[e.from_tier][0]} → {r.TIER_LABELS[e.to_tier][0]}：{e.reason}"})
    if dispute.reported_at:
        events.append({"at": dispute.reported_at, "kind": "reported_closed", "label": _("报结"),
                       "text": f"{dispute.get_outcome_display()}：{dispute.result}"})
    for c in dispute.chaser_records.all():
        events.append({"at": c.occurred_at, "kind": "chased", "label": _("催办"), "text": c.note})
    for f in dispute.follow_ups.all():
        at = timezone.make_aware(datetime.datetime.combine(f.visited_on, datetime.time()))
        at = max(at, dispute.reported_at) if dispute.reported_at else at  # a visit follows 报结 on its day
        kind = _("回访（%(method)s）") % {"method": f.get_method_display()}
        events.append({"at": at, "kind": "follow_up", "label": kind,
                       "text": f.situation})
    if dispute.leader_handled_at:
        events.append({"at": dispute.leader_handled_at, "kind": "leader_handling", "label": _("领导亲自处理"),
                       "text": dispute.leader_handling})
    if dispute.closed_at:
        events.append({"at": dispute.closed_at, "kind": "closed", "label": _("销案"), "text": ""})
    return sorted(events, key=lambda e: e["at"])


def detail(dispute, user, today=None) -> dict:
    data = summary(dispute, user, today)
    data.update({
        "facts": dispute.facts, "source": dispute.source, "mediation_types": dispute.mediation_types,
        "first_receiver": dispute.first_receiver.get_username(), "owner": dispute.owner.get_username(),
        "responsible_unit": dispute.responsible_unit, "responsible_person": dispute.responsible_person,
        "requirements": dispute.requirements, "outcome": dispute.outcome, "result": dispute.result,
        "chasers": dispute.chasers, "rulebook_version": dispute.rulebook_version,
        "collective": dispute.collective, "leader_handled_at": dispute.leader_handled_at,
        "dues": {stage: {"due": v["due"], "done": v["done"], "late": v["late"]}
                 for stage, v in dues(dispute, today).items()},
        "agreement": ({"signed_on": dispute.agreement.signed_on, "terms": dispute.agreement.terms}
                      if hasattr(dispute, "agreement") else None),
        "timeline": [{"at": e["at"], "kind": e["kind"], "label": e["label"], "text": e["text"]}
                     for e in timeline(dispute)],
    })
    return data


DETAIL_PREFETCH = ("parties", "assignments__mediator", "sessions", "escalations", "follow_ups", "chaser_records")
DETAIL_RELATED = ("area", "mediator", "first_receiver", "owner", "agreement")
