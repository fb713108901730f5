"""Service commitments 「一定二审三公开」 (R-COMMIT-02..08)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiceng.audit.models import AuditEvent
from jiceng.core.errors import Conflict, IllegalTransition, PermissionDenied, RuleViolation
from jiceng.orglife import commitments as services
from jiceng.orglife.models import Commitment
from jiceng.rules import orglife as r
from tests.orglife.conftest import held_assembly

pytestmark = pytest.mark.django_db
Status = Commitment.Status


@pytest.mark.parametrize(("yes", "present", "passed"), [
    (15, 30, True),   # exactly half: 半数以上 includes it (AT-24)
    (14, 30, False),
    (15, 31, False),  # 30 < 31
    (16, 31, True),   # just above half
    (0, 0, False),
])
def test_approval_edges(yes, present, passed):
    outcome = r.COMMIT_APPROVAL.decide(r.COMMIT_APPROVAL.params, yes=yes, base=present)
    assert outcome.passed is passed


def draft(w, **kw):
    today = timezone.localdate()
    fields = {"party_org": w.party_org, "year": today.year, "committer_type": "member_without_post",
              "area": "sanitation", "title": "每周清扫楼道", "content": "每周六上午清扫1号楼楼道。",
              "person": w.members[0], "drafted_on": today - datetime.timedelta(days=10)}
    fields.update(kw)
    return services.draft_commitment(w.member_user, **fields)


def reviewed(w, **kw):
    today = timezone.localdate()
    c = draft(w, **kw)
    services.post_for_review(w.worker_a, c, posted_on=today - datetime.timedelta(days=9))
    return services.review(w.committee_user, c, reviewed_on=today - datetime.timedelta(days=5))


def test_member_drafts_own_commitment(ol_world):
    c = draft(ol_world)
    assert c.status == Status.DRAFTED and c.person == ol_world.members[0]
    assert AuditEvent.objects.filter(action="orglife.commitment_drafted").count() == 1


def test_area_must_fit_the_committer_type(ol_world):
    with pytest.raises(RuleViolation) as refused:
        draft(ol_world, area="labour_export")
    assert refused.value.rule_id == "R-COMMIT-02" and refused.value.code == "area_not_allowed"


def test_another_member_cannot_draft_for_someone(ol_world):
    with pytest.raises(PermissionDenied):
        draft(ol_world, person=ol_world.members[1])


def test_review_before_public_posting_is_refused(ol_world):
    c = draft(ol_world)
    with pytest.raises(RuleViolation) as refused:
        services.review(ol_world.committee_user, c, reviewed_on=timezone.localdate())
    assert refused.value.rule_id == "R-COMMIT-04" and refused.value.code == "public_review_missing"
    c.refresh_from_db()
    assert c.status == Status.DRAFTED


def test_members_commitment_is_reviewed_by_the_branch_committee(ol_world):
    c = draft(ol_world)
    services.post_for_review(ol_world.worker_a, c, posted_on=timezone.localdate() - datetime.timedelta(days=9))
    with pytest.raises(PermissionDenied) as refused:
        services.review(ol_world.pwc_user, c, reviewed_on=timezone.localdate())
    assert refused.value.rule == "R-COMMIT-05"
    c = services.review(ol_world.committee_user, c, reviewed_on=timezone.localdate())
    assert c.status == Status.ORGANISATIONALLY_REVIEWED


def test_branch_commitment_is_reviewed_by_the_superior_and_confirmed(ol_world):
    w = ol_world
    c = services.draft_commitment(w.worker_a, party_org=w.party_org, year=timezone.localdate().year,
                                  committer_type="branch", area="five_goods", title="创建五个好党组织",
                                  content="领导班子好……")
    services.post_for_review(w.worker_a, c, posted_on=timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.review(w.committee_user, c, reviewed_on=timezone.localdate())
    c = services.review(w.pwc_user, c, reviewed_on=timezone.localdate())
    assert c.status == Status.CONFIRMED and c.person is None


@pytest.mark.parametrize(("present", "yes", "confirmed"), [
    (4, 2, True),    # exactly half of those present
    (4, 1, False),
    (5, 2, False),   # 4 < 5
    (5, 3, True),    # just above half
])
def test_assembly_vote_at_the_edges(ol_world, present, yes, confirmed):
    c = reviewed(ol_world)
    meeting = held_assembly(ol_world, present=present)
    if confirmed:
        c = services.record_assembly_vote(ol_world.committee_user, c, meeting=meeting, yes=yes)
        assert c.status == Status.CONFIRMED and c.assembly_present == present and c.assembly_yes == yes
        return
    with pytest.raises(RuleViolation) as refused:
        services.record_assembly_vote(ol_world.committee_user, c, meeting=meeting, yes=yes)
    assert refused.value.rule_id == "R-COMMIT-05" and refused.value.code == "commitment_not_approved"
    c.refresh_from_db()
    assert c.status == Status.ORGANISATIONALLY_REVIEWED
    assert not AuditEvent.objects.filter(action="orglife.commitment_assembly_vote").exists()


def test_vote_on_an_unreviewed_commitment_names_its_state(ol_world):
    c = draft(ol_world)
    meeting = held_assembly(ol_world, present=4)
    with pytest.raises(IllegalTransition):
        services.record_assembly_vote(ol_world.committee_user, c, meeting=meeting, yes=4)


def confirmed(w):
    c = reviewed(w)
    return services.record_assembly_vote(w.committee_user, c, meeting=held_assembly(w, present=4), yes=4)


def test_three_channels_make_it_published(ol_world):
    c = confirmed(ol_world)
    today = timezone.localdate()
    services.record_publication(ol_world.worker_a, c, channel="assembly", occurred_on=today)
    c = services.record_publication(ol_world.worker_a, c, channel="written", occurred_on=today)
    assert c.status == Status.CONFIRMED
    with pytest.raises(Conflict):
        services.record_publication(ol_world.worker_a, c, channel="written", occurred_on=today)
    c = services.record_publication(ol_world.worker_a, c, channel="posting", occurred_on=today)
    assert c.status == Status.PUBLISHED and c.published_on == today


def published(w):
    c = confirmed(w)
    for channel in r.CHANNEL_LABELS:
        c = services.record_publication(w.worker_a, c, channel=channel, occurred_on=timezone.localdate())
    return c


def test_half_year_review_once_per_half_year(ol_world):
    c = published(ol_world)
    services.record_half_year_review(ol_world.committee_user, c, occurred_on=timezone.localdate(), comment="进展良好")
    with pytest.raises(Conflict):
        services.record_half_year_review(ol_world.committee_user, c, occurred_on=timezone.localdate(), comment="再评")


def test_appraisal_follows_self_mutual_assembly(ol_world):
    c = published(ol_world)
    today = timezone.localdate()
    with pytest.raises(RuleViolation) as refused:
        services.record_appraisal(ol_world.committee_user, c, step="mutual", occurred_on=today)
    assert refused.value.rule_id == "R-COMMIT-08"
    services.record_appraisal(ol_world.committee_user, c, step="self", occurred_on=today)
    services.record_appraisal(ol_world.committee_user, c, step="mutual", occurred_on=today)
    c = services.record_appraisal(ol_world.committee_user, c, step="assembly", occurred_on=today,
                                  grade="fairly_satisfied")
    assert c.status == Status.APPRAISED and c.appraisal_grade == "fairly_satisfied"


def test_quarterly_publicity_is_a_p04_party_disclosure_draft(ol_world):
    from jiceng.disclosure.obligations import obligations_for

    c = published(ol_world)
    item = services.draft_publicity(ol_world.u.officer, party_org=ol_world.party_org,
                                    period_start=timezone.localdate())
    assert item.category == "P04" and item.board == "party" and c.title in item.body
    start = item.period_start
    assert start.month in (1, 4, 7, 10) and start.day == 1
    rows = [o for o in obligations_for([ol_world.a], timezone.localdate())[ol_world.a.pk]
            if o.category == "P04" and o.period_start == start]
    assert rows and rows[0].rule_id == "R-COMMIT-07"


def test_published_commitment_without_half_year_review_is_flagged(ol_world):
    from jiceng.accountability.checks import Scope
    from jiceng.meetings.schedules import period_bounds
    from jiceng.orglife.checks import commitment_unreviewed

    c = published(ol_world)
    start, end = period_bounds("half_year", timezone.localdate())
    next_half = end + datetime.timedelta(days=1)
    scope = Scope(communities=[ol_world.a])
    assert list(commitment_unreviewed(scope, end)) == []  # the half-year has not ended yet
    (found,) = commitment_unreviewed(scope, next_half)
    assert found.rule_id == "R-COMMIT-07" and found.evidence["period_start"] == start.isoformat()
    services.record_half_year_review(ol_world.committee_user, c, occurred_on=timezone.localdate(), comment="好")
    assert list(commitment_unreviewed(scope, next_half)) == []


def test_third_commitment_of_a_year_is_allowed_with_a_warning(ol_world):
    first = draft(ol_world, title="一")
    second = draft(ol_world, title="二")
    third = draft(ol_world, title="三")
    assert first.warnings == [] and second.warnings == []
    assert third.warnings[0]["rule"] == "R-COMMIT-09" and third.warnings[0]["facts"]["count"] == 3


def test_vote_before_the_branch_review_is_refused(ol_world):
    c = draft(ol_world)
    services.post_for_review(ol_world.worker_a, c, posted_on=timezone.localdate() - datetime.timedelta(days=1))
    meeting = held_assembly(ol_world, present=4)
    with pytest.raises(IllegalTransition):
        services.record_assembly_vote(ol_world.committee_user, c, meeting=meeting, yes=4)
    c.refresh_from_db()
    assert c.status == Status.PUBLICLY_REVIEWED
