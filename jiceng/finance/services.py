"""Every change to finance records: posts, claims and their signatures, decisions, vouchers, budgets, journal
entries and monthly statements (rules-admin §2.7 A-FIN).

Each function takes the acting user, checks scope and the posts the user's person holds that day, judges the
rules (jiceng.rules.finance), writes in one transaction, appends an audit event and files what the
accounting archive keeps (approvals, statements) into the area's yearly finance dossier.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.archives import services as archives
from jiceng.audit.services import record_event
from jiceng.core import uploads
from jiceng.core.errors import Conflict, IllegalTransition, PermissionDenied, ValidationFailed
from jiceng.meetings.models import AgendaItem, Kind
from jiceng.orgs.models import Area, Person
from jiceng.rules import finance as r
from jiceng.rules.base import check, params_for

from . import posts
from .models import Budget, Claim, Entry, FinancePost, Ledger, Statement, Step, Voucher
from .money import parse_amount, yuan

BOOKKEEPERS = ("accountant", "cashier", "finance_staff", "reimbursement_clerk")
# Who may refuse a claim besides the approvers on its route (A-FIN-06, A-FIN-30, A-FIN-37).
REFUSERS = BOOKKEEPERS
DECISION_KINDS = {"member_congress": (Kind.MEMBER_CONGRESS,), "street_party_working_committee": (Kind.PWC_MEETING,)}
MAX_VOUCHERS_PER_CLAIM = 30


def _today() -> datetime.date:
    return timezone.localdate()


def _person_id(actor) -> int | None:
    account = getattr(actor, "account", None)
    return account.person_id if account is not None else None


def _invalid(field: str, zh: str, en: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(zh, en, code=code, facts={"field": field})


def _require(actor, area: Area, perm: str = Perm.VIEW) -> None:
    if not scope.has_perm(actor, perm, area):
        raise PermissionDenied(f"您无权处理「{area}」的财务。", f"You may not handle the finances of {area.code}.",
                               facts={"area": area.code})


def street_of(area: Area) -> Area:
    street = area.ancestor_at(Area.Level.STREET)
    if street is None:
        raise _invalid("community", "该社区不属于任何街道。", "The community belongs to no street.")
    return street


def post_area(claim_area: Area, role: str, street: Area | None = None) -> Area:
    """Where a route's post is held: the street for street posts, else the claim's community."""
    if role in r.STREET_POSTS and claim_area.level == Area.Level.COMMUNITY:
        return street or street_of(claim_area)
    return claim_area


def _dossier(area: Area, year: int):
    return archives.open_dossier(area, "general", f"finance-{year}", f"{area.name}会计档案（{year}年）",
                                 retention="fixed_30y")


def _file(actor, area: Area, obj, kind: str, title: str, data: dict, at: datetime.datetime) -> None:
    archives.file_record(actor, _dossier(area, timezone.localtime(at).year), kind=f"finance.{kind}", title=title,
                         data=data, source=obj, occurred_at=at)


# Posts -------------------------------------------------------------------------------------------------------

@transaction.atomic
def assign_post(actor, *, person: Person, area: Area, post: str, start_on: datetime.date,
                end_on: datetime.date | None = None) -> FinancePost:
    """Record that `person` holds a finance post (rules-admin §1.2) in a community or at the street.

    A-FIN-01: accountant and cashier are different persons and the committee director is never cashier.
    Raises PermissionDenied, ValidationFailed, RuleViolation `cashier_incompatible`."""
    _require(actor, area, Perm.MANAGE_MEMBERSHIPS)
    if post not in r.ROLE_LABELS:
        raise _invalid("post", f"未知的岗位 {post}。", f"Unknown post {post}.")
    if area.level not in (Area.Level.COMMUNITY, Area.Level.STREET):
        raise _invalid("area", "财务岗位设在社区或街道。", "Finance posts are held in a community or a street.")
    if end_on is not None and end_on < start_on:
        raise _invalid("end_on", "任职结束日期早于开始日期。", "The end date is before the start date.")
    held = posts.posts_of(person.pk, area, start_on)
    incompatible = {"cashier": {"accountant", "rc_director"}, "accountant": {"cashier"},
                    "rc_director": {"cashier"}}.get(post, set())
    clash = sorted(held & incompatible)
    check(r.CASHIER_SEPARATE, area=area, on=start_on, satisfied=not clash, post=post, holds=clash)
    row = FinancePost.objects.create(person=person, area=area, post=post, start_on=start_on, end_on=end_on)
    record_event(actor, "finance.post_assigned", row, area=area,
                 after={"person": person.pk, "post": post, "start_on": start_on, "end_on": end_on})
    return row


FUND_HOLDERS = ("accountant", "cashier", "finance_staff", "reimbursement_clerk")


@transaction.atomic
def end_post(actor, row: FinancePost, *, end_on: datetime.date, audit_ref: str = "", successor: Person | None = None,
             handover_note: str = "") -> FinancePost:
    """End a finance post. A-FIN-09: a fund holder (accountant, cashier, finance staff) leaves only with the
    departure audit on record and a handover to a named successor. Raises PermissionDenied, ValidationFailed,
    RuleViolation `departure_audit_missing`, Conflict when already ended."""
    row = FinancePost.objects.select_for_update().select_related("area").get(pk=row.pk)
    _require(actor, row.area, Perm.MANAGE_MEMBERSHIPS)
    if row.end_on is not None:
        raise Conflict(f"该岗位已于{row.end_on}结束。", f"The post ended on {row.end_on}.", code="post_ended")
    if end_on < row.start_on:
        raise _invalid("end_on", "任职结束日期早于开始日期。", "The end date is before the start date.")
    audit_ref, handover_note = (audit_ref or "").strip(), (handover_note or "").strip()
    if row.post in FUND_HOLDERS:
        complete = bool(audit_ref and handover_note and successor is not None and successor.pk != row.person_id)
        check(r.DEPARTURE_AUDIT, area=row.area, on=end_on, satisfied=complete, post=row.post,
              audit_ref=audit_ref, successor=successor.pk if successor else None)
    row.end_on, row.audit_ref, row.successor, row.handover_note = end_on, audit_ref[:200], successor, handover_note
    row.save(update_fields=["end_on", "audit_ref", "successor", "handover_note"])
    record_event(actor, "finance.post_ended", row, area=row.area,
                 after={"end_on": end_on, "audit_ref": audit_ref, "successor": successor.pk if successor else None})
    if row.post in FUND_HOLDERS:
        _file(actor, row.area, row, "handover", f"财务交接：{row.get_post_display()}",
              {"post": row.post, "person": row.person_id, "end_on": end_on, "audit_ref": audit_ref,
               "successor": successor.pk if successor else None, "handover": handover_note}, timezone.now())
    return row


# Claims ------------------------------------------------------------------------------------------------------

def route_params(area: Area, on: datetime.date) -> tuple[dict, str]:
    """The parameters of every route rule in force for the area's district on `on`, and the version label."""
    values, label = {}, "default"
    for rule in r.ROUTE_RULES:
        values[rule.key], version = params_for(rule, area, on)
        if version != "default":
            label = version
    return values, label


