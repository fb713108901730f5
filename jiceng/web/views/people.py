"""The people directory and a person's page. Personal data is shown only through
`person_public_dict`, which masks it outside the scope that owns the person."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.orgs.models import Area, Membership, Person
from jiceng.orgs.presenters import person_public_dict
from jiceng.orgs.search import person_search_q

from ..forms import PeopleSearchForm
from .common import visible_or_404
from .roster import can_import_somewhere

PAGE_SIZE = 50


def _present(person: Person, user) -> dict:
    shown = person_public_dict(person, user)
    shown["gender_label"] = Person.Gender(shown["gender"]).label if shown["gender"] else ""
    shown["political_status_label"] = (Person.PoliticalStatus(shown["political_status"]).label
                                       if shown["political_status"] else "")
    # The residence is linked only when its page would not be a 404 for this user.
    shown["area_linked"] = scope.has_perm(user, Perm.VIEW, person.area)
    return shown


def _is_partial(request) -> bool:
    # htmx asks for the results table only; on history restore it wants the whole page.
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


@login_required
def people(request):
    user = request.user
    form = PeopleSearchForm(request.GET)
    values = form.cleaned_data if form.is_valid() else {}
    q = (values.get("q") or "").strip()
    area = visible_or_404(Area, user, values["area"]) if values.get("area") else None
    found = Person.objects.visible_to(user).select_related("area", "household")
    if q:
        found = found.filter(person_search_q(q))
    if area is not None:
        found = found.filter(area__path__startswith=area.path)
    if values.get("after"):
        # Keyset on the directory's order (pinyin, then id): the cost of a page does not grow with its depth.
        anchor = found.filter(pk=values["after"]).values("name_pinyin", "pk").first()
        if anchor:
            found = found.filter(Q(name_pinyin__gt=anchor["name_pinyin"])
                                 | Q(name_pinyin=anchor["name_pinyin"], pk__gt=anchor["pk"]))
    rows = list(found.order_by("name_pinyin", "pk")[: PAGE_SIZE + 1])
    next_after = rows[PAGE_SIZE - 1].pk if len(rows) > PAGE_SIZE else None
    context = {"form": form, "q": q, "area": area, "next_after": next_after,
               "paged": bool(values.get("after")), "can_import": can_import_somewhere(user),
               "people": [_present(person, user) for person in rows[:PAGE_SIZE]]}
    template = "web/_people_results.html" if _is_partial(request) else "web/people.html"
    return render(request, template, context)


@login_required
def person(request, pk: int):
    person = visible_or_404(Person, request.user, pk)
    memberships = (Membership.objects.visible_to(request.user).filter(person=person)
                   .select_related("body").order_by("-start_on", "pk"))
    return render(request, "web/person.html", {
        "person": _present(person, request.user), "memberships": memberships, "today": scope.today(),
    })
