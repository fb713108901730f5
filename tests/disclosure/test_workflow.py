"""The two boards' workflows (R-PDISC-05–09, R-RDISC-03–05, A-OPEN-08): each step, each refusal, immutability."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiceng.archives.models import Record
from jiceng.audit.models import AuditEvent
from jiceng.core.errors import Conflict, PermissionDenied, RuleViolation, ValidationFailed
from jiceng.disclosure import services
from jiceng.disclosure.models import DisclosureItem
from jiceng.meetings.models import Kind

from .conftest import party_draft, passed_item, published_party, published_residents, residents_draft

Status = DisclosureItem.Status


def test_party_item_walks_draft_decided_signed_published_and_is_filed(disc_world):
    w = disc_world
    item = party_draft(w)
    assert item.status == Status.DRAFT
    services.record_decision(w.u.officer, item, agenda_item=passed_item(w))
    services.sign(w.u.secretary, item)
    item = services.publish(w.u.officer, item)
    assert item.status == Status.PUBLISHED and item.published_at is not None and len(item.content_sha256) == 64
    kinds = list(Record.objects.filter(source_id=item.pk, source_type="disclosure.disclosureitem")
                 .values_list("kind", flat=True))
    assert kinds == ["disclosure.drafted", "disclosure.decided", "disclosure.signed", "disclosure.published"]
    dossier = Record.objects.filter(kind="disclosure.published").get().dossier
    assert dossier.series == "party_disclosure" and dossier.area == w.a
    actions = set(AuditEvent.objects.filter(object_id=str(item.pk)).values_list("action", flat=True))
    assert {"disclosure.drafted", "disclosure.decided", "disclosure.signed", "disclosure.published"} <= actions


def test_only_the_designated_person_drafts_party_items(disc_world):
    """R-PDISC-05: an RC director is not the party organisation's designated collector."""
    with pytest.raises(RuleViolation) as refused:
        services.create_item(
            disc_world.u.director, community=disc_world.a, board="party", category="P07",
            timing_class="routine_periodic", title="党费")
    assert refused.value.code == "not_designated_collector" and refused.value.rule_id == "R-PDISC-05"
    assert "R-PDISC-05" in refused.value.message and "000-B" in refused.value.message
    assert not DisclosureItem.objects.exists()


def test_only_the_residents_committee_drafts_plans(disc_world):
    with pytest.raises(RuleViolation) as refused:
        services.create_item(
            disc_world.u.officer, community=disc_world.a, board="residents", category="R02",
            timing_class="routine_periodic", title="收支")
    assert refused.value.code == "not_residents_committee" and refused.value.rule_id == "R-RDISC-03"


@pytest.mark.parametrize("board, category", [("party", "R02"), ("residents", "P07"), ("party", "P13")])
def test_category_must_belong_to_the_board(disc_world, board, category):
    user = disc_world.u.officer if board == "party" else disc_world.u.director
    with pytest.raises(RuleViolation) as refused:
        services.create_item(user, community=disc_world.a, board=board, category=category,
                             timing_class="routine_periodic", title="x")
    assert refused.value.code == "invalid_category"
    assert refused.value.rule_id == ("R-PDISC-01" if board == "party" else "R-RDISC-01")


def test_party_publish_without_decision_then_without_signature_is_refused(disc_world):
    w = disc_world
    item = party_draft(w)
    with pytest.raises(RuleViolation) as refused:
        services.publish(w.u.officer, item)
    assert refused.value.code == "not_collectively_decided" and refused.value.rule_id == "R-PDISC-06"
    services.record_decision(w.u.officer, item, agenda_item=passed_item(w))
    with pytest.raises(RuleViolation) as refused:
        services.publish(w.u.officer, item)
    assert refused.value.code == "signature_missing" and refused.value.rule_id == "R-PDISC-07"
    item.refresh_from_db()
    assert item.status == Status.DECIDED and item.published_at is None


def test_a_rejected_item_or_another_bodys_meeting_is_no_decision(disc_world):
    w = disc_world
    item = party_draft(w)
    with pytest.raises(RuleViolation) as refused:
        services.record_decision(w.u.officer, item, agenda_item=passed_item(w, passed=False))
    assert refused.value.code == "not_collectively_decided"
    item.refresh_from_db()
    assert item.status == Status.DRAFT and item.decision is None


def test_only_the_head_signs(disc_world):
    w = disc_world
    item = party_draft(w)
    services.record_decision(w.u.officer, item, agenda_item=passed_item(w))
    with pytest.raises(RuleViolation) as refused:
        services.sign(w.u.officer, item)
    assert refused.value.code == "signer_not_authorised" and refused.value.rule_id == "R-PDISC-07"


def test_residents_plan_needs_review_before_decision_and_decision_before_publication(disc_world):
    w = disc_world
    item = residents_draft(w)
    joint = passed_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING)
    with pytest.raises(RuleViolation) as refused:
        services.record_decision(w.u.director, item, agenda_item=joint)
    assert refused.value.code == "supervision_review_missing" and refused.value.rule_id == "R-RDISC-04"
    with pytest.raises(RuleViolation) as refused:
        services.publish(w.u.director, item)
    assert refused.value.code == "supervision_review_missing"
    services.review(w.u.supervisor, item, approved=True, note="已核对收支凭证")
    with pytest.raises(RuleViolation) as refused:
        services.publish(w.u.director, item)
    assert refused.value.code == "not_collectively_decided" and refused.value.rule_id == "R-RDISC-04"
    services.record_decision(w.u.director, item, agenda_item=joint)
    assert services.publish(w.u.director, item).status == Status.PUBLISHED


