"""Filing into the archive, and the archive's own work: retention, the archivist's handover, loans and approved
exports (rules-core §2.12 R-ARCH, rules-admin §2.9 A-ARC, §2.10 A-SEC-01).

Every app calls `file_record` inside the transaction of the change it files. Records never change (R-ARCH-02);
what does change about a file (its retention, its loans, the archivist) lives on Dossier or on the models below,
and every change is audited. The zip export and its offline check are in exports.py.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from jiceng.accounts import scope
from jiceng.accounts.models import Account
from jiceng.accounts.roles import Perm
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, PermissionDenied, ValidationFailed
from jiceng.orgs import services as orgs_services
from jiceng.orgs.models import Area, Membership, Person, Role
from jiceng.rules import archives as rules
from jiceng.rules.base import check

from .models import Dossier, ExportApproval, Handover, Loan, Record

# accounts.roles has no archives permission yet; the archive's writes (loans, handovers, retention, approvals) are
# staff work, so they take the permission every staff role holds and supervisors and residents do not.
WRITE_PERM = Perm.RUN_MEETINGS
REMIND_AT_HOUR = 9


def digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def canonical_json(data: dict) -> str:
    """One spelling per content, so the same snapshot always hashes the same."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _today() -> datetime.date:
    return timezone.localdate()


def _require(actor, area: Area, perm: str = WRITE_PERM) -> None:
    if not scope.has_perm(actor, perm, area):
        raise PermissionDenied(f"您在「{area}」没有办理档案工作的权限。",
                               f"You may not do archive work in {area.code}.",
                               facts={"permission": perm, "area": area.code})


def refuse_destroyed(dossier: Dossier) -> None:
    """A destroyed dossier (A-ARC-35) keeps its records as evidence, but is no longer lent, exported or filed into."""
    if dossier.destroyed_on is not None:
        raise Conflict(f"案卷「{dossier.title}」已于{dossier.destroyed_on}销毁。",
                       f"The dossier was destroyed on {dossier.destroyed_on}.", code="dossier_destroyed",
                       facts={"dossier": dossier.pk, "destroyed_on": dossier.destroyed_on.isoformat()})


# Dossiers and retention (A-ARC-11/23/50) ----------------------------------------------------------------------

def _base_year(dossier: Dossier) -> int | None:
    """The year the file belongs to: a yearly file's key, else the year it was closed (None while open)."""
    if dossier.key.isdigit() and len(dossier.key) == 4:
        return int(dossier.key)
    return dossier.closed_on.year if dossier.closed_on else None


def judge_retention(dossier: Dossier, retention: str | None, on: datetime.date) -> rules.Retention:
    judged = check(rules.RETENTION, area=dossier.area, on=on, series=dossier.series, retention=retention,
                   base_year=_base_year(dossier)).value
    check(rules.RETENTION_FLOOR, area=dossier.area, on=on, series=dossier.series, years=judged.years)
    return judged


def open_dossier(area: Area, series: str, key: str, title: str, *, retention: str = "",
                 party_committee: bool = False) -> Dossier:
    """The dossier `key` of `series` for `area`, opened on first use with its retention class (the series' default
    unless given, A-ARC-11) and, for a yearly file, the last day it is kept.

    A matter opens its own: `open_dossier(community, "matter", f"matter-{id}", title)`. Raises RuleViolation
    (`invalid_retention_class`, `retention_below_minimum`) for a class the rulebook refuses."""
    dossier = Dossier.objects.filter(area=area, series=series, key=key).first()
    if dossier is not None:
        return dossier
    draft = Dossier(area=area, series=series, key=key, title=title[:200], party_committee=party_committee)
    judged = judge_retention(draft, retention or None, _today())
    dossier, _ = Dossier.objects.get_or_create(
        area=area, series=series, key=key,
        defaults={"title": title[:200], "retention": judged.retention, "retention_until": judged.until,
                  "party_committee": party_committee})
    return dossier


def yearly_dossier(area: Area, series: str, year: int) -> Dossier:
    """The year's dossier of a series for an area (e.g. 长春路社区 党务公开档案 2026), opened on first use."""
    title = f"{area.name}{Dossier.Series(series).label}（{year}年）"
    return open_dossier(area, series, str(year), title)


