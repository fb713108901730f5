"""Disputes through their stages, with each refusal (rules-admin §2.1); every change audited and filed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiceng.archives.models import Dossier, Record
from jiceng.audit.models import AuditEvent
from jiceng.core.errors import Conflict, IllegalTransition, PermissionDenied, RuleViolation, ValidationFailed
from jiceng.notify.models import Notification, Reminder
from jiceng.zongzhi import services
from jiceng.zongzhi.models import Dispute, Escalation

from .conftest import days_ago, mediate, register

pytestmark = pytest.mark.django_db


def test_register_makes_the_receiver_owner_numbers_and_dates_the_case(zz):
    dispute = register(zz)
    today = timezone.localdate()
    assert dispute.first_receiver == dispute.owner == zz.worker_a
    assert dispute.register_no == f"长春路社区综调〔{today.year}〕1号"
    assert register(zz).register_no.endswith(f"〔{today.year}〕2号")
    assert dispute.assign_due == today + datetime.timedelta(days=3)
    assert dispute.mediation_due == today + datetime.timedelta(days=30)
    assert (dispute.status, dispute.tier, dispute.responsible_unit) == ("registered", "community", "社区工作站")
    event = AuditEvent.objects.get(action="zongzhi.dispute_registered", object_id=str(dispute.pk))
    assert event.after["parties"][0]["name"] == "张*丰"     # personal data masked in the log
    assert "13812341234" not in str(event.after)
    record = Record.objects.get(source_type="zongzhi.dispute", source_id=dispute.pk)
    assert record.dossier.series == Dossier.Series.ZONGZHI and record.dossier.key == str(today.year)
    assert "张三丰" not in record.content


def test_register_schedules_dispatch_and_mediation_reminders(zz):
    dispute = register(zz)
    keys = set(Reminder.objects.filter(cancelled_at__isnull=True).values_list("key", flat=True))
    assert f"A-ZZ-78:dispute:{dispute.pk}:assign:due" in keys
    assert f"A-ZZ-78:dispute:{dispute.pk}:mediation:overdue" in keys
    mediate(zz, dispute)
    live = set(Reminder.objects.filter(cancelled_at__isnull=True).values_list("key", flat=True))
    assert f"A-ZZ-78:dispute:{dispute.pk}:assign:due" not in live


def test_major_dispute_needs_unit_person_and_deadline_and_writes_nothing(zz):
    with pytest.raises(RuleViolation) as refused:
        services.register_dispute(zz.worker_a, area=zz.a, title="群体讨薪", facts="三十人聚集", category="labour",
                                  level="major", parties=[{"name": "王五"}], responsible_unit="安监科",
                                  responsible_person="钱主任")
    assert refused.value.rule_id == "A-ZZ-69"
    assert not Dispute.objects.exists()
    assert not AuditEvent.objects.filter(action="zongzhi.dispute_registered").exists()


def test_major_dispute_is_reported_to_the_centre_director(zz, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dispute = register(zz, level="major", category="labour")
    assert dispute.tier == "street"
    assert Notification.objects.filter(recipient=zz.director, rule_id="A-FIRST-02").exists()


@pytest.mark.parametrize("who", ["worker_b", "supervisor"])
def test_only_staff_of_the_community_register(zz, who):
    with pytest.raises(PermissionDenied):
        register(zz, actor=getattr(zz, who))


def test_mediation_is_free(zz):
    with pytest.raises(RuleViolation) as refused:
        register(zz, fee=100)
    assert refused.value.rule_id == "A-ZZ-62"


def test_assignment_notice_needs_all_fields(zz):
    dispute = register(zz)
    with pytest.raises(RuleViolation) as refused:
        services.assign(zz.worker_a, dispute, mediator=zz.mediator_a, unit="调委会", requirements="")
    assert refused.value.rule_id == "A-ZZ-70"


def test_only_the_centre_director_reassigns_with_a_reason(zz):
    dispute = register(zz)
    services.assign(zz.worker_a, dispute, mediator=zz.mediator_a, unit="调委会", requirements="十日内调结")
    with pytest.raises(RuleViolation) as refused:
        services.assign(zz.worker_a, dispute, mediator=zz.mediator_st, unit="司法所", requirements="协调",
                        reason="推给司法所")
    assert refused.value.rule_id == "A-FIRST-01"
    with pytest.raises(RuleViolation):
        services.assign(zz.director, dispute, mediator=zz.mediator_st, unit="司法所", requirements="协调", reason="")
    services.assign(zz.director, dispute, mediator=zz.mediator_st, unit="司法所", requirements="协调",
                    reason="涉及法律适用，由司法所调处")
    dispute.refresh_from_db()
    assert dispute.mediator == zz.mediator_st
    assert dispute.owner == zz.worker_a       # the first receiver stays the owner


def test_full_path_to_closure_with_follow_up(zz):
    dispute = register(zz, ago=10)
    mediate(zz, dispute, ago=9)
    dispute.refresh_from_db()
    assert dispute.status == "in_mediation" and dispute.mediation_types == ["people"]
    services.record_agreement(zz.worker_a, dispute, terms="李四赔偿张三丰800元。", signed_on=timezone.localdate())
    services.report_closed(zz.worker_a, dispute, outcome="resolved", result="达成协议", occurred_at=days_ago(8))
    dispute.refresh_from_db()
    assert dispute.follow_up_due == timezone.localdate(days_ago(8)) + datetime.timedelta(days=30)
    services.record_follow_up(zz.worker_a, dispute, visited_on=timezone.localdate(), situation="已履行，情绪稳定")
    with pytest.raises(RuleViolation) as refused:
        services.close(zz.worker_a, dispute)          # A-ZZ-51: only the centre closes
    assert refused.value.rule_id == "A-ZZ-51"
    services.close(zz.staff, dispute)
    dispute.refresh_from_db()
    assert dispute.status == "closed"
    actions = list(AuditEvent.objects.filter(object_id=str(dispute.pk), object_type="zongzhi.dispute")
                   .values_list("action", flat=True))
    assert actions == ["zongzhi.dispute_registered", "zongzhi.dispute_assigned", "zongzhi.session_recorded",
                       "zongzhi.agreement_recorded", "zongzhi.dispute_reported_closed", "zongzhi.follow_up_recorded",
                       "zongzhi.dispute_closed"]
    kinds = set(Record.objects.filter(dossier__series="zongzhi").values_list("kind", flat=True))
    assert {"zongzhi.mediation_agreement", "zongzhi.follow_up", "zongzhi.closed"} <= kinds


def test_states_refuse_steps_out_of_order(zz):
    dispute = register(zz)
    with pytest.raises(IllegalTransition):
        services.close(zz.staff, dispute)
    with pytest.raises(Conflict):
        services.record_agreement(zz.worker_a, dispute, terms="x", signed_on=timezone.localdate())
    with pytest.raises(Conflict):
        services.record_follow_up(zz.worker_a, dispute, visited_on=timezone.localdate(), situation="x")


def test_session_record_must_be_complete(zz):
    dispute = register(zz)
    services.assign(zz.worker_a, dispute, mediator=zz.mediator_a, unit="调委会", requirements="十日内调结")
    with pytest.raises(RuleViolation) as refused:
        services.record_session(zz.worker_a, dispute, mediation_type="people", facts="漏水", parties="双方",
                                process="", outcome="未果")
    assert refused.value.rule_id == "A-ZZ-79"


def test_escalation_path_community_street_district(zz):
    dispute = register(zz, level="simple")
    services.escalate(zz.worker_a, dispute, reason="双方分歧大，社区调解不成")
    dispute.refresh_from_db()
    assert (dispute.status, dispute.tier) == ("escalated", "street")
    assert Escalation.objects.get(dispute=dispute).flagged        # 小事不出村: flagged
    assert dispute.assignments.count() == 0
    services.assign(zz.staff, dispute, mediator=zz.mediator_st, unit="司法所", requirements="街道调处")
    services.escalate(zz.staff, dispute, reason="涉及区级部门")
    dispute.refresh_from_db()
    assert dispute.tier == "district"
    with pytest.raises(RuleViolation) as refused:
        services.escalate(zz.staff, dispute, reason="再上报")
    assert refused.value.code == "no_higher_tier"
    assert AuditEvent.objects.filter(action="zongzhi.dispute_escalated").count() == 2


def test_escalation_needs_a_reason(zz):
    dispute = register(zz, level="general")
    with pytest.raises(RuleViolation) as refused:
        services.escalate(zz.worker_a, dispute, reason="")
    assert refused.value.rule_id == "A-ZZ-23"
    dispute.refresh_from_db()
    assert dispute.status == "registered"


def test_the_street_assigns_an_escalated_case_afresh(zz):
    dispute = register(zz)
    mediate(zz, dispute)
    services.escalate(zz.worker_a, dispute, reason="调解不成")
    services.assign(zz.staff, dispute, mediator=zz.mediator_st, unit="司法所", requirements="街道调处")
    dispute.refresh_from_db()
    assert (dispute.status, dispute.mediator, dispute.owner) == ("assigned", zz.mediator_st, zz.worker_a)
    with pytest.raises(RuleViolation):
        services.assign(zz.staff, dispute, mediator=zz.mediator_a, unit="调委会", requirements="退回", reason="x")


def test_general_dispute_escalated_is_not_flagged(zz):
    dispute = register(zz, level="general")
    assert dispute.tier == "street"
    escalation = services.escalate(zz.staff, dispute, reason="需区级协调")
    assert (escalation.to_tier, escalation.flagged) == ("district", False)


def test_screening_round_with_nothing_found_and_with_findings(zz):
    today = timezone.localdate()
    empty = services.record_round(zz.worker_a, area=zz.a, held_on=today, findings=[])
    assert empty.nothing_found and empty.period_start == today - datetime.timedelta(days=today.weekday())
    street = services.record_round(zz.staff, area=zz.street, held_on=today, findings=[
        {"description": "某工地拖欠工资", "category": "labour", "location": "长春路12号", "level": "general"}])
    assert street.period_start == today.replace(day=1) and not street.nothing_found
    found = services.record_round(zz.worker_a, area=zz.a, held_on=today, register=True, findings=[
        {"description": "楼道堆物", "category": "fire_hazard", "location": "1号楼"}])
    dispute = Dispute.objects.get(screening_item__round=found)
    assert (dispute.source, dispute.responsible_unit) == ("screening", "安监科")


def test_screening_item_must_be_complete(zz):
    with pytest.raises(RuleViolation) as refused:
        services.record_round(zz.worker_a, area=zz.a, held_on=timezone.localdate(),
                              findings=[{"description": "楼道堆物", "category": "fire_hazard", "location": ""}])
    assert refused.value.rule_id == "A-ZZ-67"


def test_monthly_report_zero_and_duplicate(zz):
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    report = services.submit_report(zz.staff, area=zz.street, period="month", period_start=last_month)
    assert report.zero_report and report.figures["registered"] == 0
    assert report.due_on.day == 5
    with pytest.raises(Conflict):
        services.submit_report(zz.staff, area=zz.street, period="month", period_start=last_month)
    with pytest.raises(ValidationFailed):
        services.submit_report(zz.staff, area=zz.street, period="month", period_start=timezone.localdate())


def test_monthly_report_counts_the_cases(zz):
    last_month_end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    ago = (timezone.localdate() - last_month_end).days
    register(zz, ago=ago)
    register(zz, ago=ago, level="general", category="property_management")
    report = services.submit_report(zz.staff, area=zz.street, period="month", period_start=last_month_end)
    assert report.figures["registered"] == 2 and not report.zero_report
    assert report.figures["by_level"] == {"simple": 1, "general": 1, "major": 0}


def test_case_item_needs_exactly_one_leader(zz):
    with pytest.raises(RuleViolation) as refused:
        services.list_case_item(zz.staff, area=zz.street, kind="petition", title="某户反复上访",
                                person_or_matter="李四", leaders=[zz.mediator_st, zz.mediator_a])
    assert refused.value.rule_id == "A-CASE-02"
    item = services.list_case_item(zz.staff, area=zz.street, kind="petition", title="某户反复上访",
                                   person_or_matter="李四", leaders=[zz.mediator_st])
    services.record_case_progress(zz.staff, item, progress="已约谈", obligations={"solve": True})
    item.refresh_from_db()
    assert item.obligations["solve"] and not item.obligations["end_petition"]


def test_collective_case_goes_to_leaders_and_is_flagged_until_handled(zz, django_capture_on_commit_callbacks):
    from jiceng.accountability.checks import Scope
    from jiceng.orgs import services as orgs
    from jiceng.orgs.models import Body, Role
    from jiceng.zongzhi import checks
    from tests import builders

    office = builders.make_body(zz.root, Body.Kind.STREET_OFFICE, zz.street, "天津路街道办事处")
    head = builders.make_person(zz.root, zz.building_b, "吴主任")
    orgs.add_membership(zz.root, person=head, body=office, role=Role.STREET_OFFICE_DIRECTOR,
                        start_on=datetime.date(2020, 1, 1))
    leader = builders.make_user(zz.root, "street_head", "street_staff", zz.street, person=head)
    four = [{"name": f"居民{i}"} for i in range(4)]
    assert not register(zz, parties=four).collective                  # four petitioners: not collective
    with django_capture_on_commit_callbacks(execute=True):
        dispute = register(zz, parties=[*four, {"name": "居民5"}])    # five: collective (inferred CONFIG)
    assert dispute.collective
    assert Notification.objects.filter(recipient=leader, rule_id="A-ZZ-26").exists()
    scope = Scope(communities=[zz.a])
    assert [f.rule_id for f in checks.collective_unhandled(scope, timezone.localdate())] == ["A-ZZ-26"]
    with pytest.raises(PermissionDenied):
        services.record_leader_handling(zz.staff, dispute, handling="已处理")
    services.record_leader_handling(leader, dispute, handling="主任亲自接待并召开协调会")
    assert not list(checks.collective_unhandled(scope, timezone.localdate()))
