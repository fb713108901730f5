"""The compliance scan: each check finds its breach and lets it go when cured; the scan is idempotent; findings
carry the responsibility chain (R-ORG-12) and stay within the user's scope."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from jiceng.accountability.models import Finding
from jiceng.accountability.scan import run_scan
from jiceng.archives.models import Record
from jiceng.audit import triggers
from jiceng.decisions import services as decisions
from jiceng.disclosure import feedback as fb
from jiceng.meetings import services as meetings
from jiceng.meetings.models import Kind
from jiceng.orgs.models import Area
from tests.decisions.conftest import held_item
from tests.disclosure.conftest import published_party


def ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def findings(check: str, **kw):
    return Finding.objects.filter(check_name=check, **kw)


def test_unanswered_feedback_is_found_once_and_cured_by_the_reply(acc_world):
    w = acc_world
    item = published_party(w)
    slip = fb.submit(community=w.a, board="party", item=item, kind="question", text="党费标准？",
                     received_at=ago(20), recorded_by=w.u.officer)
    first = run_scan(w.district)
    assert findings("disclosure.feedback_unanswered", status="open").count() == 1 and first["opened"] >= 1
    again = run_scan(w.district)
    assert again.get("opened", 0) == 0 and findings("disclosure.feedback_unanswered").count() == 1
    finding = findings("disclosure.feedback_unanswered").get()
    assert finding.rule_id == "A-OPEN-23" and finding.occurred_on == slip.due_on + datetime.timedelta(days=1)
    assert finding.specific_responsible == w.committee[0]  # the community party secretary (R-ORG-12)
    assert finding.first_responsible is not None and finding.first_responsible.memberships.filter(
        role="pwc_secretary").exists()
    fb.reply(w.u.officer, slip, text="按月工资收入比例交纳。")
    run_scan(w.district)
    finding.refresh_from_db()
    assert finding.status == "cured" and finding.closed_at is not None


def test_a_feedback_still_within_its_deadline_is_no_finding(acc_world):
    w = acc_world
    fb.submit(community=w.a, board="party", item=published_party(w), kind="question", text="?",
              received_at=ago(15), recorded_by=w.u.officer)  # due today: not yet late
    run_scan(w.district)
    assert not findings("disclosure.feedback_unanswered").exists()


def test_overdue_periodic_disclosures_are_found(acc_world):
    w = acc_world
    Area.objects.filter(pk=w.a.pk).update(opened_on=timezone.localdate() - datetime.timedelta(days=120))
    run_scan(w.district)
    rules = set(findings("disclosure.overdue").values_list("rule_id", flat=True))
    assert "R-DUES-04" in rules and "A-OPEN-06" in rules
    assert all(f.responsible_body is not None for f in findings("disclosure.overdue", area=w.a))


def test_an_override_stays_open_across_scans(acc_world):
    """ENFORCE-O passed with a reason raises a finding (rules-core §0.1) that no later scan cures."""
    from jiceng.orgs.models import Membership

    w = acc_world
    pwc = [m.person for m in Membership.objects.filter(body=w.pwc).order_by("pk")]
    meeting = meetings.create_meeting(w.street_admin, kind=Kind.PWC_MEETING, body=w.pwc, title="党工委会议",
                                      scheduled_at=ago(2))
    item = meetings.add_item(w.street_admin, meeting, title="道路改造方案", affects_residents=True)
    meetings.publish_notice(w.street_admin, meeting, published_at=ago(6))
    meetings.hold(w.street_admin, meeting, held_at=ago(2), present=[p.pk for p in pwc], chair=pwc[0],
                  recorder=pwc[1])
    meetings.record_vote(w.street_admin, item, method="show_of_hands", yes=len(pwc), override_reason="防汛抢险")
    run_scan(w.district)
    run_scan(w.district)
    found = findings("meetings.overrides", status="open").get()
    assert found.rule_id == "R-WF-16" and found.evidence["reason"] == "防汛抢险"


def test_a_refused_resolution_edit_becomes_a_finding(acc_world):
    w = acc_world
    matter = decisions.open_matter(w.worker_a, community=w.a, topic="T4", title="加装电梯", summary="申请加装电梯。",
                                   initiator="居民", occurred_at=ago(30))
    representatives = held_item(w, Kind.RESIDENT_REPRESENTATIVES_MEETING, w.representatives, days_ago=5)
    from jiceng.decisions.models import Matter

    Matter.objects.filter(pk=matter.pk).update(resolved_at=ago(5), resolution="同意")
    matter.refresh_from_db()
    with pytest.raises(Exception):  # noqa: B017  (the refusal itself is tested in tests/decisions)
        decisions.edit_resolution(w.worker_a, matter, text="改")
    run_scan(w.district)
    assert findings("decisions.resolution_edit_refused", rule_id="R-WF-13").count() == 1
    # the residents' vote on a T4 topic that no matter links is a decision outside the method (R-WF-01)
    assert findings("decisions.outside_method", subject_id=representatives.pk).exists()


def test_a_late_resolution_publication_is_found(acc_world):
    from jiceng.decisions.models import Matter

    w = acc_world
    matter = decisions.open_matter(w.worker_a, community=w.a, topic="T4", title="加装电梯", summary="申请。",
                                   initiator="居民", occurred_at=ago(30))
    Matter.objects.filter(pk=matter.pk).update(resolved_at=ago(8), resolution="同意", step="resolution")
    run_scan(w.district)
    assert findings("decisions.resolution_unpublished", rule_id="R-WF-09").count() == 1
    Matter.objects.filter(pk=matter.pk).update(resolved_at=ago(7))  # day 7 is still on time
    run_scan(w.district)
    assert findings("decisions.resolution_unpublished", status="cured").count() == 1


def test_an_altered_archive_record_is_found(acc_world):
    w = acc_world
    published_party(w)
    record = Record.objects.filter(dossier__area=w.a).first()
    with triggers.suspended(connection):
        Record.objects.filter(pk=record.pk).update(content='{"forged":true}')
    run_scan(w.district)
    assert findings("archives.integrity", rule_id="R-ACC-15").count() == 1


def test_a_community_worker_sees_only_their_own_findings(acc_world, api):
    w = acc_world
    item = published_party(w)
    fb.submit(community=w.a, board="party", item=item, kind="question", text="?", received_at=ago(20),
              recorded_by=w.u.officer)
    run_scan(w.district)
    mine = api(w.worker_a).get("/api/v1/findings").json()["items"]
    theirs = api(w.worker_b).get("/api/v1/findings").json()["items"]
    assert any(f["check"] == "disclosure.feedback_unanswered" for f in mine)
    assert all(f["area"]["id"] == w.b.pk for f in theirs)
    assert api(w.worker_b).post("/api/v1/scan", {"area": w.b.pk}).status_code == 403


def test_late_entry_is_judged_only_once_the_district_sets_the_lag(acc_world):
    """JC-SYS-01: a step entered 30 days after it happened; a 30-day lag is allowed, 29 is not."""
    from jiceng.rules import services as rulebook

    w = acc_world
    decisions.open_matter(w.worker_a, community=w.a, topic="T4", title="补录的事项", summary="九月登记的事项。",
                          initiator="居民", occurred_at=ago(30.5))
    run_scan(w.district)
    assert not findings("audit.late_entry").exists()  # no lag set: not judged
    rulebook.adopt_version(w.root, district=w.district, effective_from=datetime.date(2021, 1, 1),
                           overrides={"JC-SYS-01": {"days": 30}})
    run_scan(w.district)
    assert not findings("audit.late_entry").exists()  # 30 days is within 30
    rulebook.adopt_version(w.root, district=w.district, effective_from=datetime.date(2022, 1, 1),
                           overrides={"JC-SYS-01": {"days": 29}})
    run_scan(w.district)
    assert findings("audit.late_entry", rule_id="JC-SYS-01").exists()


def test_a_matter_closed_without_supervision_is_a_finding(acc_world):
    from jiceng.decisions.models import Matter

    w = acc_world
    matter = decisions.open_matter(w.worker_a, community=w.a, topic="T4", title="加装电梯", summary="申请。",
                                   initiator="居民", occurred_at=ago(30))
    Matter.objects.filter(pk=matter.pk).update(status="closed")
    run_scan(w.district)
    found = findings("decisions.unsupervised", rule_id="R-ACC-07").get()
    assert found.responsible_body.kind == "supervision_committee"


def test_unpublished_hearing_results_are_found_and_cured_by_publication(acc_world):
    """R-HEAR-15: day 7 after the hearing is on time, day 8 is a finding; publishing late cures it."""
    from jiceng.meetings.models import Meeting
    from tests import builders

    w = acc_world
    people = [builders.make_person(w.root, w.building_a, f"代表{i}") for i in range(5)]
    hearing = meetings.create_meeting(w.worker_a, kind="hearing", body=w.rc, title="加装电梯听证会",
                                      scheduled_at=ago(7), expected=[p.pk for p in people], subject_category="H2")
    for party, user in [("party_org", w.worker_a), ("residents_committee", w.worker_a),
                        ("street_office", w.street_admin)]:
        meetings.confirm_participants(user, hearing, party=party)
    meetings.publish_notice(w.worker_a, hearing, published_at=ago(11))
    meetings.hold(w.worker_a, hearing, held_at=ago(7), present=[p.pk for p in people[:4]], chair=people[0],
                  recorder=people[1])
    run_scan(w.district)
    assert not findings("meetings.results_unpublished").exists()  # day 7: still on time
    Meeting.objects.filter(pk=hearing.pk).update(held_at=ago(8), scheduled_at=ago(8))
    run_scan(w.district)
    finding = findings("meetings.results_unpublished", rule_id="R-HEAR-15").get()
    assert finding.status == "open" and finding.responsible_body == w.rc
    meetings.record_results_published(w.worker_a, Meeting.objects.get(pk=hearing.pk),
                                      published_on=timezone.localdate())
    run_scan(w.district)
    finding.refresh_from_db()
    assert finding.status == "cured"


def test_a_missed_meeting_period_stays_open_once_found(acc_world):
    """R-MTG: a body whose last period passed without its meeting; holding one later does not undo the miss."""
    w = acc_world
    Area.objects.filter(pk=w.a.pk).update(opened_on=datetime.date(2020, 1, 1))
    run_scan(w.district)
    missed = findings("meetings.cadence_missed", area=w.a)
    assert missed.exists()
    held_item(w, Kind.PARTY_ORG_COMMITTEE_MEETING, w.party_org, days_ago=1)
    run_scan(w.district)
    assert not missed.filter(status="cured").exists()


def test_a_party_organisation_whose_size_drifted_is_found_and_cured(acc_world):
    """R-ORG-03: the branch of A has 7 members (a 党支部 fits); recorded as a 党委 without approval it drifts."""
    from jiceng.orgs.models import Body

    w = acc_world
    Body.objects.filter(pk=w.party_org.pk).update(org_type="party_committee")
    run_scan(w.district)
    finding = findings("orgs.form_drift", rule_id="R-ORG-03").get()
    Body.objects.filter(pk=w.party_org.pk).update(org_type="party_branch")
    run_scan(w.district)
    finding.refresh_from_db()
    assert finding.status == "cured"


def test_an_overdue_disclosure_is_cured_by_a_late_publication(acc_world):
    w = acc_world
    first = timezone.localdate().replace(day=1)
    last_month = (first - datetime.timedelta(days=1)).replace(day=1)
    two_months_ago = (last_month - datetime.timedelta(days=1)).replace(day=1)
    Area.objects.filter(pk=w.a.pk).update(opened_on=two_months_ago)
    run_scan(w.district)
    overdue = findings("disclosure.overdue", rule_id="R-DUES-04", area=w.a).get()  # two months ago's dues
    assert overdue.evidence["period_start"] == two_months_ago.isoformat()
    published_party(w, period_start=two_months_ago, period_end=last_month - datetime.timedelta(days=1))
    run_scan(w.district)
    overdue.refresh_from_db()
    assert overdue.status == "cured"