@transaction.atomic
def set_retention(actor, dossier: Dossier, *, retention: str) -> Dossier:
    """Give `dossier` another retention class (after appraisal, A-ARC-31 "重新划定保管期限") and derive its end.

    Raises PermissionDenied, RuleViolation `invalid_retention_class` / `retention_below_minimum`."""
    dossier = Dossier.objects.select_for_update().select_related("area").get(pk=dossier.pk)
    _require(actor, dossier.area)
    refuse_destroyed(dossier)
    judged = judge_retention(dossier, retention, _today())
    before = {"retention": dossier.retention, "retention_until": dossier.retention_until}
    dossier.retention, dossier.retention_until = judged.retention, judged.until
    dossier.save(update_fields=["retention", "retention_until"])
    record_event(actor, "archives.retention_set", dossier, before=before,
                 after={"retention": dossier.retention, "retention_until": dossier.retention_until})
    return dossier


@transaction.atomic
def close_dossier(actor, dossier: Dossier, *, closed_on: datetime.date) -> Dossier:
    """Close a (matter) dossier on `closed_on`; its retention runs from 1 January of the next year."""
    dossier = Dossier.objects.select_for_update().select_related("area").get(pk=dossier.pk)
    refuse_destroyed(dossier)
    if dossier.closed_on is not None:
        raise Conflict(f"案卷已于{dossier.closed_on}结卷。", f"The dossier was closed on {dossier.closed_on}.",
                       code="dossier_closed")
    dossier.closed_on = closed_on
    judged = judge_retention(dossier, dossier.retention, closed_on)
    dossier.retention_until = judged.until
    dossier.save(update_fields=["closed_on", "retention_until"])
    record_event(actor, "archives.dossier_closed", dossier,
                 after={"closed_on": closed_on, "retention_until": dossier.retention_until})
    return dossier


# Records --------------------------------------------------------------------------------------------------------

def file_record(actor, dossier: Dossier, *, kind: str, title: str, data: dict, source: models.Model,
                occurred_at: datetime.datetime) -> Record:
    """Append one record (a JSON snapshot) to `dossier` with its SHA-256 and the next sequence number."""
    content = canonical_json(data)
    with transaction.atomic():
        # The dossier row is locked so two filings never take the same sequence number.
        refuse_destroyed(Dossier.objects.select_for_update().get(pk=dossier.pk))
        last = dossier.records.aggregate(m=Max("sequence"))["m"] or 0
        return Record.objects.create(
            dossier=dossier, sequence=last + 1, kind=kind, title=title[:300], content=content,
            sha256=digest(content), source_type=source._meta.label_lower, source_id=source.pk,
            occurred_at=occurred_at, filed_by=actor if getattr(actor, "pk", None) else None)


def records_of(source: models.Model):
    return Record.objects.filter(source_type=source._meta.label_lower, source_id=source.pk).order_by("filed_at", "pk")


def broken_records(batch: int = 2000):
    """Records whose content no longer matches the hash taken when they were filed (`jiceng verify`)."""
    for record in Record.objects.only("pk", "content", "sha256", "dossier_id", "sequence").iterator(chunk_size=batch):
        if digest(record.content) != record.sha256:
            yield record


# People: who holds which office ---------------------------------------------------------------------------------

def roles_of(person_id: int | None, area: Area, on: datetime.date) -> list[str]:
    """Roles `person_id` holds on `on` in bodies of `area` or of an area above it (the street of a community)."""
    if person_id is None:
        return []
    return sorted(set(Membership.objects.on(on).filter(person_id=person_id, body__area_id__in=area.ancestor_ids)
                      .values_list("role", flat=True)))


def user_roles(user, area: Area, on: datetime.date) -> list[str]:
    person_id = Account.objects.filter(user_id=getattr(user, "pk", None)).values_list("person_id", flat=True).first()
    return roles_of(person_id, area, on)


