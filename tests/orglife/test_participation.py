"""三会一课 compliance and members' participation over a year (R-MTG-01..05, R-EDU-02/03), and the scan's checks."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jiceng.accountability.checks import Scope
from jiceng.core.errors import RuleViolation
from jiceng.meetings import services as meetings
from jiceng.meetings.models import Kind
from jiceng.orglife import checks, participation, screenings
from jiceng.orglife.participation import MET, MISSED

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
D = datetime.date


def held(w, kind, day: datetime.date, present: int | None = None, title="会议"):
    at = datetime.datetime.combine(day, datetime.time(9), tzinfo=SH)
    meeting = meetings.create_meeting(w.worker_a, kind=kind, body=w.party_org, title=title, scheduled_at=at)
    meetings.add_item(w.worker_a, meeting, title=f"{title}议题")
    meetings.publish_notice(w.worker_a, meeting, published_at=at - datetime.timedelta(days=3))
    expected = list(meeting.attendance.filter(expected=True).order_by("person_id").values_list("person_id", flat=True))
    meetings.hold(w.worker_a, meeting, held_at=at, present=expected[: present or len(expected)],
                  chair=w.committee[0], recorder=w.committee[1])
    return meeting


def test_year_report_marks_each_period_and_counts_attendance(ol_world):
    w = ol_world
    held(w, Kind.PARTY_MEMBERS_ASSEMBLY, D(2025, 2, 10), present=5, title="一季度党员大会")
    held(w, Kind.PARTY_MEMBERS_ASSEMBLY, D(2025, 6, 30), title="二季度党员大会")
    report = participation.year_report(w.party_org, 2025, today=D(2026, 1, 5))
    assembly = next(d for d in report.duties if d.kind == Kind.PARTY_MEMBERS_ASSEMBLY)
    assert assembly.rule_id == "R-MTG-02"
    assert [p.state for p in assembly.periods] == [MET, MET, MISSED, MISSED]
    assert [t[1] for t in assembly.topics] == ["一季度党员大会", "二季度党员大会"]
    assert assembly.topics[0][2] == ["一季度党员大会议题"]
    committee = next(d for d in report.duties if d.kind == Kind.PARTY_ORG_COMMITTEE_MEETING)
    assert committee.missed == 12
    screening = next(d for d in report.duties if d.kind == participation.SCREENING)
    assert screening.rule_id == "R-EDU-02" and screening.missed == 12
    by_person = {m.person_id: m for m in report.members}
    expected_both = [m for m in report.members if m.expected == 2]
    assert expected_both
    present = sum(m.present for m in report.members)
    assert present == 5 + len(expected_both)
    assert all(by_person[m.person_id].rate in ("50%", "100%") for m in expected_both)


def test_current_period_is_open_not_missed(ol_world):
    report = participation.year_report(ol_world.party_org, 2026, today=D(2026, 11, 25))
    assembly = next(d for d in report.duties if d.kind == Kind.PARTY_MEMBERS_ASSEMBLY)
    assert [p.state for p in assembly.periods] == [MISSED, MISSED, MISSED, participation.OPEN]


@pytest.fixture
def film(ol_world):
    return screenings.add_film(ol_world.street_admin, area=ol_world.street, title="榜样的力量",
                               approved_on=D(2024, 1, 1))


def test_screening_needs_a_catalogue_film(ol_world, film):
    from jiceng.orglife.models import EducationFilm

    other = EducationFilm.objects.create(area=ol_world.b, title="无关录像", approved_on=D(2024, 1, 1))
    with pytest.raises(RuleViolation) as refused:
        screenings.record_screening(ol_world.worker_a, party_org=ol_world.party_org, held_on=D(2025, 3, 1),
                                    film=other, chair=ol_world.committee[0], attendees=[])
    assert refused.value.rule_id == "R-EDU-03" and refused.value.code == "content_not_approved"


def test_screening_chair_is_a_committee_member(ol_world, film):
    with pytest.raises(RuleViolation) as refused:
        screenings.record_screening(ol_world.worker_a, party_org=ol_world.party_org, held_on=D(2025, 3, 1),
                                    film=film, chair=ol_world.members[0], attendees=[])
    assert refused.value.rule_id == "R-EDU-02" and refused.value.code == "chair_not_committee_member"


def test_month_with_a_screening_is_met_and_not_flagged(ol_world, film):
    w = ol_world
    screenings.record_screening(w.worker_a, party_org=w.party_org, held_on=D(2025, 3, 31), film=film,
                                chair=w.committee[0], attendees=[p.pk for p in w.members[:4]])
    report = participation.year_report(w.party_org, 2025, today=D(2026, 1, 5))
    row = next(d for d in report.duties if d.kind == participation.SCREENING)
    assert row.periods[2].state == MET and row.missed == 11
    assert sum(m.screenings for m in report.members) == 4
    scope = Scope(communities=[w.a])
    assert list(checks.screening_missed(scope, D(2025, 4, 1))) == []  # March had one
    (found,) = checks.screening_missed(scope, D(2025, 5, 1))            # April had none
    assert found.rule_id == "R-EDU-02" and found.evidence["period_start"] == "2025-04-01"


def test_missing_evaluation_is_flagged_for_last_year(ol_world):
    (found,) = checks.evaluation_missing(Scope(communities=[ol_world.a]), timezone.localdate())
    assert found.rule_id == "R-DEMEV-01" and found.evidence["year"] == timezone.localdate().year - 1


@pytest.mark.parametrize(("count", "warned"), [(0, True), (1, False), (2, False), (3, True)])
def test_projectionists_one_or_two(ol_world, count, warned):
    w = ol_world
    warning = screenings.projectionist_warning(w.party_org, D(2025, 1, 1)) if count == 0 else None
    for person in w.members[:count]:
        _row, warning = screenings.appoint_projectionist(w.worker_a, party_org=w.party_org, person=person,
                                                         start_on=D(2025, 1, 1))
    assert (warning is not None) is warned
    if warned:
        assert warning.rule_id == "R-EDU-01" and warning.code == "projectionists_out_of_range"


def test_ending_the_only_projectionist_warns(ol_world):
    w = ol_world
    row, _warning = screenings.appoint_projectionist(w.worker_a, party_org=w.party_org, person=w.members[0],
                                                     start_on=D(2025, 1, 1))
    _row, warning = screenings.end_projectionist(w.worker_a, row, end_on=D(2025, 6, 30))
    assert warning.rule_id == "R-EDU-01"
    assert screenings.projectionist_warning(w.party_org, D(2025, 6, 30)) is None


def test_screening_and_evaluation_reminders_once_each_and_cancelled_when_met(ol_world, film):
    from jiceng.notify.models import Reminder
    from jiceng.orglife.reminders import evaluation_key, schedule_due_reminders, screening_key

    w = ol_world
    early = datetime.datetime(2025, 12, 23, 9, tzinfo=SH)   # 8 days before the month ends: evaluation only
    assert schedule_due_reminders(early) == 1
    assert Reminder.objects.filter(key=evaluation_key(w.party_org.pk, 2025)).exists()
    due = datetime.datetime(2025, 12, 24, 9, tzinfo=SH)     # 7 days before: the screening too
    assert schedule_due_reminders(due) == 1
    assert schedule_due_reminders(due) == 0                 # idempotent
    key = screening_key(w.party_org.pk, D(2025, 12, 1))
    reminder = Reminder.objects.get(key=key)
    assert reminder.rule_id == "R-EDU-02"
    assert reminder.sent_at is None and reminder.cancelled_at is None
    screenings.record_screening(w.worker_a, party_org=w.party_org, held_on=D(2025, 12, 24), film=film,
                                chair=w.committee[0], attendees=[])
    schedule_due_reminders(due + datetime.timedelta(hours=1))
    reminder.refresh_from_db()
    assert reminder.cancelled_at is not None  # met since it was scheduled: nothing to remind of
