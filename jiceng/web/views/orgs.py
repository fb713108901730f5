"""The scope tree, areas, bodies and the party-organisation form warnings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import get_language

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.orgs.models import Area, AreaChange, Body
from jiceng.orgs.queries import drifted_party_orgs, members_on
from jiceng.rules.org import ORG_FORM

from .. import tree
from ..forms import AsOfForm
from .common import visible_or_404


@login_required
def home(request):
    today = scope.today()
    roots = tree.nodes_for(scope.root_areas(request.user).order_by("path"), request.user, today)
    # The usual user holds one community or street: open it; several roots load on demand.
    children = tree.children_of(roots[0].area, request.user, today) if len(roots) == 1 else None
    return render(request, "web/home.html", {"roots": roots, "children": children})


@login_required
def area_children(request, pk: int):
    area = visible_or_404(Area, request.user, pk)
    return render(request, "web/_area_children.html",
                  {"nodes": tree.children_of(area, request.user, scope.today())})


@login_required
def area(request, pk: int):
    area = visible_or_404(Area, request.user, pk)
    today = scope.today()
    # Above the user's scope an ancestor is named but not linked: its page would be a 404.
    ancestors = [(a, scope.has_perm(request.user, Perm.VIEW, a))
                 for a in Area.objects.filter(pk__in=area.ancestor_ids).exclude(pk=area.pk).order_by("path")]
    return render(request, "web/area.html", {
        "area": area,
        "node": tree.nodes_for([area], request.user, today)[0],
        "ancestors": ancestors,
        "children": tree.children_of(area, request.user, today),
        "bodies": Body.objects.visible_to(request.user).filter(area=area).order_by("kind", "name"),
        "changes": (AreaChange.objects.filter(area=area).select_related("old_parent", "new_parent")
                    .order_by("-occurred_on", "-pk")[:200]),
        "today": today,
        "can_export": scope.has_perm(request.user, Perm.EXPORT_PEOPLE, area),
    })


@login_required
def body(request, pk: int):
    body = visible_or_404(Body, request.user, pk)
    form = AsOfForm(request.GET or None)
    on = (form.cleaned_data["on"] if form.is_bound and form.is_valid() else None) or scope.today()
    members = list(members_on(body, on))
    return render(request, "web/body.html", {
        "body": body, "area": body.area, "form": form, "on": on, "members": members,
        "people_count": len({m.person_id for m in members}),
    })


@login_required
def party_org_drift(request):
    today = scope.today()
    rows = [
        row | {"org_type_label": Body.OrgType(row["org_type"]).label if row["org_type"] else "",
               "fitting_labels": [Body.OrgType(f).label for f in row["fitting"]]}
        for row in drifted_party_orgs(Body.objects.visible_to(request.user), today)
    ]
    english = (get_language() or "").startswith("en")
    return render(request, "web/drift.html", {
        "rows": rows, "today": today, "rule": ORG_FORM, "citation": str(ORG_FORM.citation),
        "summary": ORG_FORM.summary_en if english else ORG_FORM.summary_zh,
    })
