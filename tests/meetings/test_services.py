"""Meeting lifecycle, votes, recusals, escalation and overrides through the services (rules-core §5)."""

import datetime

import pytest

from jiceng.audit.models import AuditEvent
from jiceng.core.errors import Conflict, IllegalTransition, PermissionDenied, RuleViolation, ValidationFailed
from jiceng.meetings import services
from jiceng.meetings.models import AgendaItem, Meeting
from jiceng.orgs import services as orgs
from jiceng.orgs.models import Body, Role
from jiceng.rules.services import adopt_version
from tests import builders

from .conftest import at

D = datetime.date
DAY = D(2025, 4, 10)
FIVE_DAYS_AHEAD = D(2025, 4, 5)


def pwc_meeting(w, *, notice_on=FIVE_DAYS_AHEAD, title="党工委会议", items=()):
    """A PWC meeting with its agenda set before the notice (so no item is ad hoc)."""
    meeting = services.create_meeting(w.street_staff, kind="pwc_meeting", body=w.pwc, title=title,
                                      scheduled_at=at(DAY))
    for item_title in items:
        services.add_item(w.street_staff, meeting, title=item_title)
    if notice_on:
        services.publish_notice(w.street_staff, meeting, published_at=at(notice_on))
    return meeting


def held_pwc(w, present: int, **kw):
    meeting = pwc_meeting(w, **kw)
    return services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:present]],
                         chair=w.secretary, recorder=w.pwc_members[1])


def test_expected_are_the_body_members_on_the_meeting_date(street_world):
    meeting = pwc_meeting(street_world)
    assert meeting.attendance.filter(expected=True).count() == 9


@pytest.mark.parametrize(("present", "ok"), [(4, False), (5, True)])
def test_pwc_quorum_at_hold(street_world, present, ok):
    meeting = pwc_meeting(street_world)
    kwargs = dict(held_at=at(DAY), present=[p.pk for p in street_world.pwc_members[:present]],
                  chair=street_world.secretary, recorder=street_world.pwc_members[1])
    if ok:
        assert services.hold(street_world.street_staff, meeting, **kwargs).status == Meeting.Status.HELD
        return
    with pytest.raises(RuleViolation) as refused:
        services.hold(street_world.street_staff, meeting, **kwargs)
    assert (refused.value.code, refused.value.rule_id) == ("quorum_not_met", "R-PWC-04")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.NOTICED and meeting.held_at is None
    assert not AuditEvent.objects.filter(action="meetings.meeting_held").exists()


def test_strict_reading_of_half_adopted_by_the_district(street_world):
    """C-16 / AT-11: with half_or_more_inclusive=false, 4 of 8 is no longer a quorum."""
    adopt_version(street_world.root, district=street_world.district, effective_from=D(2025, 1, 1),
                  overrides={"R-PWC-04": {"threshold": {"strict": True}}})
    w = street_world
    meeting = pwc_meeting(w)
    meeting.attendance.filter(person=w.pwc_members[-1]).delete()  # 8 members
    with pytest.raises(RuleViolation):
        services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:4]],
                      chair=w.secretary, recorder=w.pwc_members[1])
    held = services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:5]],
                         chair=w.secretary, recorder=w.pwc_members[1])
    assert held.rulebook_version == f"{w.district.code}@2025-01-01"


def test_a_meeting_before_the_version_is_judged_by_the_default(street_world):
    adopt_version(street_world.root, district=street_world.district, effective_from=D(2025, 6, 1),
                  overrides={"R-PWC-04": {"threshold": {"strict": True}}})
    meeting = held_pwc(street_world, 5)
    assert meeting.rulebook_version == "default"


def test_agenda_notice_too_late_stands_without_an_override(street_world):
    meeting = pwc_meeting(street_world, notice_on=D(2025, 4, 8))  # AT-16: two days
    kwargs = dict(held_at=at(DAY), present=[p.pk for p in street_world.pwc_members[:7]],
                  chair=street_world.secretary, recorder=street_world.pwc_members[1])
    with pytest.raises(RuleViolation) as refused:
        services.hold(street_world.street_staff, meeting, **kwargs)
    assert refused.value.code == "agenda_notice_too_late"
    held = services.hold(street_world.street_staff, meeting, override_reason="防汛紧急部署", **kwargs)
    assert held.overrides[0]["rule"] == "R-PWC-08" and held.overrides[0]["reason"] == "防汛紧急部署"
    assert AuditEvent.objects.filter(action="meetings.rule_overridden").count() == 1


