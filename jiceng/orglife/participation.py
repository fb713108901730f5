"""三会一课 and organisational life over one year for one party organisation (rules-core §2.9 R-MTG-01..05/08/14,
R-EDU-02): per kind, each period met or missed under the cadence rule in force, the topics discussed, and each
member's attendance from the meetings engine. Reads only; meetings are held and recorded in jiceng/meetings.

A constant number of queries whatever the number of meetings or members (the participation page and its export).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.meetings.models import AgendaItem, Attendance, Kind, Meeting
from jiceng.meetings.schedules import COUNTED_STATUSES, PERIOD_MONTHS, period_bounds
from jiceng.orgs.models import Body
from jiceng.rules import orglife as r
from jiceng.rules.base import Rule, Rulebook
from jiceng.rules.meetings import CADENCES

from . import access
from .models import Screening

K = Body.Kind
GROUP_KINDS = (K.PARTY_GROUP, K.GRID_PARTY_GROUP, K.BUILDING_PARTY_GROUP)
# (meeting kind, cadence rule) of the organisation itself, in the order branches report them.
ORG_DUTIES: tuple[tuple[str, Rule], ...] = (
    (Kind.PARTY_MEMBERS_ASSEMBLY, CADENCES["party_members_assembly"]),            # R-MTG-02
    (Kind.PARTY_ORG_COMMITTEE_MEETING, CADENCES["party_org_committee_meeting"]),  # R-MTG-01
    (Kind.PARTY_LECTURE, CADENCES["party_lecture"]),                              # R-MTG-04
    (Kind.ORGANIZATIONAL_LIFE_MEETING, CADENCES["organizational_life_meeting"]),  # R-MTG-05
    (Kind.DEMOCRATIC_LIFE_MEETING, CADENCES["democratic_life_meeting"]),          # R-MTG-08
)
GROUP_DUTY = (Kind.PARTY_GROUP_MEETING, CADENCES["party_group_meeting"])         # R-MTG-03
SCREENING = "screening"
ATTENDED_KINDS = [kind for kind, _rule in ORG_DUTIES] + [Kind.PARTY_GROUP_MEETING]

MET, MISSED, OPEN, UPCOMING, NOT_APPLICABLE = "met", "missed", "open", "upcoming", "n/a"
STATE_LABELS = {MET: _("已完成"), MISSED: _("未完成"), OPEN: _("进行中"), UPCOMING: _("未到期"), NOT_APPLICABLE: "—"}


@dataclass
class PeriodRow:
    start: datetime.date
    end: datetime.date
    required: int
    held: int
    state: str

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass
class DutyRow:
    kind: str
    label: str
    body: Body
    rule_id: str
    citation: str
    period: str
    periods: list[PeriodRow]
    topics: list[tuple[datetime.date, str, list[str]]] = field(default_factory=list)

    @property
    def missed(self) -> int:
        return sum(1 for p in self.periods if p.state == MISSED)

    @property
    def met(self) -> int:
        return sum(1 for p in self.periods if p.state == MET)


@dataclass
class MemberRow:
    person_id: int
    name: str
    by_kind: dict  # kind -> {"expected", "present", "leave", "absent"}
    screenings: int

    @property
    def expected(self) -> int:
        return sum(v["expected"] for v in self.by_kind.values())

    @property
    def present(self) -> int:
        return sum(v["present"] for v in self.by_kind.values())

    @property
    def rate(self) -> str:
        return f"{self.present * 100 // self.expected}%" if self.expected else "—"


@dataclass
class YearReport:
    party_org: Body
    year: int
    duties: list[DutyRow]
    members: list[MemberRow]
    kinds: list[tuple[str, str]]
    screenings: int

    @property
    def missed(self) -> int:
        return sum(d.missed for d in self.duties)


def _periods(period: str, year: int) -> list[tuple[datetime.date, datetime.date]]:
    months = PERIOD_MONTHS[period]
    return [period_bounds(period, datetime.date(year, m, 1)) for m in range(1, 13, months)]


def _judge_periods(rule: Rule, body: Body, year: int, book: Rulebook, held_on: list[datetime.date],
                   today: datetime.date) -> tuple[str, list[PeriodRow]]:
    params, _v = book.params(rule, body.area, datetime.date(year, 12, 31))
    rows = []
    for start, end in _periods(params.period, year):
        p, _v = book.params(rule, body.area, min(end, today) if start <= today else end)
        held = sum(1 for day in held_on if start <= day <= end)
        if body.opened_on > end or (body.closed_on is not None and body.closed_on <= start):
            state = NOT_APPLICABLE
        elif held >= p.count:
            state = MET
        elif end < today:
            state = MISSED
        elif start <= today:
            state = OPEN
        else:
            state = UPCOMING
        rows.append(PeriodRow(start, end, p.count, held, state))
    return params.period, rows


def year_report(party_org: Body, year: int, today: datetime.date | None = None) -> YearReport:
    """The organisation's year: cadence compliance of each kind with its topics, and each member's attendance."""
    today = today or timezone.localdate()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    groups = list(Body.objects.filter(parent_body=party_org, kind__in=GROUP_KINDS).select_related("area"))
    assembly_bodies = list(Body.objects.filter(area=party_org.area, kind=K.PARTY_MEMBERS_ASSEMBLY)
                           .values_list("pk", flat=True))
    tz = timezone.get_default_timezone()
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), tz)
    until = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min), tz)
    bodies = [party_org.pk, *assembly_bodies, *[g.pk for g in groups]]
    meetings = list(Meeting.objects.filter(body_id__in=bodies, kind__in=ATTENDED_KINDS, status__in=COUNTED_STATUSES,
                                           held_at__gte=since, held_at__lt=until)
                    .prefetch_related(Prefetch("items", queryset=AgendaItem.objects.only("pk", "meeting_id", "title")
                                               .order_by("order", "pk")))
                    .order_by("held_at", "pk"))
    book = Rulebook.for_areas([party_org.area])
    by_owner_kind: dict[tuple[int, str], list[Meeting]] = defaultdict(list)
    for m in meetings:
        owner = party_org.pk if m.body_id in assembly_bodies else m.body_id
        by_owner_kind[(owner, m.kind)].append(m)
    duties = []
    for kind, rule in ORG_DUTIES:
        duties.append(_duty(kind, rule, party_org, by_owner_kind[(party_org.pk, kind)], year, book, today))
    for group in groups:
        kind, rule = GROUP_DUTY
        duties.append(_duty(kind, rule, group, by_owner_kind[(group.pk, kind)], year, book, today))
    screenings = list(Screening.objects.filter(party_org=party_org, held_on__range=(start, end))
                      .select_related("film").prefetch_related("attendees").order_by("held_on", "pk"))
    period, rows = _judge_periods(r.EDU_MONTHLY, party_org, year, book, [s.held_on for s in screenings], today)
    duties.append(DutyRow(SCREENING, str(_("电教片收看")), party_org, r.EDU_MONTHLY.id, str(r.EDU_MONTHLY.citation),
                          period, rows, [(s.held_on, s.film.title, []) for s in screenings]))
    members = _members(party_org, start, end, [m.pk for m in meetings], screenings)
    kinds = [(kind, _short(kind)) for kind in ATTENDED_KINDS if kind != Kind.PARTY_GROUP_MEETING or groups]
    return YearReport(party_org, year, duties, members, kinds, len(screenings))


def _short(kind: str) -> str:
    return str(Kind(kind).label).split("（")[0]


def _duty(kind, rule, body, meetings, year, book, today) -> DutyRow:
    held_on = [timezone.localdate(m.held_at) for m in meetings]
    period, rows = _judge_periods(rule, body, year, book, held_on, today)
    label = _short(kind) if body.kind in Body.PARTY_ORG_KINDS else f"{_short(kind)}（{body.name}）"
    topics = [(timezone.localdate(m.held_at), m.title, [i.title for i in m.items.all()]) for m in meetings]
    return DutyRow(kind, label, body, rule.id, str(rule.citation), period, rows, topics)


def _members(party_org, start, end, meeting_ids, screenings) -> list[MemberRow]:
    people = access.members_during(party_org, start, end)
    counts = (Attendance.objects.filter(meeting_id__in=meeting_ids, person_id__in=[p.pk for p in people])
              .values("person_id", "meeting__kind", "expected", "status").annotate(n=Count("pk")).order_by())
    table: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: {"expected": 0, "present": 0, "leave": 0,
                                                                       "absent": 0}))
    for row in counts:
        cell = table[row["person_id"]][row["meeting__kind"]]
        if row["expected"]:
            cell["expected"] += row["n"]
        if row["status"] == Attendance.Status.PRESENT:
            cell["present"] += row["n"]
        elif row["status"] == Attendance.Status.LEAVE:
            cell["leave"] += row["n"]
        elif row["expected"]:
            cell["absent"] += row["n"]
    watched = defaultdict(int)
    for screening in screenings:
        for person in screening.attendees.all():
            watched[person.pk] += 1
    return [MemberRow(p.pk, p.name, {k: dict(v) for k, v in table[p.pk].items()}, watched[p.pk]) for p in people]
