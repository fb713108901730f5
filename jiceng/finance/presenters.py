"""Claims, ledgers and statements as the API and the screens show them (amounts as yuan strings)."""

from __future__ import annotations

from jiceng.core.masking import mask_name
from jiceng.rules.finance import DECISION_BODIES, ROLE_LABELS

from .models import Claim, Entry, Ledger, Statement
from .money import yuan


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, (role, role))[0]


def claim_summary(claim: Claim) -> dict:
    """Uses the prefetched steps only, so a list page costs a constant number of queries."""
    steps = list(claim.steps.all())
    return {
        "id": claim.pk, "area": {"id": claim.area_id, "code": claim.area.code, "name": claim.area.name},
        "level": claim.level, "community": claim.area_id if claim.level == Claim.Level.COMMUNITY else None,
        "street": claim.area_id if claim.level == Claim.Level.STREET else None, "kind": claim.kind,
        "amount": yuan(claim.amount_fen), "purpose": claim.purpose,
        "claimant": {"id": claim.claimant_id, "name": mask_name(claim.claimant.name)},
        "claimed_on": claim.claimed_on.isoformat(), "status": claim.status, "route": list(claim.route),
        "decision_required": claim.decision_required, "decision_body": claim.decision_body or None,
        "filing_required": claim.filing_required, "repair_report_required": claim.repair_report_required,
        "current_stage": claim.current_stage,
        "waiting_for": sorted({s.role for s in steps if s.stage == claim.current_stage and s.signed_at is None})
        if claim.status == Claim.Status.PENDING else [],
    }


def claim_detail(claim: Claim) -> dict:
    data = claim_summary(claim)
    data.update({
        "rules": list(claim.rules), "rulebook_version": claim.rulebook_version,
        "decision": {"agenda_item": claim.decision_item_id,
                     "decided_on": claim.decision_on.isoformat() if claim.decision_on else None,
                     "reference": claim.decision_ref,
                     "body": DECISION_BODIES.get(claim.decision_body, ("", ""))[0]}
        if claim.decision_required else None,
        "steps": [{"stage": s.stage, "role": s.role, "role_label": role_label(s.role), "area": s.area_id,
                   "person": s.person_id, "signed_by": s.signed_by_id,
                   "signed_by_name": s.signed_by.name if s.signed_by_id else None,
                   "signed_at": s.signed_at.isoformat() if s.signed_at else None, "note": s.note}
                  for s in claim.steps.all()],
        "vouchers": [{"id": v.pk, "kind": v.kind, "name": v.name, "size": v.size, "sha256": v.sha256}
                     for v in claim.vouchers.all()],
        "rejection_reason": claim.rejection_reason or None,
        "filed_at": claim.filed_at.isoformat() if claim.filed_at else None,
    })
    return data


def entry_row(entry: Entry) -> dict:
    return {"seq": entry.seq, "occurred_on": entry.occurred_on.isoformat(), "direction": entry.direction,
            "amount": yuan(entry.amount_fen), "balance": yuan(entry.balance_fen), "summary": entry.summary,
            "category": entry.category, "claim": entry.claim_id}


def ledger_summary(ledger: Ledger) -> dict:
    return {"id": ledger.pk, "area": ledger.area_id, "kind": ledger.kind, "opened_on": ledger.opened_on.isoformat(),
            "opening": yuan(ledger.opening_fen), "balance": yuan(ledger.balance_fen), "entries": ledger.entry_count}


def statement_detail(statement: Statement) -> dict:
    data = statement.data
    money = {k: yuan(v) for k, v in data["totals"].items()}
    return {
        "id": statement.pk, "area": statement.area_id, "year": statement.year, "month": statement.month,
        "sha256": statement.sha256, "disclosure_item": statement.disclosure_id,
        "totals": {k.removesuffix("_fen"): v for k, v in money.items()},
        "journals": [{"kind": j["kind"], **{k.removesuffix("_fen"): yuan(v) for k, v in j.items() if k != "kind"}}
                     for j in data["journals"]],
        "rows": [{"item": row["item"], "income": yuan(row["income_fen"]), "expense": yuan(row["expense_fen"])}
                 for row in data["rows"]],
    }
