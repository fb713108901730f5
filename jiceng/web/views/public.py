"""The public site of the disclosure boards (ARCHITECTURE §7, issue #4): readable without an account, small
server-rendered pages, printable sheets with a QR code for the physical board, an Atom feed per board and the
feedback box.

A board, an item or a community's home page is cached whole (`_whole_page`) until its community's boards change,
so a cached page costs two cache reads and no query. That is why these pages hold nothing per visitor: the
feedback form is anonymous and carries no CSRF token (there is no session for a forged request to ride on; the
box is throttled per address and has a honeypot), so its views are csrf_exempt. Everything shown comes through
`disclosure.presenters`, which masks personal data.
"""

from __future__ import annotations

import io
from functools import wraps

import segno
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from jiceng.core.errors import DomainError, NotFound, ValidationFailed
from jiceng.core.masking import mask_text
from jiceng.core.throttle import client_key, throttle
from jiceng.disclosure import feedback as feedback_services
from jiceng.disclosure.cache import TTL_SECONDS, cached, page_key
from jiceng.disclosure.models import Board, DisclosureItem, Feedback
from jiceng.disclosure.presenters import public_feedback, public_item
from jiceng.disclosure.public import board_items, public_community
from jiceng.rules.disclosure import CATEGORIES, TIMING_CLASSES

HOME_LATEST = 5  # items per board on the community's home page
FEED_LIMIT = 50
BOARD_QA_LIMIT = 20  # answered board-level questions shown under a board
SIZE_COOKIE = "gongkai_size"
YEAR = 365 * 24 * 3600
INLINE_TYPES = ("application/pdf", "image/jpeg", "image/png")
FORM_FIELDS = ("kind", "text", "name", "phone", "household")
PAGE_FILTERS = ("category", "period")  # the query parameters a cached page depends on


# Lookups (404 for whatever is not on a public board) -----------------------------------------------------

def _community_or_404(community_id: int):
    try:
        return public_community(community_id)
    except NotFound:
        raise Http404 from None


def _board_or_404(board: str) -> str:
    if board not in Board.values:
        raise Http404
    return board


def _on_board():
    """Items on a board today: published or superseded, not withdrawn and not past their withdrawal date
    (the same as `public.board_items`)."""
    today = timezone.localdate()
    return (DisclosureItem.objects.on_board().filter(Q(withdraw_on__isnull=True) | Q(withdraw_on__gt=today))
            .select_related("community", "superseded_by"))


def _item_or_404(item_id: int) -> DisclosureItem:
    item = _on_board().filter(pk=item_id).first()
    if item is None or item.community.level != item.community.Level.COMMUNITY or not item.community.is_open(
            timezone.localdate()):
        raise Http404
    return item


def _item_community(item_id: int) -> int | None:
    """The community an item belongs to, which never changes: cached, so a cached item page needs no query."""
    key = f"public-item-community:{item_id}"
    community_id = cache.get(key)
    if community_id is None:
        community_id = DisclosureItem.objects.filter(pk=item_id).values_list("community_id", flat=True).first()
        if community_id is not None:
            cache.set(key, community_id, None)
    return community_id


