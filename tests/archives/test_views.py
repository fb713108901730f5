"""Archive pages (issue #5): scope, the dossier page and its forms, print, export; constant queries on the list."""

from __future__ import annotations

import io
import zipfile

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiceng.archives import services
from jiceng.archives.exports import verify_zip
from jiceng.archives.models import Dossier, Loan


def test_pages_render_for_a_user_in_scope(client, arc):
    client.force_login(arc.worker_a)
    listing = client.get("/archives/")
    assert listing.status_code == 200 and arc.dossier.title in listing.content.decode()
    page = client.get(f"/archives/{arc.dossier.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and "卷内文件目录" in body and "第二件" in body and "赵档案" in body
    printed = client.get(f"/archives/{arc.dossier.pk}/print/")
    assert printed.status_code == 200 and "size: A4" in printed.content.decode()
    exported = client.get(f"/archives/{arc.dossier.pk}/export.zip")
    assert exported["Content-Type"] == "application/zip" and verify_zip(exported.content) == []
    assert zipfile.ZipFile(io.BytesIO(exported.content)).read("manifest.json")


def test_another_communitys_worker_gets_404(client, arc):
    client.force_login(arc.worker_b)
    for path in ("", "print/", "export.zip"):
        assert client.get(f"/archives/{arc.dossier.pk}/{path}").status_code == 404
    assert client.post(f"/archives/{arc.dossier.pk}/lend/", {}).status_code == 404
    assert arc.dossier.title not in client.get("/archives/").content.decode()


def test_the_list_page_does_a_constant_number_of_queries(client, arc, django_assert_max_num_queries):
    client.force_login(arc.worker_a)
    client.get("/archives/")
    with CaptureQueriesContext(connection) as one:
        client.get("/archives/")
    for year in range(2000, 2012):
        dossier = services.yearly_dossier(arc.a, Dossier.Series.ZONGZHI, year)
        services.lend(arc.worker_a, dossier, borrower_name="吴", borrower_unit="居委会", purpose="核对")
    with django_assert_max_num_queries(len(one)):
        assert client.get("/archives/").status_code == 200


def test_lending_and_returning_through_the_page(client, arc):
    client.force_login(arc.worker_a)
    url = f"/archives/{arc.dossier.pk}/"
    refused = client.post(url + "lend/", {"borrower_name": "吴", "borrower_unit": "区民政局", "purpose": "查阅",
                                          "external": "on"})
    assert refused.status_code == 422 and "A-ARC-28" in refused.content.decode()
    assert client.post(url + "lend/", {"borrower_name": "吴", "borrower_unit": "居委会",
                                       "purpose": "核对"}).status_code == 302
    loan = Loan.objects.get()
    assert client.post(url + f"loans/{loan.pk}/return/", {"feedback": "已用"}).status_code == 302
    loan.refresh_from_db()
    assert loan.returned_on is not None and loan.feedback == "已用"


def test_ending_the_archivist_through_the_page_needs_a_handover(client, arc):
    client.force_login(arc.worker_a)
    url = f"/archives/{arc.dossier.pk}/"
    refused = client.post(url + "end-archivist/", {"membership": arc.post.pk, "end_on": "2026-11-25"})
    assert refused.status_code == 422 and "R-ARCH-07" in refused.content.decode()
    assert client.post(url + "handover/", {
        "outgoing": arc.archivist.pk, "successor": arc.successor.pk, "items": "档案1卷\n全宗卷1卷",
        "handed_over_on": "2026-11-25", "outgoing_signed": "on", "successor_signed": "on"}).status_code == 302
    assert client.post(url + "end-archivist/", {"membership": arc.post.pk, "end_on": "2026-11-25"}).status_code == 302
