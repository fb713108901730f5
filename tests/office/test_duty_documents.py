"""Duty roster (A-DUTY), documents and seals (A-DOC, A-SEAL, A-FMT) and meeting rooms (A-ROOM) through the
services."""

from __future__ import annotations

import datetime
import io
import os
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Mm, Pt

from jiceng.core.errors import Conflict, IllegalTransition, PermissionDenied, RuleViolation, ValidationFailed
from jiceng.office import checks, services
from jiceng.office.docx import render
from jiceng.office.models import DutyOfficer, OutgoingDocument, Room, SealUse
from jiceng.rules import office as r
from jiceng.rules import services as rulebook

D = datetime.date
TZ = ZoneInfo("Asia/Shanghai")


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


# Duty ------------------------------------------------------------------------------------------------------------

def _roster(w, day, leaders=None):
    leaders = leaders if leaders is not None else [(w.p.deputy, "13900000001")]
    return services.set_roster(w.u.office_director, street=w.street, day=day, leaders=leaders,
                               officers=[(w.p.staff, "13900000002")])


@pytest.mark.parametrize("count", [0, 2])
def test_roster_day_needs_exactly_one_leader(office_world, count):
    """AS-14 (c)."""
    w = office_world
    leaders = [(w.p.deputy, "139"), (w.p.secretary, "138")][:count]
    with pytest.raises(RuleViolation) as refused:
        _roster(w, D(2024, 6, 3), leaders)
    assert refused.value.rule_id == "A-DUTY-30"


def test_roster_needs_phone_numbers(office_world):
    w = office_world
    with pytest.raises(RuleViolation) as refused:
        services.set_roster(w.u.office_director, street=w.street, day=D(2024, 6, 3),
                            leaders=[(w.p.deputy, "139")], officers=[(w.p.staff, " ")])
    assert refused.value.rule_id == "A-DUTY-02"


def test_community_worker_cannot_set_the_street_roster(office_world):
    w = office_world
    with pytest.raises(PermissionDenied):
        services.set_roster(w.u.vrc_member, street=w.street, day=D(2024, 6, 3), leaders=[(w.p.deputy, "1")],
                            officers=[(w.p.staff, "2")])


def test_shift_cannot_close_before_the_handover(office_world):
    """AS-13 / A-DUTY-10."""
    w = office_world
    shift = _roster(w, D(2024, 6, 3))
    with pytest.raises(RuleViolation) as refused:
        services.close_shift(w.u.staff, shift)
    assert refused.value.rule_id == "A-DUTY-10"
    services.record_handover(w.u.office_director, shift, successor=w.p.section_head,
                             arrived_at=at(D(2024, 6, 4), 8, 30))
    services.close_shift(w.u.staff, shift)
    with pytest.raises(Conflict):
        services.record_handover(w.u.office_director, shift, successor=w.p.section_head,
                                 arrived_at=at(D(2024, 6, 4), 8, 30))


@pytest.mark.parametrize(("arrival", "minutes", "fen", "status"), [
    ((8, 45), 15, 1500, "late"), ((8, 50), 20, 2000, "late"), ((8, 51), 21, 4000, "late"),
    ((9, 31), 61, 0, "absent"),
])
def test_late_successor_with_penalty_module_on(office_world, arrival, minutes, fen, status):
    """AS-13 with the district's penalty module on."""
    w = office_world
    rulebook.adopt_version(w.root, district=w.district, effective_from=D(2020, 1, 1),
                           overrides={"A-DUTY-11": {"enabled": True}})
    shift = _roster(w, D(2024, 6, 3))
    services.set_roster(w.u.office_director, street=w.street, day=D(2024, 6, 4), leaders=[(w.p.deputy, "1")],
                        officers=[(w.p.section_head, "2")])
    handover = services.record_handover(w.u.office_director, shift, successor=w.p.section_head,
                                        arrived_at=at(D(2024, 6, 4), *arrival))
    assert (handover.minutes_late, handover.deduction_fen) == (minutes, fen)
    assert DutyOfficer.objects.get(shift__day=D(2024, 6, 4), person=w.p.section_head).status == status