def _whole_page(community_of):
    """Serve a GET from the cache while the community's boards are unchanged (cache.page_key); cache what the
    view answers with 200. Only the filters the pages know are part of the key, so stray query parameters do not
    multiply the copies."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, **kwargs):
            community_id = community_of(**kwargs) if request.method == "GET" else None
            if community_id is None:
                return view(request, **kwargs)
            large = request.COOKIES.get(SIZE_COOKIE) == "large"
            filters = [request.GET.get(name, "")[:20] for name in PAGE_FILTERS]
            key = page_key(community_id, "|".join(["page", request.path, *filters, request.LANGUAGE_CODE,
                                                   "large" if large else ""]))
            html = cache.get(key)
            if html is not None:
                return HttpResponse(html)
            response = view(request, **kwargs)
            if response.status_code == 200:
                cache.set(key, response.content, TTL_SECONDS)
            return response

        return wrapper

    return decorate


def _community_kwarg(community_id: int, **_kwargs) -> int:
    return community_id


# Presentation --------------------------------------------------------------------------------------------

def _english(request_or_lang) -> bool:
    lang = request_or_lang if isinstance(request_or_lang, str) else getattr(request_or_lang, "LANGUAGE_CODE", "")
    return (lang or "").startswith("en")


def _absolute(request, path: str) -> str:
    """An absolute URL for QR codes and feeds: the configured site address, else the one the request came to."""
    return (settings.JICENG_SITE_URL or request.build_absolute_uri("/").rstrip("/")) + path


def _cache_key(request, *parts) -> str:
    # The date is part of the key: an item past its withdrawal date leaves the board at midnight, with no
    # change to the community's stamp.
    return "|".join([request.path, *map(str, parts), request.LANGUAGE_CODE, timezone.localdate().isoformat()])


def _columns(kind: str) -> list[tuple[str, str, bool]]:
    """(field, header, numeric) per table kind, in the order of the printed sheet."""
    if kind == "finance":
        return [("item", _("项目"), False), ("income", _("收入（元）"), True), ("expense", _("支出（元）"), True)]
    if kind == "distribution":
        return [("recipient", _("姓名"), False), ("id_number", _("身份证号"), False), ("building", _("楼栋"), False),
                ("amount", _("金额（元）"), True), ("note", _("备注"), False)]
    return [("member", _("党员"), False), ("amount", _("金额（元）"), True)]


def _table(table: dict) -> dict:
    """A masked table (`presenters.public_item`) as caption, headers, rows and a totals row."""
    kind = table.get("kind")
    rows = table.get("rows", [])
    columns = [c for c in _columns(kind) if c[2] or c[0] in ("item", "recipient", "member")
               or any(row.get(c[0]) for row in rows)]
    if kind == "finance":
        caption, totals = _("收支明细"), {"income": table.get("total_income"), "expense": table.get("total_expense")}
    elif kind == "distribution":
        caption, totals = _("发放明细"), {"amount": table.get("total")}
    else:
        caption = _("%(month)s 党费收缴明细") % {"month": table.get("month", "")}
        totals = {"amount": table.get("total")}
    return {
        "caption": caption,
        "columns": [{"label": label, "numeric": numeric} for _name, label, numeric in columns],
        "rows": [[{"value": row.get(name, ""), "numeric": numeric} for name, _label, numeric in columns]
                 for row in rows],
        "totals": [{"value": totals.get(name, "") if numeric else "", "numeric": numeric}
                   for name, _label, numeric in columns[1:]],
    }


def _present(item: DisclosureItem, lang: str) -> dict:
    """`presenters.public_item` plus what the pages need: labels in the reader's language, dates, links."""
    prefetch_related_objects([item], "attachments")  # one query, shared by the presenter and the links
    data = public_item(item)
    successor = getattr(item, "superseded_by", None) if item.status == DisclosureItem.Status.SUPERSEDED else None
    zh, en = TIMING_CLASSES[item.timing_class]
    data.update({
        "board_label": Board(item.board).label, "timing_label": en if _english(lang) else zh,
        "published_on": timezone.localdate(item.published_at) if item.published_at else None,
        "period_start": item.period_start, "period_end": item.period_end,
        "superseded": successor is not None,
        "successor_reason": successor.correction_reason if successor is not None else "",
        "url": reverse("web:public_item", args=[item.pk]),
        "successor_url": reverse("web:public_item", args=[successor.pk]) if successor is not None else "",
        "supersedes_url": reverse("web:public_item", args=[item.supersedes_id]) if item.supersedes_id else "",
        "tables": [_table(t) for t in data["tables"]],
        "attachments": [{"name": a.name, "size": a.size, "sha256": a.sha256, "media_type": a.media_type,
                         "url": reverse("web:public_attachment", args=[item.pk, a.pk])}
                        for a in item.attachments.all()],
    })
    return data


