"""The 综治 rule functions at their edges (rules-admin §2.1; §0.3: the due day itself is on time)."""

from __future__ import annotations

import datetime

import pytest

from jiceng.core.errors import RuleViolation
from jiceng.rules import zongzhi as r

D = datetime.date


def test_registration_dues_count_from_the_next_day():
    dues = r.DUE.decide(r.DUE.params, registered_on=D(2024, 3, 1))
    assert dues.assign_due == D(2024, 3, 4)        # 3 days (inferred)
    assert dues.mediation_due == D(2024, 3, 31)    # A-ZZ-78: 30 days


def test_set_deadline_wins_but_not_before_registration():
    assert r.DUE.decide(r.DUE.params, registered_on=D(2024, 3, 1), deadline=D(2024, 3, 10)).mediation_due == D(
        2024, 3, 10)
    same_day = r.DUE.decide(r.DUE.params, registered_on=D(2024, 3, 1), deadline=D(2024, 3, 1))
    assert same_day.mediation_due == D(2024, 3, 1)
    with pytest.raises(RuleViolation) as refused:
        r.DUE.decide(r.DUE.params, registered_on=D(2024, 3, 1), deadline=D(2024, 2, 29))
    assert refused.value.rule_id == "A-ZZ-78"


@pytest.mark.parametrize(("done", "today", "late"), [
    (None, D(2024, 3, 30), False),          # the day before the due day
    (None, D(2024, 3, 31), False),          # the due day itself
    (None, D(2024, 4, 1), True),            # the day after
    (D(2024, 3, 31), D(2024, 5, 1), False),  # done on the due day, looked at later
    (D(2024, 4, 1), D(2024, 5, 1), True),    # done one day late
])
def test_overdue_edges(done, today, late):
    assert r.is_overdue(D(2024, 3, 31), done, today) is late


def test_follow_up_due_thirty_days_after_report():
    assert r.FOLLOW_UP.decide(r.FOLLOW_UP.params, reported_on=D(2024, 1, 31)) == D(2024, 3, 1)


@pytest.mark.parametrize(("level", "from_tier", "to_tier", "flagged"), [
    ("simple", r.COMMUNITY, r.STREET, True),     # 小事不出村: allowed, flagged
    ("general", r.COMMUNITY, r.STREET, False),
    ("major", r.STREET, r.DISTRICT, False),
])
def test_escalation_goes_one_tier_up(level, from_tier, to_tier, flagged):
    result = r.TIER.decide(r.TIER.params, level=level, from_tier=from_tier, reason="双方分歧大")
    assert (result.to_tier, result.flagged) == (to_tier, flagged)


def test_escalation_needs_a_reason_and_a_higher_tier():
    with pytest.raises(RuleViolation) as no_reason:
        r.TIER.decide(r.TIER.params, level="general", from_tier=r.COMMUNITY, reason="  ")
    assert no_reason.value.code == "escalation_reason_missing"
    with pytest.raises(RuleViolation) as top:
        r.TIER.decide(r.TIER.params, level="major", from_tier=r.DISTRICT, reason="再上报")
    assert top.value.code == "no_higher_tier"


def test_classification_gives_tier_and_default_unit():
    c = r.CLASSIFY.decide(None, category="illegal_building", level="general")
    assert (c.tier, c.unit) == (r.STREET, "综合执法队")
    assert r.CLASSIFY.decide(None, category="neighbour", level="simple").tier == r.COMMUNITY
    with pytest.raises(RuleViolation):
        r.CLASSIFY.decide(None, category="gossip", level="simple")
    with pytest.raises(RuleViolation):
        r.CLASSIFY.decide(None, category="neighbour", level="huge")


def test_major_case_needs_unit_person_and_deadline():
    r.MAJOR_CASE.decide(r.MAJOR_CASE.params, responsible_unit="综治科", responsible_person="钱", deadline=D(2024, 1, 1))
    with pytest.raises(RuleViolation) as refused:
        r.MAJOR_CASE.decide(r.MAJOR_CASE.params, responsible_unit="综治科", responsible_person="钱", deadline=None)
    assert refused.value.rule_id == "A-ZZ-69" and refused.value.facts["missing"] == ["deadline"]


