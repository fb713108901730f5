"""The development pipeline through the services: every step at its time edges, each refusal citing its rule, and
the orgs memberships that follow the status (what meetings and orglife read)."""

from __future__ import annotations

import datetime

import pytest

from jiceng.audit.models import AuditEvent
from jiceng.core.errors import Conflict, IllegalTransition, PermissionDenied, RuleViolation
from jiceng.orgs.models import Membership, Role
from jiceng.party import services
from jiceng.party.models import PartyMember, Step
from tests import builders

from .conftest import ADMISSION_MATERIALS, D, applicant, probationary, target

S = PartyMember.Status


def test_activist_needs_two_full_member_sponsors(party_world):
    w = party_world
    member = applicant(w)
    with pytest.raises(RuleViolation) as refused:
        services.make_activist(w.sec, member, on=D(2024, 6, 1), sponsors=w.full[:1])
    assert refused.value.code == "sponsors_invalid"
    member.refresh_from_db()
    assert member.status == S.APPLICANT
    services.make_activist(w.sec, member, on=D(2024, 6, 1), sponsors=w.full[:2])
    member.refresh_from_db()
    assert member.status == S.ACTIVIST and member.activist_on == D(2024, 6, 1)
    assert member.sponsorships.count() == 2


def test_probationary_sponsor_is_refused(party_world):
    w = party_world
    newcomer = probationary(w, name="新预备党员")
    member = applicant(w, "第二申请人")
    with pytest.raises(RuleViolation) as refused:
        services.make_activist(w.sec, member, on=D(2025, 6, 1), sponsors=[w.full[0], newcomer])
    assert refused.value.code == "sponsors_invalid"


def test_sponsor_not_yet_full_on_that_date_is_refused(party_world):
    w = party_world
    member = applicant(w, applied_on=D(2019, 1, 1))
    # The sponsors became full members on 2020-06-01; the day before they were not.
    with pytest.raises(RuleViolation):
        services.make_activist(w.sec, member, on=D(2020, 5, 31), sponsors=w.full[:2])
    services.make_activist(w.sec, member, on=D(2020, 6, 1), sponsors=w.full[:2])


@pytest.mark.parametrize(("target_on", "ok"), [(D(2025, 5, 31), False), (D(2025, 6, 1), True)])
def test_target_after_a_year_of_training(party_world, target_on, ok):
    w = party_world
    member = applicant(w)
    services.make_activist(w.sec, member, on=D(2024, 6, 1), sponsors=w.full[:2])
    if not ok:
        with pytest.raises(RuleViolation) as refused:
            services.make_target(w.sec, member, on=target_on)
        assert refused.value.code == "training_period_not_met"
        member.refresh_from_db()
        assert member.status == S.ACTIVIST
        return
    services.make_target(w.sec, member, on=target_on)
    member.refresh_from_db()
    assert member.status == S.DEVELOPMENT_TARGET


def test_applicant_cannot_skip_to_target(party_world):
    w = party_world
    member = applicant(w)
    with pytest.raises(IllegalTransition):
        services.make_target(w.sec, member, on=D(2025, 6, 1))


def test_vote_before_notice_is_refused(party_world):
    w = party_world
    member = target(w)
    with pytest.raises(RuleViolation) as refused:
        services.record_vote(w.sec, member, stage="admission", on=D(2025, 7, 1), yes=3, entitled=3,
                             materials=ADMISSION_MATERIALS)
    assert refused.value.code == "public_notice_missing"
    assert not Step.objects.filter(member=member, kind=Step.Kind.VOTE).exists()