def _answered(queryset) -> list[dict]:
    """Answered messages with a public reply: the question (ID and phone numbers masked) and the reply."""
    answered = queryset.filter(status=Feedback.Status.ANSWERED, reply_public=True).exclude(kind=Feedback.Kind.REPORT)
    return [{**public_feedback(f), "text": mask_text(f.text), "kind_label": Feedback.Kind(f.kind).label}
            for f in answered.order_by("-replied_at")[:BOARD_QA_LIMIT]]


def _shell(request, template: str, context: dict, status: int = 200):
    context.setdefault("large_text", request.COOKIES.get(SIZE_COOKIE) == "large")
    return render(request, template, context, status=status)


# The feedback box ------------------------------------------------------------------------------------------

def _kinds(item: DisclosureItem | None) -> list[tuple[str, str]]:
    """询问 / 意见建议 / 检举; 不赞成 only against a residents'-affairs item (R-RDISC-06)."""
    kinds = [Feedback.Kind.QUESTION, Feedback.Kind.OPINION]
    if item is not None and item.board == Board.RESIDENTS:
        kinds.append(Feedback.Kind.OBJECTION)
    kinds.append(Feedback.Kind.REPORT)
    return [(k.value, k.label) for k in kinds]


def _feedback_form(item: DisclosureItem | None, values: dict | None = None, error: DomainError | None = None,
                   lang: str = "") -> dict:
    values = values or {"kind": Feedback.Kind.QUESTION}
    return {"kinds": _kinds(item), "values": values, "objection": item is not None and item.board == Board.RESIDENTS,
            "error": error.localized(lang) if error else "",
            "error_field": error.facts.get("field", "") if error else ""}


def _submit_feedback(request, community, board: str, item: DisclosureItem | None):
    """Receive the POSTed form: a redirect to the tracking page, or (form context, HTTP status) to show again."""
    values = {name: request.POST.get(name, "") for name in FORM_FIELDS}
    try:
        if request.POST.get("website"):  # the honeypot: people never see it, bots fill it in
            raise ValidationFailed("提交未被接受。", "The message was not accepted.", code="rejected_as_spam")
        throttle(client_key(request))
        feedback = feedback_services.submit(community=community, board=board, item=item, **values)
    except DomainError as exc:
        return _feedback_form(item, values, exc, request.LANGUAGE_CODE), exc.status
    # The fragment replaces the form's own (#feedback-title), which the browser would otherwise carry over.
    return redirect(f"{reverse('web:public_feedback_status', args=[feedback.tracking_code])}?sent=1#main")


# Pages -------------------------------------------------------------------------------------------------------

