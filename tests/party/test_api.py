"""The party API: 201 on each step, JSON refusals naming the rule, scope (404) and office (403)."""

from __future__ import annotations

from jiceng.party.models import PartyMember
from tests import builders

from .conftest import ADMISSION_MATERIALS, D, applicant, probationary


def test_pipeline_through_the_api(api, party_world):
    w = party_world
    person = builders.make_person(w.root, w.building_a, "接口申请人")
    caller = api(w.sec)
    response = caller.post("/api/v1/party/members", {"person": person.pk, "community": w.a.pk,
                                                      "applied_on": "2023-01-01"})
    assert response.status_code == 201, response.json()
    member_id = response.json()["id"]
    response = caller.post(f"/api/v1/party/members/{member_id}/activist",
                           {"on": "2024-06-01", "sponsors": [w.full[0].pk]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["rule"] == "R-DEV-03" and error["code"] == "sponsors_invalid"
    assert caller.post(f"/api/v1/party/members/{member_id}/activist",
                       {"on": "2024-06-01", "sponsors": [w.full[0].pk, w.full[1].pk]}).status_code == 201
    response = caller.post(f"/api/v1/party/members/{member_id}/target", {"on": "2025-05-31"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "training_period_not_met"
    assert caller.post(f"/api/v1/party/members/{member_id}/target", {"on": "2025-06-01"}).status_code == 201
    assert caller.post(f"/api/v1/party/members/{member_id}/vetting", {"on": "2025-06-02", "note": "合格"}
                       ).status_code == 201
    response = caller.post(f"/api/v1/party/members/{member_id}/votes",
                           {"stage": "admission", "on": "2025-06-20", "yes": 3, "entitled": 3,
                            "materials": ADMISSION_MATERIALS})
    assert response.status_code == 422 and response.json()["error"]["code"] == "public_notice_missing"
    assert caller.post(f"/api/v1/party/members/{member_id}/notices",
                       {"stage": "admission", "started_on": "2025-06-10"}).status_code == 201
    response = caller.post(f"/api/v1/party/members/{member_id}/votes",
                           {"stage": "admission", "on": "2025-06-20", "yes": 3, "entitled": 3,
                            "materials": ADMISSION_MATERIALS})
    assert response.status_code == 201 and response.json()["passed"] is True
    response = api(w.pwc_user).post(f"/api/v1/party/members/{member_id}/approvals",
                                     {"stage": "admission", "approved_on": "2025-07-01", "approval_ref": "天工发1号"})
    assert response.status_code == 201
    assert response.json()["status"] == "probationary_member"


def test_list_filters_and_pages(api, party_world):
    w = party_world
    applicant(w, "甲")
    applicant(w, "乙")
    caller = api(w.sec)
    data = caller.get("/api/v1/party/members", community=w.a.pk, status="applicant").json()
    assert [m["name"] for m in data["items"]] == ["甲", "乙"]
    page = caller.get("/api/v1/party/members", community=w.a.pk, limit=2).json()
    assert len(page["items"]) == 2 and page["next_after"] is not None
    rest = caller.get("/api/v1/party/members", community=w.a.pk, limit=2, after=page["next_after"]).json()
    assert {m["id"] for m in rest["items"]}.isdisjoint({m["id"] for m in page["items"]})


def test_other_community_sees_404(api, party_world):
    w = party_world
    member = applicant(w)
    assert api(w.worker_b).get(f"/api/v1/party/members/{member.pk}").status_code == 404
    assert api(w.worker_b).get("/api/v1/party/members").json()["items"] == []


def test_worker_without_party_office_gets_403(api, party_world):
    w = party_world
    member = applicant(w)
    response = api(w.u.director).post(f"/api/v1/party/members/{member.pk}/activist",
                                      {"on": "2024-06-01", "sponsors": [w.full[0].pk, w.full[1].pk]})
    assert response.status_code == 403
    assert PartyMember.objects.get(pk=member.pk).status == "applicant"


def test_payments_and_ledger(api, party_world):
    w = party_world
    member = probationary(w, approved_on=D(2025, 3, 15))
    caller = api(w.sec)
    response = caller.post(f"/api/v1/party/members/{member.pk}/payments",
                           {"paid_on": "2025-10-05", "first_month": "2025-03", "months": 7, "amount": "70.00",
                            "consent": "同意"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "back_payment_too_long"
    response = caller.post(f"/api/v1/party/members/{member.pk}/payments",
                           {"paid_on": "2025-03-20", "first_month": "2025-03", "amount": "12.50"})
    assert response.status_code == 201 and response.json()["amount"] == "12.50"
    response = caller.post(f"/api/v1/party/members/{member.pk}/payments",
                           {"paid_on": "2025-03-20", "first_month": "2025-3x", "amount": "12.50"})
    assert response.status_code == 400
    ledger = caller.get("/api/v1/party/ledger", community=w.a.pk, year=2025).json()
    row = next(r for r in ledger["rows"] if r["member"] == member.pk)
    assert row["cells"][2] == "12.50"


def test_departure_wrong_disposition_422(api, party_world):
    w = party_world
    response = api(w.sec).post(f"/api/v1/party/members/{w.full[0].pk}/departures",
                               {"reason": "务工", "left_on": "2025-01-10", "return_on": "2025-09-10",
                                "place": "深圳", "contact": "13800001111", "disposition": "certificate"})
    assert response.status_code == 422
    assert response.json()["error"]["facts"]["fitting"] == ["transfer"]
    response = api(w.sec).post(f"/api/v1/party/members/{w.full[0].pk}/departures",
                               {"reason": "务工", "left_on": "2025-01-10", "return_on": "2025-05-10",
                                "place": "深圳", "contact": "13800001111", "disposition": "certificate"})
    assert response.status_code == 201 and response.json()["temporary_branch"]["due"] is False
    listed = api(w.sec).get("/api/v1/party/mobile", community=w.a.pk).json()["items"]
    assert [e["member"] for e in listed] == [w.full[0].pk]
