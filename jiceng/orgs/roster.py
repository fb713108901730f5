"""Residents rosters (花名册) as Excel workbooks: import and export, as street offices exchange them today
(ARCHITECTURE §9).

A roster has one row per person under the headers of `COLUMNS`; common synonyms are accepted on import
(身份证号 for 公民身份号码, 手机 for 联系电话, 楼号 for 楼栋, 门牌号 for 房号 …). 社区, 网格 and 楼栋 are names,
resolved among the open areas under the area the roster is imported into.

An import is all or nothing: `validate` checks every row and reports each error by Excel row and column;
`run_import` writes only when there is none, every person (and every new 户号) with its audit event, in batches
inside one transaction, with the checks `services.create_person` makes done for every row by `validate`.
`export` writes the same columns for the people of an area that the user may see, with personal data masked
outside the user's personal-data scope; an export made with full access imports back into the same people.
"""

from __future__ import annotations

import io
import os
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.audit.services import record_event, record_events
from jiceng.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from jiceng.core.masking import mask_id_number, mask_phone

from . import services
from .models import Area, Household, Person, RosterImport
from .presenters import MASKED_ROOM

__all__ = [
    "COLUMNS", "MAX_BYTES", "MAX_REPORTED_ERRORS", "MAX_ROWS", "ImportRejected", "Report", "export",
    "import_progress", "run_import", "start_import", "validate",
]

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# What one rejected roster reports (and keeps on its RosterImport row); `Report.error_count` has them all.
MAX_REPORTED_ERRORS = 1000
PROGRESS_EVERY = 100
CACHE_SECONDS = 6 * 60 * 60
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Field key -> header, in the order an export writes them.
COLUMNS: dict[str, str] = {
    "name": "姓名",
    "gender": "性别",
    "id_number": "公民身份号码",
    "phone": "联系电话",
    "political_status": "政治面貌",
    "community": "社区",
    "grid": "网格",
    "building": "楼栋",
    "unit": "单元",
    "room": "房号",
    "household": "户号",
    "household_relation": "与户主关系",
}
_SYNONYMS: dict[str, str] = {
    "身份证号": "id_number", "身份证号码": "id_number", "身份证": "id_number",
    "手机": "phone", "电话": "phone", "手机号": "phone", "手机号码": "phone", "电话号码": "phone",
    "楼号": "building", "门牌号": "room", "室": "room",
}
_HEADERS: dict[str, str] = {header: key for key, header in COLUMNS.items()} | _SYNONYMS
_GENDERS = {"男": Person.Gender.MALE, "女": Person.Gender.FEMALE}
_GENDER_LABELS = {value: label for label, value in _GENDERS.items()}
_POLITICAL = {str(label): value for value, label in Person.PoliticalStatus.choices} | {
    "党员": Person.PoliticalStatus.PARTY_MEMBER,
    "预备党员": Person.PoliticalStatus.PROBATIONARY_MEMBER,
    "团员": Person.PoliticalStatus.YOUTH_LEAGUE,
}
_POLITICAL_LABELS = {value: str(label) for value, label in Person.PoliticalStatus.choices}
# `services.normalise_person` names the field it refuses; this is the column that holds it.
_FIELD_COLUMN = {key: header for key, header in COLUMNS.items()}
# Widths of the text columns that the services do not check (the database would refuse longer values).
_MAX_LENGTH = {"unit": 16, "room": 16, "household_relation": 16, "household": 32, "phone": 20}
# Excel keeps 15 significant digits: an integral number from 10**15 up may already be rounded.
_EXACT_BELOW = 10**15
_HEADER_SEARCH_ROWS = 10
_MAX_COLUMNS = 60
# A 5 MB zip could inflate to gigabytes of XML; a real roster of 20,000 rows is well under this.
_MAX_INFLATED = 300 * 1024 * 1024
# Blank rows are skipped, but a sheet is not read past this many rows in all.
_MAX_SHEET_ROWS = 5 * MAX_ROWS
_RESIDENCE_LEVELS = (Area.Level.COMMUNITY, Area.Level.GRID, Area.Level.BUILDING)


