"""The party pages: roster (constant queries), a member's page, the secretary's month, the Excel ledger, scope."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from jiceng.party import services
from tests import builders

from .conftest import D, applicant, probationary


def test_roster_query_count_is_constant(client, party_world, django_assert_max_num_queries):
    w = party_world
    for i in range(12):
        applicant(w, f"申请人{i}")
    client.force_login(w.sec)
    with django_assert_max_num_queries(20):
        response = client.get("/party/", {"community": w.a.pk})
    assert response.status_code == 200
    assert "申请人11" in response.content.decode()


def test_roster_hides_other_community(client, party_world):
    w = party_world
    member = applicant(w, "甲方隐名")
    client.force_login(w.worker_b)
    assert "甲方隐名" not in client.get("/party/").content.decode()
    assert client.get(f"/party/members/{member.pk}/").status_code == 404


def test_member_page_and_payment_form(client, party_world):
    w = party_world
    member = probationary(w, approved_on=D(2025, 3, 15))
    services.set_dues(w.sec, member, amount="8.00")
    client.force_login(w.sec)
    page = client.get(f"/party/members/{member.pk}/")
    assert page.status_code == 200 and "登记交纳党费" in page.content.decode()
    response = client.post(f"/party/members/{member.pk}/pay/", {"paid_on": "2025-10-05", "first_month": "2025-03",
                                                                 "months": 7, "consent": "同意"})
    assert response.status_code == 422 and "R-DUES-03" in response.content.decode()
    response = client.post(f"/party/members/{member.pk}/pay/", {"paid_on": "2025-03-20", "first_month": "2025-03",
                                                                 "months": 1})
    assert response.status_code == 302
    assert member.payments.get().amount == 8


def test_month_view_lists_behind_and_due(client, party_world):
    w = party_world
    probationary(w, approved_on=D(2025, 3, 15))
    applicant(w, "待培养")
    client.force_login(w.sec)
    response = client.get("/party/month/", {"community": w.a.pk, "month": "2025-06"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "R-DUES-07" in body and "预备党员" in body


def test_ledger_export_layout(client, party_world):
    w = party_world
    member = probationary(w, approved_on=D(2025, 3, 15))
    services.pay_dues(w.sec, member, paid_on=D(2025, 3, 20), first_month=D(2025, 3, 1), amount="12.34")
    client.force_login(w.sec)
    response = client.get("/party/ledger.xlsx", {"community": w.a.pk, "year": 2025})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in ws[2]]
    assert header[2] == "姓名" and header[5] == "1月" and header[16] == "12月" and header[17] == "合计"
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[2] == member.person.name)
    assert str(row[7]) == "12.34" and row[8] == "欠" and str(row[17]) == "12.34"


def test_month_view_query_count_is_constant(client, party_world, django_assert_max_num_queries):
    w = party_world
    for i in range(3):
        member = probationary(w, approved_on=D(2025, 3, 15 + i), name=f"预备{i}")
        services.set_dues(w.sec, member, amount="2.00")
        services.pay_dues(w.sec, member, paid_on=D(2025, 3, 20), first_month=D(2025, 3, 1))
    applicant(w, "乙申请")
    client.force_login(w.sec)
    with django_assert_max_num_queries(30):
        response = client.get("/party/month/", {"community": w.a.pk, "month": "2025-06"})
    assert response.status_code == 200


def test_feedback_slip_for_in_service_member(client, party_world):
    w = party_world
    person = builders.make_person(w.root, w.building_a, "在职甲")
    member = services.register(w.sec, person=person, community=w.a, status="full_member", applied_on=D(2010, 1, 1),
                               admitted_on=D(2020, 2, 1), full_on=D(2021, 2, 1), in_service=True, work_unit="轴承厂",
                               unit_party_org="轴承厂党委", dues="5.00", dues_from=D(2025, 1, 1))
    services.pay_dues(w.sec, member, paid_on=D(2025, 1, 5), first_month=D(2025, 1, 1))
    client.force_login(w.sec)
    response = client.get(f"/party/members/{member.pk}/feedback-slip/", {"year": 2025, "quarter": 1})
    body = response.content.decode()
    assert response.status_code == 200 and "轴承厂党委" in body and "2025-01" in body and "2025-02" in body


def test_pipeline_step_form_refuses_with_rule_then_accepts(client, party_world):
    w = party_world
    member = applicant(w, "表单申请人")
    client.force_login(w.sec)
    page = client.get(f"/party/members/{member.pk}/").content.decode()
    assert f"/party/members/{member.pk}/steps/activist/" in page
    url = f"/party/members/{member.pk}/steps/activist/"
    response = client.post(url, {"on": "2024-06-01", "sponsors": [w.full[0].pk]})
    assert response.status_code == 422
    assert "R-DEV-03" in response.content.decode()
    response = client.post(url, {"on": "2024-06-01", "sponsors": [w.full[0].pk, w.full[1].pk]})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "activist"
    # The same step again is not offered and is refused.
    assert client.post(url, {"on": "2024-06-01", "sponsors": [w.full[0].pk, w.full[1].pk]}).status_code == 302
    member.refresh_from_db()
    assert member.sponsorships.count() == 2


def test_pipeline_step_form_forbidden_without_office(client, party_world):
    w = party_world
    member = applicant(w, "无权办理")
    client.force_login(w.u.director)
    response = client.post(f"/party/members/{member.pk}/steps/activist/",
                           {"on": "2024-06-01", "sponsors": [w.full[0].pk, w.full[1].pk]})
    assert response.status_code == 403
