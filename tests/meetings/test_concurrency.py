"""Two clerks enter the vote of the same item at the same moment: one outcome is stored, the other is refused."""

import threading

import pytest
from django.db import close_old_connections

from jiceng.core.errors import DomainError
from jiceng.meetings import services
from jiceng.meetings.models import AgendaItem

from .test_services import DAY, at, pwc_meeting


@pytest.mark.django_db(transaction=True)
def test_concurrent_vote_entry_stores_one_outcome(street_world):
    w = street_world
    meeting = pwc_meeting(w, items=["年度预算"])
    item = meeting.items.get()
    services.hold(w.street_staff, meeting, held_at=at(DAY), present=[p.pk for p in w.pwc_members[:7]],
                  chair=w.secretary, recorder=w.pwc_members[1])
    barrier = threading.Barrier(2)
    results: list[str] = []

    def enter(yes: int) -> None:
        try:
            barrier.wait()
            services.record_vote(w.street_staff, item, method="show_of_hands", yes=yes, no=7 - yes)
            results.append("recorded")
        except DomainError as refused:
            results.append(refused.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=enter, args=(yes,)) for yes in (6, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["item_already_decided", "recorded"]
    stored = AgendaItem.objects.get(pk=item.pk)
    assert (stored.yes, stored.status) in {(6, "passed"), (2, "rejected")}
    assert stored.basis["yes"] == stored.yes