class ImportRejected(DomainError):
    """A roster with row errors (422): nothing was imported. `facts["errors"]` lists them by row and column."""

    status = 422
    code = "import_rejected"

    def __init__(self, report: Report):
        n = report.error_count
        super().__init__(
            f"花名册有{n}处错误，未导入任何人员，请修改后重新上传。",
            f"The roster has {n} error(s); nobody was imported. Correct them and upload it again.",
            facts={"errors": report.errors, "error_count": n,
                   "job": report.job.pk if report.job else None})
        self.report = report


@dataclass
class Report:
    """The outcome of validating or importing a roster.

    `errors` holds the first MAX_REPORTED_ERRORS errors, each {row, column, code, message, message_en},
    ordered by row and column; `error_count` counts them all. `created` is the number of people written.
    """

    total: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    created: int = 0
    job: RosterImport | None = None
    rows: list[_Row] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return self.error_count == 0


@dataclass
class _Row:
    number: int                       # the Excel row number
    person: dict[str, Any]            # the row's cells as person fields (name … household_relation)
    values: dict[str, Any]            # the person's fields as services.normalise_person derived them
    household_number: str = ""
    household: Household | None = None


class _CellError(Exception):
    def __init__(self, code: str, message: str, message_en: str):
        super().__init__(message)
        self.code, self.message, self.message_en = code, message, message_en


# Reading the workbook -----------------------------------------------------------------------------------

def _refuse(code: str, message: str, message_en: str, **facts) -> ValidationFailed:
    return ValidationFailed(message, message_en, code=code, facts={"field": "file", **facts})


