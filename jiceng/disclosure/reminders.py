"""Reminders of the boards' duties: a periodic publication coming due or overdue (tick "disclosure.obligations"),
a feedback message nearing its reply deadline (A-OPEN-23), and an item the residents' objections flagged for
correction (R-RDISC-06). Every reminder names its rule and deadline and is sent once (notify.schedule_reminder)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jiceng.accounts.models import Account
from jiceng.core.ticking import register_tick
from jiceng.notify import services as notify
from jiceng.orgs.models import Area, Body, Membership, Role
from jiceng.rules import disclosure as r

from .models import Board, DisclosureItem, Feedback
from .obligations import State, obligations_for

REMIND_AT_HOUR = 9
REPLY_LEAD_DAYS = 3  # NOT IN SOURCE: the reply reminder goes out this many days before the deadline
CHUNK = 200
BOARD_NAMES = {Board.PARTY: "党务公开栏", Board.RESIDENTS: "居务公开栏"}
# Who is told: the party organisation's officers for the party board, the residents committee's leaders for
# the residents' board (R-PDISC-05/07, R-RDISC-03/05).
LEADS = {Board.PARTY: (Body.Kind.COMMUNITY_PARTY_ORG, (Role.PARTY_DISCLOSURE_OFFICER, Role.COMMUNITY_PARTY_SECRETARY)),
         Board.RESIDENTS: (Body.Kind.RESIDENTS_COMMITTEE, (Role.RC_DIRECTOR, Role.RC_DEPUTY_DIRECTOR))}


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(REMIND_AT_HOUR)))


def board_leads(community: Area, board: str, on: datetime.date) -> list[int]:
    body_kind, roles = LEADS[board]
    persons = Membership.objects.on(on).filter(body__area=community, body__kind=body_kind, role__in=roles)
    return list(Account.objects.filter(person_id__in=persons.values("person_id"), user__is_active=True)
                .values_list("user_id", flat=True))


def _key(community_id: int, board: str, category: str) -> str:
    return f"disclosure:{community_id}:{board}:{category}"


@register_tick("disclosure.obligations")
def schedule_obligation_reminders(now: datetime.datetime) -> int:
    """Schedule, once each, a reminder for every periodic publication due soon and an overdue notice for every
    one past its date. Keys already scheduled or sent are left alone, so two ticks send one reminder."""
    today = timezone.localdate(now)
    communities = Area.objects.active(today).filter(level=Area.Level.COMMUNITY).order_by("pk")
    scheduled = 0
    batch: list[Area] = []
    for community in communities.iterator(chunk_size=CHUNK):
        batch.append(community)
        if len(batch) == CHUNK:
            scheduled += _schedule(batch, today, now)
            batch = []
    return scheduled + (_schedule(batch, today, now) if batch else 0)


def _schedule(communities: list[Area], today: datetime.date, now: datetime.datetime) -> int:
    scheduled = 0
    leads: dict[tuple[int, str], list[int]] = {}
    for community_id, rows in obligations_for(communities, today).items():
        for o in rows:
            if o.state not in (State.DUE, State.OVERDUE):
                continue
            overdue = o.state == State.OVERDUE
            if (community_id, o.board) not in leads:
                leads[(community_id, o.board)] = board_leads(o.community, o.board, today)
            recipients = leads[(community_id, o.board)]
            if not recipients:
                continue
            board = BOARD_NAMES[o.board]
            what = (f"{o.community.name}{board}「{o.category} {o.category_label[:20]}」"
                    f"（{o.period_start}至{o.period_end}）")
            notify.schedule_reminder(
                key=f"{_key(community_id, o.board, o.category)}:{o.period_start}:{'overdue' if overdue else 'due'}",
                due_at=now, recipients=recipients, rule_id=o.rule_id, deadline=o.due_on,
                title=f"{'逾期' if overdue else '提醒'}：{what}{'逾期未公开' if overdue else '待公开'}",
                body=f"{what}{'已超过公开期限' if overdue else '即将到期'}。", link="/disclosure/obligations/",
                subject=o.community)
            scheduled += 1
    return scheduled


def obligation_met(item: DisclosureItem) -> None:
    """A publication may meet a due obligation: drop its pending reminders (the tick brings back any still due)."""
    notify.cancel_reminders(_key(item.community_id, item.board, item.category))


def schedule_reply_reminders(feedback: Feedback) -> None:
    community = feedback.community
    recipients = board_leads(community, feedback.board, timezone.localdate())
    if not recipients:
        return
    link = f"/disclosure/feedback/{feedback.pk}/"
    remind_on = max(feedback.due_on - datetime.timedelta(days=REPLY_LEAD_DAYS), timezone.localdate())
    common = {"recipients": recipients, "rule_id": r.REPLY_DEADLINE.id, "deadline": feedback.due_on, "link": link,
              "subject": feedback}
    notify.schedule_reminder(key=f"{r.REPLY_DEADLINE.id}:feedback:{feedback.pk}:due", due_at=_at(remind_on),
                             title=f"提醒：{BOARD_NAMES[feedback.board]}反馈 {feedback.tracking_code} 待答复",
                             body=f"居民通过{BOARD_NAMES[feedback.board]}意见箱提交的反馈尚未答复。", **common)
    notify.schedule_reminder(key=f"{r.REPLY_DEADLINE.id}:feedback:{feedback.pk}:overdue",
                             due_at=_at(feedback.due_on + datetime.timedelta(days=1)),
                             title=f"逾期：反馈 {feedback.tracking_code} 超过答复期限",
                             body="居民反馈已超过答复期限仍未答复。", **common)


def cancel_reply_reminders(feedback: Feedback) -> None:
    notify.cancel_reminders(f"{r.REPLY_DEADLINE.id}:feedback:{feedback.pk}")


def correction_required(item: DisclosureItem, judged: r.ObjectionJudgement) -> None:
    recipients = board_leads(item.community, item.board, timezone.localdate())
    if recipients:
        notify.notify(recipients=recipients, title=f"须予纠正：{item.title}",
                      body=f"绝大多数居民不赞成该居务公开事项（{judged.arithmetic_zh}），应予纠正并发布更正版本。",
                      rule_id=r.OBJECTION_MAJORITY.id, link=f"/disclosure/{item.pk}/")
