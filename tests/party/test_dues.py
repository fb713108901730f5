"""Dues: the ledger to the fen, back and advance payments at their limits, consent, the first month, and the run of
unpaid months that flags a case for the branch (never an automatic removal)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jiceng.accountability.checks import Scope
from jiceng.core.errors import Conflict, RuleViolation
from jiceng.orgs.models import Membership
from jiceng.party import checks, queries, services
from jiceng.party.models import DuesMonth, PartyMember

from .conftest import D, probationary


@pytest.fixture
def payer(party_world):
    """A member approved as probationary on 2025-03-15 (AT-21), 12.00 a month."""
    member = probationary(party_world, approved_on=D(2025, 3, 15))
    services.set_dues(party_world.sec, member, amount="12.00")
    member.refresh_from_db()
    return member


def test_first_dues_month_is_month_of_approval(party_world, payer):
    w = party_world
    with pytest.raises(RuleViolation) as refused:
        services.pay_dues(w.sec, payer, paid_on=D(2025, 3, 20), first_month=D(2025, 2, 1), months=2,
                          consent="支部同意")
    assert refused.value.code == "dues_before_membership"
    services.pay_dues(w.sec, payer, paid_on=D(2025, 3, 20), first_month=D(2025, 3, 1))
    assert queries.due_months(payer, D(2025, 3, 31))[0] == D(2025, 3, 1)


def test_split_is_fen_exact():
    assert services.split_fen(1000, 3) == [334, 333, 333]
    assert sum(services.split_fen(1001, 7)) == 1001


def test_advance_payment_lines_add_up(party_world, payer):
    w = party_world
    payment = services.pay_dues(w.sec, payer, paid_on=D(2025, 4, 2), first_month=D(2025, 4, 1), months=3,
                                amount="10.00", consent="支部会议同意预交（出差）")
    lines = list(DuesMonth.objects.filter(payment=payment).order_by("month").values_list("amount", flat=True))
    assert lines == [Decimal("3.34"), Decimal("3.33"), Decimal("3.33")]
    assert sum(lines) == payment.amount == Decimal("10.00")
    assert payment.kind == "advance"


def test_back_payment_limits_and_consent(party_world, payer):
    """AT-21: seven months refused, six without consent refused, six with consent accepted."""
    w = party_world
    with pytest.raises(RuleViolation) as refused:
        services.pay_dues(w.sec, payer, paid_on=D(2025, 10, 5), first_month=D(2025, 3, 1), months=7,
                          consent="支部同意")
    assert refused.value.code == "back_payment_too_long"
    with pytest.raises(RuleViolation) as refused:
        services.pay_dues(w.sec, payer, paid_on=D(2025, 10, 5), first_month=D(2025, 4, 1), months=6)
    assert refused.value.code == "branch_consent_missing"
    payment = services.pay_dues(w.sec, payer, paid_on=D(2025, 10, 5), first_month=D(2025, 4, 1), months=6,
                                consent="支部委员会2025-10-01同意补交")
    assert payment.kind == "back" and payment.amount == Decimal("72.00")


@pytest.mark.parametrize(("months", "ok"), [(7, True), (8, False)])  # this month plus 6 ahead; plus 7
def test_advance_limit(party_world, payer, months, ok):
    w = party_world
    call = dict(paid_on=D(2025, 4, 2), first_month=D(2025, 4, 1), months=months, consent="同意")
    if ok:
        services.pay_dues(w.sec, payer, **call)
        return
    with pytest.raises(RuleViolation) as refused:
        services.pay_dues(w.sec, payer, **call)
    assert refused.value.code == "advance_payment_too_long"


def test_proxy_needs_consent_and_a_member(party_world, payer):
    w = party_world
    stranger = w.rc_people[1]  # not on the party roll
    with pytest.raises(RuleViolation) as refused:
        services.pay_dues(w.sec, payer, paid_on=D(2025, 4, 2), first_month=D(2025, 4, 1), payer=w.full[0].person)
    assert refused.value.code == "branch_consent_missing"
    with pytest.raises(RuleViolation) as refused:
        services.pay_dues(w.sec, payer, paid_on=D(2025, 4, 2), first_month=D(2025, 4, 1), payer=stranger,
                          consent="同意")
    assert refused.value.code == "proxy_not_member"
    payment = services.pay_dues(w.sec, payer, paid_on=D(2025, 4, 2), first_month=D(2025, 4, 1),
                                payer=w.full[0].person, consent="同意代交")
    assert payment.kind == "proxy"


def test_month_paid_twice_conflicts(party_world, payer):
    w = party_world
    services.pay_dues(w.sec, payer, paid_on=D(2025, 4, 2), first_month=D(2025, 4, 1))
    with pytest.raises(Conflict):
        services.pay_dues(w.sec, payer, paid_on=D(2025, 4, 20), first_month=D(2025, 4, 1))


def _flags(w, today):
    return [f for f in checks.unpaid_dues(Scope(communities=[w.a]), today) if f.subject.pk == w.payer_pk]


def test_six_unpaid_months_flag_the_branch_not_removal(party_world, payer):
    """AT-21: paid March–January… here paid through 2025-04; May–Sep unpaid → on 10-01 five, on 11-01 six."""
    w = party_world
    w.payer_pk = payer.pk
    services.pay_dues(w.sec, payer, paid_on=D(2025, 3, 20), first_month=D(2025, 3, 1))
    services.pay_dues(w.sec, payer, paid_on=D(2025, 4, 20), first_month=D(2025, 4, 1))
    assert len(queries.unpaid_run(payer, D(2025, 10, 1))) == 5
    assert _flags(w, D(2025, 10, 1)) == []
    (flag,) = _flags(w, D(2025, 11, 1))
    assert flag.rule_id == "R-DUES-07" and flag.evidence["streak"] == 6
    payer.refresh_from_db()
    assert payer.status == PartyMember.Status.PROBATIONARY_MEMBER
    # A back payment with consent for the older months breaks the run: the flag cures.
    services.pay_dues(w.sec, payer, paid_on=D(2025, 11, 2), first_month=D(2025, 5, 1), months=2, consent="同意")
    assert _flags(w, D(2025, 11, 3)) == []


def test_removal_only_by_recorded_decision(party_world, payer):
    w = party_world
    services.pay_dues(w.sec, payer, paid_on=D(2025, 3, 20), first_month=D(2025, 3, 1))
    with pytest.raises(RuleViolation) as refused:
        services.decide_unpaid(w.sec, payer, outcome="auto_withdrawal", decided_on=D(2025, 9, 15),
                               assembly_ref="支部大会决定", approval_ref="天工发")
    assert refused.value.code == "streak_below_threshold"  # April–August: five
    with pytest.raises(RuleViolation) as refused:
        services.decide_unpaid(w.sec, payer, outcome="auto_withdrawal", decided_on=D(2025, 10, 15),
                               assembly_ref="支部大会决定", approval_ref="")
    assert refused.value.code == "removal_procedure_missing"
    services.decide_unpaid(w.sec, payer, outcome="auto_withdrawal", decided_on=D(2025, 10, 15),
                           assembly_ref="2025-10-12支部大会决定", approval_ref="天工发〔2025〕20号")
    payer.refresh_from_db()
    assert payer.status == PartyMember.Status.REMOVED
    assert not Membership.objects.on(D(2025, 10, 16)).filter(person=payer.person, body=w.party_org).exists()


def test_valid_reason_excuses_the_run(party_world, payer):
    w = party_world
    w.payer_pk = payer.pk
    services.decide_unpaid(w.sec, payer, outcome="valid_reason", decided_on=D(2025, 10, 1), reason="重病住院")
    assert queries.unpaid_run(payer, D(2025, 10, 1)) == []
    assert _flags(w, D(2025, 11, 1)) == []  # October alone is one month


def test_ledger_marks_paid_owed_and_totals(party_world, payer):
    w = party_world
    services.pay_dues(w.sec, payer, paid_on=D(2025, 3, 20), first_month=D(2025, 3, 1))
    services.pay_dues(w.sec, payer, paid_on=D(2025, 5, 20), first_month=D(2025, 5, 1))
    data = queries.ledger(w.a, 2025, today=D(2025, 7, 1))
    row = next(r for r in data["rows"] if r["member"].pk == payer.pk)
    assert row["cells"][:7] == [None, None, Decimal("12.00"), "欠", Decimal("12.00"), "欠", None]
    assert row["total"] == Decimal("24.00") and row["behind"] == 2
    assert data["month_totals"][2] >= Decimal("12.00")


def test_dues_summary_drafts_the_board_item(party_world, payer):
    w = party_world
    services.pay_dues(w.sec, payer, paid_on=D(2025, 3, 20), first_month=D(2025, 3, 1))
    item = services.publish_dues_summary(w.u.officer, community=w.a, month=D(2025, 3, 1))
    assert item.category == "P07" and item.board == "party"
    assert item.tables[0]["kind"] == "dues" and item.tables[0]["total"] == "12.00"
