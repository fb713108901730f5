"""R-HEAR-15: a held hearing schedules a reminder before day 7 and an overdue notice on day 8; publishing
the results cancels both."""

import datetime

from jiceng.meetings import services
from jiceng.notify.models import Reminder
from tests import builders

from .conftest import at

D = datetime.date


def held_hearing(w):
    invitees = [builders.make_person(w.root, w.building_a, f"代表{i}") for i in range(5)]
    meeting = services.create_meeting(w.worker_a, kind="hearing", body=w.rc, title="加装电梯听证会",
                                      subject_category="H2", scheduled_at=at(D(2025, 3, 10)),
                                      expected=[p.pk for p in invitees])
    for party, user in [("party_org", w.worker_a), ("residents_committee", w.worker_a),
                        ("street_office", w.street_staff)]:
        services.confirm_participants(user, meeting, party=party)
    services.publish_notice(w.worker_a, meeting, published_at=at(D(2025, 3, 6)))
    return services.hold(w.worker_a, meeting, held_at=at(D(2025, 3, 10)), present=[p.pk for p in invitees[:3]])


def test_holding_a_hearing_schedules_its_publication_reminders(street_world):
    meeting = held_hearing(street_world)
    due, overdue = (Reminder.objects.get(key=f"R-HEAR-15:meeting:{meeting.pk}:{suffix}") for suffix in ("due",
                                                                                                        "overdue"))
    assert due.deadline_on == overdue.deadline_on == D(2025, 3, 17)
    assert due.due_at.date() == D(2025, 3, 15) and overdue.due_at.date() == D(2025, 3, 18)
    assert "R-HEAR-15" in due.body and "2025-03-17" in due.body
    assert street_world.worker_a in due.recipients.all()


def test_publishing_the_results_cancels_the_reminders(street_world):
    meeting = held_hearing(street_world)
    services.record_results_published(street_world.worker_a, meeting, published_on=D(2025, 3, 14))
    assert not Reminder.objects.filter(key__startswith=f"R-HEAR-15:meeting:{meeting.pk}:",
                                       cancelled_at__isnull=True).exists()
