"""Read helpers shared by the screens, the API, the export and the scan: the dues ledger, runs of unpaid months,
what the branch secretary has to do this month."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch

from jiceng.accounts import scope
from jiceng.orgs.models import Area
from jiceng.rules import party as r
from jiceng.rules.base import params_for

from .models import DuesDecision, DuesMonth, MobileEpisode, Notice, PartyMember, Step

S = PartyMember.Status


def due_months(member: PartyMember, until: datetime.date) -> list[datetime.date]:
    """Months for which `member` owes dues up to `until`'s month: from the month of admission as probationary member
    (R-DUES-05) to the month before he left (a member who left in a month owes nothing more)."""
    if member.admitted_on is None:
        return []
    last = until
    if member.left_on is not None:
        last = min(last, member.left_on - datetime.timedelta(days=1))
    first = max(member.admitted_on, member.dues_from or member.admitted_on)
    if last < first:
        return []
    return r.months_between(first, last)


def excused_months(member: PartyMember, decisions=None) -> set[datetime.date]:
    decisions = member.dues_decisions.all() if decisions is None else decisions
    out = set()
    for d in decisions:
        if d.outcome == DuesDecision.Outcome.VALID_REASON:
            out |= {datetime.date.fromisoformat(f"{m}-01") for m in d.months}
    return out


def unpaid_run(member: PartyMember, today: datetime.date, *, paid: set | None = None,
               decisions=None) -> list[datetime.date]:
    """The current run of consecutive ended, unpaid, unexcused months (R-DUES-07, R-DUES-08)."""
    if paid is None:
        paid = set(member.dues_months.values_list("month", flat=True))
    return r.unpaid_streak(due_months=due_months(member, today), paid=paid, excused=excused_months(member, decisions),
                           today=today, quarterly=member.cycle == PartyMember.Cycle.QUARTERLY)


def roster(user, *, community: Area | None = None, status: str | None = None, group_id: int | None = None,
           q: str = ""):
    qs = PartyMember.objects.visible_to(user).select_related("person", "group", "community", "party_org")
    if community is not None:
        qs = qs.filter(community=community)
    if status:
        qs = qs.filter(status=status)
    if group_id:
        qs = qs.filter(group_id=group_id)
    if q:
        qs = qs.filter(person__name__contains=q.strip())
    return qs.order_by("pk")


def ledger(community: Area, year: int, today: datetime.date | None = None) -> dict:
    """The year's dues ledger in the layout branches hand upward: one row per member, twelve month cells (amount
    paid, "欠" owed, "" not due), the member's total; and the month totals. Three queries, whatever the size."""
    today = today or scope.today()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    months = r.months_between(start, end)
    members = list(PartyMember.objects.filter(community=community, admitted_on__lte=end)
                   .exclude(left_on__lt=start).select_related("person", "group")
                   .order_by("group__name", "person__name_pinyin", "pk"))
    paid: dict[int, dict] = defaultdict(dict)
    for line in DuesMonth.objects.filter(member__in=members, month__gte=start, month__lte=end):
        paid[line.member_id][line.month] = line.amount
    rows, month_totals = [], [Decimal("0")] * 12
    for member in members:
        owed = set(due_months(member, min(end, today)))
        cells, total = [], Decimal("0")
        for i, month in enumerate(months):
            amount = paid[member.pk].get(month)
            if amount is not None:
                cells.append(amount)
                total += amount
                month_totals[i] += amount
            elif month in owed and r.next_month(month) <= today:
                cells.append("欠")
            else:
                cells.append(None)
        rows.append({"member": member, "cells": cells, "total": total,
                     "behind": sum(1 for c in cells if c == "欠")})
    return {"year": year, "months": months, "rows": rows, "month_totals": month_totals,
            "total": sum(month_totals, Decimal("0"))}


def month_view(community: Area, month: datetime.date, today: datetime.date | None = None) -> dict:
    """The branch secretary's month: who paid, who is behind (with the run length and whether a case is due), the
    pipeline steps that are due, notices running, mobile members, and the yearly plan's standing."""
    today = today or scope.today()
    month = r.month_start(month)
    members = list(PartyMember.objects.filter(community=community, status__in=PartyMember.MEMBERS)
                   .select_related("person", "group")
                   .prefetch_related(Prefetch("dues_decisions", queryset=DuesDecision.objects.all()))
                   .order_by("person__name_pinyin"))
    paid_by: dict[int, set] = defaultdict(set)
    for member_id, m in DuesMonth.objects.filter(member__in=members).values_list("member_id", "month"):
        paid_by[member_id].add(m)
    streak_params, _ = params_for(r.UNPAID_STREAK, community, today)
    paid, behind = [], []
    for member in members:
        if month in paid_by[member.pk]:
            paid.append(member)
        run = unpaid_run(member, today, paid=paid_by[member.pk], decisions=member.dues_decisions.all())
        if run:
            behind.append({"member": member, "months": run, "streak": len(run),
                           "action": r.UNPAID_STREAK.decide(streak_params, streak=len(run))})
    behind.sort(key=lambda b: -b["streak"])
    return {"month": month, "paid": paid, "behind": behind, "members": len(members),
            "due": pipeline_due(community, today), "mobile": mobile_summary(community),
            "plan": plan_standing(community, today.year)}


