"""Accountability in the staff UI (issue #6): the street / district dashboard with its heat map, the findings of
the compliance scan, opening a case from findings, and the case page where the district classifies, decides the
measures E-12 allows and closes (R-ACC-09, R-ACC-10, R-ACC-12).

Thin (STYLE §4): find what the user may see (404 otherwise), call ONE service of jiceng.accountability per POST and
redirect (PRG) with a message. A refusal re-renders the page with the DomainError's message in the user's language
and its rule ID, at the error's status (400 input, 403 scope, 409 state, 422 rule), and the form keeps what was
typed. Only the forms the user may use are offered; the services judge every post again.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.accountability import services
from jiceng.accountability.checks import CHECKS, FAMILY_LABELS
from jiceng.accountability.dashboard import dashboard as build_dashboard
from jiceng.accountability.models import Case, Finding
from jiceng.accountability.scan import run_scan
from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.audit.models import AuditEvent
from jiceng.core.errors import DomainError, PermissionDenied
from jiceng.core.masking import mask_name
from jiceng.orgs.models import Area, Person
from jiceng.rules import accountability as r

from ..forms import row_id_field
from ..forms_meetings import DATE
from .common import form_error, visible_or_404

PAGE_SIZE = 50
CHOICES_LIMIT = 500
HISTORY_LIMIT = 50
LEVELS = (Area.Level.DISTRICT, Area.Level.STREET, Area.Level.COMMUNITY)
# NOT IN SOURCE: the colour bands of the heat map are a display aid only; the score itself is R-ACC-11's.
BANDS = ((0.95, "good", gettext_lazy("良好")), (0.80, "fair", gettext_lazy("一般")),
         (0.0, "poor", gettext_lazy("较差")))
NO_BAND = ("none", gettext_lazy("无到期义务"))


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _pick(pair) -> str:
    """The user's language from a (zh, en) pair of the rulebook."""
    return pair[1] if _english() else pair[0]


def _refusal(exc: DomainError) -> dict:
    return {"message": exc.localized(get_language()), "rule": exc.rule, "code": exc.code}


def percent(score: str | None) -> str:
    """The dashboard's "0.750" as "75.0%"; "—" when nothing fell due."""
    return "—" if score is None else f"{float(score) * 100:.1f}%"


def band(score: str | None) -> tuple[str, str]:
    if score is None:
        return NO_BAND[0], str(NO_BAND[1])
    value = float(score)
    return next((css, str(label)) for floor, css, label in BANDS if value >= floor)


def _areas(user):
    """The district, street and community choices of the user's scope, for filters and the dashboard."""
    return list(Area.objects.visible_to(user).filter(level__in=LEVELS).order_by("path")[:CHOICES_LIMIT])


def _top_area(user) -> Area | None:
    return scope.root_areas(user).order_by("path").first()


def _chosen_area(request, raw: str | None) -> Area | None:
    if raw:
        return visible_or_404(Area, request.user, raw)
    return _top_area(request.user)


def may_run_scan(user, area: Area | None) -> bool:
    return area is not None and scope.has_perm(user, Perm.APPROVE_AS_STREET, area)


def _name(user, person: Person | None) -> str:
    """A person's name, masked outside the user's scope (ARCHITECTURE §5); the person's area must be loaded."""
    if person is None:
        return ""
    return person.name if scope.has_perm(user, Perm.VIEW, person.area) else mask_name(person.name)


def _responsible(user, finding: Finding) -> list[tuple[str, str]]:
    """R-ORG-12's three responsible persons of a finding, as (role, name) pairs that are known."""
    rows = [(_("第一责任人"), finding.first_responsible), (_("具体责任人"), finding.specific_responsible),
            (_("直接责任人"), finding.direct_responsible)]
    return [(label, _name(user, person)) for label, person in rows if person is not None]


def _with_people(qs):
    return qs.select_related("area", "case", "responsible_body", "first_responsible__area",
                             "specific_responsible__area", "direct_responsible__area")


# The dashboard -----------------------------------------------------------------------------------------

def _heat_rows(data: dict) -> list[dict]:
    rows = []
    for community in data["communities"]:
        cells = []
        for family, label in FAMILY_LABELS.items():
            cell = community["families"].get(family)
            score = cell["score"] if cell else None
            css, band_label = band(score)
            cells.append({"family": family, "label": label, "score": score, "percent": percent(score),
                          "due": cell["due"] if cell else 0, "on_time": cell["on_time"] if cell else 0,
                          "band": css, "band_label": band_label})
        css, band_label = band(community["score"])
        rows.append({**community, "percent": percent(community["score"]), "band": css, "band_label": band_label,
                     "cells": cells})
    return rows