def _read_bytes(file) -> bytes:
    """The upload's bytes: `file` is bytes, a path, or a file object (a Django UploadedFile, BytesIO)."""
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    elif isinstance(file, str | os.PathLike):
        with open(file, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    elif (getattr(file, "size", None) or 0) > MAX_BYTES:
        data = None  # an upload that says it is too large is not read at all
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_BYTES + 1)
    if data is None or len(data) > MAX_BYTES:
        raise _refuse("file_too_large", f"文件超过{MAX_BYTES // (1024 * 1024)}MB，请拆分后分批导入。",
                      f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into batches.")
    return data


def _not_xlsx() -> ValidationFailed:
    return _refuse("not_xlsx", "文件不是Excel工作簿（.xlsx）。如为.xls或.csv，请用Excel另存为.xlsx后再上传。",
                   "The file is not an Excel workbook (.xlsx). Save .xls or .csv files as .xlsx first.")


def _header_key(value) -> str | None:
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = "".join(ch for ch in text if not ch.isspace() and ch != "*")
    return _HEADERS.get(text)


def _read_sheet(data: bytes, target: Area) -> tuple[dict[str, int], list[tuple[int, tuple]]]:
    """The header columns (field key -> index) and the non-blank data rows (Excel row number, values)
    of the first sheet. Refuses a file that is not an xlsx, has too many rows or lacks required columns."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_xlsx() from None
    if inflated > _MAX_INFLATED:
        raise _refuse("file_too_large", "文件解压后过大，不像是花名册。",
                      "The file inflates to far more than a roster would.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a zip that is not a workbook
        raise _not_xlsx() from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise _not_xlsx()
        columns: dict[str, int] = {}
        rows: list[tuple[int, tuple]] = []
        try:
            for number, values in enumerate(sheet.iter_rows(max_col=_MAX_COLUMNS, values_only=True), start=1):
                if number > _MAX_SHEET_ROWS:
                    raise _too_many_rows()
                if not columns:
                    columns = _header_row(values, number)
                    continue
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                rows.append((number, values))
                if len(rows) > MAX_ROWS:
                    raise _too_many_rows()
        except ValidationFailed:
            raise
        except Exception:  # malformed sheet XML surfaces only while the rows are read
            raise _not_xlsx() from None
    finally:
        workbook.close()
    required = ["name", "id_number"] + ([] if target.level == Area.Level.COMMUNITY else ["community"])
    missing = [COLUMNS[key] for key in required if key not in columns]
    if missing:
        raise _refuse("missing_columns", f"缺少必需的列：{'、'.join(missing)}（表头须在前{_HEADER_SEARCH_ROWS}行）。",
                      f"Required columns are missing: {', '.join(missing)} (headers within the first "
                      f"{_HEADER_SEARCH_ROWS} rows).", columns=missing)
    return columns, rows


def _header_row(values: tuple, number: int) -> dict[str, int]:
    """The columns of `values` if it is the header row (it names 姓名 and another column), else {}.

    A title row such as "某某社区居民花名册" may sit above the header; rows before the header are skipped.
    """
    found: dict[str, int] = {}
    for index, value in enumerate(values):
        key = _header_key(value)
        if key is None:
            continue
        if key in found:
            raise _refuse("duplicate_columns", f"第{number}行表头中「{COLUMNS[key]}」出现多次。",
                          f"Row {number} names the column {COLUMNS[key]} more than once.",
                          columns=[COLUMNS[key]])
        found[key] = index
    if "name" in found and len(found) > 1:
        return found
    if number >= _HEADER_SEARCH_ROWS:
        raise _refuse("missing_columns", f"前{_HEADER_SEARCH_ROWS}行中没有找到表头（须含「姓名」等列）。",
                      f"No header row (with 姓名 and other columns) in the first {_HEADER_SEARCH_ROWS} rows.",
                      columns=[COLUMNS["name"], COLUMNS["id_number"]])
    return {}


def _too_many_rows() -> ValidationFailed:
    return _refuse("too_many_rows", f"一次最多导入{MAX_ROWS}行，请拆分后分批导入。",
                   f"At most {MAX_ROWS} rows can be imported at once; split the file.")


def _text(value, key: str) -> str:
    """A cell as text. Numbers are written without float damage; an ID or phone number that Excel has
    already rounded (stored as a number of 16 digits or more) is refused, since its digits are lost."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not value.is_integer():
            return repr(value)
        if abs(value) >= _EXACT_BELOW and key in ("id_number", "phone"):
            column = COLUMNS[key]
            raise _CellError(f"{key}_as_number", f"{column}被Excel转为数字，已丢失精度，请将该列设为文本",
                             f"Excel turned the {key.replace('_', ' ')} into a number and lost digits; "
                             "format the column as text.")
        return str(int(value))
    return str(value).strip()


# Areas under the target -----------------------------------------------------------------------------------

class _AreaTree:
    """The open communities, grids and buildings under the import's target, fetched in one query."""

    def __init__(self, target: Area):
        self.target = target
        self.communities: dict[str, list[Area]] = defaultdict(list)
        self.grids: dict[tuple[int, str], list[Area]] = defaultdict(list)
        self.buildings_in_grid: dict[tuple[int, str], list[Area]] = defaultdict(list)
        self.buildings_in_community: dict[tuple[int, str], list[Area]] = defaultdict(list)
        areas = list(Area.objects.active().below(target).filter(level__in=_RESIDENCE_LEVELS))
        by_pk = {a.pk: a for a in areas}
        for area in areas:
            if area.level == Area.Level.COMMUNITY:
                self.communities[area.name].append(area)
            elif area.level == Area.Level.GRID:
                self.grids[(area.parent_id, area.name)].append(area)
            else:
                self.buildings_in_grid[(area.parent_id, area.name)].append(area)
                grid = by_pk.get(area.parent_id)
                if grid is not None:
                    self.buildings_in_community[(grid.parent_id, area.name)].append(area)

    @staticmethod
    def _one(found: list[Area], key: str, name: str, where: str) -> Area:
        column = COLUMNS[key]
        if not found:
            raise _CellError(f"unknown_{key}", f"{where}没有名为「{name}」的{column}。",
                             f"There is no {key} named {name} in {where}.")
        if len(found) > 1:
            hint = "，请填写网格" if key == "building" else ""
            raise _CellError(f"ambiguous_{key}", f"{where}有多个名为「{name}」的{column}{hint}。",
                             f"Several {key}s in {where} are named {name}.")
        return found[0]

    def resolve(self, names: dict[str, str]) -> tuple[Area | None, list[tuple[str, _CellError]]]:
        """The most specific area named (building > grid > community), or the errors by field key."""
        target = self.target
        community_name = names.get("community", "")
        if target.level == Area.Level.COMMUNITY:
            if community_name and community_name != target.name:
                return None, [("community", _CellError(
                    "outside_target", f"「{community_name}」不是导入目标社区「{target.name}」。",
                    f"{community_name} is not the target community {target.name}."))]
            community = target
        else:
            if not community_name:
                return None, [("community", _CellError("required", "社区不能为空。", "A community is required."))]
            try:
                community = self._one(self.communities.get(community_name, []), "community", community_name,
                                      f"「{target.name}」")
            except _CellError as exc:
                return None, [("community", exc)]
        area = community
        grid_name, building_name = names.get("grid", ""), names.get("building", "")
        if grid_name:
            try:
                area = self._one(self.grids.get((community.pk, grid_name), []), "grid", grid_name,
                                 f"「{community.name}」")
            except _CellError as exc:
                return None, [("grid", exc)]
        if building_name:
            found = (self.buildings_in_grid.get((area.pk, building_name), []) if grid_name
                     else self.buildings_in_community.get((community.pk, building_name), []))
            try:
                area = self._one(found, "building", building_name, f"「{area.name}」")
            except _CellError as exc:
                return None, [("building", exc)]
        return area, []


# Progress -------------------------------------------------------------------------------------------------

def _cache_key(job: RosterImport) -> str:
    return f"roster-import:{job.pk}"


def _job_state(job: RosterImport) -> dict[str, Any]:
    return {"job": job.pk, "status": job.status, "processed": job.processed, "total": job.total,
            "created": job.created_count, "error_count": job.error_count, "errors": job.errors,
            "finished_at": job.finished_at.isoformat() if job.finished_at else None}


class _Progress:
    """Progress of one run. While it runs it is published to the cache only: the import's transaction
    would hide row updates from pollers (on PostgreSQL). The row gets the start and the final state."""

    def __init__(self, job: RosterImport | None):
        self.job = job

    def start(self) -> None:
        if self.job is None:
            return
        self.job.move_to(RosterImport.Status.VALIDATING)
        self.job.save(update_fields=["status"])
        self._publish()

    def phase(self, status: str, total: int) -> None:
        if self.job is None:
            return
        if status != self.job.status:
            self.job.move_to(status)
        self.job.total, self.job.processed = total, 0
        self._publish()

    def step(self, processed: int) -> None:
        if self.job is None:
            return
        self.job.processed = processed
        if processed % PROGRESS_EVERY == 0 or processed == self.job.total:
            self._publish()

    def finish(self, status: str, *, errors: list[dict] = (), error_count: int = 0, created: int = 0) -> None:
        job = self.job
        if job is None:
            return
        job.move_to(status)
        job.errors, job.error_count, job.created_count = list(errors), error_count, created
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "total", "processed", "errors", "error_count", "created_count",
                                "finished_at"])
        # The row now holds the outcome; a stale "importing" left in the cache would hide it.
        cache.delete(_cache_key(job))

    def _publish(self) -> None:
        cache.set(_cache_key(self.job), _job_state(self.job), CACHE_SECONDS)