def test_lateness_is_recorded_but_not_priced_by_default(office_world):
    w = office_world
    shift = _roster(w, D(2024, 6, 3))
    handover = services.record_handover(w.u.office_director, shift, successor=w.p.section_head,
                                        arrived_at=at(D(2024, 6, 4), 8, 45))
    assert (handover.minutes_late, handover.deduction_fen) == (15, 0)


def test_swap_needs_the_leader_in_charge(office_world):
    w = office_world
    shift = _roster(w, D(2024, 6, 3))
    with pytest.raises(PermissionDenied):
        services.substitute(w.u.office_director, shift, officer=w.p.staff, substitute=w.p.section_head)
    row = services.substitute(w.u.deputy, shift, officer=w.p.staff, substitute=w.p.section_head)
    assert row.status == DutyOfficer.Status.SUBSTITUTED


def test_incident_is_reported_with_deadline_and_flagged_when_late(office_world):
    from jiceng.accountability.checks import Scope
    from jiceng.notify.models import Notification

    w = office_world
    shift = _roster(w, timezone.localdate())
    occurred = timezone.now() - datetime.timedelta(hours=2)
    with pytest.raises(RuleViolation) as refused:
        services.report_incident(w.u.office_director, shift, occurred_at=occurred, place="", description="x",
                                 measures="")
    assert refused.value.rule_id == "A-DUTY-17"
    incident = services.report_incident(w.u.office_director, shift, occurred_at=occurred, place="街道大院",
                                        description="车棚电动车被盗", measures="已报警", is_theft=True)
    assert incident.report_due_at == occurred + datetime.timedelta(hours=1)
    assert Notification.objects.filter(recipient__in=[w.u.deputy, w.u.secretary, w.u.director]).count() == 3
    scope = Scope(streets=[w.street])
    assert [f.rule_id for f in checks.unreported_incidents(scope, timezone.localdate())] == ["A-DUTY-03"]
    services.report_upward(w.u.office_director, incident)
    assert list(checks.unreported_incidents(scope, timezone.localdate())) == []


# Documents -------------------------------------------------------------------------------------------------------

BODY = "一、总体要求\n（一）工作目标\n各社区要按照要求抓好落实。\n二、工作安排\n请于6月底前报送。"


def _draft(w, issuer=r.PARTY_WC, kind="通知"):
    return services.draft_document(w.u.office_director, street=w.street, issuer=issuer, kind=kind,
                                   issuer_code="天街党工发" if issuer == r.PARTY_WC else "天街发",
                                   title="关于做好防汛工作的通知", recipients="各社区党组织", body=BODY,
                                   section="general_office")


def _to_signoff(w, doc):
    services.advance(w.u.office_director, doc, step="checked")
    services.review(w.u.deputy, doc)
    return doc


def _to_sealed(w, doc):
    for step in ("rechecked", "proofread", "printed", "sealed"):
        services.advance(w.u.office_director, doc, step=step)
    return doc


def test_review_only_by_leader_in_charge(office_world):
    w = office_world
    doc = _draft(w)
    services.advance(w.u.office_director, doc, step="checked")
    with pytest.raises(RuleViolation) as refused:
        services.review(w.u.office_director, doc)
    assert refused.value.rule_id == "A-DOC-13"


def test_party_document_signed_by_the_director_is_refused(office_world):
    """AS-11 (a)."""
    w = office_world
    doc = _to_signoff(w, _draft(w))
    with pytest.raises(RuleViolation) as refused:
        services.sign_off(w.u.director, doc)
    assert refused.value.rule_id == "A-DOC-14"
    with pytest.raises(RuleViolation):
        services.sign_off(w.u.acting_secretary, doc)  # the secretary is not away
    services.sign_off(w.u.secretary, doc)
    doc.refresh_from_db()
    assert doc.status == "signed_off" and doc.signed_post == r.PARTY_SECRETARY


