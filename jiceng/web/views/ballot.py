"""Anonymous ballots on paper and phone (R-EVAL-10). The secretary prints slips, each with a code and a
QR code; a participant types the code on ballot/ (or scans the QR code to ballot/<code>/), answers on the
phone and sees a receipt. Voting needs no login; the code travels in POST bodies, and the one URL that
carries it (from the QR code) is masked in logs (jiceng.core.masking)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from jiceng.core.errors import DomainError
from jiceng.meetings import ballots
from jiceng.meetings.models import Meeting

from .common import visible_or_404

_NOT_ANSWERS = {"csrfmiddlewaretoken", "code", "cast"}


def _english(request) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "") or "").startswith("en")


def _lines(request, lines, chosen: dict[str, str]) -> list[dict]:
    en = _english(request)
    return [{"key": line.key, "label": line.label_en if en else line.label,
             "choices": [{"value": c.value, "label": c.label_en if en else c.label,
                          "checked": chosen.get(line.key) == c.value} for c in line.choices]}
            for line in lines]


def _enter(request, error: DomainError | None = None):
    status = error.status if error else 200
    context = {"error": error.localized(request.LANGUAGE_CODE) if error else ""}
    return render(request, "web/ballot/enter.html", context, status=status)


def _form(request, code: str, *, chosen: dict[str, str] | None = None, error: DomainError | None = None):
    try:
        ballot = ballots.ballot_for_code(code)
    except DomainError as exc:
        return _enter(request, exc)
    meeting = ballot["meeting"]
    context = {"meeting": meeting, "code": ballot["code"], "cast": ballot["cast"],
               "lines": _lines(request, ballot["lines"], chosen or {}),
               "error": error.localized(request.LANGUAGE_CODE) if error else ""}
    return render(request, "web/ballot/form.html", context, status=error.status if error else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def ballot(request):
    """Type the code (GET); see the form (POST with the code); cast (POST with the code and the answers)."""
    if request.method == "GET":
        return _enter(request)
    code = request.POST.get("code", "")
    if not request.POST.get("cast"):
        return _form(request, code)
    answers = {key: value for key, value in request.POST.items() if key not in _NOT_ANSWERS}
    try:
        cast = ballots.cast_ballot(code, answers)
    except DomainError as exc:
        return _form(request, code, chosen=answers, error=exc)
    return render(request, "web/ballot/receipt.html", {"receipt": cast["receipt"]})


@never_cache
@require_GET
def ballot_code(request, code: str):
    """Arrived from the QR code on a slip: the form straight away."""
    return _form(request, code)


def _absolute(request, path: str) -> str:
    return (settings.JICENG_SITE_URL or request.build_absolute_uri("/").rstrip("/")) + path


def _qr_svg(request, code: str) -> str:
    url = _absolute(request, reverse("web:ballot_code", args=[code]))
    # segno writes the SVG itself from the URL's bits: no user text reaches the markup.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, border=2))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ballot_slips(request, pk: int):
    """Issue codes (POST) and show them once, as printable slips with a QR code each."""
    meeting = visible_or_404(Meeting, request.user, pk)
    slips, error, status, issued_now = [], "", 200, False
    if request.method == "POST":
        try:
            codes = ballots.issue_ballots(request.user, meeting)
        except DomainError as exc:
            error, status = exc.localized(request.LANGUAGE_CODE), exc.status
        else:
            issued_now = True
            slips = [{"code": ballots.format_code(c), "qr": _qr_svg(request, c)} for c in codes]
    context = {"meeting": meeting, "slips": slips, "error": error, "issued_now": issued_now,
               "counts": ballots.issue_status(meeting), "ballot_url": _absolute(request, reverse("web:ballot"))}
    return render(request, "web/ballot/slips.html", context, status=status)