@pytest.mark.parametrize(("kind", "day", "start", "end"), [
    ("week", D(2024, 6, 3), D(2024, 6, 3), D(2024, 6, 9)),     # ISO week 23 of 2024, Monday
    ("week", D(2024, 6, 9), D(2024, 6, 3), D(2024, 6, 9)),     # its Sunday
    ("month", D(2024, 2, 29), D(2024, 2, 1), D(2024, 2, 29)),
    ("quarter", D(2024, 5, 15), D(2024, 4, 1), D(2024, 6, 30)),
])
def test_periods(kind, day, start, end):
    period = r.period_of(kind, day)
    assert (period.start, period.end) == (start, end)


def test_screening_cadence_is_weekly_for_communities_and_monthly_for_the_street():
    assert r.SCREENING.decide(r.SCREENING.params, tier=r.COMMUNITY, day=D(2024, 6, 5)).label == "2024年第23周"
    assert r.SCREENING.decide(r.SCREENING.params, tier=r.STREET, day=D(2024, 6, 5)).label == "2024年6月"


def test_missing_periods_skip_held_ones_and_the_running_one():
    held = {D(2024, 6, 3)}
    missing = r.missing_periods(held, "week", D(2024, 6, 3), D(2024, 6, 24))
    assert [p.start for p in missing] == [D(2024, 6, 10), D(2024, 6, 17)]   # week of 24 Jun still runs


@pytest.mark.parametrize(("due", "start", "expected"), [
    ("next_month_day_5", D(2024, 5, 1), D(2024, 6, 5)),
    ("next_month_day_5", D(2024, 12, 1), D(2025, 1, 5)),
    ("same_month_day_25", D(2024, 5, 1), D(2024, 5, 25)),
])
def test_monthly_report_due_variants(due, start, expected):
    assert r.MONTHLY_REPORT.decide(r.ReportParams(due), period_start=start) == expected


def test_quarterly_report_due():
    assert r.QUARTERLY_REPORT.decide(r.QUARTERLY_REPORT.params, period_start=D(2024, 4, 1)) == D(2024, 7, 5)


def test_zero_report_is_allowed():
    assert r.ZERO_REPORT.decide(None, cases=0) is True
    assert r.ZERO_REPORT.decide(None, cases=3) is False


@pytest.mark.parametrize(("chasers", "overdue", "criticised"), [(1, True, False), (2, True, True), (2, False, False)])
def test_criticism_after_two_chasers(chasers, overdue, criticised):
    assert r.CHASE.decide(r.CHASE.params, chasers=chasers, overdue=overdue) is criticised


@pytest.mark.parametrize(("leaders", "ok"), [(0, False), (1, True), (2, False)])
def test_exactly_one_case_leader(leaders, ok):
    if ok:
        r.CASE_LEADER.decide(r.CASE_LEADER.params, leaders=leaders)
        return
    with pytest.raises(RuleViolation) as refused:
        r.CASE_LEADER.decide(r.CASE_LEADER.params, leaders=leaders)
    assert refused.value.rule_id == "A-CASE-02"


def test_mediation_is_free():
    r.FREE_SERVICE.decide(None, fee=None)
    with pytest.raises(RuleViolation):
        r.FREE_SERVICE.decide(None, fee=50)


def test_session_record_needs_all_four_facts():
    with pytest.raises(RuleViolation) as refused:
        r.SESSION_RECORD.decide(r.SESSION_RECORD.params, facts="x", parties="y", process="", outcome="z")
    assert refused.value.facts["missing"] == ["process"]


def test_seven_ledgers():
    assert list(r.LEDGERS.values()) == ["矛盾纠纷排查调处", "社会治安状况", "城管难乱点排查整治", "信访稳定问题治理",
                                       "刑释解教人员安置帮教", "平安创建", "考核奖惩"]
    with pytest.raises(RuleViolation):
        r.LEDGER.decide(r.LEDGER.params, kind="parking")
