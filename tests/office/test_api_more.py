"""API of the duty roster, documents, seals and staff posts: status codes and error bodies."""

from __future__ import annotations

import io

from docx import Document

from jiceng.office.models import OutgoingDocument


def test_staff_post_api(api, office_world):
    w = office_world
    created = api(w.root).post("/api/v1/staff-posts", {"person": w.zhang.pk, "area": w.street.pk,
                                                       "post": "clerk", "start_on": "2024-01-01"})
    assert created.status_code == 201 and created.json()["post"] == "clerk"
    bad = api(w.root).post("/api/v1/staff-posts", {"person": w.zhang.pk, "area": w.street.pk, "post": "king",
                                                   "start_on": "2024-01-01"})
    assert bad.status_code == 400 and bad.json()["error"]["facts"]["field"] == "post"
    wrong_level = api(w.root).post("/api/v1/staff-posts", {"person": w.zhang.pk, "area": w.street.pk,
                                                           "post": "vrc_member", "start_on": "2024-01-01"})
    assert wrong_level.status_code == 400
    assert api(w.worker_b).post("/api/v1/staff-posts", {"person": w.li.pk, "area": w.street.pk, "post": "clerk",
                                                        "start_on": "2024-01-01"}).status_code in (403, 404)


def test_duty_api_refuses_two_leaders(api, office_world):
    w = office_world
    payload = {"area": w.street.pk, "day": "2024-06-03",
               "leaders": [{"person": w.p.deputy.pk, "phone": "1"}, {"person": w.p.director.pk, "phone": "2"}],
               "officers": [{"person": w.p.staff.pk, "phone": "3"}]}
    refused = api(w.u.office_director).post("/api/v1/duty-shifts", payload)
    assert refused.status_code == 422 and refused.json()["error"]["rule"] == "A-DUTY-30"
    payload["leaders"] = payload["leaders"][:1]
    created = api(w.u.office_director).post("/api/v1/duty-shifts", payload)
    assert created.status_code == 201
    shift_id = created.json()["id"]
    handover = api(w.u.office_director).post(f"/api/v1/duty-shifts/{shift_id}/handover",
                                             {"successor": w.p.staff.pk, "arrived_at": "2024-06-04T08:40:00+08:00"})
    assert handover.status_code == 201 and handover.json()["handover"]["minutes_late"] == 10
    listed = api(w.u.office_director).get("/api/v1/duty-shifts", start="2024-06-03").json()["items"]
    assert [s["day"] for s in listed] == ["2024-06-03"]
    assert api(w.worker_b).get("/api/v1/duty-shifts", start="2024-06-03").json()["items"] == []


def test_document_api_flow_and_docx(api, office_world):
    w = office_world
    doc = api(w.u.office_director).post("/api/v1/documents", {
        "area": w.street.pk, "issuer": "street_office", "kind": "通知", "issuer_code": "天街发",
        "title": "关于开展卫生评比的通知", "recipients": "机关各科室", "body": "一、评比时间\n每季度一次。",
        "section": "general_office"}).json()
    assert doc["warnings"] == []
    base = f"/api/v1/documents/{doc['id']}"
    assert api(w.u.office_director).post(f"{base}/steps/checked").status_code == 200
    assert api(w.u.office_director).post(f"{base}/steps/reviewed").status_code == 422
    assert api(w.u.deputy).post(f"{base}/steps/reviewed").status_code == 200
    refused = api(w.u.secretary).post(f"{base}/steps/signed_off")
    assert refused.status_code == 422 and refused.json()["error"]["rule"] == "A-DOC-14"
    assert api(w.u.director).post(f"{base}/steps/signed_off").status_code == 200
    assert api(w.u.office_director).post(f"{base}/steps/registered").status_code == 409
    for step in ("rechecked", "proofread", "printed", "sealed"):
        assert api(w.u.office_director).post(f"{base}/steps/{step}").status_code == 200
    registered = api(w.u.office_director).post(f"{base}/steps/registered").json()
    assert registered["number"].startswith("天街发〔") and registered["number"].endswith("〕1号")
    response = api(w.u.office_director).get(f"{base}/docx")
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert registered["number"] in texts
    assert api(w.worker_b).get(base).status_code == 404
    assert OutgoingDocument.objects.get().status == "registered"


