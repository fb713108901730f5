"""The public call for opinions of a matter (一征, ARCHITECTURE §7): the matter, the question, the deadline, the
counts by position and a form any resident can send without an account.

A form carries a fresh idempotency key from each render, so a double submit (or a retry over a weak link) counts
once; a hidden `website` field catches form-filling robots; every post is rate limited per client address before
the service is called. After the deadline (or once staff closed the call) the page says so and shows the summary.
No JavaScript; the page extends the public site's base template.
"""

from __future__ import annotations

import uuid

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jiceng.core.errors import DomainError, NotFound
from jiceng.core.throttle import client_key, throttle
from jiceng.decisions import services
from jiceng.decisions.models import Matter, Opinion, Solicitation
from jiceng.disclosure.public import public_community

from .public import SIZE_COOKIE

FIELDS = ("position", "text", "name", "building")
CALLS_LIMIT = 50


def _shell(request, template: str, context: dict, status: int = 200):
    context.setdefault("large_text", request.COOKIES.get(SIZE_COOKIE) == "large")
    return render(request, template, context, status=status)


def _community_or_404(community_id: int):
    try:
        return public_community(community_id)
    except NotFound:
        raise Http404 from None


def _call_or_404(matter_id: int) -> tuple[Matter, Solicitation]:
    matter = Matter.objects.filter(pk=matter_id).select_related("solicitation", "community").first()
    solicitation = getattr(matter, "solicitation", None) if matter is not None else None
    if solicitation is None:
        raise Http404
    _community_or_404(matter.community_id)  # a dissolved community's calls are gone with it
    return matter, solicitation


def _is_open(solicitation: Solicitation) -> bool:
    return solicitation.closed_at is None and solicitation.deadline >= timezone.localdate()


@require_http_methods(["GET", "POST"])
def opinion_page(request, matter_id: int):
    matter, solicitation = _call_or_404(matter_id)
    values = {name: "" for name in FIELDS}
    error, error_field, status = "", "", 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "").strip() for name in FIELDS}
        if not _is_open(solicitation):
            error, status = _("征求意见已截止，未能提交。"), 409
        elif request.POST.get("website"):
            error, status = _("提交未被接受。"), 400
        else:
            try:
                throttle(client_key(request))
                services.give_opinion(solicitation, position=values["position"], text=values["text"],
                                      name=values["name"], building=values["building"],
                                      idempotency_key=request.POST.get("key", ""))
            except DomainError as exc:
                error, status = exc.localized(get_language()), exc.status
                error_field = exc.facts.get("field", "") if isinstance(exc.facts, dict) else ""
            else:
                return redirect(reverse("web:public_matter", args=[matter.pk]) + "?sent=1#result")
    counts = services.opinion_counts(solicitation)
    return _shell(request, "web/public_matters/opinion.html", {
        "community": matter.community, "matter": matter, "solicitation": solicitation, "open": _is_open(solicitation),
        "counts": [(value, label, counts.get(value, 0)) for value, label in Opinion.Position.choices],
        "total": sum(counts.values()), "positions": Opinion.Position.choices, "values": values, "error": error,
        "error_field": error_field, "sent": request.GET.get("sent") == "1" and not error,
        # A failed post keeps its key: nothing was counted, and a second try must still count once.
        "key": request.POST.get("key") if request.method == "POST" and request.POST.get("key") else uuid.uuid4().hex,
    }, status=status)


@require_GET
def community_calls(request, community_id: int):
    """The community's open calls for opinions, for a link or QR code on the physical board."""
    community = _community_or_404(community_id)
    calls = list(Solicitation.objects.filter(matter__community=community, closed_at__isnull=True,
                                             deadline__gte=timezone.localdate())
                 .select_related("matter").order_by("deadline", "pk")[:CALLS_LIMIT])
    return _shell(request, "web/public_matters/calls.html", {"community": community, "calls": calls})