def active_archivist(community: Area, on: datetime.date) -> Membership | None:
    """The archivist (orgs Role.ARCHIVIST in a body of `community`) in office on `on`; the longest-serving one
    when several are (R-ARCH-03)."""
    return (Membership.objects.on(on).filter(body__area=community, role=Role.ARCHIVIST)
            .select_related("person", "body").order_by("start_on", "pk").first())


def archivist_users(area: Area, on: datetime.date) -> list[int]:
    """Logins of the archivists in office for `area` (its own bodies or those above it)."""
    persons = Membership.objects.on(on).filter(body__area_id__in=area.ancestor_ids, role=Role.ARCHIVIST)
    return list(Account.objects.filter(person_id__in=persons.values("person_id"), user__is_active=True)
                .values_list("user_id", flat=True))


# Handover (R-ARCH-07, A-ARC-04, A-ARC-33) ----------------------------------------------------------------------

def fonds_dossier(area: Area) -> Dossier:
    """The area's fonds file (全宗卷): handover slips and destruction reports go here (A-ARC-37)."""
    return open_dossier(area, Dossier.Series.FONDS, "fonds", f"{area.name}全宗卷")


@transaction.atomic
def record_handover(actor, *, community: Area, outgoing: Person, successor: Person, items: list[str],
                    handed_over_on: datetime.date, outgoing_signed: bool, successor_signed: bool) -> Handover:
    """Record the handover slip of a change of archivist and file it into the fonds file.

    A-ARC-33: the items are listed and counted, and both sides sign. Raises PermissionDenied; ValidationFailed
    `not_archivist` when `outgoing` never held the archivist's post here; RuleViolation `handover_items_missing`,
    `handover_signature_missing`, `handover_same_person`."""
    _require(actor, community)
    listed = [str(item).strip()[:200] for item in items if str(item).strip()]
    check(rules.HANDOVER_SLIP, area=community, on=handed_over_on, items=len(listed),
          signed=int(bool(outgoing_signed)) + int(bool(successor_signed)), distinct=outgoing.pk != successor.pk)
    if not Membership.objects.filter(person=outgoing, body__area=community, role=Role.ARCHIVIST).exists():
        raise ValidationFailed(f"{outgoing.name}未在{community.name}担任档案管理人员。",
                               f"{outgoing.pk} has not been this community's archivist.", code="not_archivist",
                               facts={"field": "outgoing"})
    handover = Handover.objects.create(
        community=community, outgoing=outgoing, successor=successor, items=listed, item_count=len(listed),
        handed_over_on=handed_over_on, outgoing_signed=True, successor_signed=True, recorded_by=actor)
    facts = {"outgoing": outgoing.name, "successor": successor.name, "items": listed, "item_count": len(listed),
             "handed_over_on": handed_over_on, "outgoing_signed": True, "successor_signed": True}
    record_event(actor, "archives.handover_recorded", handover, area=community, after=facts)
    at = timezone.make_aware(datetime.datetime.combine(handed_over_on, datetime.time(12)))
    file_record(actor, fonds_dossier(community), kind="archives.handover",
                title=f"档案交接单：{outgoing.name}移交{successor.name}（{len(listed)}项）", data=facts,
                source=handover, occurred_at=at)
    return handover


@transaction.atomic
def end_archivist(actor, membership: Membership, *, end_on: datetime.date) -> Membership:
    """End an archivist's post, once a handover slip of this term names the successor (R-ARCH-07, A-ARC-04).

    Checks, then calls orgs.services.end_membership (which checks permission and audits). Raises ValidationFailed
    `not_archivist` for another office; RuleViolation `handover_missing`."""
    membership = Membership.objects.select_related("body__area", "person").get(pk=membership.pk)
    if membership.role != Role.ARCHIVIST:
        raise ValidationFailed("该任职不是档案管理人员。", "This membership is not an archivist's post.",
                               code="not_archivist", facts={"field": "membership"})
    community = membership.body.area
    handed = (Handover.objects.filter(community=community, outgoing=membership.person,
                                      handed_over_on__gte=membership.start_on, handed_over_on__lte=end_on)
              .exclude(successor=membership.person).exists())
    check(rules.HANDOVER_REQUIRED, area=community, on=end_on, satisfied=handed, person=membership.person.name,
          community=community.code, end_on=end_on.isoformat())
    return orgs_services.end_membership(actor, membership, end_on=end_on)


