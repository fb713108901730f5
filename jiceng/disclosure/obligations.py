"""What each community must publish and when (issue #4 point 1): the periodic duties of the catalogue
(R-PDISC-02 with R-DUES-04 and R-COMMIT-07; A-OPEN-06) as one row per category and period, met, late, due soon
or overdue, plus the unanswered feedback past its deadline and the items flagged for correction."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from jiceng.meetings.schedules import PERIOD_MONTHS, period_bounds
from jiceng.orgs.models import Area
from jiceng.rules import disclosure as r
from jiceng.rules.base import Rulebook

from .models import Board, DisclosureItem, Feedback

LOOKBACK_DAYS = 366  # a year of periods: what the annual assessment (R-PDISC-04) looks at
TIMING_RULES = {Board.PARTY: r.PARTY_TIMING, Board.RESIDENTS: r.RESIDENTS_TIMING}


class State:
    MET = "met"
    LATE = "late"          # published, but after the due date
    UPCOMING = "upcoming"
    DUE = "due"            # within the reminder window
    OVERDUE = "overdue"


STATE_LABELS = {State.MET: ("已按时公开", "published on time"), State.LATE: ("逾期后公开", "published late"),
                State.UPCOMING: ("未到期", "not yet due"), State.DUE: ("即将到期", "due soon"),
                State.OVERDUE: ("逾期未公开", "overdue")}


@dataclass
class Obligation:
    community: Area
    board: str
    category: str
    rule_id: str
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    state: str
    items: list[int] = field(default_factory=list)

    @property
    def category_label(self) -> str:
        return r.CATEGORIES[self.board][self.category]

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state][0]

    def as_dict(self) -> dict:
        return {"community": self.community.pk, "board": self.board, "category": self.category,
                "category_label": self.category_label, "rule": self.rule_id,
                "period_start": self.period_start.isoformat(), "period_end": self.period_end.isoformat(),
                "due_on": self.due_on.isoformat(), "state": self.state, "state_label": self.state_label,
                "items": self.items}


def _shift(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    return datetime.date(day.year + month0 // 12, month0 % 12 + 1, 1)


def _periods(duty: dict, first: datetime.date, on: datetime.date):
    """(start, end, due) for every period of the duty that has started by `on`, from `first`."""
    months = PERIOD_MONTHS[duty["period"]]
    start, _end = period_bounds(duty["period"], first)
    while start <= on:
        period_start, period_end = period_bounds(duty["period"], start)
        due_start = _shift(period_start, months * int(duty.get("grace", 0)))
        due = period_bounds(duty["period"], due_start)[1]
        yield period_start, period_end, due
        start = _shift(period_start, months)


def _matches(item: dict, start: datetime.date, end: datetime.date, due: datetime.date) -> bool:
    """An item counts for a period when the period it covers overlaps it, or, without a stated period, when
    it was published between the period's start and its due date."""
    if item["period_start"] or item["period_end"]:
        return (item["period_start"] or start) <= end and (item["period_end"] or end) >= start
    return start <= item["published_on"] <= due


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def obligations_for(communities: list[Area], on: datetime.date) -> dict[int, list[Obligation]]:
    """{community id: obligations}, with one query for the published items of all communities."""
    table: dict[int, list[Obligation]] = {c.pk: [] for c in communities}
    if not communities:
        return table
    window_start = on - datetime.timedelta(days=LOOKBACK_DAYS)
    duties = {}
    book = Rulebook.for_areas(communities)
    for community in communities:
        for board, rule in TIMING_RULES.items():
            params, _version = book.params(rule, community, on)
            duties[(community.pk, board)] = (rule, params.duties, params.remind_days, params.since)
    categories = {cat for (_rule, board_duties, _days, _since) in duties.values() for cat in board_duties}
    published = defaultdict(list)
    rows = (DisclosureItem.objects.filter(community__in=communities, category__in=categories,
                                          published_at__isnull=False)
            .filter(published_at__gte=_start_of(window_start))
            .values("pk", "community_id", "category", "period_start", "period_end", "published_at"))
    for row in rows:
        row["published_on"] = timezone.localdate(row["published_at"])
        published[(row["community_id"], row["category"])].append(row)
    for community in communities:
        for board in TIMING_RULES:
            rule, board_duties, remind_days, since = duties[(community.pk, board)]
            first = max(community.opened_on, since, window_start)
            for category, duty in board_duties.items():
                for start, end, due in _periods(duty, first, on):
                    if due < window_start:
                        continue
                    hits = [i for i in published[(community.pk, category)] if _matches(i, start, end, due)]
                    on_time = [i for i in hits if i["published_on"] <= due]
                    if on_time:
                        state = State.MET
                    elif hits:
                        state = State.LATE
                    elif on > due:
                        state = State.OVERDUE
                    elif on >= due - datetime.timedelta(days=remind_days):
                        state = State.DUE
                    else:
                        state = State.UPCOMING
                    table[community.pk].append(Obligation(community, board, category, duty.get("rule", rule.id),
                                                          start, end, due, state, [i["pk"] for i in hits]))
    for rows_ in table.values():
        rows_.sort(key=lambda o: (o.due_on, o.board, o.category))
    return table


def obligations(community: Area, on: datetime.date) -> list[Obligation]:
    return obligations_for([community], on)[community.pk]


@dataclass
class CommunityStatus:
    """One line of the street dashboard."""

    community: Area
    overdue: int
    due: int
    late: int
    unanswered_overdue: int
    open_feedback: int
    correction_required: int

    @property
    def behind(self) -> bool:
        return bool(self.overdue or self.unanswered_overdue or self.correction_required)

    def as_dict(self) -> dict:
        return {"community": self.community.pk, "name": self.community.name, "overdue": self.overdue,
                "due": self.due, "late": self.late, "unanswered_overdue": self.unanswered_overdue,
                "open_feedback": self.open_feedback, "correction_required": self.correction_required,
                "behind": self.behind}


def street_status(communities: list[Area], on: datetime.date) -> list[CommunityStatus]:
    """Per community: overdue and due obligations, late publications, feedback past its deadline, and items
    the residents' objections flagged for correction. A constant number of queries whatever the size."""
    table = obligations_for(communities, on)
    ids = [c.pk for c in communities]
    open_feedback = defaultdict(int)
    unanswered = defaultdict(int)
    for community_id, due_on in (Feedback.objects.filter(community_id__in=ids, status=Feedback.Status.OPEN)
                                 .values_list("community_id", "due_on")):
        open_feedback[community_id] += 1
        if due_on < on:
            unanswered[community_id] += 1
    flagged = defaultdict(int)
    for community_id in (DisclosureItem.objects.filter(community_id__in=ids, correction_required_at__isnull=False,
                                                       status=DisclosureItem.Status.PUBLISHED)
                         .values_list("community_id", flat=True)):
        flagged[community_id] += 1
    result = []
    for c in communities:
        states = [o.state for o in table[c.pk]]
        result.append(CommunityStatus(c, states.count(State.OVERDUE), states.count(State.DUE),
                                      states.count(State.LATE), unanswered[c.pk], open_feedback[c.pk], flagged[c.pk]))
    return result
