"""The dues ledger (R-DUES)."""


from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal

from django.db import transaction

from jiceng.archives import services as archives
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict
from jiceng.orgs.models import Area, Person
from jiceng.rules import party as r

from ..models import (
    DuesDecision,
    DuesMonth,
    DuesPayment,
    PartyMember,
    Step,
)
from .common import (
    CENT,
    DUES_CATEGORY,
    S,
    _at,
    _dossier,
    _fen,
    _invalid,
    _judge,
    _leave,
    _locked,
    _not_future,
    _require_officer,
    _set_political_status,
    _step,
)

# R-DUES ------------------------------------------------------------------------------------------------

@transaction.atomic
def set_dues(actor, member: PartyMember, *, amount, cycle: str = PartyMember.Cycle.MONTHLY,
             reason: str = "") -> PartyMember:
    """A member's monthly dues (the standard is the district's, R-DUES-01) and cycle; quarterly needs a reason
    (R-DUES-08)."""
    member = _locked(member)
    _require_officer(actor, member.community, doing_zh="设定党费标准", doing_en="set dues")
    if cycle not in PartyMember.Cycle.values:
        raise _invalid("cycle", "交纳周期须为按月或按季。", "cycle is monthly or quarterly.")
    if cycle == PartyMember.Cycle.QUARTERLY and not reason.strip():
        raise _invalid("reason", "按季交纳须写明按月交纳确有困难的理由（R-DUES-08）。",
                       "Quarterly payment needs a reason (R-DUES-08).", code="cycle_reason_missing")
    before = {"dues_fen": member.dues_fen, "cycle": member.cycle}
    member.dues_fen, member.cycle, member.cycle_reason = _fen(amount, "amount"), cycle, reason.strip()[:200]
    member.save()
    record_event(actor, "party.dues_set", member, area=member.community, before=before,
                 after={"dues_fen": member.dues_fen, "cycle": cycle})
    return member


def split_fen(total_fen: int, months: int) -> list[int]:
    """A total split over months to the fen; the remainder goes to the first months (10.00 over 3 → 3.34, 3.33,
    3.33), so the lines always add up to the payment."""
    base, rest = divmod(total_fen, months)
    return [base + (1 if i < rest else 0) for i in range(months)]


@transaction.atomic
def pay_dues(actor, member: PartyMember, *, paid_on: datetime.date, first_month: datetime.date, months: int = 1,
             amount=None, payer: Person | None = None, consent: str = "") -> DuesPayment:
    """Record a payment covering `months` calendar months from `first_month`, and its ledger lines.

    Months before the payment's month are a back payment (at most 6, R-DUES-03), months after it an advance (at
    most 6, A-PARTY-42 / X-01); both, and payment by another member, need the branch's consent (R-DUES-02). Dues
    run from the month of admission as probationary member (R-DUES-05). The amount defaults to the member's rate
    × months and is split over the months to the fen."""
    member = _locked(member)
    _require_officer(actor, member.community, doing_zh="收缴党费", doing_en="take dues", also_group=member.group)
    _not_future(paid_on, "paid_on")
    if not 1 <= months <= 24:
        raise _invalid("months", "月数须为1至24。", "months is 1–24.")
    if member.status not in PartyMember.MEMBERS:
        raise Conflict("只有党员交纳党费。", "Only members pay dues.", code="not_a_member",
                       facts={"status": member.status})
    covered = [r.add_months(r.month_start(first_month), i) for i in range(months)]
    paid_month = r.month_start(paid_on)
    back = sum(1 for m in covered if m < paid_month)
    ahead = sum(1 for m in covered if m > paid_month)
    judged = _judge(r.DUES_START, member, paid_on, admitted_on=member.admitted_on, first_month=covered[0])
    if back:
        _judge(r.BACK_PAYMENT, member, paid_on, months=back)
    if ahead:
        _judge(r.ADVANCE_PAYMENT, member, paid_on, months=ahead)
    proxy = payer is not None and payer.pk != member.person_id
    kind = (DuesPayment.Kind.PROXY if proxy else DuesPayment.Kind.BACK if back
            else DuesPayment.Kind.ADVANCE if ahead else DuesPayment.Kind.REGULAR)
    payer_is_member = None
    if proxy:
        payer_is_member = PartyMember.objects.filter(person=payer, status__in=PartyMember.MEMBERS).exists()
    _judge(r.PAYMENT_CONSENT, member, paid_on, kind=kind, consent=consent, payer_is_member=payer_is_member)
    taken = list(DuesMonth.objects.filter(member=member, month__in=covered).values_list("month", flat=True))
    if taken:
        raise Conflict(f"{'、'.join(f'{m:%Y-%m}' for m in taken)}的党费已交纳。", "Some months are already paid.",
                       code="already_paid", facts={"months": [f"{m:%Y-%m}" for m in taken]})
    total_fen = member.dues_fen * months if amount is None else _fen(amount, "amount")
    if total_fen <= 0:
        raise _invalid("amount", "请填写金额（或先设定月党费标准）。", "Give the amount (or set the member's rate).")
    total = (Decimal(total_fen) / 100).quantize(CENT, rounding=ROUND_DOWN)
    payment = DuesPayment.objects.create(member=member, kind=kind, paid_on=paid_on, first_month=covered[0],
                                         months=months, amount=total, payer=payer if proxy else None,
                                         consent=consent.strip()[:200], recorded_by=actor)
    DuesMonth.objects.bulk_create(
        DuesMonth(member=member, community=member.community, month=m, payment=payment,
                  amount=(Decimal(f) / 100).quantize(CENT)) for m, f in zip(covered, split_fen(total_fen, months),
                                                                           strict=True))
    record_event(actor, "party.dues_paid", member, area=member.community, occurred_at=_at(paid_on),
                 after={"payment": payment.pk, "kind": kind, "amount": total, "first_month": f"{covered[0]:%Y-%m}",
                        "months": months, "rulebook": judged.version})
    archives.file_record(actor, _dossier(member, paid_on.year), kind="party.dues_paid",
                         title=f"{member.person.name}：交纳党费{total}元", source=payment, occurred_at=_at(paid_on),
                         data={"member": member.pk, "name": member.person.name, "kind": kind, "amount": total,
                               "months": [f"{m:%Y-%m}" for m in covered], "consent": payment.consent})
    return payment


