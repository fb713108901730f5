"""The street and district dashboard (issue #6 point 3): compliance score per community, the heat map of
communities × families, the monthly trend, the longest-open findings. It reads the cells the scan maintains and a
bounded number of findings: a constant number of queries whatever the number of communities or records."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Sum
from django.utils import timezone

from jiceng.orgs.models import Area
from jiceng.rules import accountability as r
from jiceng.rules.base import params_for

from .checks import FAMILY_LABELS
from .models import ComplianceCell, Finding

LONGEST_OPEN = 10
MAX_ROWS = 500  # communities listed in one response; a city is read street by street


def _scorer(area: Area, on: datetime.date):
    """The score under the district's rulebook version, looked up once per response."""
    params, _version = params_for(r.SCORE, area, on)

    def score(due: int, on_time: int, late: int) -> str | None:
        value = r.SCORE.decide(params, due=due, on_time=on_time, late=late)
        return None if value is None else f"{float(value):.3f}"

    return score


def dashboard(area: Area, *, since: datetime.date | None = None, on: datetime.date | None = None) -> dict:
    on = on or timezone.localdate()
    score = _scorer(area, on)
    since = (since or on.replace(month=1 if on.month <= 6 else 7, day=1))  # the current half-year (R-ACC-11)
    cells = (ComplianceCell.objects.filter(area__path__startswith=area.path, month__gte=since)
             .values("area_id", "area__name", "family", "month")
             .annotate(due_sum=Sum("due"), on_time_sum=Sum("on_time"), late_sum=Sum("late")))
    per_community: dict[int, dict] = {}
    heat: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    trend: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in cells:
        figures = (row["due_sum"], row["on_time_sum"], row["late_sum"])
        per_community.setdefault(row["area_id"], {"id": row["area_id"], "name": row["area__name"]})
        for bucket in (heat[row["area_id"]][row["family"]], trend[row["month"].strftime("%Y-%m")]):
            for i, value in enumerate(figures):
                bucket[i] += value
    open_counts = dict(Finding.objects.filter(area__path__startswith=area.path, status=Finding.Status.OPEN)
                       .values("area_id").annotate(n=Count("pk")).values_list("area_id", "n"))
    communities = []
    for community_id, info in list(per_community.items())[:MAX_ROWS]:
        families = heat[community_id]
        totals = [sum(f[i] for f in families.values()) for i in range(3)]
        communities.append({**info, "score": score(*totals), "due": totals[0], "on_time": totals[1],
                            "late": totals[2], "open_findings": open_counts.get(community_id, 0),
                            "families": {family: {"score": score(*f), "due": f[0], "on_time": f[1]}
                                         for family, f in families.items()}})
    communities.sort(key=lambda c: (c["score"] is None, c["score"] or ""))
    longest = (Finding.objects.filter(area__path__startswith=area.path, status=Finding.Status.OPEN)
               .select_related("area").order_by("first_seen", "pk")[:LONGEST_OPEN])
    overall = [sum(c[k] for c in communities) for k in ("due", "on_time", "late")]
    return {
        "area": {"id": area.pk, "name": area.name, "level": area.level}, "since": since.isoformat(),
        "score": score(*overall), "rule": r.SCORE.id, "families": FAMILY_LABELS,
        "communities": communities,
        "trend": [{"month": month, "score": score(*f), "due": f[0], "on_time": f[1]}
                  for month, f in sorted(trend.items())],
        "longest_open": [{"id": f.pk, "title": f.title, "rule": f.rule_id, "community": f.area.name,
                          "first_seen": f.first_seen.isoformat(), "link": f.link} for f in longest],
    }
