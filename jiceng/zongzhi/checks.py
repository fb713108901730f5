"""The 综治 flags of the compliance scan (jiceng.accountability.checks): overdue dispatch and mediation (A-ZZ-78),
criticism after repeated chasers (A-ZZ-57), missing follow-up visits (A-ZZ-25), a simple dispute that left its tier
(A-ZZ-23), missing screening rounds (A-ZZ-66), missing or late reports upward (A-ZZ-27, V-REPORT), stale 包案 items
(A-CASE-02) and a community without a 综治办 (A-ZZ-01). Each check only reads."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from jiceng.accountability.checks import Found, Scope, check
from jiceng.orgs.models import Body
from jiceng.rules import zongzhi as r

FAMILY = "zongzhi"
SCREENING_LOOKBACK_DAYS = 84   # twelve weeks of community rounds, about three months of street rounds
REPORT_LOOKBACK_MONTHS = 3


def _covered(scope: Scope, today: datetime.date) -> tuple[list, dict]:
    """The areas of `scope` under a street that runs a 综治 centre (a STREET_ZZ_CENTER body), and when each started
    (the later of the centre's and the community office's opening): cadence and organisation checks start there, so
    a street that does not use this module collects no findings from it."""
    street_ids = {a.ancestor_ids[1] if len(a.ancestor_ids) > 1 else a.pk for a in scope.areas}
    centres = dict(Body.objects.active(today).filter(area_id__in=street_ids, kind=Body.Kind.STREET_ZZ_CENTER)
                   .values_list("area_id", "opened_on"))
    offices = dict(Body.objects.active(today).filter(area__in=scope.communities,
                                                     kind=Body.Kind.COMPREHENSIVE_GOVERNANCE_OFFICE)
                   .values_list("area_id", "opened_on"))
    covered, since = [], {}
    for area in scope.areas:
        street_id = area.ancestor_ids[1] if len(area.ancestor_ids) > 1 else area.pk
        if street_id not in centres:
            continue
        covered.append(area)
        since[area.pk] = max(centres[street_id], offices.get(area.pk, centres[street_id]), area.opened_on)
    return covered, since


def _office(area, today):
    return (Body.objects.active(today).filter(area=area, kind__in=[Body.Kind.COMPREHENSIVE_GOVERNANCE_OFFICE,
                                                                    Body.Kind.STREET_ZZ_CENTER])
            .order_by("pk").first())


@check("zongzhi.dispute_overdue", FAMILY)
def overdue_disputes(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """An open case past its dispatch or mediation due date (A-ZZ-78); with ≥ 2 chasers also criticism (A-ZZ-57)."""
    from .models import Dispute

    rows = (Dispute.objects.filter(area__in=scope.communities, status__in=Dispute.OPEN)
            .select_related("area").order_by("pk"))
    for d in rows.iterator():
        late_assign = d.assigned_at is None and r.is_overdue(d.assign_due, None, today)
        late = r.is_overdue(d.mediation_due, None, today)
        evidence = {"register_no": d.register_no, "assign_due": d.assign_due.isoformat(),
                    "mediation_due": d.mediation_due.isoformat(), "chasers": d.chasers}
        if late_assign:
            yield Found(key=f"zongzhi.assign_overdue:{d.pk}", rule_id=r.DUE.id, area=d.area, subject=d,
                        title=f"{d.register_no}逾期未交办", occurred_on=d.assign_due + datetime.timedelta(days=1),
                        link=f"/zongzhi/disputes/{d.pk}/", evidence=evidence, responsible_body=_office(d.area, today))
        if late:
            yield Found(key=f"zongzhi.dispute_overdue:{d.pk}", rule_id=r.DUE.id, area=d.area, subject=d,
                        title=f"{d.register_no}超过办结时限未报结",
                        occurred_on=d.mediation_due + datetime.timedelta(days=1),
                        link=f"/zongzhi/disputes/{d.pk}/", evidence=evidence, responsible_body=_office(d.area, today))
        if r.CHASE.decide(r.CHASE.params, chasers=d.chasers, overdue=late):
            yield Found(key=f"zongzhi.criticism:{d.pk}", rule_id=r.CHASE.id, area=d.area, subject=d,
                        title=f"{d.register_no}到期不报结，经{d.chasers}次催办仍未办结，予以通报批评",
                        occurred_on=today, link=f"/zongzhi/disputes/{d.pk}/", evidence=evidence,
                        responsible_body=_office(d.area, today))


@check("zongzhi.follow_up_missing", FAMILY)
def missing_follow_ups(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A case reported closed whose first follow-up visit is past due (A-ZZ-25)."""
    from .models import Dispute

    rows = (Dispute.objects.filter(area__in=scope.communities, follow_up_due__lt=today, follow_ups__isnull=True)
            .select_related("area").order_by("pk"))
    for d in rows.iterator():
        yield Found(key=f"zongzhi.follow_up_missing:{d.pk}", rule_id=r.FOLLOW_UP.id, area=d.area, subject=d,
                    title=f"{d.register_no}逾期未回访当事人", occurred_on=d.follow_up_due + datetime.timedelta(days=1),
                    link=f"/zongzhi/disputes/{d.pk}/", evidence={"follow_up_due": d.follow_up_due.isoformat()},
                    responsible_body=_office(d.area, today))