def import_progress(job: RosterImport) -> dict[str, Any]:
    """Status and progress of an import: the cache while it runs, the row once it has finished."""
    return cache.get(_cache_key(job)) or _job_state(job)


# Validation -------------------------------------------------------------------------------------------------

def _error(row: int | None, key: str | None, code: str, message: str, message_en: str) -> dict[str, Any]:
    return {"row": row, "column": COLUMNS.get(key) if key else None, "code": code, "message": message,
            "message_en": message_en}


def _check_target(actor, target: Area) -> None:
    for perm in (Perm.IMPORT_PEOPLE, Perm.EDIT_PEOPLE):
        if not scope.has_perm(actor, perm, target):
            raise PermissionDenied(f"您在「{target}」没有「{Perm(perm).label}」权限。",
                                   f"You lack the '{perm}' permission on {target.code}.",
                                   facts={"permission": str(perm), "area": target.code})
    if target.level not in (Area.Level.STREET, Area.Level.COMMUNITY):
        raise ValidationFailed("花名册只能导入到街道或社区。", "A roster is imported into a street or a community.",
                               code="bad_target", facts={"field": "area"})
    if not target.is_open(scope.today()):
        raise ValidationFailed(f"「{target}」已撤销。", f"{target.code} is closed.", code="area_closed",
                               facts={"field": "area"})