def test_presiding_deputy_signs_while_the_secretary_is_on_leave(office_world):
    """AS-11 (b)."""
    w = office_world
    leave = services.request_leave(w.u.secretary, person=w.p.secretary, start_on=timezone.localdate(), days=2,
                                   reason="出差")
    services.approve_leave(w.u.district_leader, leave)
    doc = _to_signoff(w, _draft(w))
    services.sign_off(w.u.acting_secretary, doc)
    doc.refresh_from_db()
    assert doc.signed_post == r.ACTING_PARTY_SECRETARY


def test_change_after_signoff_voids_it(office_world):
    """AS-11 (c)."""
    w = office_world
    doc = _to_signoff(w, _draft(w))
    services.sign_off(w.u.secretary, doc)
    services.advance(w.u.office_director, doc, step="rechecked")
    services.edit(w.u.office_director, doc, body=BODY + "\n补充一句。")
    doc.refresh_from_db()
    assert doc.status == "reviewed" and doc.signed_by is None


def test_numbering_per_issuer_kind_and_year(office_world):
    """AS-11 (d): consecutive numbers; the first of 2025 is 〔2025〕1号; another kind has its own series."""
    w = office_world
    numbers = []
    for issuer, kind, on in [(r.STREET_OFFICE, "通知", D(2024, 12, 30)), (r.STREET_OFFICE, "通知", D(2024, 12, 31)),
                             (r.STREET_OFFICE, "通知", D(2025, 1, 2)), (r.STREET_OFFICE, "请示", D(2025, 1, 2))]:
        doc = _to_signoff(w, _draft(w, issuer, kind))
        services.sign_off(w.u.director, doc)
        _to_sealed(w, doc)
        numbers.append(services.register(w.u.office_director, doc, on=on).number)
    assert numbers == ["天街发〔2024〕1号", "天街发〔2024〕2号", "天街发〔2025〕1号", "天街发〔2025〕1号"]
    with pytest.raises(RuleViolation):
        services.edit(w.u.office_director, OutgoingDocument.objects.get(number=numbers[0]), title="改")


def test_number_cannot_be_given_twice(office_world):
    """The database refuses a duplicate (issuer, kind, year, serial) even if a counter were bypassed."""
    from django.db import IntegrityError, transaction

    w = office_world
    first, second = _draft(w), _draft(w)
    OutgoingDocument.objects.filter(pk=first.pk).update(year=2025, serial=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutgoingDocument.objects.filter(pk=second.pk).update(year=2025, serial=1)


def test_registration_only_after_sealing(office_world):
    w = office_world
    doc = _to_signoff(w, _draft(w))
    with pytest.raises(IllegalTransition):
        services.register(w.u.office_director, doc)


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_consecutive_numbers(office_world):
    import threading

    from django.db import connection

    w = office_world
    docs = []
    for _ in range(4):
        doc = _to_signoff(w, _draft(w, r.STREET_OFFICE))
        services.sign_off(w.u.director, doc)
        docs.append(_to_sealed(w, doc))
    barrier = threading.Barrier(len(docs))
    errors = []

    def worker(doc):
        try:
            barrier.wait()
            services.register(w.u.office_director, doc, on=D(2025, 3, 1))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(d,)) for d in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(OutgoingDocument.objects.values_list("serial", flat=True)) == [1, 2, 3, 4]


def test_docx_layout(office_world):
    """AS-24 (c): A4, exactly 30 pt, title 方正小标宋简体 22 pt, body 仿宋_GB2312 16 pt, level-1 黑体, level-2 楷体,
    date in full."""
    w = office_world
    doc = _to_signoff(w, _draft(w))
    services.sign_off(w.u.secretary, doc)
    _to_sealed(w, doc)
    services.register(w.u.office_director, doc, on=D(2024, 6, 1))
    doc.refresh_from_db()
    read = Document(io.BytesIO(render(doc)))
    section = read.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    for para in read.paragraphs:
        assert para.paragraph_format.line_spacing == Pt(30)
        assert para.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY

    def run_of(text):
        para = next(p for p in read.paragraphs if p.text == text)
        run = para.runs[0]
        return run.element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"), \
            run.font.size
    assert run_of("关于做好防汛工作的通知") == ("方正小标宋简体", Pt(22))
    assert run_of("一、总体要求") == ("黑体", Pt(16))
    assert run_of("（一）工作目标") == ("楷体_GB2312", Pt(16))
    assert run_of("各社区要按照要求抓好落实。") == ("仿宋_GB2312", Pt(16))
    texts = [p.text for p in read.paragraphs]
    assert "天街党工发〔2024〕1号" in texts and "2024年6月1日" in texts


