"""The seven work ledgers of the 综治 centre (A-LEDG-01, E-LEDGER-ST) and each member unit's view of them
(A-LEDG-04): not tables of their own but views over the records, each row traceable to its source:

- 矛盾纠纷排查调处: every case and every screening round (a "nothing found" round included);
- 社会治安状况, 城管难乱点排查整治, 信访稳定问题治理: the cases and unregistered findings whose category feeds that
  ledger (rules.zongzhi.CATEGORIES), the 包案 items of the matching kind, and manual entries;
- 刑释解教人员安置帮教, 平安创建, 考核奖惩: manual entries.

`rows()` gives the ledger for an area (street or community) and a date range; `workbook()` the Excel export: a title
row, the period and unit, the columns of rules.zongzhi.LEDGER, one row per entry, and the count.
"""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from jiceng.rules import zongzhi as r

CASE_KIND_LEDGER = {"urban_hotspot": "urban_hotspot_remediation", "petition": "petition_stability",
                    "destabilising": "petition_stability", "safety": "public_security_status"}


def _categories(ledger: str) -> list[str]:
    return [code for code, (_label, _unit, feeds) in r.CATEGORIES.items() if feeds == ledger]


def _dispute_row(d) -> dict:
    handling = d.result or (d.requirements if d.assigned_at else "")
    return {"ref": d.register_no, "date": timezone.localdate(d.registered_at), "community": d.area.name,
            "title": d.title, "category": r.label(r.CATEGORIES, d.category), "level": r.label(r.LEVELS, d.level),
            "unit": d.responsible_unit, "person": d.mediator.name if d.mediator else d.responsible_person,
            "handling": handling, "result": d.get_outcome_display() if d.outcome else d.get_status_display(),
            "source": d.get_source_display(), "link": f"/zongzhi/disputes/{d.pk}/"}


def rows(area, ledger: str, start: datetime.date, end: datetime.date) -> list[dict]:
    """The ledger's entries in [start, end], oldest first, with a running number."""
    from .models import CaseItem, Dispute, Finding, LedgerEntry, Round

    r.LEDGER.decide(r.LEDGER.params, kind=ledger)
    under = {"area__path__startswith": area.path}
    found: list[dict] = []
    disputes = (Dispute.objects.filter(**under, registered_at__date__gte=start, registered_at__date__lte=end)
                .select_related("area", "mediator"))
    if ledger == "dispute_screening_mediation":
        found += [_dispute_row(d) for d in disputes]
        rounds = (Round.objects.filter(**under, held_on__gte=start, held_on__lte=end)
                  .select_related("area", "conducted_by")
                  .prefetch_related("findings"))
        for rd in rounds:
            items = list(rd.findings.all())
            cadence = r.period_of("week" if rd.area.level == "community" else "month", rd.period_start)
            found.append({"ref": "", "date": rd.held_on, "community": rd.area.name,
                          "title": f"{rd.get_kind_display()}（{cadence.label}）",
                          "category": "", "level": "", "unit": rd.area.name,
                          "person": rd.conducted_by.get_username(),
                          "handling": "；".join(f.description for f in items) or "未排查出矛盾纠纷和问题隐患",
                          "result": f"排查出{len(items)}件" if items else "无", "source": "排查",
                          "link": f"/zongzhi/screening/{rd.pk}/"})
    else:
        categories = _categories(ledger)
        if categories:
            found += [_dispute_row(d) for d in disputes.filter(category__in=categories)]
            findings = (Finding.objects.filter(round__area__path__startswith=area.path, category__in=categories,
                                               round__held_on__gte=start, round__held_on__lte=end,
                                               dispute__isnull=True).select_related("round__area"))
            found += [{"ref": "", "date": f.round.held_on, "community": f.round.area.name, "title": f.description,
                       "category": r.label(r.CATEGORIES, f.category), "level": r.label(r.LEVELS, f.level),
                       "unit": r.CATEGORIES[f.category][1], "person": "", "handling": f.location,
                       "result": "排查发现", "source": "排查", "link": f"/zongzhi/screening/{f.round_id}/"}
                      for f in findings]
        kinds = [k for k, feeds in CASE_KIND_LEDGER.items() if feeds == ledger]
        if kinds:
            items = (CaseItem.objects.filter(**under, kind__in=kinds, last_progress_on__gte=start)
                     .select_related("area", "leader"))
            found += [{"ref": "", "date": c.last_progress_on, "community": c.area.name, "title": c.title,
                       "category": r.CASE_KINDS[c.kind], "level": "", "unit": "", "person": c.leader.name,
                       "handling": c.progress,
                       "result": "已化解" if c.done else "包案中", "source": "领导包案", "link": ""}
                      for c in items if c.last_progress_on <= end]
    entries = LedgerEntry.objects.filter(**under, ledger=ledger, occurred_on__gte=start, occurred_on__lte=end)
    found += [{"ref": "", "date": e.occurred_on, "community": e.area.name, "title": e.title, "category": "",
               "level": "", "unit": "", "person": e.recorded_by.get_username(), "handling": e.content, "result": "",
               "source": "台帐登记", "link": ""} for e in entries.select_related("area", "recorded_by")]
    found.sort(key=lambda row: (row["date"], row["ref"]))
    for number, row in enumerate(found, start=1):
        row["number"] = number
    return found


