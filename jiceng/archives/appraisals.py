"""Appraisal and destruction of expired files (rules-admin §2.9.3 A-ARC-30/31/35/36/37/38/40).

open_appraisal (the group, A-ARC-30) → give_opinion per dossier (keep: refiled into a retention class; destroy:
only when expired) → approve_destruction_list (the street director, A-ARC-31) → record_bureau_filing (district
archives bureau) → destroy (1 destroyer + 2 witnesses, method, place, time; A-ARC-35/36/38), which files the
report and the list into the fonds file (A-ARC-37).

Records are append-only (R-ARCH-02): destroying a dossier marks it destroyed; its records stay, hashed and checked
by `jiceng verify`, as the evidence of what the destruction register lists. The paper is what is pulped or burnt.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, NotFound, ValidationFailed
from jiceng.orgs.models import Area, Person
from jiceng.rules import archives as rules
from jiceng.rules.base import check

from .models import Appraisal, AppraisalMember, AppraisalOpinion, Dossier
from .services import (
    _require,
    _today,
    file_record,
    fonds_dossier,
    refuse_destroyed,
    roles_of,
    set_retention,
    user_roles,
)


def _locked(appraisal: Appraisal) -> Appraisal:
    return Appraisal.objects.select_for_update().select_related("area").get(pk=appraisal.pk)


def _refuse_unless(appraisal: Appraisal, status: str) -> None:
    if appraisal.status != status:
        raise Conflict(f"鉴定当前状态为「{appraisal.get_status_display()}」。",
                       f"The appraisal is {appraisal.status}.", code="appraisal_state",
                       facts={"current": appraisal.status, "wanted": status})


@transaction.atomic
def open_appraisal(actor, *, area: Area, members: list[tuple[Person, str]],
                   on: datetime.date | None = None) -> Appraisal:
    """Open an appraisal of `area`'s files by the group `members` ([(person, head|deputy_head|member)]).

    A-ARC-30: the roles each person holds that day (in bodies of the area or above) must fit their function.
    Raises PermissionDenied; RuleViolation `appraisal_group_invalid`."""
    _require(actor, area)
    on = on or _today()
    facts = [{"person": person.pk, "function": function, "roles": roles_of(person.pk, area, on)}
             for person, function in members]
    judged = check(rules.APPRAISAL_GROUP, area=area, on=on, members=facts)
    appraisal = Appraisal.objects.create(area=area, opened_by=actor, rulebook_version=judged.version)
    AppraisalMember.objects.bulk_create([AppraisalMember(appraisal=appraisal, person=person, function=function)
                                         for person, function in members])
    record_event(actor, "archives.appraisal_opened", appraisal, after={
        "members": [{"person": p.pk, "name": p.name, "function": f} for p, f in members], "on": on})
    return appraisal


@transaction.atomic
def give_opinion(actor, appraisal: Appraisal, *, dossier: Dossier, verdict: str, retention: str = "",
                 reason: str = "") -> AppraisalOpinion:
    """Record the group's opinion on `dossier`: keep it (refiled into `retention` via set_retention) or destroy it.

    A-ARC-31/40: only an expired file may be proposed for destruction (`retention_not_expired`; permanent never).
    Raises PermissionDenied, NotFound (dossier outside the appraisal's area), Conflict `appraisal_state`,
    `opinion_exists`, `dossier_destroyed`, ValidationFailed, RuleViolation."""
    appraisal = _locked(appraisal)
    _require(actor, appraisal.area)
    _refuse_unless(appraisal, Appraisal.Status.OPEN)
    dossier = Dossier.objects.select_for_update().select_related("area").get(pk=dossier.pk)
    if appraisal.area_id not in dossier.area.ancestor_ids and dossier.area_id != appraisal.area_id:
        raise NotFound()
    refuse_destroyed(dossier)
    if appraisal.opinions.filter(dossier=dossier).exists():
        raise Conflict("该案卷已有鉴定意见。", "This dossier already has an opinion in this appraisal.",
                       code="opinion_exists")
    if verdict not in AppraisalOpinion.Verdict.values:
        raise ValidationFailed("鉴定意见只能是继续保存或销毁。", "The verdict is keep or destroy.",
                               facts={"field": "verdict"})
    today = _today()
    if verdict == AppraisalOpinion.Verdict.DESTROY:
        check(rules.DESTRUCTION_ELIGIBLE, area=dossier.area, on=today, until=dossier.retention_until, today=today,
              dossier=dossier.title)
        retention = ""
    elif not retention:
        raise ValidationFailed("继续保存的案卷须重新划定保管期限。", "A kept dossier needs a retention class.",
                               facts={"field": "retention"})
    else:
        set_retention(actor, dossier, retention=retention)
    opinion = AppraisalOpinion.objects.create(appraisal=appraisal, dossier=dossier, verdict=verdict,
                                              retention=retention, reason=(reason or "").strip()[:500],
                                              recorded_by=actor)
    record_event(actor, "archives.appraisal_opinion_given", appraisal, after={
        "dossier": dossier.pk, "verdict": verdict, "retention": retention, "reason": opinion.reason})
    return opinion


def _list_of(appraisal: Appraisal) -> list[dict]:
    opinions = (appraisal.opinions.filter(verdict=AppraisalOpinion.Verdict.DESTROY)
                .select_related("dossier__area").order_by("dossier__area__code", "dossier__series", "dossier__key"))
    return [{"dossier": o.dossier_id, "area": o.dossier.area.name, "series": o.dossier.series,
             "key": o.dossier.key, "title": o.dossier.title, "retention": o.dossier.retention,
             "retention_until": o.dossier.retention_until and o.dossier.retention_until.isoformat(),
             "classification": o.dossier.classification, "records": o.dossier.records.count(),
             "reason": o.reason} for o in opinions]


def list_title(appraisal: Appraisal) -> str:
    return f"{appraisal.area.name}档案销毁清册"


@transaction.atomic
def approve_destruction_list(actor, appraisal: Appraisal, *, approved_by_user,
                             approved_on: datetime.date | None = None) -> Appraisal:
    """Generate the destruction list (××档案销毁清册) from the destroy opinions and record the street director's
    approval of it; the list is frozen as approved.

    A-ARC-31: RuleViolation `destruction_list_empty`, `director_approval_missing` (no approver, or not the street
    office director that day). Raises PermissionDenied, Conflict `appraisal_state`."""
    appraisal = _locked(appraisal)
    _require(actor, appraisal.area)
    _refuse_unless(appraisal, Appraisal.Status.OPEN)
    approved_on = approved_on or _today()
    items = _list_of(appraisal)
    roles = user_roles(approved_by_user, appraisal.area, approved_on) if approved_by_user else []
    check(rules.DESTRUCTION_CLEARANCE, area=appraisal.area, on=approved_on, items=len(items),
          approved=approved_by_user is not None, approver_roles=roles)
    appraisal.move_to(Appraisal.Status.APPROVED)
    appraisal.destruction_list, appraisal.approved_by, appraisal.approved_on = items, approved_by_user, approved_on
    appraisal.save(update_fields=["status", "destruction_list", "approved_by", "approved_on"])
    record_event(actor, "archives.destruction_list_approved", appraisal, after={
        "title": list_title(appraisal), "items": [i["dossier"] for i in items], "approved_by": approved_by_user.pk,
        "approved_on": approved_on})
    return appraisal


@transaction.atomic
def record_bureau_filing(actor, appraisal: Appraisal, *, filed_on: datetime.date, reference: str) -> Appraisal:
    """Record that the approved list was filed with the district archives bureau (送区档案局备案, A-ARC-31).

    RuleViolation `director_approval_missing` before the approval; ValidationFailed without a reference or when
    dated before the approval; Conflict `appraisal_state` when already filed."""
    appraisal = _locked(appraisal)
    _require(actor, appraisal.area)
    if appraisal.status == Appraisal.Status.OPEN:
        check(rules.DESTRUCTION_CLEARANCE, area=appraisal.area, on=filed_on, items=1, approved=False, approver_roles=[])
    _refuse_unless(appraisal, Appraisal.Status.APPROVED)
    reference = (reference or "").strip()[:100]
    if not reference or filed_on < appraisal.approved_on:
        raise ValidationFailed("须填写备案文号，备案日期不得早于批准日期。",
                               "Give the filing reference, dated on or after the approval.",
                               facts={"field": "reference" if not reference else "filed_on"})
    appraisal.move_to(Appraisal.Status.FILED)
    appraisal.bureau_filed_on, appraisal.bureau_reference = filed_on, reference
    appraisal.save(update_fields=["status", "bureau_filed_on", "bureau_reference"])
    record_event(actor, "archives.destruction_list_filed", appraisal,
                 after={"bureau_filed_on": filed_on, "bureau_reference": reference})
    return appraisal


@transaction.atomic
def destroy(actor, appraisal: Appraisal, *, destroyer: Person | None, witnesses: list[Person], all_signed: bool,
            method: str, place: str, destroyed_at: datetime.datetime | None, register_entry: str = "") -> Appraisal:
    """Record the destruction of every dossier on the approved and filed list, and file the destruction report and
    the list into the area's fonds file (A-ARC-37).

    A-ARC-31 `director_approval_missing`, `bureau_filing_missing`; A-ARC-35 `destruction_persons` (exactly one
    destroyer and two witnesses, distinct, all signed); A-ARC-36 `destruction_method_invalid`,
    `destruction_place_missing`; A-ARC-38 `classified_register_missing`, `classified_witnesses`; A-ARC-31
    `retention_not_expired` if a listed file was refiled since. Conflict `dossier_destroyed`, `already_on_loan`.
    Records are not deleted (append-only): each dossier is marked destroyed."""
    appraisal = _locked(appraisal)
    area = appraisal.area
    _require(actor, area)
    on = timezone.localdate(destroyed_at) if destroyed_at else _today()
    if appraisal.status in (Appraisal.Status.OPEN, Appraisal.Status.APPROVED):
        roles = user_roles(appraisal.approved_by, area, appraisal.approved_on) if appraisal.approved_by else []
        check(rules.DESTRUCTION_CLEARANCE, area=area, on=on, items=len(appraisal.destruction_list) or 1,
              approved=appraisal.approved_by is not None, approver_roles=roles, filed=False)
    _refuse_unless(appraisal, Appraisal.Status.FILED)
    people = [p.pk for p in witnesses]
    check(rules.DESTRUCTION_PERSONS, area=area, on=on, destroyer=destroyer.pk if destroyer else None,
          witnesses=people, signed=all_signed)
    place = (place or "").strip()[:200]
    check(rules.DESTRUCTION_METHOD, area=area, on=on, method=method, place=place, at=destroyed_at)
    dossiers = list(Dossier.objects.select_for_update().select_related("area")
                    .filter(pk__in=[i["dossier"] for i in appraisal.destruction_list]).order_by("pk"))
    register_entry = (register_entry or "").strip()[:100]
    judged = check(rules.CLASSIFIED_DESTRUCTION, area=area, on=on, levels=[d.classification for d in dossiers],
                   register_entry=register_entry, witnesses=len(set(people)))
    for dossier in dossiers:
        refuse_destroyed(dossier)
        # Refiled since the list was approved (set_retention): no longer expired, so not destroyed.
        check(rules.DESTRUCTION_ELIGIBLE, area=dossier.area, on=on, until=dossier.retention_until, today=on,
              dossier=dossier.title)
        if dossier.loans.open().exists():
            raise Conflict(f"案卷「{dossier.title}」借出未还，不能销毁。", "A listed dossier is on loan.",
                           code="already_on_loan", facts={"dossier": dossier.pk})
    appraisal.move_to(Appraisal.Status.DESTROYED)
    appraisal.destroyer, appraisal.method, appraisal.place = destroyer, method, place
    appraisal.destroyed_at, appraisal.register_entry, appraisal.rulebook_version = destroyed_at, register_entry, \
        judged.version
    appraisal.save(update_fields=["status", "destroyer", "method", "place", "destroyed_at", "register_entry",
                                  "rulebook_version"])
    appraisal.witnesses.set(witnesses)
    Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).update(destroyed_on=on, destroyed_in=appraisal)
    report = {
        "list": list_title(appraisal), "items": appraisal.destruction_list,
        "approved_by": appraisal.approved_by_id, "approved_on": appraisal.approved_on,
        "bureau_filed_on": appraisal.bureau_filed_on, "bureau_reference": appraisal.bureau_reference,
        "destroyer": {"person": destroyer.pk, "name": destroyer.name, "signed": True},
        "witnesses": [{"person": w.pk, "name": w.name, "signed": True} for w in witnesses],
        "method": method, "place": place, "destroyed_at": destroyed_at, "register_entry": register_entry,
        "digital_copy": "kept: records are append-only and remain as the register's evidence"}
    record_event(actor, "archives.dossiers_destroyed", appraisal, after=report)
    fonds = fonds_dossier(area)
    file_record(actor, fonds, kind="archives.destruction_list", title=list_title(appraisal),
                data={"title": list_title(appraisal), "items": appraisal.destruction_list,
                      "approved_by": appraisal.approved_by_id, "approved_on": appraisal.approved_on,
                      "bureau_filed_on": appraisal.bureau_filed_on, "bureau_reference": appraisal.bureau_reference},
                source=appraisal, occurred_at=destroyed_at)
    file_record(actor, fonds, kind="archives.destruction_report", title=f"{area.name}档案销毁报告", data=report,
                source=appraisal, occurred_at=destroyed_at)
    return appraisal
