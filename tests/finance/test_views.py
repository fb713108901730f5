"""The finance pages: claim form, detail with route and signatures, inbox, ledgers, statement print/Excel/publish,
scope, and a bounded number of queries on the claims list."""

from __future__ import annotations

import datetime

import pytest

from jiceng.finance import services
from jiceng.finance.models import Claim, Statement

from .conftest import PDF, START, claim

pytestmark = pytest.mark.django_db


def test_claim_form_files_a_claim_and_shows_its_route(client, fin):
    client.force_login(fin.u.handler)
    assert client.get("/finance/new/").status_code == 200
    response = client.post("/finance/new/", {"area": fin.a.pk, "amount": "150.00", "purpose": "打印宣传册",
                                             "claimant": fin.p.handler.pk, "kind": "ordinary"})
    c = Claim.objects.get()
    assert response.status_code == 302 and response.url == f"/finance/claims/{c.pk}/"
    page = client.get(response.url).content.decode()
    assert "居委会主任" in page and "街道办事处分管领导" in page and "150.00" in page


def test_claim_form_shows_refusal_inline(client, fin):
    client.force_login(fin.u.handler)
    response = client.post("/finance/new/", {"area": fin.a.pk, "amount": "1.234", "purpose": "x",
                                             "claimant": fin.p.handler.pk, "kind": "ordinary"})
    assert response.status_code == 400 and "两位小数" in response.content.decode()
    assert not Claim.objects.exists()


def test_inbox_and_signing_from_the_page(client, fin):
    c = claim(fin, "60.00")
    client.force_login(fin.u.rc_director)
    assert str(c.pk) in client.get("/finance/inbox/").content.decode()
    assert client.post(f"/finance/claims/{c.pk}/approve/").status_code == 302
    client.force_login(fin.u.secretary)
    assert client.get("/finance/inbox/").status_code == 200
    client.force_login(fin.u.handler)
    refused = client.post(f"/finance/claims/{c.pk}/approve/")  # not on the route
    assert refused.status_code == 403


def test_self_approval_refused_on_the_page_cites_the_rule(client, fin):
    c = claim(fin, "60.00", claimant=fin.p.secretary, by=fin.u.secretary)
    services.approve(fin.u.rc_director, c)
    client.force_login(fin.u.secretary)
    response = client.post(f"/finance/claims/{c.pk}/approve/")
    assert response.status_code == 422 and "A-FIN-39" in response.content.decode()


def test_other_community_gets_404(client, fin):
    c = claim(fin, "60.00")
    client.force_login(fin.worker_b)
    assert client.get(f"/finance/claims/{c.pk}/").status_code == 404
    assert str(c.purpose) not in client.get("/finance/").content.decode()


def test_claims_list_has_a_bounded_number_of_queries(client, fin, django_assert_max_num_queries):
    for amount in ("10", "120", "600"):
        claim(fin, amount)
    client.force_login(fin.street_admin)
    with django_assert_max_num_queries(12):
        first = client.get("/finance/")
    for amount in ("20", "30", "40", "700", "9"):
        claim(fin, amount)
    with django_assert_max_num_queries(12):
        second = client.get("/finance/")
    assert first.status_code == second.status_code == 200
    assert second.content.decode().count("/finance/claims/") >= 8


def test_ledger_and_statement_pages(client, fin):
    ledger = services.open_ledger(fin.u.cashier, area=fin.a, kind="cash", opened_on=START, opening="5.00")
    v = services.add_voucher(fin.u.cashier, area=fin.a, kind="receipt", name="r.pdf", content=PDF)
    services.post_entry(fin.u.cashier, ledger, occurred_on=datetime.date(2025, 6, 3), direction="in",
                        amount="12.34", summary="经费拨款", category="经费拨款", vouchers=[v])
    services.set_budget(fin.u.handler, area=fin.a, year=fin.today.year, amount="1000.00")
    client.force_login(fin.u.cashier)
    assert "17.34" in client.get(f"/finance/ledgers/{ledger.pk}/").content.decode()
    overview = client.get("/finance/ledgers/").content.decode()
    assert "1000.00" in overview and "17.34" in overview
    response = client.post("/finance/statements/", {"area": fin.a.pk, "year": 2025, "month": 6})
    st = Statement.objects.get()
    assert response.status_code == 302
    assert "12.34" in client.get(f"/finance/statements/{st.pk}/print/").content.decode()
    xlsx = client.get(f"/finance/statements/{st.pk}/statement.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    client.force_login(fin.u.rc_director)
    published = client.post(f"/finance/statements/{st.pk}/publish/")
    assert published.status_code == 302
    st.refresh_from_db()
    assert st.disclosure is not None and st.disclosure.tables[0]["total_income"] == "12.34"


def test_rulebook_lists_the_finance_rules(client, fin):
    client.force_login(fin.u.handler)
    page = client.get("/rules/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "A-FIN-07" in text and "A-FIN-39" in text and "A-FIN-36" in text
