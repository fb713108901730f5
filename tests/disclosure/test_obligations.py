"""Periodic publication duties (R-PDISC-02 with R-DUES-04 and R-COMMIT-07; A-OPEN-06): due, met, late, overdue,
their reminders, and the street dashboard."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jiceng.disclosure.obligations import State, obligations, street_status
from jiceng.disclosure.reminders import schedule_obligation_reminders
from jiceng.notify.models import Reminder
from jiceng.orgs.models import Area

from .conftest import published_party

D = datetime.date


def _row(rows, category, start):
    return next(o for o in rows if o.category == category and o.period_start == start)


def _open_since(area: Area, day: datetime.date) -> None:
    Area.objects.filter(pk=area.pk).update(opened_on=day)
    area.refresh_from_db()


def test_dues_for_a_month_are_due_by_the_end_of_the_next_month(disc_world):
    """R-DUES-04: October's dues publication is on time through 30 November, overdue on 1 December."""
    w = disc_world
    _open_since(w.a, D(2026, 10, 1))
    october = _row(obligations(w.a, D(2026, 11, 30)), "P07", D(2026, 10, 1))
    assert october.due_on == D(2026, 11, 30) and october.rule_id == "R-DUES-04"
    assert october.state == State.DUE  # within the 5-day reminder window
    assert _row(obligations(w.a, D(2026, 11, 24)), "P07", D(2026, 10, 1)).state == State.UPCOMING
    assert _row(obligations(w.a, D(2026, 12, 1)), "P07", D(2026, 10, 1)).state == State.OVERDUE


def _month_before(day: datetime.date, months: int = 1) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    for _ in range(months):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    last = ((first + datetime.timedelta(days=32)).replace(day=1)) - datetime.timedelta(days=1)
    return first, last


def test_a_publication_covering_the_month_meets_it_and_a_late_one_is_marked_late(disc_world):
    w = disc_world
    today = timezone.localdate()
    last_month, two_months_ago = _month_before(today), _month_before(today, 2)
    _open_since(w.a, two_months_ago[0])
    item = published_party(w, period_start=last_month[0], period_end=last_month[1])
    rows = obligations(w.a, today)
    assert _row(rows, "P07", last_month[0]).state == State.MET  # due by the end of this month
    assert _row(rows, "P07", last_month[0]).items == [item.pk]
    published_party(w, title="前月党费", period_start=two_months_ago[0], period_end=two_months_ago[1])
    assert _row(obligations(w.a, today), "P07", two_months_ago[0]).state == State.LATE  # due last month


def test_residents_finances_are_half_yearly_and_task_reports_monthly(disc_world):
    """A-OPEN-06: 财务情况每半年公开一次; 政务 (R06) each month."""
    w = disc_world
    _open_since(w.a, D(2026, 1, 1))
    rows = obligations(w.a, D(2026, 11, 25))
    first_half = _row(rows, "R02", D(2026, 1, 1))
    assert (first_half.period_end, first_half.due_on, first_half.state) == (D(2026, 6, 30), D(2026, 6, 30),
                                                                            State.OVERDUE)
    assert _row(rows, "R06", D(2026, 11, 1)).due_on == D(2026, 11, 30)
    assert _row(rows, "P04", D(2026, 10, 1)).rule_id == "R-COMMIT-07"


def test_periods_before_the_community_opened_are_not_owed(disc_world):
    w = disc_world
    _open_since(w.a, D(2026, 11, 10))
    rows = obligations(w.a, D(2026, 11, 25))
    assert {o.period_start for o in rows if o.category == "P07"} == {D(2026, 11, 1)}


def test_tick_reminds_once_and_publication_cancels_the_reminder(disc_world):
    w = disc_world
    _open_since(w.a, D(2026, 11, 1))
    now = timezone.make_aware(datetime.datetime(2026, 12, 28, 9))  # November's dues are due by 31 December
    first = schedule_obligation_reminders(now)
    assert first > 0
    before = Reminder.objects.count()
    schedule_obligation_reminders(now)
    assert Reminder.objects.count() == before  # idempotent
    dues = Reminder.objects.filter(key__startswith=f"disclosure:{w.a.pk}:party:P07")
    assert set(dues.values_list("recipients__username", flat=True)) >= {"gongkai", "shuji"}
    published_party(w, period_start=D(2026, 11, 1), period_end=D(2026, 11, 30))
    assert not Reminder.objects.filter(key__startswith=f"disclosure:{w.a.pk}:party:P07", cancelled_at__isnull=True,
                                       sent_at__isnull=True).exists()


def test_street_status_counts_what_is_behind(disc_world):
    from jiceng.disclosure import feedback as fb

    w = disc_world
    _open_since(w.a, D(2026, 1, 1))
    item = published_party(w)
    fb.submit(community=w.a, board="party", item=item, kind="question", text="?")
    status = {s.community: s for s in street_status([w.a, w.b], timezone.localdate() + datetime.timedelta(days=20))}
    a = status[w.a]
    assert a.overdue > 0 and a.open_feedback == 1 and a.unanswered_overdue == 1 and a.behind
