"""Mobile members: registration, disposition by time away (AT-23), temporary branches, return check."""

from __future__ import annotations

import pytest

from jiceng.core.errors import Conflict, RuleViolation
from jiceng.orgs.models import Membership
from jiceng.party import services
from jiceng.party.models import MobileEpisode, PartyMember
from tests import builders

from .conftest import D

BASE = {"reason": "外出务工", "place": "深圳市南山区", "place_known": True, "contact": "13800001111"}


def _full(w, name):
    person = builders.make_person(w.root, w.building_a, name)
    return services.register(w.sec, person=person, community=w.a, status="full_member", applied_on=D(2015, 1, 1),
                             admitted_on=D(2020, 3, 1), full_on=D(2021, 3, 1))


def test_eight_months_with_certificate_is_refused(party_world):
    w = party_world
    member = _full(w, "外出甲")
    with pytest.raises(RuleViolation) as refused:
        services.register_departure(w.sec, member, left_on=D(2025, 1, 10), return_on=D(2025, 9, 10),
                                    disposition="certificate", **BASE)
    assert refused.value.code == "wrong_mobile_disposition"
    assert not MobileEpisode.objects.exists()


def test_four_months_certificate_accepted(party_world):
    w = party_world
    member = _full(w, "外出乙")
    episode = services.register_departure(w.sec, member, left_on=D(2025, 1, 10), return_on=D(2025, 5, 10),
                                          disposition="certificate", **BASE)
    assert episode.status == MobileEpisode.Status.AWAY


def test_unknown_place_gets_a_card(party_world):
    w = party_world
    member = _full(w, "外出丙")
    episode = services.register_departure(w.sec, member, left_on=D(2025, 1, 10), return_on=None, disposition="card",
                                          **{**BASE, "place": "", "place_known": False})
    assert episode.disposition == "card"


def test_exactly_six_months_certificate_accepted_transfer_moves_member_out(party_world):
    w = party_world
    member = _full(w, "外出丁")
    services.register_departure(w.sec, member, left_on=D(2025, 1, 10), return_on=D(2025, 7, 10),
                                disposition="certificate", **BASE)
    other = _full(w, "外出戊")
    episode = services.register_departure(w.sec, other, left_on=D(2025, 1, 10), return_on=D(2025, 7, 11),
                                          disposition="transfer", **BASE)
    other.refresh_from_db()
    assert episode.status == MobileEpisode.Status.TRANSFERRED
    assert other.status == PartyMember.Status.TRANSFERRED_OUT
    assert not Membership.objects.on(D(2025, 1, 11)).filter(person=other.person, body=w.party_org).exists()


def test_registration_requires_contact(party_world):
    w = party_world
    member = _full(w, "外出己")
    with pytest.raises(RuleViolation) as refused:
        services.register_departure(w.sec, member, left_on=D(2025, 1, 10), return_on=D(2025, 3, 10),
                                    disposition="certificate", **{**BASE, "contact": ""})
    assert refused.value.code == "registration_incomplete" and refused.value.facts["missing"] == ["contact"]


@pytest.mark.parametrize(("count", "due"), [(2, False), (3, True)])
def test_temporary_branch_reminder_from_three(party_world, count, due):
    w = party_world
    episodes = [services.register_departure(w.sec, _full(w, f"同去{i}"), left_on=D(2025, 2, 1),
                                            return_on=D(2025, 5, 1), disposition="certificate",
                                            **{**BASE, "place": "苏州 工业园区"}) for i in range(count)]
    result = services.temporary_branch_due(episodes[-1])
    assert result["count"] == count and result["due"] is due


def test_return_needs_check_record(party_world):
    w = party_world
    member = _full(w, "返回者")
    episode = services.register_departure(w.sec, member, left_on=D(2025, 1, 10), return_on=D(2025, 5, 10),
                                          disposition="certificate", **BASE)
    services.report_in(w.sec, episode, on=D(2025, 1, 20), inflow_org="南山区某街道党工委")
    services.record_change(w.sec, episode, on=D(2025, 2, 1), contact="13900002222")
    with pytest.raises(RuleViolation) as refused:
        services.record_return(w.sec, episode, returned_on=D(2025, 5, 12), check_note=" ")
    assert refused.value.code == "return_check_missing"
    services.record_return(w.sec, episode, returned_on=D(2025, 5, 12),
                           check_note="查验党员证明信，流入地党组织评价良好，按时参加组织生活")
    episode.refresh_from_db()
    assert episode.status == MobileEpisode.Status.RETURNED and len(episode.changes) == 1
    with pytest.raises(Conflict):
        services.record_return(w.sec, episode, returned_on=D(2025, 5, 13), check_note="再次")
