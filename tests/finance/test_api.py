"""The issue #9 part 5 API contract: POST /api/v1/expenses answers 201 with the route, bad input 4xx with the JSON
error body; approvals, refusals, vouchers, ledgers and statements through the API."""

from __future__ import annotations

import pytest

from jiceng.finance.models import Claim

from .conftest import PDF

pytestmark = pytest.mark.django_db


def post_claim(api, w, user, **fields):
    body = {"community": w.a.pk, "amount": "1234.50", "purpose": "活动室桌椅", "claimant": w.p.handler.pk}
    body.update(fields)
    return api(user).post("/api/v1/expenses", {k: v for k, v in body.items() if v is not None})


@pytest.mark.parametrize(("amount", "route", "decision"), [
    ("99.99", ["rc_director", "community_party_secretary"], False),
    ("100.00", ["rc_director", "community_party_secretary", "leader_in_charge"], False),
    ("100.01", ["rc_director", "community_party_secretary", "leader_in_charge"], False),
    ("499.99", ["rc_director", "community_party_secretary", "leader_in_charge"], False),
    ("500.00", ["rc_director", "community_party_secretary", "leader_in_charge"], True),
    ("500.01", ["rc_director", "community_party_secretary", "leader_in_charge"], True),
])
def test_community_expense_answers_201_with_route(api, fin, amount, route, decision):
    response = post_claim(api, fin, fin.u.handler, amount=amount)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] and body["route"] == route and body["decision_required"] is decision
    assert body["amount"] == amount


@pytest.mark.parametrize(("amount", "leaders", "decision"), [
    ("4999.99", False, False), ("5000.00", True, False), ("5000.01", True, False),
    ("9999.99", True, False), ("10000.00", True, True), ("10000.01", True, True),
])
def test_street_expense_answers_201_with_route(api, fin, amount, leaders, decision):
    response = post_claim(api, fin, fin.u.clerk, community=None, street=fin.street.pk, amount=amount,
                          claimant=fin.p.clerk.pk)
    assert response.status_code == 201, response.content
    body = response.json()
    expected = ["section_head", "leader_in_charge", "discipline_secretary"]
    expected += (["leadership_member"] if leaders else []) + ["director"]
    assert body["route"] == expected
    assert body["decision_required"] is decision
    assert "discipline_secretary" in body["route"]


@pytest.mark.parametrize("fields", [
    {"street": "street"},                     # both community and street
    {"community": None},                      # neither
    {"amount": "-5.00"},
    {"amount": "0"},
    {"amount": "12.345"},
    {"amount": "abc"},
    {"claimant": 999999},
    {"purpose": ""},
    {"amount": None},
])
def test_bad_input_is_a_4xx_json_error(api, fin, fields):
    fields = {k: (fin.street.pk if v == "street" else v) for k, v in fields.items()}
    if fields.get("amount", "x") is None:
        body = {"community": fin.a.pk, "purpose": "x", "claimant": fin.p.handler.pk}
        response = api(fin.u.handler).post("/api/v1/expenses", body)
    else:
        response = post_claim(api, fin, fin.u.handler, **fields)
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["code"]
    assert not Claim.objects.exists()


def test_street_id_given_as_community_is_refused(api, fin):
    response = post_claim(api, fin, fin.street_admin, community=fin.street.pk)
    assert response.status_code == 400
    assert post_claim(api, fin, fin.u.handler, community=fin.street.pk).status_code == 404  # not in scope


def test_other_communitys_worker_cannot_file_or_see(api, fin):
    assert post_claim(api, fin, fin.worker_b).status_code in (403, 404)
    claim_id = post_claim(api, fin, fin.u.handler).json()["id"]
    assert api(fin.worker_b).get(f"/api/v1/expenses/{claim_id}").status_code == 404
    assert api(fin.worker_b).get("/api/v1/expenses").json()["items"] == []


def test_approve_and_self_approval_through_the_api(api, fin):
    claim_id = post_claim(api, fin, fin.u.secretary, amount="50.00", claimant=fin.p.secretary.pk).json()["id"]
    assert api(fin.u.rc_director).post(f"/api/v1/expenses/{claim_id}/approve").status_code == 200
    refused = api(fin.u.secretary).post(f"/api/v1/expenses/{claim_id}/approve")
    assert refused.status_code == 422
    assert refused.json()["error"]["rule"] == "A-FIN-39"
    out_of_turn = post_claim(api, fin, fin.u.handler, amount="200.00").json()["id"]
    refused = api(fin.u.leader).post(f"/api/v1/expenses/{out_of_turn}/approve")
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "step_out_of_order"
    inbox = api(fin.u.rc_director).get("/api/v1/expenses", mine="true").json()["items"]
    assert [c["id"] for c in inbox] == [out_of_turn]


