"""Enforcement of the meeting rules added for issue #3 point 1: hearing convener (R-HEAR-02), voting method
(R-HEAR-11), observers (A-HEAR-05), step order of the hearing record (A-HEAR-08), the party committee's minutes
(A-PARTY-09) and deferrals (A-PARTY-07), and the street office's own meetings (A-MEET-01/02/03/05/10)."""

from __future__ import annotations

import datetime

import pytest

from jiceng.core.errors import RuleViolation
from jiceng.meetings import minutes as m
from jiceng.meetings import schedules, services
from jiceng.meetings.models import AgendaItem, Kind, Meeting, Minutes
from jiceng.orgs.models import Body, Role
from tests import builders

from .conftest import at

D = datetime.date


def _hearing(sw, *, present=4, hold=True):
    staff = sw.street_staff
    people = [builders.make_person(sw.root, sw.building_a, f"听证代表{i}") for i in range(5)]
    day = sw.today - datetime.timedelta(days=1)
    meeting = services.create_meeting(staff, kind="hearing", body=sw.rc, title="加装电梯听证会", scheduled_at=at(day),
                                      expected=[p.pk for p in people], subject_category="H2")
    item = services.add_item(staff, meeting, title="加装电梯费用分摊方案")
    for party in ("street_office", "party_org", "residents_committee"):
        services.confirm_participants(staff, meeting, party=party)
    services.publish_notice(staff, meeting, published_at=at(day - datetime.timedelta(days=4)))
    observer = builders.make_person(sw.root, sw.building_a, "旁听居民")
    if hold:
        services.hold(staff, meeting, held_at=at(day), present=[p.pk for p in people[:present]] + [observer.pk],
                      chair=people[0], recorder=people[1])
    return meeting, item, people, observer


# R-HEAR-02 / A-HEAR-02 ---------------------------------------------------------------------------------

def test_a_hearing_convened_by_a_body_other_than_the_residents_committee_is_refused(street_world):
    sw = street_world
    with pytest.raises(RuleViolation) as refused:
        services.create_meeting(sw.street_staff, kind="hearing", body=sw.council, title="听证会",
                                scheduled_at=at(sw.today), subject_category="H2")
    assert refused.value.rule_id == "R-HEAR-02" and refused.value.code == "not_convener"
    assert not Meeting.objects.exists()
    services.create_meeting(sw.street_staff, kind="hearing", body=sw.rc, title="听证会", scheduled_at=at(sw.today),
                            subject_category="H2")


def test_the_api_names_the_convener_rule(api, street_world):
    sw = street_world
    response = api(sw.street_staff).post("/api/v1/meetings", {
        "kind": "hearing", "body": sw.party_org.pk, "title": "听证会", "subject_category": "H2",
        "scheduled_at": "2025-04-10T09:00:00+08:00"})
    assert response.status_code == 422
    assert response.json()["error"]["rule"] == "R-HEAR-02"
    assert response.json()["error"]["code"] == "not_convener"


# R-HEAR-11 and A-HEAR-05 -----------------------------------------------------------------------------------

def test_a_hearing_vote_needs_a_method_the_residents_committee_may_choose(street_world):
    meeting, item, _people, _observer = _hearing(street_world)
    with pytest.raises(RuleViolation) as refused:
        services.record_vote(street_world.street_staff, item, method="oral", yes=3, no=1)
    assert refused.value.rule_id == "R-HEAR-11" and refused.value.code == "vote_method_missing"
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.PENDING
    assert services.record_vote(street_world.street_staff, item, method="show_of_hands", yes=3, no=1).status \
        == AgendaItem.Status.PASSED


def test_an_observer_who_sat_in_cannot_cast_a_named_vote_at_a_hearing(street_world):
    meeting, item, people, observer = _hearing(street_world)
    votes = [{"person": p.pk, "choice": "yes"} for p in people[:3]]
    with pytest.raises(RuleViolation) as refused:
        services.record_vote(street_world.street_staff, item, method="named",
                             votes=[*votes, {"person": observer.pk, "choice": "yes"}])
    assert refused.value.rule_id == "A-HEAR-05" and refused.value.code == "observer_cannot_vote"
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.PENDING and not item.named_votes.exists()
    assert services.record_vote(street_world.street_staff, item, method="named", votes=votes).yes == 3