def test_residents_plan_decided_by_the_party_committee_alone_is_not_enough(disc_world):
    """R-RDISC-04: the party organisation AND the residents committee decide together."""
    w = disc_world
    item = residents_draft(w)
    services.review(w.u.supervisor, item, approved=True)
    with pytest.raises(RuleViolation) as refused:
        services.record_decision(w.u.director, item, agenda_item=passed_item(w))
    assert refused.value.code == "not_collectively_decided"


def test_only_supervision_committee_reviews_and_a_return_needs_a_note(disc_world):
    w = disc_world
    item = residents_draft(w)
    with pytest.raises(RuleViolation) as refused:
        services.review(w.u.director, item, approved=True)
    assert refused.value.code == "not_supervision_committee"
    with pytest.raises(ValidationFailed):
        services.review(w.u.supervisor, item, approved=False)
    returned = services.review(w.u.supervisor, item, approved=False, note="低保户名单须补充审批文号")
    assert returned.status == Status.RETURNED
    edited = services.update_draft(w.u.director, returned, body="补充了审批文号。")
    assert edited.body == "补充了审批文号。"


def test_party_items_have_no_supervision_review_and_residents_items_no_signature(disc_world):
    w = disc_world
    with pytest.raises(Conflict) as refused:
        services.review(w.u.supervisor, party_draft(w), approved=True)
    assert refused.value.code == "step_not_in_workflow"
    with pytest.raises(Conflict) as refused:
        services.sign(w.u.secretary, residents_draft(w))
    assert refused.value.code == "step_not_in_workflow"


def test_residents_item_published_by_the_party_officer_is_refused(disc_world):
    """Publication by the wrong body: residents' affairs are published by the residents committee."""
    w = disc_world
    item = residents_draft(w)
    services.review(w.u.supervisor, item, approved=True)
    services.record_decision(w.u.director, item, agenda_item=passed_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING))
    with pytest.raises(RuleViolation) as refused:
        services.publish(w.u.officer, item)
    assert refused.value.code == "wrong_publisher" and refused.value.rule_id == "R-RDISC-05"


def test_party_item_published_by_the_rc_director_is_refused(disc_world):
    w = disc_world
    item = party_draft(w)
    services.record_decision(w.u.officer, item, agenda_item=passed_item(w))
    services.sign(w.u.secretary, item)
    with pytest.raises(PermissionDenied) as refused:
        services.publish(w.u.director, item)
    assert refused.value.code == "wrong_publisher"


def test_publication_before_the_deciding_meeting_is_refused(disc_world):
    """A-OPEN-08: party first, then the public — a publication dated before the decision is refused."""
    w = disc_world
    item = party_draft(w)
    services.record_decision(w.u.officer, item, agenda_item=passed_item(w, days_ago=2))
    services.sign(w.u.secretary, item)
    with pytest.raises(RuleViolation) as refused:
        services.publish(w.u.officer, item, published_at=timezone.now() - datetime.timedelta(days=3))
    assert refused.value.rule_id == "A-OPEN-08"
    day_of = services.publish(w.u.officer, item, published_at=timezone.now() - datetime.timedelta(days=2))
    assert day_of.status == Status.PUBLISHED


def test_published_items_are_immutable_and_corrections_supersede_them(disc_world):
    w = disc_world
    item = published_party(w)
    with pytest.raises(Conflict) as refused:
        services.update_draft(w.u.officer, item, body="改过的内容")
    assert refused.value.code == "item_immutable"
    item.refresh_from_db()
    assert item.body == "本月应交党员32名，实交32名。"
    correction = services.correct(w.u.officer, item, reason="实交人数有误", body="本月应交党员32名，实交31名。")
    assert correction.version == 2 and correction.supersedes == item and correction.status == Status.DRAFT
    with pytest.raises(Conflict):
        services.correct(w.u.officer, item, reason="再改一次")
    services.record_decision(w.u.officer, correction, agenda_item=passed_item(w))
    services.sign(w.u.secretary, correction)
    services.publish(w.u.officer, correction)
    item.refresh_from_db()
    assert item.status == Status.SUPERSEDED and item.body == "本月应交党员32名，实交32名。"
    assert item.superseded_by == correction and correction.correction_reason == "实交人数有误"


def test_withdrawal_needs_a_reason_and_fixed_content_is_never_withdrawn(disc_world):
    w = disc_world
    item = published_party(w)
    with pytest.raises(ValidationFailed):
        services.withdraw(w.u.officer, item, reason=" ")
    assert services.withdraw(w.u.officer, item, reason="公示期满").status == Status.WITHDRAWN
    fixed = published_party(w, category="P07", timing_class="fixed_permanent", title="党组织设置及主要职责")
    with pytest.raises(RuleViolation) as refused:
        services.withdraw(w.u.officer, fixed, reason="x")
    assert refused.value.code == "permanent_item_no_withdrawal" and refused.value.rule_id == "R-PDISC-02"
    with pytest.raises(RuleViolation):
        party_draft(w, timing_class="fixed_permanent", withdraw_on=datetime.date(2027, 1, 1))


def test_another_communitys_worker_cannot_act(disc_world):
    w = disc_world
    item = party_draft(w)
    with pytest.raises(PermissionDenied):
        services.record_decision(w.worker_b, item, agenda_item=passed_item(w))


def test_residents_item_round_trip(disc_world):
    item = published_residents(disc_world)
    assert item.status == Status.PUBLISHED and item.board == "residents"
