"""Excel workbooks branches hand upward: the democratic evaluation's results (民主评议党员情况汇总表) and the year's
三会一课 and participation (党员参加组织生活情况统计表). Both open with a title row and the organisation and year, as
the paper forms do, then one row per member."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from jiceng.rules import orglife as r

from .models import EvaluationRound
from .participation import YearReport

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet_header(ws, title: str, subtitle: str, columns: list[str]) -> None:
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([subtitle])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))
    ws.append(columns)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for i, name in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, len(name) * 2 + 2)


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def evaluation_workbook(rnd: EvaluationRound) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "民主评议结果"
    columns = ["序号", "姓名", "党员类别", "是否参评", "外出党员", "自评", "互评", "群众评议", "组织评议",
               "支部建议格次",
               "街道党工委审定格次", "表彰/处置", "备注"]
    _sheet_header(ws, f"{rnd.year}年度民主评议党员情况汇总表",
                  f"党组织：{rnd.party_org.name}    评议日期：{rnd.evaluated_on}    上级派员：{rnd.envoy_name or '—'}",
                  columns)
    evaluations = rnd.evaluations.select_related("person").prefetch_related("decisions")
    for n, e in enumerate(evaluations, start=1):
        done = set(e.modes_done)
        decisions = "；".join(
            "表彰" if d.kind == "commendation" else f"处置：{r.MEASURE_LABELS[d.measure][0]}"
            for d in e.decisions.all())
        ws.append([n, e.person.name, "预备党员" if e.probationary else "正式党员", "是" if e.participated else "否",
                   "是" if e.outgoing else "否", *["✓" if m in done else "" for m in r.MODE_LABELS],
                   r.GRADE_LABELS.get(e.proposed_grade, ("",))[0], r.GRADE_LABELS.get(e.grade, ("",))[0], decisions,
                   e.approval_note])
    ws.append([])
    ws.append(["应参评人数", rnd.base_count, "实际参评人数", rnd.participant_count, "参评率",
               f"{rnd.participant_count * 100 // rnd.base_count}%" if rnd.base_count else "—"])
    for code, (zh, _en) in r.GRADE_LABELS.items():
        count = sum(1 for e in evaluations if e.grade == code)
        ws.append([zh, count])
    ws.append(["工作小结", rnd.summary])
    ws.append(["整改措施", rnd.rectification])
    return _bytes(wb)


def participation_workbook(report: YearReport) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "三会一课"
    columns = ["会议类型", "依据", "周期", *[f"第{i}期" for i in range(1, 13)], "未完成期数"]
    _sheet_header(ws, f"{report.year}年度三会一课及组织生活落实情况", f"党组织：{report.party_org.name}", columns)
    for d in report.duties:
        ws.append([d.label, d.rule_id, d.period, *[f"{p.held}/{p.required} {p.state_label}" for p in d.periods],
                   *[""] * (12 - len(d.periods)), d.missed])
    topics = wb.create_sheet("会议议题")
    _sheet_header(topics, f"{report.year}年度组织生活议题", f"党组织：{report.party_org.name}",
                  ["会议类型", "日期", "会议", "议题"])
    for d in report.duties:
        for on, title, items in d.topics:
            topics.append([d.label, on.isoformat(), title, "；".join(items)])
    people = wb.create_sheet("党员参加情况")
    kind_columns = [label for _kind, label in report.kinds]
    _sheet_header(people, f"{report.year}年度党员参加组织生活情况统计表", f"党组织：{report.party_org.name}",
                  ["序号", "姓名", *[f"{label}（出席/应到）" for label in kind_columns], "请假", "收看电教片",
                   "出席率"])
    for n, m in enumerate(report.members, start=1):
        cells = []
        leave = 0
        for kind, _label in report.kinds:
            cell = m.by_kind.get(kind, {"present": 0, "expected": 0, "leave": 0})
            cells.append(f"{cell['present']}/{cell['expected']}")
            leave += cell.get("leave", 0)
        people.append([n, m.name, *cells, leave, m.screenings, m.rate])
    return _bytes(wb)