@check("zongzhi.tier_left", FAMILY, cures=False)
def simple_disputes_escalated(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A simple dispute escalated out of its community (A-ZZ-23: 小事不出村)."""
    from .models import Escalation

    rows = (Escalation.objects.filter(dispute__area__in=scope.communities, flagged=True)
            .select_related("dispute__area").order_by("pk"))
    for e in rows.iterator():
        d = e.dispute
        yield Found(key=f"zongzhi.tier_left:{e.pk}", rule_id=r.TIER.id, area=d.area, subject=d,
                    title=f"简单矛盾纠纷{d.register_no}上报出社区", occurred_on=e.occurred_at.date(),
                    link=f"/zongzhi/disputes/{d.pk}/", evidence={"reason": e.reason, "to": e.to_tier},
                    responsible_body=_office(d.area, today))


@check("zongzhi.screening_missing", FAMILY, cures=False)
def missing_screenings(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A community week or a street month that ended without any screening round (A-ZZ-66); a round with nothing
    found counts."""
    from .models import Round

    since = today - datetime.timedelta(days=SCREENING_LOOKBACK_DAYS)
    areas, started = _covered(scope, today)
    held: dict[int, set] = {}
    for area_id, start in Round.objects.filter(area__in=areas, period_start__gte=since - datetime.timedelta(days=31)
                                               ).values_list("area_id", "period_start"):
        held.setdefault(area_id, set()).add(start)
    for area in areas:
        kind = r.SCREENING.params.community if area in scope.communities else r.SCREENING.params.street
        start = max(since, started[area.pk])
        for period in r.missing_periods(held.get(area.pk, set()), kind, start, today):
            if period.start < start:
                continue
            yield Found(key=f"zongzhi.screening_missing:{area.pk}:{period.start}", rule_id=r.SCREENING.id,
                        area=area, subject=area, title=f"{area.name}{period.label}未开展矛盾纠纷排查",
                        occurred_on=period.end + datetime.timedelta(days=1), link="/zongzhi/screening/",
                        evidence={"period_start": period.start.isoformat(), "period_end": period.end.isoformat()},
                        responsible_body=_office(area, today))


@check("zongzhi.report_missing", FAMILY, cures=False)
def missing_reports(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A street's monthly statistics not reported by its due day (A-ZZ-27 with V-REPORT), or reported late."""
    from .models import Report

    covered, started = _covered(scope, today)
    for street in [a for a in covered if a in scope.streets]:
        reported = {rep.period_start: rep for rep in Report.objects.filter(area=street, period="month")}
        month = r.period_of("month", today).start
        for back in range(1, REPORT_LOOKBACK_MONTHS + 1):
            start = r.add_months(month, -back)
            if start < started[street.pk].replace(day=1):
                continue
            due = r.MONTHLY_REPORT.decide(r.MONTHLY_REPORT.params, period_start=start)
            report = reported.get(start)
            late = report is not None and report.submitted_at.date() > due
            if due >= today or (report is not None and not late):
                continue
            yield Found(key=f"zongzhi.report_missing:{street.pk}:{start}", rule_id=r.MONTHLY_REPORT.id,
                        area=street, subject=street,
                        title=f"{street.name}{start.year}年{start.month}月矛盾纠纷排查调处情况"
                              f"{'逾期上报' if late else '未上报'}",
                        occurred_on=due + datetime.timedelta(days=1), link="/zongzhi/reports/",
                        evidence={"period_start": start.isoformat(), "due_on": due.isoformat()},
                        responsible_body=_office(street, today))


@check("zongzhi.case_stale", FAMILY)
def stale_case_items(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A 包案 item without progress for 30 days (A-CASE-02, inferred)."""
    from .models import CaseItem

    limit = today - datetime.timedelta(days=r.CASE_LEADER.params.stale_days)
    rows = CaseItem.objects.filter(area__in=scope.areas, done=False, last_progress_on__lt=limit).select_related("area")
    for item in rows.iterator():
        yield Found(key=f"zongzhi.case_stale:{item.pk}", rule_id=r.CASE_LEADER.id, area=item.area, subject=item,
                    title=f"包案事项「{item.title[:30]}」{r.CASE_LEADER.params.stale_days}天无进展",
                    occurred_on=item.last_progress_on + datetime.timedelta(days=r.CASE_LEADER.params.stale_days + 1),
                    link="/zongzhi/cases/", evidence={"last_progress_on": item.last_progress_on.isoformat()},
                    responsible_body=_office(item.area, today))


@check("zongzhi.no_office", FAMILY)
def communities_without_office(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """Every community has exactly one 综治办 (A-ZZ-01)."""
    covered, _started = _covered(scope, today)
    counts: dict[int, int] = {}
    for area_id in (Body.objects.active(today).filter(area__in=scope.communities,
                                                      kind=Body.Kind.COMPREHENSIVE_GOVERNANCE_OFFICE)
                    .values_list("area_id", flat=True)):
        counts[area_id] = counts.get(area_id, 0) + 1
    for community in [a for a in covered if a in scope.communities]:
        offices = counts.get(community.pk, 0)
        if r.ORGANISED.decide(None, offices=offices):
            continue
        yield Found(key=f"zongzhi.no_office:{community.pk}", rule_id=r.ORGANISED.id, area=community,
                    subject=community, title=f"{community.name}综治办设置不符（{offices}个）", occurred_on=today,
                    link=f"/areas/{community.pk}/", evidence={"offices": offices})


@check("zongzhi.director_unqualified", FAMILY)
def unqualified_directors(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """The 综治办 director is the community party secretary or a responsible member (director, deputy director) of
    the residents committee (A-ZZ-02)."""
    from jiceng.orgs.models import Membership, Role

    covered, _started = _covered(scope, today)
    communities = [a for a in covered if a in scope.communities]
    directors = (Membership.objects.on(today).filter(role=Role.CGO_DIRECTOR, body__area__in=communities)
                 .select_related("person", "body__area"))
    held: dict[tuple[int, int], list[str]] = {}
    for person_id, area_id, role in (Membership.objects.on(today).filter(body__area__in=communities)
                                     .values_list("person_id", "body__area_id", "role")):
        held.setdefault((person_id, area_id), []).append(role)
    for m in directors:
        if r.DIRECTOR.decide(None, roles=held.get((m.person_id, m.body.area_id), [])):
            continue
        yield Found(key=f"zongzhi.director_unqualified:{m.pk}", rule_id=r.DIRECTOR.id, area=m.body.area,
                    subject=m.body, title=f"{m.body.name}主任{m.person.name}不是社区党组织书记或居委会负责人",
                    occurred_on=m.start_on, link=f"/bodies/{m.body_id}/", evidence={"membership": m.pk},
                    responsible_body=m.body)


@check("zongzhi.collective_unhandled", FAMILY)
def collective_unhandled(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A collective case without a leader's own handling recorded (A-ZZ-26)."""
    from .models import Dispute

    rows = (Dispute.objects.filter(area__in=scope.communities, collective=True, leader_handled_at__isnull=True)
            .select_related("area").order_by("pk"))
    for d in rows.iterator():
        yield Found(key=f"zongzhi.collective_unhandled:{d.pk}", rule_id=r.COLLECTIVE.id, area=d.area, subject=d,
                    title=f"集体访{d.register_no}尚无党政领导亲自处理的记录",
                    occurred_on=d.registered_at.date(), link=f"/zongzhi/disputes/{d.pk}/",
                    evidence={"register_no": d.register_no}, responsible_body=_office(d.area, today))
