"""Recurring meeting obligations (issue #3 point 6): periods, counts, district versions, reminders, API, pages.

Dates are passed explicitly (`on`, `now`); nothing depends on the day the tests run."""

import datetime

import pytest
from django.urls import reverse

from jiceng.core.ticking import run_tick
from jiceng.meetings import schedules, services
from jiceng.meetings.models import Kind
from jiceng.notify.models import Notification, Reminder
from jiceng.orgs.models import Body, Role
from jiceng.rules.services import adopt_version
from tests import builders

from .conftest import TZ, at

D = datetime.date


@pytest.fixture
def branch(street_world):
    """street_world, with a committee in the party branch of community A (secretary and two members), and a
    login for the secretary."""
    w = street_world
    w.committee = builders.make_members(w.root, w.party_org, [Role.COMMUNITY_PARTY_SECRETARY,
                                                              Role.PARTY_ORG_COMMITTEE_MEMBER,
                                                              Role.PARTY_ORG_COMMITTEE_MEMBER], w.building_a)
    w.secretary_user = builders.make_user(w.root, "branch_secretary", "viewer", w.a, person=w.committee[0])
    return w


def held(w, body, kind, when: datetime.datetime, actor=None):
    """A meeting of `kind` noticed a week ahead and held at `when` with everyone expected present."""
    actor = actor or (w.street_staff if body.kind == Body.Kind.PARTY_WORKING_COMMITTEE else w.worker_a)
    meeting = services.create_meeting(actor, kind=kind, body=body, title=str(Kind(kind).label), scheduled_at=when,
                                      theme="转变作风" if kind == Kind.DEMOCRATIC_LIFE_MEETING else "")
    if kind == Kind.DEMOCRATIC_LIFE_MEETING:
        services.approve_theme(w.street_staff, meeting)
        services.report_to_superior(actor, meeting, reported_at=when - datetime.timedelta(days=10))
    services.publish_notice(actor, meeting, published_at=when - datetime.timedelta(days=7))
    present = list(meeting.attendance.filter(expected=True).values_list("person_id", flat=True))
    extra = {Kind.PWC_MEETING: {"chair": w.secretary, "recorder": w.pwc_members[1]},
             Kind.TWO_COMMITTEES_JOINT_MEETING: {"chair": getattr(w, "committee", [None])[0]}}.get(kind, {})
    return services.hold(actor, meeting, held_at=when, present=present, **extra)


def of(body, on: datetime.date, kind: str) -> schedules.Obligation:
    return next(o for o in schedules.obligations(body, on) if o.kind == kind)


# What each body owes --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "rules"), [
    (Body.Kind.COMMUNITY_PARTY_ORG, ["R-MTG-01", "R-MTG-02", "R-MTG-04", "R-MTG-05", "R-MTG-06", "R-MTG-07",
                                     "R-MTG-08", "R-EVAL-02"]),
    (Body.Kind.PARTY_WORKING_COMMITTEE, ["R-MTG-10", "R-MTG-09", "R-MTG-11"]),
    (Body.Kind.GRID_PARTY_GROUP, ["R-MTG-03"]),
    (Body.Kind.RESIDENTS_COMMITTEE, []),
])
def test_obligations_follow_the_body_kind(street_world, kind, rules):
    w = street_world
    body = {Body.Kind.COMMUNITY_PARTY_ORG: w.party_org, Body.Kind.PARTY_WORKING_COMMITTEE: w.pwc,
            Body.Kind.RESIDENTS_COMMITTEE: w.rc}.get(kind) or builders.make_body(w.root, kind, w.grid_a)
    assert [o.rule_id for o in schedules.obligations(body, D(2025, 4, 10))] == rules


def test_committee_meeting_held_in_march_meets_march_and_leaves_april_due(branch):
    held(branch, branch.party_org, Kind.PARTY_ORG_COMMITTEE_MEETING, at(D(2025, 3, 5)))
    march = of(branch.party_org, D(2025, 3, 20), Kind.PARTY_ORG_COMMITTEE_MEETING)
    assert (march.state, march.held, march.required) == ("met", 1, 1)
    assert (march.period_start, march.period_end) == (D(2025, 3, 1), D(2025, 3, 31))
    assert march.rule_id == "R-MTG-01" and "002-B" in march.citation
    april = of(branch.party_org, D(2025, 4, 10), Kind.PARTY_ORG_COMMITTEE_MEETING)
    assert (april.state, april.held, april.due_on, april.remind_on) == ("due", 0, D(2025, 4, 30), D(2025, 4, 23))
    assert april.previous.met and april.previous.start == D(2025, 3, 1)


