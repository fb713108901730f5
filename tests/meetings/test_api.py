"""The issue #3 API contract: paths, shapes, status codes and error bodies."""

from jiceng.meetings.models import Meeting
from tests import builders


def create(api, user, body, kind="pwc_meeting", **extra):
    payload = {"kind": kind, "body": body.pk, "title": "党工委会议", "scheduled_at": "2025-04-10T09:00:00+08:00",
               "location": "三楼会议室", **extra}
    return api(user).post("/api/v1/meetings", payload)


def test_full_pwc_meeting_through_the_api(api, street_world):
    w = street_world
    caller = api(w.street_staff)
    response = create(api, w.street_staff, w.pwc)
    assert response.status_code == 201
    meeting_id = response.json()["id"]
    item = caller.post(f"/api/v1/meetings/{meeting_id}/items", {"title": "年度预算", "kind": "ordinary"})
    assert item.status_code == 201
    assert caller.post(f"/api/v1/meetings/{meeting_id}/notice",
                       {"published_at": "2025-04-05T10:00:00+08:00"}).status_code == 200
    held = caller.post(f"/api/v1/meetings/{meeting_id}/hold", {
        "held_at": "2025-04-10T09:00:00+08:00", "present": [p.pk for p in w.pwc_members[:6]],
        "chair": w.secretary.pk, "recorder": w.pwc_members[1].pk,
        "written_opinions": [{"person": w.pwc_members[8].pk, "text": "同意"}]})
    assert held.status_code == 200, held.content
    vote = caller.post(f"/api/v1/meetings/{meeting_id}/items/{item.json()['id']}/vote",
                       {"method": "show_of_hands", "yes": 5, "no": 1, "abstain": 0})
    assert vote.status_code == 200
    body = vote.json()
    assert (body["outcome"], body["rule"]) == ("passed", "R-PWC-11")
    assert body["basis"]["arithmetic"].startswith("5 赞成 > 9 名应到会成员的 1/2")
    detail = caller.get(f"/api/v1/meetings/{meeting_id}").json()
    assert detail["status"] == "held" and detail["rulebook_version"] == "default"
    assert detail["counts"]["present_voting"] == 6 and detail["counts"]["expected_voting"] == 9
    assert detail["items"][0]["outcome"] == "passed"
    assert detail["written_opinions"] == [{"person": w.pwc_members[8].pk, "text": "同意", "counted": False}]


def test_hold_below_quorum_is_422_with_the_rule(api, street_world):
    w = street_world
    meeting_id = create(api, w.street_staff, w.pwc).json()["id"]
    api(w.street_staff).post(f"/api/v1/meetings/{meeting_id}/notice", {"published_at": "2025-04-01T10:00:00+08:00"})
    response = api(w.street_staff).post(f"/api/v1/meetings/{meeting_id}/hold", {
        "held_at": "2025-04-10T09:00:00+08:00", "present": [p.pk for p in w.pwc_members[:4]],
        "chair": w.secretary.pk, "recorder": w.pwc_members[1].pk})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["rule"]) == ("quorum_not_met", "R-PWC-04")
    assert error["facts"]["present"] == 4 and error["facts"]["base"] == 9 and error["facts"]["minimum"] == 5
    assert "R-PWC-04" in error["message"] and error["message_en"]


def test_hearing_notice_period_is_422(api, street_world):
    w = street_world
    invitees = [builders.make_person(w.root, w.building_a, f"代表{i}").pk for i in range(5)]
    meeting_id = create(api, w.worker_a, w.rc, kind="hearing", subject_category="H4", expected=invitees,
                        scheduled_at="2025-03-10T09:00:00+08:00").json()["id"]
    for party, user in [("party_org", w.worker_a), ("residents_committee", w.worker_a),
                        ("street_office", w.street_staff)]:
        assert api(user).post(f"/api/v1/meetings/{meeting_id}/confirm-participants",
                              {"party": party}).status_code == 200
    api(w.worker_a).post(f"/api/v1/meetings/{meeting_id}/notice", {"published_at": "2025-03-08T10:00:00+08:00"})
    response = api(w.worker_a).post(f"/api/v1/meetings/{meeting_id}/hold", {
        "held_at": "2025-03-10T09:00:00+08:00", "present": invitees})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "notice_period_not_met"
    assert response.json()["error"]["rule"] == "R-HEAR-06"


def test_council_level_is_checked(api, street_world):
    response = create(api, street_world.street_staff, street_world.council, kind="deliberation_council",
                      level="grid")
    assert response.status_code == 400
    assert create(api, street_world.street_staff, street_world.grid_council, kind="deliberation_council",
                  level="grid").status_code == 201


def test_meeting_of_a_is_404_for_worker_b(api, street_world):
    w = street_world
    meeting_id = create(api, w.worker_a, w.council, kind="deliberation_council").json()["id"]
    assert api(w.worker_b).get(f"/api/v1/meetings/{meeting_id}").status_code == 404
    assert api(w.worker_b).post(f"/api/v1/meetings/{meeting_id}/notice",
                                {"published_at": "2025-04-01T10:00:00+08:00"}).status_code == 404


