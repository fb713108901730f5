"""Excel roster import and export (jiceng.orgs.roster): all or nothing, errors by row and column, scope."""

from __future__ import annotations

import datetime
import io
import random
import time
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from jiceng.accounts.roles import PERMISSIONS, AccessRole, Perm
from jiceng.audit.chain import verify_chains
from jiceng.audit.models import AuditEvent
from jiceng.core.errors import IllegalTransition, PermissionDenied, ValidationFailed
from jiceng.core.masking import mask_id_number
from jiceng.orgs import idcard, roster, services
from jiceng.orgs.models import Household, Person, RosterImport
from tests import builders

HEADERS = ["姓名", "性别", "公民身份号码", "联系电话", "政治面貌", "社区", "网格", "楼栋", "单元", "房号", "户号",
           "与户主关系"]
_rng = random.Random(7)


def id_for(i: int, gender: str | None = None) -> str:
    """A distinct valid ID number for every i (region 110101, so never one of the world's residents)."""
    gender = gender or ("male" if i % 2 == 0 else "female")
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=i // 1000)
    return idcard.generate(_rng, region="110101", birth_date=birth, gender=gender, sequence=(i // 2) % 500)


def row_for(i: int, **over) -> dict:
    gender = "male" if i % 2 == 0 else "female"
    row = {"姓名": f"居民{i}", "性别": "男" if gender == "male" else "女", "公民身份号码": id_for(i),
           "联系电话": f"139{i:08d}", "政治面貌": "群众", "社区": "长春路社区", "网格": "第一网格",
           "楼栋": "1号楼", "单元": "1", "房号": str(100 + i), "户号": "", "与户主关系": ""}
    row.update(over)
    return row


def xlsx(rows: list[dict], headers: list[str] | None = None, *, title: str | None = None) -> bytes:
    """A workbook as a street office would send it: one sheet, headers, then one row per person."""
    headers = headers or HEADERS
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def created_people(rows: list[dict]):
    return Person.objects.filter(id_number__in=[r["公民身份号码"] for r in rows if isinstance(r["公民身份号码"], str)])


# Import ----------------------------------------------------------------------------------------------------

def test_import_creates_every_person_with_an_audit_event(world):
    rows = [
        row_for(1, 户号="H-0001", 与户主关系="户主", 政治面貌="中共党员"),
        row_for(2, 户号="H-0001", 与户主关系="配偶", 政治面貌=""),
        row_for(3, 楼栋="", 单元="", 房号=""),                 # lives in the grid
        row_for(4, 网格="", 楼栋="", 单元="", 房号="", 联系电话=""),  # lives in the community
    ]
    job = roster.start_import(world.worker_a, world.a, file_name="/tmp/长春路.xlsx")

    report = roster.run_import(world.worker_a, xlsx(rows), world.a, job)

    assert report.ok and report.created == 4
    people = {p.id_number: p for p in created_people(rows).select_related("household", "area")}
    assert len(people) == 4
    first, second = people[rows[0]["公民身份号码"]], people[rows[1]["公民身份号码"]]
    assert first.area == world.building_a and first.political_status == Person.PoliticalStatus.PARTY_MEMBER
    assert second.political_status == Person.PoliticalStatus.NONE and second.gender == "male"
    assert first.household == second.household and first.household.number == "H-0001"
    assert first.household.area == world.building_a and first.household_relation == "户主"
    assert people[rows[2]["公民身份号码"]].area == world.grid_a
    assert people[rows[3]["公民身份号码"]].area == world.a and people[rows[3]["公民身份号码"]].phone == ""
    events = AuditEvent.objects.filter(action="orgs.person_created",
                                       object_id__in=[str(p.pk) for p in people.values()])
    assert events.count() == 4
    assert AuditEvent.objects.filter(action="orgs.household_created").count() == 1
    assert AuditEvent.objects.filter(action="orgs.roster_imported", object_id=str(job.pk)).count() == 1
    job.refresh_from_db()
    assert (job.status, job.created_count, job.processed, job.total) == ("done", 4, 4, 4)
    assert job.file_name == "长春路.xlsx" and job.errors == []


def _bad(kind: str, rows: list[dict], k: int) -> tuple[str, str]:
    """Spoil row k of `rows` in one way; returns the column and code the error must carry."""
    if kind == "check_digit":
        good = rows[k]["公民身份号码"]
        rows[k]["公民身份号码"] = good[:17] + ("0" if good[17] != "0" else "1")
        return "公民身份号码", "id_number_checksum"
    if kind == "gender_mismatch":
        rows[k]["性别"] = "女" if rows[k]["性别"] == "男" else "男"
        return "性别", "gender_mismatch"
    if kind == "unknown_building":
        rows[k]["楼栋"] = "99号楼"
        return "楼栋", "unknown_building"
    rows[k]["公民身份号码"] = rows[3]["公民身份号码"]
    return "公民身份号码", "duplicate_in_file"


@pytest.mark.parametrize("kind", ["check_digit", "gender_mismatch", "unknown_building", "duplicate_in_file"])
def test_one_bad_row_among_fifty_writes_nothing_and_names_row_and_column(world, kind):
    rows = [row_for(i, 户号=f"H-{i // 2:04d}") for i in range(50)]
    column, code = _bad(kind, rows, 23)
    people_before, events_before = Person.objects.count(), AuditEvent.objects.count()
    job = roster.start_import(world.worker_a, world.a, file_name="roster.xlsx")

    report = roster.run_import(world.worker_a, xlsx(rows), world.a, job)

    assert not report.ok and report.created == 0
    assert [(e["row"], e["column"], e["code"]) for e in report.errors] == [(25, column, code)]
    assert report.errors[0]["message"] and report.errors[0]["message_en"]
    assert Person.objects.count() == people_before
    assert not Household.objects.filter(number__startswith="H-").exists()
    assert AuditEvent.objects.count() == events_before
    job.refresh_from_db()
    assert job.status == "failed" and job.created_count == 0 and job.error_count == 1
    assert job.errors == report.errors


def test_validate_reports_every_bad_row_and_cell(world):
    rows = [row_for(i) for i in range(6)]
    rows[1]["性别"] = "未知"
    rows[1]["政治面貌"] = "无党派"
    rows[2]["社区"] = "青岛路社区"                        # another community than the target
    rows[3].update(公民身份号码=world.zhang.id_number, 性别="")   # already registered
    rows[4]["网格"] = "第九网格"
    rows[5]["单元"] = "1" * 17

    report = roster.validate(xlsx(rows), world.a, world.worker_a)

    assert [(e["row"], e["column"], e["code"]) for e in report.errors] == [
        (3, "性别", "invalid_gender"), (3, "政治面貌", "invalid_political_status"),
        (4, "社区", "outside_target"), (5, "公民身份号码", "duplicate_id_number"),
        (6, "网格", "unknown_grid"), (7, "单元", "too_long"),
    ]
    assert report.total == 6 and report.error_count == 6
    # Error messages never repeat an ID number (they end up in logs and job rows).
    assert world.zhang.id_number not in str(report.errors)


def with_raw_numbers(data: bytes, numbers: dict[str, str]) -> bytes:
    """Rewrite numeric cells as other producers (WPS, LibreOffice, Java exports) store them: `<v>` holding
    the exact digits. openpyxl itself writes every large number through a float."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                for placeholder, digits in numbers.items():
                    assert f"<v>{placeholder}</v>".encode() in content
                    content = content.replace(f"<v>{placeholder}</v>".encode(), f"<v>{digits}</v>".encode())
            target.writestr(info, content)
    return buffer.getvalue()


def test_numeric_id_cell_imports_but_a_rounded_one_is_refused(world):
    i, j = [i for i in range(100, 200) if not id_for(i).endswith("X")][:2]   # numbers, not text
    exact = row_for(i, 公民身份号码=1234.5, 联系电话=13912345678, 房号=301, 单元=2.0)
    rounded = row_for(j, 公民身份号码=float(id_for(j)))         # how Excel keeps a number: 15 digits
    data = with_raw_numbers(xlsx([exact, rounded]), {"1234.5": id_for(i)})

    report = roster.validate(data, world.a, world.worker_a)
    assert [(e["row"], e["column"], e["code"], e["message"]) for e in report.errors] == [
        (3, "公民身份号码", "id_number_as_number", "公民身份号码被Excel转为数字，已丢失精度，请将该列设为文本")]

    report = roster.run_import(world.worker_a, with_raw_numbers(xlsx([exact]), {"1234.5": id_for(i)}), world.a)
    person = Person.objects.get(id_number=id_for(i))
    assert report.created == 1
    assert (person.phone, person.unit, person.room) == ("13912345678", "2", "301")


def test_header_synonyms_and_a_title_row_are_understood(world):
    headers = ["序号", "姓名", "身份证号码", "手机", "楼号", "门牌号", "网格"]
    rows = [{"序号": 1, "姓名": "王五", "身份证号码": id_for(8), "手机": "13800001111", "楼号": "1号楼",
             "门牌号": "502", "网格": "第一网格"}]

    report = roster.run_import(world.worker_a, xlsx(rows, headers, title="长春路社区居民花名册"), world.a)

    person = Person.objects.get(id_number=id_for(8))
    assert report.created == 1 and report.errors == []
    assert (person.name, person.phone, person.area, person.room) == ("王五", "13800001111", world.building_a, "502")


def test_street_import_resolves_communities_and_same_named_grids(world):
    rows = [row_for(1), row_for(2, 社区="青岛路社区", 楼栋="8号楼")]

    report = roster.run_import(world.street_admin, xlsx(rows), world.street)

    assert report.created == 2
    assert Person.objects.get(id_number=id_for(1)).area == world.building_a
    assert Person.objects.get(id_number=id_for(2)).area == world.building_b


def test_existing_households_must_be_visible_and_under_the_target(world):
    mine = services.create_household(world.root, number="A-1", area=world.building_a)
    services.create_household(world.root, number="B-1", area=world.building_b)
    rows = [row_for(1, 户号="A-1"), row_for(2, 户号="B-1")]

    as_worker = roster.validate(xlsx(rows), world.a, world.worker_a)
    as_admin = roster.validate(xlsx(rows), world.a, world.street_admin)

    assert [(e["row"], e["code"]) for e in as_worker.errors] == [(3, "household_not_visible")]
    assert [(e["row"], e["code"]) for e in as_admin.errors] == [(3, "household_outside_target")]
    roster.run_import(world.worker_a, xlsx(rows[:1]), world.a)
    assert Person.objects.get(id_number=id_for(1)).household == mine


def test_a_new_household_cannot_span_two_residences(world):
    rows = [row_for(1, 户号="N-1"), row_for(2, 户号="N-1", 楼栋="")]

    report = roster.validate(xlsx(rows), world.a, world.worker_a)

    assert [(e["row"], e["column"], e["code"]) for e in report.errors] == [(3, "户号", "household_area_mismatch")]


def test_a_clash_found_while_writing_rolls_everything_back(world, monkeypatch):
    """Someone registers an ID number of the file after validation: nothing of the file is kept."""
    rows = [row_for(i) for i in range(5)]
    original = roster._validate

    def validate_then_lose_the_race(*args, **kwargs):
        report = original(*args, **kwargs)
        services.create_person(world.root, **report.rows[2].person)  # the other writer wins the race
        return report

    monkeypatch.setattr(roster, "_validate", validate_then_lose_the_race)
    job = roster.start_import(world.worker_a, world.a)

    report = roster.run_import(world.worker_a, xlsx(rows), world.a, job)

    assert [(e["row"], e["column"], e["code"]) for e in report.errors] == [(4, "公民身份号码", "duplicate_id_number")]
    assert created_people(rows).count() == 1 and report.created == 0  # only the other writer's
    job.refresh_from_db()
    assert job.status == "failed"


def test_every_imported_person_and_household_has_its_audit_event_in_an_intact_chain(world):
    rows = [row_for(i, 户号=f"H-{i // 2}") for i in range(250)]

    report = roster.run_import(world.worker_a, xlsx(rows), world.a)

    assert report.created == 250
    people = created_people(rows)
    events = AuditEvent.objects.filter(action="orgs.person_created", actor_name="worker_a")
    assert set(events.values_list("object_id", flat=True)) == {str(pk) for pk in people.values_list("pk", flat=True)}
    assert AuditEvent.objects.filter(action="orgs.household_created", actor_name="worker_a").count() == 125
    sample = events.get(object_id=str(people.get(id_number=id_for(7)).pk))
    assert sample.actor_name == "worker_a" and sample.after["id_number"] == mask_id_number(id_for(7))
    assert verify_chains() == []


def test_progress_is_published_to_the_cache_every_hundred_rows(world, monkeypatch):
    published = []
    original_set = roster.cache.set

    def spy(key, value, *args, **kwargs):
        published.append((key, value["status"], value["processed"], value["total"]))
        return original_set(key, value, *args, **kwargs)

    monkeypatch.setattr(roster.cache, "set", spy)
    job = roster.start_import(world.worker_a, world.a)

    roster.run_import(world.worker_a, xlsx([row_for(i) for i in range(250)]), world.a, job)

    key = f"roster-import:{job.pk}"
    assert {(s, p) for k, s, p, t in published if k == key and t == 250} >= {
        ("validating", 100), ("validating", 200), ("validating", 250),
        ("importing", 100), ("importing", 200), ("importing", 250)}
    # Once finished, the row is the truth and the cache no longer speaks for it.
    assert roster.cache.get(key) is None
    state = roster.import_progress(job)
    assert (state["status"], state["created"], state["processed"], state["total"]) == ("done", 250, 250, 250)


def test_a_finished_job_cannot_run_again(world):
    job = roster.start_import(world.worker_a, world.a)
    roster.run_import(world.worker_a, xlsx([row_for(1)]), world.a, job)

    with pytest.raises(IllegalTransition):
        roster.run_import(world.worker_a, xlsx([row_for(2)]), world.a, job)
    assert not Person.objects.filter(id_number=id_for(2)).exists()


# Refused files ---------------------------------------------------------------------------------------------

def _refusal(world, data, target=None) -> ValidationFailed:
    job = roster.start_import(world.street_admin, target or world.a)
    with pytest.raises(ValidationFailed) as refused:
        roster.run_import(world.street_admin, data, target or world.a, job)
    job.refresh_from_db()
    assert job.status == "failed" and job.errors[0]["code"] == refused.value.code
    return refused.value


def test_too_many_rows_is_refused(world):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["姓名", "公民身份号码"])
    for i in range(roster.MAX_ROWS + 1):
        sheet.append([f"居民{i}", "x"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert _refusal(world, buffer.getvalue()).code == "too_many_rows"
    assert not Person.objects.filter(name__startswith="居民").exists()


@pytest.mark.parametrize("data", [
    "姓名,公民身份号码\n张三,110101199003071234\n".encode(),      # a CSV
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,               # an old .xls (OLE2)
    b"",
])
def test_a_file_that_is_not_xlsx_is_refused(world, data):
    assert _refusal(world, data).code == "not_xlsx"


def test_a_zip_that_is_not_a_workbook_is_refused(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "你好")
    assert _refusal(world, buffer.getvalue()).code == "not_xlsx"


def test_a_file_over_five_megabytes_is_refused(world):
    assert _refusal(world, b"PK" + b"\0" * roster.MAX_BYTES).code == "file_too_large"


@pytest.mark.parametrize(("headers", "target", "missing"), [
    (["姓名", "性别", "联系电话"], "a", ["公民身份号码"]),
    (["姓名", "公民身份号码", "网格"], "street", ["社区"]),
    (["备注", "地址"], "a", ["姓名", "公民身份号码"]),
])
def test_missing_required_columns_are_refused(world, headers, target, missing):
    refused = _refusal(world, xlsx([], headers), getattr(world, target))
    assert refused.code == "missing_columns" and refused.facts["columns"] == missing


def test_import_needs_the_import_permission_on_the_target(world):
    data = xlsx([row_for(1)])
    with pytest.raises(PermissionDenied):
        roster.start_import(world.worker_a, world.b)
    with pytest.raises(PermissionDenied):
        roster.run_import(world.worker_a, data, world.street)
    with pytest.raises(PermissionDenied):
        roster.validate(data, world.b, world.worker_a)
    assert not Person.objects.filter(id_number=id_for(1)).exists()


def test_import_into_a_building_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        roster.validate(xlsx([row_for(1)]), world.building_a, world.street_admin)
    assert refused.value.code == "bad_target"


# Export ----------------------------------------------------------------------------------------------------

def read(data: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    return [dict(zip(HEADERS, row, strict=True)) for row in rows[1:]]


def test_export_lists_the_area_in_full_inside_scope_with_id_as_text(world):
    rows = read(roster.export(world.worker_a, world.a))

    assert [(r["姓名"], r["公民身份号码"], r["联系电话"], r["社区"], r["网格"], r["楼栋"]) for r in rows] == [
        ("张三", world.zhang.id_number, "13812341234", "长春路社区", "第一网格", "1号楼")]
    sheet = load_workbook(io.BytesIO(roster.export(world.worker_a, world.a))).worksheets[0]
    assert sheet["C2"].number_format == "@" and sheet["C2"].data_type == "s"


def test_export_masks_personal_data_outside_scope(world, monkeypatch):
    # No stock role may export without seeing personal data; a district could configure one.
    monkeypatch.setitem(PERMISSIONS, AccessRole.VIEWER, frozenset({Perm.VIEW, Perm.EXPORT_PEOPLE}))
    reader = builders.make_user(world.root, "reader", AccessRole.VIEWER, world.street)

    rows = {r["姓名"]: r for r in read(roster.export(reader, world.street))}

    assert rows["张三"]["公民身份号码"] == world.zhang.id_number[:4] + "*" * 10 + world.zhang.id_number[-4:]
    assert rows["张三"]["联系电话"] == "138****1234" and rows["李四"]["联系电话"] == "139****5678"
    assert rows["张三"]["房号"] == "**" and rows["李四"]["社区"] == "青岛路社区"
    assert world.zhang.id_number not in str(rows)


def test_export_needs_the_export_permission(world):
    supervisor = builders.make_user(world.root, "supervisor_a", AccessRole.SUPERVISION_MEMBER, world.a)
    with pytest.raises(PermissionDenied):
        roster.export(supervisor, world.a)
    with pytest.raises(PermissionDenied):
        roster.export(world.worker_a, world.street)


def test_export_query_count_does_not_grow_with_the_roster(world, django_assert_max_num_queries):
    roster.run_import(world.worker_a, xlsx([row_for(i, 户号=f"H-{i}") for i in range(30)]), world.a)
    worker = type(world.worker_a).objects.get(pk=world.worker_a.pk)   # scope not yet cached on it
    with django_assert_max_num_queries(4):
        data = roster.export(worker, world.a)
    assert len(read(data)) == 31


def test_an_export_imports_back_into_the_same_people(world):
    rows = [
        row_for(1, 户号="H-1", 与户主关系="户主", 政治面貌="中共预备党员"),
        row_for(2, 户号="H-1", 与户主关系="子女", 政治面貌="共青团员", 联系电话=""),
        row_for(3, 社区="青岛路社区", 楼栋="8号楼", 政治面貌="民主党派"),
        row_for(4, 网格="", 楼栋="", 单元="", 房号=""),
    ]
    roster.run_import(world.street_admin, xlsx(rows), world.street)
    fields = ("name", "gender", "id_number", "birth_date", "phone", "area_id", "unit", "room",
              "household__number", "household_relation", "political_status", "name_pinyin", "id_tail")

    def snapshot():
        return sorted(Person.objects.values_list(*fields))

    before = snapshot()
    data = roster.export(world.street_admin, world.street)
    Person.objects.all().delete()
    Household.objects.all().delete()

    report = roster.run_import(world.street_admin, data, world.street)

    assert report.ok and report.created == 6
    assert snapshot() == before


def test_two_thousand_rows_import_in_reasonable_time(world):
    rows = [row_for(i, 户号=f"H-{i // 3:05d}") for i in range(2000)]
    data = xlsx(rows)
    job = roster.start_import(world.worker_a, world.a)

    started = time.monotonic()
    report = roster.run_import(world.worker_a, data, world.a, job)
    elapsed = time.monotonic() - started

    assert report.created == 2000 and created_people(rows).count() == 2000
    assert Household.objects.filter(number__startswith="H-").count() == 667
    assert RosterImport.objects.get(pk=job.pk).status == "done"
    assert elapsed < 30, f"2,000 rows took {elapsed:.1f}s"


def test_export_writes_a_formula_like_name_as_text(world):
    builders.make_person(world.root, world.building_a, '=HYPERLINK("http://example.com","点我")',
                         id_number=id_for(5, "male"))

    sheet = load_workbook(io.BytesIO(roster.export(world.worker_a, world.a))).worksheets[0]

    cells = [row[0] for row in sheet.iter_rows(min_row=2) if str(row[0].value).startswith("=")]
    assert [(c.value, c.data_type) for c in cells] == [('=HYPERLINK("http://example.com","点我")', "s")]
