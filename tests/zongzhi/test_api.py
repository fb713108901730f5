"""The 综治 API: 201 with the register number and due dates, every stage, and JSON error bodies
(400/403/404/409/422)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jiceng.zongzhi import services

from .conftest import mediate, register

pytestmark = pytest.mark.django_db


def payload(zz, **kw):
    return {"community": zz.a.pk, "title": "邻里噪音纠纷", "facts": "夜间噪音扰民", "category": "neighbour",
            "level": "simple", "parties": [{"name": "张三丰", "phone": "13812341234"}, {"name": "李四",
                                                                                  "side": "respondent"}], **kw}


def test_create_dispute_gives_201_with_number_and_due_dates(api, zz):
    response = api(zz.worker_a).post("/api/v1/disputes", payload(zz))
    assert response.status_code == 201, response.content
    body = response.json()
    today = timezone.localdate()
    assert body["id"] and body["register_no"] == f"长春路社区综调〔{today.year}〕1号"
    assert body["due"]["assign"] == (today + datetime.timedelta(days=3)).isoformat()
    assert body["due"]["mediation"] == (today + datetime.timedelta(days=30)).isoformat()
    assert body["due"]["follow_up"] is None
    assert body["first_receiver"] == "worker_a" and body["status"] == "registered"
    assert body["parties"][0]["name"] == "张三丰"      # the worker may see personal data


def test_major_without_deadline_is_422_with_the_rule(api, zz):
    response = api(zz.worker_a).post("/api/v1/disputes", payload(zz, level="major", responsible_unit="综治科",
                                                                    responsible_person="钱主任"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["rule"] == "A-ZZ-69" and error["code"] == "major_case_incomplete"
    assert error["facts"]["missing"] == ["deadline"] and error["message_en"]


def test_malformed_is_400_json(api, zz):
    response = api(zz.worker_a).post("/api/v1/disputes", {"community": zz.a.pk})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


def test_other_community_is_404_and_read_only_user_is_403(api, zz):
    assert api(zz.worker_b).post("/api/v1/disputes", payload(zz)).status_code == 404
    response = api(zz.supervisor).post("/api/v1/disputes", payload(zz))
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    dispute = register(zz)
    assert api(zz.worker_b).get(f"/api/v1/disputes/{dispute.pk}").status_code == 404


def test_parties_are_masked_without_personal_data_permission(api, zz):
    register(zz)
    items = api(zz.supervisor).get("/api/v1/disputes").json()["items"]
    assert len(items) == 1
    assert items[0]["parties"][0]["name"] == "张*丰" and items[0]["parties"][0]["phone"] == "138****1234"
    detail = api(zz.worker_a).get(f"/api/v1/disputes/{items[0]['id']}").json()
    assert detail["parties"][0]["name"] == "张三丰"


def test_stages_through_the_api(api, zz):
    caller = api(zz.worker_a)
    dispute_id = caller.post("/api/v1/disputes", payload(zz)).json()["id"]
    mediators = caller.get("/api/v1/zongzhi/mediators", area=zz.a.pk).json()["items"]
    assert {m["name"] for m in mediators} == {"王调解", "赵所长"}
    r = caller.post(f"/api/v1/disputes/{dispute_id}/assign", {"mediator": zz.mediator_a.pk, "unit": "调委会",
                                                              "requirements": "十日内调结"})
    assert r.status_code == 200 and r.json()["status"] == "assigned"
    r = caller.post(f"/api/v1/disputes/{dispute_id}/mediate", {"facts": "噪音属实", "parties": "双方到场",
                                                               "process": "释法说理", "outcome": "达成一致"})
    assert r.status_code == 201 and r.json()["status"] == "in_mediation"
    r = caller.post(f"/api/v1/disputes/{dispute_id}/agree", {"terms": "晚十点后不再装修。",
                                                             "signed_on": timezone.localdate().isoformat()})
    assert r.status_code == 201 and r.json()["agreement"]["terms"]
    docx = caller.get(f"/api/v1/disputes/{dispute_id}/agreement.docx")
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    r = caller.post(f"/api/v1/disputes/{dispute_id}/report", {"outcome": "resolved", "result": "达成协议"})
    assert r.json()["dues"]["follow_up"]["due"] == (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    r = caller.post(f"/api/v1/disputes/{dispute_id}/follow-up", {"visited_on": timezone.localdate().isoformat(),
                                                                 "situation": "稳定"})
    assert r.status_code == 201
    refused = caller.post(f"/api/v1/disputes/{dispute_id}/close", {})
    assert refused.status_code == 422 and refused.json()["error"]["rule"] == "A-ZZ-51"
    r = api(zz.staff).post(f"/api/v1/disputes/{dispute_id}/close", {})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    kinds = [e["kind"] for e in r.json()["timeline"]]
    assert kinds[0] == "registered" and kinds[-1] == "closed" and "follow_up" in kinds


def test_illegal_transition_is_409(api, zz):
    dispute = register(zz)
    response = api(zz.staff).post(f"/api/v1/disputes/{dispute.pk}/close", {})
    assert response.status_code == 409 and response.json()["error"]["code"] == "illegal_transition"


def test_escalate_and_list_filters(api, zz):
    dispute = register(zz)
    register(zz, level="general", category="property_management")
    r = api(zz.worker_a).post(f"/api/v1/disputes/{dispute.pk}/escalate", {"reason": "调解不成"})
    assert r.status_code == 200 and r.json()["tier"] == "street"
    assert api(zz.worker_a).post(f"/api/v1/disputes/{dispute.pk}/escalate", {}).json()["error"]["rule"] == "A-ZZ-23"
    listed = api(zz.staff).get("/api/v1/disputes", status="escalated").json()["items"]
    assert [d["id"] for d in listed] == [dispute.pk]
    assert len(api(zz.staff).get("/api/v1/disputes", level="general").json()["items"]) == 1
    page = api(zz.staff).get("/api/v1/disputes", limit=1).json()
    assert len(page["items"]) == 1 and page["next_after"]


def test_reassignment_by_worker_is_422(api, zz):
    dispute = register(zz)
    mediate(zz, dispute)
    response = api(zz.worker_a).post(f"/api/v1/disputes/{dispute.pk}/assign", {
        "mediator": zz.mediator_st.pk, "unit": "司法所", "requirements": "协调", "reason": "转走"})
    assert response.status_code == 422 and response.json()["error"]["rule"] == "A-FIRST-01"


def test_screening_round_and_ledger_export(api, zz):
    today = timezone.localdate()
    r = api(zz.worker_a).post("/api/v1/screening-rounds", {"area": zz.a.pk, "held_on": today.isoformat(),
                                                           "findings": []})
    assert r.status_code == 201 and r.json()["nothing_found"]
    register(zz)
    ledger = api(zz.staff).get("/api/v1/zongzhi/ledgers/dispute_screening_mediation", area=zz.street.pk,
                               start=today.replace(day=1).isoformat(), end=today.isoformat()).json()
    assert {row["source"] for row in ledger["items"]} == {"排查", "来访申请"}
    xlsx = api(zz.staff).get("/api/v1/zongzhi/ledgers/dispute_screening_mediation/xlsx", area=zz.street.pk,
                             start=today.replace(day=1).isoformat(), end=today.isoformat())
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "天津路街道矛盾纠纷排查调处工作台帐"
    assert [c.value for c in sheet[3]][:3] == ["序号", "登记编号", "日期"]
    assert sheet.cell(row=4 + 2, column=1).value == "合计：2条"
    unknown = api(zz.staff).get("/api/v1/zongzhi/ledgers/parking", area=zz.street.pk)
    assert unknown.status_code == 422


def test_report_submit_and_documents(api, zz):
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    r = api(zz.staff).post("/api/v1/zongzhi/reports", {"area": zz.street.pk, "period": "month",
                                                       "period_start": last_month.isoformat()})
    assert r.status_code == 201 and r.json()["zero_report"]
    again = api(zz.staff).post("/api/v1/zongzhi/reports", {"area": zz.street.pk, "period": "month",
                                                           "period_start": last_month.isoformat()})
    assert again.status_code == 409
    for fmt in ("docx", "xlsx"):
        doc = api(zz.staff).get(f"/api/v1/zongzhi/report-documents/{fmt}", area=zz.street.pk,
                                period_start=last_month.isoformat())
        assert doc.status_code == 200 and len(doc.content) > 1000


def test_case_items_through_the_api(api, zz):
    caller = api(zz.staff)
    two = caller.post("/api/v1/zongzhi/case-items", {"area": zz.street.pk, "kind": "petition", "title": "反复上访",
                                                    "person_or_matter": "李四",
                                                    "leaders": [zz.mediator_st.pk, zz.mediator_a.pk]})
    assert two.status_code == 422 and two.json()["error"]["rule"] == "A-CASE-02"
    one = caller.post("/api/v1/zongzhi/case-items", {"area": zz.street.pk, "kind": "petition", "title": "反复上访",
                                                    "person_or_matter": "李四", "leaders": [zz.mediator_st.pk]})
    assert one.status_code == 201 and set(one.json()["obligations"]) == {"solve", "stabilise", "end_petition",
                                                                          "control"}
    done = caller.post(f"/api/v1/zongzhi/case-items/{one.json()['id']}/progress",
                       {"progress": "息诉罢访", "obligations": {"end_petition": True}, "done": True})
    assert done.json()["done"] and done.json()["obligations"]["end_petition"]["done"]
    assert caller.get("/api/v1/zongzhi/case-items", done=True).json()["items"][0]["title"] == "反复上访"
    assert api(zz.worker_b).get("/api/v1/zongzhi/case-items").json()["items"] == []


def test_exports_stay_in_scope(api, client, zz):
    register(zz, title="长春路的纠纷")
    caller = api(zz.worker_b)
    assert caller.get("/api/v1/zongzhi/ledgers/dispute_screening_mediation/xlsx", area=zz.street.pk).status_code == 404
    assert caller.get("/api/v1/zongzhi/report-documents/docx", area=zz.a.pk).status_code == 404
    own = caller.get("/api/v1/zongzhi/ledgers/dispute_screening_mediation", area=zz.b.pk).json()
    assert own["items"] == []
    client.force_login(zz.worker_b)
    assert client.get("/zongzhi/ledgers/", {"area": zz.a.pk}).status_code == 404
    assert client.get("/zongzhi/reports/download.xlsx", {"area": zz.a.pk}).status_code == 404


def test_detail_query_count_is_constant(api, zz, django_assert_max_num_queries):
    dispute = register(zz)
    mediate(zz, dispute)
    caller = api(zz.worker_a)
    with django_assert_max_num_queries(40) as few:
        caller.get(f"/api/v1/disputes/{dispute.pk}")
    for _ in range(5):
        services.record_session(zz.worker_a, dispute, mediation_type="judicial", facts="f", parties="p",
                                process="x", outcome="y")
    with django_assert_max_num_queries(len(few.captured_queries)):
        caller.get(f"/api/v1/disputes/{dispute.pk}")