def test_seal_api(api, office_world):
    w = office_world
    refused = api(w.u.section_head).post("/api/v1/seal-uses", {"area": w.street.pk, "seal": "公章",
                                                               "purpose": "fee_receipt", "description": "收费"})
    assert refused.status_code == 422 and refused.json()["error"]["rule"] == "A-SEAL-02"
    created = api(w.u.section_head).post("/api/v1/seal-uses", {"area": w.street.pk, "seal": "公章",
                                                               "purpose": "contract", "description": "合同"}).json()
    assert created["approver_post"] == "director"
    unsigned = api(w.u.director).post(f"/api/v1/seal-uses/{created['id']}/approve", {"signed": False})
    assert unsigned.status_code == 422
    assert api(w.u.director).post(f"/api/v1/seal-uses/{created['id']}/approve", {"signed": True}).status_code == 200
    assert api(w.u.keeper).post(f"/api/v1/seal-uses/{created['id']}/use",
                                {"requester_signature": "吴科长"}).json()["status"] == "used"


def test_filing_into_the_street_archive(api, office_world):
    """Filed leave, registered documents and closed petitions land in the street's yearly dossiers."""
    from jiceng.archives.models import Record
    from jiceng.office import services

    w = office_world
    leave = services.request_leave(w.u.staff, person=w.p.staff, start_on=__import__("datetime").date(2024, 6, 3),
                                   days=2, reason="事")
    services.approve_leave(w.u.director, leave)
    record = Record.objects.get(kind="office.leave_filed")
    assert record.dossier.area == w.street and record.dossier.key == "office-leave-2024"


def test_superuser_petition_without_area_uses_the_only_street(api, office_world):
    response = api(office_world.root).post("/api/v1/petitions", {
        "petitioner_name": "张三", "received_on": "2024-04-01", "issue": "问题", "request": "要求"})
    assert response.status_code == 201 and response.json()["area"]["id"] == office_world.street.pk


def test_staff_post_rank_alias(api, office_world):
    w = office_world
    created = api(w.root).post("/api/v1/staff-posts", {"person": w.zhang.pk, "street": w.street.pk,
                                                       "rank": "ordinary_staff", "start_on": "2024-01-01"})
    assert created.status_code == 201 and created.json()["post"] == "ordinary_staff"


def test_room_booking_api_overlap_is_422_with_holder(api, office_world):
    from jiceng.office.models import Room

    w = office_world
    room = Room.objects.create(area=w.street, name="一号会议室")
    first = api(w.u.office_director).post("/api/v1/room-bookings", {
        "room": room.pk, "section": "econ_mgmt_section", "purpose": "例会",
        "starts_at": "2024-06-05T14:00:00+08:00", "ends_at": "2024-06-05T16:00:00+08:00"})
    assert first.status_code == 201
    clash = api(w.u.office_director).post("/api/v1/room-bookings", {
        "room": room.pk, "section": "urban_mgmt_section", "purpose": "会",
        "starts_at": "2024-06-05T15:00:00+08:00", "ends_at": "2024-06-05T17:00:00+08:00"})
    assert clash.status_code == 422 and clash.json()["error"]["facts"]["holder_section"] == "econ_mgmt_section"
    after = api(w.u.office_director).post("/api/v1/room-bookings", {
        "room": room.pk, "section": "urban_mgmt_section", "purpose": "会",
        "starts_at": "2024-06-05T16:00:00+08:00", "ends_at": "2024-06-05T17:00:00+08:00"})
    assert after.status_code == 201
    listed = api(w.u.office_director).get("/api/v1/room-bookings", start="2024-06-05").json()["items"]
    assert len(listed) == 2
    assert api(w.worker_b).post("/api/v1/room-bookings", {
        "room": room.pk, "section": "urban_mgmt_section", "purpose": "会",
        "starts_at": "2024-06-06T16:00:00+08:00", "ends_at": "2024-06-06T17:00:00+08:00"}).status_code == 404
