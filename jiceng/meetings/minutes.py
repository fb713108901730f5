"""Meeting minutes (issue #3 point 5): drafted from the record, edited while draft, signed off and frozen.

The text is plain and structured, so people can edit it in a text box and it still renders in the official
layout: "# " the title, "## 一、" sections, "### （一）" subsections, "#### 1." items (A-FMT-08), "- " lines
and paragraphs. It renders as a printable HTML page and as a .docx (GB/T 9704-2012 defaults and the seeds'
fixed 30-pound line spacing: rules-admin A-FMT-01/04/06/07).

Rules: R-HEAR-09 / A-HEAR-08 (the five parts of a hearing, in order, checked at sign-off), R-HEAR-14 (hearing
minutes hold the basic information, the representatives' opinions and the preferred plan before sign-off),
R-EVAL-09/11 (the four duty reports in order, the liaison leader's comments), R-DOC-04 (PWC minutes are signed
off by the secretary or a deputy secretary and then frozen), R-PWC-11 (written opinions of absent members are kept
but never counted). Closing a meeting needs signed minutes (services.close_meeting: R-HEAR-13, R-MTG-18,
A-MEET-05). Signing records the text's SHA-256 in the audit chain, so a later archive can be checked
against it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, PermissionDenied, ValidationFailed
from jiceng.orgs.models import Membership, Role
from jiceng.rules.admin_meetings import HEARING_STEPS
from jiceng.rules.base import check
from jiceng.rules.meetings import HEAR_ORDER, HEARING_MINUTES, PWC_MINUTES_SIGNER

from .models import AgendaItem, Attendance, Kind, Meeting, Minutes, NamedVote
from .services import EVALUATION_REPORT_ROLES

PWC_SIGNER_ROLES = (Role.PWC_SECRETARY, Role.PWC_DEPUTY_SECRETARY)
# R-HEAR-09: the order of business of a hearing, as the rulebook gives it; the minutes' "会议程序" headings.
HEARING_ORDER = HEAR_ORDER.params.steps
HEARING_PARTS = ("基本情况", "代表意见", "倾向性方案")  # R-HEAR-14
NOT_COUNTED = "不计入票数"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Services --------------------------------------------------------------------------------------------

def _require(actor, perm: str, meeting: Meeting) -> None:
    area = meeting.body.area
    if not scope.has_perm(actor, perm, area):
        raise PermissionDenied(f"您在「{area}」没有「{Perm(perm).label}」权限。",
                               f"You lack the '{perm}' permission on {area.code}.",
                               facts={"permission": perm, "area": area.code})


def _unfrozen(minutes: Minutes, meeting: Meeting) -> None:
    """Signed minutes never change: R-DOC-04 for PWC minutes, A-FMT-13 (no edits after sign-off) for all."""
    if minutes.status == Minutes.Status.SIGNED:
        rule = PWC_MINUTES_SIGNER.id if meeting.kind == Kind.PWC_MEETING else "A-FMT-13"
        raise Conflict(f"会议纪要已签发，不能再修改（{rule}）。", f"The minutes are signed off and frozen ({rule}).",
                       code="minutes_frozen", rule=rule,
                       facts={"signed_at": minutes.signed_at.isoformat() if minutes.signed_at else None})


def _person_id(actor) -> int | None:
    return getattr(getattr(actor, "account", None), "person_id", None)


@transaction.atomic
def generate_minutes(actor, meeting: Meeting) -> Minutes:
    """Draft the minutes of a held meeting from its record, or redraft them while still a draft.

    Raises PermissionDenied (no RUN_MEETINGS on the body's area), Conflict `minutes_frozen` once signed,
    Conflict `meeting_not_held` before the meeting was held."""
    # Lock the meeting row only: chair and recorder are nullable, and PostgreSQL cannot lock an outer join.
    meeting = (Meeting.objects.select_for_update(of=("self",)).select_related("body__area", "chair", "recorder")
               .get(pk=meeting.pk))
    _require(actor, Perm.RUN_MEETINGS, meeting)
    minutes = Minutes.objects.select_for_update(of=("self",)).filter(meeting=meeting).first()
    if minutes is not None:
        _unfrozen(minutes, meeting)
    if meeting.status != Meeting.Status.HELD:
        raise Conflict(f"会议{meeting.get_status_display()}，召开后才能形成纪要。",
                       f"The meeting is {meeting.status}; minutes follow the meeting.",
                       code="meeting_not_held", facts={"status": meeting.status})
    text = compose_minutes(meeting)
    regenerated = minutes is not None
    if minutes is None:
        minutes = Minutes.objects.create(meeting=meeting, text=text)
    else:
        minutes.text = text
        minutes.save(update_fields=["text", "updated_at"])
    record_event(actor, "meetings.minutes_generated", meeting, area=meeting.body.area,
                 after={"minutes": minutes.pk, "regenerated": regenerated, "content_hash": content_hash(text)})
    return minutes


@transaction.atomic
def edit_minutes(actor, minutes: Minutes, text: str) -> Minutes:
    """Replace the text of draft minutes. Line endings are normalised, so the signed hash does not depend
    on the browser. Raises PermissionDenied, Conflict `minutes_frozen` after sign-off (R-DOC-04),
    ValidationFailed for an empty text."""
    minutes = Minutes.objects.select_for_update(of=("self",)).select_related("meeting__body__area").get(pk=minutes.pk)
    _require(actor, Perm.RUN_MEETINGS, minutes.meeting)
    _unfrozen(minutes, minutes.meeting)
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationFailed("纪要正文不能为空。", "The minutes need a text.", facts={"field": "text"})
    before = content_hash(minutes.text)
    minutes.text = text + "\n"
    minutes.save(update_fields=["text", "updated_at"])
    record_event(actor, "meetings.minutes_edited", minutes.meeting, area=minutes.meeting.body.area,
                 before={"content_hash": before},
                 after={"minutes": minutes.pk, "content_hash": content_hash(minutes.text)})
    return minutes


@transaction.atomic
def sign_minutes(actor, minutes: Minutes) -> Minutes:
    """Sign the minutes off and freeze them; the text's SHA-256 goes into the minutes and the audit chain.

    PWC minutes: the signer's person holds the secretary's or a deputy secretary's office in the body on the
    meeting date (R-DOC-04, RuleViolation `signer_not_authorised`). Other kinds: the chair, or a user with
    RUN_MEETINGS on the body's area (PermissionDenied `signer_not_authorised`). Hearing minutes need their
    three parts filled in (R-HEAR-14, RuleViolation `minutes_incomplete`). Signed minutes are Conflict
    `minutes_frozen`."""
    minutes = (Minutes.objects.select_for_update(of=("self",)).select_related("meeting__body__area")
               .get(pk=minutes.pk))
    meeting = minutes.meeting
    _unfrozen(minutes, minutes.meeting)
    _check_signer(actor, meeting)
    if meeting.kind == Kind.HEARING:
        missing = missing_hearing_parts(minutes.text)
        check(HEARING_MINUTES, area=meeting.body.area, on=meeting.occurred_on, satisfied=not missing,
              missing=missing)
        check(HEARING_STEPS, area=meeting.body.area, on=meeting.occurred_on, done=hearing_steps(minutes.text))
    digest = content_hash(minutes.text)
    minutes.status, minutes.signed_by, minutes.signed_at = Minutes.Status.SIGNED, actor, timezone.now()
    minutes.content_hash = digest
    minutes.save(update_fields=["status", "signed_by", "signed_at", "content_hash", "updated_at"])
    # Filing: there is no archive yet, so the audit chain keeps the hash `jiceng verify` can compare later.
    record_event(actor, "meetings.minutes_signed", meeting, area=meeting.body.area,
                 after={"minutes": minutes.pk, "content_hash": digest, "signed_at": minutes.signed_at.isoformat(),
                        "signer_person": _person_id(actor),
                        "rule": PWC_MINUTES_SIGNER.id if meeting.kind == Kind.PWC_MEETING else None})
    return minutes


def _check_signer(actor, meeting: Meeting) -> None:
    _require(actor, Perm.VIEW, meeting)
    person_id = _person_id(actor)
    if meeting.kind == Kind.PWC_MEETING:
        holds = person_id is not None and Membership.objects.on(meeting.occurred_on).filter(
            person_id=person_id, body=meeting.body, role__in=PWC_SIGNER_ROLES).exists()
        check(PWC_MINUTES_SIGNER, area=meeting.body.area, on=meeting.occurred_on, satisfied=holds,
              signer=actor.get_username(), person=person_id)
        return
    if person_id is not None and person_id == meeting.chair_id:
        return
    if scope.has_perm(actor, Perm.RUN_MEETINGS, meeting.body.area):
        return
    raise PermissionDenied("只有会议主持人或会议组织者可以签发纪要。",
                           "Only the chair or a user who runs the body's meetings may sign the minutes off.",
                           code="signer_not_authorised")


# Sections of the text ----------------------------------------------------------------------------------

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百\d]+[）)]|\d+[.、．])\s*")


def _heading(line: str) -> tuple[int, str] | None:
    match = re.match(r"^(#{1,6})\s+(.*)$", line.strip())
    return (len(match.group(1)), match.group(2).strip()) if match else None


def section_text(text: str, name: str) -> str | None:
    """The content under the heading called `name` (numbering aside), up to the next heading of the same or
    a higher level; None when there is no such heading. Sub-headings alone do not count as content."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        found = _heading(line)
        if found is None or _NUMBERING.sub("", found[1]) != name:
            continue
        body = []
        for following in lines[i + 1:]:
            sub = _heading(following)
            if sub is not None and sub[0] <= found[0]:
                break
            if sub is None:
                body.append(following)
        return "\n".join(body).strip()
    return None


def subheadings(text: str, name: str) -> list[str]:
    """The headings one level below the heading called `name`, in order, numbering aside."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        found = _heading(line)
        if found is None or _NUMBERING.sub("", found[1]) != name:
            continue
        names = []
        for following in lines[i + 1:]:
            sub = _heading(following)
            if sub is not None and sub[0] <= found[0]:
                break
            if sub is not None and sub[0] == found[0] + 1:
                names.append(_NUMBERING.sub("", sub[1]))
        return names
    return []


def hearing_steps(text: str) -> list[str]:
    """A-HEAR-08: the steps the minutes' "会议程序" records, named as A-HEAR-08 names them. The minutes use
    R-HEAR-09's five headings (000-A); they are the same five steps as 001's, one for one, in the same order."""
    same_step = dict(zip(HEARING_ORDER, HEARING_STEPS.params.steps, strict=True))
    return [same_step[name] for name in subheadings(text, "会议程序") if name in same_step]


def missing_hearing_parts(text: str) -> list[str]:
    """R-HEAR-14: the parts of hearing minutes that are absent or empty."""
    return [part for part in HEARING_PARTS if not section_text(text, part)]


# Composing the draft -----------------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (heading numbers up to 99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def full_date(value) -> str:
    """A-FMT-05: year, month and day in full, without leading zeros ("2024年6月1日")."""
    return f"{value.year}年{value.month}月{value.day}日"


def minutes_title(meeting: Meeting) -> str:
    title = meeting.title.strip()
    return f"{title}纪要" if title.endswith(("会议", "会")) else f"{title}会议纪要"


def _names(people) -> str:
    return "、".join(p.name for p in people) or "无"


class _Draft:
    """Collects lines and numbers the level-one sections 一、二、三 …"""

    def __init__(self, title: str):
        self.lines = [f"# {title}", ""]
        self.count = 0

    def section(self, title: str) -> None:
        self.count += 1
        self.lines += [f"## {_cn(self.count)}、{title}", ""]

    def heading(self, level: int, title: str) -> None:
        self.lines += [f"{'#' * level} {title}", ""]

    def add(self, *lines: str) -> None:
        self.lines += [*lines, ""]

    def text(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"


def compose_minutes(meeting: Meeting) -> str:
    """The draft text of the minutes from the meeting's record (nothing is written). Chinese regardless of
    the user's language: the minutes are an official document."""
    with translation.override("zh-hans"):
        return _compose(meeting)


def _compose(meeting: Meeting) -> str:
    attendance = list(meeting.attendance.select_related("person").order_by("person__name_pinyin", "pk"))
    items = list(meeting.items.prefetch_related("recusals__person", "named_votes__person",
                                                "written_opinions__person").order_by("order", "pk"))
    opinions = list(meeting.written_opinions.select_related("person", "item").order_by("pk"))
    draft = _Draft(minutes_title(meeting))
    draft.section("会议基本情况")
    held = timezone.localtime(meeting.held_at) if meeting.held_at else None
    unknown = "（未记录）"
    draft.add(f"- 会议名称：{meeting.title}", f"- 会议类型：{Kind(meeting.kind).label}",
              f"- 召开机构：{meeting.body.name}",
              f"- 时间：{full_date(held)} {held:%H:%M}" if held else f"- 时间：{unknown}",
              f"- 地点：{meeting.location or '（未填写）'}",
              f"- 主持人：{meeting.chair.name if meeting.chair else unknown}",
              f"- 记录人：{meeting.recorder.name if meeting.recorder else unknown}",
              f"- 规则库版本：{meeting.rulebook_version or 'default'}")
    draft.section("出席情况")
    _attendance(draft, attendance)
    if meeting.kind == Kind.HEARING:
        _hearing(draft, meeting, attendance, items)
    else:
        if meeting.kind == Kind.EVALUATION_MEETING:
            _evaluation(draft, meeting)
        if items:
            draft.section("议题及表决情况")
            for n, item in enumerate(items, 1):
                draft.heading(3, f"（{_cn(n)}）{item.title}")
                draft.add(*_item_lines(item))
        if meeting.kind == Kind.EVALUATION_MEETING:
            draft.section("分包领导点评")  # R-EVAL-11: the liaison leader's comments, filled in by the recorder
            draft.add(f"点评人：{meeting.chair.name if meeting.chair else '（未记录）'}")
    if opinions:
        draft.section(f"未到会成员书面意见（{NOT_COUNTED}）")
        draft.add(*(f"- {o.person.name}{'（就「' + o.item.title + '」）' if o.item else ''}：{o.text}"
                    f"（{NOT_COUNTED}）" for o in opinions))
    if meeting.overrides:
        draft.section("例外处理")
        draft.add(*(f"- {o.get('rule', '')}（{o.get('code', '')}）：{o.get('reason', '')}（{o.get('by', '')}，"
                    f"{o.get('at', '')[:10]}）" for o in meeting.overrides))
    return draft.text()


def _attendance(draft: _Draft, attendance: list[Attendance]) -> None:
    expected = [a for a in attendance if a.expected]
    by_status = {s: [a.person for a in expected if a.status == s] for s in Attendance.Status.values}
    invited = [a.person for a in attendance if not a.expected and a.status == Attendance.Status.PRESENT]
    present, leave, absent = (by_status[Attendance.Status.PRESENT], by_status[Attendance.Status.LEAVE],
                              by_status[Attendance.Status.ABSENT] + by_status[Attendance.Status.EXPECTED])
    draft.add(f"应到{len(expected)}人，实到{len(present)}人，请假{len(leave)}人，缺席{len(absent)}人"
              + (f"，列席{len(invited)}人。" if invited else "。"))
    lines = [f"- 出席：{_names(present)}", f"- 请假：{_names(leave)}", f"- 缺席：{_names(absent)}"]
    if invited:
        lines.append(f"- 列席（不参加表决）：{_names(invited)}")
    draft.add(*lines)


def _item_lines(item: AgendaItem) -> list[str]:
    kind = AgendaItem.ItemKind(item.kind).label + ("（临时增加）" if item.added_ad_hoc else "")
    lines = [f"- 议题类型：{kind}"]
    if item.method:
        lines.append(f"- 表决方式：{AgendaItem.Method(item.method).label}")
    if item.yes is not None:
        lines.append(f"- 表决结果：{item.yes} 赞成，{item.no or 0} 反对，{item.abstain or 0} 弃权")
    lines.append(f"- 结果：{AgendaItem.Status(item.status).label}")
    arithmetic = (item.basis or {}).get("arithmetic")
    if arithmetic:
        lines.append(f"- 计算：{arithmetic}（{item.rule}）" if item.rule else f"- 计算：{arithmetic}")
    named = list(item.named_votes.all())
    if named:
        by_choice = [f"{choice.label}：{_names(v.person for v in named if v.choice == choice)}"
                     for choice in NamedVote.Choice]
        lines.append("- 记名表决：" + "；".join(by_choice))
    recused = [x.person for x in item.recusals.all()]
    if recused:
        lines.append(f"- 回避：{_names(recused)}")
    for opinion in item.written_opinions.all():
        lines.append(f"- 书面意见（{NOT_COUNTED}）：{opinion.person.name}：{opinion.text}")
    if item.note:
        lines.append(f"- 备注：{item.note}")
    return lines


def _hearing(draft: _Draft, meeting: Meeting, attendance: list[Attendance], items: list[AgendaItem]) -> None:
    """R-HEAR-09: the five parts in order, then R-HEAR-14's three parts, left for the recorder to fill in."""
    draft.section("会议程序")
    present = sum(1 for a in attendance if a.status == Attendance.Status.PRESENT)
    for n, part in enumerate(HEARING_ORDER, 1):
        draft.heading(3, f"（{_cn(n)}）{part}")
        if n == 1:
            agenda = "；".join(f"{i}. {item.title}" for i, item in enumerate(items, 1)) or "（无）"
            chair = meeting.chair.name if meeting.chair else "主持人"
            draft.add(f"{chair}介绍到会人员（到会{present}人），宣布听证会议程：{agenda}。")
        elif n == len(HEARING_ORDER):
            for i, item in enumerate(items, 1):
                draft.heading(4, f"{i}. {item.title}")
                draft.add(*_item_lines(item))
    draft.section("听证会议纪要")
    for n, part in enumerate(HEARING_PARTS, 1):
        draft.heading(3, f"（{_cn(n)}）{part}")


def _evaluation(draft: _Draft, meeting: Meeting) -> None:
    """R-EVAL-09: the four duty reports in reporting order; R-EVAL-10: ballots counted on the spot."""
    reports = {d.role: d for d in meeting.duty_reports.select_related("person")}
    draft.section("述职情况")
    for n, role in enumerate(EVALUATION_REPORT_ROLES, 1):
        report = reports.get(role)
        draft.heading(3, f"（{_cn(n)}）{Role(role).label}述职" + (f"：{report.person.name}" if report else ""))
        if report is None:
            draft.add("（未提交述职报告）")
            continue
        draft.add(f"- 工作完成情况：{report.work_completed}", f"- 个人履职情况：{report.performance}",
                  f"- 下步工作打算：{report.next_steps}")
    issued = sum(b.count for b in meeting.ballot_batches.all())
    if issued:
        cast = meeting.ballots.filter(cast=True).count()
        draft.add(f"无记名测评：发出测评票{issued}张，收回{cast}张，现场统计并公布结果。")


# Rendering --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Block:
    kind: str  # "title", "h2", "h3", "h4" or "para"
    text: str


def blocks(minutes: Minutes) -> list[Block]:
    """The text as blocks; every non-empty line is one paragraph, "- " marks dropped as in official print."""
    out: list[Block] = []
    for line in minutes.text.splitlines():
        line = line.strip()
        if not line:
            continue
        heading = _heading(line)
        if heading is None:
            out.append(Block("para", line[2:].strip() if line.startswith("- ") else line))
        elif heading[0] == 1 and not any(b.kind == "title" for b in out):
            out.append(Block("title", heading[1]))
        else:
            out.append(Block(f"h{min(max(heading[0], 2), 4)}", heading[1]))
    if not any(b.kind == "title" for b in out):
        out.insert(0, Block("title", minutes_title(minutes.meeting)))
    return out


def signature(minutes: Minutes) -> dict | None:
    """Who signed and when, for the signature line; None while draft."""
    if minutes.status != Minutes.Status.SIGNED or minutes.signed_by is None:
        return None
    user = minutes.signed_by
    account = getattr(user, "account", None)
    name = (account.person.name if account is not None and account.person_id else "") or user.get_full_name() \
        or user.get_username()
    return {"name": name, "date": full_date(timezone.localtime(minutes.signed_at))}


def render_minutes_html(minutes: Minutes) -> str:
    """A printable page: A4, GB/T 9704 margins, 22 pt title, 16 pt body at exactly 30 pt (A-FMT-04/06/07)."""
    with translation.override("zh-hans"):
        return render_to_string("web/meetings/minutes_print.html", {
            "minutes": minutes, "meeting": minutes.meeting, "blocks": blocks(minutes),
            "signature": signature(minutes), "draft": minutes.status != Minutes.Status.SIGNED})


def render_minutes_docx(minutes: Minutes) -> bytes:
    """The minutes as .docx in the official layout (jiceng.core.officialdocx: A4; margins 37/35/28/26 mm; body
    仿宋_GB2312 16 pt, first line indented two characters; every paragraph exactly 30 pt; page numbers "— 1 —");
    title 方正小标宋简体 22 pt, centred; headings 黑体 / 楷体_GB2312 / 仿宋_GB2312 bold, 16 pt; a 草稿 line while
    draft and the signature line once signed."""
    from docx.shared import Pt

    from jiceng.core import officialdocx as ox

    doc = ox.new_document()
    if minutes.status != Minutes.Status.SIGNED:
        ox.paragraph(doc, "草稿（未签发）", ox.HEADING_FONTS["h2"], align=ox.Align.RIGHT, indent=False,
                     color="C00000")
    for block in blocks(minutes):
        if block.kind == "title":
            ox.paragraph(doc, block.text, ox.TITLE_FONT, ox.TITLE_SIZE, align=ox.Align.CENTER, indent=False)
            doc.core_properties.title = block.text
        elif block.kind == "para":
            ox.paragraph(doc, block.text, align=ox.Align.JUSTIFY)
        else:
            ox.paragraph(doc, block.text, ox.HEADING_FONTS[block.kind], bold=block.kind == "h4")
    signed = signature(minutes)
    if signed is not None:
        line = ox.paragraph(doc, f"签发人：{signed['name']}　　日期：{signed['date']}", align=ox.Align.RIGHT,
                            indent=False)
        line.paragraph_format.right_indent = Pt(64)  # A-FMT-05: the date sits four characters from the margin
    return ox.save(doc)
