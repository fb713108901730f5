"""The issue #4 API contract: boards without an account, the workflow endpoints and their error bodies, the
public feedback box and the reply."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache

from jiceng.disclosure.models import DisclosureItem, Feedback
from jiceng.meetings.models import Kind

from .conftest import passed_item, published_party

DISTRIBUTION = [{"kind": "distribution", "total": "1300.00", "rows": [
    {"recipient": "张三丰", "id_number": "410305195001011234", "building": "3号楼", "amount": "800.00"},
    {"recipient": "李四", "amount": "500"}]}]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_residents_workflow_through_the_api(disc_world, api, client):
    w = disc_world
    created = api(w.u.director).post("/api/v1/disclosures", {
        "community": w.a.pk, "board": "residents", "category": "R04", "timing_class": "routine_periodic",
        "title": "2026年11月低保金发放情况", "body": "本月发放低保金2户。", "tables": DISTRIBUTION})
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    assert created.json()["tables"][0]["rows"][1]["amount"] == "500.00"

    early = api(w.u.director).post(f"/api/v1/disclosures/{item_id}/publish")
    assert early.status_code == 422
    error = early.json()["error"]
    assert error["code"] == "supervision_review_missing" and error["rule"] == "R-RDISC-04"
    assert "R-RDISC-04" in error["message"] and "R-RDISC-04" in error["message_en"]

    assert api(w.u.supervisor).post(f"/api/v1/disclosures/{item_id}/review",
                                    {"approved": True, "note": "名单已核对"}).status_code == 200
    joint = passed_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING)
    assert api(w.u.director).post(f"/api/v1/disclosures/{item_id}/decision",
                                  {"agenda_item": joint.pk}).status_code == 200
    published = api(w.u.director).post(f"/api/v1/disclosures/{item_id}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"

    board = client.get(f"/api/v1/public/communities/{w.a.pk}/boards/residents")
    assert board.status_code == 200
    (shown,) = board.json()["items"]
    rows = shown["tables"][0]["rows"]
    assert rows[0]["recipient"] == "张*丰" and rows[0]["id_number"] == "4103**********1234"
    assert "张三丰" not in board.content.decode() and "410305195001011234" not in board.content.decode()


def test_party_workflow_refusals_have_error_bodies(disc_world, api):
    w = disc_world
    item = api(w.u.officer).post("/api/v1/disclosures", {
        "community": w.a.pk, "board": "party", "category": "P07", "timing_class": "routine_periodic",
        "title": "党费收缴"}).json()
    decided = api(w.u.officer).post(f"/api/v1/disclosures/{item['id']}/decision",
                                    {"agenda_item": passed_item(w).pk})
    assert decided.status_code == 200
    unsigned = api(w.u.officer).post(f"/api/v1/disclosures/{item['id']}/publish")
    assert unsigned.status_code == 422 and unsigned.json()["error"]["code"] == "signature_missing"
    by_officer = api(w.u.officer).post(f"/api/v1/disclosures/{item['id']}/sign")
    assert by_officer.status_code == 422 and by_officer.json()["error"]["code"] == "signer_not_authorised"
    assert api(w.u.secretary).post(f"/api/v1/disclosures/{item['id']}/sign").status_code == 200
    assert api(w.u.officer).post(f"/api/v1/disclosures/{item['id']}/publish").status_code == 200
    edit = api(w.u.officer).patch(f"/api/v1/disclosures/{item['id']}", {"title": "改"})
    assert edit.status_code == 409 and edit.json()["error"]["code"] == "item_immutable"
    again = api(w.u.officer).post(f"/api/v1/disclosures/{item['id']}/withdraw", {"reason": "期满"})
    assert again.status_code == 200
    twice = api(w.u.officer).post(f"/api/v1/disclosures/{item['id']}/withdraw", {"reason": "期满"})
    assert twice.status_code == 409


def test_bad_input_is_a_400_and_nothing_is_written(disc_world, api):
    w = disc_world
    bad_totals = api(w.u.director).post("/api/v1/disclosures", {
        "community": w.a.pk, "board": "residents", "category": "R02", "timing_class": "routine_periodic",
        "title": "收支", "tables": [{"kind": "finance", "total_income": "100", "total_expense": "0",
                                   "rows": [{"item": "上级拨款", "income": "99.99", "expense": "0"}]}]})
    assert bad_totals.status_code == 400
    assert bad_totals.json()["error"]["code"] == "totals_do_not_add_up"
    assert bad_totals.json()["error"]["facts"]["computed"] == "99.99"
    wrong_kind = api(w.u.director).post("/api/v1/disclosures", {
        "community": w.a.pk, "board": "residents", "category": "R07", "timing_class": "routine_periodic",
        "title": "政策", "tables": DISTRIBUTION})
    assert wrong_kind.status_code == 400
    assert api(w.u.director).post("/api/v1/disclosures", {"community": w.a.pk}).status_code in (400, 422)
    assert not DisclosureItem.objects.exists()


def test_another_communitys_items_are_404(disc_world, api):
    item = published_party(disc_world)
    assert api(disc_world.worker_b).get(f"/api/v1/disclosures/{item.pk}").status_code == 404
    assert api(disc_world.worker_b).post(f"/api/v1/disclosures/{item.pk}/withdraw",
                                         {"reason": "x"}).status_code == 404


def test_public_feedback_and_reply(disc_world, api, client):
    w = disc_world
    item = published_party(w)
    sent = client.post(f"/api/v1/public/disclosures/{item.pk}/feedback",
                       {"kind": "question", "text": "党费收缴标准是什么？", "phone": "13912345678"},
                       content_type="application/json")
    assert sent.status_code == 201, sent.content
    code = sent.json()["tracking_code"]
    feedback = Feedback.objects.get(tracking_code=code)
    listed = api(w.u.officer).get("/api/v1/feedback", community=w.a.pk)
    assert listed.json()["items"][0]["phone"] == "13912345678"  # the board's own officers see contact details
    assert api(w.u.supervisor).get("/api/v1/feedback").json()["items"][0]["phone"] == "139****5678"
    replied = api(w.u.officer).post(f"/api/v1/feedback/{feedback.pk}/reply", {"text": "按月工资收入的比例交纳。"})
    assert replied.status_code == 200
    tracked = client.get(f"/api/v1/public/feedback/{code.lower()}")
    assert tracked.json()["reply"] == "按月工资收入的比例交纳。" and "phone" not in tracked.json()


def test_public_feedback_honeypot_and_unknown_items(disc_world, client):
    item = published_party(disc_world)
    robot = client.post(f"/api/v1/public/disclosures/{item.pk}/feedback",
                        {"kind": "opinion", "text": "buy now", "website": "http://spam"},
                        content_type="application/json")
    assert robot.status_code == 400 and not Feedback.objects.exists()
    assert client.post("/api/v1/public/disclosures/999999/feedback", {"kind": "question", "text": "?"},
                       content_type="application/json").status_code == 404


def test_drafts_are_not_public(disc_world, client):
    from .conftest import party_draft

    draft = party_draft(disc_world)
    assert client.get(f"/api/v1/public/disclosures/{draft.pk}").status_code == 404
    assert client.get(f"/api/v1/public/communities/{disc_world.a.pk}/boards/party").json()["items"] == []
    assert client.get(f"/api/v1/public/communities/{disc_world.a.pk}/boards/other").status_code == 404


def test_attachments_are_checked_and_hashed(disc_world, client):
    from jiceng.accounts.services import issue_token

    from .conftest import party_draft

    w = disc_world
    item = party_draft(w)
    headers = {"Authorization": f"Bearer {issue_token(w.u.officer, w.u.officer)}"}
    pdf = io.BytesIO(b"%PDF-1.4 minutes"); pdf.name = "会议记录.pdf"  # noqa: E702
    ok = client.post(f"/api/v1/disclosures/{item.pk}/attachments", {"file": pdf}, headers=headers)
    assert ok.status_code == 201, ok.content
    (attachment,) = ok.json()["attachments"]
    assert attachment["name"] == "会议记录.pdf" and len(attachment["sha256"]) == 64
    fake = io.BytesIO(b"MZ\x90\x00 not a pdf"); fake.name = "invoice.pdf"  # noqa: E702
    refused = client.post(f"/api/v1/disclosures/{item.pk}/attachments", {"file": fake}, headers=headers)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "attachment_content_mismatch"
    exe = io.BytesIO(b"MZ"); exe.name = "tool.exe"  # noqa: E702
    assert client.post(f"/api/v1/disclosures/{item.pk}/attachments", {"file": exe},
                       headers=headers).json()["error"]["code"] == "unsupported_attachment_type"


def test_obligations_and_street_status_endpoints(disc_world, api):
    w = disc_world
    rows = api(w.u.officer).get("/api/v1/disclosure-obligations", community=w.a.pk).json()["obligations"]
    assert {"P07", "R02"} <= {r["category"] for r in rows}
    status = api(w.street_admin).get("/api/v1/disclosure-status", street=w.street.pk).json()["communities"]
    assert {s["name"] for s in status} == {"长春路社区", "青岛路社区"}
    assert api(w.worker_b).get("/api/v1/disclosure-obligations", community=w.a.pk).status_code == 404


def test_list_queries_do_not_grow_with_the_rows(disc_world, api, django_assert_max_num_queries):
    w = disc_world
    published_party(w)
    caller = api(w.u.officer)
    with django_assert_max_num_queries(12) as one:
        caller.get("/api/v1/disclosures")
    for _ in range(3):
        published_party(w)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(caller.get("/api/v1/disclosures").json()["items"]) == 4
