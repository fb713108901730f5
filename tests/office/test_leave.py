"""Leave requests through the services and the API: routing, approval by the post holder, filing, return, and
the scan findings (A-LEAVE-01..06, 11)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiceng.audit.models import AuditEvent
from jiceng.core.errors import IllegalTransition, PermissionDenied, RuleViolation, ValidationFailed
from jiceng.office import checks, services
from jiceng.office.models import LeaveRequest
from jiceng.rules import office as r
from jiceng.rules import services as rulebook

D = datetime.date


def _leave(w, who: str, days, start=None):
    start = start or timezone.localdate() + datetime.timedelta(days=7)
    return services.request_leave(getattr(w.u, who), person=getattr(w.p, who), start_on=start, days=days,
                                  reason="家中有事")


def test_staff_four_days_go_to_the_secretary_not_the_director(office_world):
    """AS-01."""
    w = office_world
    leave = _leave(w, "staff", 4)
    assert leave.route == [r.PARTY_SECRETARY]
    with pytest.raises(PermissionDenied):
        services.approve_leave(w.u.director, leave)
    services.approve_leave(w.u.secretary, leave, note="同意")
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.FILED and leave.filed_at is not None
    assert AuditEvent.objects.filter(action="office.leave_approved").count() == 1


def test_staff_three_days_go_to_the_director(office_world):
    w = office_world
    leave = _leave(w, "staff", 3)
    assert leave.route == [r.DIRECTOR]
    with pytest.raises(PermissionDenied):
        services.approve_leave(w.u.secretary, leave)
    services.approve_leave(w.u.director, leave)
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.FILED


def test_district_boundary_is_applied_and_version_recorded(office_world):
    """AS-02 (b)."""
    w = office_world
    rulebook.adopt_version(w.root, district=w.district, effective_from=D(2020, 1, 1),
                           overrides={"A-LEAVE-02": {"lower_max_days": 2}})
    leave = _leave(w, "staff", 3)
    assert leave.route == [r.PARTY_SECRETARY] and leave.rulebook_version.endswith("2020-01-01")


def test_deputy_half_day_goes_to_the_secretary(office_world):
    """AS-02 (c)."""
    leave = _leave(office_world, "deputy", "0.5")
    assert leave.route == [r.PARTY_SECRETARY] and leave.written and leave.file_with_office


def test_committee_director_half_day_needs_no_street_approval(office_world):
    """AS-03 (b)."""
    leave = _leave(office_world, "vrc_director", "0.5")
    assert leave.route == [] and leave.status == LeaveRequest.Status.APPROVED and not leave.file_with_office


def test_committee_member_two_days_approved_by_own_principal(office_world):
    """AS-03 (c): the committee's secretary or director approves; no street filing."""
    w = office_world
    leave = _leave(w, "vrc_member", 2)
    assert leave.route == [r.VRC_PRINCIPAL]
    with pytest.raises(PermissionDenied):
        services.approve_leave(w.u.director, leave)
    services.approve_leave(w.u.vrc_director, leave)
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED


def test_committee_member_five_days_go_to_the_street_director_and_are_filed(office_world):
    """AS-03 (d)."""
    w = office_world
    leave = _leave(w, "vrc_member", 5)
    services.approve_leave(w.u.director, leave)
    leave.refresh_from_db()
    assert leave.route == [r.DIRECTOR] and leave.status == LeaveRequest.Status.FILED


def test_principal_leader_leave_goes_to_the_district_approver(office_world):
    w = office_world
    leave = _leave(w, "director", 2)
    assert leave.route == [r.DISTRICT_APPROVER]
    services.approve_leave(w.u.district_leader, leave)
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.FILED


def test_rejection_ends_the_request_and_second_decision_is_a_conflict(office_world):
    w = office_world
    leave = _leave(w, "staff", 2)
    services.reject_leave(w.u.director, leave, note="工作忙")
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.REJECTED
    with pytest.raises(IllegalTransition):
        services.approve_leave(w.u.director, leave)


def test_request_without_reason_or_days_is_refused(office_world):
    w = office_world
    start = timezone.localdate()
    with pytest.raises(ValidationFailed):
        services.request_leave(w.u.staff, person=w.p.staff, start_on=start, days=2, reason=" ")
    for bad in (0, -1, "0.3", "abc"):
        with pytest.raises(ValidationFailed):
            services.request_leave(w.u.staff, person=w.p.staff, start_on=start, days=bad, reason="事")


def test_person_without_post_cannot_request(office_world):
    w = office_world
    with pytest.raises(ValidationFailed) as refused:
        services.request_leave(w.street_admin, person=w.zhang, start_on=timezone.localdate(), days=1, reason="事")
    assert refused.value.code == "no_post"


def test_worker_of_another_unit_cannot_request_for_someone(office_world):
    w = office_world
    with pytest.raises(PermissionDenied):
        services.request_leave(w.worker_b, person=w.p.staff, start_on=timezone.localdate(), days=1, reason="事")