@require_GET
@_whole_page(_community_kwarg)
def community_home(request, community_id: int):
    """Both boards of a community with their newest items."""
    community = _community_or_404(community_id)
    lang = request.LANGUAGE_CODE
    boards = [{"code": b.value, "label": b.label, "url": reverse("web:public_board", args=[community.pk, b.value]),
               "items": [_present(i, lang) for i in board_items(community, b.value)[:HOME_LATEST]]}
              for b in Board]
    content = render_to_string("web/public/_home_content.html", {"community": community, "boards": boards})
    return _shell(request, "web/public/home.html", {"community": community, "content": mark_safe(content)})


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_whole_page(_community_kwarg)
def board_page(request, community_id: int, board: str):
    """One board, newest first, filtered by category and period; the board-level feedback form below."""
    community = _community_or_404(community_id)
    board = _board_or_404(board)
    form, status = _feedback_form(None), 200
    if request.method == "POST":
        outcome = _submit_feedback(request, community, board, None)
        if not isinstance(outcome, tuple):
            return outcome
        form, status = outcome
    categories = CATEGORIES[board]
    category = request.GET.get("category", "")
    category = category if category in categories else ""
    period = applied = request.GET.get("period", "").strip()[:20]
    filter_error = ""
    try:
        items = board_items(community, board, category=category or None, period=period or None)
    except ValidationFailed as exc:  # shown next to the field, which keeps what was typed; no period applied
        filter_error, status, applied = exc.localized(request.LANGUAGE_CODE), 400, ""
        items = board_items(community, board, category=category or None)
    lang = request.LANGUAGE_CODE
    content = render_to_string("web/public/_board_content.html", {
        "community": community, "board": board, "board_label": Board(board).label,
        "items": [_present(i, lang) for i in items], "filtered": bool(category or applied),
        "answered": _answered(Feedback.objects.filter(community=community, board=board, item=None)),
    })
    context = {"community": community, "board": board, "board_label": Board(board).label,
               "categories": categories.items(), "category": category, "period": period,
               "filter_error": filter_error, "content": mark_safe(content), "form": form}
    return _shell(request, "web/public/board.html", context, status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_whole_page(_item_community)
def item_page(request, item_id: int):
    """One item: content, tables, attachments, versions, answered feedback; the feedback form for it."""
    item = _item_or_404(item_id)
    community = item.community
    open_for_feedback = item.status == DisclosureItem.Status.PUBLISHED
    form, status = _feedback_form(item), 200
    if request.method == "POST":
        if not open_for_feedback:
            raise Http404
        outcome = _submit_feedback(request, community, item.board, item)
        if not isinstance(outcome, tuple):
            return outcome
        form, status = outcome
    content = render_to_string("web/public/_item_content.html", {
        "community": community, "item": _present(item, request.LANGUAGE_CODE),
        "answered": _answered(Feedback.objects.filter(item=item))})
    context = {"community": community, "board": item.board, "board_label": Board(item.board).label,
               "item": item, "title": item.title, "content": mark_safe(content), "form": form,
               "open_for_feedback": open_for_feedback}
    return _shell(request, "web/public/item.html", context, status)


@require_GET
def attachment(request, item_id: int, attachment_id: int):
    """The file of an attachment of an item on a board, with its checked type and its name."""
    item = _item_or_404(item_id)
    att = item.attachments.filter(pk=attachment_id).first()
    if att is None:
        raise Http404
    try:
        handle = att.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=att.media_type, filename=att.name,
                            as_attachment=att.media_type not in INLINE_TYPES)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The feedback box: tracking ------------------------------------------------------------------------------

@require_GET
def feedback_lookup(request):
    """Type a tracking code; go to its page."""
    code = request.GET.get("code", "").strip().upper()
    error, status = "", 200
    if code:
        if feedback_services.by_tracking_code(code) is not None:
            return redirect("web:public_feedback_status", code=code)
        error, status = _("没有找到这个查询码，请核对后重试。"), 404
    return _shell(request, "web/public/lookup.html", {"code": code, "error": error}, status)


@require_GET
def feedback_status(request, code: str):
    """Where a message stands, and the reply if it is public; never the sender's contact details."""
    feedback = feedback_services.by_tracking_code(code)
    if feedback is None:
        raise Http404
    data = public_feedback(feedback)
    item = feedback.item
    on_board = item is not None and _on_board().filter(pk=item.pk).exists()
    context = {
        "feedback": data, "kind_label": Feedback.Kind(feedback.kind).label,
        "status_label": Feedback.Status(feedback.status).label, "answered": feedback.status == Feedback.Status.ANSWERED,
        "sent": request.GET.get("sent") == "1", "community": feedback.community,
        "board_label": Board(feedback.board).label,
        "board_url": reverse("web:public_board", args=[feedback.community_id, feedback.board]),
        "item_title": item.title if on_board else "", "item_url": reverse("web:public_item", args=[item.pk])
        if on_board else "", "due_on": feedback.due_on,
        "replied_on": timezone.localdate(feedback.replied_at) if feedback.replied_at else None,
    }
    response = _shell(request, "web/public/status.html", context)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"  # the code in the URL is the only key to the message
    return response


# Print sheets, QR codes, feeds ---------------------------------------------------------------------------------

