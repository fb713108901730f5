"""The pure rule functions of party affairs, at their edges."""

from __future__ import annotations

import datetime

import pytest

from jiceng.core.errors import RuleViolation
from jiceng.rules import party as r

D = datetime.date


@pytest.mark.parametrize(("activist_on", "target_on", "ok"), [
    (D(2024, 6, 1), D(2025, 5, 31), False),   # one day short of "一年以上"
    (D(2024, 6, 1), D(2025, 6, 1), True),     # the same date a year later
    (D(2024, 2, 29), D(2025, 2, 28), False),  # Feb 29 → Mar 1
    (D(2024, 2, 29), D(2025, 3, 1), True),
])
def test_training_year_edges(activist_on, target_on, ok):
    if ok:
        r.TRAINING.decide(r.TRAINING.params, activist_on=activist_on, target_on=target_on)
        return
    with pytest.raises(RuleViolation) as refused:
        r.TRAINING.decide(r.TRAINING.params, activist_on=activist_on, target_on=target_on)
    assert refused.value.code == "training_period_not_met"
    assert "R-DEV-04" in refused.value.message


@pytest.mark.parametrize(("statuses", "distinct", "ok"), [
    (["full_member", "full_member"], 2, True),
    (["full_member"], 1, False),                                   # one sponsor
    (["full_member", "probationary_member"], 2, False),            # a probationary sponsor
    (["full_member", "full_member", "full_member"], 3, False),     # three
    (["full_member", "full_member"], 1, False),                    # the same person twice
])
def test_sponsor_edges(statuses, distinct, ok):
    if ok:
        r.SPONSORS.decide(r.SPONSORS.params, statuses=statuses, distinct=distinct)
        return
    with pytest.raises(RuleViolation) as refused:
        r.SPONSORS.decide(r.SPONSORS.params, statuses=statuses, distinct=distinct)
    assert refused.value.code == "sponsors_invalid"


@pytest.mark.parametrize(("vote_on", "ok"), [(D(2025, 3, 7), False), (D(2025, 3, 8), True)])
def test_public_notice_runs_seven_days(vote_on, ok):
    facts = {"started_on": D(2025, 3, 1), "vote_on": vote_on, "feedback_considered": True}
    if ok:
        assert r.PUBLIC_NOTICE.decide(r.PUBLIC_NOTICE.params, **facts) == D(2025, 3, 8)
        return
    with pytest.raises(RuleViolation) as refused:
        r.PUBLIC_NOTICE.decide(r.PUBLIC_NOTICE.params, **facts)
    assert refused.value.code == "public_notice_missing"


def test_public_notice_missing_and_feedback_pending():
    with pytest.raises(RuleViolation, match="尚未进行公示"):
        r.PUBLIC_NOTICE.decide(r.PUBLIC_NOTICE.params, started_on=None, vote_on=D(2025, 3, 8),
                               feedback_considered=True)
    with pytest.raises(RuleViolation) as refused:
        r.PUBLIC_NOTICE.decide(r.PUBLIC_NOTICE.params, started_on=D(2025, 3, 1), vote_on=D(2025, 3, 9),
                               feedback_considered=False)
    assert refused.value.code == "notice_feedback_pending"


@pytest.mark.parametrize(("admitted", "activists", "codes"), [
    (1, 3, []), (2, 5, []), (0, 3, ["admissions_outside_plan"]), (3, 5, ["admissions_outside_plan"]),
    (1, 2, ["activists_outside_plan"]), (2, 6, ["activists_outside_plan"]),
])
def test_yearly_plan_warns_outside_ranges(admitted, activists, codes):
    warnings = r.YEARLY_PLAN.decide(r.YEARLY_PLAN.params, admitted=admitted, activists=activists)
    assert [w["code"] for w in warnings] == codes


