"""Retention, the archivist's handover and loans (A-ARC-11/40/50, R-ARCH-07, A-ARC-04/27/28/29/33)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiceng.archives import reminders, services
from jiceng.archives.models import Dossier, Handover, Loan
from jiceng.audit.models import AuditEvent
from jiceng.core.errors import Conflict, RuleViolation
from jiceng.notify.models import Reminder
from jiceng.orgs.models import Membership
from jiceng.rules import archives as rules
from jiceng.rules.base import check

TODAY = datetime.date(2026, 11, 25)


# Retention -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("series", "retention", "year", "until"), [
    ("residents_disclosure", None, 2026, None),                       # disclosure archives: permanent
    ("matter", None, 2026, None),                                     # 一事一档: permanent
    ("zongzhi", None, 2026, datetime.date(2036, 12, 31)),             # 10 years from 1 January of the next year
    ("general", "fixed_30y", 2026, datetime.date(2056, 12, 31)),
    ("matter", None, None, None),                                     # an open matter has no end yet
])
def test_retention_derivation(series, retention, year, until):
    judged = rules.retention(rules.RETENTION.params, series=series, retention=retention, base_year=year)
    assert judged.until == until


def test_an_unknown_class_and_a_zongzhi_file_below_two_years_are_refused():
    with pytest.raises(RuleViolation) as refused:
        check(rules.RETENTION, series="general", retention="fixed_5y", base_year=2026)
    assert refused.value.code == "invalid_retention_class"
    with pytest.raises(RuleViolation) as refused:
        check(rules.RETENTION_FLOOR, series="zongzhi", years=1)
    assert refused.value.code == "retention_below_minimum" and "A-ARC-50" in refused.value.message
    check(rules.RETENTION_FLOOR, series="zongzhi", years=2)  # "至少两年" includes two


def test_yearly_and_matter_dossiers_get_their_series_retention(world):
    zongzhi = services.yearly_dossier(world.a, Dossier.Series.ZONGZHI, 2015)
    assert (zongzhi.retention, zongzhi.retention_until) == ("fixed_10y", datetime.date(2025, 12, 31))
    matter = services.open_dossier(world.a, Dossier.Series.MATTER, "matter-1", "事项")
    assert (matter.retention, matter.retention_until) == ("permanent", None)
    general = services.open_dossier(world.a, Dossier.Series.GENERAL, "g-1", "其他")
    services.close_dossier(world.worker_a, general, closed_on=datetime.date(2026, 6, 1))
    general.refresh_from_db()
    assert general.retention_until == datetime.date(2056, 12, 31)


def test_expired_retention_reminds_the_archivist_once(arc):
    expired = services.yearly_dossier(arc.a, Dossier.Series.ZONGZHI, 2014)  # kept to 2024-12-31
    services.yearly_dossier(arc.a, Dossier.Series.ZONGZHI, 2020)  # kept to 2030: not yet
    now = timezone.make_aware(datetime.datetime(2026, 11, 25, 10))
    assert reminders.schedule_retention_reminders(now) == 1
    assert reminders.schedule_retention_reminders(now) == 0
    reminder = Reminder.objects.get(key__startswith=f"A-ARC-40:dossier:{expired.pk}:")
    assert list(reminder.recipients.all()) == [arc.u.archivist]
    assert reminder.link == f"/archives/{expired.pk}/" and "A-ARC-40" in reminder.body
    # Appraised and refiled permanently: nothing more to remind.
    services.set_retention(arc.worker_a, expired, retention="permanent")
    assert reminders.schedule_retention_reminders(now) == 0
    assert AuditEvent.objects.filter(action="archives.retention_set").count() == 1


# Handover --------------------------------------------------------------------------------------------------

def _handover(arc, **kw):
    fields = {"community": arc.a, "outgoing": arc.archivist, "successor": arc.successor,
              "items": ["2026年居务公开档案1卷", "全宗卷1卷"], "handed_over_on": TODAY, "outgoing_signed": True,
              "successor_signed": True}
    fields.update(kw)
    return services.record_handover(arc.worker_a, **fields)


def test_an_archivist_cannot_leave_without_a_handover(arc):
    assert services.active_archivist(arc.a, TODAY) == arc.post
    with pytest.raises(RuleViolation) as refused:
        services.end_archivist(arc.worker_a, arc.post, end_on=TODAY)
    assert refused.value.code == "handover_missing" and "R-ARCH-07" in refused.value.message
    assert Membership.objects.get(pk=arc.post.pk).end_on is None


def test_with_a_signed_handover_the_archivist_leaves(arc):
    handover = _handover(arc)
    services.end_archivist(arc.worker_a, arc.post, end_on=TODAY)
    assert Membership.objects.get(pk=arc.post.pk).end_on == TODAY
    assert services.active_archivist(arc.a, TODAY + datetime.timedelta(days=1)) is None
    record = services.records_of(handover).get()
    assert record.dossier.series == "fonds" and "钱接任" in record.title
    assert AuditEvent.objects.filter(action="archives.handover_recorded").exists()


@pytest.mark.parametrize(("kw", "code"), [
    ({"successor_signed": False}, "handover_signature_missing"),
    ({"outgoing_signed": False}, "handover_signature_missing"),
    ({"items": ["  "]}, "handover_items_missing"),
])
def test_a_handover_needs_both_signatures_and_the_items(arc, kw, code):
    with pytest.raises(RuleViolation) as refused:
        _handover(arc, **kw)
    assert refused.value.code == code and refused.value.rule_id == "A-ARC-33"
    assert not Handover.objects.exists()


# Loans -----------------------------------------------------------------------------------------------------

def _lend(arc, dossier=None, **kw):
    fields = {"borrower_name": "吴借阅", "borrower_unit": "长春路社区居委会", "purpose": "核对收支", "external": False,
              "lent_on": TODAY}
    fields.update(kw)
    actor = fields.pop("actor", arc.worker_a)
    return services.lend(actor, dossier or arc.dossier, **fields)


def test_the_default_loan_period_is_seven_days(arc):
    loan = _lend(arc)
    assert loan.due_on == TODAY + datetime.timedelta(days=7)
    reminder = Reminder.objects.get(key=f"A-ARC-29:loan:{loan.pk}:overdue")
    assert timezone.localdate(reminder.due_at) == TODAY + datetime.timedelta(days=8)  # the day after the due date
    assert {u.pk for u in reminder.recipients.all()} == {arc.worker_a.pk, arc.u.archivist.pk}


def test_a_loan_is_returned_with_feedback_and_its_reminder_cancelled(arc):
    loan = _lend(arc)
    with pytest.raises(Conflict):
        _lend(arc)  # the file is out
    services.return_loan(arc.worker_a, loan, returned_on=TODAY + datetime.timedelta(days=7), feedback="已核对")
    loan.refresh_from_db()
    assert (loan.returned_on, loan.feedback) == (TODAY + datetime.timedelta(days=7), "已核对")
    assert Reminder.objects.get(key=f"A-ARC-29:loan:{loan.pk}:overdue").cancelled_at is not None
    with pytest.raises(Conflict):
        services.return_loan(arc.worker_a, loan)
    assert AuditEvent.objects.filter(action__in=["archives.loan_lent", "archives.loan_returned"]).count() == 2


@pytest.mark.parametrize(("kw", "code"), [
    ({"introduction_letter": None}, "introduction_letter_missing"),
    ({"introduction_letter": "区民政局介字〔2026〕12号", "approved_by_user": None}, "approval_missing"),
    ({"introduction_letter": "区民政局介字〔2026〕12号", "approved_by_user": "archivist"}, "approver_not_entitled"),
])
def test_an_external_borrower_needs_a_letter_and_approval(arc, kw, code):
    if kw.get("approved_by_user"):
        kw["approved_by_user"] = arc.u.archivist
    with pytest.raises(RuleViolation) as refused:
        _lend(arc, external=True, borrower_unit="区民政局", **kw)
    assert refused.value.code == code and refused.value.rule_id == "A-ARC-28"
    assert not Loan.objects.exists()
    loan = _lend(arc, external=True, borrower_unit="区民政局", introduction_letter="区民政局介字〔2026〕12号",
                 approved_by_user=arc.u.director)
    assert loan.approved_by == arc.u.director


def test_a_party_committee_file_is_lent_only_to_committee_members_and_street_leaders(arc):
    dossier = services.open_dossier(arc.street, Dossier.Series.GENERAL, "pwc-2026", "党工委会议记录",
                                    party_committee=True)
    with pytest.raises(RuleViolation) as refused:
        _lend(arc, dossier, borrower=arc.archivist, actor=arc.street_admin)
    assert refused.value.code == "borrower_not_entitled" and "A-ARC-27" in refused.value.message
    with pytest.raises(RuleViolation):
        _lend(arc, dossier, actor=arc.street_admin)  # a name alone does not show the office
    assert _lend(arc, dossier, borrower=arc.pwc_member, actor=arc.street_admin).borrower == arc.pwc_member


def test_copies_need_consent(arc):
    with pytest.raises(RuleViolation) as refused:
        _lend(arc, allow_copy=True)
    assert refused.value.code == "copy_consent_missing"
