"""The district's closed accountability cases made public (R-ACC-10): title, area, ground, the person's name and
post only, severity, measures, outcome and date. No account, no JavaScript; the page extends the public site's
base template. Nothing else about the person (ID number, phone, address) is ever read into the page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from jiceng.accountability import services
from jiceng.orgs.models import Area
from jiceng.rules import accountability as r

from .public import SIZE_COOKIE

CASES_LIMIT = 200


@require_GET
def district_cases(request, district_id: int):
    district = Area.objects.filter(pk=district_id, level=Area.Level.DISTRICT).first()
    if district is None:
        raise Http404
    english = (get_language() or "").startswith("en")
    cases = [{"title": c.title, "area": c.area.name, "ground": c.get_ground_display(),
              "person": c.person.name if c.person else "", "post": c.post,
              "severity": (r.SEVERITIES[c.severity][1 if english else 0] if c.severity in r.SEVERITIES else ""),
              "measures": [m.get_measure_display() for m in c.measures.all()], "summary": c.summary,
              "rectified_on": c.rectified_on, "closed_at": c.closed_at}
             for c in services.public_cases(district)[:CASES_LIMIT]]
    return render(request, "web/public_accountability/district.html", {
        "district": district, "cases": cases, "rule": r.PUBLIC_EXPOSURE,
        "large_text": request.COOKIES.get(SIZE_COOKIE) == "large"})