@pytest.mark.parametrize(("vote_on", "ok"), [(D(2025, 7, 7), False), (D(2025, 7, 8), True)])
def test_vote_after_the_notice_has_run(party_world, vote_on, ok):
    w = party_world
    member = target(w)
    services.start_notice(w.sec, member, stage="admission", started_on=D(2025, 7, 1))
    if not ok:
        with pytest.raises(RuleViolation) as refused:
            services.record_vote(w.sec, member, stage="admission", on=vote_on, yes=3, entitled=3,
                                 materials=ADMISSION_MATERIALS)
        assert refused.value.rule_id == "R-DEV-05"
        return
    step = services.record_vote(w.sec, member, stage="admission", on=vote_on, yes=3, entitled=3,
                                materials=ADMISSION_MATERIALS)
    assert step.passed is True


def test_unconsidered_feedback_blocks_the_vote(party_world):
    w = party_world
    member = target(w)
    notice = services.start_notice(w.sec, member, stage="admission", started_on=D(2025, 7, 1))
    services.record_notice_feedback(w.sec, notice, feedback="有群众反映其邻里关系问题", considered=False)
    with pytest.raises(RuleViolation) as refused:
        services.record_vote(w.sec, member, stage="admission", on=D(2025, 7, 9), yes=3, entitled=3,
                             materials=ADMISSION_MATERIALS)
    assert refused.value.code == "notice_feedback_pending"


def test_vote_needs_vetting_and_materials(party_world):
    w = party_world
    member = target(w, vetted=False)
    services.start_notice(w.sec, member, stage="admission", started_on=D(2025, 7, 1))
    with pytest.raises(RuleViolation) as refused:
        services.record_vote(w.sec, member, stage="admission", on=D(2025, 7, 9), yes=3, entitled=3,
                             materials=ADMISSION_MATERIALS)
    assert refused.value.code == "vetting_missing"
    services.record_vetting(w.sec, member, on=D(2025, 6, 2), note="合格")
    with pytest.raises(RuleViolation) as refused:
        services.record_vote(w.sec, member, stage="admission", on=D(2025, 7, 9), yes=3, entitled=3,
                             materials=ADMISSION_MATERIALS[:2])
    assert refused.value.code == "materials_incomplete"


@pytest.mark.parametrize(("yes", "passed"), [(2, True), (1, False)])  # more than half of 3 entitled
def test_recorded_vote_uses_district_threshold(party_world, yes, passed):
    w = party_world
    member = target(w)
    services.start_notice(w.sec, member, stage="admission", started_on=D(2025, 7, 1))
    step = services.record_vote(w.sec, member, stage="admission", on=D(2025, 7, 9), yes=yes, entitled=3,
                                materials=ADMISSION_MATERIALS)
    assert step.passed is passed


def test_admission_without_pwc_approval_stays_target(party_world):
    w = party_world
    member = target(w)
    services.start_notice(w.sec, member, stage="admission", started_on=D(2025, 7, 1))
    services.record_vote(w.sec, member, stage="admission", on=D(2025, 7, 9), yes=3, entitled=3,
                         materials=ADMISSION_MATERIALS)
    # The branch enters an "approval" signed by someone who is not on the PWC.
    with pytest.raises(RuleViolation) as refused:
        services.approve(w.sec, member, stage="admission", approved_on=D(2025, 7, 20), approval_ref="无",
                         approver=w.committee[0])
    assert refused.value.code == "superior_approval_missing"
    member.refresh_from_db()
    assert member.status == S.DEVELOPMENT_TARGET
    assert not Membership.objects.filter(person=member.person, role=Role.PROBATIONARY_MEMBER).exists()


def test_approval_without_passed_vote_is_refused(party_world):
    w = party_world
    member = target(w)
    with pytest.raises(RuleViolation) as refused:
        services.approve(w.pwc_user, member, stage="admission", approved_on=D(2025, 7, 20), approval_ref="文号")
    assert refused.value.code == "assembly_vote_missing"