# Loans (A-ARC-24/27/28/29) ------------------------------------------------------------------------------------

def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(REMIND_AT_HOUR)))


def _loan_key(loan: Loan) -> str:
    return f"{rules.LOAN_TERMS.id}:loan:{loan.pk}"


@transaction.atomic
def lend(actor, dossier: Dossier, *, borrower_name: str, borrower_unit: str, purpose: str,
         due_on: datetime.date | None = None, external: bool = False, introduction_letter: str | None = None,
         approved_by_user=None, allow_copy: bool = False, borrower: Person | None = None,
         lent_on: datetime.date | None = None) -> Loan:
    """Register the loan of `dossier` (借阅登记) and schedule the overdue reminder.

    A-ARC-27: a party-committee file only to a party committee member or street leader (`borrower` is the person,
    `borrower_not_entitled`); A-ARC-28: an outside unit needs a letter (`introduction_letter_missing`) and the
    approval of the office or a street leader (`approval_missing`, `approver_not_entitled`); A-ARC-29: purpose,
    due date (default 7 days), copies only with consent (`copy_consent_missing`). Raises PermissionDenied,
    Conflict `already_on_loan` / `dossier_destroyed`, ValidationFailed or RuleViolation, and then writes nothing."""
    dossier = Dossier.objects.select_for_update().select_related("area").get(pk=dossier.pk)
    _require(actor, dossier.area)
    refuse_destroyed(dossier)
    lent_on = lent_on or _today()
    name, unit = (borrower_name or "").strip()[:50], (borrower_unit or "").strip()[:120]
    if not name or not unit:
        raise ValidationFailed("须填写借阅人和借阅单位。", "Name the borrower and the borrower's unit.",
                               facts={"field": "borrower_name" if not name else "borrower_unit"})
    on = dict(area=dossier.area, on=lent_on)
    check(rules.PARTY_COMMITTEE_LOAN, **on, party_committee=dossier.party_committee,
          borrower_roles=roles_of(borrower.pk if borrower else None, dossier.area, lent_on))
    letter = (introduction_letter or "").strip()[:200]
    approver_roles = user_roles(approved_by_user, dossier.area, lent_on) if approved_by_user else []
    check(rules.EXTERNAL_LOAN, **on, external=external, letter=letter, approved=approved_by_user is not None,
          approver_roles=approver_roles)
    judged = check(rules.LOAN_TERMS, **on, lent_on=lent_on, due_on=due_on, purpose=purpose or "",
                   allow_copy=allow_copy, consented=approved_by_user is not None)
    if dossier.loans.open().exists():
        raise Conflict("该案卷已借出，尚未归还。", "The dossier is on loan and not yet returned.",
                       code="already_on_loan")
    loan = Loan.objects.create(
        dossier=dossier, borrower_name=name, borrower_unit=unit, borrower=borrower, purpose=purpose.strip()[:500],
        external=external, introduction_letter=letter, approved_by=approved_by_user, allow_copy=allow_copy,
        lent_on=lent_on, due_on=judged.value, lent_by=actor, rulebook_version=judged.version)
    record_event(actor, "archives.loan_lent", loan, area=dossier.area, after={
        "dossier": dossier.pk, "borrower_name": name, "borrower_unit": unit, "purpose": loan.purpose,
        "external": external, "introduction_letter": letter, "approved_by": getattr(approved_by_user, "pk", None),
        "allow_copy": allow_copy, "lent_on": lent_on, "due_on": loan.due_on})
    from jiceng.notify import services as notify

    notify.schedule_reminder(
        key=f"{_loan_key(loan)}:overdue", due_at=_at(loan.due_on + datetime.timedelta(days=1)),
        recipients={actor.pk, *archivist_users(dossier.area, lent_on)}, title=f"逾期未还：{dossier.title}",
        body=f"{name}（{unit}）借阅的案卷「{dossier.title}」已超过归还期限，请催还。", rule_id=rules.LOAN_TERMS.id,
        deadline=loan.due_on, link=f"/archives/{dossier.pk}/", subject=loan)
    return loan


