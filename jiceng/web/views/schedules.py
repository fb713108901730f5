"""Who is behind with their recurring meetings (issue #3 point 6): the street and district dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jiceng.accounts import scope
from jiceng.meetings import schedules
from jiceng.orgs.models import Body

from ..forms import AsOfForm


@login_required
def overdue_obligations(request):
    form = AsOfForm(request.GET or None)
    on = (form.cleaned_data["on"] if form.is_bound and form.is_valid() else None) or scope.today()
    rows = schedules.overdue_bodies(Body.objects.visible_to(request.user), on)
    return render(request, "web/meetings/overdue.html", {"rows": rows, "on": on, "form": form})