def test_incoming_routing_order_and_deadline(office_world):
    """AS-10: principal leaders first; due 15 working days after assignment."""
    w = office_world
    doc = services.register_incoming(w.u.office_director, street=w.street, source="区政府办",
                                     title="关于开展安全检查的通知",
                                     received_on=D(2024, 11, 1))
    assert [line["post"] for line in doc.routing] == [r.PRINCIPAL_LEADER, r.LEADER_IN_CHARGE]
    with pytest.raises(PermissionDenied):
        services.annotate_incoming(w.u.deputy, doc, text="请办理")
    services.annotate_incoming(w.u.director, doc, text="请赵主任阅处")
    services.annotate_incoming(w.u.deputy, doc, circle=True)
    services.assign_incoming(w.u.office_director, doc, section="safety_supervision_section",
                             assigned_on=D(2024, 11, 4))
    doc.refresh_from_db()
    assert doc.due_on == D(2024, 11, 25) and doc.status == "in_progress"
    from jiceng.notify.models import Reminder

    keys = set(Reminder.objects.filter(key__startswith=f"A-DOC-23:incoming:{doc.pk}:").values_list("key", flat=True))
    assert {k.rsplit(":", 1)[1] for k in keys} == {"day10", "day14", "overdue"}


# Seals -----------------------------------------------------------------------------------------------------------

def test_contract_seal_needs_the_director_and_signature(office_world):
    """AS-12 (a)."""
    w = office_world
    use = services.request_seal(w.u.section_head, street=w.street, seal="天津路街道办事处公章", purpose="contract",
                                description="物业服务合同")
    with pytest.raises(PermissionDenied):
        services.approve_seal(w.u.office_director, use)
    with pytest.raises(RuleViolation):
        services.approve_seal(w.u.director, use, signed=False)
    services.approve_seal(w.u.director, use, signed=True)


def test_certificate_by_office_director_then_registered_with_signature(office_world):
    """AS-12 (b)."""
    w = office_world
    use = services.request_seal(w.u.section_head, street=w.street, seal="天津路街道办事处公章", purpose="certificate",
                                description="介绍信")
    services.approve_seal(w.u.office_director, use)
    with pytest.raises(PermissionDenied):
        services.use_seal(w.u.section_head, use, requester_signature="吴科长")
    with pytest.raises(RuleViolation) as refused:
        services.use_seal(w.u.keeper, use, requester_signature="")
    assert refused.value.rule_id == "A-SEAL-10"
    services.use_seal(w.u.keeper, use, requester_signature="吴科长")
    assert SealUse.objects.get(pk=use.pk).status == "used"


def test_fee_receipt_and_unapproved_takeout_are_refused(office_world):
    """AS-12 (c), (d)."""
    w = office_world
    with pytest.raises(RuleViolation) as refused:
        services.request_seal(w.u.section_head, street=w.street, seal="公章", purpose="fee_receipt", description="收费")
    assert refused.value.rule_id == "A-SEAL-02"
    use = services.request_seal(w.u.section_head, street=w.street, seal="公章", purpose="certificate",
                                description="去银行", take_out=True)
    with pytest.raises(RuleViolation) as refused:
        services.approve_seal(w.u.office_director, use)
    assert refused.value.rule_id == "A-SEAL-12"


# Rooms -----------------------------------------------------------------------------------------------------------

