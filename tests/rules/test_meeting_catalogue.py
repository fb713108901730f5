"""Issue #3 point 1: every meeting rule of the spec is a rule object (ID, citation, parameters, pure decision), and
the new numeric ones hold at their edges (rules-core §0.2–0.3, rules-admin §0.3)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from jiceng.core.errors import RuleViolation
from jiceng.rules import admin_meetings as a
from jiceng.rules import meetings as r
from jiceng.rules import pwc
from jiceng.rules.base import REGISTRY, check
from jiceng.rules.presenters import rules_in_force

D = datetime.date
TZ = ZoneInfo("Asia/Shanghai")
ACTIONS = {"enforce", "enforce_o", "warn", "remind", "record", "publish", "escalate"}
ADDED = (
    [f"R-HEAR-{n:02d}" for n in (2, 3, 7, 9, 10, 11, 16)] + [f"R-DELIB-{n:02d}" for n in (5, 12, 13, 14)]
    + [f"R-EVAL-{n:02d}" for n in (4, 9, 11, 13, 14)]
    + [f"R-PWC-{n:02d}" for n in (1, 6, 7, 10, 14, 17, 18, 20, 21, 22, 24)]
    + ["R-CPO-05", "R-CPO-06", "R-CPO-07", "R-MTG-16", "R-MTG-17"]
    + [f"A-MEET-{n:02d}" for n in (1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 16)]
    + [f"A-HEAR-{n:02d}" for n in range(1, 12)]
    + [f"A-PARTY-{n:02d}" for n in (1, 3, 5, 7, 8, 9)]
)


@pytest.mark.parametrize("rule_id", ADDED)
def test_every_meeting_rule_of_the_spec_is_a_complete_rule_object(rule_id):
    rules = [rule for rule in REGISTRY.values() if rule.id == rule_id]
    assert rules, f"{rule_id} is not in the rulebook"
    for rule in rules:
        assert rule.citation.document and rule.citation.article
        assert rule.summary_zh and rule.summary_en and rule.action in ACTIONS
        assert rule.decide is not None


def test_the_rulebook_page_data_lists_the_new_rules_with_their_parameters():
    rows = {row["key"]: row for row in rules_in_force()}
    assert rows["A-MEET-01"]["params"] == {"count": 1, "period": "month", "at_most": 2}
    assert rows["A-MEET-10/urban_management"]["params"]["period"] == "month"
    assert rows["A-HEAR-09"]["params"] == {"days": 3}
    assert rows["A-PARTY-08"]["params"]["larger_expense_fen"] == 50000


# Numbers at their edges ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("published_on", "on_time"), [
    (D(2024, 6, 13), True),    # AS-18: hearing Mon 10 Jun → published by 13 Jun ("三日内" includes day 3)
    (D(2024, 6, 12), True),
    (D(2024, 6, 14), False),   # day 4 is late
])
def test_a_hear_09_publication_within_three_days(published_on, on_time):
    due = check(a.HEARING_PUBLISH, event_on=D(2024, 6, 10)).value
    assert (published_on <= due) is on_time


def test_the_two_hearing_publication_deadlines_differ_by_seed():
    """000-A gives 7 days (R-HEAR-15), 001 gives 3 (A-HEAR-09): two rule objects, neither silently wins."""
    assert check(r.HEAR_PUBLISH, event_on=D(2024, 6, 10)).value == D(2024, 6, 17)
    assert check(a.HEARING_PUBLISH, event_on=D(2024, 6, 10)).value == D(2024, 6, 13)


@pytest.mark.parametrize(("yes", "cast", "passed"), [
    (5, 10, False),   # exactly half of the votes cast is not more than half
    (6, 10, True),
    (6, 11, True),
    (5, 11, False),
    (0, 0, False),    # no votes cast never passes
])
def test_a_hear_11_more_than_half_of_votes_cast(yes, cast, passed):
    assert check(a.HEARING_PASS_001, yes=yes, base=cast).value.passed is passed


@pytest.mark.parametrize(("amount_fen", "needs"), [
    (499_99, False),
    (500_00, False),   # "较大数额" default: more than 500 元; 500 元 itself does not
    (500_01, True),
])
def test_a_party_08_larger_expenditure_edge(amount_fen, needs):
    assert check(a.PARTY_COMMITTEE_SCOPE, matter="expenditure", amount_fen=amount_fen).value is needs


def test_a_party_08_listed_matters_always_need_the_committee():
    assert check(a.PARTY_COMMITTEE_SCOPE, matter="lease_contract").value is True
    assert check(a.PARTY_COMMITTEE_SCOPE, matter="office_supplies").value is False


@pytest.mark.parametrize(("count", "warned"), [(0, True), (1, False), (2, False), (3, True)])
def test_r_mtg_17_one_or_two_practical_problems(count, warned):
    finding = check(r.DLM_PROBLEMS, count=count).value
    assert (finding is not None) is warned
    if warned:
        assert finding.rule_id == "R-MTG-17" and finding.code == "problems_out_of_range"


START = datetime.datetime(2025, 3, 10, 9, tzinfo=TZ)


@pytest.mark.parametrize("rule", [pwc.PWC_LEAVE, a.PARTY_COMMITTEE_LEAVE])
@pytest.mark.parametrize(("requested_at", "status"), [
    (START - datetime.timedelta(seconds=1), "leave"),
    (START - datetime.timedelta(days=1), "leave"),
    (START, "absent_without_leave"),          # asked when the meeting starts is not 会前 / 事先
    (START + datetime.timedelta(minutes=5), "absent_without_leave"),
    (None, "absent_without_leave"),
])
def test_leave_must_be_asked_before_the_meeting(rule, requested_at, status):
    assert check(rule, requested_at=requested_at, starts_at=START).value == status


@pytest.mark.parametrize(("rule", "count", "period", "at_most"), [
    (a.DIRECTOR_MEETING, 1, "month", 2),       # 每月一至二次
    (a.OFFICE_MEETING, 1, "month", None),
    (a.SECTION_MEETING, 2, "month", None),     # 每半月一次
    (a.REGULAR_MEETINGS["administrative"], 1, "month", None),
    (a.REGULAR_MEETINGS["zongzhi"], 1, "month", None),
    (a.REGULAR_MEETINGS["community_work"], 1, "month", None),
    (a.REGULAR_MEETINGS["urban_management"], 1, "month", None),
    (a.ZZ_MEETINGS["committee"], 1, "quarter", None),
    (a.ZZ_MEETINGS["joint"], 1, "month", None),
    (a.SAFETY_COMMITTEE, 1, "quarter", None),
    (a.PARTY_COMMITTEE_CADENCE, 1, "month", 2),
])
def test_admin_cadences(rule, count, period, at_most):
    p = check(rule).value
    assert (p.count, p.period, p.at_most) == (count, period, at_most)


# Shapes -------------------------------------------------------------------------------------------------

HEAR_STEPS = a.HEARING_STEPS.params.steps


@pytest.mark.parametrize(("done", "code"), [
    (list(HEAR_STEPS), None),
    ([s for s in HEAR_STEPS if s != "政府部门代表答复咨询"], None),   # step 4 applies only where law is involved
    ([HEAR_STEPS[1], HEAR_STEPS[0], *HEAR_STEPS[2:]], "steps_out_of_order"),
    ([HEAR_STEPS[0], *HEAR_STEPS[2:]], "steps_missing"),
    ([*HEAR_STEPS[:4], HEAR_STEPS[4], HEAR_STEPS[3]], "steps_out_of_order"),  # the answer after the vote
])
def test_a_hear_08_step_order(done, code):
    if code is None:
        check(a.HEARING_STEPS, done=done)
        return
    with pytest.raises(RuleViolation) as refused:
        check(a.HEARING_STEPS, done=done)
    assert refused.value.code == code and refused.value.rule_id == "A-HEAR-08"


def test_r_hear_09_and_a_hear_08_name_the_same_five_steps():
    assert len(r.HEAR_ORDER.params.steps) == len(HEAR_STEPS) == 5


def test_r_eval_09_reporting_order():
    order = list(r.EVAL_REPORT_ORDER.params.steps)
    check(r.EVAL_REPORT_ORDER, done=order)
    with pytest.raises(RuleViolation):
        check(r.EVAL_REPORT_ORDER, done=list(reversed(order)))


def test_r_hear_03_warns_without_resident_representatives_and_refuses_unknown_categories():
    assert check(r.HEAR_INVITEES, categories=["party_org", "resident_representative"]).value is None
    finding = check(r.HEAR_INVITEES, categories=["party_org", "residents_committee"]).value
    assert finding.code == "no_resident_representatives"   # WARN: returned, not raised
    with pytest.raises(RuleViolation) as refused:
        check(r.HEAR_INVITEES, categories=["journalist"])
    assert refused.value.code == "invitee_category_unknown"


@pytest.mark.parametrize(("method", "ok"), [("show_of_hands", True), ("named", True), ("ballot", True),
                                            ("oral", False), ("", False)])
def test_r_hear_11_vote_methods(method, ok):
    if ok:
        check(r.HEAR_VOTE_METHOD, categories=[method])
    else:
        with pytest.raises(RuleViolation):
            check(r.HEAR_VOTE_METHOD, categories=[method])


def test_a_hear_03_eligible_member_kinds():
    check(a.HEARING_MEMBERS, categories=["rc_member", "member_representative"])
    with pytest.raises(RuleViolation) as refused:
        check(a.HEARING_MEMBERS, categories=["rc_member", "street_office_official"])
    assert refused.value.code == "not_an_eligible_member"


def test_record_rules_name_what_is_missing():
    with pytest.raises(RuleViolation) as refused:
        check(pwc.PWC_EMERGENCY, acted_by="书记", action="组织疏散", reported_at_meeting="")
    assert refused.value.facts["missing"] == ["reported_at_meeting"]
    assert check(r.EVAL_COMMENTS, liaison_comment="工作扎实").value == {"liaison_comment": "工作扎实"}


def test_r_pwc_17_names_the_absentees_not_yet_consulted():
    assert check(pwc.PWC_ABSENT_CONSULTED, absent=[3, 5, 8], consulted=[5]).value == [3, 8]


def test_a_meet_11_combined_meeting_counts_for_each_kind_unless_the_district_says_otherwise():
    kinds = ["administrative_regular_meeting", "zongzhi_regular_meeting", "administrative_regular_meeting"]
    assert check(a.COMBINED_MEETINGS, kinds=kinds).value == kinds[:2]


def test_a_meet_13_counts_unexcused_absences_only():
    assert check(a.ABSENCE_REPORT, statuses=["present", "leave", "absent", "absent"]).value == 2


def test_duty_rules_without_enforcement_still_refuse_when_unsatisfied():
    for rule in (r.DELIB_SOLICITED, pwc.PWC_RECONSIDERATION, pwc.PWC_DECISION_IMMUTABLE, a.CONGRESS_RESERVED,
                 a.HEARING_BEFORE_DECISION, a.HEARING_WRITTEN_COPY):
        check(rule, satisfied=True)
        with pytest.raises(RuleViolation) as refused:
            check(rule, satisfied=False)
        assert refused.value.rule_id == rule.id