def _qr(url: str) -> str:
    # segno writes the SVG itself from the URL's bits (and escapes the title): no user text reaches the markup.
    return segno.make(url, error="m").svg_inline(scale=4, border=2, title=_("二维码：%(url)s") % {"url": url})


def _qr_response(url: str) -> HttpResponse:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=True, title=url)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def board_print(request, community_id: int, board: str):
    """The current board as an A4 sheet for the physical board, with a QR code to this board online."""
    community = _community_or_404(community_id)
    board = _board_or_404(board)
    lang = request.LANGUAGE_CODE
    url = _absolute(request, reverse("web:public_board", args=[community.pk, board]))
    items = [_present(i, lang) for i in board_items(community, board)
             if i.status == DisclosureItem.Status.PUBLISHED]
    return render(request, "web/public/print_board.html", {
        "community": community, "board": board, "board_label": Board(board).label, "items": items,
        "today": timezone.localdate(), "url": url, "qr": mark_safe(_qr(url))})


@require_GET
def item_print(request, item_id: int):
    item = _item_or_404(item_id)
    url = _absolute(request, reverse("web:public_item", args=[item.pk]))
    return render(request, "web/public/print_item.html", {
        "community": item.community, "board_label": Board(item.board).label,
        "item": _present(item, request.LANGUAGE_CODE), "today": timezone.localdate(), "url": url,
        "qr": mark_safe(_qr(url))})


@require_GET
def board_qr(request, community_id: int, board: str):
    community = _community_or_404(community_id)
    board = _board_or_404(board)
    return _qr_response(_absolute(request, reverse("web:public_board", args=[community.pk, board])))


@require_GET
def item_qr(request, item_id: int):
    item = _item_or_404(item_id)
    return _qr_response(_absolute(request, reverse("web:public_item", args=[item.pk])))


@require_GET
def board_feed(request, community_id: int, board: str):
    """An Atom feed of a board: the items on it, newest first, with the same masked content as the pages."""
    community = _community_or_404(community_id)
    board = _board_or_404(board)
    lang = request.LANGUAGE_CODE

    def render_feed() -> str:
        board_url = _absolute(request, reverse("web:public_board", args=[community.pk, board]))
        feed = Atom1Feed(title=f"{community.name} · {Board(board).label}", link=board_url,
                         description=_("%(community)s%(board)s的公开事项") % {
                             "community": community.name, "board": Board(board).label},
                         language=lang, feed_url=_absolute(request, request.path), author_name=community.name)
        for item in board_items(community, board)[:FEED_LIMIT]:
            data = _present(item, lang)
            title = f"[{_('已更正')}] {item.title}" if data["superseded"] else item.title
            feed.add_item(title=title, link=_absolute(request, data["url"]), unique_id=_absolute(request, data["url"]),
                          description=render_to_string("web/public/_item_body.html", {"item": data}),
                          pubdate=item.published_at, updateddate=item.published_at,
                          categories=[item.category_label])
        return feed.writeString("utf-8")

    xml = cached(community.pk, _cache_key(request, "feed"), render_feed)
    return HttpResponse(xml, content_type="application/atom+xml; charset=utf-8")


# Reader preferences: plain links, no JavaScript ---------------------------------------------------------------

def _back(request) -> str:
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("web:public_lookup")
    return target


@require_GET
def text_size(request):
    """Larger text for older readers: a cookie read by the page shell (never by a cached fragment)."""
    response = redirect(_back(request))
    if request.GET.get("size") == "large":
        response.set_cookie(SIZE_COOKIE, "large", max_age=YEAR, samesite="Lax")
    else:
        response.delete_cookie(SIZE_COOKIE)
    return response


@require_GET
def language(request):
    """Switch between Chinese and English without an account (Django's language cookie)."""
    response = redirect(_back(request))
    choice = request.GET.get("language", "")
    if choice in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, choice, max_age=YEAR, samesite="Lax")
    return response