def route_for(area: Area, *, amount_fen: int, kind: str, claimant: Person, on: datetime.date) -> tuple[r.Route, str]:
    """The route the rules give for this claim, judged under the rulebook version in force on `on`."""
    level = r.COMMUNITY if area.level == Area.Level.COMMUNITY else r.STREET
    claimant_posts = posts.posts_of(claimant.pk, area, on)
    director_is_secretary = False
    if level == r.COMMUNITY:
        director_is_secretary = bool(posts.holders("rc_director", area, on)
                                     & posts.holders("community_party_secretary", area, on))
    params, version = route_params(area, on)
    route = r.expense_route(level=level, amount_fen=amount_fen, kind=kind, claimant_roles=claimant_posts,
                            director_is_secretary=director_is_secretary, params=params)
    return route, version


def can_file(actor, area: Area, claimant: Person) -> bool:
    """Staff who run the area's work file claims; anyone in scope may file their own."""
    if scope.has_perm(actor, Perm.RUN_MEETINGS, area):
        return True
    return _person_id(actor) == claimant.pk and scope.has_perm(actor, Perm.VIEW, area)


def _snapshot(claim: Claim) -> dict:
    return {"id": claim.pk, "area": claim.area.code, "level": claim.level, "kind": claim.kind,
            "amount": yuan(claim.amount_fen), "purpose": claim.purpose, "claimant": claim.claimant_id,
            "claimed_on": claim.claimed_on, "status": claim.status, "route": claim.route,
            "decision_required": claim.decision_required, "decision_item": claim.decision_item_id,
            "decision_on": claim.decision_on, "decision_ref": claim.decision_ref,
            "steps": [{"stage": s.stage, "role": s.role, "area": s.area_id, "person": s.person_id,
                       "signed_by": s.signed_by_id, "signed_at": s.signed_at, "note": s.note}
                      for s in claim.steps.order_by("stage", "pk")],
            "vouchers": [{"kind": v.kind, "name": v.name, "sha256": v.sha256} for v in claim.vouchers.all()],
            "rejection_reason": claim.rejection_reason}


