"""Accountability API (issue #6 contract): the scan, findings, cases, the dashboard, the evaluation feed and the
district's public list of closed cases. Thin: scope first (404 otherwise), then the services."""

from __future__ import annotations

import datetime

from ninja import Query, Router, Schema, Status

from jiceng.accountability import services
from jiceng.accountability.assessment import assessment
from jiceng.accountability.dashboard import dashboard as build_dashboard
from jiceng.accountability.models import Case, Finding
from jiceng.accountability.scan import run_scan
from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.core.errors import NotFound, PermissionDenied, ValidationFailed
from jiceng.orgs.models import Area, Person
from jiceng.orgs.services import get_visible
from jiceng.rules.accountability import MEASURES

from .common import PAGE_MAX, keyset

router = Router(tags=["accountability"])


class ScanIn(Schema):
    area: int


class CaseIn(Schema):
    area: int
    findings: list[int]
    ground: Case.Ground
    title: str


class ClassifyIn(Schema):
    severity: str
    subject: str
    person: int | None = None
    post: str = ""


class MeasureIn(Schema):
    measure: str
    note: str = ""
    rectify_by: datetime.date | None = None


class CloseIn(Schema):
    summary: str
    rectified_on: datetime.date | None = None
    publish: bool = True


def finding_dict(f: Finding) -> dict:
    return {"id": f.pk, "rule": f.rule_id, "check": f.check_name, "family": f.family, "title": f.title,
            "area": {"id": f.area_id, "name": f.area.name}, "status": f.status, "occurred_on": f.occurred_on,
            "first_seen": f.first_seen, "last_seen": f.last_seen, "closed_at": f.closed_at, "link": f.link,
            "evidence": f.evidence, "responsible_body": f.responsible_body_id,
            "first_responsible": f.first_responsible_id, "specific_responsible": f.specific_responsible_id,
            "direct_responsible": f.direct_responsible_id, "case": f.case_id}


def case_dict(c: Case) -> dict:
    return {"id": c.pk, "area": c.area_id, "title": c.title, "ground": c.ground, "status": c.status,
            "severity": c.severity, "subject": c.subject, "person": c.person_id, "post": c.post,
            "rectify_by": c.rectify_by, "rectified_on": c.rectified_on, "summary": c.summary,
            "published": c.published, "findings": [f.pk for f in c.findings.all()],
            "measures": [{"measure": m.measure, "label": MEASURES[m.measure][0], "kind": m.kind, "note": m.note}
                         for m in c.measures.all()]}


def _case(request, case_id: int) -> Case:
    return get_visible(Case, request.auth, case_id)


@router.post("/scan", summary="Run the compliance scan for an area now (street or district users)",
             description="Idempotent: a breach seen again only updates `last_seen`; cured conditions close.")
def scan(request, payload: ScanIn):
    area = get_visible(Area, request.auth, payload.area)
    if not scope.has_perm(request.auth, Perm.APPROVE_AS_STREET, area):
        raise PermissionDenied("只有街道或区级人员可以发起合规扫描。", "Only street or district users run the scan.")
    return run_scan(area)


@router.get("/findings", summary="Findings in your scope",
            description="Filter by `community` (or any `area`), `rule`, `status` (open|cured|dismissed), `family`.")
def list_findings(request, community: int | None = None, area: int | None = None, rule: str | None = None,
                  status: Finding.Status | None = None, family: str | None = None, after: int | None = None,
                  limit: int = Query(50, ge=1, le=PAGE_MAX)):
    qs = Finding.objects.visible_to(request.auth).select_related("area")
    for area_id in (community, area):
        if area_id is not None:
            qs = qs.filter(area__path__startswith=get_visible(Area, request.auth, area_id).path)
    if rule:
        qs = qs.filter(rule_id=rule)
    if status:
        qs = qs.filter(status=status)
    if family:
        qs = qs.filter(family=family)
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [finding_dict(f) for f in rows], "next_after": next_after}