def _dashboard_page(request, area: Area | None, *, refusal: dict | None = None, status: int = 200):
    user = request.user
    context = {"area": area, "areas": _areas(user), "refusal": refusal, "may_scan": may_run_scan(user, area),
               "families": FAMILY_LABELS, "bands": [(css, label) for _floor, css, label in BANDS] + [NO_BAND],
               "rule": r.SCORE, "rule_summary": r.SCORE.summary_en if _english() else r.SCORE.summary_zh}
    if area is not None:
        data = build_dashboard(area)
        trend = [{**t, "percent": percent(t["score"]), "band": band(t["score"])[0],
                  "bar": 0 if t["score"] is None else round(float(t["score"]) * 100)} for t in data["trend"]]
        css, band_label = band(data["score"])
        context.update(data=data, score_percent=percent(data["score"]), score_band=css, score_band_label=band_label,
                       heat=_heat_rows(data), trend=trend)
    return render(request, "web/accountability/dashboard.html", context, status=status)


@login_required
def dashboard(request):
    """R-ACC-11's score for an area, the communities × families heat map, the trend and the longest-open
    findings: a constant number of queries whatever the number of communities (dashboard.dashboard)."""
    return _dashboard_page(request, _chosen_area(request, request.GET.get("area")))


@require_POST
@login_required
def scan(request):
    """Run the compliance scan of an area now (street or district users only)."""
    area = _chosen_area(request, request.POST.get("area"))
    if not may_run_scan(request.user, area):
        refused = PermissionDenied("只有街道或区级人员可以发起合规扫描。",
                                   "Only street or district users run the scan.")
        return _dashboard_page(request, area, refusal=_refusal(refused), status=refused.status)
    counts = run_scan(area)
    messages.success(request, _("扫描完成：新发现 %(opened)s 项，再次发现 %(seen)s 项，已纠正 %(cured)s 项。") % {
        "opened": counts.get("opened", 0), "seen": counts.get("seen", 0), "cured": counts.get("cured", 0)})
    return redirect(reverse("web:acc_dashboard") + "?" + urlencode({"area": area.pk}))


# Findings ----------------------------------------------------------------------------------------------

class FindingFilter(forms.Form):
    area = row_id_field()
    family = forms.ChoiceField(required=False)
    rule = forms.CharField(required=False, max_length=32)
    status = forms.ChoiceField(required=False, choices=[("", gettext_lazy("全部状态")), *Finding.Status.choices])
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data=None):
        super().__init__(data)
        self.fields["family"].choices = [("", _("全部类别")), *FAMILY_LABELS.items()]