def create_claim(actor, *, area: Area, amount, purpose: str, claimant: Person, kind: str = "ordinary",
                 claimed_on: datetime.date | None = None) -> Claim:
    """File an expense claim of a community or the street office and lay out its route.

    The route comes from the rules (A-FIN-04/07 for communities; A-FIN-20/34/35/36/39 for the street):
    one step per post in order, one step per leadership member from the all-leader bound (A-FIN-34),
    the claimant being the handler (经办人/经手人). Raises ValidationFailed for bad input,
    PermissionDenied when the actor may not file here."""
    if area.level not in (Area.Level.COMMUNITY, Area.Level.STREET):
        raise _invalid("community", "报销单属于一个社区或一个街道办事处。",
                       "A claim belongs to a community or a street.")
    _require(actor, area)
    amount_fen = parse_amount(amount)
    purpose = (purpose or "").strip()
    if not purpose or len(purpose) > 500:
        raise _invalid("purpose", "请写明用途（不超过500字）。", "State the purpose (up to 500 characters).")
    if kind not in r.KINDS:
        raise _invalid("kind", f"未知的支出类别 {kind}。", f"Unknown kind {kind!r}.")
    on = claimed_on or _today()
    if on > _today():
        raise _invalid("claimed_on", "报销日期不能晚于今天。", "The claim date cannot be in the future.")
    if not can_file(actor, area, claimant):
        raise PermissionDenied("您只能提交本人的报销单。", "You may only file your own claims here.")
    route, version = route_for(area, amount_fen=amount_fen, kind=kind, claimant=claimant, on=on)
    street = street_of(area) if area.level == Area.Level.COMMUNITY else area
    with transaction.atomic():
        claim = Claim.objects.create(
            area=area, level=route.level, kind=kind, amount_fen=amount_fen, purpose=purpose, claimant=claimant,
            claimed_on=on, route=list(route.steps), rules=list(route.rules), decision_required=route.decision_required,
            decision_body=route.decision_body, filing_required=route.filing_required,
            repair_report_required=route.repair_report_required, rulebook_version=version, created_by=actor)
        steps = []
        for stage, role in enumerate(route.steps, start=1):
            where = post_area(area, role, street)
            if role == "leadership_member":
                people = sorted(posts.holders(role, where, on) - {claimant.pk})
                steps += [Step(claim=claim, stage=stage, role=role, area=where, person_id=pid) for pid in people]
                if people:
                    continue
            steps.append(Step(claim=claim, stage=stage, role=role, area=where))
        Step.objects.bulk_create(steps)
        record_event(actor, "finance.claim_filed", claim, area=area,
                     after={"amount": yuan(amount_fen), "route": list(route.steps), "kind": kind,
                            "decision_required": route.decision_required, "claimant": claimant.pk})
        return claim


