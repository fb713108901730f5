"""The 综治 pages: the register (filters, masking, constant queries), a dispute's actions with refusals, screening,
ledgers and reports downloads; community B sees nothing of A."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from jiceng.zongzhi.models import Dispute, Round

from .conftest import mediate, register

pytestmark = pytest.mark.django_db


def test_register_page_has_constant_queries(client, zz, django_assert_max_num_queries):
    for i in range(3):
        mediate(zz, register(zz, title=f"纠纷{i}"))
    client.force_login(zz.staff)
    with django_assert_max_num_queries(20) as few:
        client.get("/zongzhi/")
    for i in range(12):
        register(zz, title=f"更多纠纷{i}", category="labour", level="general")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/zongzhi/")
    assert response.status_code == 200 and "更多纠纷11" in response.content.decode()


def test_register_filters_and_masking(client, zz):
    register(zz, title="漏水纠纷")
    register(zz, title="讨薪纠纷", category="labour", level="general")
    client.force_login(zz.supervisor)
    page = client.get("/zongzhi/", {"category": "labour"}).content.decode()
    assert "讨薪纠纷" in page and "漏水纠纷" not in page
    assert "张*丰" in client.get("/zongzhi/").content.decode()
    client.force_login(zz.worker_a)
    assert "张三丰" in client.get("/zongzhi/").content.decode()


def test_other_community_gets_404(client, zz):
    dispute = register(zz)
    client.force_login(zz.worker_b)
    assert client.get(f"/zongzhi/disputes/{dispute.pk}/").status_code == 404
    assert "楼上漏水纠纷" not in client.get("/zongzhi/").content.decode()


def test_register_form_refuses_major_without_deadline_inline(client, zz):
    client.force_login(zz.worker_a)
    response = client.post("/zongzhi/disputes/new/", {
        "community": zz.a.pk, "title": "群体讨薪", "facts": "三十人", "category": "labour", "level": "major",
        "applicant": "王五", "source": "visit", "responsible_unit": "安监科", "responsible_person": "钱"})
    assert response.status_code == 422 and "A-ZZ-69" in response.content.decode()
    response = client.post("/zongzhi/disputes/new/", {
        "community": zz.a.pk, "title": "邻里纠纷", "facts": "噪音", "category": "neighbour", "level": "simple",
        "applicant": "王五", "source": "visit"})
    dispute = Dispute.objects.get(title="邻里纠纷")
    assert response.status_code == 302 and response["Location"] == f"/zongzhi/disputes/{dispute.pk}/"


def test_detail_actions_through_the_page(client, zz):
    dispute = register(zz)
    client.force_login(zz.worker_a)
    page = client.get(f"/zongzhi/disputes/{dispute.pk}/").content.decode()
    assert "交办" in page and dispute.register_no in page
    r = client.post(f"/zongzhi/disputes/{dispute.pk}/assign/", {
        "assign-mediator": zz.mediator_a.pk, "assign-unit": "调委会", "assign-requirements": "十日内调结"})
    assert r.status_code == 302
    r = client.post(f"/zongzhi/disputes/{dispute.pk}/mediate/", {
        "mediate-mediation_type": "people", "mediate-facts": "属实", "mediate-parties": "双方",
        "mediate-process": "", "mediate-outcome": "x"})
    assert r.status_code == 400            # the form keeps the record incomplete out
    r = client.post(f"/zongzhi/disputes/{dispute.pk}/mediate/", {
        "mediate-mediation_type": "people", "mediate-facts": "属实", "mediate-parties": "双方",
        "mediate-process": "调解", "mediate-outcome": "一致"})
    assert r.status_code == 302
    r = client.post(f"/zongzhi/disputes/{dispute.pk}/agree/", {
        "agree-terms": "赔偿800元", "agree-signed_on": timezone.localdate().isoformat()})
    assert r.status_code == 302
    docx = client.get(f"/zongzhi/disputes/{dispute.pk}/agreement.docx")
    assert "人民调解协议书" in Document(io.BytesIO(docx.content)).paragraphs[0].text
    r = client.post(f"/zongzhi/disputes/{dispute.pk}/report/", {"report-outcome": "resolved",
                                                                "report-result": "达成协议"})
    assert r.status_code == 302
    refused = client.post(f"/zongzhi/disputes/{dispute.pk}/close/", {})
    assert refused.status_code == 422 and "A-ZZ-51" in refused.content.decode()
    client.force_login(zz.staff)
    assert client.post(f"/zongzhi/disputes/{dispute.pk}/close/", {}).status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == "closed"


def test_screening_form_records_a_nothing_found_round(client, zz):
    client.force_login(zz.worker_a)
    response = client.post("/zongzhi/screening/new/", {"area": zz.a.pk, "kind": "regular",
                                                      "held_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert Round.objects.get(area=zz.a).nothing_found
    assert "未排查出矛盾纠纷和问题隐患" in client.get("/zongzhi/screening/").content.decode()


def test_ledger_page_and_excel(client, zz):
    register(zz, title="违建阳台", category="illegal_building", level="general")
    client.force_login(zz.staff)
    page = client.get("/zongzhi/ledgers/", {"area": zz.street.pk, "kind": "urban_hotspot_remediation"})
    assert "违建阳台" in page.content.decode()
    xlsx = client.get("/zongzhi/ledgers/", {"area": zz.street.pk, "kind": "urban_hotspot_remediation",
                                            "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "天津路街道城管难乱点排查整治工作台帐" and sheet["E4"].value == "违建阳台"


def test_report_page_submits_and_downloads(client, zz):
    client.force_login(zz.staff)
    last = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    r = client.post("/zongzhi/reports/", {"area": zz.street.pk, "period": "month",
                                          "period_start": last.isoformat(), "analysis": "平稳"})
    assert r.status_code == 302
    page = client.get("/zongzhi/reports/").content.decode()
    assert "零报告" in page
    again = client.post("/zongzhi/reports/", {"area": zz.street.pk, "period": "month",
                                              "period_start": last.isoformat()})
    assert again.status_code == 409
    doc = client.get("/zongzhi/reports/download.docx", {"area": zz.street.pk, "period": "month",
                                                        "period_start": last.isoformat()})
    paragraphs = [p.text for p in Document(io.BytesIO(doc.content)).paragraphs]
    assert paragraphs[0].startswith("天津路街道") and "平稳" in paragraphs


def test_case_page_lists_and_records_progress(client, zz):
    client.force_login(zz.staff)
    response = client.post("/zongzhi/cases/", {"area": zz.street.pk, "kind": "petition", "title": "反复上访",
                                               "person_or_matter": "李四", "leader": zz.mediator_st.pk})
    assert response.status_code == 302
    from jiceng.zongzhi.models import CaseItem
    item = CaseItem.objects.get()
    client.post(f"/zongzhi/cases/{item.pk}/progress/", {"progress": "已约谈", "obligations": ["solve", "control"]})
    item.refresh_from_db()
    assert item.obligations == {"solve": True, "stabilise": False, "end_petition": False, "control": True}
    assert "反复上访" in client.get("/zongzhi/cases/").content.decode()
    client.force_login(zz.worker_b)
    assert "反复上访" not in client.get("/zongzhi/cases/").content.decode()