def pipeline_due(community: Area, today: datetime.date) -> list[dict]:
    """What the pipeline asks of the branch now: activists whose year of training is complete (R-DEV-04), targets
    whose notice has run (R-DEV-05), probationary members whose probation has ended, incoming members without a
    group (R-MOB-08)."""
    rows = []
    training, _ = params_for(r.TRAINING, community, today)
    probation, _ = params_for(r.PROBATION, community, today)
    people = (PartyMember.objects.filter(community=community)
              .filter(status__in=[S.ACTIVIST, S.DEVELOPMENT_TARGET, S.PROBATIONARY_MEMBER, S.FULL_MEMBER])
              .select_related("person").prefetch_related(Prefetch("notices", queryset=Notice.objects.all())))
    for m in people:
        if m.status == S.ACTIVIST and m.activist_on:
            ready = r.add_months(m.activist_on, training.months)
            rows.append({"member": m, "step": "target", "rule": r.TRAINING.id, "on": ready, "ready": ready <= today})
        elif m.status in (S.DEVELOPMENT_TARGET, S.PROBATIONARY_MEMBER):
            stage = "admission" if m.status == S.DEVELOPMENT_TARGET else "conversion"
            notices = [n for n in m.notices.all() if n.stage == stage]
            if stage == "conversion" and probation.months and m.admitted_on:
                ends = r.add_months(m.admitted_on, probation.months)
                if ends > today + datetime.timedelta(days=60):
                    continue
            if notices:
                n = max(notices, key=lambda n: n.started_on)
                rows.append({"member": m, "step": f"{stage}_vote", "rule": r.PUBLIC_NOTICE.id, "on": n.ends_on,
                             "ready": n.ends_on <= today})
            else:
                rows.append({"member": m, "step": f"{stage}_notice", "rule": r.PUBLIC_NOTICE.id, "on": today,
                             "ready": True})
        if m.incoming and m.group_id is None and m.status in PartyMember.MEMBERS:
            rows.append({"member": m, "step": "group", "rule": r.GROUP_PLACEMENT.id, "on": today, "ready": True})
    return rows


def mobile_summary(community: Area) -> dict:
    away = list(MobileEpisode.objects.filter(member__community=community, status=MobileEpisode.Status.AWAY)
                .select_related("member__person"))
    by_place: dict[str, list] = defaultdict(list)
    for e in away:
        if e.place_key:
            by_place[e.place_key].append(e)
    minimum = r.TEMPORARY_BRANCH.params.minimum
    branches = [{"place": eps[0].place, "count": len(eps), "rule": r.TEMPORARY_BRANCH.id}
                for eps in by_place.values() if len(eps) >= minimum]
    return {"away": away, "temporary_branches_due": branches}


def plan_standing(community: Area, year: int) -> dict:
    """R-DEV-02 at any time of the year: admissions approved and activists named so far, with the warnings."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    steps = Step.objects.filter(member__community=community, occurred_on__gte=start, occurred_on__lte=end)
    admitted = steps.filter(kind=Step.Kind.APPROVAL, stage="admission").count()
    activists = PartyMember.objects.filter(community=community, status=S.ACTIVIST).count()
    params, _ = params_for(r.YEARLY_PLAN, community, end)
    return {"year": year, "admitted": admitted, "activists": activists,
            "warnings": r.YEARLY_PLAN.decide(params, admitted=admitted, activists=activists)}


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 3 * quarter - 2, 1)
    return start, r.add_months(start, 3) - datetime.timedelta(days=1)


def feedback_slip(member: PartyMember, year: int, quarter: int) -> dict:
    """R-ORG-13 / A-PARTY-15: an in-service member's quarter in the residence community, for his unit's party
    organisation: the community meetings he attended (from the meetings engine) and the dues he paid here."""
    from jiceng.meetings.models import Attendance

    start, end = quarter_bounds(year, quarter)
    attended = (Attendance.objects.filter(person=member.person, status=Attendance.Status.PRESENT,
                                          meeting__body__area__path__startswith=member.community.path,
                                          meeting__held_at__date__gte=start, meeting__held_at__date__lte=end)
                .select_related("meeting__body").order_by("meeting__held_at"))
    paid = list(DuesMonth.objects.filter(member=member, month__gte=start, month__lte=end).order_by("month"))
    return {"start": start, "end": end, "year": year, "quarter": quarter,
            "meetings": [a.meeting for a in attended], "paid": paid,
            "owed": [m for m in due_months(member, min(end, scope.today()))
                     if start <= m <= end and m not in {p.month for p in paid} and r.next_month(m) <= scope.today()]}
