"""Recurring meeting obligations (issue #3 point 6; rules-core §2.9 R-MTG, R-CPO-01/03/04, R-JOINT-01,
R-PWC-23, R-EVAL-02): which meetings each body must hold how often, whether it has, and the reminders.

What a body owes is data (`DUTIES`); how often comes from the cadence rules in jiceng/rules/meetings.py,
under the rulebook version its district has in force (C-01: a district may make R-MTG-08 yearly). Periods
are calendar months, quarters, half-years and years in Asia/Shanghai (rules-core §0.3). A period is met when
enough meetings of the kind were held (status held or closed, `held_at` inside the period).

`obligations` serves one body's page and API; `overdue_bodies` serves the street and district dashboards and
the compliance scan (issue 6); `schedule_due_reminders` is the `jiceng tick` job (REMIND before a period
ends, and once more after it ended unmet).
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.accounts.roles import PERMISSIONS, Perm
from jiceng.core.ticking import register_tick
from jiceng.orgs.models import Body, Membership, Role
from jiceng.rules.base import Rule, Rulebook
from jiceng.rules.meetings import CADENCES
from jiceng.rules.shapes import CadenceParams

from .kinds import SECTIONS
from .models import Kind, Meeting

K = Body.Kind


@dataclass(frozen=True)
class Duty:
    """A body owes meetings of `kind` at the cadence of rule `CADENCES[cadence]`. Meetings of `kind` held by a
    body of one of `also_held_by` in the same area count too. A `year_end` duty counts only meetings held in
    the year-end window (R-EVAL-02 "在每年的年底进行")."""

    kind: str
    cadence: str
    also_held_by: tuple[str, ...] = ()
    year_end: bool = False

    @property
    def rule(self) -> Rule:
        return CADENCES[self.cadence]


_PARTY_GROUP = (Duty(Kind.PARTY_GROUP_MEETING, "party_group_meeting"),)  # R-MTG-03, per party group

DUTIES: dict[str, tuple[Duty, ...]] = {
    K.COMMUNITY_PARTY_ORG: (
        Duty(Kind.PARTY_ORG_COMMITTEE_MEETING, "party_org_committee_meeting"),              # R-MTG-01 = R-CPO-01
        Duty(Kind.PARTY_MEMBERS_ASSEMBLY, "party_members_assembly",                         # R-MTG-02
             also_held_by=(K.PARTY_MEMBERS_ASSEMBLY,)),
        Duty(Kind.PARTY_LECTURE, "party_lecture"),                                          # R-MTG-04
        Duty(Kind.ORGANIZATIONAL_LIFE_MEETING, "organizational_life_meeting"),              # R-MTG-05 = R-CPO-03
        Duty(Kind.COMMUNITY_WORK_JOINT_MEETING, "community_work_joint_meeting"),            # R-MTG-06 = R-CPO-04
        Duty(Kind.TWO_COMMITTEES_JOINT_MEETING, "two_committees_joint_meeting"),            # R-MTG-07 = R-JOINT-01
        Duty(Kind.DEMOCRATIC_LIFE_MEETING, "democratic_life_meeting"),                      # R-MTG-08 (C-01)
        Duty(Kind.EVALUATION_MEETING, "evaluation_meeting", year_end=True),                 # R-EVAL-02 = R-MTG-12
    ),
    K.PARTY_GROUP: _PARTY_GROUP,
    K.GRID_PARTY_GROUP: _PARTY_GROUP,
    K.BUILDING_PARTY_GROUP: _PARTY_GROUP,
    K.PARTY_WORKING_COMMITTEE: (
        Duty(Kind.PWC_MEETING, "pwc_meeting"),                                              # R-MTG-10 = R-PWC-23
        Duty(Kind.DEMOCRATIC_LIFE_MEETING, "pwc_democratic_life_meeting"),                  # R-MTG-09 (C-02)
        Duty(Kind.CENTRAL_GROUP_STUDY_SESSION, "central_group_study_session"),              # R-MTG-11
    ),
    # Seed 003's two street models together (rules-admin V-MEET: P1's meetings and P10's four regular
    # meetings); a district on one model sets the other's counts to 0 in its rulebook version.
    K.STREET_OFFICE: (
        Duty(Kind.DIRECTOR_MEETING, "director_meeting"),                                    # A-MEET-01
        Duty(Kind.OFFICE_MEETING, "office_meeting"),                                        # A-MEET-02
        Duty(Kind.ADMINISTRATIVE_REGULAR_MEETING, "administrative_regular_meeting"),        # A-MEET-10
        Duty(Kind.ZONGZHI_REGULAR_MEETING, "zongzhi_regular_meeting"),                      # A-MEET-10
        Duty(Kind.COMMUNITY_WORK_REGULAR_MEETING, "community_work_regular_meeting"),        # A-MEET-10
        Duty(Kind.URBAN_MANAGEMENT_REGULAR_MEETING, "urban_management_regular_meeting"),    # A-MEET-10
    ),
    **{kind: (Duty(Kind.SECTION_MEETING, "section_meeting"),) for kind in SECTIONS},        # A-MEET-03
}

# Who chairs each obligated body, and is reminded of its meetings besides the users who run them.
CHAIR_ROLES: dict[str, frozenset[str]] = {
    K.COMMUNITY_PARTY_ORG: frozenset({Role.COMMUNITY_PARTY_SECRETARY}),
    K.PARTY_WORKING_COMMITTEE: frozenset({Role.PWC_SECRETARY}),
    K.STREET_OFFICE: frozenset({Role.STREET_OFFICE_DIRECTOR}),
    K.PARTY_GROUP: frozenset({Role.PARTY_GROUP_LEADER}),
    K.GRID_PARTY_GROUP: frozenset({Role.PARTY_GROUP_LEADER}),
    K.BUILDING_PARTY_GROUP: frozenset({Role.BUILDING_PARTY_GROUP_LEADER, Role.PARTY_GROUP_LEADER}),
}

# Days before a period ends on which its reminder goes out. The seeds give no lead time (rules-core §2.9 says
# only "REMIND before the period ends"), so these are ours; change them here. For the year-end evaluation the
# lead counts from the start of the December window, which gives the spec's "from 1 November" (R-EVAL-02).
LEAD_DAYS = {"month": 7, "quarter": 14, "half_year": 30, "year": 30}
PERIOD_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
# 年底 = December by default (rules-core §0.3, INFERRED): the first month of the year-end window.
YEAR_END_FROM_MONTH = 12
# R-EVAL-02: special-topic and inspection evaluations may be held at any time and do not replace the yearly
# comprehensive one; an evaluation meeting whose form is not stated counts as comprehensive, the usual form.
NOT_COUNTED = Q(kind=Kind.EVALUATION_MEETING, evaluation_form__in=("special_topic", "inspection"))
COUNTED_STATUSES = (Meeting.Status.HELD, Meeting.Status.CLOSED)
CHUNK = 200  # bodies per batch of queries

PERIOD_WORDS = {  # (this period, the previous one), as reminders name them
    "month": ("本月", "上月"), "quarter": ("本季度", "上季度"), "half_year": ("本半年", "上一个半年"),
    "year": ("本年度", "上年度"),
}
YEAR_END_WORDS = ("本年度年底", "上年度年底")


class State:
    MET = "met"
    DUE = "due"            # not yet met, and the period is not over
    OVERDUE = "overdue"    # not yet met, and the previous period ended unmet as well


STATE_LABELS = {State.MET: _("已完成"), State.DUE: _("待召开"), State.OVERDUE: _("逾期")}
PERIOD_LABELS = {"month": _("每月"), "quarter": _("每季度"), "half_year": _("每半年"), "year": _("每年")}


@dataclass(frozen=True)
class Period:
    """One period of an obligation: meetings held from `counts_from` to `end` (inclusive) count."""

    period: str          # "month" | "quarter" | "half_year" | "year"
    start: datetime.date
    end: datetime.date
    counts_from: datetime.date
    required: int
    held: int
    rulebook_version: str

    @property
    def met(self) -> bool:
        return self.held >= self.required


@dataclass(frozen=True)
class Obligation:
    body_id: int
    kind: str
    rule_id: str
    citation: str
    summary_zh: str
    summary_en: str
    period: str          # "month" | "quarter" | "half_year" | "year"
    current: Period
    previous: Period | None  # None when the body did not exist for the whole previous period
    state: str
    remind_on: datetime.date

    @property
    def period_start(self) -> datetime.date:
        return self.current.start

    @property
    def period_end(self) -> datetime.date:
        return self.current.end

    @property
    def due_on(self) -> datetime.date:
        return self.current.end

    @property
    def required(self) -> int:
        return self.current.required

    @property
    def held(self) -> int:
        return self.current.held

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def period_label(self) -> str:
        return str(PERIOD_LABELS.get(self.period, self.period))

    @property
    def missed_previous(self) -> bool:
        return self.previous is not None and not self.previous.met

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "kind_label": self.kind_label, "rule": self.rule_id, "citation": self.citation,
            "summary": self.summary_zh, "summary_en": self.summary_en, "period": self.period,
            "period_start": self.current.start, "period_end": self.current.end,
            "counts_from": self.current.counts_from, "required": self.current.required, "held": self.current.held,
            "state": self.state, "due_on": self.due_on, "remind_on": self.remind_on,
            "rulebook_version": self.current.rulebook_version,
            "previous": None if self.previous is None else {
                "period": self.previous.period, "period_start": self.previous.start, "period_end": self.previous.end,
                "counts_from": self.previous.counts_from, "required": self.previous.required,
                "held": self.previous.held, "met": self.previous.met,
                "rulebook_version": self.previous.rulebook_version},
        }


@dataclass(frozen=True)
class BehindBody:
    body: Body
    obligations: list[Obligation]  # those whose previous period ended unmet


# Periods --------------------------------------------------------------------------------------------------

def period_bounds(period: str, on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The calendar month, quarter, half-year (Jan–Jun, Jul–Dec) or year containing `on` (rules-core §0.3).

    Raises ValueError for any other period name (a district override the cadence rules do not know)."""
    months = PERIOD_MONTHS.get(period)
    if months is None:
        raise ValueError(f"unknown cadence period {period!r}; expected one of {sorted(PERIOD_MONTHS)}")
    first = (on.month - 1) // months * months + 1
    last = first + months - 1
    return datetime.date(on.year, first, 1), datetime.date(on.year, last, calendar.monthrange(on.year, last)[1])


