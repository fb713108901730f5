"""What each meeting kind is bound by: who is expected and who votes, and which rule judges its notice,
quorum, passing, chair, recorder, record and publication. The numbers are in jiceng/rules/meetings.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from jiceng.orgs.models import Body, Role
from jiceng.rules import admin_meetings as a
from jiceng.rules import meetings as r
from jiceng.rules import pwc
from jiceng.rules.base import Rule

from .models import AgendaItem, Kind

PWC_MEMBERS = frozenset({Role.PWC_SECRETARY, Role.PWC_DEPUTY_SECRETARY, Role.PWC_MEMBER})
PARTY_COMMITTEE = frozenset({Role.COMMUNITY_PARTY_SECRETARY, Role.COMMUNITY_PARTY_DEPUTY_SECRETARY,
                             Role.PARTY_ORG_COMMITTEE_MEMBER})
RC_MEMBERS = frozenset({Role.RC_DIRECTOR, Role.RC_DEPUTY_DIRECTOR, Role.RC_MEMBER})
FOUR_HEADS = frozenset({Role.COMMUNITY_PARTY_SECRETARY, Role.RC_DIRECTOR, Role.WORKSTATION_HEAD, Role.CGO_DIRECTOR})
STREET_OFFICE_LEADERS = frozenset({Role.STREET_OFFICE_DIRECTOR, Role.STREET_OFFICE_DEPUTY_DIRECTOR})
# The street office's sections (部门) that hold section meetings (A-MEET-03).
SECTIONS = (Body.Kind.GENERAL_OFFICE, Body.Kind.PWC_OFFICE, Body.Kind.FINANCE_OFFICE, Body.Kind.STREET_ZZ_CENTER)
# Roles that are offices rather than membership: they never make a person part of "all members".
NON_MEMBER_ROLES = frozenset({Role.STREET_LIAISON_LEADER, Role.DESIGNATED_RECORDER, Role.ARCHIVIST})


@dataclass(frozen=True)
class Expected:
    """Who is expected: `roles` of the host body (None: every member), plus the same roles of sibling bodies
    of `also_kinds` in the same area (the two committees), or `given` when the convener lists them."""

    roles: frozenset | None = None
    also_kinds: tuple = ()
    also_roles: frozenset | None = None
    given: bool = False


@dataclass(frozen=True)
class KindSpec:
    kind: str
    body_kinds: tuple
    expected: Expected
    notice: Rule | None = None
    quorum: Rule | None = None
    cadre_quorum: Rule | None = None
    passing: Rule | None = None
    chair: Rule | None = None
    chair_roles: frozenset = frozenset()
    recorder: Rule | None = None
    record: Rule | None = None
    publish: Rule | None = None
    ballot_required_for: frozenset = frozenset()
    ad_hoc_items: Rule | None = None
    anonymous: bool = False
    extra: dict = field(default_factory=dict)


K = Body.Kind
SPECS: dict[str, KindSpec] = {s.kind: s for s in [
    KindSpec(Kind.HEARING, (K.RESIDENTS_COMMITTEE,), Expected(given=True), notice=r.HEAR_NOTICE,
             quorum=r.HEAR_QUORUM, passing=r.HEAR_PASS, record=r.HEAR_RECORD, publish=r.HEAR_PUBLISH),
    KindSpec(Kind.DELIBERATION_COUNCIL, (K.DELIBERATION_COUNCIL,), Expected(), notice=r.DELIB_NOTICE,
             passing=r.DELIB_PASS, recorder=r.DELIB_RECORDER, record=r.MEETING_RECORD),
    KindSpec(Kind.EVALUATION_MEETING, (K.COMMUNITY_PARTY_ORG,), Expected(given=True), chair=r.EVAL_CHAIR,
             chair_roles=frozenset({Role.STREET_LIAISON_LEADER}), record=r.MEETING_RECORD, publish=r.EVAL_PUBLISH,
             anonymous=True),
    KindSpec(Kind.PWC_MEETING, (K.PARTY_WORKING_COMMITTEE,), Expected(roles=PWC_MEMBERS),
             notice=pwc.PWC_AGENDA_NOTICE, quorum=pwc.PWC_QUORUM, cadre_quorum=pwc.PWC_CADRE_QUORUM,
             passing=pwc.PWC_PASS, chair=pwc.PWC_CHAIR, chair_roles=frozenset({Role.PWC_SECRETARY}),
             recorder=pwc.PWC_RECORDER, record=r.MEETING_RECORD,
             ballot_required_for=frozenset({AgendaItem.ItemKind.MAJOR, AgendaItem.ItemKind.CADRE}),
             ad_hoc_items=pwc.PWC_AD_HOC_ITEM),
    KindSpec(Kind.TWO_COMMITTEES_JOINT_MEETING, (K.COMMUNITY_PARTY_ORG,),
             Expected(roles=PARTY_COMMITTEE, also_kinds=(K.RESIDENTS_COMMITTEE,), also_roles=RC_MEMBERS),
             quorum=r.JOINT_QUORUM, passing=r.JOINT_PASS, chair=r.JOINT_CHAIR,
             chair_roles=frozenset({Role.COMMUNITY_PARTY_SECRETARY}), record=r.MEETING_RECORD),
    KindSpec(Kind.COMMUNITY_WORK_JOINT_MEETING, (K.COMMUNITY_PARTY_ORG,),
             Expected(roles=frozenset({Role.COMMUNITY_PARTY_SECRETARY}),
                      also_kinds=(K.RESIDENTS_COMMITTEE, K.COMMUNITY_WORKSTATION, K.COMPREHENSIVE_GOVERNANCE_OFFICE),
                      also_roles=FOUR_HEADS), record=r.MEETING_RECORD),
    KindSpec(Kind.RESIDENT_REPRESENTATIVES_MEETING, (K.RESIDENT_REPRESENTATIVES_MEETING,), Expected(),
             quorum=r.RESIDENTS_QUORUM, passing=r.RESIDENTS_PASS, record=r.MEETING_RECORD),
    KindSpec(Kind.RESIDENTS_ASSEMBLY, (K.RESIDENTS_ASSEMBLY,), Expected(given=True),
             quorum=r.RESIDENTS_QUORUM, passing=r.RESIDENTS_PASS, record=r.MEETING_RECORD),
    KindSpec(Kind.MEMBER_CONGRESS, (K.COMMUNITY_MEMBER_REPRESENTATIVES_ASSEMBLY,), Expected(),
             quorum=r.CONGRESS_QUORUM, passing=r.CONGRESS_PASS, record=r.MEETING_RECORD),
    KindSpec(Kind.PARTY_ORG_COMMITTEE_MEETING, (K.COMMUNITY_PARTY_ORG,), Expected(roles=PARTY_COMMITTEE),
             notice=r.PARTY_COMMITTEE_NOTICE, quorum=r.PARTY_COMMITTEE_QUORUM, passing=r.PARTY_COMMITTEE_PASS,
             record=a.PARTY_COMMITTEE_RECORD),  # A-PARTY-09: 001's own minutes rule, not the street office's
    KindSpec(Kind.PARTY_MEMBERS_ASSEMBLY, (K.COMMUNITY_PARTY_ORG, K.PARTY_MEMBERS_ASSEMBLY), Expected(),
             passing=r.PARTY_MEMBERS_PASS, record=r.MEETING_RECORD),
    KindSpec(Kind.PARTY_GROUP_MEETING, (K.PARTY_GROUP, K.GRID_PARTY_GROUP, K.BUILDING_PARTY_GROUP,
                                        K.GRID_PARTY_BRANCH), Expected(), record=r.MEETING_RECORD),
    KindSpec(Kind.PARTY_LECTURE, (K.COMMUNITY_PARTY_ORG,), Expected(), record=r.MEETING_RECORD),
    KindSpec(Kind.DEMOCRATIC_LIFE_MEETING, (K.COMMUNITY_PARTY_ORG, K.PARTY_WORKING_COMMITTEE),
             Expected(roles=PARTY_COMMITTEE | PWC_MEMBERS), notice=r.DLM_REPORT_AHEAD, record=r.DLM_RECORD,
             extra={"theme": r.DLM_THEME}),
    KindSpec(Kind.ORGANIZATIONAL_LIFE_MEETING, (K.COMMUNITY_PARTY_ORG,), Expected(roles=PARTY_COMMITTEE),
             record=r.MEETING_RECORD),
    KindSpec(Kind.PARTY_BUILDING_WORK_MEETING, (K.PARTY_WORKING_COMMITTEE,), Expected(given=True),
             record=r.MEETING_RECORD),
    KindSpec(Kind.CENTRAL_GROUP_STUDY_SESSION, (K.PARTY_WORKING_COMMITTEE,), Expected(roles=PWC_MEMBERS),
             record=r.MEETING_RECORD),
    # The street office's meetings (A-MEET-01/02/03/10): no votes and no thresholds in seed 003; minutes are
    # required to close them (A-MEET-05).
    KindSpec(Kind.DIRECTOR_MEETING, (K.STREET_OFFICE,), Expected(roles=STREET_OFFICE_LEADERS),
             record=r.MEETING_RECORD),
    KindSpec(Kind.OFFICE_MEETING, (K.STREET_OFFICE,), Expected(given=True), record=r.MEETING_RECORD),
    KindSpec(Kind.SECTION_MEETING, SECTIONS, Expected(), record=r.MEETING_RECORD),
    *[KindSpec(kind, (K.STREET_OFFICE,), Expected(given=True), record=r.MEETING_RECORD) for kind in (
        Kind.ADMINISTRATIVE_REGULAR_MEETING, Kind.ZONGZHI_REGULAR_MEETING, Kind.COMMUNITY_WORK_REGULAR_MEETING,
        Kind.URBAN_MANAGEMENT_REGULAR_MEETING)],
]}