def test_a_month_missed_makes_the_next_one_overdue_until_met(branch):
    """R-MTG-07: no two-committee joint meeting in March; on 10 April the obligation is overdue."""
    joint = of(branch.party_org, D(2025, 4, 10), Kind.TWO_COMMITTEES_JOINT_MEETING)
    assert joint.state == "overdue" and joint.rule_id == "R-MTG-07"
    assert (joint.previous.start, joint.previous.end, joint.previous.held) == (D(2025, 3, 1), D(2025, 3, 31), 0)


@pytest.mark.parametrize(("when", "q1", "q2"), [
    (datetime.datetime(2025, 3, 31, 23, 30, tzinfo=TZ), 1, 0),  # the last evening of Q1, local time
    (datetime.datetime(2025, 4, 1, 0, 30, tzinfo=TZ), 0, 1),    # still 31 March in UTC, but Q2 in Shanghai
])
def test_quarterly_assembly_counts_in_the_quarter_of_its_local_date(branch, when, q1, q2):
    held(branch, branch.party_org, Kind.PARTY_MEMBERS_ASSEMBLY, when)
    assembly = of(branch.party_org, D(2025, 4, 15), Kind.PARTY_MEMBERS_ASSEMBLY)
    assert (assembly.period_start, assembly.period_end) == (D(2025, 4, 1), D(2025, 6, 30))
    assert (assembly.previous.held, assembly.held) == (q1, q2)
    assert assembly.rule_id == "R-MTG-02" and assembly.remind_on == D(2025, 6, 16)


def test_assembly_of_the_areas_party_members_assembly_counts_for_the_branch(branch):
    w = branch
    assembly = builders.make_body(w.root, Body.Kind.PARTY_MEMBERS_ASSEMBLY, w.a, "长春路社区党员大会")
    builders.make_members(w.root, assembly, [Role.PARTY_MEMBER] * 3, w.building_a)
    elsewhere = builders.make_body(w.root, Body.Kind.PARTY_MEMBERS_ASSEMBLY, w.b, "青岛路社区党员大会")
    builders.make_members(w.root, elsewhere, [Role.PARTY_MEMBER] * 3, w.building_b)
    held(w, assembly, Kind.PARTY_MEMBERS_ASSEMBLY, at(D(2025, 5, 6)))
    held(w, elsewhere, Kind.PARTY_MEMBERS_ASSEMBLY, at(D(2025, 5, 7)), actor=w.worker_b)
    obligation = of(w.party_org, D(2025, 5, 20), Kind.PARTY_MEMBERS_ASSEMBLY)
    assert (obligation.state, obligation.held) == ("met", 1)


def test_cancelled_or_unheld_meetings_do_not_count(branch):
    w = branch
    meeting = services.create_meeting(w.worker_a, kind=Kind.PARTY_ORG_COMMITTEE_MEETING, body=w.party_org,
                                      title="支委会", scheduled_at=at(D(2025, 4, 8)))
    services.publish_notice(w.worker_a, meeting, published_at=at(D(2025, 4, 1)))
    assert of(w.party_org, D(2025, 4, 10), Kind.PARTY_ORG_COMMITTEE_MEETING).held == 0
    services.cancel_meeting(w.worker_a, meeting, reason="改期")
    assert of(w.party_org, D(2025, 4, 10), Kind.PARTY_ORG_COMMITTEE_MEETING).held == 0


def test_pwc_democratic_life_meeting_needs_two_a_year(street_world):
    """R-MTG-09 / R-PWC-23 (C-02): one held in 2025 leaves the obligation due; a second meets it."""
    w = street_world
    held(w, w.pwc, Kind.DEMOCRATIC_LIFE_MEETING, at(D(2024, 6, 12)))
    held(w, w.pwc, Kind.DEMOCRATIC_LIFE_MEETING, at(D(2024, 12, 12)))
    held(w, w.pwc, Kind.DEMOCRATIC_LIFE_MEETING, at(D(2025, 3, 10)))
    dlm = of(w.pwc, D(2025, 6, 1), Kind.DEMOCRATIC_LIFE_MEETING)
    assert (dlm.rule_id, dlm.period, dlm.required, dlm.held, dlm.state) == ("R-MTG-09", "year", 2, 1, "due")
    assert (dlm.period_start, dlm.period_end, dlm.remind_on) == (D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 1))
    assert dlm.previous.met and dlm.previous.held == 2
    held(w, w.pwc, Kind.DEMOCRATIC_LIFE_MEETING, at(D(2025, 5, 20)))
    assert of(w.pwc, D(2025, 6, 1), Kind.DEMOCRATIC_LIFE_MEETING).state == "met"


