"""What the API and the screens show of office records: plain dicts, personal data masked outside the owning
scope (ARCHITECTURE §5), and the Excel sheets (attendance, petition ledger)."""

from __future__ import annotations

import calendar
import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.core.masking import mask_address, mask_id_number, mask_name, mask_phone

from .models import LeaveRequest, Petition, Post


def _person(p) -> dict | None:
    return {"id": p.pk, "name": p.name} if p is not None else None


def leave_summary(leave: LeaveRequest) -> dict:
    return {"id": leave.pk, "person": _person(leave.person), "rank": leave.rank, "start_on": leave.start_on,
            "days": float(leave.days), "end_on": leave.end_on, "return_due_on": leave.return_due_on,
            "status": leave.status, "route": leave.route, "rule": leave.rule_id}


def leave_detail(leave: LeaveRequest, today: datetime.date | None = None) -> dict:
    today = today or datetime.date.today()
    return {
        **leave_summary(leave),
        "area": {"id": leave.area_id, "name": leave.area.name},
        "reason": leave.reason, "rulebook_version": leave.rulebook_version, "written": leave.written,
        "file_with_office": leave.file_with_office, "filed_at": leave.filed_at, "returned_on": leave.returned_on,
        "overdue_return": leave.is_overdue_return(today),
        "returned_late": bool(leave.returned_on and leave.returned_on > leave.return_due_on),
        "approvals": [{"position": a.position, "post": a.post, "decision": a.decision,
                       "approver": _person(a.approver), "note": a.note, "decided_at": a.decided_at}
                      for a in leave.approvals.all()],
    }


def can_see_personal(user, petition: Petition) -> bool:
    return scope.has_perm(user, Perm.VIEW_PERSONAL_DATA, petition.area)


def petitioner(petition: Petition, user) -> dict:
    if can_see_personal(user, petition):
        return {"name": petition.petitioner_name, "phone": petition.petitioner_phone,
                "id_number": petition.petitioner_id_number, "address": petition.petitioner_address,
                "masked": False}
    return {"name": mask_name(petition.petitioner_name), "phone": mask_phone(petition.petitioner_phone),
            "id_number": mask_id_number(petition.petitioner_id_number) if petition.petitioner_id_number else "",
            "address": mask_address(petition.petitioner_address), "masked": True}


def petition_summary(petition: Petition, user, today: datetime.date | None = None) -> dict:
    today = today or datetime.date.today()
    return {"id": petition.pk, "tracking_number": petition.tracking_number, "kind": petition.kind,
            "channel": petition.channel, "status": petition.status, "received_on": petition.received_on,
            "petitioner": petitioner(petition, user), "due_on": petition.due_on,
            "overdue": petition.overdue_stages(today) if petition.status in Petition.OPEN else []}


def petition_detail(petition: Petition, user, today: datetime.date | None = None) -> dict:
    return {
        **petition_summary(petition, user, today),
        "area": {"id": petition.area_id, "name": petition.area.name},
        "issue": petition.issue, "request": petition.request, "headcount": petition.headcount,
        "first_receiver": _person(petition.first_receiver), "owner": _person(petition.owner),
        "instruction_post": petition.instruction_post, "instructed_by": _person(petition.instructed_by),
        "instruction": petition.instruction, "instructed_on": petition.instructed_on,
        "assigned_section": petition.assigned_section, "handler": _person(petition.handler),
        "case_leader": _person(petition.case_leader), "case_obligations": petition.case_obligations,
        "outcome": petition.outcome, "result": petition.result, "concluded_on": petition.concluded_on,
        "reply": petition.reply, "reply_channel": petition.reply_channel, "replied_on": petition.replied_on,
        "satisfaction": petition.satisfaction, "upper_due_on": petition.upper_due_on,
        "rulebook_version": petition.rulebook_version,
    }


def _sheet(title: str, header: list[str], rows: list[list], widths: list[int]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheet.append(row)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def petition_ledger(petitions, user) -> bytes:
    """来信来访登记台帐 (A-VISIT-03/12) as .xlsx, masked like the screens."""
    header = ["信访编号", "日期", "方式", "类别", "来信来访人", "联系电话", "反映的主要问题", "要求", "第一接待人",
              "阅批期限", "阅批日期", "承办科室", "包案领导", "处结期限", "处结日期", "办理结果",
              "答复日期", "满意度", "状态"]
    rows = []
    for p in petitions:
        who = petitioner(p, user)
        rows.append([p.tracking_number, p.received_on.isoformat(), p.get_channel_display(), p.get_kind_display(),
                     who["name"], who["phone"], p.issue, p.request, p.first_receiver.name if p.first_receiver else "",
                     p.instruction_due_on.isoformat(), p.instructed_on.isoformat() if p.instructed_on else "",
                     p.get_assigned_section_display(), p.case_leader.name if p.case_leader else "",
                     p.conclusion_due_on.isoformat(), p.concluded_on.isoformat() if p.concluded_on else "",
                     p.get_outcome_display(), p.replied_on.isoformat() if p.replied_on else "",
                     p.get_satisfaction_display(), p.get_status_display()])
    return _sheet("来信来访登记台帐", header, rows, [22, 12, 8, 16, 12, 14, 40, 30, 10, 12, 12, 14, 10, 12, 12, 12, 12,
                                              10, 10])


def attendance_sheet(people_posts, leaves, year: int, month: int) -> bytes:
    """The monthly attendance sheet (考勤表): one row per staff member, one column per day; 假 on approved leave,
    未批 while unapproved, 逾 for days past the return due date without 销假."""
    days = calendar.monthrange(year, month)[1]
    header = ["姓名", "岗位"] + [str(d) for d in range(1, days + 1)] + ["请假天数"]
    by_person: dict[int, list[LeaveRequest]] = {}
    for leave in leaves:
        by_person.setdefault(leave.person_id, []).append(leave)
    rows, seen = [], set()
    for post in people_posts:
        if post.person_id in seen:
            continue
        seen.add(post.person_id)
        marks = []
        total = 0
        for d in range(1, days + 1):
            day = datetime.date(year, month, d)
            mark = ""
            for leave in by_person.get(post.person_id, []):
                if leave.start_on <= day <= leave.end_on and leave.status in (*LeaveRequest.OPEN,
                                                                              LeaveRequest.Status.RETURNED):
                    mark = "假"
                elif leave.start_on <= day <= leave.end_on and leave.status == LeaveRequest.Status.SUBMITTED:
                    mark = "未批"
                elif (leave.status in LeaveRequest.OPEN and leave.return_due_on < day
                      and day <= datetime.date.today()):
                    mark = "逾"
            total += mark == "假"
            marks.append(mark)
        rows.append([post.person.name, str(Post(post.post).label)] + marks + [total])
    return _sheet(f"{year}年{month}月考勤表", header, rows, [10, 16] + [4] * days + [8])
