"""The figures of the reports upward (A-ZZ-27 《矛盾纠纷排查调处情况统计表》 and 《个案登记表》, A-ZZ-28 quarterly
analysis, A-ZZ-55/56), computed from the records of an area (a street or a community) for a period."""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils import timezone

from jiceng.rules import zongzhi as r


def _disputes(area, start: datetime.date, end: datetime.date):
    from .models import Dispute

    return (Dispute.objects.filter(area__path__startswith=area.path, registered_at__date__gte=start,
                                   registered_at__date__lte=end)
            .select_related("area", "mediator").prefetch_related("escalations", "follow_ups"))


def figures(area, start: datetime.date, end: datetime.date) -> dict:
    """Counts for the statistics form; the success rate is resolved / handled to an end (A-EVAL-03, inferred)."""
    from .models import Dispute, Finding, Round

    rows = list(_disputes(area, start, end))
    reported = [d for d in rows if d.reported_at is not None and timezone.localdate(d.reported_at) <= end]
    resolved = sum(1 for d in reported if d.outcome == Dispute.Outcome.RESOLVED)
    rounds = Round.objects.filter(area__path__startswith=area.path, held_on__gte=start, held_on__lte=end)
    by_category = Counter(d.category for d in rows)
    by_level = Counter(d.level for d in rows)
    return {
        "registered": len(rows),
        "by_category": {code: by_category.get(code, 0) for code in r.CATEGORIES},
        "by_level": {code: by_level.get(code, 0) for code in r.LEVELS},
        "resolved": resolved,
        "failed": len(reported) - resolved,
        "in_progress": len(rows) - len(reported),
        "escalated": sum(1 for d in rows if d.escalations.all()),
        "overdue": sum(1 for d in rows if r.is_overdue(d.mediation_due, timezone.localdate(d.reported_at)
                                                       if d.reported_at else None, end + datetime.timedelta(days=1))),
        "followed_up": sum(1 for d in rows if d.follow_ups.all()),
        "success_rate": f"{resolved * 100 // len(reported)}%" if reported else "—",
        "screening_rounds": rounds.count(),
        "screening_findings": Finding.objects.filter(round__in=rounds).count(),
    }


def case_rows(area, start: datetime.date, end: datetime.date) -> list[dict]:
    """The 个案登记表: one row per case registered in the period (parties are not listed: the form goes upward)."""
    return [{"register_no": d.register_no, "registered_on": timezone.localdate(d.registered_at),
             "community": d.area.name, "title": d.title, "category": r.label(r.CATEGORIES, d.category),
             "level": r.label(r.LEVELS, d.level), "unit": d.responsible_unit,
             "mediator": d.mediator.name if d.mediator else "", "status": d.get_status_display(),
             "outcome": d.get_outcome_display() if d.outcome else "", "due": d.mediation_due}
            for d in _disputes(area, start, end).order_by("registered_at", "pk")]