def test_a_community_democratic_life_meeting_does_not_count_for_the_pwc(branch):
    held(branch, branch.party_org, Kind.DEMOCRATIC_LIFE_MEETING, at(D(2025, 3, 10)))
    assert of(branch.pwc, D(2025, 6, 1), Kind.DEMOCRATIC_LIFE_MEETING).held == 0
    assert of(branch.party_org, D(2025, 6, 1), Kind.DEMOCRATIC_LIFE_MEETING).held == 1


def test_district_version_makes_the_community_democratic_life_meeting_yearly(branch):
    """C-01: half-yearly by default (002-B 三1); a district under 004 第二十二条 sets it yearly."""
    w = branch
    held(w, w.party_org, Kind.DEMOCRATIC_LIFE_MEETING, at(D(2025, 3, 10)))
    default = of(w.party_org, D(2025, 8, 1), Kind.DEMOCRATIC_LIFE_MEETING)
    assert (default.rule_id, default.period, default.period_start, default.held, default.state) == (
        "R-MTG-08", "half_year", D(2025, 7, 1), 0, "due")
    assert default.current.rulebook_version == "default"
    adopt_version(w.root, district=w.district, effective_from=D(2025, 1, 1),
                  overrides={"R-MTG-08": {"period": "year"}})
    yearly = of(w.party_org, D(2025, 8, 1), Kind.DEMOCRATIC_LIFE_MEETING)
    assert (yearly.period, yearly.period_start, yearly.period_end, yearly.held, yearly.state) == (
        "year", D(2025, 1, 1), D(2025, 12, 31), 1, "met")
    assert yearly.current.rulebook_version == f"{w.district.code}@2025-01-01"
    # 2024 is judged by the default then in force: its second half-year.
    assert (yearly.previous.period, yearly.previous.start) == ("half_year", D(2024, 7, 1))


def test_comprehensive_evaluation_is_due_in_december_with_a_reminder_from_november(street_world):
    evaluation = of(street_world.party_org, D(2025, 11, 5), Kind.EVALUATION_MEETING)
    assert (evaluation.rule_id, evaluation.period_start, evaluation.period_end) == (
        "R-EVAL-02", D(2025, 1, 1), D(2025, 12, 31))
    assert (evaluation.current.counts_from, evaluation.remind_on) == (D(2025, 12, 1), D(2025, 11, 1))


def test_a_body_opened_during_the_previous_period_is_not_overdue(street_world):
    w = street_world
    group = builders.make_body(w.root, Body.Kind.GRID_PARTY_GROUP, w.grid_a, "第一网格党小组",
                               opened_on=D(2025, 3, 15))
    meeting = of(group, D(2025, 4, 10), Kind.PARTY_GROUP_MEETING)
    assert (meeting.rule_id, meeting.state, meeting.previous) == ("R-MTG-03", "due", None)
    assert schedules.obligations(group, D(2025, 3, 1)) == []  # not yet open


def test_obligations_of_a_body_take_a_fixed_number_of_queries(branch, django_assert_max_num_queries):
    body = Body.objects.select_related("area").get(pk=branch.party_org.pk)
    with django_assert_max_num_queries(2):  # the district's versions, and one aggregate over meetings
        assert len(schedules.obligations(body, D(2025, 4, 10))) == 8


