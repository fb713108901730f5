"""Letters and visits through the services and the API (A-VISIT, A-FIRST, A-CASE; AS-09)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiceng.core.errors import IllegalTransition, PermissionDenied, RuleViolation, ValidationFailed
from jiceng.notify.models import Reminder
from jiceng.office import checks, services
from jiceng.office.models import Petition
from jiceng.rules import office as r

D = datetime.date


def _register(w, kind="ordinary", received_on=None, **kw):
    return services.register_petition(
        w.u.center_director, area=w.street, petitioner_name="张大山", received_on=received_on or timezone.localdate(),
        issue="楼下餐馆油烟扰民", request="督促整改", kind=kind, petitioner_phone="13812345678", **kw)


def _findings(w, today):
    from jiceng.accountability.checks import Scope

    return list(checks.overdue_petitions(Scope(streets=[w.street], communities=[w.a]), today))


def test_registration_sets_tracking_number_first_receiver_and_due_dates(office_world):
    w = office_world
    p = _register(w, received_on=D(2024, 4, 1))
    assert p.tracking_number == f"XF{w.street.code}-2024-00001"
    assert p.first_receiver == w.p.center_director and p.owner == w.p.center_director
    assert p.status == Petition.Status.AWAITING_INSTRUCTION
    assert p.due_on == {"instruction": "2024-04-04", "conclusion": "2024-05-01", "feedback": "2024-05-01"}
    assert p.instruction_post == r.LEADER_IN_CHARGE
    assert _register(w, received_on=D(2024, 4, 1)).tracking_number.endswith("-2024-00002")


def test_important_case_goes_to_a_principal_leader_in_one_day(office_world):
    w = office_world
    p = _register(w, kind="important", received_on=D(2024, 4, 1))
    assert p.due_on["instruction"] == "2024-04-02" and p.due_on["conclusion"] == "2024-06-30"
    assert p.instruction_post == r.PRINCIPAL_LEADER


@pytest.mark.parametrize(("today", "stages"), [
    (D(2024, 4, 4), []), (D(2024, 4, 5), ["instruction"]), (D(2024, 5, 1), ["instruction"]),
    (D(2024, 5, 2), ["conclusion", "instruction"]),
])
def test_overdue_findings_day_after_each_due_date(office_world, today, stages):
    """AS-09: ordinary registered 1 Apr: instruction due 4 Apr, conclusion due 1 May; open on 2 May → finding."""
    w = office_world
    _register(w, received_on=D(2024, 4, 1))
    assert sorted(f.evidence["stage"] for f in _findings(w, today)) == stages


def test_incomplete_registration_is_refused(office_world):
    w = office_world
    with pytest.raises(RuleViolation) as refused:
        services.register_petition(w.u.center_director, area=w.street, petitioner_name="", received_on=None,
                                   issue="x", request="")
    assert refused.value.rule_id == "A-VISIT-03"
    assert set(refused.value.facts["missing"]) == {"petitioner_name", "received_on", "request"}
    assert not Petition.objects.exists()


def test_full_path_instruct_assign_conclude_reply(office_world):
    w = office_world
    p = _register(w)
    with pytest.raises(PermissionDenied):
        services.instruct(w.u.staff, p, text="请城管科办理")
    services.instruct(w.u.deputy, p, text="请城管科办理")
    services.assign(w.u.office_director, p, section="urban_mgmt_section", handler=w.p.section_head)
    with pytest.raises(IllegalTransition):
        services.reply(w.u.section_head, p, text="已处理", channel="phone")
    with pytest.raises(RuleViolation) as refused:
        services.conclude(w.u.section_head, p, outcome="", result="")
    assert refused.value.rule_id == "A-VISIT-01"
    services.conclude(w.u.section_head, p, outcome="resolved", result="餐馆已安装油烟净化器")
    with pytest.raises(RuleViolation) as refused:
        services.reply(w.u.section_head, p, text=" ", channel="phone")
    assert refused.value.rule_id == "A-FIRST-03"
    services.reply(w.u.section_head, p, text="已电话告知处理结果", channel="phone", satisfaction="satisfied")
    p.refresh_from_db()
    assert p.status == Petition.Status.FED_BACK and p.satisfaction == "satisfied"
    assert _findings(w, timezone.localdate() + datetime.timedelta(days=100)) == []


def test_reminders_scheduled_and_cancelled(office_world):
    w = office_world
    p = _register(w)
    keys = set(Reminder.objects.values_list("key", flat=True))
    assert {f"A-VISIT-04:petition:{p.pk}:due", f"A-VISIT-04:petition:{p.pk}:overdue",
            f"A-VISIT-05:petition:{p.pk}:due", f"A-VISIT-05:petition:{p.pk}:overdue"} <= keys
    services.instruct(w.u.deputy, p, text="办理")
    live = set(Reminder.objects.filter(cancelled_at__isnull=True).values_list("key", flat=True))
    assert f"A-VISIT-04:petition:{p.pk}:overdue" not in live
    assert f"A-VISIT-05:petition:{p.pk}:overdue" in live


def test_reclassification_recomputes_the_due_dates(office_world):
    w = office_world
    p = _register(w, received_on=D(2024, 4, 1))
    services.reclassify(w.u.center_director, p, kind="important", reason="涉及多户")
    p.refresh_from_db()
    assert p.due_on["conclusion"] == "2024-06-30" and p.instruction_post == r.PRINCIPAL_LEADER


def test_first_receiver_cannot_pass_the_case_on(office_world):
    """A-FIRST-01: only the centre director or a principal leader reassigns, with a reason."""
    w = office_world
    p = services.register_petition(w.u.staff, area=w.street, petitioner_name="李四", received_on=timezone.localdate(),
                                   issue="路灯不亮", request="修理")
    assert p.first_receiver == w.p.staff
    with pytest.raises(RuleViolation):
        services.reassign_owner(w.u.staff, p, owner=w.p.section_head, reason="不归我管")
    with pytest.raises(RuleViolation):
        services.reassign_owner(w.u.center_director, p, owner=w.p.section_head, reason="")
    services.reassign_owner(w.u.center_director, p, owner=w.p.section_head, reason="属城管科职责")
    p.refresh_from_db()
    assert p.owner == w.p.section_head and p.first_receiver == w.p.staff


def test_case_leader_must_be_a_street_leader(office_world):
    w = office_world
    p = _register(w)
    with pytest.raises(RuleViolation) as refused:
        services.set_case_leader(w.u.secretary, p, leader=w.p.staff)
    assert refused.value.rule_id == "A-CASE-02"
    services.set_case_leader(w.u.secretary, p, leader=w.p.deputy)
    p.refresh_from_db()
    assert p.case_leader == w.p.deputy and set(p.case_obligations) == set(r.CASE_OBLIGATIONS)


def test_future_date_is_invalid(office_world):
    w = office_world
    with pytest.raises(ValidationFailed):
        _register(w, received_on=timezone.localdate() + datetime.timedelta(days=1))


# API ---------------------------------------------------------------------------------------------------------

PAYLOAD = {"petitioner_name": "张大山", "received_on": "2024-04-01", "issue": "油烟扰民", "request": "整改",
           "petitioner_phone": "13812345678", "petitioner_id_number": "110101199003071234"}


def test_api_contract_201_with_tracking_number_and_due_on(api, office_world):
    w = office_world
    response = api(w.u.center_director).post("/api/v1/petitions", {**PAYLOAD, "area": w.street.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["tracking_number"].startswith("XF")
    assert body["due_on"] == {"instruction": "2024-04-04", "conclusion": "2024-05-01", "feedback": "2024-05-01"}


def test_api_area_defaults_to_the_users_street(api, office_world):
    response = api(office_world.u.center_director).post("/api/v1/petitions", PAYLOAD)
    assert response.status_code == 201 and response.json()["area"]["id"] == office_world.street.pk


@pytest.mark.parametrize(("change", "status"), [
    ({"petitioner_name": ""}, 422), ({"issue": ""}, 422), ({"received_on": "2024-13-01"}, 400),
    ({"kind": "nonsense"}, 400), ({"headcount": "x"}, 400),
])
def test_api_bad_input(api, office_world, change, status):
    response = api(office_world.u.center_director).post("/api/v1/petitions", {**PAYLOAD, **change})
    assert response.status_code == status and "error" in response.json()


def test_api_masks_personal_data_without_the_permission(api, office_world):
    from tests import builders

    w = office_world
    created = api(w.u.center_director).post("/api/v1/petitions", {**PAYLOAD, "area": w.street.pk}).json()
    assert created["petitioner"]["phone"] == "13812345678"
    viewer = builders.make_user(w.root, "viewer_street", "viewer", w.street)
    seen = api(viewer).get(f"/api/v1/petitions/{created['id']}").json()
    assert seen["petitioner"]["masked"] and seen["petitioner"]["name"] == "张*山"
    assert seen["petitioner"]["phone"] == "138****5678" and "199003" not in seen["petitioner"]["id_number"]


def test_api_other_street_worker_sees_nothing(api, office_world):
    w = office_world
    created = api(w.u.center_director).post("/api/v1/petitions", {**PAYLOAD, "area": w.street.pk}).json()
    assert api(w.worker_b).get(f"/api/v1/petitions/{created['id']}").status_code == 404
    assert api(w.worker_b).get("/api/v1/petitions").json()["items"] == []


def test_api_stages(api, office_world):
    w = office_world
    pid = api(w.u.center_director).post("/api/v1/petitions", {**PAYLOAD, "area": w.street.pk}).json()["id"]
    assert api(w.u.staff).post(f"/api/v1/petitions/{pid}/instruct", {"text": "办"}).status_code == 403
    assert api(w.u.deputy).post(f"/api/v1/petitions/{pid}/instruct", {"text": "办"}).status_code == 200
    assert api(w.u.office_director).post(f"/api/v1/petitions/{pid}/assign",
                                         {"section": "urban_mgmt_section"}).status_code == 200
    assert api(w.u.office_director).post(f"/api/v1/petitions/{pid}/reply", {"text": "x"}).status_code == 409
    assert api(w.u.office_director).post(f"/api/v1/petitions/{pid}/conclude",
                                         {"outcome": "explained", "result": "已解释政策"}).status_code == 200
    done = api(w.u.office_director).post(f"/api/v1/petitions/{pid}/reply", {"text": "已答复", "channel": "visit",
                                                                             "satisfaction": "basically"})
    assert done.status_code == 200 and done.json()["status"] == "fed_back"


def test_api_ledger_excel(api, office_world):
    from io import BytesIO

    from openpyxl import load_workbook

    w = office_world
    api(w.u.center_director).post("/api/v1/petitions", {**PAYLOAD, "area": w.street.pk})
    response = api(w.u.center_director).get("/api/v1/petitions/ledger.xlsx")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "信访编号" and rows[1][4] == "张大山"
