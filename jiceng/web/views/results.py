"""Counting anonymous ballots on screen (R-EVAL-10: 现场统计并公布结果): a live panel on the meeting page, the same
panel in big type on a projector page, and the button that decides a secret-ballot item from its ballots.

Thin (STYLE §4): the counts come from ballots.results (one aggregate query), the decision from
ballots.tally_item_from_ballots; these views only find the meeting the user may see (404 otherwise) and shape the
counts into rows with bar widths. The panel polls itself with htmx every 3 seconds while the meeting is held and
renders without the trigger once it is closed, which stops the polling.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.core.errors import DomainError
from jiceng.meetings import ballots
from jiceng.meetings.kinds import SPECS
from jiceng.meetings.models import AgendaItem, Ballot, Meeting

from .common import visible_or_404

# Ballots are issued only while a meeting is held; after closing, their counts stay on screen.
COUNTED = (Meeting.Status.HELD, Meeting.Status.CLOSED)
ITEM_PREFIX = "item:"
PROJECTOR = "projector"
# The colour of a choice's bar: the best grade green, the worst red, a blank grey.
TONES = {"satisfied": "good", "excellent": "good", "yes": "good", "competent": "fair",
         "basically_satisfied": "mid", "basically_competent": "mid", "dissatisfied": "bad", "incompetent": "bad",
         "no": "bad", "abstain": "none"}


def _english(request) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "") or get_language() or "").startswith("en")


def _percent(count: int, total: int) -> int:
    return round(count * 100 / total) if total else 0


def _meeting(request, pk: int) -> Meeting:
    visible = visible_or_404(Meeting, request.user, pk)
    return Meeting.objects.select_related("body__area").get(pk=visible.pk)


def _item_statuses(meeting: Meeting, lines: list[dict]) -> dict[int, str]:
    pks = [int(line["key"].removeprefix(ITEM_PREFIX)) for line in lines if line["key"].startswith(ITEM_PREFIX)]
    if not pks:
        return {}
    return dict(AgendaItem.objects.filter(meeting=meeting, pk__in=pks).values_list("pk", "status"))


def _row(line: dict, cast: int, english: bool, statuses: dict[int, str], may_tally: bool) -> dict:
    cells = [{"value": c["value"], "count": line["counts"][c["value"]],
              "percent": _percent(line["counts"][c["value"]], cast), "tone": TONES.get(c["value"], "fair")}
             for c in line["choices"]]
    row = {"key": line["key"], "label": line["label_en"] if english else line["label"], "cells": cells,
           "blank": {"count": line["blank"], "percent": _percent(line["blank"], cast), "tone": "none"},
           "item": None}
    if line["key"].startswith(ITEM_PREFIX):
        pk = int(line["key"].removeprefix(ITEM_PREFIX))
        status = statuses.get(pk, AgendaItem.Status.PENDING)
        pending = status == AgendaItem.Status.PENDING
        row["item"] = {"pk": pk, "status": status, "status_label": AgendaItem.Status(status).label,
                       "pending": pending, "can_tally": may_tally and pending and line["answered"] > 0}
    return row


def _groups(rows: list[dict], lines: list[dict], english: bool) -> list[dict]:
    """Consecutive lines judged on one scale share a table: an evaluation's work (满意 …) and its heads (优秀 …),
    or the items (赞成/反对/弃权)."""
    groups: list[dict] = []
    for row, line in zip(rows, lines, strict=True):
        scale = tuple(c["value"] for c in line["choices"])
        if not groups or groups[-1]["scale"] != scale:
            groups.append({"scale": scale, "items": row["item"] is not None, "rows": [],
                           "choices": [c["label_en"] if english else c["label"] for c in line["choices"]]})
        groups[-1]["rows"].append(row)
    return groups


def live_results(request, meeting: Meeting, *, projector: bool = False) -> dict:
    """The live panel's context: issued / cast / not yet cast, a table of counts per scale, and whether to poll."""
    out = ballots.results(meeting)
    english = _english(request)
    held = meeting.status == Meeting.Status.HELD
    may_tally = held and scope.has_perm(request.user, Perm.RUN_MEETINGS, meeting.body.area)
    statuses = _item_statuses(meeting, out["lines"]) if out["issued"] else {}
    rows = [_row(line, out["cast"], english, statuses, may_tally) for line in out["lines"]]
    url = reverse("web:meeting_results_live", args=[meeting.pk])
    return {
        "issued": out["issued"], "cast": out["cast"], "waiting": out["issued"] - out["cast"],
        "cast_percent": _percent(out["cast"], out["issued"]), "groups": _groups(rows, out["lines"], english),
        "evaluation": "rule" in out, "rule": out.get("rule", ""), "publish_due_on": out.get("publish_due_on"),
        "published_on": out.get("published_on"), "polling": held, "projector": projector,
        "url": f"{url}?view={PROJECTOR}" if projector else url,
    }


def panel_for(request, meeting: Meeting) -> dict | None:
    """For the meeting page: the live panel once ballots have been issued, else None (one query when none are)."""
    spec = SPECS[meeting.kind]
    if meeting.status not in COUNTED or not (spec.anonymous or spec.passing is not None):
        return None
    if not Ballot.objects.filter(meeting=meeting).exists():
        return None
    return live_results(request, meeting)


@never_cache
@login_required
@require_GET
def results_page(request, pk: int):
    """The projector page: the live panel in big type, for announcing the results on the spot."""
    meeting = _meeting(request, pk)
    return render(request, "web/meetings/results.html",
                  {"meeting": meeting, "live": live_results(request, meeting, projector=True)})


@never_cache
@login_required
@require_GET
def results_live(request, pk: int):
    """The live panel alone, which htmx fetches every 3 seconds while the meeting is held."""
    meeting = _meeting(request, pk)
    projector = request.GET.get("view") == PROJECTOR
    return render(request, "web/meetings/_results_live.html",
                  {"meeting": meeting, "live": live_results(request, meeting, projector=projector)})


@require_POST
@login_required
def tally(request, pk: int, item: int):
    """Decide a secret-ballot item from the ballots cast for it; back to the page the button was on."""
    meeting = _meeting(request, pk)
    agenda_item = AgendaItem.objects.filter(pk=item, meeting=meeting).first()
    if agenda_item is None:
        raise Http404
    try:
        decided = ballots.tally_item_from_ballots(request.user, agenda_item)
    except DomainError as exc:
        messages.error(request, exc.localized(get_language()))
    else:
        messages.success(request, _("「%(title)s」已按选票计票：%(outcome)s。") % {
            "title": decided.title, "outcome": decided.get_status_display()})
    if request.POST.get("view") == PROJECTOR:
        return redirect("web:meeting_results", pk=meeting.pk)
    return redirect(reverse("web:meeting", args=[meeting.pk]) + f"#item-{agenda_item.pk}")