def _months(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    day = start.replace(day=1)
    while day <= end:
        yield day
        day = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


# Rulebook -------------------------------------------------------------------------------------------------

# Obligations ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Plan:
    duty: Duty
    current: tuple   # (period, start, end, counts_from, required, rulebook version)
    previous: tuple | None


def _span(duty: Duty, params: CadenceParams, version: str, day: datetime.date) -> tuple:
    """(period, start, end, counts_from, required, version) of the period containing `day`."""
    start, end = period_bounds(params.period, day)
    counts_from = start
    if duty.year_end and params.period == "year":
        counts_from = datetime.date(end.year, YEAR_END_FROM_MONTH, 1)
    return params.period, start, end, counts_from, params.count, version


def _plan(duty: Duty, body: Body, on: datetime.date, book: Rulebook) -> _Plan:
    params, version = book.params(duty.rule, body.area, on)
    current = _span(duty, params, version, on)
    # The previous period is judged by the version in force on its last day, and only if the body existed
    # for all of it.
    before = current[1] - datetime.timedelta(days=1)
    previous = _span(duty, *book.params(duty.rule, body.area, before), before)
    return _Plan(duty, current, previous if body.opened_on <= previous[1] else None)


def _held_by_month(bodies: list[Body], plans: dict[int, list[_Plan]]) -> dict[tuple[int, str], dict]:
    """{(body id, meeting kind): {first of month: meetings held}} for the months any plan looks at, in one
    aggregate query: every period is a run of whole months, so monthly counts add up to any of them."""
    starts = [(p.previous or p.current)[1] for ps in plans.values() for p in ps]
    if not starts:
        return {}
    ends = [p.current[2] for ps in plans.values() for p in ps]
    tz = timezone.get_default_timezone()
    since = timezone.make_aware(datetime.datetime.combine(min(starts), datetime.time.min), tz)
    until = timezone.make_aware(datetime.datetime.combine(max(ends) + datetime.timedelta(days=1),
                                                          datetime.time.min), tz)
    ids = {b.pk for b in bodies}
    kinds = {p.duty.kind for ps in plans.values() for p in ps}
    # R-MTG-02 and the like: meetings a sibling body of the same area holds for the obligated body.
    shared = defaultdict(set)  # (area id, meeting kind, sibling body kind) -> obligated body ids
    for body in bodies:
        for plan in plans[body.pk]:
            for sibling_kind in plan.duty.also_held_by:
                shared[(body.area_id, plan.duty.kind, sibling_kind)].add(body.pk)
    whose = Q(body_id__in=ids)
    for area_id, kind, sibling_kind in shared:
        whose |= Q(body__area_id=area_id, body__kind=sibling_kind, kind=kind)
    rows = (Meeting.objects.filter(whose, kind__in=kinds, status__in=COUNTED_STATUSES, held_at__gte=since,
                                   held_at__lt=until).exclude(NOT_COUNTED)
            .annotate(month=TruncMonth("held_at", output_field=DateField(), tzinfo=tz))
            .values("body_id", "body__area_id", "body__kind", "kind", "month").annotate(n=Count("pk"))
            .order_by())
    held: dict[tuple[int, str], dict] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if row["body_id"] in ids:
            owners = {row["body_id"]}
        else:
            owners = shared.get((row["body__area_id"], row["kind"], row["body__kind"]), set())
        for owner in owners:
            held[(owner, row["kind"])][row["month"]] += row["n"]
    return held


def _obligations_for(bodies: list[Body], on: datetime.date) -> dict[int, list]:
    """{body id: [Obligation]} for bodies (with their area loaded): two queries for the whole list."""
    book = Rulebook.for_areas(b.area for b in bodies)
    live = [b for b in bodies if b.kind in DUTIES and b.opened_on <= on and (b.closed_on is None or b.closed_on > on)]
    plans = {b.pk: [_plan(duty, b, on, book) for duty in DUTIES[b.kind]] for b in live}
    held = _held_by_month(live, plans)
    result: dict[int, list] = {b.pk: [] for b in bodies}
    for body in live:
        for plan in plans[body.pk]:
            months = held.get((body.pk, plan.duty.kind), {})
            current = _period(plan.current, months)
            previous = _period(plan.previous, months) if plan.previous else None
            if current.met:
                state = State.MET
            elif previous is not None and not previous.met:
                state = State.OVERDUE
            else:
                state = State.DUE
            # The lead counts back from the period end, or from the start of a year-end window.
            anchor = current.counts_from if current.counts_from != current.start else current.end
            remind_on = max(current.start, anchor - datetime.timedelta(days=LEAD_DAYS[current.period]))
            rule = plan.duty.rule
            result[body.pk].append(Obligation(
                body_id=body.pk, kind=plan.duty.kind, rule_id=rule.id, citation=str(rule.citation),
                summary_zh=rule.summary_zh, summary_en=rule.summary_en, period=current.period, current=current,
                previous=previous, state=state, remind_on=remind_on))
    return result


def _period(span: tuple, months: dict) -> Period:
    period, start, end, counts_from, required, version = span
    held = sum(months.get(month, 0) for month in _months(counts_from, end))
    return Period(period, start, end, counts_from, required, held, version)


def obligations_of(bodies: list[Body], on: datetime.date) -> dict[int, list[Obligation]]:
    """{body id: obligations} for many bodies with two queries per CHUNK (the compliance figures, issue #6)."""
    table: dict[int, list[Obligation]] = {}
    for chunk in _chunks(bodies, CHUNK):
        table.update(_obligations_for(chunk, on))
    return table


def obligations(body: Body, on: datetime.date) -> list[Obligation]:
    """What `body` owes in the periods containing `on`: per meeting kind of DUTIES[body.kind], the rule and its
    article, the period, how many meetings are required (district version in force on `on`) and were held,
    the state (met, due, overdue), the due date and the reminder date. An empty list for a body without
    recurring meetings, or one not open on `on`. Two queries besides loading `body.area`."""
    return _obligations_for([body], on)[body.pk]


def overdue_bodies(bodies, on: datetime.date, *, include_caught_up: bool = False) -> list[BehindBody]:
    """The bodies of queryset `bodies` that are behind schedule on `on`, with the obligations concerned.

    Behind: an obligation is overdue (its previous period ended unmet and the current one is not met yet).
    With `include_caught_up`, also a previous period that ended unmet though the current one is met: what the
    compliance scan FLAGs (rules-core §2.9). One query for the bodies and two per CHUNK of them, whatever the
    number of meeting kinds."""
    candidates = (bodies.filter(kind__in=list(DUTIES), opened_on__lte=on)
                  .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
                  .select_related("area").order_by("area__path", "kind", "name", "pk"))
    found: list[BehindBody] = []
    for chunk in _chunks(candidates.iterator(chunk_size=CHUNK), CHUNK):
        table = _obligations_for(chunk, on)
        for body in chunk:
            late = [o for o in table[body.pk]
                    if o.state == State.OVERDUE or (include_caught_up and o.missed_previous)]
            if late:
                found.append(BehindBody(body, late))
    return found


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# Reminders ------------------------------------------------------------------------------------------------

def reminder_key(obligation: Obligation, *, overdue: bool = False) -> str:
    """Stable per body, rule and period, so each reminder is sent once: "R-MTG-01:body:7:2025-04-01"."""
    if overdue:
        return f"{obligation.rule_id}:body:{obligation.body_id}:{obligation.previous.start.isoformat()}:overdue"
    return f"{obligation.rule_id}:body:{obligation.body_id}:{obligation.current.start.isoformat()}"


def _short_label(kind: str) -> str:
    return str(Kind(kind).label).split("（")[0]


def _message(body: Body, obligation: Obligation, *, overdue: bool) -> tuple[str, str, datetime.date]:
    period = obligation.previous if overdue else obligation.current
    words = YEAR_END_WORDS if period.counts_from != period.start else PERIOD_WORDS[period.period]
    word = words[1] if overdue else words[0]
    what = _short_label(obligation.kind)
    article = f"依据 {obligation.rule_id}（{obligation.citation}）：{obligation.summary_zh}"
    if overdue:
        title = f"逾期：{word}{what}未按规定召开"
        text = (f"{body.name}{word}（{period.counts_from}至{period.end}）应召开{what}{period.required}次，"
                f"实际召开{period.held}次，已于 {period.end} 逾期。{article}")
    else:
        title = f"提醒：{word}{what}尚未召开"
        text = (f"{body.name}{word}应召开{what}{period.required}次，已召开{period.held}次，"
                f"须于 {period.end} 前召开。{article}")
    return title, text, period.end


def responsible_users(bodies: list[Body], on: datetime.date) -> dict[int, set[int]]:
    """{body id: user ids}: users whose person chairs the body on `on`, and users holding RUN_MEETINGS on the
    body's own area (those who convene its meetings; users above it watch the overdue dashboard instead)."""
    from jiceng.accounts.models import Account, RoleAssignment

    users: dict[int, set[int]] = {b.pk: set() for b in bodies}
    chairs = Membership.objects.on(on).filter(
        Q(*[Q(body__kind=kind, role__in=roles) for kind, roles in CHAIR_ROLES.items()], _connector=Q.OR),
        body__in=[b.pk for b in bodies]).values_list("body_id", "person_id")
    by_person = defaultdict(set)
    for body_id, person_id in chairs:
        by_person[person_id].add(body_id)
    for user_id, person_id in Account.objects.filter(person_id__in=list(by_person),
                                                      user__is_active=True).values_list("user_id", "person_id"):
        for body_id in by_person[person_id]:
            users[body_id].add(user_id)
    runners = [role for role, perms in PERMISSIONS.items() if Perm.RUN_MEETINGS in perms]
    by_area = defaultdict(set)
    for b in bodies:
        by_area[b.area_id].add(b.pk)
    assignments = (RoleAssignment.objects.on(on).filter(area_id__in=list(by_area), role__in=runners,
                                                        user__is_active=True)
                   .values_list("area_id", "body_id", "user_id"))
    for area_id, only_body, user_id in assignments:
        for body_id in by_area[area_id]:
            if only_body is None or only_body == body_id:
                users[body_id].add(user_id)
    return users


@register_tick("meetings.schedules")
def schedule_due_reminders(now: datetime.datetime) -> int:
    """Schedule, once each, the reminders of recurring meetings on `now`'s local date; return how many.

    For every open body with obligations: when the reminder date of the current period has come and it is
    not met, a reminder due now ("…:<period start>"); when the previous period ended unmet, an overdue
    reminder ("…:<previous period start>:overdue"). Keys already scheduled or sent are left alone, so two
    ticks (or two machines) send one reminder; a pending reminder whose period has since been met is
    cancelled. Sent to the body's chair and the users who run meetings on its area."""
    from jiceng.notify import services as notify
    from jiceng.notify.models import Reminder

    today = timezone.localdate(now)
    bodies = (Body.objects.active(today).filter(kind__in=list(DUTIES)).select_related("area").order_by("pk"))
    scheduled = 0
    for chunk in _chunks(bodies.iterator(chunk_size=CHUNK), CHUNK):
        table = _obligations_for(chunk, today)
        wanted: dict[str, tuple[Body, Obligation, bool]] = {}
        met_keys = []
        for body in chunk:
            for obligation in table[body.pk]:
                if obligation.state == State.MET:
                    met_keys.append(reminder_key(obligation))
                elif today >= obligation.remind_on:
                    wanted[reminder_key(obligation)] = (body, obligation, False)
                if obligation.missed_previous:
                    wanted[reminder_key(obligation, overdue=True)] = (body, obligation, True)
        # A reminder that is pending or sent stays as it is; a cancelled one may be brought back.
        known = set(Reminder.objects.filter(key__in=list(wanted), cancelled_at__isnull=True)
                    .values_list("key", flat=True))
        for key in Reminder.objects.filter(key__in=met_keys, sent_at__isnull=True, cancelled_at__isnull=True) \
                .values_list("key", flat=True):
            notify.cancel_reminders(key)  # met since it was scheduled: nothing to remind of
        todo = {key: value for key, value in wanted.items() if key not in known}
        if not todo:
            continue
        recipients = responsible_users([body for body, _o, _late in todo.values()], today)
        for key, (body, obligation, overdue) in todo.items():
            title, text, deadline = _message(body, obligation, overdue=overdue)
            notify.schedule_reminder(key=key, due_at=now, recipients=recipients[body.pk], title=title, body=text,
                                     rule_id=obligation.rule_id, deadline=deadline,
                                     link=reverse("web:body", args=[body.pk]) + "#obligations", subject=body)
            scheduled += 1
    return scheduled
