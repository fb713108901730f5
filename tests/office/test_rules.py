"""The office rules as pure functions, at their edges (rules-admin §2.11, acceptance scenarios AS-01..04, 09..15,
22, 25)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from jiceng.core.errors import RuleViolation
from jiceng.rules import office as r

D = datetime.date

# (rank, days, route): every rank at each boundary of its rule.
LEAVE_TABLE = [
    *[(rank, days, [r.PARTY_SECRETARY]) for rank in r.DEPUTY_SECTION_POSTS for days in ("0.5", "1", "3", "4", "30")],
    *[(rank, days, [r.DIRECTOR]) for rank in r.STAFF_POSTS for days in ("0.5", "1", "2.5", "3")],
    *[(rank, days, [r.PARTY_SECRETARY]) for rank in r.STAFF_POSTS for days in ("3.5", "4", "10")],
    *[(rank, days, [r.DISTRICT_APPROVER]) for rank in r.PRINCIPAL_POSTS for days in ("0.5", "3", "4")],
    *[(rank, "0.5", []) for rank in r.VRC_HEAD_POSTS],
    *[(rank, days, [r.PARTY_SECRETARY]) for rank in r.VRC_HEAD_POSTS for days in ("1", "3", "4")],
    *[(r.VRC_MEMBER, days, [r.VRC_PRINCIPAL]) for days in ("0.5", "2", "3")],
    *[(r.VRC_MEMBER, days, [r.DIRECTOR]) for days in ("3.5", "4", "5")],
    *[(r.COMMUNITY_WORKER, days, [r.VRC_PRINCIPAL]) for days in ("0.5", "3", "4")],
]


@pytest.mark.parametrize(("rank", "days", "route"), LEAVE_TABLE)
def test_leave_route_by_rank_and_days(rank, days, route):
    assert r.leave_approvers(rank, days) == route


@pytest.mark.parametrize(("rank", "days", "filed"), [
    (r.ORDINARY_STAFF, "3", True), (r.ORDINARY_STAFF, "4", True), (r.DEPUTY_SECTION_LEADER, "0.5", True),
    (r.VRC_DIRECTOR, "1", True), (r.VRC_DIRECTOR, "0.5", False),
    (r.VRC_MEMBER, "3", False), (r.VRC_MEMBER, "4", True),  # AS-03 (c)/(d)
    (r.COMMUNITY_WORKER, "3", False), (r.COMMUNITY_WORKER, "3.5", True),
])
def test_leave_filing_with_the_office(rank, days, filed):
    rule = r.leave_rule_for(rank)
    assert rule.decide(rule.params, days=Decimal(days)).file_with_office is filed


def test_district_moving_the_staff_boundary_sends_three_days_to_the_secretary():
    """AS-02 (b): leave.staff.director_max_days = 2."""
    params = r.BandParams(Decimal(2))
    assert r.leave_approvers(r.ORDINARY_STAFF, 3, params) == [r.PARTY_SECRETARY]
    assert r.leave_approvers(r.ORDINARY_STAFF, 2, params) == [r.DIRECTOR]


@pytest.mark.parametrize("days", ["0", "-1"])
def test_leave_of_no_days_is_refused(days):
    with pytest.raises(RuleViolation) as refused:
        r.leave_approvers(r.ORDINARY_STAFF, days)
    assert refused.value.rule_id == "A-LEAVE-02"


def test_unknown_rank_has_no_route():
    with pytest.raises(ValueError):
        r.leave_rule_for("janitor")


@pytest.mark.parametrize(("start", "days", "end", "due"), [
    (D(2024, 6, 3), "4", D(2024, 6, 6), D(2024, 6, 7)),     # AS-01: Mon–Thu, back Fri
    (D(2024, 6, 3), "5", D(2024, 6, 7), D(2024, 6, 11)),    # AS-04: ends Fri 7 Jun, 10 Jun is 端午节
    (D(2024, 6, 7), "0.5", D(2024, 6, 7), D(2024, 6, 11)),
    (D(2024, 6, 8), "1", D(2024, 6, 11), D(2024, 6, 12)),   # starts on a holiday: first working day counts
    (D(2024, 9, 27), "2", D(2024, 9, 29), D(2024, 9, 30)),  # Sun 29 Sep 2024 is a make-up working day
])
def test_leave_period_and_return_due_on_working_days(start, days, end, due):
    period = r.LEAVE_RETURN.decide(r.LEAVE_RETURN.params, start_on=start, days=Decimal(days))
    assert (period.end_on, period.return_due_on) == (end, due)


def test_leave_period_on_calendar_days():
    period = r.LEAVE_RETURN.decide(r.ReturnParams("calendar"), start_on=D(2024, 6, 7), days=Decimal(3))
    assert (period.end_on, period.return_due_on) == (D(2024, 6, 9), D(2024, 6, 11))


@pytest.mark.parametrize(("status", "start", "today", "flag"), [
    ("submitted", D(2024, 6, 3), D(2024, 6, 3), False),
    ("submitted", D(2024, 6, 3), D(2024, 6, 4), True),
    ("approved", D(2024, 6, 3), D(2024, 6, 4), False),
])
def test_unapproved_absence_flag(status, start, today, flag):
    assert r.leave_unapproved(r.NoParams(), status=status, start_on=start, today=today) is flag


# Letters and visits ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "instruction_due", "approver", "conclusion_due", "remind_on"), [
    ("ordinary", D(2024, 4, 4), r.LEADER_IN_CHARGE, D(2024, 5, 1), D(2024, 4, 25)),      # AS-09
    ("important", D(2024, 4, 2), r.PRINCIPAL_LEADER, D(2024, 6, 30), D(2024, 6, 12)),   # AS-09
    ("policy", D(2024, 4, 2), r.PRINCIPAL_LEADER, D(2024, 6, 30), D(2024, 6, 12)),
    ("collective", D(2024, 4, 2), r.PRINCIPAL_LEADER, D(2024, 6, 30), D(2024, 6, 12)),
])
def test_petition_due_dates(kind, instruction_due, approver, conclusion_due, remind_on):
    registered = D(2024, 4, 1)
    instruction = r.petition_instruction(r.PETITION_INSTRUCTION.params, kind=kind, registered_on=registered)
    conclusion = r.petition_conclusion(r.PETITION_CONCLUSION.params, kind=kind, registered_on=registered)
    assert (instruction.due_on, instruction.approver) == (instruction_due, approver)
    assert (conclusion.due_on, conclusion.remind_on) == (conclusion_due, remind_on)


def test_literal_mapping_swaps_the_leaders():
    params = r.InstructionParams(mapping="literal")
    assert r.petition_instruction(params, kind="important", registered_on=D(2024, 4, 1)).approver == \
        r.LEADER_IN_CHARGE
    assert r.petition_instruction(params, kind="ordinary", registered_on=D(2024, 4, 1)).approver == \
        r.PRINCIPAL_LEADER


@pytest.mark.parametrize(("upper", "due"), [
    (D(2024, 4, 20), D(2024, 4, 20)),   # earlier upper-level date wins
    (D(2024, 5, 1), D(2024, 5, 1)),
    (D(2024, 5, 2), D(2024, 5, 1)),     # a later one does not extend
])
def test_upper_level_date_overrides_only_when_earlier(upper, due):
    conclusion = r.petition_conclusion(r.PETITION_CONCLUSION.params, kind="ordinary", registered_on=D(2024, 4, 1),
                                       upper_due_on=upper)
    assert conclusion.due_on == due


@pytest.mark.parametrize("missing", ["petitioner_name", "received_on", "issue", "request"])
def test_petition_needs_its_four_fields(missing):
    facts = {"petitioner_name": "张三", "received_on": D(2024, 4, 1), "issue": "噪音", "request": "处理"}
    facts[missing] = "" if missing != "received_on" else None
    with pytest.raises(RuleViolation) as refused:
        r.PETITION_REGISTER.decide(r.PETITION_REGISTER.params, **facts)
    assert refused.value.rule_id == "A-VISIT-03" and refused.value.facts["missing"] == [missing]


# Duty ------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("minutes", "fen", "absent"), [
    (0, 0, False), (15, 1500, False), (20, 2000, False), (21, 4000, False), (60, 4000, False), (61, 0, True),
])
def test_duty_lateness_edges(minutes, fen, absent):
    """AS-13: 08:45, 08:50, 08:51, 09:31 after an 08:30 handover."""
    result = r.duty_lateness(r.DUTY_LATENESS.params, minutes=minutes)
    assert (result.deduction_fen, result.absent) == (fen, absent)


@pytest.mark.parametrize(("nth", "fen"), [(1, 10000), (2, 20000), (3, 40000), (4, 80000)])
def test_substitution_fine_doubles(nth, fen):
    assert r.substitution_fine(r.DUTY_SUBSTITUTION_FINE.params, nth=nth) == fen


@pytest.mark.parametrize(("nth", "sanction"), [(1, "half_month_attendance_bonus"), (2, "month_attendance_bonus"),
                                               (3, "annual_target_bonus_10pct"), (5, "annual_target_bonus_10pct")])
def test_absence_sanction_by_count(nth, sanction):
    assert r.absence_sanction(r.NoParams(), nth=nth) == sanction


@pytest.mark.parametrize(("leaders", "ok"), [(0, False), (1, True), (2, False)])
def test_exactly_one_duty_leader(leaders, ok):
    if ok:
        r.one_duty_leader(r.DUTY_ONE_LEADER.params, day=D(2024, 6, 1), leaders=leaders)
        return
    with pytest.raises(RuleViolation) as refused:
        r.one_duty_leader(r.DUTY_ONE_LEADER.params, day=D(2024, 6, 1), leaders=leaders)
    assert refused.value.rule_id == "A-DUTY-30"


@pytest.mark.parametrize(("rank", "route"), [(r.ORDINARY_STAFF, (r.LEADER_IN_CHARGE,)),
                                             (r.DEPUTY_SECTION_LEADER, (r.PARTY_SECRETARY, r.DIRECTOR))])
def test_duty_swap_route(rank, route):
    assert r.duty_swap(r.NoParams(), rank=rank) == route


# Documents, seals, rooms, reception, assets -----------------------------------------------------------------------

@pytest.mark.parametrize(("issuer", "posts", "away", "signed_as"), [
    (r.PARTY_WC, (r.PARTY_SECRETARY,), False, r.PARTY_SECRETARY),
    (r.PARTY_WC, (r.ACTING_PARTY_SECRETARY,), True, r.ACTING_PARTY_SECRETARY),     # AS-11 (b)
    (r.STREET_OFFICE, (r.DIRECTOR,), False, r.DIRECTOR),
    (r.STREET_OFFICE, (r.ACTING_DIRECTOR,), True, r.ACTING_DIRECTOR),
])
def test_signatory_accepted(issuer, posts, away, signed_as):
    assert r.doc_signatory(r.DOC_SIGNATORY.params, issuer=issuer, signer_posts=posts, principal_away=away) == signed_as


@pytest.mark.parametrize(("issuer", "posts", "away"), [
    (r.PARTY_WC, (r.DIRECTOR,), False),                 # AS-11 (a)
    (r.PARTY_WC, (r.ACTING_PARTY_SECRETARY,), False),   # substitute while the secretary is present
    (r.STREET_OFFICE, (r.PARTY_SECRETARY,), True),
])
def test_signatory_refused(issuer, posts, away):
    with pytest.raises(RuleViolation) as refused:
        r.doc_signatory(r.DOC_SIGNATORY.params, issuer=issuer, signer_posts=posts, principal_away=away)
    assert refused.value.rule_id == "A-DOC-14"


def test_document_number_format():
    assert r.doc_number(r.DOC_NUMBER.params, code="天街发", year=2025, serial=1) == "天街发〔2025〕1号"


@pytest.mark.parametrize(("status", "after"), [("drafting", "drafting"), ("reviewed", "reviewed"),
                                               ("signed_off", "reviewed"), ("printed", "reviewed")])
def test_change_after_signoff_voids_it(status, after):
    assert r.change_after_signoff(r.NoParams(), status=status) == after


def test_change_after_registration_is_refused():
    with pytest.raises(RuleViolation):
        r.change_after_signoff(r.NoParams(), status="registered")


def test_incoming_document_due_in_fifteen_working_days():
    """AS-10: assigned Mon 4 Nov 2024 → due Mon 25 Nov 2024."""
    assert r.incoming_due(r.DOC_INCOMING_DEADLINE.params, assigned_on=D(2024, 11, 4)) == D(2024, 11, 25)
    assert r.incoming_due(r.DOC_INCOMING_DEADLINE.params, assigned_on=D(2024, 11, 4),
                          own_deadline=D(2024, 11, 8)) == D(2024, 11, 8)


@pytest.mark.parametrize(("purpose", "approver", "signature"), [
    ("contract", r.DIRECTOR, True), ("certificate", r.OFFICE_DIRECTOR, False),
    ("routine_report", r.LEADER_IN_CHARGE, False), ("signed_document", r.LEADER_IN_CHARGE, False),
])
def test_seal_route_by_purpose(purpose, approver, signature):
    route = r.seal_route(r.NoParams(), purpose=purpose)
    assert (route.approver, route.signature_required) == (approver, signature)


def test_fee_receipt_seal_is_refused():
    with pytest.raises(RuleViolation) as refused:
        r.seal_route(r.NoParams(), purpose="fee_receipt")
    assert refused.value.rule_id == "A-SEAL-02"


@pytest.mark.parametrize(("guests", "limit"), [(5, 1), (6, 2), (10, 2), (11, 3), (16, 3), (17, None)])
def test_reception_staff_by_guests(guests, limit):
    """AS-15."""
    assert r.reception_staff(r.RECEPTION_STAFF.params, guests=guests) == limit


def test_reception_staff_above_limit_refused():
    with pytest.raises(RuleViolation):
        r.reception_staff(r.RECEPTION_STAFF.params, guests=6, staff=3)


@pytest.mark.parametrize(("fen", "route"), [(20000, (r.OFFICE_DIRECTOR,)),
                                            (20100, (r.OFFICE_DIRECTOR, r.LEADER_IN_CHARGE))])
def test_asset_repair_route(fen, route):
    """AS-22 (b)."""
    assert r.asset_repair_route(r.ASSET_REPAIR.params, amount_fen=fen) == route


def test_vehicle_service_above_200_needs_the_director():
    assert r.vehicle_repair_route(r.VEHICLE_REPAIR.params, amount_fen=35000) == (
        r.OFFICE_DIRECTOR, r.LEADER_IN_CHARGE, r.DIRECTOR)


@pytest.mark.parametrize(("fen", "card"), [(4500, False), (49999, False), (50000, True), (320000, True)])
def test_asset_card_from_500_yuan(fen, card):
    assert r.asset_needs_card(r.ASSET_CARD.params, unit_value_fen=fen) is card


@pytest.mark.parametrize(("title", "warned"), [("关" * 20, False), ("关" * 21, True)])
def test_title_over_twenty_characters_is_warned(title, warned):
    assert bool(r.title_warnings(r.TITLE_LENGTH.params, title=title)) is warned
