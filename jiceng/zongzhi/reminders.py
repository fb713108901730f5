"""Reminders of the 综治 deadlines (notify.schedule_reminder, idempotent by key, sent by the notify tick):

- each case: dispatch (交办) by its assign_due, mediation (调结) by its mediation_due (A-ZZ-78), the first follow-up
  visit by its follow_up_due (A-ZZ-25): one reminder `lead_days` before, one the day after as the overdue notice;
- tick "zongzhi.cadence" (hourly): the screening round of the current period (A-ZZ-66: a community's ISO week, the
  street's month) and the street's monthly report (A-ZZ-27, V-REPORT), for areas that have not done them yet.

The overdue findings themselves come from the compliance scan (checks.py).
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from jiceng.accounts.models import Account
from jiceng.core.ticking import register_tick
from jiceng.notify import services as notify
from jiceng.orgs.models import Area, Membership, Role
from jiceng.rules import zongzhi as r

REMIND_AT_HOUR = 9


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(REMIND_AT_HOUR)))


def _recipients(dispute) -> set[int]:
    users = {dispute.owner_id}
    if dispute.mediator_id:
        users |= set(Account.objects.filter(person_id=dispute.mediator_id).values_list("user_id", flat=True))
    return users


def _pair(key: str, due: datetime.date, recipients, rule_id: str, title: str, body: str, link: str, subject) -> None:
    lead = r.DUE.params.lead_days
    today = timezone.localdate()
    common = {"recipients": recipients, "rule_id": rule_id, "deadline": due, "link": link, "subject": subject}
    notify.schedule_reminder(key=f"{key}:due", due_at=_at(max(due - datetime.timedelta(days=lead), today)),
                             title=f"提醒：{title}", body=body, **common)
    notify.schedule_reminder(key=f"{key}:overdue", due_at=_at(due + datetime.timedelta(days=1)),
                             title=f"逾期：{title}", body=body, **common)


def _key(dispute, stage: str) -> str:
    rule = r.FOLLOW_UP.id if stage == "follow_up" else r.DUE.id
    return f"{rule}:dispute:{dispute.pk}:{stage}"


def schedule_stage(dispute) -> None:
    """(Re)schedule the reminders of the stage `dispute` is in and cancel those of the stages it has left."""
    recipients = _recipients(dispute)
    link = f"/zongzhi/disputes/{dispute.pk}/"
    name = f"{dispute.register_no}「{dispute.title[:30]}」"
    if dispute.status != "registered":
        notify.cancel_reminders(_key(dispute, "assign"))
    if dispute.status == "registered":
        _pair(_key(dispute, "assign"), dispute.assign_due, recipients, r.DUE.id, f"{name}待交办",
              "矛盾纠纷登记后应及时分流交办。", link, dispute)
    if dispute.status in ("registered", "assigned", "in_mediation", "escalated"):
        _pair(_key(dispute, "mediation"), dispute.mediation_due, recipients, r.DUE.id, f"{name}调处期限",
              "请在办结时限内调处并报结。", link, dispute)
    else:
        notify.cancel_reminders(_key(dispute, "mediation"))
    if dispute.status == "reported_closed" and dispute.follow_up_due and not dispute.follow_ups.exists():
        _pair(_key(dispute, "follow_up"), dispute.follow_up_due, recipients, r.FOLLOW_UP.id, f"{name}待回访",
              "调处后应定期回访当事人，掌握思想状况和行为动态。", link, dispute)


def cancel_mediation(dispute) -> None:
    notify.cancel_reminders(_key(dispute, "assign"))
    notify.cancel_reminders(_key(dispute, "mediation"))


def cancel_follow_up(dispute) -> None:
    notify.cancel_reminders(_key(dispute, "follow_up"))


def _screening_key(area, period: r.Period) -> str:
    return f"{r.SCREENING.id}:area:{area.pk}:{period.start}"


def cancel_screening(area, period: r.Period) -> None:
    notify.cancel_reminders(_screening_key(area, period))


def office_users(area, on: datetime.date) -> set[int]:
    """Logins of the 综治办 director of `area` (orgs Role.CGO_DIRECTOR) and of its 综治 post holders."""
    from .models import Post

    people = set(Membership.objects.on(on).filter(role=Role.CGO_DIRECTOR, body__area=area)
                 .values_list("person_id", flat=True))
    people |= set(Post.objects.filter(Q(end_on__isnull=True) | Q(end_on__gte=on), area=area, start_on__lte=on)
                  .values_list("person_id", flat=True))
    return set(Account.objects.filter(person_id__in=people, user__is_active=True).values_list("user_id", flat=True))


@register_tick("zongzhi.cadence")
def schedule_cadence_reminders(now: datetime.datetime) -> int:
    """Once an hour: remind each community and street without a screening round in the current period, and each
    street of its monthly report for last month. Idempotent (keys per area and period)."""
    if now.minute != 0:
        return 0
    from .models import Report, Round

    today = timezone.localdate(now)
    scheduled = 0
    areas = Area.objects.filter(level__in=[Area.Level.COMMUNITY, Area.Level.STREET], closed_on__isnull=True)
    for area in areas.iterator():
        users = office_users(area, today)
        if not users:
            continue
        tier = r.COMMUNITY if area.level == Area.Level.COMMUNITY else r.STREET
        period = r.SCREENING.decide(r.SCREENING.params, tier=tier, day=today)
        if not Round.objects.filter(area=area, period_start=period.start).exists():
            notify.schedule_reminder(
                key=_screening_key(area, period), due_at=_at(max(period.end - datetime.timedelta(days=1), today)),
                recipients=users, title=f"{area.name}{period.label}矛盾纠纷排查",
                body="本周期尚无排查记录（无问题也须记录）。", rule_id=r.SCREENING.id, deadline=period.end,
                link="/zongzhi/screening/new/", subject=area)
            scheduled += 1
        if area.level == Area.Level.STREET:
            last_month = r.period_of("month", today.replace(day=1) - datetime.timedelta(days=1))
            due = r.MONTHLY_REPORT.decide(r.MONTHLY_REPORT.params, period_start=last_month.start)
            if due >= today and not Report.objects.filter(area=area, period="month",
                                                          period_start=last_month.start).exists():
                notify.schedule_reminder(
                    key=f"{r.MONTHLY_REPORT.id}:area:{area.pk}:{last_month.start}", due_at=now, recipients=users,
                    title=f"{area.name}{last_month.label}矛盾纠纷排查调处情况统计表待上报",
                    body="无案件的实行零报告。", rule_id=r.MONTHLY_REPORT.id, deadline=due,
                    link="/zongzhi/reports/", subject=area)
                scheduled += 1
    return scheduled