def test_item_added_after_notice_is_ad_hoc(street_world):
    meeting = pwc_meeting(street_world)
    with pytest.raises(RuleViolation) as refused:
        services.add_item(street_world.street_staff, meeting, title="临时动议")
    assert refused.value.code == "item_added_ad_hoc"
    item = services.add_item(street_world.street_staff, meeting, title="临时动议", override_reason="上级紧急通知")
    assert item.added_ad_hoc


@pytest.mark.parametrize(("present", "yes", "no", "outcome"), [
    (6, 5, 1, "passed"),     # AT-10: 2×5 = 10 > 9
    (6, 4, 2, "rejected"),
    (9, 4, 5, "rejected"),
])
def test_pwc_item_outcome_counts_against_all_members(street_world, present, yes, no, outcome):
    w = street_world
    meeting = pwc_meeting(w, items=["年度预算"])
    item = meeting.items.get()
    services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:present]],
                  chair=w.secretary, recorder=w.pwc_members[1])
    item = services.record_vote(w.street_staff, item, method="show_of_hands", yes=yes, no=no, abstain=0)
    assert item.status == outcome
    assert item.basis["base"] == 9 and item.rule == "R-PWC-11"


def test_written_opinion_is_kept_but_never_counted(street_world):
    """AT-13 with 9 members: 4 present say yes, an absent member writes 'agree' — still rejected."""
    w = street_world
    meeting = pwc_meeting(w, items=["事项"])
    item = meeting.items.get()
    services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:5]],
                  chair=w.secretary, recorder=w.pwc_members[1],
                  written_opinions=[{"person": w.pwc_members[8].pk, "text": "同意"}])
    item = services.record_vote(w.street_staff, item, method="show_of_hands", yes=4, no=1)
    assert item.status == "rejected"
    assert meeting.written_opinions.get().text == "同意"


def test_written_opinion_from_someone_present_is_refused(street_world):
    w = street_world
    meeting = pwc_meeting(w)
    with pytest.raises(ValidationFailed) as refused:
        services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:5]],
                      chair=w.secretary, recorder=w.pwc_members[1],
                      written_opinions=[{"person": w.pwc_members[0].pk, "text": "同意"}])
    assert refused.value.code == "written_opinion_not_absent"


def test_recused_member_cannot_vote_and_stays_in_the_base(street_world):
    """AT-15: X recuses; the other five vote yes; 10 > 9 passes."""
    w = street_world
    meeting = pwc_meeting(w, items=["事项"])
    item = meeting.items.get()
    services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:6]],
                  chair=w.secretary, recorder=w.pwc_members[1])
    x = w.pwc_members[5]
    votes = [{"person": p.pk, "choice": "yes"} for p in w.pwc_members[:6]]
    with pytest.raises(RuleViolation) as refused:
        services.record_vote(w.street_staff, item, method="named", votes=votes, recused=[x.pk])
    assert refused.value.code == "recused_member_cannot_vote"
    item = services.record_vote(w.street_staff, item, method="named", votes=votes[:5], recused=[x.pk])
    assert item.status == "passed" and item.basis["recused"] == [x.pk] and item.basis["base"] == 9


def test_a_person_who_is_not_a_present_member_cannot_vote(street_world):
    w = street_world
    meeting = pwc_meeting(w, items=["事项"])
    item = meeting.items.get()
    services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:6]],
                  chair=w.secretary, recorder=w.pwc_members[1])
    with pytest.raises(RuleViolation) as refused:
        services.record_vote(w.street_staff, item, method="named",
                             votes=[{"person": w.pwc_members[7].pk, "choice": "yes"}])
    assert refused.value.code == "not_a_voting_member"


