"""The scan's finance check: a month of an open journal without its statement, flagged the day after its due date
(A-FIN-43; 15 days after the month ends)."""

from __future__ import annotations

import datetime

import pytest

from jiceng.accountability.checks import Scope
from jiceng.finance import services
from jiceng.finance.checks import statement_missing

from .conftest import START

pytestmark = pytest.mark.django_db


def test_missing_statement_is_flagged_after_its_due_day(fin):
    services.open_ledger(fin.u.cashier, area=fin.a, kind="cash", opened_on=START)
    services.draw_up_statement(fin.u.cashier, area=fin.a, year=2025, month=12)
    scope = Scope(communities=[fin.a])
    on_due_day = {f.evidence["month"] for f in statement_missing(scope, datetime.date(2026, 2, 15))
                  if f.evidence["year"] == 2026}
    assert on_due_day == set()  # January's statement is due by 15 February: not late yet
    day_after = [f for f in statement_missing(scope, datetime.date(2026, 2, 16))]
    assert {(f.evidence["year"], f.evidence["month"]) for f in day_after if f.evidence["year"] == 2026} == {(2026, 1)}
    assert (2025, 12) not in {(f.evidence["year"], f.evidence["month"]) for f in day_after}
    assert all(f.rule_id == "A-FIN-43" for f in day_after)


def test_no_journal_no_finding(fin):
    assert list(statement_missing(Scope(communities=[fin.a]), datetime.date(2026, 2, 16))) == []