def test_decision_then_approvals_then_reject_reason(api, fin):
    claim_id = post_claim(api, fin, fin.u.handler, amount="800.00").json()["id"]
    blocked = api(fin.u.rc_director).post(f"/api/v1/expenses/{claim_id}/approve")
    assert blocked.status_code == 422 and blocked.json()["error"]["code"] == "decision_required"
    ok = api(fin.u.handler).post(f"/api/v1/expenses/{claim_id}/decision",
                                 {"decided_on": fin.today.isoformat(), "reference": "社区成员代表大会第2次会议记录"})
    assert ok.status_code == 200 and ok.json()["decision"]["reference"]
    rejected = api(fin.u.accountant).post(f"/api/v1/expenses/{claim_id}/reject", {"reason": ""})
    assert rejected.status_code == 422 and rejected.json()["error"]["rule"] == "A-FIN-37"
    rejected = api(fin.u.accountant).post(f"/api/v1/expenses/{claim_id}/reject", {"reason": "手续不全"})
    assert rejected.json()["status"] == "rejected"


def test_voucher_ledger_and_statement_through_the_api(api, client, fin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    caller = api(fin.u.cashier)
    ledger = caller.post("/api/v1/ledgers", {"area": fin.a.pk, "kind": "cash", "opened_on": "2025-01-01",
                                             "opening": "10.00"})
    assert ledger.status_code == 201
    lid = ledger.json()["id"]
    upload = client.post("/api/v1/vouchers", {"area": fin.a.pk, "kind": "receipt",
                                              "file": SimpleUploadedFile("r.pdf", PDF)}, headers=caller.headers)
    assert upload.status_code == 201, upload.content
    vid = upload.json()["id"]
    slip = client.post("/api/v1/vouchers", {"area": fin.a.pk, "kind": "informal_slip",
                                            "file": SimpleUploadedFile("s.pdf", PDF)}, headers=caller.headers)
    assert slip.status_code == 422 and slip.json()["error"]["rule"] == "A-FIN-05"
    no_voucher = caller.post(f"/api/v1/ledgers/{lid}/entries", {"occurred_on": "2025-03-02", "direction": "in",
                                                                 "amount": "1.00", "summary": "拨款",
                                                                 "category": "经费拨款"})
    assert no_voucher.status_code == 422 and no_voucher.json()["error"]["rule"] == "A-FIN-02"
    entry = caller.post(f"/api/v1/ledgers/{lid}/entries", {"occurred_on": "2025-03-02", "direction": "in",
                                                            "amount": "0.10", "summary": "拨款", "category": "经费拨款",
                                                            "vouchers": [vid]})
    assert entry.status_code == 201 and entry.json()["balance"] == "10.10"
    detail = caller.get(f"/api/v1/ledgers/{lid}").json()
    assert detail["problems"] == [] and detail["items"][0]["balance"] == "10.10"
    statement = caller.post("/api/v1/finance/statements", {"area": fin.a.pk, "year": 2025, "month": 3})
    assert statement.status_code == 201
    assert statement.json()["totals"] == {"opening": "10.00", "income": "0.10", "expense": "0.00",
                                          "closing": "10.10"}


def test_claims_list_api_has_a_bounded_number_of_queries(api, fin, django_assert_max_num_queries):
    from .conftest import claim

    caller = api(fin.street_admin)
    for amount in ("10", "120", "600"):
        claim(fin, amount)
    with django_assert_max_num_queries(10):
        few = caller.get("/api/v1/expenses")
    for amount in ("20", "30", "40", "700", "9", "5000"):
        claim(fin, amount)
    claim(fin, "5000", street=True)
    with django_assert_max_num_queries(10):
        many = caller.get("/api/v1/expenses")
    assert len(few.json()["items"]) == 3 and len(many.json()["items"]) == 10
    director = api(fin.u.rc_director)
    with django_assert_max_num_queries(12):
        inbox = director.get("/api/v1/expenses", mine="true")
    assert len(inbox.json()["items"]) == 9  # every community claim waits for the director's first signature


def test_posts_through_the_api(api, fin):
    caller = api(fin.street_admin)
    made = caller.post("/api/v1/finance/posts", {"person": fin.p.rc_director.pk, "area": fin.a.pk, "post": "cashier",
                                                 "start_on": "2024-01-01"})
    assert made.status_code == 422 and made.json()["error"]["rule"] == "A-FIN-01"
    made = caller.post("/api/v1/finance/posts", {"person": fin.p.handler.pk, "area": fin.a.pk,
                                                 "post": "reimbursement_clerk", "start_on": "2024-01-01"})
    assert made.status_code == 201
    ended = caller.post(f"/api/v1/finance/posts/{made.json()['id']}/end", {"end_on": fin.today.isoformat()})
    assert ended.status_code == 422 and ended.json()["error"]["rule"] == "A-FIN-09"