def test_cadre_items(street_world):
    """AT-14: cadre quorum, ballot, one person per vote, preconditions."""
    w = street_world
    candidate = builders.make_person(w.root, w.building_a, "候选人")
    pre = {"recommendation": "民主推荐", "inspection": "考察材料", "leader_opinion": "同意"}
    meeting = services.create_meeting(w.street_staff, kind="pwc_meeting", body=w.pwc, title="干部会",
                                      scheduled_at=at(DAY))
    ordinary = services.add_item(w.street_staff, meeting, title="一般事项")
    cadre = services.add_item(w.street_staff, meeting, title="任免", kind="cadre", subject_person=candidate,
                              cadre_preconditions=pre)
    bare = services.add_item(w.street_staff, meeting, title="任免2", kind="cadre", subject_person=candidate)
    services.publish_notice(w.street_staff, meeting, published_at=at(D(2025, 4, 1)))
    services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:5]],
                  chair=w.secretary, recorder=w.pwc_members[1])
    assert services.record_vote(w.street_staff, ordinary, method="show_of_hands", yes=5).status == "passed"
    with pytest.raises(RuleViolation) as refused:
        services.record_vote(w.street_staff, cadre, method="ballot", yes=5)
    assert refused.value.code == "cadre_quorum_not_met"

    meeting2 = services.create_meeting(w.street_staff, kind="pwc_meeting", body=w.pwc, title="干部会2",
                                       scheduled_at=at(DAY))
    cadre2 = services.add_item(w.street_staff, meeting2, title="任免", kind="cadre", subject_person=candidate,
                               cadre_preconditions=pre)
    services.publish_notice(w.street_staff, meeting2, published_at=at(D(2025, 4, 1)))
    services.hold(w.street_staff, meeting2, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:6]],
                  chair=w.secretary, recorder=w.pwc_members[1])
    for kwargs, code in [({"method": "show_of_hands"}, "ballot_required"),
                         ({"method": "ballot", "candidates": [candidate.pk, w.zhang.pk]}, "bundled_vote")]:
        with pytest.raises(RuleViolation) as refused:
            services.record_vote(w.street_staff, cadre2, yes=6, **kwargs)
        assert refused.value.code == code
    assert services.record_vote(w.street_staff, cadre2, method="ballot", yes=6).status == "passed"
    bare.refresh_from_db()
    assert bare.meeting == meeting


def test_cadre_item_without_preconditions_is_refused(street_world):
    w = street_world
    candidate = builders.make_person(w.root, w.building_a, "候选人")
    meeting = services.create_meeting(w.street_staff, kind="pwc_meeting", body=w.pwc, title="干部会",
                                      scheduled_at=at(DAY))
    item = services.add_item(w.street_staff, meeting, title="任免", kind="cadre", subject_person=candidate)
    services.publish_notice(w.street_staff, meeting, published_at=at(D(2025, 4, 1)))
    services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:7]],
                  chair=w.secretary, recorder=w.pwc_members[1])
    with pytest.raises(RuleViolation) as refused:
        services.record_vote(w.street_staff, item, method="ballot", yes=7)
    assert refused.value.code == "cadre_preconditions_missing"


def test_deferred_item_waits_for_the_next_meeting(street_world):
    w = street_world
    meeting = pwc_meeting(w, items=["分歧较大的事项"])
    item = meeting.items.get()
    services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:7]],
                  chair=w.secretary, recorder=w.pwc_members[1])
    services.defer_item(w.street_staff, item, reason="意见分歧较大")
    item.refresh_from_db()
    assert item.status == "deferred"
    following = services.create_meeting(w.street_staff, kind="pwc_meeting", body=w.pwc, title="下次会议",
                                        scheduled_at=at(D(2025, 5, 10)))
    [carried] = following.items.all()
    assert carried.origin == item and carried.title == item.title


def _council_meeting(w, body, present: int):
    members = builders.make_members(w.root, body, [Role.MEMBER] * present, w.building_a)
    meeting = services.create_meeting(w.street_staff, kind="deliberation_council", body=body, title="议事会",
                                      scheduled_at=at(DAY))
    item = services.add_item(w.street_staff, meeting, title="加装电梯", topic="T4")
    services.publish_notice(w.street_staff, meeting, published_at=at(D(2025, 4, 7)))
    services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in members],
                  recorder=members[0])
    return meeting, item


def test_grid_council_failure_escalates_and_cannot_close_as_not_handled(street_world):
    """AT-06: 6 of 10 is not 2/3; the item goes to the community council's agenda, linked."""
    w = street_world
    meeting, item = _council_meeting(w, w.grid_council, 10)
    item = services.record_vote(w.street_staff, item, method="show_of_hands", yes=6, no=4)
    assert item.status == "escalated"
    with pytest.raises(RuleViolation) as refused:
        services.resolve_not_passed(w.street_staff, item, resolution="not_handled")
    assert refused.value.code == "grid_failure_must_escalate"
    successor = AgendaItem.objects.get(origin=item)
    assert successor.body == w.council and successor.status == "pending"


def test_grid_council_pass_is_filed_with_the_community_council(street_world):
    w = street_world
    meeting, item = _council_meeting(w, w.grid_council, 9)
    item = services.record_vote(w.street_staff, item, method="show_of_hands", yes=7, no=2)
    assert item.status == "passed"
    assert AgendaItem.objects.get(origin=item).status == "filed"


