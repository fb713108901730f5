"""Democratic evaluation of members (R-DEMEV-01..07, A-PARTY-38)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiceng.archives.models import Record
from jiceng.audit.models import AuditEvent
from jiceng.core.errors import Conflict, PermissionDenied, RuleViolation
from jiceng.disclosure.models import DisclosureItem
from jiceng.orglife import evaluation as services
from jiceng.orglife.models import EvaluationRound
from jiceng.rules import orglife as r

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("participants", "base", "ok"), [
    (19, 20, True),    # exactly 95%: "95%以上" includes the bound
    (18, 20, False),   # one short
    (38, 40, True),    # AT-24
    (37, 40, False),
    (39, 41, True),
    (38, 41, False),
    (0, 0, False),     # nobody to evaluate is never enough
])
def test_participation_edges(participants, base, ok):
    warning = r.participation(r.DEMEV_PARTICIPATION.params, participants=participants, base=base)
    assert (warning is None) == ok
    if not ok:
        assert warning.rule_id == "R-DEMEV-03" and warning.code == "participation_below_minimum"


def open_round(w, year=None):
    today = timezone.localdate()
    return services.open_round(w.worker_a, party_org=w.party_org, year=year or today.year, evaluated_on=today)


def take_part(w, rnd, count):
    evaluations = list(rnd.evaluations.order_by("pk"))
    for e in evaluations[:count]:
        services.record_member(w.worker_a, e, participated=True, self="本人自评材料", peer="互评意见",
                               residents="群众评议", organisation="组织评议")
    rnd.refresh_from_db()
    return evaluations


def test_round_takes_members_on_the_day_as_base(ol_world):
    rnd = open_round(ol_world)
    assert rnd.base_count == 23  # 20 party members + the three committee members holding party_member
    assert rnd.evaluations.count() == 23
    assert AuditEvent.objects.filter(action="orglife.round_opened").count() == 1


def test_second_round_in_a_year_is_a_conflict(ol_world):
    open_round(ol_world)
    with pytest.raises(Conflict):
        open_round(ol_world)


def test_participation_warning_below_minimum_and_cleared_at_minimum(ol_world):
    rnd = open_round(ol_world)  # base 23: 95% needs 22 (20 × 22 = 440 ≥ 437; 21: 420 < 437)
    take_part(ol_world, rnd, 21)
    assert rnd.participation_warning["rule"] == "R-DEMEV-03"
    assert rnd.participation_warning["facts"] == {"participants": 21, "base": 23, "minimum": 22, "share": "19/20"}
    evaluations = list(rnd.evaluations.order_by("pk"))
    services.record_member(ol_world.worker_a, evaluations[21], participated=True, self="自评")
    rnd.refresh_from_db()
    assert rnd.participant_count == 22 and rnd.participation_warning is None


def test_grade_needs_a_self_assessment(ol_world):
    rnd = open_round(ol_world)
    e = rnd.evaluations.first()
    services.record_member(ol_world.worker_a, e, participated=True)
    with pytest.raises(RuleViolation) as refused:
        services.propose_grade(ol_world.u.secretary, e, grade="qualified")
    assert refused.value.rule_id == "R-DEMEV-04" and refused.value.code == "self_assessment_missing"


def test_grade_must_be_in_the_districts_list(ol_world):
    rnd = open_round(ol_world)
    (e, *_rest) = take_part(ol_world, rnd, 1)
    with pytest.raises(RuleViolation) as refused:
        services.propose_grade(ol_world.u.secretary, e, grade="basically_qualified")
    assert refused.value.rule_id == "A-PARTY-38"


def test_only_the_branch_committee_proposes(ol_world):
    rnd = open_round(ol_world)
    (e, *_rest) = take_part(ol_world, rnd, 1)
    with pytest.raises(PermissionDenied) as refused:
        services.propose_grade(ol_world.worker_a, e, grade="qualified")
    assert refused.value.rule == "R-DEMEV-05"
    services.propose_grade(ol_world.committee_user, e, grade="qualified")


def test_submit_needs_the_superior_envoy(ol_world):
    rnd = open_round(ol_world)
    with pytest.raises(RuleViolation) as refused:
        services.submit_round(ol_world.u.secretary, rnd)
    assert refused.value.rule_id == "R-DEMEV-01" and refused.value.code == "superior_envoy_missing"


def graded_round(w, *, participants=23, unqualified=1):
    rnd = open_round(w)
    evaluations = take_part(w, rnd, participants)
    for i, e in enumerate(evaluations[:participants]):
        grade = "excellent" if i == 0 else ("unqualified" if i <= unqualified else "qualified")
        services.propose_grade(w.u.secretary, e, grade=grade)
    services.record_envoy(w.worker_a, rnd, envoy_name="街道党工委 王组织委员")
    return services.submit_round(w.u.secretary, rnd), evaluations


def test_grade_approval_is_the_working_committees(ol_world):
    rnd, evaluations = graded_round(ol_world)
    for actor in (ol_world.u.secretary, ol_world.worker_a, ol_world.street_admin):
        with pytest.raises(PermissionDenied) as refused:
            services.approve_grade(actor, evaluations[0])
        assert refused.value.rule == "R-DEMEV-05" and refused.value.code == "not_superior_org"
    approved = services.approve_grade(ol_world.pwc_user, evaluations[0], note="同意")
    assert approved.grade == "excellent" and approved.approved_by == ol_world.pwc_user
    assert AuditEvent.objects.filter(action="orglife.grade_approved").count() == 1


def test_close_refuses_provisional_grades_then_missing_measure_then_missing_summary(ol_world):
    w = ol_world
    rnd, evaluations = graded_round(w)
    with pytest.raises(RuleViolation) as refused:
        services.close_round(w.u.secretary, rnd, summary="小结", rectification="整改")
    assert refused.value.rule_id == "R-DEMEV-05" and refused.value.code == "grade_not_approved"
    for e in evaluations:
        services.approve_grade(w.pwc_user, e)
    with pytest.raises(RuleViolation) as refused:
        services.close_round(w.u.secretary, rnd, summary="小结", rectification="整改")
    assert refused.value.rule_id == "R-DEMEV-06" and refused.value.code == "unqualified_measure_missing"
    services.record_decision(w.u.secretary, evaluations[1], kind="measure", measure="correct_within_deadline",
                             decided_on=timezone.localdate(), decided_by_body="支部委员会")
    with pytest.raises(RuleViolation) as refused:
        services.close_round(w.u.secretary, rnd, summary="", rectification="整改")
    assert refused.value.rule_id == "R-DEMEV-07"
    rnd = services.close_round(w.u.secretary, rnd, summary="评议工作小结", rectification="加强学习")
    assert rnd.status == EvaluationRound.Status.CLOSED
    item = DisclosureItem.objects.get(pk=rnd.disclosure_item_id)
    assert item.category == "P07" and item.board == "party" and "优秀党员1名" in item.body
    record = Record.objects.get(kind="orglife.evaluation_results")
    assert '"grades"' in record.content


def test_commendation_needs_an_approved_excellent_grade(ol_world):
    w = ol_world
    rnd, evaluations = graded_round(w)
    with pytest.raises(RuleViolation) as refused:
        services.record_decision(w.u.secretary, evaluations[0], kind="commendation",
                                 decided_on=timezone.localdate(), decided_by_body="支部党员大会")
    assert refused.value.rule_id == "R-DEMEV-06"
    services.approve_grade(w.pwc_user, evaluations[0])
    decision = services.record_decision(w.u.secretary, evaluations[0], kind="commendation",
                                        decided_on=timezone.localdate(), decided_by_body="支部党员大会")
    assert decision.measure == "" and AuditEvent.objects.filter(action="orglife.decision_recorded").exists()


def test_nothing_is_decided_automatically(ol_world):
    w = ol_world
    rnd, evaluations = graded_round(w)
    services.approve_grade(w.pwc_user, evaluations[1])
    assert not evaluations[1].decisions.exists()


def test_closed_round_below_minimum_is_flagged(ol_world):
    from jiceng.accountability.checks import Scope
    from jiceng.orglife.checks import participation_below

    w = ol_world
    rnd, evaluations = graded_round(w, participants=21, unqualified=0)
    assert rnd.participation_warning is not None
    for e in evaluations[:21]:
        services.approve_grade(w.pwc_user, e)
    services.close_round(w.u.secretary, rnd, summary="小结", rectification="整改")
    found = list(participation_below(Scope(communities=[w.a]), timezone.localdate() + datetime.timedelta(days=1)))
    assert [f.rule_id for f in found] == ["R-DEMEV-03"]


def test_measure_must_be_one_of_the_four(ol_world):
    w = ol_world
    rnd, evaluations = graded_round(w)
    services.approve_grade(w.pwc_user, evaluations[1])
    with pytest.raises(RuleViolation) as refused:
        services.record_decision(w.u.secretary, evaluations[1], kind="measure", measure="expel_at_once",
                                 decided_on=timezone.localdate(), decided_by_body="支部委员会")
    assert refused.value.rule_id == "R-DEMEV-06" and refused.value.code == "unknown_measure"
