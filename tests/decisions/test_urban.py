"""An urban matter from intake to closed (R-WF-02…13), every out-of-order step refused, the escalation chain,
the publications through the residents'-affairs board and the dossier (R-WF-12)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiceng.audit.models import AuditEvent
from jiceng.core.errors import Conflict, RuleViolation
from jiceng.decisions import services
from jiceng.decisions.models import Matter
from jiceng.disclosure import services as disclosure
from jiceng.meetings import services as meetings
from jiceng.meetings.models import Kind

from .conftest import held_item


def ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def open_matter(w, **kw):
    fields = {"community": w.a, "topic": "T4", "title": "3号楼加装电梯",
              "summary": "3号楼居民申请加装电梯，费用按楼层分摊。",
              "initiator": "3号楼居民", "budget": "420000.00", "occurred_at": ago(30)}
    fields.update(kw)
    return services.open_matter(w.worker_a, **fields)


def solicited(w, matter):
    solicitation = services.open_solicitation(w.worker_a, matter, question="是否同意加装电梯及分摊方案？",
                                              deadline=timezone.localdate(ago(22)), occurred_at=ago(29))
    services.give_opinion(solicitation, position="support", text="同意", channel="door_to_door",
                          recorded_by=w.worker_a, received_at=ago(27))
    services.give_opinion(solicitation, position="oppose", text="一楼不需要", channel="door_to_door",
                          recorded_by=w.worker_a, received_at=ago(26))
    return services.close_solicitation(w.worker_a, matter, summary="走访42户，赞成38户，反对4户（一楼住户）。",
                                       occurred_at=ago(21))


def resolved(w, matter):
    solicited(w, matter)
    services.link_step(w.worker_a, matter, "proposal",
                       agenda_item=held_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=18))
    services.link_step(w.worker_a, matter, "consultation",
                       agenda_item=held_item(w, Kind.DELIBERATION_COUNCIL, w.council, days_ago=15))
    services.link_step(w.worker_a, matter, "resolution", note="同意3号楼加装电梯，费用按楼层系数分摊。",
                       agenda_item=held_item(w, Kind.RESIDENT_REPRESENTATIVES_MEETING, w.representatives,
                                             days_ago=12))
    matter.refresh_from_db()
    return matter


def publish_on_board(w, item, passed_joint, at=None):
    disclosure.review(w.u.supervisor, item, approved=True, occurred_at=at)
    disclosure.record_decision(w.u.director, item, agenda_item=passed_joint)
    return disclosure.publish(w.u.director, item, published_at=at)


def test_the_whole_urban_path(dec_world):
    w = dec_world
    matter = resolved(w, open_matter(w))
    assert matter.resolved_at is not None and matter.resolution.startswith("同意3号楼")
    joint = matter.steps.get(step="proposal").agenda_item
    services.publish_resolution(w.u.director, matter, occurred_at=ago(11))
    matter.refresh_from_db()
    item = matter.resolution_item
    assert item.board == "residents" and item.category == "R01" and item.status == "draft"
    publish_on_board(w, item, joint, at=ago(6))  # 6 days after the vote: within R-WF-09's 7
    matter.refresh_from_db()
    assert matter.step == "resolution_published"
    record = matter.dossier.records.get(kind="matter.resolution_published")
    assert '"on_time":true' in record.content
    services.add_progress(w.worker_a, matter, kind="update", text="已完成施工图设计和招标。", occurred_at=ago(1))
    services.add_progress(w.worker_a, matter, kind="update", text="电梯已安装并通过验收。", done=True)
    services.publish_result(w.u.director, matter, title="3号楼加装电梯实施结果")
    matter.refresh_from_db()
    publish_on_board(w, matter.result_item, joint)
    matter = services.close_matter(w.worker_a, Matter.objects.get(pk=matter.pk))
    assert matter.status == "closed"
    steps = list(matter.steps.values_list("step", flat=True))
    assert steps == ["intake", "solicitation", "proposal", "consultation", "resolution", "resolution_published",
                     "implementation", "result_published", "closed"]
    kinds = list(matter.dossier.records.values_list("kind", flat=True))
    assert kinds.index("matter.intake") < kinds.index("matter.solicitation") < kinds.index("matter.closed")
    assert AuditEvent.objects.filter(action="decisions.step_completed").count() == 9


def test_proposal_before_solicitation_is_out_of_order(dec_world):
    """AT-19(a): U2 before U1's opinion summary."""
    w = dec_world
    matter = open_matter(w)
    with pytest.raises(RuleViolation) as refused:
        services.link_step(w.worker_a, matter, "proposal",
                           agenda_item=held_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=5))
    assert refused.value.code == "step_out_of_order" and refused.value.rule_id == "R-WF-02"
    assert refused.value.facts["missing"] == ["solicitation"]


def test_solicitation_needs_its_summary(dec_world):
    w = dec_world
    matter = open_matter(w)
    services.open_solicitation(w.worker_a, matter, question="意见？", deadline=timezone.localdate(ago(22)),
                               occurred_at=ago(29))
    with pytest.raises(RuleViolation) as refused:
        services.close_solicitation(w.worker_a, matter, summary=" ", occurred_at=ago(21))
    assert refused.value.code == "solicitation_summary_missing" and refused.value.rule_id == "R-WF-04"