def test_overdue_bodies_takes_a_fixed_number_of_queries(branch, django_assert_max_num_queries):
    w = branch
    held(w, w.party_org, Kind.TWO_COMMITTEES_JOINT_MEETING, at(D(2025, 3, 20)))
    for i in range(4):
        builders.make_body(w.root, Body.Kind.GRID_PARTY_GROUP, w.grid_b, f"党小组{i}")
    with django_assert_max_num_queries(3):  # bodies, versions, meetings
        rows = schedules.overdue_bodies(Body.objects.all(), D(2025, 4, 10))
    behind = {row.body.name: sorted(o.rule_id for o in row.obligations) for row in rows}
    assert "R-MTG-07" not in behind[w.party_org.name]  # held in March
    assert behind[w.party_org.name] == ["R-EVAL-02", "R-MTG-01", "R-MTG-02", "R-MTG-04", "R-MTG-05",
                                        "R-MTG-06", "R-MTG-08"]
    assert behind["党小组0"] == ["R-MTG-03"]


def test_overdue_bodies_can_include_those_that_have_caught_up(branch):
    w = branch
    held(w, w.party_org, Kind.PARTY_ORG_COMMITTEE_MEETING, at(D(2025, 4, 3)))  # none in March, one in April

    def rules(rows):
        return {o.rule_id for row in rows if row.body == w.party_org for o in row.obligations}

    assert "R-MTG-01" not in rules(schedules.overdue_bodies(Body.objects.all(), D(2025, 4, 10)))
    caught_up = rules(schedules.overdue_bodies(Body.objects.all(), D(2025, 4, 10), include_caught_up=True))
    assert "R-MTG-01" in caught_up


# Reminders ------------------------------------------------------------------------------------------------

def committee_key(w, start: str, suffix: str = "") -> str:
    return f"R-MTG-01:body:{w.party_org.pk}:{start}{suffix}"


def test_reminder_is_sent_once_across_two_ticks(branch, django_capture_on_commit_callbacks):
    w = branch
    held(w, w.party_org, Kind.PARTY_ORG_COMMITTEE_MEETING, at(D(2025, 3, 5)))
    now = at(D(2025, 4, 25))
    with django_capture_on_commit_callbacks(execute=True):
        first = run_tick(now)
    with django_capture_on_commit_callbacks(execute=True):
        second = run_tick(now + datetime.timedelta(hours=1))
    # Other ticks (disclosure obligations …) schedule reminders of their own; these are the meetings' ones.
    assert first["meetings.schedules"] == Reminder.objects.filter(key__contains=":body:").count() > 0
    assert second["meetings.schedules"] == 0
    reminder = Reminder.objects.get(key=committee_key(w, "2025-04-01"))
    assert reminder.sent_at is not None and reminder.deadline_on == D(2025, 4, 30)
    sent = Notification.objects.filter(rule_id="R-MTG-01").select_related("recipient")
    # The branch secretary and the community's worker; not community B's worker, nor the street.
    assert sorted(n.recipient.username for n in sent) == ["branch_secretary", "worker_a"]
    note = sent[0]
    assert note.title == "提醒：本月支委会尚未召开"
    assert "R-MTG-01" in note.body and "002-B" in note.body and "2025-04-30" in note.body
    assert note.link == f"/bodies/{w.party_org.pk}/#obligations"
    assert not Reminder.objects.filter(key=committee_key(w, "2025-03-01", ":overdue")).exists()  # March was met


def test_no_reminder_before_the_reminder_date(branch):
    schedules.schedule_due_reminders(at(D(2025, 4, 22)))
    assert not Reminder.objects.filter(key=committee_key(branch, "2025-04-01")).exists()


def test_overdue_reminder_after_the_period_ended_unmet(branch, django_capture_on_commit_callbacks):
    w = branch
    with django_capture_on_commit_callbacks(execute=True):
        run_tick(at(D(2025, 5, 2)))
    overdue = Reminder.objects.get(key=committee_key(w, "2025-04-01", ":overdue"))
    assert overdue.sent_at is not None and overdue.title == "逾期：上月支委会未按规定召开"
    assert "2025-04-01至2025-04-30" in overdue.body and "实际召开0次" in overdue.body
    assert not Reminder.objects.filter(key=committee_key(w, "2025-05-01")).exists()  # May's comes on the 24th
    with django_capture_on_commit_callbacks(execute=True):
        run_tick(at(D(2025, 5, 3)))
    assert Notification.objects.filter(title="逾期：上月支委会未按规定召开").count() == 2  # two recipients, once


