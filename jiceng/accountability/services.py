"""Cases: the street opens one from findings (R-ACC-12: the PWC prepares), the district's discipline commission or
organisation department classifies the severity and decides the measures E-12 allows (R-ACC-09), a deadline for
rectification reminds and escalates, and the closed case is made public (R-ACC-10)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from jiceng.accounts import scope
from jiceng.accounts.models import Account, RoleAssignment
from jiceng.accounts.roles import Perm
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, IllegalTransition, PermissionDenied, ValidationFailed
from jiceng.notify import services as notify
from jiceng.orgs.models import Area, Body, Membership, Person
from jiceng.rules import accountability as r
from jiceng.rules.base import check

from .models import Case, Finding, Measure

DECIDING_BODIES = (Body.Kind.DISTRICT_DISCIPLINE_COMMISSION, Body.Kind.DISTRICT_ORGANIZATION_DEPARTMENT)
RECTIFY_LEAD_DAYS = 3  # NOT IN SOURCE: the rectification reminder goes out three days before the deadline
REMIND_AT_HOUR = 9


def _invalid(field: str, zh: str, en: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(zh, en, code=code, facts={"field": field})


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("area").get(pk=case.pk)


def _person_id(actor) -> int | None:
    account = getattr(actor, "account", None)
    return account.person_id if account is not None else None


def may_decide(actor, area: Area, on: datetime.date) -> bool:
    """R-ACC-12: the actor's person serves in the district's discipline commission or organisation department."""
    district_id = area.ancestor_ids[0] if area.ancestor_ids else area.pk
    person_id = _person_id(actor)
    return person_id is not None and Membership.objects.on(on).filter(
        person_id=person_id, body__kind__in=DECIDING_BODIES, body__area_id=district_id).exists()


def _require_decider(actor, case: Case) -> None:
    on = timezone.localdate()
    check(r.DECIDERS, area=case.area, on=on, satisfied=may_decide(actor, case.area, on), user=actor.get_username())


def open_case(actor, *, area: Area, findings: list[Finding], ground: str, title: str) -> Case:
    """The street working committee (or the district) opens a case from findings of its scope."""
    if not scope.has_perm(actor, Perm.APPROVE_AS_STREET, area):
        raise PermissionDenied(*r.DECIDERS.cited("只有街道党工委或区级人员可以立案",
                                                 "Only the street working committee or the district opens cases"),
                               code="not_street_or_district", rule=r.DECIDERS.id)
    if ground not in Case.Ground.values:
        raise _invalid("ground", "请选择追究情形。", "Choose the ground of the case.")
    title = (title or "").strip()
    if not title or not findings:
        raise _invalid("findings", "请填写案由并选择至少一项违规发现。", "Give a title and at least one finding.")
    with transaction.atomic():
        rows = list(Finding.objects.select_for_update().filter(pk__in=[f.pk for f in findings]))
        outside = [f.pk for f in rows if not f.area.path.startswith(area.path)]
        taken = [f.pk for f in rows if f.case_id is not None]
        if outside or len(rows) != len(findings):
            raise _invalid("findings", "违规发现不在本案所属区域内。", "A finding lies outside the case's area.")
        if taken:
            raise Conflict("部分违规发现已在其他案件中处理。", "Some findings already belong to a case.",
                           code="finding_in_case", facts={"findings": taken})
        case = Case.objects.create(area=area, title=title[:200], ground=ground, opened_by=actor)
        Finding.objects.filter(pk__in=[f.pk for f in rows]).update(case=case)
        record_event(actor, "accountability.case_opened", case, area=area,
                     after={"findings": [f.pk for f in rows], "ground": ground})
        return case


def classify(actor, case: Case, *, severity: str, subject: str, person: Person | None = None,
             post: str = "") -> Case:
    """R-ACC-12: only the district's deciding bodies classify; the measures decided later must fit (R-ACC-09)."""
    if severity not in r.SEVERITIES or subject not in r.SUBJECTS:
        raise _invalid("severity", "请选择情节和追究对象类别。", "Choose the severity and the subject.")
    with transaction.atomic():
        case = _locked(case)
        _require_decider(actor, case)
        if case.status != Case.Status.OPEN or case.measures.exists():
            raise Conflict("已决定处理措施的案件不能改变情节认定。", "A case with measures keeps its classification.",
                           code="case_already_decided")
        case.severity, case.subject, case.person, case.post = severity, subject, person, (post or "").strip()[:100]
        case.save()
        record_event(actor, "accountability.case_classified", case, area=case.area,
                     after={"severity": severity, "subject": subject, "person": person.pk if person else None})
        return case