def test_room_overlap_edges(office_world):
    """AS-25: 14:00–16:00 held; 15:00–17:00 refused naming the holder; 16:00–17:00 accepted."""
    w = office_world
    room = Room.objects.create(area=w.street, name="一号会议室")
    day = D(2024, 6, 5)
    services.book_room(w.u.office_director, room=room, section="econ_mgmt_section", purpose="经管例会",
                       starts_at=at(day, 14), ends_at=at(day, 16))
    for start, end in [((15, 0), (17, 0)), ((13, 0), (14, 15)), ((15, 45), (16, 0)), ((13, 0), (18, 0))]:
        with pytest.raises(RuleViolation) as refused:
            services.book_room(w.u.office_director, room=room, section="urban_mgmt_section", purpose="城管会",
                               starts_at=at(day, *start), ends_at=at(day, *end))
        assert refused.value.rule_id == "A-ROOM-02" and refused.value.facts["holder_section"] == "econ_mgmt_section"
    services.book_room(w.u.office_director, room=room, section="urban_mgmt_section", purpose="城管会",
                       starts_at=at(day, 16), ends_at=at(day, 17))
    services.book_room(w.u.office_director, room=room, section="urban_mgmt_section", purpose="早会",
                       starts_at=at(day, 13), ends_at=at(day, 14))


def test_released_booking_frees_the_room(office_world):
    w = office_world
    room = Room.objects.create(area=w.street, name="二号会议室")
    day = D(2024, 6, 5)
    booking = services.book_room(w.u.office_director, room=room, section="econ_mgmt_section", purpose="会",
                                 starts_at=at(day, 9), ends_at=at(day, 10))
    services.release_room(w.u.office_director, booking)
    services.book_room(w.u.office_director, room=room, section="urban_mgmt_section", purpose="会",
                       starts_at=at(day, 9), ends_at=at(day, 10))


def test_room_booking_needs_quarter_hours(office_world):
    w = office_world
    room = Room.objects.create(area=w.street, name="三号会议室")
    with pytest.raises(ValidationFailed):
        services.book_room(w.u.office_director, room=room, section="econ_mgmt_section", purpose="会",
                           starts_at=at(D(2024, 6, 5), 9, 10), ends_at=at(D(2024, 6, 5), 10))


# Vehicles, reception, assets --------------------------------------------------------------------------------------

def test_vehicle_pools(office_world):
    """AS-25: 城管科 books pool (4), not pool (2); pool (1) only for principal leaders."""
    from jiceng.office.models import Vehicle

    w = office_world
    four = Vehicle.objects.create(area=w.street, plate="豫C·A0004", pool="4")
    two = Vehicle.objects.create(area=w.street, plate="豫C·A0002", pool="2")
    one = Vehicle.objects.create(area=w.street, plate="豫C·A0001", pool="1")
    day = D(2024, 6, 5)
    services.book_vehicle(w.u.office_director, vehicle=four, section="urban_mgmt_section", purpose="巡查",
                          starts_at=at(day, 9), ends_at=at(day, 11))
    with pytest.raises(RuleViolation) as refused:
        services.book_vehicle(w.u.office_director, vehicle=two, section="urban_mgmt_section", purpose="巡查",
                              starts_at=at(day, 9), ends_at=at(day, 11))
    assert refused.value.rule_id == "A-VEH-01"
    with pytest.raises(RuleViolation):
        services.book_vehicle(w.u.office_director, vehicle=four, section="work_safety_office", purpose="检查",
                              starts_at=at(day, 10), ends_at=at(day, 12))
    with pytest.raises(RuleViolation):
        services.book_vehicle(w.u.office_director, vehicle=one, section="general_office", purpose="送文件",
                              starts_at=at(day, 9), ends_at=at(day, 10))
    services.book_vehicle(w.u.office_director, vehicle=one, section="general_office", purpose="书记到区开会",
                          starts_at=at(day, 9), ends_at=at(day, 10), for_principal=True)


