"""Roster import and export through the API: status codes, error bodies, scope."""

from __future__ import annotations

import datetime
import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from jiceng.accounts.roles import AccessRole
from jiceng.accounts.services import issue_token
from jiceng.audit.models import AuditEvent
from jiceng.orgs import idcard
from jiceng.orgs.models import Person, RosterImport
from tests import builders

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_rng = random.Random(11)


def id_for(i: int) -> str:
    gender = "male" if i % 2 == 0 else "female"
    return idcard.generate(_rng, region="120101", birth_date=datetime.date(1970, 3, 1), gender=gender,
                           sequence=i // 2)


def roster_file(rows: list[list], name: str = "花名册.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(["姓名", "公民身份号码", "联系电话", "网格", "楼栋", "房号"])
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def good_rows(n: int) -> list[list]:
    return [[f"居民{i}", id_for(i), f"1390000{i:04d}", "第一网格", "1号楼", str(200 + i)] for i in range(n)]


@pytest.fixture
def upload(client):
    """`upload(user, area_id, file)`: POST /api/v1/people/import as multipart with a bearer token."""

    def post(user, area_id, file):
        headers = {"Authorization": f"Bearer {issue_token(user, user)}"}
        return client.post("/api/v1/people/import", {"file": file, "area": area_id}, headers=headers)

    return post


def test_import_returns_201_with_the_job_and_its_status_reads_done(api, upload, world):
    response = upload(world.worker_a, world.a.pk, roster_file(good_rows(12)))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] == 12
    assert Person.objects.filter(id_number__in=[id_for(i) for i in range(12)]).count() == 12
    assert AuditEvent.objects.filter(action="orgs.person_created").count() == 12 + 2   # + the world's two
    status = api(world.worker_a).get(f"/api/v1/people/imports/{body['job']}")
    assert status.status_code == 200
    assert {k: status.json()[k] for k in ("job", "status", "processed", "total", "created", "error_count")} == {
        "job": body["job"], "status": "done", "processed": 12, "total": 12, "created": 12, "error_count": 0}


def test_import_with_a_bad_row_is_422_listing_row_and_column_and_writes_nothing(api, upload, world):
    rows = good_rows(10)
    rows[6][4] = "99号楼"
    rows[8][1] = rows[2][1]

    response = upload(world.worker_a, world.a.pk, roster_file(rows))

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "import_rejected" and error["message"] and error["message_en"]
    assert [(e["row"], e["column"], e["code"]) for e in error["facts"]["errors"]] == [
        (8, "楼栋", "unknown_building"), (10, "公民身份号码", "duplicate_in_file")]
    assert error["facts"]["error_count"] == 2
    assert not Person.objects.filter(name__startswith="居民").exists()
    status = api(world.worker_a).get(f"/api/v1/people/imports/{error['facts']['job']}").json()
    assert status["status"] == "failed" and status["error_count"] == 2
    assert status["errors"] == error["facts"]["errors"]


def test_a_file_that_is_not_xlsx_is_400(upload, world):
    response = upload(world.worker_a, world.a.pk, SimpleUploadedFile("名单.csv", "姓名,公民身份号码\n".encode()))

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_xlsx"
    assert RosterImport.objects.get().status == "failed"


def test_import_into_an_area_out_of_sight_is_404(upload, world):
    for area in (world.b, world.street):
        response = upload(world.worker_a, area.pk, roster_file(good_rows(2)))
        assert response.status_code == 404, area
        assert response.json()["error"]["code"] == "not_found"
    assert not RosterImport.objects.exists()
    assert not Person.objects.filter(name__startswith="居民").exists()


def test_import_without_the_import_permission_is_403(upload, world):
    supervisor = builders.make_user(world.root, "supervisor_a", AccessRole.SUPERVISION_MEMBER, world.a)

    response = upload(supervisor, world.a.pk, roster_file(good_rows(2)))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not RosterImport.objects.exists()


def test_import_status_of_another_community_is_404(api, upload, world):
    job = upload(world.worker_a, world.a.pk, roster_file(good_rows(1))).json()["job"]

    assert api(world.worker_b).get(f"/api/v1/people/imports/{job}").status_code == 404
    assert api(world.street_admin).get(f"/api/v1/people/imports/{job}").status_code == 200


def test_export_is_an_xlsx_named_after_the_area(api, world):
    response = api(world.worker_a).get("/api/v1/people/export", area=world.a.pk)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert f"roster-{world.a.code}.xlsx" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "性别", "公民身份号码")
    assert [(r[0], r[2]) for r in rows[1:]] == [("张三", world.zhang.id_number)]


def test_export_of_another_community_or_of_the_street_is_404_for_a_community_worker(api, world):
    caller = api(world.worker_a)
    for area in (world.b, world.street):
        response = caller.get("/api/v1/people/export", area=area.pk)
        assert response.status_code == 404, area
        assert response.json()["error"]["code"] == "not_found"


def test_export_without_the_export_permission_is_403(api, world):
    supervisor = builders.make_user(world.root, "supervisor_a", AccessRole.SUPERVISION_MEMBER, world.a)

    response = api(supervisor).get("/api/v1/people/export", area=world.a.pk)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_street_export_lists_both_communities(api, world):
    response = api(world.street_admin).get("/api/v1/people/export", area=world.street.pk)

    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))[1:]
    assert sorted((r[0], r[5]) for r in rows) == [("张三", "长春路社区"), ("李四", "青岛路社区")]
