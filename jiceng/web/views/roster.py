"""Residents rosters (花名册) in the staff UI: the import page with its progress bar, the blank template and
the export. Thin, like jiceng/api/roster.py: find what the user may see (404 otherwise), call
jiceng.orgs.roster, render.

An import takes two requests, which static/web/roster.js fires one after the other: `import_page` records
the job from the area and the file's name and returns a fragment whose progress bar htmx polls
(`import_progress`); `import_run` then receives the file and carries the import out, which may take a
while for a large roster. Without JavaScript the form posts the file itself and the import runs at once.
"""

from __future__ import annotations

import datetime
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.core.errors import DomainError
from jiceng.orgs import roster
from jiceng.orgs.models import Area, RosterImport

from ..forms import RosterImportForm
from .common import visible_or_404

# What the import page says about each column of roster.COLUMNS (the headers themselves stay Chinese:
# they are what the workbook must say, whatever the UI language).
COLUMN_NOTES = {
    "name": _("居民的姓名。"),
    "gender": _("“男”或“女”；可不填，按公民身份号码确定。"),
    "id_number": _("18位，末位可为X。请把该列设为文本格式，否则Excel会把末尾几位变成0。"),
    "phone": _("手机或固定电话。"),
    "political_status": _("如“中共党员”“共青团员”“群众”；不填按群众登记。"),
    "community": _("社区名称。导入到街道时必填；导入到社区时可不填。"),
    "grid": _("网格名称，如“第一网格”。"),
    "building": _("楼栋名称，如“1号楼”；网格不填时在整个社区中查找。"),
    "unit": _("单元号。"),
    "room": _("房号。"),
    "household": _("户号。户号相同的人员登记为同一户；系统中还没有的户号会新建。"),
    "household_relation": _("与户主的关系，如“户主”“配偶”“子女”。"),
}
REQUIRED = {"name", "id_number"}
FINISHED = {RosterImport.Status.DONE, RosterImport.Status.FAILED}
# A job still unfinished this long after it was recorded is taken for lost (its run request never came, or
# its worker died): the progress bar stops polling, so a forgotten tab does not keep the session alive.
POLL_AT_MOST = datetime.timedelta(minutes=30)


def _importable(user):
    """Open streets and communities where `user` may import a roster (which also needs EDIT_PEOPLE)."""
    return (Area.objects.active(scope.today())
            .filter(scope.area_q(user, "path", Perm.IMPORT_PEOPLE), scope.area_q(user, "path", Perm.EDIT_PEOPLE),
                    level__in=(Area.Level.STREET, Area.Level.COMMUNITY))
            .order_by("path"))


def can_import_somewhere(user) -> bool:
    """Whether the people page offers the import (no query beyond the user's cached grants)."""
    return (user.is_superuser and user.is_active) or bool(scope.paths(user, Perm.IMPORT_PEOPLE))


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _progress(job: RosterImport) -> dict:
    state = roster.import_progress(job)
    finished = state["status"] in FINISHED
    return state | {
        "status_label": RosterImport.Status(state["status"]).label,
        "finished": finished,
        "lost": not finished and timezone.now() - job.created_at > POLL_AT_MOST,
    }


def _outcome(user, job: RosterImport, file) -> dict:
    """Run the import of `file` for `job`; what the outcome fragment shows, and its HTTP status."""
    try:
        report = roster.run_import(user, file, job.area, job)
    except DomainError as exc:
        return {"message": exc.localized(get_language()), "status": exc.status}
    key = "message_en" if _english() else "message"
    errors = [{"row": e["row"], "column": e["column"], "message": e[key]} for e in report.errors]
    return {"created": report.created, "errors": errors, "error_count": report.error_count,
            "status": 200 if report.ok else 422}


def _page(request, form, *, job=None, outcome=None, status=200):
    return render(request, "web/roster_import.html", {
        "form": form, "job": job, "outcome": outcome,
        "progress": _progress(job) if job else None,
        "columns": [{"header": header, "note": COLUMN_NOTES.get(key, ""), "required": key in REQUIRED}
                    for key, header in roster.COLUMNS.items()],
        "max_mb": roster.MAX_BYTES // (1024 * 1024), "max_rows": roster.MAX_ROWS,
    }, status=status)


def _start(request, form) -> tuple[RosterImport | None, int]:
    """Record the import job the form asks for; or put the refusal on the form, with its HTTP status."""
    if not form.is_valid():
        return None, 400
    target = visible_or_404(Area, request.user, form.cleaned_data["area"])
    upload = form.cleaned_data["file"]
    try:
        job = roster.start_import(request.user, target,
                                  file_name=upload.name if upload else form.cleaned_data["file_name"])
    except DomainError as exc:
        form.add_error("area", exc.localized(get_language()))
        return None, exc.status
    return job, 200


@login_required
def import_page(request):
    areas = list(_importable(request.user))
    if not areas:
        return render(request, "web/roster_import.html", {"forbidden": True}, status=403)
    if request.method != "POST":
        return _page(request, RosterImportForm(areas=areas))
    partial = request.headers.get("HX-Request") == "true"
    form = RosterImportForm(request.POST, request.FILES, areas=areas, file_later=partial)
    job, status = _start(request, form)
    if partial:
        if job is None:
            return render(request, "web/_roster_refused.html", {"form": form}, status=status)
        return render(request, "web/_roster_job.html", {"job": job, "progress": _progress(job)})
    if job is None:
        return _page(request, form, status=status)
    # Without JavaScript the file came with the form: import it now and show the outcome on the page.
    outcome = _outcome(request.user, job, form.cleaned_data["file"])
    return _page(request, form, job=job, outcome=outcome, status=outcome["status"])


@require_POST
@login_required
def import_run(request, job: int):
    job = visible_or_404(RosterImport, request.user, job)
    if job.actor_id != request.user.pk:
        raise Http404  # another user's upload: theirs to send
    upload = request.FILES.get("file")
    if upload is None:
        outcome = {"message": _("请选择要导入的花名册文件。"), "status": 400}
    else:
        outcome = _outcome(request.user, job, upload)
    return render(request, "web/_roster_outcome.html", {"job": job, "outcome": outcome}, status=outcome["status"])


@login_required
def import_progress(request, job: int):
    job = visible_or_404(RosterImport, request.user, job)
    return render(request, "web/_roster_progress.html", {"job": job, "progress": _progress(job)})


@login_required
def import_template(request):
    """A blank roster: the header row, every column typed as text (ID numbers keep all 18 digits)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append(list(roster.COLUMNS.values()))
    for index, key in enumerate(roster.COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].number_format = "@"
        sheet.column_dimensions[letter].width = 22 if key == "id_number" else 12
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet[f"{letter}1"].number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _xlsx(buffer.getvalue(), "花名册模板.xlsx")


@login_required
def export(request):
    target = visible_or_404(Area, request.user, request.GET.get("area"))
    try:
        workbook = roster.export(request.user, target)
    except DomainError as exc:
        raise PermissionDenied(exc.localized(get_language())) from None
    return _xlsx(workbook, f"{target.name}花名册-{scope.today():%Y%m%d}.xlsx")


def _xlsx(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=roster.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response