@pytest.mark.parametrize(("left", "back", "disposition", "place_known", "fits"), [
    (D(2025, 1, 10), D(2025, 7, 9), "certificate", True, ["certificate"]),      # a day short of 6 months
    (D(2025, 1, 10), D(2025, 7, 10), "transfer", True, ["transfer", "certificate"]),  # exactly 6 (C-05)
    (D(2025, 1, 10), D(2025, 7, 10), "certificate", True, ["transfer", "certificate"]),
    (D(2025, 1, 10), D(2025, 7, 11), "transfer", True, ["transfer"]),           # a day over
    (D(2025, 1, 10), D(2025, 5, 10), "certificate", True, ["certificate"]),     # 4 months
    (D(2025, 1, 10), None, "card", True, ["card"]),                             # time unclear
    (D(2025, 1, 10), D(2025, 3, 1), "card", False, ["card"]),                   # place unclear
])
def test_mobile_disposition_fits(left, back, disposition, place_known, fits):
    got = r.MOBILE_DISPOSITION.decide(r.MOBILE_DISPOSITION.params, left_on=left, return_on=back,
                                      place_known=place_known, disposition=disposition)
    assert got == fits


@pytest.mark.parametrize(("back", "disposition"), [
    (D(2025, 9, 10), "certificate"),  # 8 months with a certificate letter: must transfer
    (D(2025, 7, 11), "certificate"),  # one day over 6 months
    (D(2025, 7, 9), "transfer"),      # one day under 6 months
    (None, "transfer"),               # unknown time
])
def test_mobile_disposition_refusals(back, disposition):
    with pytest.raises(RuleViolation) as refused:
        r.MOBILE_DISPOSITION.decide(r.MOBILE_DISPOSITION.params, left_on=D(2025, 1, 10), return_on=back,
                                    place_known=True, disposition=disposition)
    assert refused.value.code == "wrong_mobile_disposition"
    assert refused.value.rule_id == "R-MOB-02"


@pytest.mark.parametrize(("count", "due"), [(2, False), (3, True), (4, True)])
def test_temporary_branch_from_three(count, due):
    assert r.TEMPORARY_BRANCH.decide(r.TEMPORARY_BRANCH.params, count=count) is due


@pytest.mark.parametrize(("months", "ok"), [(6, True), (7, False)])
def test_back_and_advance_limits(months, ok):
    for rule in (r.BACK_PAYMENT, r.ADVANCE_PAYMENT):
        if ok:
            rule.decide(rule.params, months=months)
        else:
            with pytest.raises(RuleViolation):
                rule.decide(rule.params, months=months)


def months(*pairs):
    return [D(y, m, 1) for y, m in pairs]


def test_unpaid_streak_counts_only_ended_months():
    due = months(*[(2025, m) for m in range(1, 9)])
    paid = {D(2025, 1, 1)}
    # AT-21: paid through January; on 1 July February–June have ended unpaid (5), on 1 August six.
    assert len(r.unpaid_streak(due_months=due, paid=paid, excused=set(), today=D(2025, 7, 1))) == 5
    assert len(r.unpaid_streak(due_months=due, paid=paid, excused=set(), today=D(2025, 7, 31))) == 5
    assert len(r.unpaid_streak(due_months=due, paid=paid, excused=set(), today=D(2025, 8, 1))) == 6
    # A later back payment for April breaks the run retroactively.
    assert len(r.unpaid_streak(due_months=due, paid=paid | {D(2025, 4, 1)}, excused=set(),
                               today=D(2025, 8, 1))) == 3


def test_unpaid_streak_quarterly_waits_for_quarter_end():
    due = months(*[(2025, m) for m in range(1, 7)])
    assert r.unpaid_streak(due_months=due, paid=set(), excused=set(), today=D(2025, 3, 31), quarterly=True) == []
    assert len(r.unpaid_streak(due_months=due, paid=set(), excused=set(), today=D(2025, 4, 1), quarterly=True)) == 3


@pytest.mark.parametrize(("streak", "action"), [(0, ""), (1, "remind"), (5, "remind"), (6, "case"), (7, "case")])
def test_streak_action_edges(streak, action):
    assert r.UNPAID_STREAK.decide(r.UNPAID_STREAK.params, streak=streak) == action


def test_add_months_clamps_to_next_month():
    assert r.add_months(D(2024, 2, 29), 12) == D(2025, 3, 1)
    assert r.add_months(D(2025, 8, 31), 6) == D(2026, 3, 1)
    assert r.add_months(D(2025, 1, 31), 1) == D(2025, 3, 1)
