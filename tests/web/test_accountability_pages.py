"""The accountability pages (issue #6): the dashboard with its heat map and scan button, the findings and opening
a case from them, the case page whose forms only the district's deciders get, refusals with their rule, the
district's public page of closed cases, scope and query counts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiceng.accountability import services
from jiceng.accountability.models import Case, ComplianceCell, Finding
from jiceng.accountability.scan import run_scan
from jiceng.disclosure import feedback as fb
from jiceng.orgs.models import Area, Person
from tests import builders
from tests.accountability.conftest import acc_world  # noqa: F401  (the fixtures, so that pytest finds them)
from tests.decisions.conftest import dec_world, disc_world  # noqa: F401
from tests.disclosure.conftest import published_party


def _as(client, user):
    client.force_login(user)
    return client


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def finding(acc_world):  # noqa: F811
    """An unanswered feedback slip of community A, found by the scan (A-OPEN-23)."""
    w = acc_world
    fb.submit(community=w.a, board="party", item=published_party(w), kind="question", text="?",
              received_at=timezone.now() - datetime.timedelta(days=20), recorded_by=w.u.officer)
    run_scan(w.district)
    return Finding.objects.get(check_name="disclosure.feedback_unanswered")


def _case(w, finding) -> Case:
    return services.open_case(w.street_admin, area=w.street, findings=[finding], ground="community_2",
                              title="长春路社区反馈逾期未答复")


def _cells(*areas):
    month = timezone.localdate().replace(day=1)
    for area in areas:
        ComplianceCell.objects.create(area=area, month=month, family="disclosure", due=4, on_time=3, late=1)
        ComplianceCell.objects.create(area=area, month=month, family="feedback", due=2, on_time=2)


# The dashboard ----------------------------------------------------------------------------------------------

def test_dashboard_shows_score_rule_and_heat_map_for_the_street(client, acc_world):  # noqa: F811
    w = acc_world
    _cells(w.a, w.b)
    html = _html(_as(client, w.street_admin).get(f"/accountability/?area={w.street.pk}"))
    assert 'id="overall-score">83.3%<' in html  # (3 + 2) × 2 of (4 + 2) × 2 on time
    assert "R-ACC-11" in html and "按时完成的到期义务数" in html
    assert w.a.name in html and w.b.name in html
    assert html.count('data-family="disclosure" data-score="0.750"') == 2
    assert 'data-family="feedback" data-score="1.000"' in html and "良好" in html and "一般" in html
    assert "acc-legend" in html and "立即扫描" in html
    assert 'aria-current="page">问责<' in html


def test_dashboard_of_a_community_worker_shows_only_their_community(client, acc_world):  # noqa: F811
    w = acc_world
    _cells(w.a, w.b)
    page = _as(client, w.worker_a).get("/accountability/")
    html = _html(page)
    assert page.status_code == 200 and w.a.name in html
    assert f'?area={w.b.pk}"' not in html and "立即扫描" not in html
    assert client.get(f"/accountability/?area={w.b.pk}").status_code == 404


def test_dashboard_queries_do_not_grow_with_communities(client, acc_world):  # noqa: F811
    w = acc_world
    _cells(w.a)
    _as(client, w.street_admin)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/accountability/?area={w.street.pk}").status_code == 200
    more = [builders.make_area(w.root, f"新社区{i}", Area.Level.COMMUNITY, w.street) for i in range(4)]
    _cells(w.b, *more)
    with CaptureQueriesContext(connection) as several:
        html = _html(client.get(f"/accountability/?area={w.street.pk}"))
    assert all(a.name in html for a in more)
    assert len(several.captured_queries) <= len(one.captured_queries)


def test_scan_button_runs_the_scan_for_street_users_and_refuses_workers(client, acc_world):  # noqa: F811
    w = acc_world
    fb.submit(community=w.a, board="party", item=published_party(w), kind="question", text="?",
              received_at=timezone.now() - datetime.timedelta(days=20), recorded_by=w.u.officer)
    refused = _as(client, w.worker_a).post("/accountability/scan/", {"area": w.a.pk})
    assert refused.status_code == 403 and "只有街道或区级人员可以发起合规扫描" in _html(refused)
    assert not Finding.objects.exists()
    done = _as(client, w.street_admin).post("/accountability/scan/", {"area": w.street.pk}, follow=True)
    assert done.status_code == 200 and "扫描完成：新发现" in _html(done)
    assert Finding.objects.filter(check_name="disclosure.feedback_unanswered", area=w.a).exists()


# Findings ---------------------------------------------------------------------------------------------------

def test_findings_list_filters_and_shows_responsible_people(client, acc_world, finding):  # noqa: F811
    w = acc_world
    html = _html(_as(client, w.street_admin).get("/accountability/findings/"))
    assert finding.title in html and "A-OPEN-23" in html and f'href="{finding.link}"' in html
    secretary = Person.objects.get(pk=finding.first_responsible_id)
    assert "第一责任人" in html and secretary.name in html
    assert 'name="finding"' in html and "立案" in html
    for query in ("status=cured", "family=archives", "rule=R-ORG-03", f"area={w.b.pk}"):
        assert finding.title not in _html(client.get(f"/accountability/findings/?{query}")), query
    for query in ("status=open", "family=feedback", "rule=A-OPEN-23", f"area={w.a.pk}"):
        assert finding.title in _html(client.get(f"/accountability/findings/?{query}")), query


def test_findings_are_scoped_and_a_worker_gets_no_case_form(client, acc_world, finding):  # noqa: F811
    w = acc_world
    html = _html(_as(client, w.worker_b).get("/accountability/findings/"))
    assert finding.title not in html
    assert client.get(f"/accountability/findings/{finding.pk}/").status_code == 404
    html = _html(_as(client, w.worker_a).get("/accountability/findings/"))
    assert finding.title in html and 'name="finding"' not in html


def test_finding_page_shows_evidence_and_responsibility(client, acc_world, finding):  # noqa: F811
    w = acc_world
    html = _html(_as(client, w.worker_a).get(f"/accountability/findings/{finding.pk}/"))
    assert "due_on" in html and finding.evidence["due_on"] in html and "received_at" in html
    assert "自动关闭" in html and "尚未立案" in html and "具体责任人" in html


def test_street_admin_opens_a_case_from_findings(client, acc_world, finding):  # noqa: F811
    w = acc_world
    response = _as(client, w.street_admin).post("/accountability/cases/open/", {
        "area": w.street.pk, "title": "反馈逾期未答复", "ground": "community_2", "finding": [finding.pk]})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/accountability/cases/{case.pk}/"
    finding.refresh_from_db()
    assert finding.case_id == case.pk
    assert case.title in _html(client.get("/accountability/cases/"))


def test_a_worker_posting_a_case_by_hand_is_refused(client, acc_world, finding):  # noqa: F811
    w = acc_world
    response = _as(client, w.worker_a).post("/accountability/cases/open/", {
        "area": w.a.pk, "title": "x", "ground": "community_2", "finding": [finding.pk]})
    assert response.status_code == 403 and "只有街道党工委或区级人员可以立案" in _html(response)
    assert not Case.objects.exists()


def test_a_case_needs_a_visible_finding(client, acc_world, finding):  # noqa: F811
    w = acc_world
    response = _as(client, w.street_admin).post("/accountability/cases/open/", {
        "area": w.street.pk, "title": "x", "ground": "community_2", "finding": [finding.pk + 999]})
    assert response.status_code == 404 and not Case.objects.exists()


# The case page ----------------------------------------------------------------------------------------------

def test_classify_and_measure_forms_are_offered_only_to_the_decider(client, acc_world, finding):  # noqa: F811
    w = acc_world
    case = _case(w, finding)
    html = _html(_as(client, w.street_admin).get(f"/accountability/cases/{case.pk}/"))
    assert finding.title in html and 'id="classify"' not in html and "R-ACC-12" in html
    html = _html(_as(client, w.decider).get(f"/accountability/cases/{case.pk}/"))
    assert 'id="classify"' in html and 'id="measure"' not in html
    refused = _as(client, w.street_admin).post(f"/accountability/cases/{case.pk}/classify/",
                                               {"severity": "light", "subject": "community_team"})
    assert refused.status_code == 422 and "R-ACC-12" in _html(refused)


def test_measure_form_lists_only_what_e12_allows_and_refuses_the_rest(client, acc_world, finding):  # noqa: F811
    w = acc_world
    case = _case(w, finding)
    secretary = w.committee[0]
    _as(client, w.decider)
    done = client.post(f"/accountability/cases/{case.pk}/classify/", {
        "severity": "light", "subject": "community_team", "person": secretary.pk, "post": "社区党组织书记"})
    assert done.status_code == 302
    html = _html(client.get(f"/accountability/cases/{case.pk}/"))
    offered = set(re.findall(r'name="measure" value="(\w+)"', html))
    assert offered == {"written_self_criticism", "circulated_criticism", "rectify_within_deadline"}
    refused = client.post(f"/accountability/cases/{case.pk}/measures/", {"measure": "party_discipline"})
    assert refused.status_code == 422
    assert "R-ACC-09" in _html(refused) and "不能采取「党纪处分」" in _html(refused)
    assert not case.measures.exists()


def test_closing_publishes_name_and_post_but_no_personal_data(client, acc_world, finding):  # noqa: F811
    w = acc_world
    case = _case(w, finding)
    secretary = w.committee[0]
    Person.objects.filter(pk=secretary.pk).update(phone="13812345678")
    secretary.refresh_from_db()
    _as(client, w.decider)
    client.post(f"/accountability/cases/{case.pk}/classify/", {
        "severity": "light", "subject": "community_team", "person": secretary.pk, "post": "社区党组织书记"})
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    assert client.post(f"/accountability/cases/{case.pk}/measures/", {
        "measure": "rectify_within_deadline", "rectify_by": deadline.isoformat()}).status_code == 302
    html = _html(client.get(f"/accountability/cases/{case.pk}/"))
    assert 'id="close"' in html and re.search(r'<input type="checkbox" name="publish"[^>]* checked', html)
    refused = client.post(f"/accountability/cases/{case.pk}/close/", {"summary": "已整改。", "publish": "on"})
    assert refused.status_code == 400 and "整改完成日期" in _html(refused)
    closed = client.post(f"/accountability/cases/{case.pk}/close/", {
        "summary": "已答复并建立台账。", "rectified_on": timezone.localdate().isoformat(), "publish": "on"})
    assert closed.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.published
    client.logout()
    public = client.get(f"/gongkai/accountability/{w.district.pk}/")
    html = _html(public)
    assert public.status_code == 200 and case.title in html
    assert secretary.name in html and "社区党组织书记" in html and "限期整改" in html and "已答复并建立台账" in html
    assert secretary.id_number not in html and secretary.phone not in html and "<script" not in html
    assert client.get(f"/gongkai/accountability/{w.street.pk}/").status_code == 404


def test_an_unpublished_case_stays_off_the_public_page(client, acc_world, finding):  # noqa: F811
    w = acc_world
    case = _case(w, finding)
    services.classify(w.decider, case, severity="light", subject="community_team")
    services.add_measure(w.decider, case, measure="circulated_criticism")
    services.close_case(w.decider, case, summary="已通报。", publish=False)
    assert case.title not in _html(client.get(f"/gongkai/accountability/{w.district.pk}/"))


def test_case_of_another_community_is_not_found(client, acc_world, finding):  # noqa: F811
    w = acc_world
    case = services.open_case(w.street_admin, area=w.a, findings=[finding], ground="community_2", title="A的案件")
    assert _as(client, w.worker_b).get(f"/accountability/cases/{case.pk}/").status_code == 404
    assert case.title not in _html(client.get("/accountability/cases/"))
    assert _as(client, w.worker_a).get(f"/accountability/cases/{case.pk}/").status_code == 200


def test_help_explains_accountability(client, acc_world):  # noqa: F811
    html = _html(_as(client, acc_world.worker_a).get("/help/"))
    assert 'id="accountability-help"' in html and "R-ACC-10" in html and "R-ACC-12" in html
