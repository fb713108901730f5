"""The evaluation feed (issue #6 point 4, R-ACC-14, R-PDISC-04): for a community and a year, the compliance score,
the findings by rule, and the evaluation meetings' results with their grades — the evidence the annual assessment
of the community and its heads is decided on. The software gathers; people grade."""

from __future__ import annotations

import datetime

from django.db.models import Count, Sum

from jiceng.meetings import ballots
from jiceng.meetings.models import Kind, Meeting
from jiceng.orgs.models import Area
from jiceng.rules import accountability as r
from jiceng.rules.base import check

from .models import ComplianceCell, Finding


def assessment(community: Area, year: int) -> dict:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    figures = ComplianceCell.objects.filter(area=community, month__gte=start, month__lte=end).aggregate(
        due=Sum("due"), on_time=Sum("on_time"), late=Sum("late"))
    due, on_time, late = (figures[k] or 0 for k in ("due", "on_time", "late"))
    score = check(r.SCORE, area=community, on=end, due=due, on_time=on_time, late=late).value
    by_rule = list(Finding.objects.filter(area=community, occurred_on__gte=start, occurred_on__lte=end)
                   .values("rule_id", "family").annotate(n=Count("pk")).order_by("-n", "rule_id"))
    evaluations = Meeting.objects.filter(body__area=community, kind=Kind.EVALUATION_MEETING, held_at__year=year)
    return {
        "community": {"id": community.pk, "name": community.name}, "year": year,
        "compliance": {"score": None if score is None else f"{float(score):.3f}", "due": due, "on_time": on_time,
                       "late": late, "rule": r.SCORE.id},
        "findings": by_rule,
        "evaluation_meetings": [{"id": m.pk, "title": m.title, "held_on": m.occurred_on.isoformat(),
                                 "results": ballots.results(m)} for m in evaluations],
    }
