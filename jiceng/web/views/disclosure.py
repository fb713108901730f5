"""The disclosure boards in the staff UI (issue #4): the items of a user's scope, drafting with tables, the item
page with the steps its board needs, the feedback inbox and replies, the publication obligations and the street
dashboard.

Thin (STYLE §4): find what the user may see (404 otherwise), call ONE service per POST and redirect (PRG) with a
message. A refusal re-renders the page with the DomainError's message in the user's language and its rule ID, at
the error's status (400 input, 403 office, 409 state, 422 rule), and the form keeps what was typed. Only the
actions the user may take at the item's status are offered; the services judge every post again.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, pgettext, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.core.errors import DomainError, NotFound
from jiceng.disclosure import feedback as feedback_services
from jiceng.disclosure import obligations as obligation_queries
from jiceng.disclosure import services
from jiceng.disclosure.models import Attachment, Board, DisclosureItem, Feedback
from jiceng.disclosure.presenters import staff_feedback
from jiceng.meetings.models import AgendaItem, Meeting
from jiceng.orgs.models import Area, Body
from jiceng.rules.disclosure import CATEGORIES, OBJECTION_MAJORITY, PERMANENT, TABLE_KINDS, TIMING_CLASSES

from ..forms import row_id_field
from ..forms_meetings import DATE, DATETIME_LOCAL
from .common import form_error, visible_or_404

Status = DisclosureItem.Status
PAGE_SIZE = 50
CHOICES_LIMIT = 500
DECISION_CHOICES = 100

# What happens next at each status, and who does it (services.STEPS; R-PDISC-05–07, R-RDISC-03–05).
NEXT_STEP = {
    (Board.PARTY, Status.DRAFT): (gettext_lazy("登记党组织集体研究决定"), gettext_lazy("党务公开专人")),
    (Board.PARTY, Status.RETURNED): (gettext_lazy("登记党组织集体研究决定"), gettext_lazy("党务公开专人")),
    (Board.PARTY, Status.DECIDED): (gettext_lazy("负责人审核签字"), gettext_lazy("社区党组织书记")),
    (Board.PARTY, Status.SIGNED): (pgettext_lazy("publish", "公开"), gettext_lazy("党务公开专人")),
    (Board.RESIDENTS, Status.DRAFT): (gettext_lazy("监委会审查方案"), gettext_lazy("居务监督委员会成员")),
    (Board.RESIDENTS, Status.RETURNED): (gettext_lazy("按审查意见修改后再审查"),
                                         gettext_lazy("居委会成员、居务监督委员会成员")),
    (Board.RESIDENTS, Status.REVIEWED): (gettext_lazy("登记两委联席会议集体研究决定"), gettext_lazy("居委会成员")),
    (Board.RESIDENTS, Status.DECIDED): (pgettext_lazy("publish", "公开"), gettext_lazy("居委会成员")),
}

# Table editor: one textarea per table kind, one line per row, cells separated by commas or tabs (a paste from a
# spreadsheet). The columns follow jiceng/disclosure/tables.py.
COLUMNS = {"finance": ("item", "income", "expense"),
           "distribution": ("recipient", "id_number", "building", "amount", "note"),
           "dues": ("member", "amount")}
MONEY = {"finance": ("income", "expense"), "distribution": ("amount",), "dues": ("amount",)}
TOTALS = {"finance": {"total_income": "income", "total_expense": "expense"}, "distribution": {"total": "amount"},
          "dues": {"total": "amount"}}
COLUMN_LABELS = {"item": gettext_lazy("项目"), "income": gettext_lazy("收入（元）"),
                 "expense": gettext_lazy("支出（元）"), "recipient": gettext_lazy("领取人"),
                 "id_number": gettext_lazy("身份证号"), "building": gettext_lazy("楼栋"),
                 "amount": gettext_lazy("金额（元）"), "note": gettext_lazy("备注"), "member": gettext_lazy("党员"),
                 "total_income": gettext_lazy("收入合计（元）"), "total_expense": gettext_lazy("支出合计（元）"),
                 "total": gettext_lazy("合计（元）")}
KIND_LABELS = {"finance": gettext_lazy("收支表"), "distribution": gettext_lazy("发放表"),
               "dues": gettext_lazy("党费收缴表")}
CELLS = re.compile(r"[,，]")


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _refusal(exc: DomainError) -> dict:
    return {"message": exc.localized(get_language()), "rule": exc.rule, "code": exc.code}


def _communities(user):
    return Area.objects.visible_to(user).filter(level=Area.Level.COMMUNITY).order_by("path")[:CHOICES_LIMIT]


def _timing_choices():
    return [(code, en if _english() else zh) for code, (zh, en) in TIMING_CLASSES.items()]


def _category_choices(board: str):
    return [(code, f"{code} {label}") for code, label in CATEGORIES.get(board, {}).items()]


# The item form: content and tables ----------------------------------------------------------------------

def _rows_text(kind: str, rows: list[dict]) -> str:
    """Rows back into editable lines; a line whose cells hold a comma is written with tabs."""
    lines = []
    for row in rows:
        cells = [str(row.get(name, "")) for name in COLUMNS[kind]]
        while len(cells) > 1 and not cells[-1]:
            cells.pop()
        sep = "\t" if any(CELLS.search(c) for c in cells) else ", "
        lines.append(sep.join(cells))
    return "\n".join(lines)


def table_initial(tables: list[dict]) -> dict:
    """The table fields of ItemForm for an item's stored tables (one table per kind)."""
    initial = {}
    for table in tables or []:
        kind = table.get("kind")
        if kind not in COLUMNS or f"{kind}_rows" in initial:
            continue
        initial[f"{kind}_rows"] = _rows_text(kind, table.get("rows", []))
        for total in TOTALS[kind]:
            initial[f"{kind}_{total}"] = table.get(total, "")
        if kind == "dues":
            initial["dues_month"] = table.get("month", "")
    return initial


