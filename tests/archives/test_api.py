"""Archives API: lists and scope, records with hashes, export, loans, handover (ARCHITECTURE §6 errors)."""

from __future__ import annotations

from jiceng.archives.exports import verify_zip


def test_list_and_detail_with_hashes(api, arc):
    listed = api(arc.worker_a).get("/api/v1/dossiers", area=arc.a.pk, series="residents_disclosure").json()
    assert [d["id"] for d in listed["items"]] == [arc.dossier.pk]
    detail = api(arc.worker_a).get(f"/api/v1/dossiers/{arc.dossier.pk}").json()
    assert [r["sha256"] for r in detail["records"]] == list(arc.dossier.records.values_list("sha256", flat=True))
    assert api(arc.worker_b).get(f"/api/v1/dossiers/{arc.dossier.pk}").status_code == 404
    assert api(arc.worker_b).get("/api/v1/dossiers").json()["items"] == []


def test_export_zip_and_external_export_refusal(api, arc):
    response = api(arc.worker_a).get(f"/api/v1/dossiers/{arc.dossier.pk}/export.zip")
    assert response.status_code == 200 and verify_zip(response.content) == []
    refused = api(arc.worker_a).get(f"/api/v1/dossiers/{arc.dossier.pk}/export.zip", approval=999)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "external_export_requires_approval"
    assert refused.json()["error"]["rule"] == "A-SEC-01"


def test_loan_and_return(api, arc):
    url = f"/api/v1/dossiers/{arc.dossier.pk}/loans"
    refused = api(arc.worker_a).post(url, {"borrower_name": "吴", "borrower_unit": "区民政局", "purpose": "查阅",
                                           "external": True, "introduction_letter": "介字12号"})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "approval_missing"
    created = api(arc.worker_a).post(url, {"borrower_name": "吴", "borrower_unit": "区民政局", "purpose": "查阅",
                                           "external": True, "introduction_letter": "介字12号",
                                           "approved_by": arc.u.director.pk})
    assert created.status_code == 201
    loan = created.json()
    assert api(arc.worker_a).post(url, {"borrower_name": "郑", "borrower_unit": "居委会",
                                        "purpose": "查阅"}).status_code == 409
    returned = api(arc.worker_a).post(f"/api/v1/loans/{loan['id']}/return", {"feedback": "已用"})
    assert returned.status_code == 200 and returned.json()["returned_on"]
    assert api(arc.worker_b).post(f"/api/v1/loans/{loan['id']}/return").status_code == 404


def test_handover(api, arc):
    body = {"community": arc.a.pk, "outgoing": arc.archivist.pk, "successor": arc.successor.pk,
            "items": ["档案1卷"], "handed_over_on": "2026-11-25", "outgoing_signed": True}
    refused = api(arc.worker_a).post("/api/v1/archives/handovers", body)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "handover_signature_missing"
    created = api(arc.worker_a).post("/api/v1/archives/handovers", {**body, "successor_signed": True})
    assert created.status_code == 201 and created.json()["item_count"] == 1
    assert api(arc.worker_b).post("/api/v1/archives/handovers", {**body, "successor_signed": True}).status_code == 404
