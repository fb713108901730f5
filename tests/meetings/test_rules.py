"""Table-driven edges of every meeting threshold and notice period (rules-core §0.2, §5)."""

import datetime

import pytest

from jiceng.core.errors import RuleViolation
from jiceng.rules import meetings as r
from jiceng.rules import pwc
from jiceng.rules.base import check

D = datetime.date


@pytest.mark.parametrize(("rule", "present", "base", "ok"), [
    (r.HEAR_QUORUM, 10, 21, False),   # AT-01: 2×10=20 ≤ 21
    (r.HEAR_QUORUM, 11, 21, True),
    (r.HEAR_QUORUM, 10, 20, False),   # exactly half is not 过半数
    (r.HEAR_QUORUM, 11, 20, True),
    (pwc.PWC_QUORUM, 4, 9, False),      # AT-11
    (pwc.PWC_QUORUM, 5, 9, True),
    (pwc.PWC_QUORUM, 4, 8, True),       # 半数以上 includes exactly half (C-16 default)
    (pwc.PWC_CADRE_QUORUM, 5, 9, False),  # AT-14: 15 < 18
    (pwc.PWC_CADRE_QUORUM, 6, 9, True),   # exactly 2/3
    (r.JOINT_QUORUM, 7, 9, False),    # AT-17: 35 < 36
    (r.JOINT_QUORUM, 8, 9, True),
    (r.JOINT_QUORUM, 8, 10, True),    # exactly 80%
    (r.JOINT_QUORUM, 7, 10, False),
    (r.PARTY_COMMITTEE_QUORUM, 2, 5, False),
    (r.PARTY_COMMITTEE_QUORUM, 3, 6, True),
    (r.CONGRESS_QUORUM, 20, 40, False),  # A-COM-32: 40 reps → 21
    (r.CONGRESS_QUORUM, 21, 40, True),
    (r.HEAR_QUORUM, 0, 0, False),     # nobody expected is never a quorum
])
def test_quorum_edges(rule, present, base, ok):
    if ok:
        assert check(rule, present=present, base=base).value.passed
        return
    with pytest.raises(RuleViolation) as refused:
        check(rule, present=present, base=base)
    assert refused.value.rule_id == rule.id
    assert refused.value.code in {"quorum_not_met", "cadre_quorum_not_met"}
    assert rule.id in refused.value.message and str(rule.citation.article) in refused.value.message


@pytest.mark.parametrize(("rule", "yes", "base", "passed"), [
    (r.HEAR_PASS, 7, 15, False),    # AT-02
    (r.HEAR_PASS, 8, 15, True),
    (r.HEAR_PASS, 8, 16, False),    # exactly half
    (r.DELIB_PASS, 8, 12, True),    # AT-05: 24 ≥ 24
    (r.DELIB_PASS, 7, 12, False),
    (r.DELIB_PASS, 6, 9, True),     # exactly 2/3
    (r.DELIB_PASS, 5, 9, False),
    (pwc.PWC_PASS, 5, 9, True),       # AT-10
    (pwc.PWC_PASS, 4, 9, False),
    (pwc.PWC_PASS, 4, 8, False),      # AT-11/12: 8 not > 8
    (pwc.PWC_PASS, 5, 10, False),     # AT-13
    (r.JOINT_PASS, 5, 8, False),    # AT-18: 15 < 16
    (r.JOINT_PASS, 6, 8, True),
    (r.PARTY_COMMITTEE_PASS, 3, 6, False),  # A-PARTY-06: more than half of members in office
    (r.PARTY_COMMITTEE_PASS, 4, 6, True),
    (r.CONGRESS_PASS, 11, 21, True),
    (r.CONGRESS_PASS, 10, 21, False),
])
def test_passing_edges(rule, yes, base, passed):
    outcome = check(rule, yes=yes, base=base).value
    assert outcome.passed is passed
    assert str(yes) in outcome.arithmetic_zh and str(base) in outcome.arithmetic_zh


def test_pwc_arithmetic_reads_as_the_spec_shows():
    outcome = check(pwc.PWC_PASS, yes=5, base=9).value
    assert outcome.arithmetic_zh.startswith("5 赞成 > 9 名应到会成员的 1/2")


@pytest.mark.parametrize(("rule", "notice_on", "ok"), [
    (r.HEAR_NOTICE, D(2025, 3, 8), False),   # AT-03: 2 days
    (r.HEAR_NOTICE, D(2025, 3, 7), True),    # 3 days
    (r.DELIB_NOTICE, D(2025, 3, 8), False),
    (r.DELIB_NOTICE, D(2025, 3, 7), True),
    (pwc.PWC_AGENDA_NOTICE, D(2025, 3, 8), False),
    (r.PARTY_COMMITTEE_NOTICE, D(2025, 3, 9), True),   # one day ahead
    (r.PARTY_COMMITTEE_NOTICE, D(2025, 3, 10), False),
    (r.HEAR_NOTICE, None, False),
])
def test_notice_edges(rule, notice_on, ok):
    if ok:
        check(rule, event_on=D(2025, 3, 10), notice_on=notice_on)
        return
    with pytest.raises(RuleViolation) as refused:
        check(rule, event_on=D(2025, 3, 10), notice_on=notice_on)
    assert refused.value.rule_id == rule.id


def test_residents_meeting_thresholds_are_unset_until_the_district_sets_them():
    with pytest.raises(RuleViolation) as refused:
        check(r.RESIDENTS_PASS, yes=10, base=12)
    assert refused.value.code == "rule_parameter_unset"


@pytest.mark.parametrize(("count", "ok"), [(49, False), (50, True)])
def test_evaluators_minimum(count, ok):
    if ok:
        check(r.EVAL_MIN_EVALUATORS, count=count)
    else:
        with pytest.raises(RuleViolation):
            check(r.EVAL_MIN_EVALUATORS, count=count)


def test_publication_deadline_is_day_seven():
    assert check(r.HEAR_PUBLISH, event_on=D(2025, 3, 10)).value == D(2025, 3, 17)