def test_rostered_duty_blocks_approval_until_swapped(office_world):
    """A-LEAVE-11."""
    from jiceng.office.models import DutyOfficer, DutyShift

    w = office_world
    start = timezone.localdate() + datetime.timedelta(days=7)
    shift = DutyShift.objects.create(area=w.street, day=start, leader=w.p.deputy, leader_phone="13900000000")
    officer = DutyOfficer.objects.create(shift=shift, person=w.p.staff, phone="13900000001")
    leave = _leave(w, "staff", 1, start)
    with pytest.raises(RuleViolation) as refused:
        services.approve_leave(w.u.director, leave)
    assert refused.value.rule_id == "A-LEAVE-11"
    officer.status = DutyOfficer.Status.SUBSTITUTED
    officer.save()
    services.approve_leave(w.u.director, LeaveRequest.objects.get(pk=leave.pk))
    assert LeaveRequest.objects.get(pk=leave.pk).status == LeaveRequest.Status.FILED


def _findings(check_fn, w, today):
    from jiceng.accountability.checks import Scope

    return list(check_fn(Scope(streets=[w.street], communities=[w.a]), today))


def test_overdue_return_flagged_the_day_after_due(office_world):
    """AS-04: leave ends Fri 7 Jun 2024, return due Tue 11 Jun; flagged on 12 Jun, not on 11 Jun."""
    w = office_world
    leave = services.request_leave(w.u.staff, person=w.p.staff, start_on=D(2024, 6, 3), days=5, reason="探亲")
    assert (leave.end_on, leave.return_due_on) == (D(2024, 6, 7), D(2024, 6, 11))
    services.approve_leave(w.u.secretary, leave)
    assert _findings(checks.overdue_return, w, D(2024, 6, 11)) == []
    found = _findings(checks.overdue_return, w, D(2024, 6, 12))
    assert [f.rule_id for f in found] == ["A-LEAVE-06"]
    services.record_return(w.u.staff, leave, returned_on=D(2024, 6, 11))
    assert _findings(checks.overdue_return, w, D(2024, 6, 12)) == []
    assert _findings(checks.late_return, w, D(2024, 6, 12)) == []


def test_late_return_stays_on_record(office_world):
    w = office_world
    leave = services.request_leave(w.u.staff, person=w.p.staff, start_on=D(2024, 6, 3), days=5, reason="探亲")
    services.approve_leave(w.u.secretary, leave)
    services.record_return(w.u.staff, leave, returned_on=D(2024, 6, 12))
    assert [f.rule_id for f in _findings(checks.late_return, w, D(2024, 6, 13))] == ["A-LEAVE-06"]


def test_unapproved_leave_flagged_once_begun(office_world):
    """A-LEAVE-05."""
    w = office_world
    leave = services.request_leave(w.u.staff, person=w.p.staff, start_on=D(2024, 6, 3), days=1, reason="事")
    assert _findings(checks.unapproved_absence, w, D(2024, 6, 3)) == []
    assert [f.subject for f in _findings(checks.unapproved_absence, w, D(2024, 6, 4))] == [leave]


def test_inbox_lists_what_the_approver_may_decide(office_world):
    from jiceng.office.services.leave import inbox_for

    w = office_world
    four, two = _leave(w, "staff", 4), _leave(w, "staff", 2)
    assert list(inbox_for(w.u.secretary)) == [four]
    assert list(inbox_for(w.u.director)) == [two]
    assert list(inbox_for(w.u.staff)) == []


# API ---------------------------------------------------------------------------------------------------------

