"""`jiceng demo --no-serve` builds the believable street office the README promises."""

import datetime
import json

import pytest
from django.core.management import call_command

from jiceng.accountability.models import Case, Finding
from jiceng.archives.models import Record
from jiceng.audit.chain import verify_chains
from jiceng.decisions.models import Matter
from jiceng.disclosure.models import DisclosureItem
from jiceng.disclosure.obligations import street_status
from jiceng.meetings.models import Meeting
from jiceng.orgs import idcard
from jiceng.orgs.models import Area, Body, Person
from jiceng.orgs.queries import drifted_party_orgs


@pytest.mark.django_db
def test_demo_builds_a_street_office_with_logins(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("demo", no_serve=True)

    communities = Area.objects.filter(level=Area.Level.COMMUNITY)
    assert communities.count() == 3
    forms = sorted(Body.objects.filter(kind=Body.Kind.COMMUNITY_PARTY_ORG).values_list("org_type", flat=True))
    assert forms == ["general_party_branch", "party_branch", "party_committee"]
    assert drifted_party_orgs(Body.objects.all(), datetime.date(2026, 11, 25)) == []
    assert 1400 <= Person.objects.count() <= 1600
    for number in Person.objects.values_list("id_number", flat=True)[:200]:
        idcard.parse(number)
    logins = json.loads((tmp_path / "demo-logins.json").read_text())
    assert {"username", "password", "role", "scope"} <= set(logins[0])
    assert logins[0]["username"] == "admin"
    assert len({login["role"] for login in logins}) >= 8
    assert Meeting.objects.filter(status=Meeting.Status.CLOSED).exists()
    assert Meeting.objects.filter(kind="evaluation_meeting", ballots__cast=True).exists()
    assert verify_chains() == []

    # Disclosure: 长春路 keeps both boards up to date and has corrected one item; 南昌路 is behind.
    on = datetime.date(2026, 11, 25)
    status = {s.community.name: s for s in street_status(list(communities), on)}
    assert not status["长春路社区"].behind and status["南昌路社区"].overdue > 0
    assert status["青岛路社区"].unanswered_overdue == 1
    changchun = DisclosureItem.objects.filter(community__name="长春路社区")
    assert {"party", "residents"} == set(changchun.filter(status="published").values_list("board", flat=True))
    assert changchun.filter(status="superseded", superseded_by__status="published").exists()
    assert Case.objects.filter(status="closed", published=True).exists()
    assert Case.objects.filter(status="decided", rectify_by__isnull=False).exists()
    assert Finding.objects.filter(area__name="南昌路社区", status="open").exists()
    elevator = Matter.objects.get(title="老旧小区3号楼加装电梯")
    assert elevator.step == "resolution_published" and elevator.resolution_item.status == "published"
    assert Matter.objects.get(template="village").step == "party_proposal"
    assert Matter.objects.get(title__startswith="小区停车").solicitation.is_open
    assert Record.objects.filter(kind="disclosure.published").count() == DisclosureItem.objects.exclude(
        published_at=None).count()

    # Party affairs: every stage of the pipeline, two members flagged for unpaid dues, mobile members.
    from jiceng.party.models import MobileEpisode, PartyMember

    stages = set(PartyMember.objects.values_list("status", flat=True))
    assert {"applicant", "activist", "development_target", "probationary_member", "full_member"} <= stages
    assert PartyMember.objects.filter(status="full_member").count() >= 200
    assert Finding.objects.filter(rule_id__startswith="R-DUES").count() >= 2
    assert MobileEpisode.objects.exists()

    # Organisational life: a closed evaluation round and an open one; commitments.
    from jiceng.orglife.models import Commitment, EvaluationRound

    assert EvaluationRound.objects.count() >= 2 and Commitment.objects.exists()

    # Finance: claims at every band, balanced journals, the director's own claim to the party secretary.
    from jiceng.finance import services as finance
    from jiceng.finance.models import Claim, Ledger, Statement

    assert {"approved", "paid", "rejected", "pending"} <= set(Claim.objects.values_list("status", flat=True))
    assert Claim.objects.filter(decision_required=True, level="street").exists()
    routes = Claim.objects.filter(status="approved", level="street").values_list("route", flat=True)
    assert any(route[-1] == "party_secretary" for route in routes)
    assert all(finance.verify_ledger(ledger) == [] for ledger in Ledger.objects.all())
    published = Statement.objects.filter(disclosure__status=DisclosureItem.Status.PUBLISHED).get()
    assert published.disclosure.tables[0]["kind"] == "finance"

    # Street administration and 综治: leave in each state, petitions (one overdue), disputes in every stage.
    from jiceng.office.models import LeaveRequest, Petition
    from jiceng.zongzhi.models import Dispute

    assert {"submitted", "filed", "returned"} <= set(LeaveRequest.objects.values_list("status", flat=True))
    assert Petition.objects.count() >= 4
    assert {"registered", "in_mediation", "escalated", "closed"} <= set(Dispute.objects.values_list("status",
                                                                                                  flat=True))