def test_reception_staff_and_gift(office_world):
    """AS-15."""
    w = office_world
    with pytest.raises(RuleViolation):
        services.plan_reception(w.u.office_director, street=w.street, visitors="区检查组", guests=10, staff_count=3,
                                host_section="general_office", visit_on=D(2024, 6, 5))
    big = services.plan_reception(w.u.office_director, street=w.street, visitors="市考察团", guests=17, staff_count=4,
                                  host_section="general_office", visit_on=D(2024, 6, 5))
    assert big.status == "leader_decision"
    with pytest.raises(PermissionDenied):
        services.hold_reception(w.u.office_director, big)
    gifted = services.plan_reception(w.u.office_director, street=w.street, visitors="兄弟街道", guests=6,
                                     staff_count=2, host_section="general_office", visit_on=D(2024, 6, 5), gift=True)
    assert gifted.settle_due_on == D(2024, 6, 12)
    with pytest.raises(RuleViolation) as refused:
        services.hold_reception(w.u.office_director, gifted)
    assert refused.value.rule_id == "A-RECP-06"
    with pytest.raises(PermissionDenied):
        services.approve_gift(w.u.deputy, gifted)
    services.approve_gift(w.u.director, gifted)
    assert services.hold_reception(w.u.office_director, gifted).status == "held"


def test_asset_card_and_departing_holder(office_world):
    """AS-22 (a), (d)."""
    w = office_world
    with pytest.raises(RuleViolation) as refused:
        services.register_asset(w.u.office_director, street=w.street, name="投影仪", section="general_office",
                                unit_value_fen=320000, acquired_on=D(2024, 6, 5), equipment=True,
                                custodian=w.p.staff)
    assert refused.value.rule_id == "A-ASSET-09"
    services.register_asset(w.u.office_director, street=w.street, name="订书机", section="general_office",
                            unit_value_fen=4500, acquired_on=D(2024, 6, 5))
    services.register_asset(w.u.office_director, street=w.street, name="笔记本电脑", section="general_office",
                            unit_value_fen=650000, acquired_on=D(2024, 6, 5), card_number="ZC-2024-001",
                            equipment=True, custodian=w.p.staff, holder=w.p.staff)
    assert not services.salary_transfer_allowed(w.p.staff)
    assert services.salary_transfer_allowed(w.p.section_head)


@pytest.mark.parametrize(("today", "flagged"), [(D(2024, 11, 25), False), (D(2024, 11, 26), True)])
def test_incoming_overdue_the_day_after(office_world, today, flagged):
    """AS-10: due Mon 25 Nov 2024; no reply on 26 Nov → finding."""
    from jiceng.accountability.checks import Scope

    w = office_world
    doc = services.register_incoming(w.u.office_director, street=w.street, source="区政府办", title="通知",
                                     received_on=D(2024, 11, 1))
    services.annotate_incoming(w.u.director, doc, text="阅")
    services.annotate_incoming(w.u.deputy, doc, circle=True)
    services.assign_incoming(w.u.office_director, doc, section="safety_supervision_section",
                             assigned_on=D(2024, 11, 4))
    found = list(checks.overdue_incoming(Scope(streets=[w.street]), today))
    assert bool(found) is flagged and all(f.rule_id == "A-DOC-23" for f in found)


def test_incoming_extension_needs_a_reason_within_the_deadline(office_world):
    w = office_world
    doc = services.register_incoming(w.u.office_director, street=w.street, source="区政府办", title="通知",
                                     received_on=timezone.localdate())
    services.annotate_incoming(w.u.director, doc, text="阅")
    services.annotate_incoming(w.u.deputy, doc, circle=True)
    services.assign_incoming(w.u.office_director, doc, section="general_office")
    doc.refresh_from_db()
    later = doc.due_on + datetime.timedelta(days=10)
    with pytest.raises(ValidationFailed):
        services.explain_delay(w.u.office_director, doc, reason=" ", new_due_on=later)
    services.explain_delay(w.u.office_director, doc, reason="需等待区里批复", new_due_on=later)
    services.reply_incoming(w.u.office_director, doc)
    doc.refresh_from_db()
    assert doc.due_on == later and doc.status == "replied"