FIELDS = ("number", "ref", "date", "community", "title", "category", "level", "unit", "person", "handling", "result",
          "source")


def workbook(area, ledger: str, start: datetime.date, end: datetime.date) -> bytes:
    """The ledger as .xlsx: title, unit and period, the columns, the rows, and the count."""
    entries = rows(area, ledger, start, end)
    columns = r.LEDGER.params.columns
    book = Workbook()
    sheet = book.active
    sheet.title = r.LEDGERS[ledger][:31]
    sheet.append([f"{area.name}{r.LEDGERS[ledger]}工作台帐"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet["A1"].font = Font(name="黑体", size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([f"单位：{area.name}　　期间：{start:%Y年%-m月%-d日}至{end:%Y年%-m月%-d日}"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))
    sheet.append(list(columns))
    thin = Side(style="thin")
    for cell in sheet[3]:
        cell.font = Font(name="黑体", bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in entries:
        sheet.append([row[f] if f != "date" else row["date"].isoformat() for f in FIELDS])
    sheet.append([f"合计：{len(entries)}条"])
    for line in sheet.iter_rows(min_row=3, max_row=3 + len(entries)):
        for cell in line:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if cell.row > 3:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    for index, width in enumerate((6, 26, 12, 12, 30, 14, 10, 14, 10, 36, 12, 10), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_workbook(area, title: str, figures: dict, cases: list[dict]) -> bytes:
    """The monthly/quarterly statistics form and the 个案登记表 as two sheets (A-ZZ-27)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "统计表"
    sheet.append([title])
    sheet["A1"].font = Font(name="黑体", size=16, bold=True)
    sheet.append(["项目", "数量"])
    for label, value in figure_lines(figures):
        sheet.append([label, value])
    cases_sheet = book.create_sheet("个案登记表")
    cases_sheet.append(["序号", "登记编号", "登记日期", "社区", "纠纷事项", "类别", "等级", "责任单位", "调解人员",
                        "状态", "结果", "办结时限"])
    for number, c in enumerate(cases, start=1):
        cases_sheet.append([number, c["register_no"], c["registered_on"].isoformat(), c["community"], c["title"],
                            c["category"], c["level"], c["unit"], c["mediator"], c["status"], c["outcome"],
                            c["due"].isoformat()])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def figure_lines(figures: dict) -> list[tuple[str, object]]:
    lines = [("受理矛盾纠纷（件）", figures["registered"])]
    lines += [(f"　其中：{r.label(r.LEVELS, code)}", n) for code, n in figures["by_level"].items()]
    lines += [(f"　{r.label(r.CATEGORIES, code)}", n) for code, n in figures["by_category"].items() if n]
    lines += [("调解成功（件）", figures["resolved"]), ("调解不成（件）", figures["failed"]),
              ("正在调处（件）", figures["in_progress"]), ("上报（件）", figures["escalated"]),
              ("逾期（件）", figures["overdue"]), ("已回访（件）", figures["followed_up"]),
              ("调处成功率", figures["success_rate"]), ("排查次数", figures["screening_rounds"]),
              ("排查发现问题（个）", figures["screening_findings"])]
    return lines