def _parse_row(number: int, values: tuple, columns: dict[str, int], tree: _AreaTree,
               errors: list[dict]) -> _Row | None:
    """One row checked cell by cell, then as a person by the services' own normalisation."""
    failed: set[str] = set()

    def fail(key: str, exc: _CellError) -> None:
        failed.add(key)
        errors.append(_error(number, key, exc.code, exc.message, exc.message_en))

    cells: dict[str, str] = {}
    for key, index in columns.items():
        try:
            cells[key] = _text(values[index] if index < len(values) else None, key)
        except _CellError as exc:
            fail(key, exc)
            cells[key] = ""
    gender = None
    if cells.get("gender"):
        gender = _GENDERS.get(cells["gender"])
        if gender is None:
            fail("gender", _CellError("invalid_gender", "性别须填“男”或“女”。", "Gender must be 男 or 女."))
    political = Person.PoliticalStatus.NONE
    if cells.get("political_status"):
        political = _POLITICAL.get(cells["political_status"])
        if political is None:
            fail("political_status", _CellError(
                "invalid_political_status", f"政治面貌须为{'、'.join(_POLITICAL_LABELS.values())}之一。",
                "Political status must be one of " + ", ".join(_POLITICAL_LABELS.values()) + "."))
    for key, limit in _MAX_LENGTH.items():
        if len(cells.get(key, "")) > limit:
            fail(key, _CellError("too_long", f"{COLUMNS[key]}不能超过{limit}个字符。",
                                 f"{key.replace('_', ' ').capitalize()} is longer than {limit} characters."))
    residence, area_errors = tree.resolve(cells)
    for key, exc in area_errors:
        fail(key, exc)

    data = {"name": cells.get("name", ""), "gender": gender, "id_number": cells.get("id_number", ""),
            "phone": cells.get("phone", ""), "political_status": political,
            "area": residence, "unit": cells.get("unit", ""), "room": cells.get("room", ""),
            "household_relation": cells.get("household_relation", "")}
    try:
        # A row whose area is unresolved (reported under 社区/网格/楼栋) still has its other cells checked.
        values_ = services.normalise_person(data, require_area=residence is not None)
    except ValidationFailed as exc:
        key = exc.facts.get("field")
        key = key if key in _FIELD_COLUMN else None
        if key not in failed:  # a cell already reported is not reported twice
            errors.append(_error(number, key, exc.code, exc.message, exc.message_en))
        return None
    if len(values_["phone"]) > _MAX_LENGTH["phone"] and "phone" not in failed:
        fail("phone", _CellError("too_long", "联系电话过长。", "The phone number is too long."))
    if failed:
        return None
    person = {k: values_[k] for k in ("name", "gender", "id_number", "phone", "political_status", "area",
                                      "unit", "room", "household_relation")}
    return _Row(number=number, person=person, values=values_, household_number=cells.get("household", ""))


def _check_duplicates(rows: list[_Row], errors: list[dict]) -> None:
    """ID numbers repeated in the file or already registered are errors on the rows that carry them."""
    first_row: dict[str, int] = {}
    for row in rows:
        number = row.person["id_number"]
        if number in first_row:
            errors.append(_error(row.number, "id_number", "duplicate_in_file",
                                 f"公民身份号码与第{first_row[number]}行重复。",
                                 f"The ID number repeats row {first_row[number]}."))
        else:
            first_row[number] = row.number
    numbers = list(first_row)
    registered: set[str] = set()
    for start in range(0, len(numbers), 500):
        registered.update(Person.objects.filter(id_number__in=numbers[start:start + 500])
                          .values_list("id_number", flat=True))
    for row in rows:
        if row.person["id_number"] in registered:
            errors.append(_error(row.number, "id_number", "duplicate_id_number", "该公民身份号码已登记。",
                                 "This ID number is already registered."))