def test_a_rejected_or_wrong_meeting_does_not_complete_a_step(dec_world):
    w = dec_world
    matter = open_matter(w)
    solicited(w, matter)
    with pytest.raises(RuleViolation) as refused:
        services.link_step(w.worker_a, matter, "proposal",
                           agenda_item=held_item(w, Kind.PARTY_ORG_COMMITTEE_MEETING, w.party_org, days_ago=18))
    assert refused.value.code == "wrong_meeting_kind" and refused.value.rule_id == "R-WF-05"
    with pytest.raises(RuleViolation) as refused:  # 3 of 5 present: below the joint meeting's 2/3
        services.link_step(w.worker_a, matter, "proposal", agenda_item=held_item(
            w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=17, yes_share=0.6))
    assert refused.value.code == "step_not_passed"
    assert list(matter.steps.values_list("step", flat=True)) == ["intake", "solicitation"]


def test_a_step_dated_before_the_previous_one_is_refused(dec_world):
    w = dec_world
    matter = open_matter(w)
    solicited(w, matter)  # closed 21 days ago
    with pytest.raises(RuleViolation) as refused:
        services.link_step(w.worker_a, matter, "proposal",
                           agenda_item=held_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=25))
    assert refused.value.code == "step_out_of_order"


def test_failed_grid_council_escalates_and_community_council_completes(dec_world):
    """R-WF-07: the grid council's failure goes to the community council; its passing completes U3."""
    w = dec_world
    matter = open_matter(w)
    solicited(w, matter)
    services.link_step(w.worker_a, matter, "proposal",
                       agenda_item=held_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=18))
    grid_item = held_item(w, Kind.DELIBERATION_COUNCIL, w.grid_council, days_ago=16, yes_share=0.6)
    assert grid_item.status == "escalated"
    services.link_step(w.worker_a, matter, "consultation", agenda_item=grid_item)
    matter.refresh_from_db()
    assert matter.step == "proposal" and matter.waiting_on == "长春路社区议事会"
    unrelated = held_item(w, Kind.DELIBERATION_COUNCIL, w.council, days_ago=15, title="另一议题")
    with pytest.raises(RuleViolation) as refused:
        services.link_step(w.worker_a, matter, "consultation", agenda_item=unrelated)
    assert refused.value.code == "not_this_matters_item" and refused.value.rule_id == "R-WF-07"
    successor = grid_item.successors.get()  # the grid's item went onto the community council's next meeting
    assert successor.meeting == unrelated.meeting and successor.status == "pending"
    present = successor.meeting.attendance.filter(status="present").count()
    meetings.record_vote(w.street_admin, successor, method="show_of_hands", yes=present, no=0, abstain=0)
    successor.refresh_from_db()
    services.link_step(w.worker_a, matter, "consultation", agenda_item=successor)
    matter.refresh_from_db()
    assert matter.step == "consultation" and matter.waiting_on == ""


def test_resolution_cannot_be_edited_and_the_attempt_is_audited(dec_world):
    """AT-19(d)."""
    w = dec_world
    matter = resolved(w, open_matter(w))
    with pytest.raises(RuleViolation) as refused:
        services.edit_resolution(w.worker_a, matter, text="改为按户平均分摊")
    assert refused.value.code == "resolution_immutable" and refused.value.rule_id == "R-WF-13"
    assert AuditEvent.objects.filter(action="decisions.resolution_edit_refused").exists()
    amendment = open_matter(w, title="3号楼加装电梯分摊方案变更", amends=matter, occurred_at=ago(1))
    assert amendment.amends == matter


def test_closing_without_the_result_publication_lists_what_is_missing(dec_world):
    """AT-19(c)."""
    w = dec_world
    matter = resolved(w, open_matter(w))
    services.publish_resolution(w.u.director, matter, oral_notice={"notified": ["3号楼全体住户"]}, occurred_at=ago(11))
    with pytest.raises(RuleViolation) as refused:
        services.close_matter(w.worker_a, matter)
    assert refused.value.code == "dossier_incomplete" and refused.value.rule_id == "R-WF-12"
    assert "公开内容记录档案（实施结果公开）" in refused.value.facts["missing"]
    assert "执行情况、对执行中问题的处理情况" in refused.value.facts["missing"]


def test_supervision_remarks_need_a_response_before_implementation_is_done(dec_world):
    w = dec_world
    matter = resolved(w, open_matter(w))
    services.publish_resolution(w.u.director, matter, oral_notice={"notified": ["3号楼全体住户"]}, occurred_at=ago(11))
    remark = services.add_progress(w.council_member, matter, kind="remark", text="施工噪音扰民，请调整作业时间。")
    with pytest.raises(Conflict) as refused:
        services.add_progress(w.worker_a, matter, kind="update", text="完工", done=True)
    assert refused.value.code == "remark_unanswered"
    services.add_progress(w.worker_a, matter, kind="response", text="已调整为9:00–17:00施工。", responds_to=remark)
    services.add_progress(w.worker_a, matter, kind="update", text="完工", done=True)
    matter.refresh_from_db()
    assert matter.step == "implementation"


