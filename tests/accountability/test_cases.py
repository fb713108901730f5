"""Cases (R-ACC-09/10/12): who opens, who decides, which measures fit which severity, rectification deadlines,
publication."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiceng.accountability import services
from jiceng.accountability.models import Finding
from jiceng.accountability.scan import run_scan
from jiceng.core.errors import PermissionDenied, RuleViolation
from jiceng.disclosure import feedback as fb
from jiceng.notify.models import Reminder
from jiceng.rules import accountability as r
from jiceng.rules.base import check
from tests.disclosure.conftest import published_party


@pytest.fixture
def finding(acc_world):
    w = acc_world
    fb.submit(community=w.a, board="party", item=published_party(w), kind="question", text="?",
              received_at=timezone.now() - datetime.timedelta(days=20), recorded_by=w.u.officer)
    run_scan(w.district)
    return Finding.objects.get(check_name="disclosure.feedback_unanswered")


def open_case(w, finding):
    return services.open_case(w.street_admin, area=w.street, findings=[finding], ground="community_2",
                              title="长春路社区反馈逾期未答复")


def test_a_community_worker_cannot_open_a_case(acc_world, finding):
    with pytest.raises(PermissionDenied):
        services.open_case(acc_world.worker_a, area=acc_world.a, findings=[finding], ground="community_2", title="x")


def test_only_the_district_deciding_bodies_classify(acc_world, finding):
    w = acc_world
    case = open_case(w, finding)
    with pytest.raises(RuleViolation) as refused:
        services.classify(w.street_admin, case, severity="light", subject="community_team")
    assert refused.value.code == "not_a_deciding_body" and refused.value.rule_id == "R-ACC-12"
    assert services.classify(w.decider, case, severity="light", subject="community_team").severity == "light"


@pytest.mark.parametrize(("severity", "subject", "measure", "allowed"), [
    ("light", "community_team", "circulated_criticism", True),
    ("light", "street_leaders", "admonishment_talk", False),
    ("serious", "street_leaders", "admonishment_talk", True),
    ("serious", "community_team", "efficiency_warning", False),
    ("serious", "community_team", "concentrated_rectification", True),
    ("severe", "community_cadre", "party_discipline", False),
    ("severe", "community_cadre_party", "party_discipline", True),
    ("severe", "community_cadre", "refer_to_residents", True),
    ("criminal", "agency_staff", "administrative_sanction", False),
    ("criminal", "agency_staff", "refer_to_judicial", True),
])
def test_measures_must_fit_the_severity_and_subject(severity, subject, measure, allowed):
    """E-12 at its edges: each severity's own list, nothing borrowed from the next."""
    if allowed:
        assert check(r.MEASURE_ALLOWED, severity=severity, subject=subject, measure=measure).value
    else:
        with pytest.raises(RuleViolation) as refused:
            check(r.MEASURE_ALLOWED, severity=severity, subject=subject, measure=measure)
        assert refused.value.code == "measure_not_allowed_for_severity"


def test_rectification_deadline_reminds_escalates_and_the_closed_case_is_public(acc_world, finding, api, client):
    w = acc_world
    case = open_case(w, finding)
    services.classify(w.decider, case, severity="light", subject="community_team", person=w.committee[0],
                      post="社区党组织书记")
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    services.add_measure(w.decider, case, measure="rectify_within_deadline", rectify_by=deadline)
    keys = set(Reminder.objects.filter(key__startswith=f"R-ACC-09:case:{case.pk}").values_list("key", flat=True))
    assert keys == {f"R-ACC-09:case:{case.pk}:due", f"R-ACC-09:case:{case.pk}:overdue"}
    overdue = Reminder.objects.get(key=f"R-ACC-09:case:{case.pk}:overdue")
    assert w.decider in overdue.recipients.all()  # escalated to the district
    closed = services.close_case(w.decider, case, summary="已答复并建立台账。", rectified_on=timezone.localdate())
    assert closed.status == "closed" and closed.published
    finding.refresh_from_db()
    assert finding.status == "dismissed"
    public = client.get(f"/api/v1/public/districts/{w.district.pk}/accountability").json()
    assert public["cases"][0]["post"] == "社区党组织书记" and "限期整改" in public["cases"][0]["measures"]
    assert "id_number" not in str(public)


def test_the_case_api_refuses_a_measure_outside_the_severity(acc_world, finding, api):
    w = acc_world
    created = api(w.street_admin).post("/api/v1/cases", {"area": w.street.pk, "findings": [finding.pk],
                                                         "ground": "community_2", "title": "逾期未答复"})
    assert created.status_code == 201, created.content
    cid = created.json()["id"]
    assert api(w.decider).post(f"/api/v1/cases/{cid}/classify", {"severity": "light",
                                                                 "subject": "community_team"}).status_code == 200
    refused = api(w.decider).post(f"/api/v1/cases/{cid}/measures", {"measure": "party_discipline"})
    assert refused.status_code == 422 and refused.json()["error"]["rule"] == "R-ACC-09"
    assert "circulated_criticism" in refused.json()["error"]["facts"]["allowed"]