def _check_households(actor, target: Area, rows: list[_Row], errors: list[dict]) -> None:
    """An existing 户号 must be one the user can see, under the target; a new one is created for the rows
    that share it, which must live in the same area."""
    numbers = sorted({row.household_number for row in rows if row.household_number})
    existing: dict[str, Household] = {}
    for start in range(0, len(numbers), 500):
        for household in Household.objects.filter(number__in=numbers[start:start + 500]).select_related("area"):
            existing[household.number] = household
    new_area: dict[str, tuple[Area, int]] = {}
    for row in rows:
        number = row.household_number
        if not number:
            continue
        household = existing.get(number)
        if household is not None:
            if not scope.has_perm(actor, Perm.VIEW, household.area):
                errors.append(_error(row.number, "household", "household_not_visible",
                                     f"户号 {number} 已被您权限范围以外的户使用。",
                                     f"Household {number} exists outside your scope."))
            elif not household.area.path.startswith(target.path):
                errors.append(_error(row.number, "household", "household_outside_target",
                                     f"户号 {number} 属于「{household.area}」，不在导入区域内。",
                                     f"Household {number} belongs to {household.area.code}, outside the target."))
            else:
                row.household = household
            continue
        area = row.person["area"]
        first = new_area.setdefault(number, (area, row.number))
        if first[0].pk != area.pk:
            errors.append(_error(row.number, "household", "household_area_mismatch",
                                 f"同一户号 {number} 的居住区域与第{first[1]}行不同。",
                                 f"Household {number} has a different residence than on row {first[1]}."))


def _sorted_errors(errors: list[dict]) -> list[dict]:
    order = {header: i for i, header in enumerate(COLUMNS.values())}
    return sorted(errors, key=lambda e: (e["row"] or 0, order.get(e["column"], len(order))))


def _validate(actor, data: bytes, target: Area, progress: _Progress) -> Report:
    columns, raw_rows = _read_sheet(data, target)
    progress.phase(RosterImport.Status.VALIDATING, len(raw_rows))
    tree = _AreaTree(target)
    errors: list[dict] = []
    rows: list[_Row] = []
    for done, (number, values) in enumerate(raw_rows, start=1):
        row = _parse_row(number, values, columns, tree, errors)
        if row is not None:
            rows.append(row)
        progress.step(done)
    _check_duplicates(rows, errors)
    _check_households(actor, target, rows, errors)
    if not raw_rows:
        errors.append(_error(None, None, "empty", "花名册中没有人员。", "The roster lists nobody."))
    errors = _sorted_errors(errors)
    return Report(total=len(raw_rows), errors=errors[:MAX_REPORTED_ERRORS], error_count=len(errors),
                  job=progress.job, rows=rows)


def validate(file, target_area: Area, actor) -> Report:
    """Check every row of a roster for import into `target_area` (a street or a community); write nothing.

    Raises PermissionDenied without IMPORT_PEOPLE and EDIT_PEOPLE on the target, and ValidationFailed for
    a file that cannot be a roster (codes `file_too_large`, `not_xlsx`, `too_many_rows`,
    `missing_columns`, `duplicate_columns`, `bad_target`, `area_closed`). Row errors are in the Report.
    """
    _check_target(actor, target_area)
    return _validate(actor, _read_bytes(file), target_area, _Progress(None))


# Import -----------------------------------------------------------------------------------------------------

def start_import(actor, target_area: Area, *, file_name: str = "") -> RosterImport:
    """Record a queued import of a roster into `target_area`, for `run_import` to carry out.

    Raises PermissionDenied without IMPORT_PEOPLE and EDIT_PEOPLE there, ValidationFailed if the target
    is not an open street or community.
    """
    _check_target(actor, target_area)
    return RosterImport.objects.create(area=target_area, actor=actor, file_name=os.path.basename(file_name)[:255])


