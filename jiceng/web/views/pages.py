"""Pages without data of their own."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jiceng.orgs.search import MAX_QUERY_LENGTH


@login_required
def help_page(request):
    return render(request, "web/help.html", {"max_query_length": MAX_QUERY_LENGTH})
