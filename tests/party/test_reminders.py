"""The hourly reminders: criticism from the first unpaid month (R-DUES-06), a temporary branch from three members
at one place (R-MOB-04), an incoming member without a group (R-MOB-08); sent once per key."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jiceng.notify.models import Reminder
from jiceng.party import reminders, services
from tests import builders

from .conftest import D, probationary


def test_reminders_once_per_key(party_world):
    w = party_world
    member = probationary(w, approved_on=D(2025, 3, 15))
    services.set_dues(w.sec, member, amount="3.00")
    services.pay_dues(w.sec, member, paid_on=D(2025, 3, 20), first_month=D(2025, 3, 1), months=1)
    person = builders.make_person(w.root, w.building_a, "外来党员")
    incoming = services.register(w.sec, person=person, community=w.a, status="full_member", applied_on=D(2010, 1, 1),
                                 admitted_on=D(2011, 1, 1), full_on=D(2012, 1, 1), incoming=True,
                                 arrived_on=D(2025, 1, 1))
    for i, m in enumerate(w.full):
        services.register_departure(w.sec, m, reason="务工", left_on=D(2025, 1, 10), return_on=D(2025, 4, 10),
                                    place="苏州工业园区", place_known=True, contact=f"1380000000{i}",
                                    disposition="certificate")
    now = timezone.now().replace(minute=0)
    assert reminders.schedule_party_reminders(now.replace(minute=1)) == 0  # not on the hour
    first = reminders.schedule_party_reminders(now)
    assert first > 0
    keys = set(Reminder.objects.values_list("key", flat=True))
    assert f"R-DUES-06:member:{member.pk}:2025-04" in keys
    assert f"R-MOB-08:member:{incoming.pk}" in keys
    assert any(k.startswith("R-MOB-04:") for k in keys)
    assert Reminder.objects.get(key=f"R-DUES-06:member:{member.pk}:2025-04").recipients.filter(pk=w.sec.pk).exists()
    reminders.schedule_party_reminders(now + datetime.timedelta(hours=1))
    assert Reminder.objects.count() == len(keys)