# A-HEAR-08: the hearing record's steps ----------------------------------------------------------------------

def _filled(minutes: Minutes) -> str:
    text = minutes.text
    parts = (("基本情况", "到会代表4人。"), ("代表意见", "多数代表赞成。"), ("倾向性方案", "按楼层分摊。"))
    for part, content in parts:
        text = text.replace(f"）{part}\n", f"）{part}\n\n{content}\n", 1)
    return text


def _swap(text: str, first: str, second: str) -> str:
    return text.replace(f"）{first}\n", "）@@\n", 1).replace(f"）{second}\n", f"）{first}\n", 1) \
        .replace("）@@\n", f"）{second}\n", 1)


def test_hearing_minutes_whose_steps_are_out_of_order_are_not_signed(street_world):
    meeting, item, _people, _observer = _hearing(street_world)
    staff = street_world.street_staff
    services.record_vote(staff, item, method="show_of_hands", yes=3, no=1)
    draft = m.generate_minutes(staff, Meeting.objects.get(pk=meeting.pk))
    order = m.HEARING_ORDER
    reordered = m.edit_minutes(staff, draft, _swap(_filled(draft), order[1], order[2]))
    with pytest.raises(RuleViolation) as refused:
        m.sign_minutes(staff, reordered)
    assert refused.value.rule_id == "A-HEAR-08" and refused.value.code == "steps_out_of_order"
    reordered.refresh_from_db()
    assert reordered.status == Minutes.Status.DRAFT

    # The government's answer (step 4) is needed only where law or policy is involved: leaving it out is fine.
    without_answer = _filled(draft).replace(f"### （四）{order[3]}\n", "", 1)
    assert f"{order[3]}" not in without_answer
    signed = m.sign_minutes(staff, m.edit_minutes(staff, reordered, without_answer))
    assert signed.status == Minutes.Status.SIGNED


def test_hearing_minutes_missing_a_required_step_are_not_signed(street_world):
    meeting, item, _people, _observer = _hearing(street_world)
    staff = street_world.street_staff
    services.record_vote(staff, item, method="show_of_hands", yes=3, no=1)
    draft = m.generate_minutes(staff, Meeting.objects.get(pk=meeting.pk))
    text = _filled(draft).replace(f"### （二）{m.HEARING_ORDER[1]}\n", "", 1)
    with pytest.raises(RuleViolation) as refused:
        m.sign_minutes(staff, m.edit_minutes(staff, draft, text))
    assert refused.value.code == "steps_missing" and refused.value.facts["missing"] == ["居委会通报议题情况"]


# A-PARTY-09 and A-PARTY-07 --------------------------------------------------------------------------------

@pytest.fixture
def committee_meeting(street_world):
    sw = street_world
    members = builders.make_members(sw.root, sw.party_org, [Role.COMMUNITY_PARTY_SECRETARY,
                                                            Role.PARTY_ORG_COMMITTEE_MEMBER,
                                                            Role.PARTY_ORG_COMMITTEE_MEMBER], sw.building_a)
    day = sw.today - datetime.timedelta(days=1)
    meeting = services.create_meeting(sw.worker_a, kind="party_org_committee_meeting", body=sw.party_org,
                                      title="支委会", scheduled_at=at(day))
    item = services.add_item(sw.worker_a, meeting, title="社区停车管理办法")
    services.publish_notice(sw.worker_a, meeting, published_at=at(day - datetime.timedelta(days=2)))
    present = list(meeting.attendance.filter(expected=True).values_list("person_id", flat=True))
    services.hold(sw.worker_a, meeting, held_at=at(day), present=present, chair=members[0])
    return meeting, item