def test_community_council_failure_goes_to_the_pwc(street_world):
    w = street_world
    meeting, item = _council_meeting(w, w.council, 9)
    item = services.record_vote(w.street_staff, item, method="show_of_hands", yes=5, no=4)
    assert item.status == "escalated"
    assert AgendaItem.objects.get(origin=item).body == w.pwc


def test_council_notice_two_days_ahead_is_refused(street_world):
    w = street_world
    members = builders.make_members(w.root, w.council, [Role.MEMBER] * 3, w.building_a)
    meeting = services.create_meeting(w.street_staff, kind="deliberation_council", body=w.council, title="议事会",
                                      scheduled_at=at(DAY))
    services.publish_notice(w.street_staff, meeting, published_at=at(D(2025, 4, 8)))
    with pytest.raises(RuleViolation) as refused:
        services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in members], recorder=members[0])
    assert refused.value.code == "notice_period_not_met"


def test_council_without_recorder_is_refused(street_world):
    w = street_world
    members = builders.make_members(w.root, w.council, [Role.MEMBER] * 3, w.building_a)
    meeting = services.create_meeting(w.street_staff, kind="deliberation_council", body=w.council, title="议事会",
                                      scheduled_at=at(DAY))
    services.publish_notice(w.street_staff, meeting, published_at=at(D(2025, 4, 1)))
    with pytest.raises(RuleViolation) as refused:
        services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in members])
    assert refused.value.code == "recorder_missing"


def test_hearing_needs_three_confirmations_before_notice(street_world):
    """AT-03: a list without the street office's confirmation cannot be noticed."""
    w = street_world
    invitees = [builders.make_person(w.root, w.building_a, f"代表{i}") for i in range(21)]
    meeting = services.create_meeting(w.worker_a, kind="hearing", body=w.rc, title="听证会", subject_category="H2",
                                      scheduled_at=at(D(2025, 3, 10)), expected=[p.pk for p in invitees])
    services.confirm_participants(w.worker_a, meeting, party="party_org")
    services.confirm_participants(w.worker_a, meeting, party="residents_committee")
    with pytest.raises(RuleViolation) as refused:
        services.publish_notice(w.worker_a, meeting, published_at=at(D(2025, 3, 7)))
    assert refused.value.code == "participant_list_not_agreed"
    with pytest.raises(PermissionDenied):
        services.confirm_participants(w.worker_a, meeting, party="street_office")
    services.confirm_participants(w.street_staff, meeting, party="street_office")
    services.publish_notice(w.worker_a, meeting, published_at=at(D(2025, 3, 7)))
    with pytest.raises(RuleViolation) as refused:
        services.hold(w.worker_a, meeting, held_at=at(D(2025, 3, 10)), present=[p.pk for p in invitees[:10]])
    assert refused.value.code == "quorum_not_met"   # AT-01: 10 of 21
    services.hold(w.worker_a, meeting, held_at=at(D(2025, 3, 10)), present=[p.pk for p in invitees[:11]])


def test_hold_twice_is_a_state_conflict(street_world):
    meeting = held_pwc(street_world, 6)
    with pytest.raises(IllegalTransition):
        services.hold(street_world.street_staff, meeting, held_at=at(DAY), present=[])


def test_close_needs_signed_minutes(street_world):
    meeting = held_pwc(street_world, 6)
    with pytest.raises(RuleViolation) as refused:
        services.close_meeting(street_world.street_staff, meeting)
    assert refused.value.code == "record_missing"


def test_worker_of_b_cannot_convene_for_a(street_world):
    with pytest.raises(PermissionDenied):
        services.create_meeting(street_world.worker_b, kind="deliberation_council", body=street_world.council,
                                title="议事会", scheduled_at=at(DAY))


def test_vote_before_hold_is_refused(street_world):
    meeting = pwc_meeting(street_world, items=["事项"])
    item = meeting.items.get()
    with pytest.raises(Conflict):
        services.record_vote(street_world.street_staff, item, method="show_of_hands", yes=5)


def test_wrong_body_kind_is_refused(street_world):
    with pytest.raises(ValidationFailed) as refused:
        services.create_meeting(street_world.street_staff, kind="pwc_meeting", body=street_world.rc, title="x",
                                scheduled_at=at(DAY))
    assert refused.value.code == "wrong_body_kind"


