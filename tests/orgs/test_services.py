import datetime

import pytest

from jiceng.audit.models import AuditEvent
from jiceng.core.errors import Conflict, PermissionDenied, RuleViolation, ValidationFailed
from jiceng.orgs import services
from jiceng.orgs.models import Area, AreaChange, Body, Membership, Person
from jiceng.orgs.queries import drifted_party_orgs, members_on, party_member_count
from tests import builders

D = datetime.date


def party_members(world, n, area=None):
    return [builders.make_person(world.root, area or world.building_a, f"党员{i}",
                                 political_status="party_member") for i in range(n)]


def test_create_area_refuses_a_level_that_skips_one(world):
    with pytest.raises(ValidationFailed):
        services.create_area(world.root, code="X1", name="错层", level=Area.Level.BUILDING, parent=world.a)


def test_move_area_rewrites_the_subtree_and_keeps_history(world):
    c = builders.make_area(world.root, "新社区", Area.Level.COMMUNITY, world.street)
    services.move_area(world.root, world.grid_a, new_parent=c, occurred_on=D(2025, 6, 1), reason="区划调整")
    world.building_a.refresh_from_db()
    assert world.building_a.path.startswith(c.path)
    change = AreaChange.objects.get(area=world.grid_a, kind="moved")
    assert (change.old_parent, change.new_parent, change.occurred_on) == (world.a, c, D(2025, 6, 1))
    assert AuditEvent.objects.filter(action="orgs.area_moved", object_id=str(world.grid_a.pk)).exists()


def test_close_area_refuses_while_children_are_open_then_keeps_the_record(world):
    with pytest.raises(Conflict):
        services.close_area(world.root, world.grid_a, closed_on=D(2025, 1, 1))
    services.close_area(world.root, world.building_a, closed_on=D(2025, 1, 1))
    services.close_area(world.root, world.grid_a, closed_on=D(2025, 1, 1))
    assert Area.objects.filter(pk=world.grid_a.pk, closed_on=D(2025, 1, 1)).exists()
    assert not Area.objects.active(D(2025, 1, 2)).filter(pk=world.grid_a.pk).exists()
    assert Area.objects.active(D(2024, 12, 31)).filter(pk=world.grid_a.pk).exists()
    assert Person.objects.filter(pk=world.zhang.pk, area=world.building_a).exists()


def test_worker_of_a_cannot_create_area_in_b(world):
    with pytest.raises(PermissionDenied):
        services.create_area(world.worker_a, code="X2", name="网格", level=Area.Level.GRID, parent=world.b)


@pytest.mark.parametrize(("n", "org_type", "ok"), [
    (3, "party_branch", True), (2, "party_branch", False), (51, "party_branch", False),
    (50, "general_party_branch", True),
])
def test_create_party_org_checks_form_against_its_members(world, n, org_type, ok):
    members = party_members(world, n)
    kwargs = dict(name="党组织", kind=Body.Kind.COMMUNITY_PARTY_ORG, area=world.a, org_type=org_type,
                  members=members, opened_on=D(2024, 1, 1))
    if ok:
        body = services.create_body(world.root, **kwargs)
        assert party_member_count(body, D(2024, 1, 1)) == n
        return
    with pytest.raises(RuleViolation) as refused:
        services.create_body(world.root, **kwargs)
    assert refused.value.rule_id in {"R-ORG-03", "R-ORG-05"}
    assert not Body.objects.filter(kind=Body.Kind.COMMUNITY_PARTY_ORG).exists()  # nothing half-written
    assert not Membership.objects.exists()


def test_change_form_to_committee_needs_approval_below_101(world):
    body = services.create_body(world.root, name="党总支", kind=Body.Kind.COMMUNITY_PARTY_ORG, area=world.a,
                                org_type="general_party_branch", members=party_members(world, 60))
    with pytest.raises(RuleViolation) as refused:
        services.change_party_org_form(world.root, body, org_type="party_committee")
    assert refused.value.code == "committee_exception_requires_approval"
    body.refresh_from_db()
    assert body.org_type == "general_party_branch"
    services.change_party_org_form(world.root, body, org_type="party_committee", approval_ref="涧组〔2026〕3号",
                                   approval_on=D(2026, 3, 1), grounds="两新组织较多")
    body.refresh_from_db()
    assert body.org_type == "party_committee"


def test_drift_shows_an_organisation_that_outgrew_its_form(world):
    members = party_members(world, 50)
    body = services.create_body(world.root, name="党支部", kind=Body.Kind.COMMUNITY_PARTY_ORG, area=world.a,
                                org_type="party_branch", members=members, opened_on=D(2024, 1, 1))
    assert drifted_party_orgs(Body.objects.all(), D(2025, 1, 1)) == []
    newcomer = party_members(world, 1)[0]
    services.add_membership(world.root, person=newcomer, body=body, role="party_member", start_on=D(2025, 1, 1))
    assert drifted_party_orgs(Body.objects.all(), D(2024, 12, 31)) == []
    [row] = drifted_party_orgs(Body.objects.all(), D(2025, 1, 1))
    assert (row["body"], row["members"], row["fitting"]) == (body, 51, ["general_party_branch"])


def test_members_are_listed_as_of_a_date(world):
    body = services.create_body(world.root, name="居委会", kind=Body.Kind.RESIDENTS_COMMITTEE, area=world.a,
                                opened_on=D(2020, 1, 1))
    m = services.add_membership(world.root, person=world.zhang, body=body, role="rc_director",
                                start_on=D(2021, 1, 1))
    services.end_membership(world.root, m, end_on=D(2023, 12, 31))
    assert [x.person for x in members_on(body, D(2023, 12, 31))] == [world.zhang]
    assert list(members_on(body, D(2024, 1, 1))) == []
    assert list(members_on(body, D(2020, 12, 31))) == []


def test_overlapping_membership_in_same_role_is_refused(world):
    body = services.create_body(world.root, name="居委会", kind=Body.Kind.RESIDENTS_COMMITTEE, area=world.a,
                                opened_on=D(2020, 1, 1))
    services.add_membership(world.root, person=world.zhang, body=body, role="rc_member", start_on=D(2021, 1, 1))
    with pytest.raises(Conflict):
        services.add_membership(world.root, person=world.zhang, body=body, role="rc_member",
                                start_on=D(2022, 1, 1))


def test_create_person_derives_birth_date_and_search_keys(world):
    person = builders.make_person(world.root, world.building_a, "欧阳娜娜", gender="female",
                                  birth=D(1990, 2, 28))
    assert person.birth_date == D(1990, 2, 28)
    assert (person.name_pinyin, person.name_initials) == ("ouyangnana", "oynn")


def test_create_person_refuses_a_bad_check_digit_and_writes_nothing(world):
    good = builders.valid_id()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        services.create_person(world.root, name="王五", gender="male", id_number=bad, area=world.building_a)
    assert refused.value.code == "id_number_checksum"
    assert AuditEvent.objects.count() == before
    assert not Person.objects.filter(name="王五").exists()


def test_duplicate_id_number_is_a_conflict(world):
    with pytest.raises(Conflict):
        services.create_person(world.root, name="张三二", gender="male", id_number=world.zhang.id_number,
                               area=world.building_a)


def test_audit_of_a_person_never_holds_the_full_id_or_phone(world):
    event = AuditEvent.objects.get(action="orgs.person_created", object_id=str(world.zhang.pk))
    text = str(event.after)
    assert world.zhang.id_number not in text and "13812341234" not in text
    assert world.zhang.id_number[-4:] in text