def item_initial(item: DisclosureItem) -> dict:
    return {"community": item.community_id, "board": item.board, "category": item.category,
            "timing_class": item.timing_class, "title": item.title, "body": item.body,
            "period_start": item.period_start, "period_end": item.period_end, "withdraw_on": item.withdraw_on,
            **table_initial(item.tables)}


class ItemForm(forms.Form):
    """Create (with community and board), edit a draft, or correct a published item (with a reason)."""

    community = forms.TypedChoiceField(label=gettext_lazy("社区"), coerce=int)
    board = forms.ChoiceField(label=gettext_lazy("公开栏"), choices=Board.choices)
    category = forms.ChoiceField(label=gettext_lazy("公开类别"))
    timing_class = forms.ChoiceField(label=gettext_lazy("公开时间类别"))
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    body = forms.CharField(label=gettext_lazy("正文"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    period_start = forms.DateField(label=gettext_lazy("所属期间起"), required=False, widget=DATE)
    period_end = forms.DateField(label=gettext_lazy("所属期间止"), required=False, widget=DATE)
    withdraw_on = forms.DateField(label=gettext_lazy("撤下日期"), required=False, widget=DATE)
    reason = forms.CharField(label=gettext_lazy("更正原因"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, user, item: DisclosureItem | None = None, mode: str = "new", initial=None):
        super().__init__(data, initial=initial)
        self.mode = mode
        if mode == "new":
            self.fields["community"].choices = [(c.pk, c.name) for c in _communities(user)]
        else:
            del self.fields["community"], self.fields["board"]
        if mode != "correct":
            del self.fields["reason"]
        if mode == "correct":
            del self.fields["withdraw_on"]  # a correction takes its withdrawal date when it is published
        source = data if data is not None else (initial or {})
        board = item.board if item is not None else (source.get("board") or Board.PARTY)
        board = board if board in Board.values else Board.PARTY
        self.fields["category"].choices = _category_choices(board)
        self.fields["timing_class"].choices = _timing_choices()
        category = source.get("category") or (item.category if item is not None else "")
        self.kinds = TABLE_KINDS.get(category, ()) if category in CATEGORIES[board] else ()
        for kind in self.kinds:
            self.fields[f"{kind}_rows"] = forms.CharField(
                label=KIND_LABELS[kind], required=False, widget=forms.Textarea(attrs={"rows": 6, "class": "mono"}))
            if kind == "dues":
                self.fields["dues_month"] = forms.CharField(
                    label=gettext_lazy("月份"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
            for total in TOTALS[kind]:
                self.fields[f"{kind}_{total}"] = forms.CharField(
                    label=COLUMN_LABELS[total], required=False,
                    help_text=gettext_lazy("留空则按各行相加"), widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def table_sections(self):
        """Per kind: the rows field, the month field (dues) and the totals fields, with the column names."""
        return [{"kind": kind, "label": KIND_LABELS[kind], "rows": self[f"{kind}_rows"],
                 "month": self["dues_month"] if kind == "dues" else None,
                 "totals": [self[f"{kind}_{total}"] for total in TOTALS[kind]],
                 "columns": [COLUMN_LABELS[c] for c in COLUMNS[kind]]} for kind in self.kinds]

    def clean(self):
        data = super().clean()
        self.parsed_tables = []
        for kind in self.kinds:
            text = data.get(f"{kind}_rows") or ""
            if not text.strip():
                continue
            try:
                self.parsed_tables.append(self._table(kind, text, data))
            except forms.ValidationError as error:
                self.add_error(f"{kind}_rows", error)
        return data

    def _table(self, kind: str, text: str, data: dict) -> dict:
        columns, rows = COLUMNS[kind], []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            cells = [c.strip() for c in (line.split("\t") if "\t" in line else CELLS.split(line))]
            if len(cells) > len(columns):
                if kind != "distribution":
                    raise forms.ValidationError(
                        _("第%(line)d行有%(cells)d列，应为%(columns)d列（%(names)s）。"),
                        params={"line": number, "cells": len(cells), "columns": len(columns),
                                "names": "、".join(str(COLUMN_LABELS[c]) for c in columns)})
                cells = cells[:len(columns) - 1] + ["，".join(cells[len(columns) - 1:])]  # the note keeps its commas
            rows.append({name: cell for name, cell in zip(columns, cells, strict=False) if cell})
        table = {"kind": kind, "rows": rows}
        for total, column in TOTALS[kind].items():
            stated = (data.get(f"{kind}_{total}") or "").strip()
            table[total] = stated or _sum(rows, column)
        if kind == "dues":
            table["month"] = (data.get("dues_month") or "").strip()
        return table

    def content(self) -> dict:
        """The content fields for services.create_item / update_draft / correct."""
        data = self.cleaned_data
        fields = {name: data[name] for name in ("category", "timing_class", "title", "body", "period_start",
                                                "period_end", "withdraw_on") if name in self.fields}
        fields["tables"] = self.parsed_tables
        return fields


def _sum(rows: list[dict], column: str) -> str:
    """The sum the user left blank; an amount that does not parse is left for the service to name."""
    try:
        return str(sum((Decimal(row.get(column, "0")) for row in rows), Decimal("0")))
    except InvalidOperation:
        return "0"


def _form_page(request, form, *, item=None, refusal=None, status=200):
    return render(request, "web/disclosure/form.html", {"form": form, "item": item, "refusal": refusal},
                  status=status)


def _refresh(request) -> bool:
    """The board or category changed: show the form again for them, with nothing saved or judged."""
    return request.method == "POST" and "refresh" in request.POST


@login_required
def item_new(request):
    user = request.user
    if request.method != "POST" or _refresh(request):
        initial = request.POST.dict() if _refresh(request) else {
            "board": request.GET.get("board", Board.PARTY), "category": request.GET.get("category", "")}
        return _form_page(request, ItemForm(user=user, initial=initial))
    form = ItemForm(request.POST, user=user)
    if not form.is_valid():
        return _form_page(request, form, refusal={"message": form_error(form)}, status=400)
    community = visible_or_404(Area, user, form.cleaned_data["community"])
    try:
        item = services.create_item(user, community=community, board=form.cleaned_data["board"], **form.content())
    except DomainError as exc:
        return _form_page(request, form, refusal=_refusal(exc), status=exc.status)
    messages.success(request, _("草稿已保存。"))
    return redirect("web:disclosure_item", pk=item.pk)


@login_required
def item_edit(request, pk: int):
    item, user = _item(request, pk), request.user
    if request.method != "POST" or _refresh(request):
        initial = request.POST.dict() if _refresh(request) else item_initial(item)
        return _form_page(request, ItemForm(user=user, item=item, mode="edit", initial=initial), item=item)
    form = ItemForm(request.POST, user=user, item=item, mode="edit")
    if not form.is_valid():
        return _form_page(request, form, item=item, refusal={"message": form_error(form)}, status=400)
    try:
        services.update_draft(user, item, **form.content())
    except DomainError as exc:
        return _form_page(request, form, item=item, refusal=_refusal(exc), status=exc.status)
    messages.success(request, _("草稿已修改。"))
    return redirect("web:disclosure_item", pk=item.pk)


@login_required
def item_correct(request, pk: int):
    item, user = _item(request, pk), request.user
    if request.method != "POST" or _refresh(request):
        initial = request.POST.dict() if _refresh(request) else item_initial(item)
        return _form_page(request, ItemForm(user=user, item=item, mode="correct", initial=initial), item=item)
    form = ItemForm(request.POST, user=user, item=item, mode="correct")
    if not form.is_valid():
        return _form_page(request, form, item=item, refusal={"message": form_error(form)}, status=400)
    try:
        new = services.correct(user, item, reason=form.cleaned_data["reason"], **form.content())
    except DomainError as exc:
        return _form_page(request, form, item=item, refusal=_refusal(exc), status=exc.status)
    messages.success(request, _("更正版本已创建，请按公开程序审核后公开；公开后旧版标为“已更正”。"))
    return redirect("web:disclosure_item", pk=new.pk)


# The list ----------------------------------------------------------------------------------------------

class ItemFilterForm(forms.Form):
    community = row_id_field()
    board = forms.ChoiceField(required=False, choices=[("", gettext_lazy("全部公开栏")), *Board.choices])
    status = forms.ChoiceField(required=False, choices=[("", gettext_lazy("全部状态")), *Status.choices])
    page = forms.IntegerField(required=False, min_value=1)


def next_step(item: DisclosureItem) -> tuple[str, str]:
    step = NEXT_STEP.get((item.board, item.status))
    if step is None:
        return ("", "")
    return (str(step[0]), str(step[1]))


@login_required
def item_list(request):
    user = request.user
    form = ItemFilterForm(request.GET or None)
    values = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = DisclosureItem.objects.visible_to(user).select_related("community")
    for key in ("community", "board", "status"):
        if values.get(key):
            found = found.filter(**{f"{key}_id" if key == "community" else key: values[key]})
    page = Paginator(found.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(values.get("page"))
    rows = [{"item": i, "next": next_step(i)} for i in page.object_list]
    kept = {key: values[key] for key in ("community", "board", "status") if values.get(key)}
    return render(request, "web/disclosure/list.html", {
        "form": form, "page": page, "rows": rows, "query": urlencode(kept), "communities": _communities(user),
        "chosen_community": values.get("community"),
    })


# The item page -----------------------------------------------------------------------------------------

def _item(request, pk: int) -> DisclosureItem:
    visible = visible_or_404(DisclosureItem, request.user, pk)
    return (DisclosureItem.objects.select_related(
        "community", "created_by", "reviewed_by", "signed_by", "published_by", "decision__meeting", "supersedes")
        .get(pk=visible.pk))


class ReviewForm(forms.Form):
    approved = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", "1"), ("0", "0")])
    note = forms.CharField(label=gettext_lazy("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    agenda_item = forms.IntegerField(label=gettext_lazy("会议通过的议题"))


class PublishForm(forms.Form):
    published_at = forms.DateTimeField(label=gettext_lazy("公开时间（留空为现在）"), required=False,
                                       widget=DATETIME_LOCAL)
    withdraw_on = forms.DateField(label=gettext_lazy("撤下日期"), required=False, widget=DATE)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤下原因"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("附件（PDF、JPG、PNG、DOCX、XLSX）"))


def _decision_choices(user, item: DisclosureItem):
    """Passed items of this community's meetings of the kinds that decide for the item's board."""
    kinds = services.PARTY_DECIDING_KINDS if item.board == Board.PARTY else services.RESIDENTS_DECIDING_KINDS
    return list(AgendaItem.objects.filter(meeting__in=Meeting.objects.visible_to(user),
                                          meeting__body__area=item.community, meeting__kind__in=kinds,
                                          status=AgendaItem.Status.PASSED)
                .select_related("meeting").order_by("-meeting__held_at", "-pk")[:DECISION_CHOICES])


def _steps(item: DisclosureItem) -> list[dict]:
    """The timeline: each step the board needs, with who and when once done."""
    steps = [{"label": _("草拟"), "done": True, "who": _name(item.created_by), "when": item.created_at}]
    if item.board == Board.RESIDENTS:
        returned = item.status == Status.RETURNED
        steps.append({"label": _("监委会退回修改") if returned else _("监委会审查"),
                      "done": item.reviewed_at is not None, "who": _name(item.reviewed_by),
                      "when": item.reviewed_at, "note": item.review_note, "warn": returned})
    meeting = item.decision.meeting if item.decision is not None else None
    steps.append({"label": _("集体研究决定"), "done": item.decision is not None, "when": meeting and meeting.held_at,
                  "who": meeting.title if meeting else "",
                  "link": reverse("web:meeting", args=[meeting.pk]) if meeting else "",
                  "note": item.decision.title if item.decision is not None else ""})
    if item.board == Board.PARTY:
        steps.append({"label": _("负责人签字"), "done": item.signed_at is not None, "who": _name(item.signed_by),
                      "when": item.signed_at})
    steps.append({"label": pgettext("publish", "公开"), "done": item.published_at is not None,
                  "who": _name(item.published_by), "when": item.published_at})
    if item.withdrawn_at:
        steps.append({"label": _("撤下"), "done": True, "when": item.withdrawn_at, "note": item.withdraw_reason})
    return steps


def _may(user, item: DisclosureItem) -> dict:
    """Which action forms to offer; the services judge again on every post."""
    on = scope.today()
    staff = services.board_staff(user, item.community, item.board, on)
    party, status = item.board == Board.PARTY, item.status
    editable = status in services.EDITABLE
    supervisor = (not party and editable
                  and services.holds(user, item.community, Body.Kind.SUPERVISION_COMMITTEE, on))
    head = party and status == Status.DECIDED and services.holds(
        user, item.community, Body.Kind.COMMUNITY_PARTY_ORG, on, services.PARTY_HEADS)
    published = status in (Status.PUBLISHED, Status.WITHDRAWN)
    return {
        "edit": staff and editable, "attach": staff and editable, "review": supervisor,
        "decide": staff and (editable if party else status == Status.REVIEWED),
        "sign": head, "publish": staff and status == (Status.SIGNED if party else Status.DECIDED),
        "withdraw": staff and status == Status.PUBLISHED and item.timing_class != PERMANENT,
        "correct": staff and published and not DisclosureItem.objects.filter(supersedes=item).exists(),
    }


def _item_page(request, item: DisclosureItem, *, bound: dict | None = None, refusal: dict | None = None,
               status: int = 200):
    user, bound = request.user, bound or {}
    may = _may(user, item)
    correction = None
    if item.correction_required_at:
        judged = feedback_services.objection_status(item)
        correction = {"arithmetic": judged.arithmetic_en if _english() else judged.arithmetic_zh,
                      "rule": OBJECTION_MAJORITY.id}
    successor = DisclosureItem.objects.filter(supersedes=item).only("pk", "title", "status").first()
    timing = TIMING_CLASSES.get(item.timing_class, (item.timing_class, item.timing_class))
    return render(request, "web/disclosure/detail.html", {
        "item": item, "may": may, "refusal": refusal, "steps": _steps(item), "next": next_step(item),
        "timing_label": timing[1] if _english() else timing[0], "tables": _tables_view(item.tables),
        "attachments": list(item.attachments.all()), "successor": successor, "correction": correction,
        "feedback": list(item.feedback.order_by("-received_at")[:20]),
        "choices": _decision_choices(user, item) if may["decide"] or "decision" in bound else [],
        "forms": {
            "review": bound.get("review") or ReviewForm(),
            "decision": bound.get("decision") or DecisionForm(),
            "publish": bound.get("publish") or PublishForm(initial={"withdraw_on": item.withdraw_on}),
            "withdraw": bound.get("withdraw") or WithdrawForm(),
            "attach": bound.get("attach") or AttachForm(),
        },
    }, status=status)


def _tables_view(tables: list[dict]) -> list[dict]:
    return [{"label": KIND_LABELS.get(t.get("kind"), t.get("kind")), "month": t.get("month"),
             "columns": [(c, COLUMN_LABELS[c], c in MONEY[t["kind"]]) for c in COLUMNS[t["kind"]]],
             "rows": [[(row.get(c, ""), c in MONEY[t["kind"]]) for c in COLUMNS[t["kind"]]] for row in t["rows"]],
             "totals": [(COLUMN_LABELS[name], t.get(name, "")) for name in TOTALS[t["kind"]]]}
            for t in tables if t.get("kind") in COLUMNS]


@login_required
def item_detail(request, pk: int):
    return _item_page(request, _item(request, pk))


def _act(request, pk: int, slot: str, form_class, call, success: str):
    """Validate the slot's form, call one service, redirect; or show the page again with the refusal."""
    item = _item(request, pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return _item_page(request, item, bound={slot: form}, refusal={"message": form_error(form)}, status=400)
    try:
        call(item, form.cleaned_data)
    except DomainError as exc:
        return _item_page(request, _item(request, pk), bound={slot: form}, refusal=_refusal(exc),
                          status=exc.status)
    messages.success(request, success)
    return redirect("web:disclosure_item", pk=pk)


@require_POST
@login_required
def review(request, pk: int):
    def call(item, d):
        services.review(request.user, item, approved=d["approved"], note=d["note"])

    approved = request.POST.get("approved") == "1"
    return _act(request, pk, "review", ReviewForm, call,
                _("已审查同意。") if approved else _("已退回居委会修改。"))


@require_POST
@login_required
def decision(request, pk: int):
    def call(item, d):
        agenda_item = (AgendaItem.objects.filter(meeting__in=Meeting.objects.visible_to(request.user),
                                                 pk=d["agenda_item"]).select_related("meeting__body").first())
        if agenda_item is None:
            raise NotFound()
        services.record_decision(request.user, item, agenda_item=agenda_item)

    return _act(request, pk, "decision", DecisionForm, call, _("已登记集体研究决定。"))


@require_POST
@login_required
def sign(request, pk: int):
    return _act(request, pk, "sign", forms.Form, lambda item, _d: services.sign(request.user, item),
                _("已签字。"))


@require_POST
@login_required
def publish(request, pk: int):
    return _act(request, pk, "publish", PublishForm, lambda item, d: services.publish(
        request.user, item, published_at=d["published_at"], withdraw_on=d["withdraw_on"]), _("已公开。"))


@require_POST
@login_required
def withdraw(request, pk: int):
    return _act(request, pk, "withdraw", WithdrawForm,
                lambda item, d: services.withdraw(request.user, item, reason=d["reason"]), _("已撤下。"))


@require_POST
@login_required
def attach(request, pk: int):
    def call(item, d):
        upload = d["file"]
        services.attach(request.user, item, name=upload.name, content=upload.read())

    return _act(request, pk, "attach", AttachForm, call, _("附件已上传。"))


@login_required
def attachment(request, pk: int, attachment_pk: int):
    item = visible_or_404(DisclosureItem, request.user, pk)
    found = Attachment.objects.filter(item=item, pk=attachment_pk).first()
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name,
                        content_type=found.media_type)


# Feedback ----------------------------------------------------------------------------------------------

class FeedbackFilterForm(forms.Form):
    community = row_id_field()
    status = forms.ChoiceField(required=False, choices=[("", gettext_lazy("全部")), *Feedback.Status.choices])
    page = forms.IntegerField(required=False, min_value=1)


def _feedback_row(user, feedback: Feedback) -> dict:
    personal = scope.has_perm(user, Perm.VIEW_PERSONAL_DATA, feedback.community)
    return staff_feedback(feedback, personal=personal) | {
        "obj": feedback, "kind_label": Feedback.Kind(feedback.kind).label,
        "status_label": Feedback.Status(feedback.status).label, "board_label": Board(feedback.board).label}


@login_required
def feedback_list(request):
    user = request.user
    form = FeedbackFilterForm(request.GET or None)
    values = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = Feedback.objects.visible_to(user).select_related("community", "item")
    if values.get("community"):
        found = found.filter(community_id=values["community"])
    if values.get("status"):
        found = found.filter(status=values["status"])
    open_first = Case(When(status=Feedback.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    page = Paginator(found.order_by(open_first, "due_on", "-received_at", "-pk"), PAGE_SIZE).get_page(
        values.get("page"))
    kept = {key: values[key] for key in ("community", "status") if values.get(key)}
    return render(request, "web/disclosure/feedback_list.html", {
        "form": form, "page": page, "rows": [_feedback_row(user, f) for f in page.object_list],
        "query": urlencode(kept), "communities": _communities(user), "chosen_community": values.get("community"),
    })


class ReplyForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("答复内容"), widget=forms.Textarea(attrs={"rows": 5}))
    public = forms.BooleanField(label=gettext_lazy("在公开栏公开答复"), required=False)
    face_to_face_on = forms.DateField(label=gettext_lazy("当面答复日期"), required=False, widget=DATE)


def _feedback(request, pk: int) -> Feedback:
    visible = visible_or_404(Feedback, request.user, pk)
    return Feedback.objects.select_related("community", "item", "replied_by").get(pk=visible.pk)


def _feedback_page(request, feedback: Feedback, *, form=None, refusal=None, status=200):
    user = request.user
    is_open = feedback.status == Feedback.Status.OPEN
    may_reply = is_open and services.board_staff(user, feedback.community, feedback.board, scope.today())
    report = feedback.kind == Feedback.Kind.REPORT
    return render(request, "web/disclosure/feedback.html", {
        "f": _feedback_row(user, feedback), "feedback": feedback, "may_reply": may_reply, "report": report,
        "replied_by": _name(feedback.replied_by), "refusal": refusal,
        "form": form or ReplyForm(initial={"public": not report}),
    }, status=status)


@login_required
def feedback_detail(request, pk: int):
    return _feedback_page(request, _feedback(request, pk))


@require_POST
@login_required
def feedback_reply(request, pk: int):
    feedback = _feedback(request, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _feedback_page(request, feedback, form=form, refusal={"message": form_error(form)}, status=400)
    d = form.cleaned_data
    try:
        feedback_services.reply(request.user, feedback, text=d["text"], face_to_face_on=d["face_to_face_on"],
                                public=d["public"] and feedback.kind != Feedback.Kind.REPORT)
    except DomainError as exc:
        return _feedback_page(request, _feedback(request, pk), form=form, refusal=_refusal(exc), status=exc.status)
    messages.success(request, _("答复已保存。"))
    return redirect("web:disclosure_feedback_item", pk=pk)


# Obligations and the street dashboard ------------------------------------------------------------------

def _streets(user):
    return Area.objects.visible_to(user).filter(level=Area.Level.STREET).order_by("path")[:CHOICES_LIMIT]


@login_required
def obligation_list(request):
    user = request.user
    communities = list(_communities(user))
    chosen = request.GET.get("community")
    community = visible_or_404(Area, user, chosen) if chosen else (communities[0] if communities else None)
    if community is not None and community.level != Area.Level.COMMUNITY:
        raise Http404
    rows = []
    if community is not None:
        english = _english()
        for o in obligation_queries.obligations(community, scope.today()):
            label = obligation_queries.STATE_LABELS[o.state]
            rows.append({"o": o, "state_label": label[1] if english else label[0],
                         "board_label": Board(o.board).label})
    return render(request, "web/disclosure/obligations.html", {
        "communities": communities, "community": community, "rows": rows, "may_status": bool(_streets(user)),
    })


@login_required
def street_status(request):
    user = request.user
    streets = list(_streets(user))
    if not streets:
        return render(request, "web/disclosure/status.html", {"streets": []}, status=403)
    chosen = request.GET.get("street")
    street = next((s for s in streets if str(s.pk) == chosen), streets[0]) if chosen else streets[0]
    communities = list(Area.objects.below(street).filter(level=Area.Level.COMMUNITY).visible_to(user)
                       .order_by("code")[:CHOICES_LIMIT])
    rows = obligation_queries.street_status(communities, scope.today())
    rows.sort(key=lambda s: (-s.overdue, -s.unanswered_overdue, -s.correction_required, -s.due, -s.late,
                             s.community.path))
    return render(request, "web/disclosure/status.html", {"streets": streets, "street": street, "rows": rows})
