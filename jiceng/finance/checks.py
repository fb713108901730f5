"""Compliance checks of finance, run by the accountability scan: reads finance tables only."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from jiceng.accountability.checks import Found, Scope, check
from jiceng.rules import finance as r
from jiceng.rules.base import params_for

FAMILY = "finance"
MONTHS_BACK = 12


def _months(first: datetime.date, last: datetime.date) -> Iterator[tuple[int, int]]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


@check("finance.statement_missing", FAMILY)
def statement_missing(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A-FIN-43 (with A-FIN-03 月结): a month of an open journal without its statement past the deadline."""
    from .models import Ledger, Statement
    from .services import month_bounds

    ledgers = Ledger.objects.filter(area__in=scope.areas).select_related("area").order_by("area", "opened_on")
    first_open: dict = {}
    for ledger in ledgers:
        first_open.setdefault(ledger.area, ledger.opened_on)
    if not first_open:
        return
    done = set(Statement.objects.filter(area__in=list(first_open)).values_list("area_id", "year", "month"))
    earliest = datetime.date(today.year - 1, today.month, 1)
    for area, opened in first_open.items():
        params, _version = params_for(r.STATEMENT_DUE, area, today)
        for year, month in _months(max(opened, earliest), today):
            _first, last = month_bounds(year, month)
            due = r.STATEMENT_DUE.decide(params, event_on=last)
            if due >= today or (area.pk, year, month) in done:
                continue
            yield Found(key=f"finance.statement_missing:{area.pk}:{year}-{month:02d}", rule_id=r.STATEMENT_DUE.id,
                        area=area, subject=area, title=f"{area.name}{year}年{month}月收支报表未编制（应于{due}前）",
                        occurred_on=due + datetime.timedelta(days=1), link="/finance/statements/",
                        evidence={"year": year, "month": month, "due_on": due.isoformat()})