def test_reminder_pending_when_the_meeting_is_held_is_cancelled(branch):
    w = branch
    schedules.schedule_due_reminders(at(D(2025, 4, 25)))  # scheduled; the reminder tick has not sent it yet
    held(w, w.party_org, Kind.PARTY_ORG_COMMITTEE_MEETING, at(D(2025, 4, 26)))
    schedules.schedule_due_reminders(at(D(2025, 4, 26), 18))
    assert Reminder.objects.get(key=committee_key(w, "2025-04-01")).cancelled_at is not None


# API ------------------------------------------------------------------------------------------------------

def test_body_obligations_api(api, branch):
    w = branch
    held(w, w.party_org, Kind.PARTY_ORG_COMMITTEE_MEETING, at(D(2025, 3, 5)))
    response = api(w.worker_a).get(f"/api/v1/bodies/{w.party_org.pk}/obligations", on="2025-04-10")
    assert response.status_code == 200
    committee = next(o for o in response.json() if o["kind"] == "party_org_committee_meeting")
    assert committee | {"citation": "", "summary": "", "summary_en": "", "kind_label": ""} == {
        "kind": "party_org_committee_meeting", "kind_label": "", "rule": "R-MTG-01", "citation": "", "summary": "",
        "summary_en": "", "period": "month", "period_start": "2025-04-01", "period_end": "2025-04-30",
        "counts_from": "2025-04-01", "required": 1, "held": 0, "state": "due", "due_on": "2025-04-30",
        "remind_on": "2025-04-23", "rulebook_version": "default",
        "previous": {"period": "month", "period_start": "2025-03-01", "period_end": "2025-03-31",
                     "counts_from": "2025-03-01", "required": 1, "held": 1, "met": True,
                     "rulebook_version": "default"}}


def test_body_obligations_api_is_404_outside_scope(api, branch):
    response = api(branch.worker_b).get(f"/api/v1/bodies/{branch.party_org.pk}/obligations", on="2025-04-10")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_overdue_api_lists_the_bodies_behind_in_an_area(api, branch):
    w = branch
    response = api(w.street_admin).get("/api/v1/obligations/overdue", area=w.street.pk, on="2025-04-10")
    assert response.status_code == 200
    items = {row["body"]["id"]: row for row in response.json()["items"]}
    assert set(items) == {w.party_org.pk, w.pwc.pk}
    assert items[w.party_org.pk]["body"]["area"]["id"] == w.a.pk
    assert all(o["state"] == "overdue" for o in items[w.pwc.pk]["obligations"])
    only_a = api(w.street_admin).get("/api/v1/obligations/overdue", area=w.a.pk, on="2025-04-10").json()
    assert [row["body"]["id"] for row in only_a["items"]] == [w.party_org.pk]


def test_overdue_api_keeps_to_the_callers_scope(api, branch):
    w = branch
    assert api(w.worker_b).get("/api/v1/obligations/overdue", area=w.a.pk, on="2025-04-10").status_code == 404
    assert api(w.worker_b).get("/api/v1/obligations/overdue", on="2025-04-10").json()["items"] == []


# Pages ----------------------------------------------------------------------------------------------------

def test_body_page_shows_the_obligations_panel(client, branch):
    w = branch
    held(w, w.party_org, Kind.PARTY_ORG_COMMITTEE_MEETING, at(D(2025, 3, 5)))
    client.force_login(w.worker_a)
    page = client.get(reverse("web:body", args=[w.party_org.pk]), {"on": "2025-03-20"}).content.decode()
    assert 'id="obligations"' in page and "R-MTG-01" in page and "R-EVAL-02" in page
    assert '<span class="tag ok">已完成</span>' in page and '<span class="tag closed">逾期</span>' in page
    plain = client.get(reverse("web:body", args=[w.rc.pk])).content.decode()
    assert 'id="obligations"' not in plain  # a residents committee has no recurring meetings here


def test_overdue_page_shows_who_is_behind_in_scope(client, branch, django_assert_max_num_queries):
    w = branch
    client.force_login(w.street_admin)
    url = reverse("web:overdue_obligations")
    with django_assert_max_num_queries(12):
        page = client.get(url, {"on": "2025-04-10"}).content.decode()
    assert w.party_org.name in page and w.pwc.name in page and "R-MTG-10" in page
    client.force_login(w.worker_b)
    page = client.get(url, {"on": "2025-04-10"}).content.decode()
    assert w.party_org.name not in page and "没有逾期未召开的定期会议" in page
