"""The user's inbox: notifications and reminders, unread first, and marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jiceng.notify import queries, services
from jiceng.notify.models import Notification


@login_required
def inbox(request):
    after = request.GET.get("after", "")
    try:
        rows, next_after = queries.inbox(request.user, after=after)
    except ValueError:  # a cursor edited by hand: start from the top
        after = ""
        rows, next_after = queries.inbox(request.user)
    return render(request, "web/inbox.html",
                  {"notifications": rows, "next_after": next_after, "after": after, "paged": bool(after)})


@require_POST
@login_required
def inbox_read(request, pk: int):
    """Mark one notification read; with `open`, go on to the page it links to."""
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    services.mark_read(request.user, notification)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect(_back(request))


@require_POST
@login_required
def inbox_read_all(request):
    services.mark_all_read(request.user)
    return redirect("web:inbox")


def _back(request) -> str:
    after = request.POST.get("after", "")
    try:
        queries.parse_cursor(after)
    except ValueError:
        after = ""
    return reverse("web:inbox") + (f"?after={after}" if after else "")