class OpenCaseForm(forms.Form):
    area = forms.IntegerField(label=gettext_lazy("立案区域"))
    title = forms.CharField(label=gettext_lazy("案由"), max_length=200)
    ground = forms.ChoiceField(label=gettext_lazy("追究情形"), choices=Case.Ground.choices)
    finding = forms.TypedMultipleChoiceField(label=gettext_lazy("违规发现"), coerce=int, required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        if data is not None:  # any submitted id; the view looks each up in the user's scope
            self.fields["finding"].choices = [(v, v) for v in data.getlist("finding") if str(v).isdigit()]


def _case_areas(user) -> list[Area]:
    """Where the user may open a case: streets and districts in which they approve as the street."""
    return [a for a in _areas(user)
            if a.level != Area.Level.COMMUNITY and scope.has_perm(user, Perm.APPROVE_AS_STREET, a)]


def _findings_page(request, *, open_form: OpenCaseForm | None = None, refusal: dict | None = None,
                   status: int = 200):
    user = request.user
    form = FindingFilter(request.GET or None)
    values = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = Finding.objects.visible_to(user)
    chosen = None
    if values.get("area"):
        chosen = visible_or_404(Area, user, values["area"])
        found = found.filter(area__path__startswith=chosen.path)
    for key, field in (("family", "family"), ("rule", "rule_id"), ("status", "status")):
        if values.get(key):
            found = found.filter(**{field: values[key]})
    page = Paginator(_with_people(found).order_by("-first_seen", "-pk"), PAGE_SIZE).get_page(values.get("page"))
    rows = [{"f": f, "people": _responsible(user, f), "family_label": FAMILY_LABELS.get(f.family, f.family)}
            for f in page.object_list]
    case_areas = _case_areas(user)
    kept = {key: values[key] for key in ("area", "family", "rule", "status") if values.get(key)}
    return render(request, "web/accountability/findings.html", {
        "form": form, "page": page, "rows": rows, "query": urlencode(kept), "areas": _areas(user), "chosen": chosen,
        "may_open": bool(case_areas), "case_areas": case_areas, "refusal": refusal,
        "open_form": open_form or OpenCaseForm(auto_id="case-%s", initial={"area": case_areas[0].pk if case_areas
                                                                             else None}),
        "rules": list(Finding.objects.visible_to(user).order_by("rule_id").values_list("rule_id", flat=True)
                      .distinct()[:CHOICES_LIMIT]),
    }, status=status)


@login_required
def finding_list(request):
    return _findings_page(request)


@require_POST
@login_required
def case_open(request):
    """Open a case from the findings ticked on the list (the street working committee, or the district)."""
    user = request.user
    form = OpenCaseForm(request.POST, auto_id="case-%s")
    if not form.is_valid():
        return _findings_page(request, open_form=form, refusal={"message": form_error(form)}, status=400)
    area = visible_or_404(Area, user, form.cleaned_data["area"])
    wanted = set(form.cleaned_data["finding"])
    findings = list(Finding.objects.visible_to(user).select_related("area").filter(pk__in=wanted))
    if len(findings) != len(wanted):
        raise Http404
    try:
        case = services.open_case(user, area=area, findings=findings, ground=form.cleaned_data["ground"],
                                  title=form.cleaned_data["title"])
    except DomainError as exc:
        return _findings_page(request, open_form=form, refusal=_refusal(exc), status=exc.status)
    messages.success(request, _("已立案，请等待区纪委或区委组织部认定情节并决定处理措施。"))
    return redirect("web:acc_case", pk=case.pk)


@login_required
def finding_detail(request, pk: int):
    user = request.user
    visible = visible_or_404(Finding, user, pk)
    finding = _with_people(Finding.objects.filter(pk=visible.pk)).get()
    check = CHECKS.get(finding.check_name)
    return render(request, "web/accountability/finding.html", {
        "f": finding, "people": _responsible(user, finding),
        "family_label": FAMILY_LABELS.get(finding.family, finding.family),
        "cures": check.cures if check else False,
        "evidence": evidence_rows(finding.evidence),
        "history": list(AuditEvent.objects.visible_to(user).about(finding).order_by("seq")[:HISTORY_LIMIT]),
    })


def evidence_rows(evidence) -> list[dict]:
    """The finding's facts as (key, text) rows; nested values pretty-printed as JSON."""
    items = evidence.items() if isinstance(evidence, dict) else [("", evidence)]
    return [{"key": key, "nested": isinstance(value, dict | list),
             "text": json.dumps(value, ensure_ascii=False, indent=2) if isinstance(value, dict | list) else value}
            for key, value in sorted(items, key=lambda kv: str(kv[0]))]


# Cases -------------------------------------------------------------------------------------------------

class CaseFilter(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", gettext_lazy("全部状态")), *Case.Status.choices])
    page = forms.IntegerField(required=False, min_value=1)


@login_required
def case_list(request):
    form = CaseFilter(request.GET or None)
    values = form.cleaned_data if form.is_bound and form.is_valid() else {}
    cases = Case.objects.visible_to(request.user).select_related("area", "person__area").annotate(n=Count("findings"))
    if values.get("status"):
        cases = cases.filter(status=values["status"])
    page = Paginator(cases.order_by("-opened_at", "-pk"), PAGE_SIZE).get_page(values.get("page"))
    kept = {"status": values["status"]} if values.get("status") else {}
    rows = [{"c": c, "person": _name(request.user, c.person)} for c in page.object_list]
    return render(request, "web/accountability/cases.html",
                  {"form": form, "page": page, "rows": rows, "query": urlencode(kept)})


class ClassifyForm(forms.Form):
    severity = forms.ChoiceField(label=gettext_lazy("情节"))
    subject = forms.ChoiceField(label=gettext_lazy("追究对象类别"))
    person = forms.IntegerField(label=gettext_lazy("被追究人"), required=False)
    subject_person = row_id_field()  # the people search's radio buttons
    post = forms.CharField(label=gettext_lazy("职务"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severity"].choices = [(k, _pick(v)) for k, v in r.SEVERITIES.items()]
        self.fields["subject"].choices = [(k, _pick(v)) for k, v in r.SUBJECTS.items()]


class MeasureForm(forms.Form):
    # Every measure of E-12 is a valid choice here: whether it fits the case is R-ACC-09's to say (422).
    measure = forms.ChoiceField(label=gettext_lazy("处理措施"), choices=[(k, v[0]) for k, v in r.MEASURES.items()])
    rectify_by = forms.DateField(label=gettext_lazy("整改期限（限期整改时必填）"), required=False, widget=DATE)
    note = forms.CharField(label=gettext_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    summary = forms.CharField(label=gettext_lazy("处理结果"), widget=forms.Textarea(attrs={"rows": 4}))
    rectified_on = forms.DateField(label=gettext_lazy("整改完成日期"), required=False, widget=DATE)
    publish = forms.BooleanField(label=gettext_lazy("在全区公开曝光（R-ACC-10）"), required=False, initial=True)


FORMS = {"classify": ClassifyForm, "measure": MeasureForm, "close": CloseForm}


def _case(request, pk: int) -> Case:
    visible = visible_or_404(Case, request.user, pk)
    return Case.objects.select_related("area", "person__area", "opened_by", "decided_by").get(pk=visible.pk)


def _case_page(request, case: Case, *, bound: dict | None = None, refusal: dict | None = None, status: int = 200):
    user, bound = request.user, bound or {}
    findings = list(_with_people(case.findings.all()).order_by("occurred_on", "pk"))
    measures = list(case.measures.select_related("decided_by").order_by("decided_at", "pk"))
    decider = services.may_decide(user, case.area, timezone.localdate())
    allowed = r.MEASURE_TABLE.get(case.severity, {}).get(case.subject, ()) if case.severity else ()
    taken = {m.measure for m in measures}
    people: dict[int, tuple[str, str]] = {}
    for finding in findings:
        for label, person in ((_("第一责任人"), finding.first_responsible),
                              (_("具体责任人"), finding.specific_responsible),
                              (_("直接责任人"), finding.direct_responsible)):
            if person is not None and person.pk not in people:
                people[person.pk] = (_name(user, person), label)
    forms_ = {slot: bound.get(slot) or form_class(auto_id=f"{slot}-%s") for slot, form_class in FORMS.items()}
    if "classify" not in bound and case.severity:
        forms_["classify"] = ClassifyForm(auto_id="classify-%s", initial={
            "severity": case.severity, "subject": case.subject, "person": case.person_id, "post": case.post})
    return render(request, "web/accountability/case.html", {
        "case": case, "findings": [{"f": f, "people": _responsible(user, f)} for f in findings],
        "measures": measures, "refusal": refusal, "forms": forms_, "decider": decider,
        "person_name": _name(user, case.person),
        "severity_label": _pick(r.SEVERITIES[case.severity]) if case.severity in r.SEVERITIES else "",
        "subject_label": _pick(r.SUBJECTS[case.subject]) if case.subject in r.SUBJECTS else "",
        "may_classify": decider and case.status == Case.Status.OPEN and not measures,
        "may_measure": decider and bool(case.severity) and case.status != Case.Status.CLOSED,
        "may_close": decider and case.status == Case.Status.DECIDED,
        "allowed": [(m, r.MEASURES[m][0]) for m in allowed if m not in taken],
        "responsible_people": sorted(people.items(), key=lambda item: item[1]),
        "public_url": reverse("web:public_accountability", args=[case.area.ancestor_ids[0]])
        if case.published else "",
    }, status=status)


@login_required
def case_detail(request, pk: int):
    return _case_page(request, _case(request, pk))


def _act(request, pk: int, slot: str, call, success: str):
    """Validate the slot's form, call one service, redirect; or show the case again with the refusal."""
    case = _case(request, pk)
    form = FORMS[slot](request.POST, auto_id=f"{slot}-%s")
    if not form.is_valid():
        return _case_page(request, case, bound={slot: form}, refusal={"message": form_error(form)}, status=400)
    try:
        call(case, form.cleaned_data)
    except DomainError as exc:
        return _case_page(request, _case(request, pk), bound={slot: form}, refusal=_refusal(exc), status=exc.status)
    messages.success(request, success)
    return redirect("web:acc_case", pk=pk)


@require_POST
@login_required
def case_classify(request, pk: int):
    def call(case, d):
        chosen = d["subject_person"] or d["person"]
        person = visible_or_404(Person, request.user, chosen) if chosen else None
        services.classify(request.user, case, severity=d["severity"], subject=d["subject"], person=person,
                          post=d["post"])

    return _act(request, pk, "classify", call, _("已认定情节和追究对象。"))


@require_POST
@login_required
def case_measure(request, pk: int):
    return _act(request, pk, "measure", lambda c, d: services.add_measure(
        request.user, c, measure=d["measure"], note=d["note"], rectify_by=d["rectify_by"]), _("已决定处理措施。"))


@require_POST
@login_required
def case_close(request, pk: int):
    return _act(request, pk, "close", lambda c, d: services.close_case(
        request.user, c, summary=d["summary"], rectified_on=d["rectified_on"], publish=d["publish"]),
        _("案件已办结。"))