def test_no_archivist_no_matter(dec_world):
    from jiceng.orgs.models import Membership

    w = dec_world
    Membership.objects.filter(role="archivist").update(end_on=datetime.date(2021, 1, 1))
    with pytest.raises(RuleViolation) as refused:
        open_matter(w)
    assert refused.value.code == "no_archivist" and refused.value.rule_id == "R-ARCH-03"
    assert not Matter.objects.exists()


def test_public_opinions_are_idempotent_and_close_with_the_deadline(dec_world):
    w = dec_world
    matter = open_matter(w)
    solicitation = services.open_solicitation(w.worker_a, matter, question="意见？", deadline=timezone.localdate(),
                                              occurred_at=ago(2))
    first, created = services.give_opinion(solicitation, position="support", idempotency_key="k-1")
    again, created_again = services.give_opinion(solicitation, position="oppose", idempotency_key="k-1")
    assert created and not created_again and again.pk == first.pk and again.position == "support"
    assert services.opinion_counts(solicitation)["support"] == 1
    services.close_solicitation(w.worker_a, matter, summary="1人赞成")
    solicitation.refresh_from_db()
    with pytest.raises(Conflict) as refused:
        services.give_opinion(solicitation, position="support")
    assert refused.value.code == "solicitation_closed"


def test_a_linked_hearing_brings_its_preferred_plan(dec_world):
    """R-HEAR-16: the signed hearing minutes' 倾向性方案 is kept with the solicitation."""
    from jiceng.meetings import minutes as m
    from tests import builders

    w = dec_world
    people = [builders.make_person(w.root, w.building_a, f"听证代表{i}") for i in range(5)]
    hearing = meetings.create_meeting(w.worker_a, kind="hearing", body=w.rc, title="加装电梯听证会",
                                      scheduled_at=ago(24), expected=[p.pk for p in people], subject_category="H2")
    for party, user in [("party_org", w.worker_a), ("residents_committee", w.worker_a),
                        ("street_office", w.street_admin)]:
        meetings.confirm_participants(user, hearing, party=party)
    meetings.publish_notice(w.worker_a, hearing, published_at=ago(28))
    meetings.hold(w.worker_a, hearing, held_at=ago(24), present=[p.pk for p in people[:4]], chair=people[0],
                  recorder=people[1])
    minutes = m.generate_minutes(w.worker_a, hearing)
    text = (minutes.text.replace("### （一）基本情况\n", "### （一）基本情况\n\n到会代表4人。\n")
            .replace("### （二）代表意见\n", "### （二）代表意见\n\n多数赞成。\n") + "\n按楼层系数分摊，一楼不分摊。\n")
    m.sign_minutes(w.worker_a, m.edit_minutes(w.worker_a, minutes, text))
    matter = open_matter(w)
    services.open_solicitation(w.worker_a, matter, question="意见？", deadline=timezone.localdate(ago(22)),
                               occurred_at=ago(29))
    services.close_solicitation(w.worker_a, matter, summary="多数赞成", hearing=hearing, occurred_at=ago(21))
    matter.refresh_from_db()
    assert matter.hearing == hearing
    assert "一楼不分摊" in matter.solicitation.preferred_plan


def test_the_002_model_needs_the_report_to_the_pwc_before_the_resolution(dec_world):
    """R-WF-14 (C-08): off by default; when the district switches it on, the resolution waits for the report."""
    from jiceng.rules import services as rulebook

    w = dec_world
    rulebook.adopt_version(w.root, district=w.district, effective_from=timezone.localdate() - datetime.timedelta(
        days=40), overrides={
        "R-WF-08": {"threshold": {"share": "1/2", "base": "expected", "strict": True}},
        "R-WF-08/passing": {"threshold": {"share": "1/2", "base": "present", "strict": True}},
        "R-WF-14": {"report_to_pwc_before_resolution": True}})
    matter = open_matter(w)
    solicited(w, matter)
    services.link_step(w.worker_a, matter, "proposal",
                       agenda_item=held_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=18))
    services.link_step(w.worker_a, matter, "consultation",
                       agenda_item=held_item(w, Kind.DELIBERATION_COUNCIL, w.council, days_ago=15))
    vote = held_item(w, Kind.RESIDENT_REPRESENTATIVES_MEETING, w.representatives, days_ago=12)
    with pytest.raises(RuleViolation) as refused:
        services.link_step(w.worker_a, matter, "resolution", agenda_item=vote)
    assert refused.value.code == "pwc_report_missing" and refused.value.rule_id == "R-WF-14"
    services.report_to_pwc(w.worker_a, matter, note="向党工委汇报，党工委同意提交居民代表会议。", occurred_at=ago(13))
    services.link_step(w.worker_a, matter, "resolution", agenda_item=vote)
    matter.refresh_from_db()
    assert matter.step == "resolution"