def _write(actor, report: Report, target: Area, progress: _Progress) -> int:
    """Write the validated rows in batches: the rows and their audit events go in with one insert each per
    batch (`record_events`), the same records `services.create_household` and `services.create_person`
    leave one by one. Validation has already done those services' checks for every row; a clash with a
    concurrent writer surfaces as an IntegrityError, which rolls the whole import back (run_import)."""
    households: dict[str, Household] = {}
    for row in report.rows:
        if row.household_number and row.household is None and row.household_number not in households:
            person = row.person
            households[row.household_number] = Household(number=row.household_number, area=person["area"],
                                                          unit=person["unit"], room=person["room"])
    created = Household.objects.bulk_create(list(households.values()))
    record_events(actor, "orgs.household_created", [(h, h.area, None, {"number": h.number}) for h in created])
    for start in range(0, len(report.rows), PROGRESS_EVERY):
        batch = report.rows[start:start + PROGRESS_EVERY]
        people = Person.objects.bulk_create([
            Person(**{**row.values, "household": row.household or households.get(row.household_number)})
            for row in batch])
        record_events(actor, "orgs.person_created",
                      [(person, person.area, None, services.audit_summary(row.values))
                       for person, row in zip(people, batch, strict=True)])
        progress.step(start + len(batch))
    record_event(actor, "orgs.roster_imported", report.job, area=target,
                 after={"created": len(report.rows), "households_created": len(households),
                        "file": report.job.file_name if report.job else ""})
    return len(report.rows)


def _clash(report: Report) -> tuple[_Row, DomainError]:
    """After a write lost a race: the first row whose ID number or new 户号 someone registered meanwhile."""
    taken_ids = set(Person.objects.filter(id_number__in=[r.values["id_number"] for r in report.rows])
                    .values_list("id_number", flat=True))
    taken_households = set(Household.objects.filter(
        number__in=[r.household_number for r in report.rows if r.household_number and r.household is None])
        .values_list("number", flat=True))
    for row in report.rows:
        if row.values["id_number"] in taken_ids:
            return row, Conflict("该公民身份号码已登记。", "This ID number is already registered.",
                                 code="duplicate_id_number", facts={"field": "id_number"})
        if row.household is None and row.household_number in taken_households:
            return row, Conflict(f"户号 {row.household_number} 已存在。",
                                 f"Household {row.household_number} already exists.", code="duplicate_household")
    return report.rows[0], Conflict("导入时与其他人的登记冲突，请重试。",
                                    "The import clashed with another registration; try again.", code="conflict")


def run_import(actor, file, target_area: Area, job: RosterImport | None = None) -> Report:
    """Import a roster into `target_area`, all or nothing.

    Every row is validated first; with any error nothing is written and the Report lists the errors.
    Otherwise every person (and every new 户号) is created with its audit event, in batches in one
    transaction (`_write`), followed by one "orgs.roster_imported" event. `job`, if given, must be queued; it
    follows the run through validating, importing and done or failed, with progress in the cache every
    PROGRESS_EVERY rows (see `import_progress`) and the outcome saved on the row.

    Raises what `validate` raises (the job then fails with that error) and IllegalTransition for a job
    that is not queued.
    """
    if job is not None and job.area_id != target_area.pk:
        raise ValueError(f"import job {job.pk} is for area {job.area_id}, not {target_area.pk}")
    progress = _Progress(job)
    progress.start()
    try:
        _check_target(actor, target_area)
        report = _validate(actor, _read_bytes(file), target_area, progress)
    except DomainError as exc:
        progress.finish(RosterImport.Status.FAILED, error_count=1,
                        errors=[_error(None, None, exc.code, exc.message, exc.message_en)])
        raise
    except Exception:
        progress.finish(RosterImport.Status.FAILED, error_count=1, errors=[_error(
            None, None, "internal_error", "导入时发生内部错误。", "The import failed with an internal error.")])
        raise
    if not report.ok:
        progress.finish(RosterImport.Status.FAILED, errors=report.errors, error_count=report.error_count)
        return report
    progress.phase(RosterImport.Status.IMPORTING, report.total)
    try:
        with transaction.atomic():
            report.created = _write(actor, report, target_area, progress)
    except IntegrityError:
        # Someone registered the same ID number or 户号 between validation and writing: nothing is kept.
        row, exc = _clash(report)
        key = exc.facts.get("field")
        key = "household" if exc.code == "duplicate_household" else key if key in _FIELD_COLUMN else None
        report.errors = [_error(row.number, key, exc.code, exc.message, exc.message_en)]
        report.error_count, report.created = 1, 0
        progress.finish(RosterImport.Status.FAILED, errors=report.errors, error_count=1)
        return report
    except Exception:
        progress.finish(RosterImport.Status.FAILED, error_count=1, errors=[_error(
            None, None, "internal_error", "导入时发生内部错误。", "The import failed with an internal error.")])
        raise
    progress.finish(RosterImport.Status.DONE, created=report.created)
    return report


