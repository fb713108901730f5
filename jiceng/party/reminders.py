"""Reminders of party-member affairs (tick "party.reminders", hourly): criticism and education from the first unpaid
month (R-DUES-06), a temporary branch where three or more members are away at one place (R-MOB-04), an incoming
member not yet in a party group (R-MOB-08), and the yearly plan outside its ranges in December (R-DEV-02). Each is
sent once per key to the branch officers who have a login (notify.schedule_reminder)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jiceng.accounts.models import Account
from jiceng.core.ticking import register_tick
from jiceng.notify import services as notify
from jiceng.orgs.models import Area, Membership
from jiceng.rules import party as r

from . import queries
from .services import BRANCH_OFFICERS

CHUNK = 200


def officers(community: Area, on: datetime.date) -> list[int]:
    persons = Membership.objects.on(on).filter(body__area=community, role__in=BRANCH_OFFICERS,
                                                body__kind="community_party_org")
    return list(Account.objects.filter(person_id__in=persons.values("person_id"), user__is_active=True)
                .values_list("user_id", flat=True))


@register_tick("party.reminders")
def schedule_party_reminders(now: datetime.datetime) -> int:
    """Once an hour (keys make it idempotent; the hour bounds the work), for every community with party files."""
    if now.minute != 0:
        return 0
    return remind(now)


def remind(now: datetime.datetime) -> int:
    from .models import PartyMember

    today = timezone.localdate(now)
    ids = PartyMember.objects.values_list("community_id", flat=True).distinct()
    count = 0
    for community in Area.objects.filter(pk__in=ids).order_by("pk").iterator(chunk_size=CHUNK):
        recipients = officers(community, today)
        if recipients:
            count += _community(community, recipients, today, now)
    return count


def _community(community: Area, recipients: list[int], today: datetime.date, now: datetime.datetime) -> int:
    view = queries.month_view(community, today, today)
    sent = 0
    for row in view["behind"]:
        m, first = row["member"], row["months"][0]
        notify.schedule_reminder(
            key=f"R-DUES-06:member:{m.pk}:{first:%Y-%m}", due_at=now, recipients=recipients,
            rule_id=r.CRITICISM.id,
            deadline=r.add_months(first, r.UNPAID_STREAK.params.months), subject=m, link=f"/party/members/{m.pk}/",
            title=f"提醒：{m.person.name}自{first:%Y年%m月}起未交纳党费",
            body=f"{m.person.name}已连续{row['streak']}个月未交纳党费，支部应及时提出批评、教育（R-DUES-06）。")
        sent += 1
    for branch in view["mobile"]["temporary_branches_due"]:
        notify.schedule_reminder(
            key=f"R-MOB-04:{community.pk}:{branch['place']}"[:200], due_at=now, recipients=recipients,
            rule_id=r.TEMPORARY_BRANCH.id, deadline=today, subject=community, link="/party/month/",
            title=f"提醒：{branch['count']}名党员在{branch['place']}，应建立临时党支部或党小组",
            body="党员3人以上集体外出、地点相对集中，应在这些党员中建立临时党支部或党小组（R-MOB-04）。")
        sent += 1
    for row in view["due"]:
        if row["step"] != "group":
            continue
        m = row["member"]
        notify.schedule_reminder(
            key=f"R-MOB-08:member:{m.pk}", due_at=now, recipients=recipients, rule_id=r.GROUP_PLACEMENT.id,
            deadline=today,
            subject=m, link=f"/party/members/{m.pk}/", title=f"提醒：外来党员{m.person.name}尚未编入党小组",
            body="对外来党员，社区党支部应及时将他们编入党小组（R-MOB-08）。")
        sent += 1
    plan = view["plan"]
    if today.month == 12 and plan["warnings"]:
        notify.schedule_reminder(
            key=f"R-DEV-02:{community.pk}:{today.year}", due_at=now, recipients=recipients, rule_id=r.YEARLY_PLAN.id,
            deadline=datetime.date(today.year, 12, 31), subject=community, link="/party/month/",
            title=f"提醒：{today.year}年发展党员工作与计划原则不符",
            body="；".join(w["message"] for w in plan["warnings"]) + "（R-DEV-02）。")
        sent += 1
    return sent