def test_voting_on_a_meeting_not_held_is_409(api, street_world):
    w = street_world
    meeting_id = create(api, w.street_staff, w.pwc).json()["id"]
    item = api(w.street_staff).post(f"/api/v1/meetings/{meeting_id}/items", {"title": "x", "kind": "ordinary"})
    response = api(w.street_staff).post(f"/api/v1/meetings/{meeting_id}/items/{item.json()['id']}/vote",
                                        {"method": "show_of_hands", "yes": 1})
    assert response.status_code == 409


def test_named_vote_by_a_recused_member_is_422(api, street_world):
    w = street_world
    caller = api(w.street_staff)
    meeting_id = create(api, w.street_staff, w.pwc).json()["id"]
    item_id = caller.post(f"/api/v1/meetings/{meeting_id}/items", {"title": "x", "kind": "ordinary"}).json()["id"]
    caller.post(f"/api/v1/meetings/{meeting_id}/notice", {"published_at": "2025-04-01T10:00:00+08:00"})
    caller.post(f"/api/v1/meetings/{meeting_id}/hold", {"held_at": "2025-04-10T09:00:00+08:00",
                                                        "present": [p.pk for p in w.pwc_members[:6]],
                                                        "chair": w.secretary.pk, "recorder": w.pwc_members[1].pk})
    x = w.pwc_members[5].pk
    response = caller.post(f"/api/v1/meetings/{meeting_id}/items/{item_id}/vote", {
        "method": "named", "recused": [x], "votes": [{"person": x, "choice": "yes"}]})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "recused_member_cannot_vote"


def test_rules_endpoint_lists_rules_with_articles(api, street_world):
    rules = api(street_world.worker_a).get("/api/v1/rules").json()["rules"]
    by_key = {r["key"]: r for r in rules}
    assert by_key["R-HEAR-08"]["params"]["threshold"] == {"share": "1/2", "base": "expected", "strict": True}
    assert by_key["R-PWC-11"]["article"] == "三(一)11" and by_key["R-PWC-11"]["summary_zh"]
    assert by_key["R-WF-08"]["params"]["threshold"]["share"] is None


def test_second_vote_entry_on_a_decided_item_is_409(api, street_world):
    """Two secretaries press 'record' on the same item: the second sees 409, not a second outcome."""
    w = street_world
    meeting_id = create(api, w.street_staff, w.pwc).json()["id"]
    caller = api(w.street_staff)
    item_id = caller.post(f"/api/v1/meetings/{meeting_id}/items", {"title": "x", "kind": "ordinary"}).json()["id"]
    caller.post(f"/api/v1/meetings/{meeting_id}/notice", {"published_at": "2025-04-01T10:00:00+08:00"})
    caller.post(f"/api/v1/meetings/{meeting_id}/hold", {"held_at": "2025-04-10T09:00:00+08:00",
                                                        "present": [p.pk for p in w.pwc_members[:6]],
                                                        "chair": w.secretary.pk, "recorder": w.pwc_members[1].pk})
    first = caller.post(f"/api/v1/meetings/{meeting_id}/items/{item_id}/vote", {"method": "show_of_hands", "yes": 6})
    second = caller.post(f"/api/v1/meetings/{meeting_id}/items/{item_id}/vote", {"method": "show_of_hands", "yes": 1})
    assert (first.status_code, second.status_code) == (200, 409)
    assert Meeting.objects.get(pk=meeting_id).items.get().yes == 6


def test_district_admin_adopts_a_rulebook_version(api, street_world):
    w = street_world
    payload = {"district": w.district.pk, "effective_from": "2025-01-01",
               "overrides": {"R-PWC-04": {"threshold": {"strict": True}}}, "note": "严格解释“半数以上”"}
    assert api(w.street_staff).post("/api/v1/rules/versions", payload).status_code == 404  # district not in scope
    response = api(w.root).post("/api/v1/rules/versions", payload)
    assert response.status_code == 201
    rules = api(w.root).get("/api/v1/rules", area=w.a.pk, on="2025-06-01").json()["rules"]
    quorum = next(r for r in rules if r["key"] == "R-PWC-04")
    assert quorum["params"]["threshold"]["strict"] is True and quorum["version"] == response.json()["label"]
    bad = api(w.root).post("/api/v1/rules/versions", {**payload, "effective_from": "2025-02-01",
                                                       "overrides": {"R-PWC-04": {"nope": 1}}})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "unknown_rule_parameter"


def test_malformed_rulebook_values_are_400_not_500(api, street_world):
    w = street_world
    for overrides in [{"R-PWC-04": {"threshold": "strict"}}, {"R-PWC-04": {"threshold": {"share": "a/b"}}},
                      {"R-PWC-04": {"threshold": {"share": "1/0"}}}, {"R-NOPE-01": {"days": 3}}]:
        response = api(w.root).post("/api/v1/rules/versions", {"district": w.district.pk,
                                                               "effective_from": "2025-01-01", "overrides": overrides})
        assert response.status_code == 400, overrides
