"""Community A's party branch (from the disclosure fixture) with three full members on file, the street's working
committee with a secretary who has a login, and the district's numbers for what the seeds leave open (E-20): the
assembly's threshold (more than half of the members entitled) and twelve months of probation."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from jiceng.orgs.models import Body, Role
from jiceng.party import services
from jiceng.rules import services as rulebook
from tests import builders
from tests.disclosure.conftest import disc_world  # noqa: F401  (the fixture, shared)

D = datetime.date


@pytest.fixture
def party_world(disc_world):  # noqa: F811
    w = disc_world
    root = w.root
    pwc = builders.make_body(root, Body.Kind.PARTY_WORKING_COMMITTEE, w.street, "天津路街道党工委")
    pwc_secretary, pwc_member = builders.make_members(root, pwc, [Role.PWC_SECRETARY, Role.PWC_MEMBER], w.building_b)
    pwc_user = builders.make_user(root, "pwc", "street_admin", w.street, person=pwc_secretary)
    rulebook.adopt_version(root, district=w.district, effective_from=D(2020, 1, 1), overrides={
        "R-DEV-07/assembly_vote": {"threshold": {"share": "1/2", "base": "members_total", "strict": True}},
        "R-DEV-07/probation": {"months": 12},
        "R-WF-03/party_members_vote": {"threshold": {"share": "1/2", "base": "present", "strict": True}}})
    group = builders.make_body(root, Body.Kind.GRID_PARTY_GROUP, w.grid_a, "第一网格党小组", parent_body=w.party_org)
    sec = w.u.secretary
    memberships = w.party_org.memberships.filter(role=Role.PARTY_MEMBER).select_related("person").order_by("pk")
    full = [services.register(sec, person=m.person, community=w.a, status="full_member", applied_on=D(2019, 1, 1),
                              admitted_on=D(2019, 6, 1), full_on=D(2020, 6, 1), dues="12.00") for m in memberships]
    return SimpleNamespace(**vars(w), pwc=pwc, pwc_secretary=pwc_secretary, pwc_member=pwc_member, pwc_user=pwc_user,
                           group=group, full=full, sec=sec)


APPLIED, ACTIVIST, TARGET, APPROVED = D(2023, 1, 1), D(2024, 6, 1), D(2025, 6, 1), D(2025, 3, 15)


def applicant(w, name: str = "申请人", applied_on=APPLIED):
    person = builders.make_person(w.root, w.building_a, name)
    return services.register(w.sec, person=person, community=w.a, applied_on=applied_on)


def target(w, *, activist_on=ACTIVIST, target_on=TARGET, vetted=True, name="发展对象"):
    member = applicant(w, name)
    services.make_activist(w.sec, member, on=activist_on, sponsors=w.full[:2])
    services.make_target(w.sec, member, on=target_on)
    if vetted:
        services.record_vetting(w.sec, member, on=target_on, note="政治审查合格")
    member.refresh_from_db()
    return member


ADMISSION_MATERIALS = ["入党申请书", "入党志愿书", "政治审查材料", "培养考察材料"]


def probationary(w, *, approved_on=APPROVED, name="预备党员"):
    member = target(w, activist_on=D(2023, 1, 1), target_on=D(2024, 1, 2), name=name)
    services.start_notice(w.sec, member, stage="admission", started_on=approved_on - datetime.timedelta(days=10))
    services.record_vote(w.sec, member, stage="admission", on=approved_on - datetime.timedelta(days=2), yes=3,
                         entitled=3, materials=ADMISSION_MATERIALS)
    services.approve(w.pwc_user, member, stage="admission", approved_on=approved_on, approval_ref="天工发〔2025〕3号")
    member.refresh_from_db()
    return member
