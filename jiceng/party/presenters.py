"""Plain dicts of party records for the API and the templates' JSON."""

from __future__ import annotations

from jiceng.accounts import scope
from jiceng.core.masking import mask_phone

from .models import DuesPayment, MobileEpisode, PartyMember


def _d(day):
    return day.isoformat() if day else None


def member_summary(m: PartyMember) -> dict:
    return {"id": m.pk, "name": m.person.name, "person": m.person_id, "status": m.status,
            "status_label": str(PartyMember.Status(m.status).label), "community": m.community_id,
            "party_org": m.party_org_id, "group": m.group_id, "group_name": m.group.name if m.group else None,
            "applied_on": _d(m.applied_on), "activist_on": _d(m.activist_on), "target_on": _d(m.target_on),
            "admitted_on": _d(m.admitted_on), "full_on": _d(m.full_on), "left_on": _d(m.left_on),
            "in_service": m.in_service, "work_unit": m.work_unit,
            "unit_party_org": m.unit_party_org, "incoming": m.incoming}


def member_detail(m: PartyMember, user=None) -> dict:
    from .queries import unpaid_run

    return {
        **member_summary(m),
        "reported_on": _d(m.reported_on), "education": m.education, "dues": f"{m.dues_yuan:.2f}", "cycle": m.cycle,
        "vetted_on": _d(m.vetted_on), "materials": m.materials,
        "sponsors": [{"id": s.sponsor_id, "name": s.sponsor.person.name, "assigned_on": _d(s.assigned_on)}
                     for s in m.sponsorships.select_related("sponsor__person")],
        "steps": [{"kind": s.kind, "stage": s.stage, "on": _d(s.occurred_on), "passed": s.passed, "data": s.data}
                  for s in m.steps.all()],
        "notices": [{"id": n.pk, "stage": n.stage, "started_on": _d(n.started_on), "ends_on": _d(n.ends_on),
                     "disclosure": n.disclosure_id, "feedback_considered": n.feedback_considered}
                    for n in m.notices.all()],
        "households": [h.number for h in m.households.all()],
        "unpaid_months": [f"{x:%Y-%m}" for x in unpaid_run(m, scope.today())],
    }


def payment(p: DuesPayment) -> dict:
    return {"id": p.pk, "member": p.member_id, "kind": p.kind, "paid_on": _d(p.paid_on),
            "first_month": f"{p.first_month:%Y-%m}", "months": p.months, "amount": f"{p.amount:.2f}",
            "payer": p.payer_id, "consent": p.consent,
            "lines": [{"month": f"{line.month:%Y-%m}", "amount": f"{line.amount:.2f}"} for line in p.lines.all()]}


def episode(e: MobileEpisode, *, full_contact: bool = True) -> dict:
    return {"id": e.pk, "member": e.member_id, "name": e.member.person.name, "status": e.status,
            "reason": e.reason, "left_on": _d(e.left_on), "return_on": _d(e.return_on), "place": e.place,
            "place_known": e.place_known, "contact": e.contact if full_contact else mask_phone(e.contact),
            "disposition": e.disposition, "document_no": e.document_no, "inflow_org": e.inflow_org,
            "reported_in_on": _d(e.reported_in_on), "returned_on": _d(e.returned_on), "changes": e.changes}
