"""Meeting minutes in the staff UI: read, draft from the record, edit while draft (htmx save), sign off,
print and download as .docx. Thin, like jiceng/api/minutes.py: find the meeting the user may see (404
otherwise), call jiceng.meetings.minutes, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.core.errors import DomainError
from jiceng.meetings import minutes as service
from jiceng.meetings.models import Kind, Meeting, Minutes

from .common import visible_or_404


def _meeting(request, pk: int) -> Meeting:
    return visible_or_404(Meeting, request.user, pk)


def _minutes_of(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.select_related("signed_by__account__person").filter(meeting=meeting).first()


def _context(request, meeting: Meeting, minutes: Minutes | None, **extra) -> dict:
    return {"meeting": meeting, "minutes": minutes, "signature": minutes and service.signature(minutes),
            "may_run": scope.has_perm(request.user, Perm.RUN_MEETINGS, meeting.body.area),
            "missing_parts": (service.missing_hearing_parts(minutes.text)
                              if minutes is not None and meeting.kind == Kind.HEARING else []), **extra}


def _htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def minutes(request, pk: int):
    meeting = _meeting(request, pk)
    return render(request, "web/meetings/minutes.html", _context(request, meeting, _minutes_of(meeting)))


@require_POST
@login_required
def minutes_generate(request, pk: int):
    meeting = _meeting(request, pk)
    try:
        service.generate_minutes(request.user, meeting)
        messages.success(request, _("已根据会议记录生成纪要草稿。"))
    except DomainError as exc:
        messages.error(request, exc.localized(get_language()))
    return redirect("web:meeting_minutes", pk=meeting.pk)


@require_POST
@login_required
def minutes_save(request, pk: int):
    """Save the text; htmx gets the panel back (with the refusal in it), a plain form post a redirect."""
    meeting = _meeting(request, pk)
    record = _minutes_of(meeting)
    if record is None:
        raise Http404
    error, saved = "", False
    try:
        record = service.edit_minutes(request.user, record, request.POST.get("text", ""))
        saved = True
    except DomainError as exc:
        error = exc.localized(get_language())
    if _htmx(request):
        record = _minutes_of(meeting)
        context = _context(request, meeting, record, error=error, saved=saved,
                           text=record.text if saved else request.POST.get("text", ""))
        return render(request, "web/meetings/_minutes_panel.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("纪要已保存。"))
    return redirect("web:meeting_minutes", pk=meeting.pk)


@require_POST
@login_required
def minutes_sign(request, pk: int):
    meeting = _meeting(request, pk)
    record = _minutes_of(meeting)
    if record is None:
        raise Http404
    try:
        service.sign_minutes(request.user, record)
        messages.success(request, _("纪要已签发，内容已冻结。"))
    except DomainError as exc:
        messages.error(request, exc.localized(get_language()))
    return redirect("web:meeting_minutes", pk=meeting.pk)


@login_required
def minutes_print(request, pk: int):
    record = _minutes_of(_meeting(request, pk))
    if record is None:
        raise Http404
    return HttpResponse(service.render_minutes_html(record))


@login_required
def minutes_docx(request, pk: int):
    record = _minutes_of(_meeting(request, pk))
    if record is None:
        raise Http404
    response = HttpResponse(service.render_minutes_docx(record), content_type=service.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"meeting-{pk}-minutes.docx")
    return response
