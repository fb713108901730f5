"""A-FIN route edges: every bound exactly, one fen below and one fen above (rules-admin §0.3: 以上/以内 include
the bound; A-FIN-07's BOUNDARY values go to the stricter band)."""

from __future__ import annotations

import pytest

from jiceng.core.errors import RuleViolation
from jiceng.rules import finance as r
from jiceng.rules.base import check

SIGN = ("rc_director", "community_party_secretary")
FOUR = ("section_head", "leader_in_charge", "discipline_secretary")


@pytest.mark.parametrize(("fen", "steps", "decision"), [
    (1, SIGN, False),
    (99_99, SIGN, False),                                # one fen below 100: the director band
    (100_00, SIGN + ("leader_in_charge",), False),       # exactly 100: stricter band (street consents)
    (100_01, SIGN + ("leader_in_charge",), False),
    (499_99, SIGN + ("leader_in_charge",), False),
    (500_00, SIGN + ("leader_in_charge",), True),        # exactly 500: member congress decides first
    (500_01, SIGN + ("leader_in_charge",), True),
])
def test_community_route_edges(fen, steps, decision):
    route = r.expense_route(level="community", amount_fen=fen)
    assert route.steps == steps
    assert route.decision_required is decision
    assert route.filing_required is decision
    assert route.decision_body == ("member_congress" if decision else "")


def test_community_director_who_is_also_secretary_needs_the_deputy():
    route = r.expense_route(level="community", amount_fen=50_00, director_is_secretary=True)
    assert route.steps == ("rc_director", "rc_deputy_director")


def test_community_directors_own_claim_goes_to_the_deputy():
    route = r.expense_route(level="community", amount_fen=50_00, claimant_roles={"rc_director"})
    assert route.steps == ("rc_deputy_director", "community_party_secretary")


@pytest.mark.parametrize(("fen", "leaders", "decision"), [
    (1, False, False),
    (4999_99, False, False),
    (5000_00, True, False),      # 5000元以上 includes 5000: every leadership member signs
    (5000_01, True, False),
    (9999_99, True, False),
    (10000_00, True, True),      # 壹万元以上 includes 10 000: the working committee decides first
    (10000_01, True, True),
])
def test_street_route_edges(fen, leaders, decision):
    route = r.expense_route(level="street", amount_fen=fen)
    expected = FOUR + (("leadership_member",) if leaders else ()) + ("director",)
    assert route.steps == expected
    assert route.decision_required is decision
    assert route.decision_body == ("street_party_working_committee" if decision else "")


def test_year_end_bonus_needs_the_committee_at_any_amount():
    assert r.expense_route(level="street", amount_fen=1, kind="year_end_bonus").decision_required
    assert not r.expense_route(level="street", amount_fen=1, kind="fixed_asset").decision_required


@pytest.mark.parametrize(("fen", "needed"), [(4999_99, False), (5000_00, True), (5000_01, True)])
def test_repair_report_from_the_all_leader_bound(fen, needed):
    assert r.expense_route(level="street", amount_fen=fen, kind="building_repair").repair_report_required is needed
    assert not r.expense_route(level="street", amount_fen=fen, kind="ordinary").repair_report_required


def test_directors_own_street_claim_goes_to_the_party_secretary():
    route = r.expense_route(level="street", amount_fen=300_00, claimant_roles={"director"})
    assert route.steps == FOUR + ("party_secretary",)
    assert "A-FIN-39" in route.rules


def test_nobody_signs_their_own_claim():
    with pytest.raises(RuleViolation) as refused:
        check(r.OWN_CLAIM, approver_id=7, claimant_id=7, role="director")
    assert refused.value.rule_id == "A-FIN-39"
    check(r.OWN_CLAIM, approver_id=8, claimant_id=7, role="director")


def test_district_parameters_move_the_bounds():
    params = {r.COMMUNITY_APPROVAL.key: r.CommunityApprovalParams(200_00, 1000_00, "leader_in_charge")}
    assert r.expense_route(level="community", amount_fen=199_99, params=params).steps == SIGN
    assert not r.expense_route(level="community", amount_fen=500_00, params=params).decision_required


def test_every_finance_rule_is_complete():
    for rule in (r.SIGNERS, r.COMMUNITY_APPROVAL, r.CONGRESS_DECISION, r.COSIGN, r.ALL_LEADERS, r.COMMITTEE_DECISION,
                 r.ONE_PEN, r.OWN_CLAIM, r.REFUSAL, r.VOUCHER_REQUIRED, r.NO_INFORMAL_SLIP, r.CASHIER_SEPARATE):
        assert rule.citation.article and rule.summary_zh and rule.summary_en and rule.decide
