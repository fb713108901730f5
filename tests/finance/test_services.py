"""Claims through their routes, refusals, vouchers, ledgers and statements (A-FIN)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiceng.audit.models import AuditEvent
from jiceng.core.errors import Conflict, IllegalTransition, PermissionDenied, RuleViolation, ValidationFailed
from jiceng.disclosure.models import DisclosureItem
from jiceng.finance import services
from jiceng.finance.models import Claim, Entry, Ledger
from jiceng.meetings import services as meetings
from jiceng.meetings.models import Kind
from jiceng.orgs.models import Body

from .conftest import PDF, START, claim, congress_item, sign_all

pytestmark = pytest.mark.django_db


def test_small_community_claim_is_approved_by_director_then_secretary(fin):
    c = claim(fin, "99.99")
    assert c.route == ["rc_director", "community_party_secretary"]
    c = sign_all(fin, c, [fin.u.rc_director, fin.u.secretary])
    assert c.status == Claim.Status.APPROVED
    assert [s.signed_by_id for s in c.steps.order_by("stage")] == [fin.p.rc_director.pk, fin.p.secretary.pk]
    assert AuditEvent.objects.filter(action="finance.claim_approved").count() == 1


def test_route_order_is_enforced(fin):
    c = claim(fin, "100.00")
    with pytest.raises(RuleViolation) as refused:
        services.approve(fin.u.secretary, c)
    assert refused.value.rule_id == "A-FIN-07" and refused.value.code == "step_out_of_order"
    with pytest.raises(RuleViolation):
        services.approve(fin.u.leader, c)  # the street consents only after the community's signatures
    c = sign_all(fin, c, [fin.u.rc_director, fin.u.secretary])
    assert c.status == Claim.Status.PENDING and c.current_stage == 3
    c = services.approve(fin.u.leader, c)
    assert c.status == Claim.Status.APPROVED and c.filed_at is None


def test_claimant_cannot_approve_own_claim(fin):
    c = claim(fin, "50.00", claimant=fin.p.secretary, by=fin.u.secretary)
    services.approve(fin.u.rc_director, c)
    with pytest.raises(RuleViolation) as refused:
        services.approve(fin.u.secretary, c)
    assert refused.value.rule_id == "A-FIN-39" and "A-FIN-39" in refused.value.message
    c.refresh_from_db()
    assert c.status == Claim.Status.PENDING
    assert not c.steps.filter(stage=2, signed_at__isnull=False).exists()


def test_someone_off_the_route_cannot_sign(fin):
    c = claim(fin, "50.00")
    with pytest.raises(PermissionDenied):
        services.approve(fin.u.cashier, c)


def test_congress_decision_first_from_500(fin):
    c = claim(fin, "500.00")
    assert c.decision_required and c.filing_required
    with pytest.raises(RuleViolation) as refused:
        services.approve(fin.u.rc_director, c)
    assert refused.value.rule_id == "A-FIN-07" and refused.value.code == "decision_required"
    with pytest.raises(ValidationFailed):
        services.record_decision(fin.u.handler, c, reference="")
    services.record_decision(fin.u.handler, c, decided_on=fin.today, reference="第3次社区成员代表大会记录")
    c = sign_all(fin, c, [fin.u.rc_director, fin.u.secretary, fin.u.leader])
    assert c.status == Claim.Status.APPROVED and c.filed_at is not None


def test_decision_must_be_a_passed_item_of_the_member_congress(fin):
    c = claim(fin, "800.00")
    with pytest.raises(RuleViolation) as refused:
        services.record_decision(fin.u.handler, c, agenda_item=congress_item(fin, passed=False))
    assert refused.value.rule_id == "A-FIN-07"
    c = services.record_decision(fin.u.handler, c, agenda_item=congress_item(fin))
    assert c.decision_item_id is not None and c.decision_on is not None
    services.approve(fin.u.rc_director, c)


def test_director_who_is_also_secretary_needs_the_deputy(fin):
    from jiceng.orgs import services as orgs
    from jiceng.orgs.models import Role

    orgs.add_membership(fin.root, person=fin.p.rc_director, body=fin.party_org, role=Role.COMMUNITY_PARTY_SECRETARY,
                        start_on=START)
    c = claim(fin, "20.00")
    assert c.route == ["rc_director", "rc_deputy_director"]
    c = sign_all(fin, c, [fin.u.rc_director, fin.u.rc_deputy])
    assert c.status == Claim.Status.APPROVED


def test_street_claim_four_signatures_then_director(fin):
    c = claim(fin, "4800.00", street=True)
    assert c.route == ["section_head", "leader_in_charge", "discipline_secretary", "director"]
    with pytest.raises(RuleViolation) as refused:
        services.approve(fin.u.director, c)
    assert refused.value.rule_id == "A-FIN-36"
    c = sign_all(fin, c, [fin.u.section_head, fin.u.leader, fin.u.discipline, fin.u.director])
    assert c.status == Claim.Status.APPROVED


def test_street_claim_from_5000_needs_every_leader(fin):
    c = claim(fin, "5000.00", street=True)
    leaders = set(c.steps.filter(role="leadership_member").values_list("person_id", flat=True))
    assert leaders == {fin.p.director.pk, fin.p.party_secretary.pk, fin.p.leader.pk, fin.p.discipline.pk}
    c = sign_all(fin, c, [fin.u.section_head, fin.u.leader, fin.u.discipline])
    c = services.approve(fin.u.director, c)  # signs as a leadership member first
    assert c.status == Claim.Status.PENDING
    with pytest.raises(RuleViolation):
        services.approve(fin.u.director, c)  # the one pen waits for the other leaders
    c = sign_all(fin, c, [fin.u.party_secretary, fin.u.leader, fin.u.discipline, fin.u.director])
    assert c.status == Claim.Status.APPROVED


def test_building_repair_needs_the_audit_report(fin):
    c = claim(fin, "5000.00", street=True, kind="building_repair")
    with pytest.raises(RuleViolation) as refused:
        services.approve(fin.u.section_head, c)
    assert refused.value.code == "repair_audit_report_missing"
    services.add_voucher(fin.u.clerk, area=fin.street, claim=c, kind="repair_audit_report", name="审计.pdf",
                         content=PDF)
    services.approve(fin.u.section_head, c)


def test_working_committee_decision_from_10000(fin):
    c = claim(fin, "10000.00", street=True, kind="fixed_asset")
    with pytest.raises(RuleViolation) as refused:
        services.approve(fin.u.section_head, c)
    assert refused.value.rule_id == "A-FIN-35"
    held = timezone.now() - datetime.timedelta(days=1)
    meeting = meetings.create_meeting(fin.street_admin, kind=Kind.PWC_MEETING, body=fin.pwc, title="党工委会议",
                                      scheduled_at=held)
    item = meetings.add_item(fin.street_admin, meeting, title="购置设备")
    with pytest.raises(RuleViolation):  # not passed
        services.record_decision(fin.street_admin, c, agenda_item=item)


def test_directors_own_claim_is_approved_by_the_party_secretary(fin):
    c = claim(fin, "300.00", street=True, by=fin.u.director, claimant=fin.p.director)
    assert c.route[-1] == "party_secretary"
    c = sign_all(fin, c, [fin.u.section_head, fin.u.leader, fin.u.discipline])
    with pytest.raises(PermissionDenied):
        services.approve(fin.u.director, c)
    c = services.approve(fin.u.party_secretary, c)
    assert c.status == Claim.Status.APPROVED


def test_one_person_cannot_sign_two_posts(fin):
    services.assign_post(fin.root, person=fin.p.section_head, area=fin.street, post="discipline_secretary",
                         start_on=START)
    c = claim(fin, "200.00", street=True)
    c = sign_all(fin, c, [fin.u.section_head, fin.u.leader])
    with pytest.raises(RuleViolation) as refused:
        services.approve(fin.u.section_head, c)
    assert refused.value.code == "same_signer"


def test_reject_needs_a_reason(fin):
    c = claim(fin, "60.00")
    with pytest.raises(RuleViolation) as refused:
        services.reject(fin.u.accountant, c, reason=" ")
    assert refused.value.rule_id == "A-FIN-37"
    c = services.reject(fin.u.accountant, c, reason="事由不明确")
    assert c.status == Claim.Status.REJECTED
    with pytest.raises(IllegalTransition):
        services.approve(fin.u.rc_director, c)


def test_cashier_is_never_the_director_or_the_accountant(fin):
    with pytest.raises(RuleViolation) as refused:
        services.assign_post(fin.root, person=fin.p.rc_director, area=fin.a, post="cashier", start_on=START)
    assert refused.value.rule_id == "A-FIN-01"
    with pytest.raises(RuleViolation):
        services.assign_post(fin.root, person=fin.p.accountant, area=fin.a, post="cashier", start_on=START)


def test_informal_slip_is_refused(fin):
    c = claim(fin, "60.00")
    with pytest.raises(RuleViolation) as refused:
        services.add_voucher(fin.u.handler, area=fin.a, claim=c, kind="informal_slip", name="x.pdf", content=PDF)
    assert refused.value.rule_id == "A-FIN-05"
    with pytest.raises(ValidationFailed):
        services.add_voucher(fin.u.handler, area=fin.a, claim=c, kind="invoice", name="x.pdf", content=b"MZ...")


@pytest.mark.parametrize("amount", ["-1", "0", "1.234", "abc", "NaN", "Infinity"])
def test_bad_amounts_are_refused(fin, amount):
    with pytest.raises(ValidationFailed):
        claim(fin, amount)


def _books(fin):
    ledger = services.open_ledger(fin.u.cashier, area=fin.a, kind="cash", opened_on=START, opening="100.10")
    v = services.add_voucher(fin.u.cashier, area=fin.a, kind="receipt", name="r.pdf", content=PDF)
    return ledger, v


def test_ledger_running_balance_and_totals(fin):
    ledger, v = _books(fin)
    with pytest.raises(RuleViolation) as refused:
        services.post_entry(fin.u.cashier, ledger, occurred_on=START, direction="in", amount="0.20",
                            summary="拨款", category="经费", vouchers=[])
    assert refused.value.rule_id == "A-FIN-02"
    day = datetime.date(2026, 1, 5)
    for _ in range(10):  # ten times 0.10 is exactly 1.00 in fen; a float would drift
        services.post_entry(fin.u.cashier, ledger, occurred_on=day, direction="in", amount="0.10", summary="拨款",
                            category="经费拨款", vouchers=[v])
    services.post_entry(fin.u.cashier, ledger, occurred_on=day, direction="out", amount="0.30", summary="文具",
                        category="办公费", vouchers=[v])
    ledger.refresh_from_db()
    assert ledger.balance_fen == 100_10 + 1_00 - 30
    assert str(ledger.balance) == "100.80"
    assert services.verify_ledger(ledger) == []
    with pytest.raises(Conflict):
        services.post_entry(fin.u.cashier, ledger, occurred_on=day, direction="out", amount="1000.00",
                            summary="超支", category="办公费", vouchers=[v])
    with pytest.raises(Conflict):
        services.post_entry(fin.u.cashier, ledger, occurred_on=datetime.date(2026, 1, 4), direction="in",
                            amount="1", summary="补记", category="经费", vouchers=[v])
    Entry.objects.filter(ledger=ledger, seq=3).update(balance_fen=1)  # tampering is found
    assert services.verify_ledger(ledger)


def test_only_finance_staff_keep_the_books(fin):
    with pytest.raises(PermissionDenied):
        services.open_ledger(fin.u.handler, area=fin.a, kind="cash", opened_on=START)


def test_pay_claim_books_the_payment_and_counts_against_budget(fin):
    ledger, v = _books(fin)
    services.set_budget(fin.u.handler, area=fin.a, year=fin.today.year, amount="80.00")
    c = claim(fin, "90.00")
    services.add_voucher(fin.u.handler, area=fin.a, claim=c, kind="invoice", name="fp.pdf", content=PDF)
    with pytest.raises(IllegalTransition):
        services.pay_claim(fin.u.cashier, c, ledger=ledger)  # not approved yet
    c = sign_all(fin, c, [fin.u.rc_director, fin.u.secretary])
    entry = services.pay_claim(fin.u.cashier, c, ledger=ledger)
    c.refresh_from_db()
    assert c.status == Claim.Status.PAID and entry.balance_fen == 10_10
    usage = services.budget_usage(fin.a, fin.today.year)
    assert (usage["spent_fen"], usage["remaining_fen"], usage["over"]) == (90_00, -10_00, True)


def test_monthly_statement_adds_up_and_goes_to_the_board(fin):
    from jiceng.orgs import services as orgs
    from jiceng.orgs.models import Role

    ledger, v = _books(fin)
    bank = services.open_ledger(fin.u.cashier, area=fin.a, kind="bank", opened_on=START, opening="1000.00")
    services.post_entry(fin.u.cashier, ledger, occurred_on=datetime.date(2025, 12, 30), direction="in", amount="5",
                        summary="上月", category="经费拨款", vouchers=[v])
    services.post_entry(fin.u.cashier, ledger, occurred_on=datetime.date(2026, 1, 3), direction="in",
                        amount="200.00", summary="拨款", category="经费拨款", vouchers=[v])
    services.post_entry(fin.u.cashier, bank, occurred_on=datetime.date(2026, 1, 9), direction="out",
                        amount="333.33", summary="维修", category="维修费", vouchers=[v])
    services.post_entry(fin.u.cashier, ledger, occurred_on=datetime.date(2026, 2, 1), direction="out", amount="1",
                        summary="下月", category="办公费", vouchers=[v])
    st = services.draw_up_statement(fin.u.cashier, area=fin.a, year=2026, month=1)
    t = st.data["totals"]
    assert t == {"opening_fen": 100_10 + 5_00 + 1000_00, "income_fen": 200_00, "expense_fen": 333_33,
                 "closing_fen": 100_10 + 5_00 + 1000_00 + 200_00 - 333_33}
    with pytest.raises(Conflict):
        services.draw_up_statement(fin.u.cashier, area=fin.a, year=2026, month=1)
    # The residents committee drafts the board item; the cashier is not on the committee.
    with pytest.raises(RuleViolation):
        services.publish_statement(fin.u.cashier, st)
    orgs.add_membership(fin.root, person=fin.p.cashier, body=fin.rc, role=Role.RC_MEMBER, start_on=START)
    item = services.publish_statement(fin.u.rc_director, st)
    assert item.board == "residents" and item.category == "R02" and item.status == DisclosureItem.Status.DRAFT
    table = item.tables[0]
    assert table["total_income"] == "200.00" and table["total_expense"] == "333.33"
    assert {row["item"] for row in table["rows"]} == {"经费拨款", "维修费"}


def test_street_statement_cannot_go_to_a_residents_board(fin):
    services.open_ledger(fin.u.street_accountant, area=fin.street, kind="cash", opened_on=START)
    st = services.draw_up_statement(fin.u.street_accountant, area=fin.street, year=2026, month=1)
    with pytest.raises(ValidationFailed):
        services.publish_statement(fin.u.director, st)
    assert Ledger.objects.count() == 1 and Body.objects.exists()


def test_read_only_login_files_only_its_own_claim(fin):
    from tests import builders

    person = builders.make_person(fin.root, fin.building_a, "只读居民")
    viewer = builders.make_user(fin.root, "viewer_a", "viewer", fin.a, person=person)
    with pytest.raises(PermissionDenied):
        services.create_claim(viewer, area=fin.a, amount="10", purpose="代他人报销", claimant=fin.p.handler)
    own = services.create_claim(viewer, area=fin.a, amount="10", purpose="本人报销", claimant=person)
    assert own.route == ["rc_director", "community_party_secretary"]
    with pytest.raises(PermissionDenied):
        services.open_ledger(viewer, area=fin.a, kind="cash", opened_on=START)
    with pytest.raises(PermissionDenied):
        services.approve(fin.street_admin, own)  # a login without a person holds no post


def test_other_community_cannot_file_here(fin):
    with pytest.raises(PermissionDenied):
        services.create_claim(fin.worker_b, area=fin.a, amount="10", purpose="x", claimant=fin.p.handler)


def test_late_signature_cannot_predate_the_claim(fin):
    c = claim(fin, "10.00")
    with pytest.raises(ValidationFailed):
        services.approve(fin.u.rc_director, c, occurred_at=timezone.now() - datetime.timedelta(days=3))
    with pytest.raises(ValidationFailed):
        services.approve(fin.u.rc_director, c, occurred_at=timezone.now() + datetime.timedelta(days=1))


def test_fund_holder_leaves_only_with_audit_and_handover(fin):
    from jiceng.finance.models import FinancePost

    row = FinancePost.objects.get(person=fin.p.cashier, post="cashier")
    with pytest.raises(RuleViolation) as refused:
        services.end_post(fin.root, row, end_on=fin.today, handover_note="现金、账簿", successor=fin.p.handler)
    assert refused.value.rule_id == "A-FIN-09"
    with pytest.raises(RuleViolation):
        services.end_post(fin.root, row, end_on=fin.today, audit_ref="天审〔2026〕5号", handover_note="现金、账簿")
    row = services.end_post(fin.root, row, end_on=fin.today, audit_ref="天审〔2026〕5号",
                            handover_note="现金1234.50元、账簿2册", successor=fin.p.handler)
    assert row.end_on == fin.today
    section = services.assign_post(fin.root, person=fin.p.handler, area=fin.street, post="section_head",
                                   start_on=START)
    assert services.end_post(fin.root, section, end_on=fin.today).end_on == fin.today  # not a fund holder