@transaction.atomic
def return_loan(actor, loan: Loan, *, returned_on: datetime.date | None = None, feedback: str = "") -> Loan:
    """Register the return of a loan with the feedback on its use (A-ARC-29) and cancel its reminder.

    Raises PermissionDenied, Conflict `already_returned`, ValidationFailed for a return before the loan."""
    loan = Loan.objects.select_for_update().select_related("dossier__area").get(pk=loan.pk)
    _require(actor, loan.dossier.area)
    if loan.returned_on is not None:
        raise Conflict(f"该借阅已于{loan.returned_on}归还。", f"The loan was returned on {loan.returned_on}.",
                       code="already_returned")
    returned_on = returned_on or _today()
    if returned_on < loan.lent_on:
        raise ValidationFailed("归还日期早于借出日期。", "The return is dated before the loan.",
                               facts={"field": "returned_on"})
    loan.returned_on, loan.feedback, loan.returned_to = returned_on, (feedback or "").strip()[:2000], actor
    loan.save(update_fields=["returned_on", "feedback", "returned_to"])
    record_event(actor, "archives.loan_returned", loan, area=loan.dossier.area,
                 after={"returned_on": returned_on, "feedback": loan.feedback,
                        "overdue": returned_on > loan.due_on})
    from jiceng.notify import services as notify

    notify.cancel_reminders(_loan_key(loan))
    return loan


# Exports to outside parties (A-SEC-01) --------------------------------------------------------------------------

@transaction.atomic
def approve_export(actor, dossier: Dossier, *, recipient: str, purpose: str, approved_by_user,
                   approved_on: datetime.date | None = None) -> ExportApproval:
    """Record a street leader's approval to give `dossier` to `recipient` (A-SEC-01).

    Raises PermissionDenied; RuleViolation `external_export_requires_approval` (no approver) or
    `approver_not_entitled`; ValidationFailed without a recipient or purpose."""
    _require(actor, dossier.area)
    refuse_destroyed(dossier)
    approved_on = approved_on or _today()
    if not (recipient or "").strip() or not (purpose or "").strip():
        raise ValidationFailed("须写明提供对象和用途。", "Name the recipient and the purpose.",
                               facts={"field": "recipient" if not (recipient or "").strip() else "purpose"})
    roles = user_roles(approved_by_user, dossier.area, approved_on) if approved_by_user else []
    check(rules.EXTERNAL_EXPORT, area=dossier.area, on=approved_on, approved=approved_by_user is not None,
          approver_roles=roles)
    approval = ExportApproval.objects.create(dossier=dossier, recipient=recipient.strip()[:200],
                                             purpose=purpose.strip()[:500], approved_by=approved_by_user,
                                             approved_on=approved_on, recorded_by=actor)
    record_event(actor, "archives.export_approved", approval, area=dossier.area,
                 after={"dossier": dossier.pk, "recipient": approval.recipient, "purpose": approval.purpose,
                        "approved_by": approved_by_user.pk, "approved_on": approved_on})
    return approval


def export_dossier(actor, dossier: Dossier, *, external: bool = False,
                   approval: ExportApproval | None = None) -> bytes:
    """The dossier as a verifiable .zip (exports.export_zip), audited as a movement of the file (A-ARC-24).

    An export for an outside party needs an approval record of this dossier (A-SEC-01): RuleViolation
    `external_export_requires_approval`. The caller has already checked that `actor` may see the dossier."""
    from .exports import export_zip

    refuse_destroyed(dossier)
    if external:
        approved = approval is not None and approval.dossier_id == dossier.pk
        roles = user_roles(approval.approved_by, dossier.area, approval.approved_on) if approved else []
        check(rules.EXTERNAL_EXPORT, area=dossier.area, on=_today(), approved=approved, approver_roles=roles)
    data = export_zip(dossier)
    record_event(actor, "archives.exported", dossier, after={
        "external": external, "approval": approval.pk if approval and external else None,
        "recipient": approval.recipient if approval and external else "", "sha256": hashlib.sha256(data).hexdigest()})
    return data