def test_admission_creates_probationary_membership(party_world):
    w = party_world
    member = probationary(w, approved_on=D(2025, 3, 15))
    assert member.status == S.PROBATIONARY_MEMBER and member.admitted_on == D(2025, 3, 15)
    held = Membership.objects.on(D(2025, 3, 15)).get(person=member.person, body=w.party_org)
    assert held.role == Role.PROBATIONARY_MEMBER
    assert not Membership.objects.on(D(2025, 3, 14)).filter(person=member.person, body=w.party_org).exists()
    member.person.refresh_from_db()
    assert member.person.political_status == "probationary_member"
    assert AuditEvent.objects.filter(action="party.approval_recorded").exists()


def test_branch_may_enter_the_pwc_written_approval(party_world):
    w = party_world
    member = target(w)
    services.start_notice(w.sec, member, stage="admission", started_on=D(2025, 7, 1))
    services.record_vote(w.sec, member, stage="admission", on=D(2025, 7, 9), yes=3, entitled=3,
                         materials=ADMISSION_MATERIALS)
    services.approve(w.sec, member, stage="admission", approved_on=D(2025, 7, 20), approval_ref="天工发〔2025〕9号",
                     approver=w.pwc_member)
    member.refresh_from_db()
    assert member.status == S.PROBATIONARY_MEMBER


@pytest.mark.parametrize(("vote_on", "ok"), [(D(2026, 3, 14), False), (D(2026, 3, 15), True)])
def test_conversion_at_end_of_probation(party_world, vote_on, ok):
    w = party_world
    member = probationary(w, approved_on=D(2025, 3, 15))
    services.start_notice(w.sec, member, stage="conversion", started_on=D(2026, 3, 1))
    kwargs = {"stage": "conversion", "on": vote_on, "yes": 3, "entitled": 3,
              "materials": ["转正申请书", "预备期考察材料"]}
    if not ok:
        with pytest.raises(RuleViolation) as refused:
            services.record_vote(w.sec, member, **kwargs)
        assert refused.value.code == "probation_not_ended"
        return
    services.record_vote(w.sec, member, **kwargs)
    services.approve(w.pwc_user, member, stage="conversion", approved_on=D(2026, 3, 20),
                     approval_ref="天工发〔2026〕2号")
    member.refresh_from_db()
    assert member.status == S.FULL_MEMBER and member.full_on == D(2026, 3, 20)
    roles = dict(Membership.objects.on(D(2026, 3, 20)).filter(person=member.person, body=w.party_org)
                 .values_list("role", "end_on"))
    assert roles == {Role.PARTY_MEMBER: None}
    assert Membership.objects.on(D(2026, 3, 19)).get(person=member.person, body=w.party_org).role == \
        Role.PROBATIONARY_MEMBER


def test_probation_unset_refuses_conversion(party_world):
    from jiceng.rules import services as rulebook

    w = party_world
    member = probationary(w, approved_on=D(2025, 3, 15))
    rulebook.adopt_version(w.root, district=w.district, effective_from=D(2026, 1, 1), overrides={
        "R-DEV-07/assembly_vote": {"threshold": {"share": "1/2", "base": "members_total", "strict": True}}})
    services.start_notice(w.sec, member, stage="conversion", started_on=D(2026, 3, 1))
    with pytest.raises(RuleViolation) as refused:
        services.record_vote(w.sec, member, stage="conversion", on=D(2026, 3, 20), yes=3, entitled=3,
                             materials=["转正申请书", "预备期考察材料"])
    assert refused.value.code == "rule_parameter_unset"


def test_transfer_out_ends_memberships(party_world):
    w = party_world
    member = w.full[0]
    services.place_in_group(w.sec, member, group=w.group, on=D(2024, 1, 1))
    services.transfer_out(w.sec, member, on=D(2025, 5, 1), destination="洛阳市西工区某社区党支部")
    member.refresh_from_db()
    assert member.status == S.TRANSFERRED_OUT
    assert not Membership.objects.on(D(2025, 5, 2)).filter(person=member.person, role__in=services.MEMBER_ROLES)\
        .exists()
    assert Membership.objects.on(D(2025, 5, 1)).filter(person=member.person, body=w.group).exists()


