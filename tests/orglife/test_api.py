"""The organisational life API: 201 on creation, JSON error bodies citing the rule, scope 404s."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.orglife.conftest import held_assembly

pytestmark = pytest.mark.django_db


def test_open_round_201_then_409_for_a_second(api, ol_world):
    today = timezone.localdate()
    payload = {"party_org": ol_world.party_org.pk, "year": today.year, "evaluated_on": today.isoformat()}
    response = api(ol_world.worker_a).post("/api/v1/orglife/evaluations", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["base"] == 23 and len(body["members"]) == 23
    again = api(ol_world.worker_a).post("/api/v1/orglife/evaluations", payload)
    assert again.status_code == 409 and again.json()["error"]["code"] == "round_exists"


def test_round_of_a_is_invisible_to_b(api, ol_world):
    today = timezone.localdate()
    payload = {"party_org": ol_world.party_org.pk, "year": today.year, "evaluated_on": today.isoformat()}
    assert api(ol_world.worker_b).post("/api/v1/orglife/evaluations", payload).status_code == 404
    round_id = api(ol_world.worker_a).post("/api/v1/orglife/evaluations", payload).json()["id"]
    assert api(ol_world.worker_b).get(f"/api/v1/orglife/evaluations/{round_id}").status_code == 404
    listed = api(ol_world.worker_b).get("/api/v1/orglife/evaluations").json()
    assert listed["items"] == []


def test_grade_flow_through_the_api_with_each_refusal(api, ol_world):
    w = ol_world
    today = timezone.localdate()
    rnd = api(w.worker_a).post("/api/v1/orglife/evaluations", {
        "party_org": w.party_org.pk, "year": today.year, "evaluated_on": today.isoformat()}).json()
    first = rnd["members"][0]["id"]
    response = api(w.worker_a).patch(f"/api/v1/orglife/member-evaluations/{first}", {"participated": True})
    assert response.status_code == 200 and response.json()["participated"] is True
    refused = api(w.u.secretary).post(f"/api/v1/orglife/member-evaluations/{first}/propose", {"grade": "qualified"})
    assert refused.status_code == 422 and refused.json()["error"]["rule"] == "R-DEMEV-04"
    api(w.worker_a).patch(f"/api/v1/orglife/member-evaluations/{first}", {"self_assessment": "自评"})
    proposed = api(w.u.secretary).post(f"/api/v1/orglife/member-evaluations/{first}/propose", {"grade": "qualified"})
    assert proposed.status_code == 200 and proposed.json()["proposed_grade"] == "qualified"
    submit = api(w.u.secretary).post(f"/api/v1/orglife/evaluations/{rnd['id']}/submit")
    assert submit.status_code == 422 and submit.json()["error"]["code"] == "superior_envoy_missing"
    api(w.worker_a).post(f"/api/v1/orglife/evaluations/{rnd['id']}/envoy", {"envoy_name": "王委员"})
    submitted = api(w.u.secretary).post(f"/api/v1/orglife/evaluations/{rnd['id']}/submit").json()
    assert submitted["status"] == "submitted"
    assert submitted["participation_warning"]["rule"] == "R-DEMEV-03"
    forbidden = api(w.u.secretary).post(f"/api/v1/orglife/member-evaluations/{first}/approve", {})
    assert forbidden.status_code == 403 and forbidden.json()["error"]["rule"] == "R-DEMEV-05"
    approved = api(w.pwc_user).post(f"/api/v1/orglife/member-evaluations/{first}/approve", {"note": "同意"})
    assert approved.status_code == 200 and approved.json()["grade"] == "qualified"
    sheet = api(w.worker_a).get(f"/api/v1/orglife/evaluations/{rnd['id']}/results.xlsx")
    assert sheet.status_code == 200 and sheet.content[:2] == b"PK"


def test_commitment_steps_through_the_api(api, ol_world):
    w = ol_world
    today = timezone.localdate()
    created = api(w.member_user).post("/api/v1/orglife/commitments", {
        "party_org": w.party_org.pk, "year": today.year, "committer_type": "member_without_post",
        "area": "civil_mediation", "title": "调解邻里纠纷", "content": "每月参加调解一次。", "person": w.members[0].pk,
        "drafted_on": (today - datetime.timedelta(days=5)).isoformat()})
    assert created.status_code == 201, created.content
    cid = created.json()["id"]
    early = api(w.committee_user).post(f"/api/v1/orglife/commitments/{cid}/review", {"on": today.isoformat()})
    assert early.status_code == 422 and early.json()["error"]["rule"] == "R-COMMIT-04"
    api(w.worker_a).post(f"/api/v1/orglife/commitments/{cid}/posting", {"on": today.isoformat()})
    reviewed = api(w.committee_user).post(f"/api/v1/orglife/commitments/{cid}/review", {"on": today.isoformat()})
    assert reviewed.json()["status"] == "organisationally_reviewed"
    meeting = held_assembly(w, present=5, days_ago=0)
    short = api(w.committee_user).post(f"/api/v1/orglife/commitments/{cid}/assembly-vote",
                                       {"meeting": meeting.pk, "yes": 2})
    assert short.status_code == 422
    assert short.json()["error"]["rule"] == "R-COMMIT-05"
    assert short.json()["error"]["code"] == "commitment_not_approved"
    ok = api(w.committee_user).post(f"/api/v1/orglife/commitments/{cid}/assembly-vote",
                                    {"meeting": meeting.pk, "yes": 3})
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"
    bad = api(w.worker_a).post(f"/api/v1/orglife/commitments/{cid}/publications",
                               {"channel": "radio", "on": today.isoformat()})
    assert bad.status_code == 400
    published = api(w.worker_a).post(f"/api/v1/orglife/commitments/{cid}/publications",
                                     {"channel": "written", "on": today.isoformat()})
    assert published.status_code == 201 and published.json()["channels"] == ["written"]
    assert api(w.worker_b).get(f"/api/v1/orglife/commitments/{cid}").status_code == 404


def test_malformed_body_is_400_json(api, ol_world):
    response = api(ol_world.worker_a).post("/api/v1/orglife/commitments", {"party_org": "x"})
    assert response.status_code == 400
    assert response.json()["error"]["code"]


def test_participation_json_and_xlsx(api, ol_world):
    year = timezone.localdate().year
    url = f"/api/v1/orglife/participation?party_org={ol_world.party_org.pk}&year={year}"
    body = api(ol_world.worker_a).get(url).json()
    assert {d["rule"] for d in body["duties"]} >= {"R-MTG-01", "R-MTG-02", "R-MTG-04", "R-EDU-02"}
    assert len(body["members"]) == 23
    sheet = api(ol_world.worker_a).get(f"/api/v1/orglife/participation.xlsx?party_org={ol_world.party_org.pk}"
                                       f"&year={year}")
    assert sheet.status_code == 200 and sheet.content[:2] == b"PK"


def test_films_and_screening_api(api, ol_world):
    from jiceng.orglife import screenings

    w = ol_world
    film = screenings.add_film(w.street_admin, area=w.street, title="初心如磐", approved_on=datetime.date(2024, 1, 1))
    films = api(w.worker_a).get(f"/api/v1/orglife/films?party_org={w.party_org.pk}").json()["items"]
    assert [f["id"] for f in films] == [film.pk]
    payload = {"party_org": w.party_org.pk, "held_on": timezone.localdate().isoformat(), "film": film.pk,
               "chair": w.committee[0].pk, "attendees": [w.members[0].pk]}
    created = api(w.worker_a).post("/api/v1/orglife/screenings", payload)
    assert created.status_code == 201 and created.json()["attendees"] == 1
    payload["chair"] = w.members[1].pk
    refused = api(w.worker_a).post("/api/v1/orglife/screenings", payload)
    assert refused.status_code == 422 and refused.json()["error"]["rule"] == "R-EDU-02"