def add_measure(actor, case: Case, *, measure: str, note: str = "", rectify_by: datetime.date | None = None) -> Case:
    """Decide one measure; it must be one E-12 allows for the case's severity and subject (R-ACC-09). A deadline
    for rectification needs its date, which is reminded before and escalated after."""
    with transaction.atomic():
        case = _locked(case)
        _require_decider(actor, case)
        if not case.severity:
            raise Conflict("请先认定情节和追究对象。", "Classify the case first.", code="case_not_classified")
        if case.status == Case.Status.CLOSED:
            raise IllegalTransition(case, current=case.get_status_display(), wanted=Case.Status.DECIDED.label)
        kind = check(r.MEASURE_ALLOWED, area=case.area, on=timezone.localdate(), severity=case.severity,
                     subject=case.subject, measure=measure).value
        if measure == "rectify_within_deadline":
            if rectify_by is None or rectify_by <= timezone.localdate():
                raise _invalid("rectify_by", "限期整改须写明晚于今天的整改期限。",
                               "Give a rectification deadline after today.")
            case.rectify_by = rectify_by
            _schedule_rectification(case)
        if Measure.objects.filter(case=case, measure=measure).exists():
            raise Conflict("该措施已决定。", "This measure is already decided.", code="measure_exists")
        Measure.objects.create(case=case, measure=measure, kind=kind, note=(note or "").strip(), decided_by=actor)
        case.status, case.decided_by, case.decided_at = Case.Status.DECIDED, actor, timezone.now()
        case.save()
        record_event(actor, "accountability.measure_decided", case, area=case.area,
                     after={"measure": measure, "kind": kind, "rectify_by": rectify_by})
        return case


def close_case(actor, case: Case, *, summary: str, rectified_on: datetime.date | None = None,
               publish: bool = True) -> Case:
    """Close with the outcome; its findings are settled by the case, and the outcome is published (R-ACC-10)."""
    summary = (summary or "").strip()
    if not summary:
        raise _invalid("summary", "请写明处理结果。", "Give the outcome.")
    with transaction.atomic():
        case = _locked(case)
        _require_decider(actor, case)
        if case.status != Case.Status.DECIDED:
            raise IllegalTransition(case, current=case.get_status_display(), wanted=Case.Status.CLOSED.label)
        if case.rectify_by is not None and rectified_on is None:
            raise _invalid("rectified_on", "限期整改的案件须登记整改完成日期。",
                           "Record when the rectification was done.")
        case.status, case.summary, case.rectified_on = Case.Status.CLOSED, summary, rectified_on
        case.closed_at, case.published = timezone.now(), bool(publish)
        case.save()
        case.findings.filter(status=Finding.Status.OPEN).update(status=Finding.Status.DISMISSED,
                                                                 closed_at=case.closed_at)
        notify.cancel_reminders(_key(case))
        record_event(actor, "accountability.case_closed", case, area=case.area,
                     after={"published": case.published, "rectified_on": rectified_on})
        return case


# Rectification deadlines -------------------------------------------------------------------------------

def _key(case: Case) -> str:
    return f"R-ACC-09:case:{case.pk}"


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(REMIND_AT_HOUR)))


def _users_of(person_ids) -> set[int]:
    return set(Account.objects.filter(person_id__in=[p for p in person_ids if p], user__is_active=True)
               .values_list("user_id", flat=True))


def district_deciders(district: Area, on: datetime.date) -> set[int]:
    """The users of the district's deciding bodies (R-ACC-12) and its administrators."""
    users = _users_of(Membership.objects.on(on).filter(body__kind__in=DECIDING_BODIES, body__area=district)
                      .values_list("person_id", flat=True))
    return users | set(RoleAssignment.objects.on(on).filter(area=district, role="district_admin")
                       .values_list("user_id", flat=True))


def _schedule_rectification(case: Case) -> None:
    """Before the deadline: the person held accountable and whoever opened the case; after it: escalate to the
    district's deciders and the district administrators."""
    findings = list(case.findings.values_list("specific_responsible_id", "first_responsible_id"))
    concerned = _users_of([case.person_id, *[pid for pair in findings for pid in pair]]) | {case.opened_by_id}
    district = Area.objects.get(pk=case.area.ancestor_ids[0]) if case.area.ancestor_ids else case.area
    deciders = district_deciders(district, timezone.localdate())
    link = f"/accountability/cases/{case.pk}/"
    notify.schedule_reminder(
        key=f"{_key(case)}:due", due_at=_at(max(case.rectify_by - datetime.timedelta(days=RECTIFY_LEAD_DAYS),
                                                 timezone.localdate())),
        recipients=concerned, title=f"提醒：「{case.title}」限期整改即将到期", body="请按期完成整改并报告。",
        rule_id=r.MEASURE_ALLOWED.id, deadline=case.rectify_by, link=link, subject=case)
    notify.schedule_reminder(
        key=f"{_key(case)}:overdue", due_at=_at(case.rectify_by + datetime.timedelta(days=1)),
        recipients=concerned | deciders, title=f"逾期：「{case.title}」未按期整改", body="整改期限已过，请督办。",
        rule_id=r.MEASURE_ALLOWED.id, deadline=case.rectify_by, link=link, subject=case)


def public_cases(district: Area):
    """R-ACC-10: the district's closed, published cases — names and posts only."""
    return (Case.objects.filter(area__path__startswith=district.path, status=Case.Status.CLOSED, published=True)
            .select_related("person", "area").prefetch_related("measures").order_by("-closed_at"))
