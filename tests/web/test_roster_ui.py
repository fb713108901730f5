"""Roster import and export in the staff UI: the import page, its two requests (record the job, then run
it with the file) and the polled progress, the blank template, the export, and scope."""

import datetime
import io
import os
import random
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from jiceng.accounts import services as accounts
from jiceng.orgs import idcard, roster
from jiceng.orgs.models import Person, RosterImport
from tests import builders

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["姓名", "公民身份号码", "联系电话", "网格", "楼栋", "房号"]
_rng = random.Random(31)


def id_for(i: int) -> str:
    gender = "male" if i % 2 == 0 else "female"
    return idcard.generate(_rng, region="110102", birth_date=datetime.date(1981, 5, 1), gender=gender,
                           sequence=i // 2)


def good_rows(n: int) -> list[list]:
    return [[f"居民{i}", id_for(i), f"1370000{i:04d}", "第一网格", "1号楼", str(300 + i)] for i in range(n)]


def roster_file(rows: list[list], name: str = "花名册.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(HEADERS)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def login(client, user):
    client.force_login(user)
    return client


def start(client, area, name: str = "花名册.xlsx"):
    """What roster.js sends first: the area and the file's name, without the file."""
    return client.post("/people/import/", {"area": area.pk, "file_name": name}, headers={"HX-Request": "true"})


def run(client, job: RosterImport, file):
    return client.post(f"/people/import/{job.pk}/run/", {"file": file}, headers={"HX-Request": "true"})


def progress(client, job: RosterImport):
    return client.get(f"/people/import/{job.pk}/progress/", headers={"HX-Request": "true"})


def viewer_of_a(world):
    return builders.make_user(world.root, "viewer_a", "viewer", world.a)


# The import page -------------------------------------------------------------------------------------------

def test_import_page_renders_for_worker_a_with_area_columns_and_template_link(client, world):
    response = login(client, world.worker_a).get("/people/import/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "长春路社区" in html and "青岛路社区" not in html and "天津路街道" not in html
    assert 'enctype="multipart/form-data"' in html and 'name="file"' in html
    assert "/people/import/template/" in html and "/static/web/roster.js" in html
    for header in roster.COLUMNS.values():
        assert f"<td lang=\"zh-hans\">{header}" in html, header


def test_import_page_of_street_admin_offers_the_street_and_both_communities(client, world):
    html = login(client, world.street_admin).get("/people/import/").content.decode()
    assert "天津路街道" in html and "长春路社区" in html and "青岛路社区" in html
    assert "第一网格" not in html.split("</select>")[0]  # grids are not import targets


def test_import_page_is_403_without_the_import_permission(client, world):
    response = login(client, viewer_of_a(world)).get("/people/import/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "没有导入花名册的权限" in html and 'name="file"' not in html


def test_people_page_offers_the_import_only_to_those_who_may_import(client, world):
    assert "/people/import/" in login(client, world.worker_a).get("/people/").content.decode()
    assert "/people/import/" not in login(client, viewer_of_a(world)).get("/people/").content.decode()


# Import: job, run, progress -------------------------------------------------------------------------------

def test_valid_roster_imports_and_the_progress_then_reports_done(client, world):
    login(client, world.worker_a)
    started = start(client, world.a)
    assert started.status_code == 200
    job = started.context["job"]
    assert (job.status, job.area, job.actor, job.file_name) == ("queued", world.a, world.worker_a, "花名册.xlsx")
    fragment = started.content.decode()
    assert f'data-run-url="/people/import/{job.pk}/run/"' in fragment and "<html" not in fragment
    assert f'hx-get="/people/import/{job.pk}/progress/"' in fragment and 'hx-trigger="every 700ms"' in fragment

    response = run(client, job, roster_file(good_rows(3)))

    assert response.status_code == 200
    html = response.content.decode()
    assert "已导入 3 人" in html and f"/people/?area={world.a.pk}" in html
    assert Person.objects.filter(id_number__in=[id_for(i) for i in range(3)]).count() == 3
    polled = progress(client, job)
    assert polled.status_code == 200
    state = polled.context["progress"]
    assert (state["status"], state["created"], state["processed"], state["total"]) == ("done", 3, 3, 3)
    polled_html = polled.content.decode()
    assert "hx-trigger" not in polled_html  # polling stops
    assert "已完成" in polled_html and "新增 3 人" in polled_html


def test_progress_of_a_job_still_running_keeps_polling(client, world):
    login(client, world.worker_a)
    job = start(client, world.a).context["job"]
    html = progress(client, job).content.decode()
    assert 'hx-trigger="every 700ms"' in html and "排队中" in html


def test_progress_of_a_job_never_run_stops_polling_after_half_an_hour(client, world):
    login(client, world.worker_a)
    job = start(client, world.a).context["job"]
    RosterImport.objects.filter(pk=job.pk).update(created_at=job.created_at - datetime.timedelta(minutes=31))
    html = progress(client, job).content.decode()
    assert "hx-trigger" not in html and "已停止刷新进度" in html


def test_roster_with_a_bad_row_shows_row_and_column_and_imports_nobody(client, world):
    rows = good_rows(3)
    rows[1][4] = "99号楼"
    login(client, world.worker_a)
    job = start(client, world.a).context["job"]

    response = run(client, job, roster_file(rows))

    assert response.status_code == 422
    assert [(e["row"], e["column"]) for e in response.context["outcome"]["errors"]] == [(3, "楼栋")]
    html = response.content.decode()
    assert "花名册有 1 处错误，未导入任何人员" in html
    assert "<td class=\"num\">3</td><td>楼栋</td>" in html and "99号楼" in html
    assert not Person.objects.filter(id_number__in=[id_for(i) for i in range(3)]).exists()
    polled = progress(client, job)
    assert polled.context["progress"]["status"] == "failed" and "hx-trigger" not in polled.content.decode()


def test_a_file_that_is_not_a_workbook_is_refused_with_its_reason(client, world):
    login(client, world.worker_a)
    job = start(client, world.a).context["job"]
    response = run(client, job, SimpleUploadedFile("名单.xls", b"not a workbook"))
    assert response.status_code == 400
    assert "文件不是Excel工作簿" in response.content.decode()
    assert progress(client, job).context["progress"]["status"] == "failed"


def test_a_job_runs_only_once(client, world):
    login(client, world.worker_a)
    job = start(client, world.a).context["job"]
    assert run(client, job, roster_file(good_rows(2))).status_code == 200
    again = run(client, job, roster_file(good_rows(2)))
    assert again.status_code == 409
    assert Person.objects.filter(id_number__in=[id_for(i) for i in range(2)]).count() == 2


def test_import_without_javascript_posts_the_file_and_imports_at_once(client, world):
    response = login(client, world.worker_a).post("/people/import/",
                                                  {"area": world.a.pk, "file": roster_file(good_rows(2))})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and "已导入 2 人" in html
    assert RosterImport.objects.get().status == "done"


def test_import_without_javascript_needs_the_file_itself(client, world):
    response = login(client, world.worker_a).post("/people/import/", {"area": world.a.pk, "file_name": "x.xlsx"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" in html and "请选择要导入的花名册文件" in html
    assert not RosterImport.objects.exists()


def test_start_without_a_file_name_is_a_form_error(client, world):
    response = login(client, world.worker_a).post("/people/import/", {"area": world.a.pk},
                                                  headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "请选择要导入的花名册文件" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_start_into_a_grid_is_refused_by_the_service(client, world):
    response = start(login(client, world.worker_a), world.grid_a)
    assert response.status_code == 400
    assert "花名册只能导入到街道或社区" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_start_into_an_area_outside_scope_is_404(client, world):
    assert start(login(client, world.worker_a), world.b).status_code == 404
    assert not RosterImport.objects.exists()


def test_start_into_a_visible_area_without_the_import_permission_is_403(client, world):
    user = builders.make_user(world.root, "importer_b", "community_worker", world.b)
    accounts.assign_role(world.root, user=user, role="viewer", area=world.a, start_on=datetime.date(2020, 1, 1))
    response = start(login(client, user), world.a)
    assert response.status_code == 403
    assert "导入花名册" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_worker_b_cannot_see_or_run_the_job_of_a(client, world):
    job = start(login(client, world.worker_a), world.a).context["job"]
    login(client, world.worker_b)
    assert progress(client, job).status_code == 404
    assert run(client, job, roster_file(good_rows(1))).status_code == 404
    assert RosterImport.objects.get(pk=job.pk).status == "queued"


def test_only_the_uploader_runs_a_job(client, world):
    job = start(login(client, world.worker_a), world.a).context["job"]
    colleague = builders.make_user(world.root, "worker_a2", "community_worker", world.a)
    login(client, colleague)
    assert progress(client, job).status_code == 200  # the job is visible in A
    assert run(client, job, roster_file(good_rows(1))).status_code == 404


# Template and export ----------------------------------------------------------------------------------------

def test_template_download_is_an_xlsx_with_the_headers_and_a_text_id_column(client, world):
    response = login(client, world.worker_a).get("/people/import/template/")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == list(roster.COLUMNS.values())
    assert sheet.max_row == 1
    id_column = list(roster.COLUMNS).index("id_number") + 1
    assert sheet.column_dimensions[sheet.cell(1, id_column).column_letter].number_format == "@"


def test_export_of_a_is_an_xlsx_of_its_residents(client, world):
    response = login(client, world.worker_a).get("/people/export/", {"area": world.a.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX and "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == list(roster.COLUMNS.values())
    assert [row[0] for row in rows[1:]] == ["张三"]


def test_worker_b_cannot_export_a(client, world):
    login(client, world.worker_b)
    assert client.get("/people/export/", {"area": world.a.pk}).status_code == 404
    assert client.get("/people/export/").status_code == 404


def test_export_without_the_export_permission_is_403(client, world):
    assert login(client, viewer_of_a(world)).get("/people/export/", {"area": world.a.pk}).status_code == 403


@pytest.mark.parametrize(("who", "shown"), [("worker_a", True), ("viewer", False)])
def test_area_page_links_the_export_only_with_the_export_permission(client, world, who, shown):
    user = world.worker_a if who == "worker_a" else viewer_of_a(world)
    html = login(client, user).get(f"/areas/{world.a.pk}/").content.decode()
    assert (f"/people/export/?area={world.a.pk}" in html) is shown
    assert ("导出花名册" in html) is shown


# In a real browser: roster.js and htmx together ----------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser(world):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing on CI: install Debian's chromium package")
        pytest.skip("Debian chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_shows_progress_while_the_run_is_in_flight_then_the_outcome(
        live_server, world, browser, tmp_path, monkeypatch):
    from playwright.sync_api import expect

    # The run waits until the page has polled the progress twice: the progress bar must not depend on the
    # run request having finished.
    released = threading.Event()
    original = roster.run_import

    def gated_run_import(*args, **kwargs):
        assert released.wait(20), "the page never polled the progress"
        return original(*args, **kwargs)

    monkeypatch.setattr(roster, "run_import", gated_run_import)
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(roster_file(good_rows(3)).read())
    polls = []

    page = browser.new_page()
    page.set_default_timeout(15_000)
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(error))
    page.on("request", lambda request: polls.append(request.url) if "/progress/" in request.url else None)
    page.on("response", lambda response: released.set() if len(polls) >= 2 else None)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "worker_a")
    page.fill("input[name=password]", builders.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/people/import/")
    page.set_input_files("input[name=file]", str(path))
    page.locator("#roster-form button[type=submit]").click()

    expect(page.locator("#roster-progress")).to_contain_text("已完成")
    outcome = page.locator(".roster-outcome")
    expect(outcome).to_contain_text("已导入 3 人")
    assert len(polls) >= 2
    outcome.get_by_role("link").click()
    expect(page.locator("#people-results")).to_contain_text("居民2")
    assert not script_errors
    page.close()