def test_api_contract_201_with_id_and_route(api, office_world):
    w = office_world
    response = api(w.u.office_director).post("/api/v1/leave-requests", {
        "person": w.p.staff.pk, "start_on": "2024-06-03", "days": 4, "reason": "探亲"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] and body["route"] == ["party_secretary"]


@pytest.mark.parametrize("payload", [
    {"start_on": "2024-06-03", "days": 0, "reason": "x"},
    {"start_on": "2024-06-03", "days": -2, "reason": "x"},
    {"start_on": "not-a-date", "days": 2, "reason": "x"},
    {"start_on": "2024-06-03", "days": "many", "reason": "x"},
    {"start_on": "2024-06-03", "days": 2, "reason": ""},
    {"days": 2, "reason": "x"},
])
def test_api_bad_input_is_a_4xx_json_error(api, office_world, payload):
    w = office_world
    response = api(w.u.office_director).post("/api/v1/leave-requests", {"person": w.p.staff.pk, **payload})
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


def test_api_unknown_person_is_404(api, office_world):
    response = api(office_world.u.office_director).post("/api/v1/leave-requests", {
        "person": 999999, "start_on": "2024-06-03", "days": 2, "reason": "x"})
    assert response.status_code == 404


def test_api_approve_reject_return(api, office_world):
    w = office_world
    created = api(w.u.staff).post("/api/v1/leave-requests", {
        "person": w.p.staff.pk, "start_on": "2024-06-03", "days": 2, "reason": "事"}).json()
    assert api(w.u.secretary).post(f"/api/v1/leave-requests/{created['id']}/approve").status_code == 403
    approved = api(w.u.director).post(f"/api/v1/leave-requests/{created['id']}/approve", {"note": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "filed"
    assert api(w.u.director).post(f"/api/v1/leave-requests/{created['id']}/reject").status_code == 409
    returned = api(w.u.staff).post(f"/api/v1/leave-requests/{created['id']}/return", {"returned_on": "2024-06-05"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    detail = api(w.u.staff).get(f"/api/v1/leave-requests/{created['id']}").json()
    assert detail["approvals"][0]["approver"]["id"] == w.p.director.pk


def test_api_list_and_detail_hidden_from_other_community(api, office_world):
    w = office_world
    leave = _leave(w, "vrc_member", 2)
    assert api(w.worker_b).get(f"/api/v1/leave-requests/{leave.pk}").status_code == 404
    assert api(w.worker_b).get("/api/v1/leave-requests").json()["items"] == []
    assert [x["id"] for x in api(w.worker_a).get("/api/v1/leave-requests").json()["items"]] == [leave.pk]


def test_api_attendance_sheet(api, office_world):
    from io import BytesIO

    from openpyxl import load_workbook

    w = office_world
    leave = services.request_leave(w.u.staff, person=w.p.staff, start_on=D(2024, 6, 3), days=2, reason="事")
    services.approve_leave(w.u.director, leave)
    response = api(w.u.office_director).get("/api/v1/leave-requests/attendance.xlsx", area=w.street.pk,
                                            month="2024-06")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    row = next(row for row in sheet.iter_rows(values_only=True) if row[0] == w.p.staff.name)
    assert row[2 + 2] == "假" and row[2 + 3] == "假" and row[2 + 4] is None and row[-1] == 2


def test_ranks_follow_memberships_when_no_post_is_registered(api, world):
    """A street that records its leaders only as orgs memberships still gets the A-LEAVE routes."""
    from jiceng.orgs import services as orgs
    from jiceng.orgs.models import Body, Role
    from tests import builders

    w = world
    office = builders.make_body(w.root, Body.Kind.STREET_OFFICE, w.street, "天津路街道办事处")
    pwc = builders.make_body(w.root, Body.Kind.PARTY_WORKING_COMMITTEE, w.street, "天津路街道党工委")
    rc = builders.make_body(w.root, Body.Kind.RESIDENTS_COMMITTEE, w.a, "长春路社区居委会")
    people = {}
    for key, body, role in [("secretary", pwc, Role.PWC_SECRETARY), ("director", office, Role.STREET_OFFICE_DIRECTOR),
                            ("clerk", office, Role.AGENCY_STAFF), ("rc_director", rc, Role.RC_DIRECTOR),
                            ("rc_member", rc, Role.RC_MEMBER)]:
        people[key] = builders.make_person(w.root, w.building_b, key)
        orgs.add_membership(w.root, person=people[key], body=body, role=role, start_on=D(2020, 1, 1))
    secretary = builders.make_user(w.root, "m_secretary", "street_staff", w.street, person=people["secretary"])
    rc_director = builders.make_user(w.root, "m_rc_director", "community_worker", w.a, person=people["rc_director"])
    for who, days, route in [("clerk", 3, ["director"]), ("clerk", 4, ["party_secretary"]),
                             ("rc_member", 3, ["vrc_principal"]), ("rc_member", 4, ["director"])]:
        body = api(w.street_admin).post("/api/v1/leave-requests", {"person": people[who].pk, "start_on": "2024-06-03",
                                                                  "days": days, "reason": "事"}).json()
        assert body["route"] == route
    four = LeaveRequest.objects.get(person=people["clerk"], days=4)
    assert api(secretary).post(f"/api/v1/leave-requests/{four.pk}/approve").json()["status"] == "filed"
    member = LeaveRequest.objects.get(person=people["rc_member"], days=3)
    assert api(rc_director).post(f"/api/v1/leave-requests/{member.pk}/approve").json()["status"] == "approved"


def test_leave_during_duty_goes_to_the_duty_leader(office_world):
    """A-LEAVE-09."""
    from jiceng.office.models import DutyOfficer, DutyShift

    w = office_world
    day = timezone.localdate()
    with pytest.raises(ValidationFailed):
        services.request_leave(w.u.staff, person=w.p.staff, start_on=day, days="0.5", reason="就医",
                               during_duty=True)
    shift = DutyShift.objects.create(area=w.street, day=day, leader=w.p.deputy, leader_phone="139")
    DutyOfficer.objects.create(shift=shift, person=w.p.staff, phone="138")
    leave = services.request_leave(w.u.staff, person=w.p.staff, start_on=day, days="0.5", reason="就医",
                                   during_duty=True)
    assert leave.route == [r.DUTY_LEADER] and leave.rule_id == "A-LEAVE-09"
    from jiceng.office.services.leave import inbox_for

    assert list(inbox_for(w.u.deputy)) == [leave] and list(inbox_for(w.u.director)) == []
    with pytest.raises(PermissionDenied):
        services.approve_leave(w.u.director, leave)
    services.approve_leave(w.u.deputy, leave)
    assert LeaveRequest.objects.get(pk=leave.pk).status == LeaveRequest.Status.APPROVED