def test_place_in_group_moves_membership(party_world):
    w = party_world
    other = builders.make_body(w.root, "party_group", w.a, "第二党小组", parent_body=w.party_org)
    member = w.full[1]
    services.place_in_group(w.sec, member, group=w.group, on=D(2024, 1, 1))
    services.place_in_group(w.sec, member, group=other, on=D(2025, 1, 1))
    assert Membership.objects.on(D(2024, 12, 31)).get(person=member.person, role=Role.PARTY_MEMBER,
                                                      body__in=[w.group, other]).body == w.group
    assert Membership.objects.on(D(2025, 1, 1)).get(person=member.person, role=Role.PARTY_MEMBER,
                                                    body__in=[w.group, other]).body == other


def test_in_service_member_needs_work_unit(party_world):
    w = party_world
    person = builders.make_person(w.root, w.building_a, "在职党员")
    with pytest.raises(RuleViolation, match="R-ORG-13"):
        services.register(w.sec, person=person, community=w.a, status="full_member", applied_on=D(2010, 1, 1),
                          admitted_on=D(2020, 2, 1), full_on=D(2021, 2, 1), in_service=True)
    member = services.register(w.sec, person=person, community=w.a, status="full_member", applied_on=D(2010, 1, 1),
                               admitted_on=D(2020, 2, 1), full_on=D(2021, 2, 1), in_service=True,
                               work_unit="洛阳轴承厂", unit_party_org="洛阳轴承厂党委", reported_on=D(2021, 3, 1))
    assert member.in_service and member.work_unit == "洛阳轴承厂" and member.unit_party_org == "洛阳轴承厂党委"
    assert Membership.objects.on(D(2021, 2, 1)).filter(person=person, body=w.party_org, role=Role.PARTY_MEMBER).exists()


def test_outsider_and_other_community_are_refused(party_world):
    w = party_world
    member = applicant(w)
    # A community worker without a party office, and the worker of community B.
    for user in (w.u.director, w.worker_b):
        with pytest.raises(PermissionDenied):
            services.make_activist(user, member, on=D(2024, 6, 1), sponsors=w.full[:2])


def test_register_twice_conflicts(party_world):
    w = party_world
    with pytest.raises(Conflict):
        services.register(w.sec, person=w.full[0].person, community=w.a, applied_on=D(2020, 1, 1))


def test_vote_through_the_meetings_engine(party_world):
    from jiceng.meetings.models import Kind
    from tests.disclosure.conftest import passed_item

    w = party_world
    member = target(w, target_on=D(2025, 6, 1))
    today = datetime.date.today()
    services.start_notice(w.sec, member, stage="admission", started_on=today - datetime.timedelta(days=12))
    rejected = passed_item(w, Kind.PARTY_MEMBERS_ASSEMBLY, days_ago=2, passed=False)
    step = services.record_vote(w.sec, member, stage="admission", agenda_item=rejected, materials=ADMISSION_MATERIALS)
    assert step.passed is False and step.data["item"] == rejected.pk
    item = passed_item(w, Kind.PARTY_MEMBERS_ASSEMBLY, days_ago=1)
    step = services.record_vote(w.sec, member, stage="admission", agenda_item=item, materials=ADMISSION_MATERIALS)
    assert step.passed is True and step.occurred_on == today - datetime.timedelta(days=1)
    wrong = passed_item(w, Kind.PARTY_ORG_COMMITTEE_MEETING, days_ago=1)
    from jiceng.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.record_vote(w.sec, member, stage="admission", agenda_item=wrong, materials=ADMISSION_MATERIALS)


def test_published_notice_drafts_a_p05_board_item(party_world):
    w = party_world
    member = target(w)
    notice = services.start_notice(w.sec, member, stage="admission", started_on=D(2025, 7, 1), publish=True)
    assert notice.ends_on == D(2025, 7, 8)
    assert notice.disclosure.category == "P05" and notice.disclosure.board == "party"
    assert notice.disclosure.period_end == D(2025, 7, 8)
