"""The issue #5 API contract: matters, steps with meetings, publications, progress, the public opinion form."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.utils import timezone

from jiceng.decisions.models import Matter, Opinion
from jiceng.meetings.models import Kind

from .conftest import held_item


def ago(days: float) -> str:
    return (timezone.now() - datetime.timedelta(days=days)).isoformat()


def test_urban_matter_through_the_api(dec_world, api, client):
    cache.clear()
    w = dec_world
    caller = api(w.worker_a)
    created = caller.post("/api/v1/matters", {"community": w.a.pk, "topic": "T4", "title": "小区停车改造",
                                              "summary": "增设停车位60个。", "initiator": "居委会", "budget": "80000",
                                              "occurred_at": ago(30)})
    assert created.status_code == 201, created.content
    matter = created.json()
    assert matter["template"] == "urban" and matter["next_step"] == "solicitation"
    assert matter["next_by"] == "社区党组织"
    mid = matter["id"]
    deadline = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    opened = caller.post(f"/api/v1/matters/{mid}/solicitation", {"question": "是否同意？", "deadline": deadline,
                                                                 "occurred_at": ago(29)})
    assert opened.status_code == 201
    first = client.post(f"/api/v1/public/matters/{mid}/opinions", {"position": "support", "text": "支持"},
                        content_type="application/json", headers={"Idempotency-Key": "abc"})
    retry = client.post(f"/api/v1/public/matters/{mid}/opinions", {"position": "support", "text": "支持"},
                        content_type="application/json", headers={"Idempotency-Key": "abc"})
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["id"] == first.json()["id"] and Opinion.objects.count() == 1
    assert client.get(f"/api/v1/public/matters/{mid}").json()["counts"]["support"] == 1

    early = caller.post(f"/api/v1/matters/{mid}/steps/proposal", {"agenda_item": held_item(
        w, Kind.TWO_COMMITTEES_JOINT_MEETING, w.party_org, days_ago=1).pk})
    assert early.status_code == 422
    assert early.json()["error"]["code"] == "step_out_of_order" and early.json()["error"]["rule"] == "R-WF-02"
    closed = caller.post(f"/api/v1/matters/{mid}/steps/solicitation", {"summary": "1人支持", "occurred_at": ago(2)})
    assert closed.status_code == 200, closed.content
    assert closed.json()["timeline"][1]["done"] is True
    refused_close = caller.post(f"/api/v1/matters/{mid}/steps/closed", {})
    assert refused_close.status_code == 422 and refused_close.json()["error"]["code"] == "dossier_incomplete"
    detail = caller.get(f"/api/v1/matters/{mid}").json()
    assert "相关单位商议工作档案" in detail["dossier"]["missing"]


def test_bad_step_and_other_communitys_matter(dec_world, api):
    w = dec_world
    matter = api(w.worker_a).post("/api/v1/matters", {"community": w.a.pk, "topic": "T9", "title": "x",
                                                      "summary": "y", "initiator": "z"})
    assert matter.status_code == 422 and matter.json()["error"]["code"] == "invalid_topic"
    good = api(w.worker_a).post("/api/v1/matters", {"community": w.a.pk, "topic": "T1", "title": "修订居民公约",
                                                    "summary": "修订第三条。", "initiator": "居委会"}).json()
    assert api(w.worker_b).get(f"/api/v1/matters/{good['id']}").status_code == 404
    bogus = api(w.worker_a).post(f"/api/v1/matters/{good['id']}/steps/nonsense", {})
    assert bogus.status_code == 400 and bogus.json()["error"]["code"] == "unknown_step"
    assert Matter.objects.count() == 1


def test_the_dossier_exports_as_a_zip_that_verifies(dec_world, api):
    import io
    import zipfile

    from jiceng.archives.exports import verify_zip

    w = dec_world
    created = api(w.worker_a).post("/api/v1/matters", {"community": w.a.pk, "topic": "T1", "title": "修订居民公约",
                                                       "summary": "修订第三条。", "initiator": "居委会"}).json()
    response = api(w.worker_a).get(f"/api/v1/matters/{created['id']}/dossier.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert verify_zip(response.content) == []
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "manifest.json" in names and any(n.startswith("records/001-matter.intake") for n in names)