@router.get("/findings/{int:finding_id}", summary="One finding with its evidence")
def get_finding(request, finding_id: int):
    return finding_dict(get_visible(Finding, request.auth, finding_id))


@router.post("/cases", response={201: dict}, summary="Open a case from findings (street working committee, district)")
def open_case(request, payload: CaseIn):
    area = get_visible(Area, request.auth, payload.area)
    findings = list(Finding.objects.visible_to(request.auth).filter(pk__in=payload.findings))
    if len(findings) != len(set(payload.findings)):
        raise NotFound()
    case = services.open_case(request.auth, area=area, findings=findings, ground=payload.ground, title=payload.title)
    return Status(201, case_dict(case))


@router.get("/cases", summary="Cases in your scope")
def list_cases(request, status: Case.Status | None = None, after: int | None = None,
               limit: int = Query(50, ge=1, le=PAGE_MAX)):
    qs = Case.objects.visible_to(request.auth).prefetch_related("findings", "measures")
    if status:
        qs = qs.filter(status=status)
    rows, next_after = keyset(qs, after=after, limit=limit)
    return {"items": [case_dict(c) for c in rows], "next_after": next_after}


@router.get("/cases/{int:case_id}", summary="One case")
def get_case(request, case_id: int):
    return case_dict(_case(request, case_id))


@router.post("/cases/{int:case_id}/classify", summary="R-ACC-12: the district classifies severity and subject")
def classify(request, case_id: int, payload: ClassifyIn):
    person = get_visible(Person, request.auth, payload.person) if payload.person else None
    return case_dict(services.classify(request.auth, _case(request, case_id), severity=payload.severity,
                                       subject=payload.subject, person=person, post=payload.post))


@router.post("/cases/{int:case_id}/measures", summary="R-ACC-09: decide a measure allowed for the severity",
             description="422 `measure_not_allowed_for_severity` with the allowed list.")
def add_measure(request, case_id: int, payload: MeasureIn):
    return case_dict(services.add_measure(request.auth, _case(request, case_id), measure=payload.measure,
                                          note=payload.note, rectify_by=payload.rectify_by))


@router.post("/cases/{int:case_id}/close", summary="Close with the outcome; R-ACC-10 publishes it")
def close_case(request, case_id: int, payload: CloseIn):
    return case_dict(services.close_case(request.auth, _case(request, case_id), summary=payload.summary,
                                         rectified_on=payload.rectified_on, publish=payload.publish))


@router.get("/dashboard/{int:area_id}", summary="Compliance score, heat map, trend and longest-open findings",
            description="Reads the monthly figures the scan maintains. `since` defaults to the current half-year.")
def get_dashboard(request, area_id: int, since: datetime.date | None = None):
    return build_dashboard(get_visible(Area, request.auth, area_id), since=since)


@router.get("/assessments/{int:community_id}", summary="R-ACC-14: the evidence for a community's annual assessment")
def get_assessment(request, community_id: int, year: int = Query(..., ge=2000, le=2100)):
    community = get_visible(Area, request.auth, community_id)
    if community.level != Area.Level.COMMUNITY:
        raise ValidationFailed("请选择一个社区。", "Choose a community.", facts={"field": "community"})
    return assessment(community, year)


@router.get("/public/districts/{int:district_id}/accountability", auth=None,
            summary="R-ACC-10: the district's closed cases made public (no account; names and posts only)")
def public_accountability(request, district_id: int):
    district = Area.objects.filter(pk=district_id, level=Area.Level.DISTRICT).first()
    if district is None:
        raise NotFound()
    return {"district": {"id": district.pk, "name": district.name}, "cases": [
        {"title": c.title, "area": c.area.name, "ground": c.get_ground_display(), "person": c.person.name
         if c.person else "", "post": c.post, "severity": c.get_severity_display(),
         "measures": [m.get_measure_display() for m in c.measures.all()], "summary": c.summary,
         "closed_on": c.closed_at.date().isoformat()} for c in services.public_cases(district)[:PAGE_MAX]]}