@transaction.atomic
def decide_unpaid(actor, member: PartyMember, *, outcome: str, decided_on: datetime.date, reason: str = "",
                  assembly_ref: str = "", approval_ref: str = "") -> DuesDecision:
    """The branch's decision on a run of unpaid months (R-DUES-07). `valid_reason` excuses those months (the flag
    cures); `auto_withdrawal` removes the member — only with the assembly's decision and the superior's approval
    (A-PARTY-43, X-01) and only when the run has reached six months. The scan never does this."""
    from ..queries import unpaid_run

    member = _locked(member)
    _require_officer(actor, member.community, doing_zh="处理未交党费情况", doing_en="decide on unpaid dues")
    _not_future(decided_on, "decided_on")
    if outcome not in DuesDecision.Outcome.values:
        raise _invalid("outcome", "处理结果须为 valid_reason 或 auto_withdrawal。", "Unknown outcome.")
    run = unpaid_run(member, decided_on)
    if not run:
        raise Conflict("该党员没有连续未交党费的月份。", "The member has no unpaid months.", code="nothing_unpaid")
    if outcome == DuesDecision.Outcome.VALID_REASON:
        if not reason.strip():
            raise _invalid("reason", "请写明正当理由。", "Give the valid reason.")
    else:
        _judge(r.REMOVAL, member, decided_on, streak=len(run), assembly_ref=assembly_ref, approval_ref=approval_ref)
    decision = DuesDecision.objects.create(member=member, outcome=outcome, decided_on=decided_on,
                                           months=[f"{m:%Y-%m}" for m in run], reason=reason.strip()[:500],
                                           assembly_ref=assembly_ref.strip()[:200],
                                           approval_ref=approval_ref.strip()[:200], actor=actor)
    if outcome == DuesDecision.Outcome.AUTO_WITHDRAWAL:
        member.move_to(S.REMOVED)
        member.left_on, member.left_note = decided_on, "连续六个月不交纳党费，按自行脱党处理"
        member.save()
        _leave(actor, member, decided_on)
        _set_political_status(actor, member.person, Person.PoliticalStatus.NONE)
        _step(actor, member, Step.Kind.REMOVAL, decided_on,
              data={"months": decision.months, "assembly_ref": decision.assembly_ref,
                    "approval_ref": decision.approval_ref})
    else:
        record_event(actor, "party.unpaid_excused", member, area=member.community,
                     after={"months": decision.months, "reason": decision.reason[:200]})
    return decision


def dues_table(community: Area, month: datetime.date) -> dict:
    """The month's collection as the disclosure board's `dues` table: one row per member who paid for the month."""
    month = r.month_start(month)
    rows = (DuesMonth.objects.filter(community=community, month=month).select_related("member__person")
            .order_by("member__person__name_pinyin"))
    lines = [{"member": line.member.person.name, "amount": f"{line.amount:.2f}"} for line in rows]
    total = sum((line.amount for line in rows), Decimal("0"))
    return {"kind": "dues", "month": f"{month:%Y-%m}", "rows": lines, "total": f"{total:.2f}"}


def publish_dues_summary(actor, *, community: Area, month: datetime.date):
    """R-DUES-04: draft the month's collection on the party-affairs board (category P07, a `dues` table); the board's
    steps (decision, signature, publication) follow there."""
    from jiceng.disclosure import services as disclosure

    table = dues_table(community, month)
    if not table["rows"]:
        raise _invalid("month", "该月没有党费收缴记录。", "No dues were collected for that month.",
                       code="nothing_to_publish")
    start = r.month_start(month)
    end = r.next_month(start) - datetime.timedelta(days=1)
    return disclosure.create_item(
        actor, community=community, board="party", category=DUES_CATEGORY, timing_class="routine_periodic",
        title=f"{start:%Y年%m月}党费收缴情况",
        body=f"{start:%Y年%m月}共{len(table['rows'])}名党员交纳党费{table['total']}元。",
        tables=[table], period_start=start, period_end=end)