def _locked(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().select_related("area", "claimant").get(pk=claim.pk)


def _order_rule(claim: Claim):
    return r.COMMUNITY_ORDER if claim.level == Claim.Level.COMMUNITY else r.STREET_ORDER


def _signer_rule(claim: Claim):
    return r.SIGNERS if claim.level == Claim.Level.COMMUNITY else r.COSIGN


def signable_steps(claim: Claim, person_id: int | None, on: datetime.date) -> list[Step]:
    """The open steps of `claim` the person may sign by the posts they hold on `on` (any stage)."""
    if person_id is None:
        return []
    found = []
    for step in claim.steps.filter(signed_at__isnull=True).select_related("area").order_by("stage", "pk"):
        if step.person_id is not None:
            if step.person_id == person_id:
                found.append(step)
        elif posts.holds(person_id, step.role, step.area, on):
            found.append(step)
    return found


def _when(claim: Claim, occurred_at: datetime.datetime | None) -> datetime.datetime:
    """When a signature was given: now, or earlier when entered late (补录), never before the claim or in the
    future, and never before the signature before it."""
    if occurred_at is None:
        return timezone.now()
    if timezone.is_naive(occurred_at):
        raise _invalid("occurred_at", "时间须带时区。", "Times must carry a time zone.")
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise _invalid("occurred_at", "不能记录将来的签字。", "A signature cannot be dated in the future.")
    last = (claim.steps.filter(signed_at__isnull=False).order_by("-signed_at")
            .values_list("signed_at", flat=True).first())
    if timezone.localdate(occurred_at) < claim.claimed_on or (last is not None and occurred_at < last):
        raise _invalid("occurred_at", "签字时间早于报销日期或上一步签字。",
                       "The signature predates the claim or the previous signature.")
    return occurred_at


def approve(actor, claim: Claim, *, note: str = "", occurred_at: datetime.datetime | None = None) -> Claim:
    """Sign the claim's next step the actor's person holds the post for.

    Enforces: A-FIN-39 nobody signs their own claim; the collective decision first (A-FIN-07 member congress,
    A-FIN-35 working committee); A-FIN-34 repair audit report; the route's order (A-FIN-36 all co-signatures
    before approval, A-FIN-07 signatures before the street's consent); distinct signers (A-FIN-04/36).
    The last signature approves the claim; a claim that needs 备案 is filed (A-FIN-07)."""
    with transaction.atomic():
        claim = _locked(claim)
        at = _when(claim, occurred_at)
        on = timezone.localdate(at)
        _require(actor, claim.area)
        if claim.status != Claim.Status.PENDING:
            raise IllegalTransition(claim, current=Claim.Status(claim.status).label, wanted=Claim.Status.APPROVED.label)
        person_id = _person_id(actor)
        mine = signable_steps(claim, person_id, on)
        if not mine:
            raise PermissionDenied("您不在本报销单的审批路线上（按当日任职判断）。",
                                   "You hold no post on this claim's route today.", code="not_on_route")
        step = mine[0]
        check(r.OWN_CLAIM, area=claim.area, on=on, approver_id=person_id, claimant_id=claim.claimant_id,
              role=step.role)
        if claim.decision_required:
            rule = r.CONGRESS_DECISION if claim.decision_body == "member_congress" else r.COMMITTEE_DECISION_FIRST
            check(rule, area=claim.area, on=on, satisfied=claim.decision_recorded, claim=claim.pk,
                  amount=yuan(claim.amount_fen))
        if claim.repair_report_required:
            has_report = claim.vouchers.filter(kind=Voucher.Kind.REPAIR_AUDIT_REPORT).exists()
            check(r.REPAIR_REPORT, area=claim.area, on=on, satisfied=has_report, claim=claim.pk)
        if step.stage > claim.current_stage:
            waiting = list(claim.steps.filter(stage=claim.current_stage, signed_at__isnull=True)
                           .values_list("role", flat=True))
            check(_order_rule(claim), area=claim.area, on=on, satisfied=False, waiting_for=waiting,
                  current_stage=claim.current_stage, your_step=step.role)
        if step.person_id is None:
            signed_twice = claim.steps.filter(person__isnull=True, signed_by_id=person_id).exists()
            if signed_twice:
                rule = _signer_rule(claim)
                raise rule.violation("same_signer", "同一人不能在一张报销单上签两个岗位",
                                     "One person cannot sign two posts on one claim",
                                     {"person": person_id, "role": step.role})
        step.signed_by_id, step.signed_user, step.signed_at = person_id, actor, at
        step.note = (note or "").strip()[:500]
        step.save(update_fields=["signed_by", "signed_user", "signed_at", "note"])
        record_event(actor, "finance.claim_signed", claim, area=claim.area, occurred_at=at,
                     after={"stage": step.stage, "role": step.role, "person": person_id})
        open_here = claim.steps.filter(stage=claim.current_stage, signed_at__isnull=True).exists()
        if not open_here:
            later = claim.steps.filter(signed_at__isnull=True).order_by("stage").first()
            if later is None:
                claim.move_to(Claim.Status.APPROVED)
                claim.decided_at = at
                if claim.filing_required:
                    claim.filed_at = at
            else:
                claim.current_stage = later.stage
        claim.save(update_fields=["status", "decided_at", "filed_at", "current_stage"])
        if claim.status == Claim.Status.APPROVED:
            record_event(actor, "finance.claim_approved", claim, area=claim.area, occurred_at=at,
                         after={"status": claim.status, "filed": claim.filed_at is not None})
            _file(actor, claim.area, claim, "claim_approved", f"报销审批单：{claim.purpose}", _snapshot(claim), at)
        return claim


def reject(actor, claim: Claim, *, reason: str) -> Claim:
    """Refuse a claim with the reason (A-FIN-37, A-FIN-06/30): an approver on its route or the finance staff."""
    on = _today()
    with transaction.atomic():
        claim = _locked(claim)
        _require(actor, claim.area)
        if claim.status != Claim.Status.PENDING:
            raise IllegalTransition(claim, current=Claim.Status(claim.status).label, wanted=Claim.Status.REJECTED.label)
        person_id = _person_id(actor)
        staff = any(posts.holds(person_id, post, claim.area, on) for post in REFUSERS)
        if not staff and not signable_steps(claim, person_id, on):
            raise PermissionDenied("只有审批路线上的人员或财会人员可以拒绝报销。",
                                   "Only approvers on the route or finance staff may refuse a claim.",
                                   code="not_on_route")
        reason = check(r.REFUSAL, area=claim.area, on=on, reason=(reason or "").strip()).value["reason"]
        claim.move_to(Claim.Status.REJECTED)
        claim.rejection_reason, claim.decided_at = reason[:2000], timezone.now()
        claim.save(update_fields=["status", "rejection_reason", "decided_at"])
        record_event(actor, "finance.claim_rejected", claim, area=claim.area, after={"reason": reason})
        _file(actor, claim.area, claim, "claim_rejected", f"拒绝报销：{claim.purpose}", _snapshot(claim),
              claim.decided_at)
        return claim


def record_decision(actor, claim: Claim, *, agenda_item: AgendaItem | None = None,
                    decided_on: datetime.date | None = None, reference: str = "") -> Claim:
    """Link the collective decision a claim needs: a passed item of the member congress (A-FIN-07) or of a
    working-committee meeting (A-FIN-35) of the claim's area, or a decision recorded by date and reference."""
    on = _today()
    with transaction.atomic():
        claim = _locked(claim)
        _require(actor, claim.area, Perm.RUN_MEETINGS)
        if not claim.decision_required:
            raise Conflict("本报销单无需集体决定。", "This claim needs no collective decision.",
                           code="decision_not_required")
        if claim.status != Claim.Status.PENDING or claim.decision_recorded:
            raise Conflict("决定已登记或报销单已办结。", "The decision is recorded or the claim is closed.",
                           code="decision_recorded")
        rule = r.CONGRESS_DECISION if claim.decision_body == "member_congress" else r.COMMITTEE_DECISION_FIRST
        if agenda_item is not None:
            meeting = agenda_item.meeting
            fits = (meeting is not None and meeting.kind in DECISION_KINDS[claim.decision_body]
                    and meeting.body.area_id == claim.area_id and agenda_item.status == AgendaItem.Status.PASSED)
            check(rule, area=claim.area, on=on, satisfied=fits, agenda_item=agenda_item.pk,
                  meeting_kind=meeting.kind if meeting else None, item_status=agenda_item.status)
            claim.decision_item, claim.decision_on = agenda_item, meeting.occurred_on
            claim.decision_ref = (reference or meeting.title)[:200]
        else:
            reference = (reference or "").strip()
            if decided_on is None or not reference:
                raise _invalid("reference", "请登记决定日期和会议记录或文号。",
                               "Give the decision's date and its minutes or reference.")
            if decided_on > on:
                raise _invalid("decided_on", "决定日期不能晚于今天。", "The decision date cannot be in the future.")
            claim.decision_on, claim.decision_ref = decided_on, reference[:200]
        claim.save(update_fields=["decision_item", "decision_on", "decision_ref"])
        record_event(actor, "finance.decision_recorded", claim, area=claim.area,
                     after={"agenda_item": claim.decision_item_id, "decided_on": claim.decision_on,
                            "reference": claim.decision_ref})
        return claim


# Vouchers ----------------------------------------------------------------------------------------------------

def add_voucher(actor, *, area: Area, kind: str, name: str, content: bytes, claim: Claim | None = None) -> Voucher:
    """Store an original voucher (shared upload checks, SHA-256). A-FIN-05: an informal slip is refused."""
    if claim is not None:
        area = claim.area
    _require(actor, area)
    if kind not in Voucher.Kind.values:
        raise _invalid("kind", f"未知的凭证类型 {kind}。", f"Unknown voucher kind {kind!r}.")
    check(r.NO_INFORMAL_SLIP, area=area, on=_today(), satisfied=kind != Voucher.Kind.INFORMAL_SLIP, kind=kind)
    checked = uploads.check(name, content)
    with transaction.atomic():
        if claim is not None:
            claim = _locked(claim)
            if not (can_file(actor, area, claim.claimant) or _keeps_books(actor, area)):
                raise PermissionDenied("您无权为该报销单添加凭证。", "You may not add vouchers to this claim.")
            if claim.status in (Claim.Status.REJECTED, Claim.Status.PAID):
                raise Conflict("已办结的报销单不能再添加凭证。", "A closed claim takes no more vouchers.",
                               code="claim_closed")
            if claim.vouchers.count() >= MAX_VOUCHERS_PER_CLAIM:
                raise uploads.refusal(f"每张报销单最多{MAX_VOUCHERS_PER_CLAIM}个凭证。",
                                      f"At most {MAX_VOUCHERS_PER_CLAIM} vouchers per claim.", "too_many_attachments")
        elif not _keeps_books(actor, area):
            raise PermissionDenied("只有会计、出纳等财会人员可以登记凭证。", "Only finance staff register vouchers.")
        voucher = Voucher(area=area, claim=claim, kind=kind, name=checked.name, media_type=checked.media_type,
                          size=checked.size, sha256=checked.sha256, uploaded_by=actor)
        uploads.save(voucher.file, checked)
        voucher.save()
        record_event(actor, "finance.voucher_added", voucher, area=area,
                     after={"claim": claim.pk if claim else None, "kind": kind, "sha256": checked.sha256,
                            "size": checked.size})
        return voucher


# Budgets -----------------------------------------------------------------------------------------------------

@transaction.atomic
def set_budget(actor, *, area: Area, year: int, amount, note: str = "") -> Budget:
    """Set (or revise) the year's budget of a community or the street office."""
    _require(actor, area, Perm.RUN_MEETINGS)
    if not 2000 <= int(year) <= 2100:
        raise _invalid("year", "年度不正确。", "Not a valid year.")
    fen = parse_amount(amount, allow_zero=True)
    budget = Budget.objects.select_for_update().filter(area=area, year=year).first()
    before = {"amount": yuan(budget.amount_fen)} if budget else None
    if budget is None:
        budget = Budget.objects.create(area=area, year=year, amount_fen=fen, note=note.strip()[:200])
    else:
        budget.amount_fen, budget.note = fen, note.strip()[:200]
        budget.save(update_fields=["amount_fen", "note"])
    record_event(actor, "finance.budget_set", budget, area=area, before=before,
                 after={"year": year, "amount": yuan(fen)})
    return budget


def budget_usage(area: Area, year: int) -> dict:
    """Budget against what was paid out of the area's journals in the year (fen, exact)."""
    budget = Budget.objects.filter(area=area, year=year).first()
    spent = (Entry.objects.filter(ledger__area=area, direction=Entry.Direction.OUT, occurred_on__year=year)
             .aggregate(s=Sum("amount_fen"))["s"] or 0)
    budget_fen = budget.amount_fen if budget else None
    return {"year": year, "budget_fen": budget_fen, "spent_fen": spent,
            "remaining_fen": None if budget_fen is None else budget_fen - spent,
            "over": budget_fen is not None and spent > budget_fen}


# Ledgers -----------------------------------------------------------------------------------------------------

def _keeps_books(actor, area: Area) -> bool:
    if getattr(actor, "is_superuser", False) and actor.is_active:
        return True
    person_id = _person_id(actor)
    return any(posts.holds(person_id, post, area, _today()) for post in BOOKKEEPERS)


def _require_books(actor, area: Area) -> None:
    _require(actor, area)
    if not _keeps_books(actor, area):
        raise PermissionDenied("只有会计、出纳等财会人员可以记账。", "Only the accountant or cashier keeps the books.",
                               code="not_finance_staff")


@transaction.atomic
def open_ledger(actor, *, area: Area, kind: str, opened_on: datetime.date, opening="0") -> Ledger:
    """Open the cash or bank journal of a community or the street office with its opening balance."""
    _require_books(actor, area)
    if kind not in Ledger.Kind.values:
        raise _invalid("kind", "账簿须为 cash（现金）或 bank（银行存款）。", "kind is 'cash' or 'bank'.")
    if Ledger.objects.filter(area=area, kind=kind).exists():
        raise Conflict("该账簿已启用。", "This journal is already open.", code="ledger_exists")
    fen = parse_amount(opening, field="opening", allow_zero=True)
    ledger = Ledger.objects.create(area=area, kind=kind, opened_on=opened_on, opening_fen=fen, balance_fen=fen)
    record_event(actor, "finance.ledger_opened", ledger, area=area,
                 after={"kind": kind, "opened_on": opened_on, "opening": yuan(fen)})
    return ledger


def _post(actor, ledger: Ledger, *, occurred_on: datetime.date, direction: str, amount_fen: int, summary: str,
          category: str, vouchers: list[Voucher], claim: Claim | None = None) -> Entry:
    """Append one line with its running balance; the caller holds the transaction and the ledger lock."""
    area = ledger.area
    check(r.VOUCHER_REQUIRED, area=area, on=occurred_on, satisfied=bool(vouchers), summary=summary)
    for voucher in vouchers:
        check(r.NO_INFORMAL_SLIP, area=area, on=occurred_on, satisfied=voucher.kind != Voucher.Kind.INFORMAL_SLIP,
              kind=voucher.kind)
        if voucher.area_id != area.pk:
            raise _invalid("vouchers", "凭证不属于本账簿的单位。", "A voucher belongs to another area.")
    if direction not in Entry.Direction.values:
        raise _invalid("direction", "收支须为 in 或 out。", "direction is 'in' or 'out'.")
    if occurred_on < ledger.opened_on or occurred_on > _today():
        raise _invalid("occurred_on", "日期须在账簿启用日至今天之间。",
                       "The date lies between the opening day and today.")
    last = ledger.entries.order_by("-seq").first()
    if last is not None and occurred_on < last.occurred_on:
        raise Conflict(f"日记账按日期顺序登记，上一笔为{last.occurred_on}。",
                       f"Journal lines are entered in date order; the last is of {last.occurred_on}.",
                       code="entry_out_of_order", facts={"last": last.occurred_on.isoformat()})
    summary, category = (summary or "").strip(), (category or "").strip()
    if not summary or len(summary) > 200:
        raise _invalid("summary", "请填写摘要（不超过200字）。", "Give a summary (up to 200 characters).")
    if not category or len(category) > 60:
        raise _invalid("category", "请填写科目（不超过60字）。", "Give a category (up to 60 characters).")
    balance = ledger.balance_fen + (amount_fen if direction == Entry.Direction.IN else -amount_fen)
    if balance < 0:
        raise Conflict(f"余额不足：当前余额{yuan(ledger.balance_fen)}元。",
                       f"Insufficient balance: {yuan(ledger.balance_fen)} yuan.", code="insufficient_balance",
                       facts={"balance": yuan(ledger.balance_fen)})
    entry = Entry.objects.create(ledger=ledger, seq=ledger.entry_count + 1, occurred_on=occurred_on,
                                 direction=direction, amount_fen=amount_fen, balance_fen=balance, summary=summary,
                                 category=category, claim=claim, recorded_by=actor)
    entry.vouchers.set(vouchers)
    ledger.balance_fen, ledger.entry_count = balance, ledger.entry_count + 1
    ledger.save(update_fields=["balance_fen", "entry_count"])
    record_event(actor, "finance.entry_posted", entry, area=area,
                 after={"ledger": ledger.kind, "seq": entry.seq, "direction": direction, "amount": yuan(amount_fen),
                        "balance": yuan(balance), "vouchers": [v.sha256 for v in vouchers]})
    return entry


def post_entry(actor, ledger: Ledger, *, occurred_on: datetime.date, direction: str, amount, summary: str,
               category: str, vouchers: list[Voucher]) -> Entry:
    """Book one receipt or payment with its vouchers (A-FIN-02 voucher required, A-FIN-05 no informal slip);
    the running balance is integer fen and may not go below zero."""
    _require_books(actor, ledger.area)
    amount_fen = parse_amount(amount)
    with transaction.atomic():
        ledger = Ledger.objects.select_for_update().select_related("area").get(pk=ledger.pk)
        return _post(actor, ledger, occurred_on=occurred_on, direction=direction, amount_fen=amount_fen,
                     summary=summary, category=category, vouchers=vouchers)


def pay_claim(actor, claim: Claim, *, ledger: Ledger, occurred_on: datetime.date | None = None) -> Entry:
    """Pay an approved claim out of the cash or bank journal, with the claim's vouchers (A-FIN-02)."""
    _require_books(actor, claim.area)
    on = occurred_on or _today()
    with transaction.atomic():
        claim = _locked(claim)
        ledger = Ledger.objects.select_for_update().select_related("area").get(pk=ledger.pk)
        if ledger.area_id != claim.area_id:
            raise _invalid("ledger", "须从本单位的账簿支付。", "Pay from the claim's own journal.")
        claim.move_to(Claim.Status.PAID)
        if on < timezone.localdate(claim.decided_at):
            raise _invalid("occurred_on", "支付日期早于审批完成日期。", "Payment cannot precede the approval.")
        vouchers = [v for v in claim.vouchers.all() if v.kind != Voucher.Kind.REPAIR_AUDIT_REPORT]
        entry = _post(actor, ledger, occurred_on=on, direction=Entry.Direction.OUT, amount_fen=claim.amount_fen,
                      summary=claim.purpose[:200], category=claim.get_kind_display(), vouchers=vouchers, claim=claim)
        claim.save(update_fields=["status"])
        record_event(actor, "finance.claim_paid", claim, area=claim.area, after={"entry": entry.pk})
        return entry


def verify_ledger(ledger: Ledger) -> list[str]:
    """Recompute every running balance from the opening balance; an empty list means the books agree."""
    problems = []
    balance = ledger.opening_fen
    seq = 0
    for entry in ledger.entries.order_by("seq").only("seq", "direction", "amount_fen", "balance_fen"):
        seq += 1
        if entry.seq != seq:
            problems.append(f"#{entry.seq}: 序号不连续（应为{seq}）")
        balance += entry.amount_fen if entry.direction == Entry.Direction.IN else -entry.amount_fen
        if entry.balance_fen != balance:
            problems.append(f"#{entry.seq}: 余额{yuan(entry.balance_fen)}，应为{yuan(balance)}")
    if ledger.balance_fen != balance:
        problems.append(f"账簿余额{yuan(ledger.balance_fen)}，应为{yuan(balance)}")
    return problems


# Monthly statements ------------------------------------------------------------------------------------------

def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise _invalid("month", "年月不正确。", "Not a valid month.")
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def statement_data(area: Area, year: int, month: int) -> dict:
    """The month's figures, all in integer fen: per journal opening, income, expense, closing; per category
    income and expense. Every total is checked against the rows (A-FIN-43 record, 日清月结)."""
    first, last = month_bounds(year, month)
    journals, categories = [], {}
    for ledger in Ledger.objects.filter(area=area).order_by("kind"):
        before = ledger.entries.filter(occurred_on__lt=first).order_by("-seq").first()
        opening = before.balance_fen if before else ledger.opening_fen
        rows = list(ledger.entries.filter(occurred_on__gte=first, occurred_on__lte=last).order_by("seq")
                    .values_list("direction", "amount_fen", "category", "balance_fen"))
        income = sum(a for d, a, _c, _b in rows if d == Entry.Direction.IN)
        expense = sum(a for d, a, _c, _b in rows if d == Entry.Direction.OUT)
        closing = rows[-1][3] if rows else opening
        if opening + income - expense != closing:
            raise Conflict(f"{ledger}本月余额不平：期初{yuan(opening)}+收入{yuan(income)}-支出{yuan(expense)}"
                           f"≠期末{yuan(closing)}", f"{ledger.kind} journal does not balance this month",
                           code="ledger_does_not_balance")
        for direction, amount, category, _b in rows:
            row = categories.setdefault(category, {"item": category, "income_fen": 0, "expense_fen": 0})
            row["income_fen" if direction == Entry.Direction.IN else "expense_fen"] += amount
        journals.append({"kind": ledger.kind, "opening_fen": opening, "income_fen": income, "expense_fen": expense,
                         "closing_fen": closing})
    rows = sorted(categories.values(), key=lambda row: row["item"])
    totals = {name: sum(j[name] for j in journals) for name in ("opening_fen", "income_fen", "expense_fen",
                                                                 "closing_fen")}
    if (sum(row["income_fen"] for row in rows), sum(row["expense_fen"] for row in rows)) != (
            totals["income_fen"], totals["expense_fen"]):
        raise Conflict("科目合计与账簿合计不符。", "Category totals differ from journal totals.",
                       code="totals_do_not_add_up")
    check(r.MONTHLY_STATEMENT, area=area, on=last, opening=str(totals["opening_fen"]),
          income=str(totals["income_fen"]), expense=str(totals["expense_fen"]), closing=str(totals["closing_fen"]))
    return {"area": area.code, "area_name": area.name, "year": year, "month": month, "journals": journals,
            "rows": rows, "totals": totals}


def draw_up_statement(actor, *, area: Area, year: int, month: int) -> Statement:
    """Close the month: freeze the statement, hash it and file it (A-FIN-03 月结, A-FIN-43)."""
    _require_books(actor, area)
    first, last = month_bounds(year, month)
    if last >= _today():
        raise _invalid("month", "月份结束后才能编制月度报表。", "A month is closed after it ends.")
    data = statement_data(area, year, month)
    digest = hashlib.sha256(archives.canonical_json(data).encode()).hexdigest()
    with transaction.atomic():
        if Statement.objects.filter(area=area, year=year, month=month).exists():
            raise Conflict(f"{year}年{month}月的报表已编制。", "This month's statement exists.",
                           code="statement_exists")
        statement = Statement.objects.create(area=area, year=year, month=month, data=data, sha256=digest,
                                             created_by=actor)
        record_event(actor, "finance.statement_drawn_up", statement, area=area,
                     after={"year": year, "month": month, "sha256": digest})
        _file(actor, area, statement, "statement", f"{year}年{month}月收支报表", data, timezone.now())
        return statement


def disclosure_table(statement: Statement) -> dict:
    """The statement as the disclosure app's finance table: rows and totals in yuan strings that add up."""
    rows = [{"item": row["item"], "income": yuan(row["income_fen"]), "expense": yuan(row["expense_fen"])}
            for row in statement.data["rows"]] or [{"item": "本月无收支", "income": "0.00", "expense": "0.00"}]
    totals = statement.data["totals"]
    return {"kind": "finance", "rows": rows, "total_income": yuan(totals["income_fen"]),
            "total_expense": yuan(totals["expense_fen"])}


def publish_statement(actor, statement: Statement):
    """Put a community's monthly statement on the residents'-affairs board as a draft item of category R02
    (社区各项收支情况) with its finance table; the board's own steps (supervision review, collective decision,
    publication) follow in the disclosure app."""
    from jiceng.disclosure import services as disclosure

    if statement.area.level != Area.Level.COMMUNITY:
        raise _invalid("statement", "居务公开栏属于社区；街道报表不在此公开。",
                       "The residents'-affairs board belongs to a community.")
    with transaction.atomic():
        statement = Statement.objects.select_for_update().select_related("area").get(pk=statement.pk)
        if statement.disclosure_id is not None:
            raise Conflict("该报表已提交公开。", "This statement is already on the board.", code="already_published")
        first, last = month_bounds(statement.year, statement.month)
        totals = statement.data["totals"]
        item = disclosure.create_item(
            actor, community=statement.area, board="residents", category="R02", timing_class="routine_periodic",
            title=f"{statement.year}年{statement.month}月社区收支情况",
            body=(f"期初余额{yuan(totals['opening_fen'])}元，本月收入{yuan(totals['income_fen'])}元，"
                  f"支出{yuan(totals['expense_fen'])}元，期末余额{yuan(totals['closing_fen'])}元。"),
            tables=[disclosure_table(statement)], period_start=first, period_end=last)
        statement.disclosure = item
        statement.save(update_fields=["disclosure"])
        record_event(actor, "finance.statement_submitted", statement, area=statement.area,
                     after={"disclosure_item": item.pk})
        return item
