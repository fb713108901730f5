"""Meeting rooms (A-ROOM): bookings without double booking, guaranteed by the database on every backend through
one claimed row per 15-minute slot (office.RoomSlot, unique per room and start)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiceng.audit.services import record_event
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.rules import office as r

from .. import staff
from ..models import Room, RoomBooking, RoomSlot, Section

SLOT = datetime.timedelta(minutes=RoomSlot.SLOT_MINUTES)


def _slots(starts_at: datetime.datetime, ends_at: datetime.datetime) -> list[datetime.datetime]:
    out, at = [], starts_at
    while at < ends_at:
        out.append(at)
        at += SLOT
    return out


def holder_of(room: Room, starts_at: datetime.datetime, ends_at: datetime.datetime) -> RoomBooking | None:
    return (RoomBooking.objects.filter(room=room, released_at__isnull=True, starts_at__lt=ends_at,
                                       ends_at__gt=starts_at).order_by("starts_at").first())


def book_room(actor, *, room: Room, section: str, purpose: str, starts_at: datetime.datetime,
              ends_at: datetime.datetime) -> RoomBooking:
    """Book `room` for [starts_at, ends_at) in whole 15-minute slots. An overlap is refused with the holder named so
    the sections can negotiate (A-ROOM-02); back-to-back bookings (one ends at 16:00, the next starts at 16:00)
    do not overlap."""
    staff.require_office_staff(actor, room.area)
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at) or ends_at <= starts_at:
        raise ValidationFailed("请给出有效的开始和结束时间。", "Give a valid start and end.",
                               facts={"field": "ends_at"})
    if (starts_at.minute % RoomSlot.SLOT_MINUTES or ends_at.minute % RoomSlot.SLOT_MINUTES or starts_at.second
            or ends_at.second or section not in Section.values or not purpose.strip()):
        raise ValidationFailed("预订以15分钟为单位，并须填写科室和用途。",
                               "Book in 15-minute steps with a section and a purpose.", facts={"field": "starts_at"})
    try:
        with transaction.atomic():
            booking = RoomBooking.objects.create(area=room.area, room=room, section=section, purpose=purpose.strip(),
                                                 starts_at=starts_at, ends_at=ends_at, booked_by=actor)
            RoomSlot.objects.bulk_create([RoomSlot(room=room, starts_at=at, booking=booking)
                                          for at in _slots(starts_at, ends_at)])
            record_event(actor, "office.room_booked", booking, after={"room": room.pk, "section": section,
                                                                      "starts_at": starts_at, "ends_at": ends_at})
    except IntegrityError:
        holder = holder_of(room, starts_at, ends_at)
        facts = {"room": room.name}
        if holder is not None:
            facts.update(holder_section=holder.section, holder_starts_at=holder.starts_at.isoformat(),
                         holder_ends_at=holder.ends_at.isoformat())
        raise r.ROOM_NO_OVERLAP.violation(
            "room_double_booked",
            f"该时段会议室已被{Section(holder.section).label if holder else '其他科室'}预订，请协商调整",
            "The room is already booked for that time; negotiate with the holder", facts) from None
    return booking


@transaction.atomic
def release_room(actor, booking: RoomBooking) -> RoomBooking:
    """Only the booker or the office releases a booking; its slots are freed."""
    if actor != booking.booked_by and not staff.may_act_as(staff.person_of(actor), r.OFFICE_DIRECTOR, booking.area,
                                                           staff.today()):
        raise PermissionDenied("只有预订人或办公室可以取消。", "Only the booker or the office may release it.")
    booking = RoomBooking.objects.select_for_update().get(pk=booking.pk)
    booking.released_at = timezone.now()
    booking.save(update_fields=["released_at"])
    RoomSlot.objects.filter(booking=booking).delete()
    record_event(actor, "office.room_released", booking)
    return booking