def test_joint_meeting_counts_a_person_in_both_committees_once(street_world):
    """AT-17: party committee 6, RC 5, 2 in both → 9 expected."""
    w = street_world
    org = builders.make_body(w.root, Body.Kind.COMMUNITY_PARTY_ORG, w.b, "青岛路社区党支部", org_type="party_branch",
                             members=[builders.make_person(w.root, w.building_b, f"党员{i}") for i in range(3)])
    rc = builders.make_body(w.root, Body.Kind.RESIDENTS_COMMITTEE, w.b, "青岛路社区居委会")
    party = builders.make_members(w.root, org, [Role.COMMUNITY_PARTY_SECRETARY] + [Role.PARTY_ORG_COMMITTEE_MEMBER] * 5,
                                  w.building_b)
    for person in party[:2]:
        orgs.add_membership(w.root, person=person, body=rc, role=Role.RC_MEMBER, start_on=D(2020, 1, 1))
    builders.make_members(w.root, rc, [Role.RC_DIRECTOR] + [Role.RC_MEMBER] * 2, w.building_b)
    meeting = services.create_meeting(w.street_staff, kind="two_committees_joint_meeting", body=org, title="联席会",
                                      scheduled_at=at(DAY))
    assert meeting.attendance.filter(expected=True).count() == 9


def test_postponed_meeting_must_be_noticed_again(street_world):
    w = street_world
    meeting = pwc_meeting(w)
    services.postpone_meeting(w.street_staff, meeting, scheduled_at=at(D(2025, 4, 20)), reason="书记参加区委会议")
    meeting.refresh_from_db()
    assert meeting.status == "deferred" and meeting.notice_published_at is None
    with pytest.raises(IllegalTransition):
        services.hold(w.street_staff, meeting, held_at=at(D(2025, 4, 20)), present=[])
    services.publish_notice(w.street_staff, meeting, published_at=at(D(2025, 4, 18)))
    with pytest.raises(RuleViolation) as refused:  # two days after the new notice
        services.hold(w.street_staff, meeting, held_at=at(D(2025, 4, 20)),
                      present=[p.pk for p in w.pwc_members[:7]], chair=w.secretary, recorder=w.pwc_members[1])
    assert refused.value.code == "agenda_notice_too_late"


def test_a_member_named_twice_in_one_vote_is_refused(street_world):
    w = street_world
    meeting = pwc_meeting(w, items=["事项"])
    item = meeting.items.get()
    services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:6]],
                  chair=w.secretary, recorder=w.pwc_members[1])
    twice = [{"person": w.pwc_members[0].pk, "choice": "yes"}, {"person": w.pwc_members[0].pk, "choice": "no"}]
    with pytest.raises(Conflict) as refused:
        services.record_vote(w.street_staff, item, method="named", votes=twice)
    assert refused.value.code == "double_vote"
    item.refresh_from_db()
    assert item.status == "pending" and not item.named_votes.exists()


def test_a_pwc_item_close_to_residents_interests_needs_a_public_notice_or_hearing(street_world):
    """R-WF-16 (ENFORCE-O): refused without a public notice or hearing; passes with one, or with an override."""
    w = street_world
    meeting = services.create_meeting(w.street_staff, kind="pwc_meeting", body=w.pwc, title="党工委会议",
                                      scheduled_at=at(DAY))
    bare = services.add_item(w.street_staff, meeting, title="辖区道路改造方案", affects_residents=True)
    noticed = services.add_item(w.street_staff, meeting, title="菜市场搬迁方案", affects_residents=True,
                                public_basis="2025年3月1日至15日在各社区公示栏公示")
    services.publish_notice(w.street_staff, meeting, published_at=at(FIVE_DAYS_AHEAD))
    services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:7]],
                  chair=w.secretary, recorder=w.pwc_members[1])
    with pytest.raises(RuleViolation) as refused:
        services.record_vote(w.street_staff, bare, method="show_of_hands", yes=7)
    assert refused.value.code == "public_notice_or_hearing_missing" and refused.value.rule_id == "R-WF-16"
    assert services.record_vote(w.street_staff, noticed, method="show_of_hands", yes=7).status == "passed"
    overridden = services.record_vote(w.street_staff, bare, method="show_of_hands", yes=7,
                                      override_reason="防汛抢险，须立即决定")
    assert overridden.status == "passed"
    assert Meeting.objects.get(pk=meeting.pk).overrides[-1]["rule"] == "R-WF-16"