def test_a_party_committee_meeting_cannot_close_without_signed_minutes(street_world, committee_meeting):
    meeting, _item = committee_meeting
    with pytest.raises(RuleViolation) as refused:
        services.close_meeting(street_world.worker_a, meeting)
    assert refused.value.rule_id == "A-PARTY-09" and refused.value.code == "record_missing"
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_a_party_committee_defers_under_its_own_rules_of_procedure(street_world, committee_meeting):
    _meeting, item = committee_meeting
    deferred = services.defer_item(street_world.worker_a, item, reason="意见分歧较大，待调查研究")
    assert deferred.status == AgendaItem.Status.DEFERRED and deferred.rule == "A-PARTY-07"


# The street office's meetings (A-MEET) --------------------------------------------------------------------

@pytest.fixture
def office(street_world):
    sw = street_world
    office = builders.make_body(sw.root, Body.Kind.STREET_OFFICE, sw.street, "天津路街道办事处")
    leaders = builders.make_members(sw.root, office, [Role.STREET_OFFICE_DIRECTOR,
                                                      Role.STREET_OFFICE_DEPUTY_DIRECTOR], sw.building_a)
    section = builders.make_body(sw.root, Body.Kind.GENERAL_OFFICE, sw.street, "党政办公室")
    staff = builders.make_members(sw.root, section, [Role.AGENCY_STAFF] * 2, sw.building_a)
    return sw, office, leaders, section, staff


def _held(sw, body, kind, when, expected=None):
    meeting = services.create_meeting(sw.street_staff, kind=kind, body=body, title=str(Kind(kind).label),
                                      scheduled_at=when, expected=expected)
    services.publish_notice(sw.street_staff, meeting, published_at=when - datetime.timedelta(days=1))
    present = list(meeting.attendance.filter(expected=True).values_list("person_id", flat=True))
    return services.hold(sw.street_staff, meeting, held_at=when, present=present)


def test_a_directors_meeting_expects_the_office_leaders_and_needs_minutes_to_close(office):
    sw, body, leaders, _section, _staff = office
    meeting = _held(sw, body, Kind.DIRECTOR_MEETING, at(D(2025, 3, 5)))
    assert set(meeting.attendance.values_list("person_id", flat=True)) == {p.pk for p in leaders}
    with pytest.raises(RuleViolation) as refused:
        services.close_meeting(sw.street_staff, meeting)
    assert refused.value.rule_id == "A-MEET-05"


def test_the_street_office_owes_its_monthly_meetings(office):
    sw, body, _leaders, _section, _staff = office
    rules = [(o.rule_id, o.kind) for o in schedules.obligations(body, D(2025, 3, 20))]
    assert ("A-MEET-01", Kind.DIRECTOR_MEETING) in rules and ("A-MEET-02", Kind.OFFICE_MEETING) in rules
    assert [k for rule, k in rules if rule == "A-MEET-10"] == [
        Kind.ADMINISTRATIVE_REGULAR_MEETING, Kind.ZONGZHI_REGULAR_MEETING, Kind.COMMUNITY_WORK_REGULAR_MEETING,
        Kind.URBAN_MANAGEMENT_REGULAR_MEETING]
    _held(sw, body, Kind.ZONGZHI_REGULAR_MEETING, at(D(2025, 3, 3)), expected=[sw.zhang.pk])
    states = {o.kind: o.state for o in schedules.obligations(body, D(2025, 3, 20))}
    assert states[Kind.ZONGZHI_REGULAR_MEETING] == schedules.State.MET
    assert states[Kind.ADMINISTRATIVE_REGULAR_MEETING] == schedules.State.OVERDUE  # February had none either


@pytest.mark.parametrize(("held", "met"), [(1, False), (2, True)])  # 每半月一次: two a month
def test_a_section_meets_twice_a_month(office, held, met):
    sw, _body, _leaders, section, _staff = office
    for day in (3, 18)[:held]:
        _held(sw, section, Kind.SECTION_MEETING, at(D(2025, 3, day)))
    obligation = next(o for o in schedules.obligations(section, D(2025, 3, 25)) if o.kind == Kind.SECTION_MEETING)
    assert obligation.rule_id == "A-MEET-03" and obligation.required == 2
    assert (obligation.state == schedules.State.MET) is met
