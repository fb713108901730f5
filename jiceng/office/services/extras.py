"""Vehicles (A-VEH), official reception (A-RECP) and the asset register (A-ASSET)."""

from __future__ import annotations

import datetime

from django.db import transaction

from jiceng.audit.services import record_event
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.orgs.models import Area, Person
from jiceng.rules import office as r
from jiceng.rules.base import check

from .. import staff
from ..models import Asset, Reception, Section, Vehicle, VehicleBooking

RECEPTION_SETTLE_DAYS = 7  # A-RECP-14 / V-ADVANCE: settled within a week (the finance app owns the claim itself)


@transaction.atomic
def book_vehicle(actor, *, vehicle: Vehicle, section: str, purpose: str, starts_at: datetime.datetime,
                 ends_at: datetime.datetime, private_use: bool = False, for_principal: bool = False) -> VehicleBooking:
    """A section books its pool's vehicle (A-VEH-01); pool (1) serves the principal leaders only; private use waits
    for the leader in charge (A-VEH-03); overlapping bookings of one vehicle are refused."""
    staff.require_office_staff(actor, vehicle.area)
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    if ends_at <= starts_at or section not in Section.values or not purpose.strip():
        raise ValidationFailed("请填写科室、事由和有效时间。", "Give section, purpose and a valid time.",
                               facts={"field": "ends_at"})
    in_pool = section in r.VEHICLE_POOLS[vehicle.pool] and (vehicle.pool != Vehicle.Pool.LEADERS or for_principal)
    check(r.VEHICLE_POOL, area=vehicle.area, on=starts_at.date(), satisfied=in_pool, pool=vehicle.pool,
          section=section)
    clash = VehicleBooking.objects.filter(vehicle=vehicle, starts_at__lt=ends_at, ends_at__gt=starts_at).first()
    if clash is not None:
        raise r.VEHICLE_POOL.violation("vehicle_busy", "该车辆此时段已派出", "The vehicle is out at that time",
                                       {"holder_section": clash.section})
    booking = VehicleBooking.objects.create(
        area=vehicle.area, vehicle=vehicle, section=section, purpose=purpose.strip(), private_use=private_use,
        for_principal=for_principal, starts_at=starts_at, ends_at=ends_at, booked_by=actor,
        status=VehicleBooking.Status.REQUESTED if private_use else VehicleBooking.Status.BOOKED)
    record_event(actor, "office.vehicle_booked", booking, after={"vehicle": vehicle.plate, "section": section,
                                                                 "private": private_use})
    return booking


@transaction.atomic
def plan_reception(actor, *, street: Area, visitors: str, guests: int, staff_count: int, host_section: str,
                   visit_on: datetime.date, gift: bool = False) -> Reception:
    """Plan a reception: at most the reception staff A-RECP-04 allows; more than 16 guests wait for a leader's
    decision; the expense is due within 7 days of the visit (A-RECP-14)."""
    staff.require_office_staff(actor, street)
    if guests < 1 or staff_count < 1 or host_section not in Section.values or not visitors.strip():
        raise ValidationFailed("请填写来宾、人数和对口科室。", "Give visitors, numbers and host section.",
                               facts={"field": "guests"})
    limit = check(r.RECEPTION_STAFF, area=street, on=visit_on, guests=guests, staff=staff_count).value
    reception = Reception.objects.create(
        area=street, visitors=visitors.strip(), guests=guests, staff_count=staff_count, host_section=host_section,
        visit_on=visit_on, gift=gift, created_by=actor,
        status=Reception.Status.PLANNED if limit is not None else Reception.Status.LEADER_DECISION,
        settle_due_on=visit_on + datetime.timedelta(days=RECEPTION_SETTLE_DAYS))
    record_event(actor, "office.reception_planned", reception, after={"guests": guests, "staff": staff_count,
                                                                      "limit": limit, "gift": gift})
    return reception


@transaction.atomic
def hold_reception(actor, reception: Reception) -> Reception:
    """The reception takes place: a gift must have a principal leader's consent (A-RECP-06); more than 16 guests
    need the leader's decision first (A-RECP-04)."""
    staff.require_office_staff(actor, reception.area)
    reception = Reception.objects.select_for_update().get(pk=reception.pk)
    if reception.status == Reception.Status.LEADER_DECISION:
        raise PermissionDenied("超过16人的接待须先由领导决定。", "More than 16 guests need a leader's decision first.")
    check(r.GIFT_APPROVAL, area=reception.area, on=reception.visit_on,
          satisfied=not reception.gift or reception.gift_approved_by_id is not None)
    reception.status = Reception.Status.HELD
    reception.save(update_fields=["status"])
    record_event(actor, "office.reception_held", reception)
    return reception


@transaction.atomic
def approve_gift(actor, reception: Reception) -> Reception:
    person = staff.person_of(actor)
    if not staff.may_act_as(person, r.PRINCIPAL_LEADER, reception.area, staff.today()):
        raise PermissionDenied("赠送礼品须经主要领导同意。", "Only a principal leader may approve a gift.")
    reception.gift_approved_by = person
    reception.save(update_fields=["gift_approved_by"])
    record_event(actor, "office.reception_gift_approved", reception)
    return reception


@transaction.atomic
def register_asset(actor, *, street: Area, name: str, section: str, unit_value_fen: int, acquired_on: datetime.date,
                   card_number: str = "", equipment: bool = False, custodian: Person | None = None,
                   holder: Person | None = None) -> Asset:
    """Enter an item in the asset register: from 500 yuan a card number (A-ASSET-09); equipment a custodian
    (A-ASSET-12)."""
    staff.require_office_staff(actor, street)
    needs_card = check(r.ASSET_CARD, area=street, on=acquired_on, unit_value_fen=unit_value_fen).value
    if needs_card and not card_number.strip():
        raise r.ASSET_CARD.violation("asset_card_missing", "单价500元以上的资产须建卡编号",
                                     "Items of 500 yuan or more need a card number",
                                     {"unit_value_fen": unit_value_fen})
    if equipment and custodian is None:
        raise ValidationFailed("电器设备须指定保管人（A-ASSET-12）。", "Equipment needs a custodian (A-ASSET-12).",
                               facts={"field": "custodian"})
    asset = Asset.objects.create(area=street, name=name.strip(), section=section, unit_value_fen=unit_value_fen,
                                 card_number=card_number.strip(), equipment=equipment, custodian=custodian,
                                 holder=holder, acquired_on=acquired_on)
    record_event(actor, "office.asset_registered", asset, after={"name": asset.name, "fen": unit_value_fen,
                                                                 "card": asset.card_number})
    return asset


def salary_transfer_allowed(person: Person) -> bool:
    """A-ASSET-10: no salary-transfer slip while assets are still assigned to the departing person."""
    return not Asset.objects.filter(holder=person).exists()