# Export -----------------------------------------------------------------------------------------------------

def _text_cell(sheet, value: str, font: Font | None = None) -> WriteOnlyCell:
    """A cell that stays text: Excel shows it as typed ("@"), and a value opening with "=" is not a formula."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.number_format = "@"
    if font is not None:
        cell.font = font
    return cell


_WIDTHS = {"name": 10, "gender": 6, "id_number": 22, "phone": 15, "political_status": 12, "community": 14,
           "grid": 12, "building": 10, "unit": 6, "room": 8, "household": 14, "household_relation": 10}


def export(actor, area: Area) -> bytes:
    """The roster of `area` and everything below it as an .xlsx workbook (the columns of COLUMNS).

    Lists the residents `actor` may see; ID numbers, phones, unit, room and 户号 are shown in full only
    where `scope.can_see_personal_data` allows, masked (or left blank) elsewhere. Streams: a write-only
    workbook fed by an iterator, with a constant number of queries whatever the roster's size.
    Raises PermissionDenied without EXPORT_PEOPLE on `area`.
    """
    if not scope.has_perm(actor, Perm.EXPORT_PEOPLE, area):
        raise PermissionDenied(f"您在「{area}」没有「{Perm.EXPORT_PEOPLE.label}」权限。",
                               f"You lack the '{Perm.EXPORT_PEOPLE}' permission on {area.code}.",
                               facts={"permission": str(Perm.EXPORT_PEOPLE), "area": area.code})
    names: dict[int, tuple[str, str]] = {
        pk: (level, name) for pk, level, name in Area.objects.filter(path__startswith=area.path)
        .values_list("pk", "level", "name")}
    names.update({pk: (level, name) for pk, level, name in Area.objects.filter(pk__in=area.ancestor_ids)
                  .values_list("pk", "level", "name")})
    people = (Person.objects.visible_to(actor).filter(area__path__startswith=area.path)
              .select_related("area", "household").order_by("area__path", "unit", "room", "pk"))

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    for index, key in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS[key]
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_text_cell(sheet, header, bold) for header in COLUMNS.values()])
    for person in people.iterator(chunk_size=2000):
        full = scope.can_see_personal_data(actor, person)
        where = {level: name for level, name in (names.get(pk, ("", "")) for pk in person.area.ancestor_ids)}
        row = {
            "name": person.name,
            "gender": _GENDER_LABELS.get(person.gender, ""),
            "id_number": person.id_number if full else mask_id_number(person.id_number),
            "phone": person.phone if full else mask_phone(person.phone),
            "political_status": _POLITICAL_LABELS.get(person.political_status, ""),
            "community": where.get(Area.Level.COMMUNITY, ""),
            "grid": where.get(Area.Level.GRID, ""),
            "building": where.get(Area.Level.BUILDING, ""),
            # An address is personal data too (ARCHITECTURE §5): shown as the people API shows it.
            "unit": person.unit if full else MASKED_ROOM,
            "room": person.room if full else MASKED_ROOM,
            "household": person.household.number if full and person.household_id else "",
            "household_relation": person.household_relation if full else "",
        }
        sheet.append([_text_cell(sheet, row[key]) for key in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
