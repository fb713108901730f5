"""Every change to a matter of the 「一征三议两公开」 method (rules-core §2.2): intake, the solicitation of opinions,
the three deliberations as linked meetings, the two publications as disclosure items, implementation with its
supervision, and closing the dossier.

Each function takes the acting user, checks permission and the step order of the community's template (urban or
村改居, never mixed), writes in one transaction, appends an audit event and files the step's record into the
matter's dossier. A step's date is when it happened (the meeting's date), and a step may not be dated before
the one it follows.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter

from django.db import transaction
from django.utils import timezone

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.archives import services as archives
from jiceng.archives.models import Dossier
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, PermissionDenied, ValidationFailed
from jiceng.disclosure import services as disclosure
from jiceng.disclosure.models import DisclosureItem
from jiceng.meetings.minutes import section_text
from jiceng.meetings.models import AgendaItem, Kind, Meeting
from jiceng.orgs.models import Area, Body, Membership
from jiceng.rules import decisions as r
from jiceng.rules.base import check

from . import reminders
from .models import Matter, Opinion, Progress, Solicitation, StepRecord

TEMPLATES = {Area.CommunityKind.URBAN: r.URBAN, Area.CommunityKind.VILLAGE_TO_RESIDENTIAL: r.VILLAGE}
STEPS = {r.URBAN: r.URBAN_STEPS, r.VILLAGE: r.VILLAGE_STEPS}
COUNCIL_FINAL = {AgendaItem.Status.NOT_HANDLED, AgendaItem.Status.POSTPONED, AgendaItem.Status.REJECTED}
PREFERRED_PLAN = "倾向性方案"  # the hearing minutes' section that feeds the decision (R-HEAR-16)
PUBLICATION_CATEGORY = "R01"  # 居民会议或居民代表会议讨论决定事项的实施情况 (R-RDISC-07)


# Helpers -----------------------------------------------------------------------------------------------

def _invalid(field: str, zh: str, en: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(zh, en, code=code, facts={"field": field})


def _require(actor, community: Area) -> None:
    if not scope.has_perm(actor, Perm.RUN_MEETINGS, community):
        raise PermissionDenied(f"您无权办理「{community}」的决策事项。",
                               f"You may not run matters of {community.code}.",
                               facts={"community": community.code})


def _when(value: datetime.datetime | None) -> datetime.datetime:
    return disclosure.when_happened(value)


def _locked(matter: Matter) -> Matter:
    return Matter.objects.select_for_update().select_related("community", "dossier").get(pk=matter.pk)


def _judge(rule, matter: Matter, on: datetime.date, **facts):
    judged = check(rule, area=matter.community, on=on, **facts)
    matter.rulebook_version = judged.version
    return judged.value


def done_steps(matter: Matter) -> list[str]:
    return list(matter.steps.values_list("step", flat=True))


def _last_step_at(matter: Matter) -> datetime.datetime | None:
    last = matter.steps.order_by("-occurred_at").first()
    return last.occurred_at if last else None


def _check_order(matter: Matter, step: str, at: datetime.datetime) -> None:
    """The template's order (R-WF-02/03), and no step dated before the one it follows."""
    if matter.status != Matter.Status.OPEN:
        raise Conflict(f"事项已{Matter.Status(matter.status).label}。", f"The matter is {matter.status}.",
                       code="matter_not_open", facts={"status": matter.status})
    _judge(r.ORDERS[matter.template], matter, timezone.localdate(at), done=done_steps(matter), step=step)
    last = _last_step_at(matter)
    if last is not None and at < last:
        label = r.STEP_LABELS[step]
        raise r.ORDERS[matter.template].violation(
            "step_out_of_order", f"「{label[0]}」的时间（{timezone.localtime(at):%Y-%m-%d}）早于上一步骤",
            f"{label[1]} is dated before the step it follows", {"step": step, "at": at.isoformat(),
                                                                  "previous": last.isoformat()})


def _file(actor, matter: Matter, kind: str, title: str, at: datetime.datetime, data: dict) -> None:
    archives.file_record(actor, matter.dossier, kind=f"matter.{kind}", title=title, source=matter, occurred_at=at,
                         data={"matter": matter.pk, "title": matter.title, **data})


def _complete(actor, matter: Matter, step: str, at: datetime.datetime, *, agenda_item: AgendaItem | None = None,
              item: DisclosureItem | None = None, note: str = "", data: dict | None = None) -> Matter:
    StepRecord.objects.create(matter=matter, step=step, occurred_at=at, recorded_by=actor, agenda_item=agenda_item,
                              disclosure=item, note=note)
    matter.step, matter.waiting_on = step, ""
    matter.save()
    record_event(actor, "decisions.step_completed", matter, area=matter.community, occurred_at=at,
                 after={"step": step, "agenda_item": agenda_item.pk if agenda_item else None,
                        "disclosure": item.pk if item else None})
    _file(actor, matter, step, r.ARCHIVE_ITEMS.get(step, r.STEP_LABELS[step][0]), at, {"step": step, "note": note,
                                                                                       **(data or {})})
    return matter


def _meeting_record(item: AgendaItem) -> dict:
    meeting = item.meeting
    return {"meeting": meeting.pk, "meeting_kind": meeting.kind, "meeting_title": meeting.title,
            "held_at": meeting.held_at, "body": meeting.body.name, "item": item.pk, "item_title": item.title,
            "outcome": item.status, "yes": item.yes, "no": item.no, "abstain": item.abstain, "basis": item.basis,
            "rule": item.rule}


# Intake ------------------------------------------------------------------------------------------------

def open_matter(actor, *, community: Area, topic: str, title: str, summary: str, initiator: str,
                budget=None, amends: Matter | None = None, occurred_at: datetime.datetime | None = None) -> Matter:
    """Register a matter (U0/V0). The community's kind picks the template for good (R-WF-03); a community
    without an archivist in office cannot open one (R-ARCH-03)."""
    if community.level != Area.Level.COMMUNITY:
        raise _invalid("community", "决策事项属于社区，请选择一个社区。", "A matter belongs to a community.")
    _require(actor, community)
    at = _when(occurred_at)
    on = timezone.localdate(at)
    template = TEMPLATES.get(community.community_kind)
    if template is None:
        raise _invalid("community", "请先在社区资料中注明城市社区或村改居社区。",
                       "Set the community's kind (urban or 村改居) first.", code="community_kind_missing")
    check(r.TOPIC, area=community, on=on, topic=topic)
    title, summary, initiator = (title or "").strip(), (summary or "").strip(), (initiator or "").strip()
    if not title or len(title) > 200 or not summary or not initiator:
        raise _invalid("title", "请填写事项名称（200字以内）、事项内容和提出人。",
                       "Give the title (up to 200 characters), the content and who raised it.")
    check(r.ARCHIVIST_REQUIRED, area=community, on=on, satisfied=archives.active_archivist(community, on) is not None,
          community=community.code)
    if amends is not None and (amends.community_id != community.pk or amends.resolved_at is None):
        raise _invalid("amends", "只能变更本社区已形成决议的事项。",
                       "Only a resolved matter of this community is amended.")
    with transaction.atomic():
        # The dossier is keyed before the matter exists (the matter points at it); its retention class comes from
        # the rulebook (A-ARC-11).
        dossier = archives.open_dossier(community, Dossier.Series.MATTER, f"matter-{uuid.uuid4().hex[:16]}",
                                        f"{community.name}决策事项档案：{title}")
        matter = Matter.objects.create(community=community, template=template, topic=topic, title=title,
                                       summary=summary, budget=budget, initiator=initiator, amends=amends,
                                       dossier=dossier, created_by=actor)
        record_event(actor, "decisions.matter_opened", matter, area=community, occurred_at=at,
                     after={"template": template, "topic": topic, "amends": amends.pk if amends else None})
        return _complete(actor, matter, "intake", at, data={"topic": topic, "summary": summary,
                                                             "initiator": initiator, "budget": budget})


# 一征 -----------------------------------------------------------------------------------------------------

def open_solicitation(actor, matter: Matter, *, question: str, deadline: datetime.date,
                      occurred_at: datetime.datetime | None = None) -> Solicitation:
    """Open the call for opinions; it shows on the public site until `deadline` (inclusive)."""
    at = _when(occurred_at)
    question = (question or "").strip()
    if not question:
        raise _invalid("question", "请写明征求意见的内容。", "Say what opinions are asked for.")
    with transaction.atomic():
        matter = _locked(matter)
        _require(actor, matter.community)
        if matter.template == r.URBAN:
            _judge(r.URBAN_ORDER, matter, timezone.localdate(at), done=done_steps(matter), step="solicitation")
        if deadline < timezone.localdate(at):
            raise _invalid("deadline", "截止日期不能早于开始日期。", "The deadline cannot precede the opening.")
        if Solicitation.objects.filter(matter=matter).exists():
            raise Conflict("该事项已征求过意见。", "Opinions were already solicited for this matter.",
                           code="solicitation_exists")
        solicitation = Solicitation.objects.create(matter=matter, question=question, opened_at=at, deadline=deadline)
        record_event(actor, "decisions.solicitation_opened", matter, area=matter.community, occurred_at=at,
                     after={"deadline": deadline})
        _file(actor, matter, "solicitation_opened", "征求意见公告", at, {"question": question, "deadline": deadline})
        return solicitation


def give_opinion(solicitation: Solicitation, *, position: str, text: str = "", channel: str = Opinion.Channel.ONLINE,
                 name: str = "", building: str = "", idempotency_key: str = "", recorded_by=None,
                 received_at: datetime.datetime | None = None) -> tuple[Opinion, bool]:
    """One opinion; (opinion, created). Online ones arrive now, without an account, while the call is open;
    a retry with the same idempotency key returns the first. Staff enter opinions gathered door to door or at a
    meeting with the day they were given."""
    if position not in Opinion.Position.values:
        raise _invalid("position", "请选择赞成、反对、建议修改或其他意见。",
                       "Choose support, oppose, suggest or other.")
    if channel not in Opinion.Channel.values:
        raise _invalid("channel", "意见渠道无效。", "Unknown channel.")
    text = (text or "").strip()
    if len(text) > 2000:
        raise _invalid("text", "意见不超过2000字。", "An opinion has at most 2,000 characters.")
    key = (idempotency_key or "").strip()[:64]
    if key:
        existing = Opinion.objects.filter(solicitation=solicitation, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    community = solicitation.matter.community
    if recorded_by is not None:
        _require(recorded_by, community)
        at = _when(received_at)
    else:
        at = timezone.now()
        if channel != Opinion.Channel.ONLINE:
            raise _invalid("channel", "网上提交的意见渠道为 online。", "Opinions sent online have channel 'online'.")
    if solicitation.closed_at is not None or timezone.localdate(at) > solicitation.deadline:
        raise Conflict("征求意见已截止。", "The call for opinions has closed.", code="solicitation_closed",
                       facts={"deadline": solicitation.deadline.isoformat()})
    with transaction.atomic():
        opinion = Opinion.objects.create(solicitation=solicitation, position=position, text=text, channel=channel,
                                         name=(name or "").strip()[:50], building=(building or "").strip()[:50],
                                         received_at=at, recorded_by=recorded_by, idempotency_key=key)
        record_event(recorded_by, "decisions.opinion_received", solicitation.matter, area=community, occurred_at=at,
                     after={"position": position, "channel": channel})
        return opinion, True


def opinion_counts(solicitation: Solicitation) -> dict[str, int]:
    counts = Counter(solicitation.opinions.values_list("position", flat=True))
    return {position: counts.get(position, 0) for position in Opinion.Position.values}


def close_solicitation(actor, matter: Matter, *, summary: str, hearing: Meeting | None = None,
                       occurred_at: datetime.datetime | None = None) -> Matter:
    """End 一征 with the opinion summary (R-WF-04); a linked hearing contributes its preferred plan (R-HEAR-16)."""
    at = _when(occurred_at)
    summary = (summary or "").strip()
    with transaction.atomic():
        matter = _locked(matter)
        _require(actor, matter.community)
        solicitation = Solicitation.objects.select_for_update().filter(matter=matter).first()
        on = timezone.localdate(at)
        _judge(r.SOLICITATION_SUMMARY, matter, on, satisfied=bool(solicitation and summary),
               solicitation_opened=solicitation is not None)
        if solicitation.closed_at is not None:
            raise Conflict("征求意见已结束。", "The solicitation has ended.", code="solicitation_closed")
        plan = ""
        if hearing is not None:
            hearing = Meeting.objects.select_related("body", "minutes").get(pk=hearing.pk)
            if hearing.kind != Kind.HEARING or hearing.body.area_id != matter.community_id or hearing.held_at is None:
                raise _invalid("hearing", "请选择本社区已召开的听证会。", "Choose a hearing this community has held.")
            minutes = getattr(hearing, "minutes", None)
            if minutes is not None and minutes.status == minutes.Status.SIGNED:  # only the frozen record counts
                plan = section_text(minutes.text, PREFERRED_PLAN) or ""
            matter.hearing = hearing
        solicitation.summary, solicitation.closed_at, solicitation.preferred_plan = summary, at, plan
        solicitation.save()
        counts = opinion_counts(solicitation)
        data = {"question": solicitation.question, "opened_at": solicitation.opened_at,
                "deadline": solicitation.deadline, "counts": counts, "summary": summary,
                "opinions": [{"position": o.position, "channel": o.channel, "text": o.text,
                              "received_at": o.received_at} for o in solicitation.opinions.all()],
                "hearing": hearing.pk if hearing else None, "preferred_plan": plan}
        if matter.template == r.URBAN:
            _check_order(matter, "solicitation", at)
            return _complete(actor, matter, "solicitation", at, note=summary, data=data)
        matter.save()
        record_event(actor, "decisions.solicitation_closed", matter, area=matter.community, occurred_at=at,
                     after={"counts": counts})
        _file(actor, matter, "solicitation", "征求意见情况", at, data)
        return matter


# 三议 -----------------------------------------------------------------------------------------------------

def _escalated_from(item: AgendaItem, origin: AgendaItem) -> bool:
    """Whether `item` is `origin` or an item escalated (or deferred) from it, following the origin links."""
    seen = 0
    while item is not None and seen < 10:  # grid → community → PWC, with deferrals: a short chain
        if item.pk == origin.pk:
            return True
        item, seen = item.origin, seen + 1
    return False


def link_step(actor, matter: Matter, step: str, *, agenda_item: AgendaItem, note: str = "") -> Matter:
    """Complete one of the three deliberations with the passed agenda item of its meeting (R-WF-05/06/08, the
    村改居 steps of R-WF-03). For the consultation a council item that was escalated is followed up the chain
    (R-WF-07): the matter waits on the next body, and is suspended when the last body declines."""
    if step not in r.STEP_RULES:
        raise _invalid("step", f"「{step}」不是以会议完成的步骤。", f"{step!r} is not a meeting step.",
                       code="not_a_meeting_step")
    with transaction.atomic():
        matter = _locked(matter)
        _require(actor, matter.community)
        agenda_item = AgendaItem.objects.select_related("meeting__body__area", "origin").get(pk=agenda_item.pk)
        meeting = agenda_item.meeting
        if meeting is None or meeting.held_at is None:
            raise _invalid("agenda_item", "所链接的议题尚未在会议上讨论。", "The item has not been taken at a meeting.")
        at = meeting.held_at
        _check_order(matter, step, at)
        on = timezone.localdate(at)
        if step == "consultation":
            return _consultation(actor, matter, agenda_item, at, note)
        if meeting.body.area_id != matter.community_id:
            raise _invalid("agenda_item", "所链接的会议不属于本社区。", "The meeting is not this community's.")
        _judge(r.STEP_RULES[step], matter, on, step=step, meeting_kind=meeting.kind, item_status=agenda_item.status)
        if step == "resolution":
            reported = matter.dossier.records.filter(kind="matter.pwc_report").order_by("occurred_at").first()
            _judge(r.PWC_REPORT, matter, on, resolved_on=on,
                   reported_on=timezone.localdate(reported.occurred_at) if reported else None)
            matter.resolution = (note or agenda_item.title).strip()
            matter.resolved_at = at
            reminders.schedule_resolution_publication(matter)
        return _complete(actor, matter, step, at, agenda_item=agenda_item, note=note, data=_meeting_record(agenda_item))


def _consultation(actor, matter: Matter, item: AgendaItem, at: datetime.datetime, note: str) -> Matter:
    meeting = item.meeting
    on = timezone.localdate(at)
    if matter.council_item_id is None:
        in_community = meeting.body.area.path.startswith(matter.community.path)
        if meeting.kind != Kind.DELIBERATION_COUNCIL or not in_community:
            raise r.CONSULTATION.violation(
                "wrong_meeting_kind", "相关单位商议须先由本社区（网格）议事会讨论",
                "The consultation starts at this community's (or a grid's) deliberation council",
                {"meeting_kind": meeting.kind})
        matter.council_item = item
    else:
        _judge(r.ESCALATION, matter, on, satisfied=_escalated_from(item, matter.council_item), item=item.pk,
               council_item=matter.council_item_id)
    record = _meeting_record(item)
    if item.status == AgendaItem.Status.PASSED:
        return _complete(actor, matter, "consultation", at, agenda_item=item, note=note, data=record)
    if item.status == AgendaItem.Status.ESCALATED:
        successor = item.successors.select_related("body").first()
        matter.waiting_on = successor.body.name if successor else ""
        matter.save()
        record_event(actor, "decisions.escalated", matter, area=matter.community, occurred_at=at,
                     after={"item": item.pk, "to": matter.waiting_on})
        _file(actor, matter, "escalated", f"议事会未通过，提交{matter.waiting_on}", at, record)
        return matter
    if item.status in COUNCIL_FINAL:
        matter.status = Matter.Status.SUSPENDED
        matter.waiting_on = ""
        matter.save()
        record_event(actor, "decisions.suspended", matter, area=matter.community, occurred_at=at,
                     after={"item": item.pk, "outcome": item.status})
        outcome = AgendaItem.Status(item.status).label
        _file(actor, matter, "suspended", f"{meeting.body.name}决定：{outcome}", at, record)
        return matter
    raise _invalid("agenda_item", "所链接的议题尚未表决。", "The item has not been decided yet.", code="item_pending")


def report_to_pwc(actor, matter: Matter, *, note: str, occurred_at: datetime.datetime | None = None) -> Matter:
    """The branch's report of the matter to the street PWC (R-WF-14, the 002 model): required before the
    resolution where the district has switched that model on."""
    at = _when(occurred_at)
    note = (note or "").strip()
    if not note:
        raise _invalid("note", "请写明汇报内容和街道党工委的意见。", "Say what was reported and what the PWC said.")
    with transaction.atomic():
        matter = _locked(matter)
        _require(actor, matter.community)
        if matter.resolved_at is not None:
            raise Conflict("事项已形成决议。", "The matter is already resolved.", code="already_resolved")
        record_event(actor, "decisions.reported_to_pwc", matter, area=matter.community, occurred_at=at,
                     after={"note": note[:200]})
        _file(actor, matter, "pwc_report", "向街道党工委汇报情况", at, {"note": note})
        return matter


def edit_resolution(actor, matter: Matter, *, text: str) -> None:
    """Always refused once resolved (R-WF-13); the attempt itself stays in the audit log."""
    _require(actor, matter.community)
    if matter.resolved_at is None:
        raise Conflict("事项尚未形成决议。", "The matter has no resolution yet.", code="not_resolved")
    record_event(actor, "decisions.resolution_edit_refused", matter, area=matter.community,
                 after={"attempted": (text or "")[:200]})
    check(r.RESOLUTION_IMMUTABLE, area=matter.community, on=timezone.localdate(), satisfied=False,
          matter=matter.pk)


# 两公开 ---------------------------------------------------------------------------------------------------

def _publication(actor, matter: Matter, step: str, *, title: str, body: str, oral_notice: dict | None,
                 occurred_at: datetime.datetime | None) -> Matter:
    at = _when(occurred_at)
    with transaction.atomic():
        matter = _locked(matter)
        _require(actor, matter.community)
        _check_order(matter, step, at)
        field = "resolution_item" if step == "resolution_published" else "result_item"
        if getattr(matter, f"{field}_id") is not None:
            raise Conflict("已为该事项建立公开事项，请在公开栏完成审查、研究和公布。",
                           "The publication exists; finish its board steps.", code="publication_exists")
        if oral_notice is not None:
            if step != "resolution_published":
                raise _invalid("oral_notice", "实施结果须在居务公开栏公开。", "Results are published on the board.")
            notified = [str(n).strip() for n in oral_notice.get("notified", []) if str(n).strip()]
            if not notified:
                raise _invalid("oral_notice", "口头告知须列明被告知的党员群众。", "List the people told.")
            return _complete(actor, matter, step, at, note="口头告知", data={"oral_notice": notified})
        item = disclosure.create_item(
            actor, community=matter.community, board="residents", category=PUBLICATION_CATEGORY,
            timing_class="phased_by_stage",
            title=(title or "").strip() or f"{matter.title}（{r.STEP_LABELS[step][0]}）",
            body=(body or "").strip() or (matter.resolution if step == "resolution_published" else ""),
            occurred_at=at)
        setattr(matter, field, item)
        matter.save()
        record_event(actor, "decisions.publication_drafted", matter, area=matter.community, occurred_at=at,
                     after={"step": step, "disclosure": item.pk})
        return matter


def publish_resolution(actor, matter: Matter, *, title: str = "", body: str = "", oral_notice: dict | None = None,
                       occurred_at: datetime.datetime | None = None) -> Matter:
    """公开① (R-WF-09): draft the residents'-affairs item that publishes the resolution — it completes the step
    when the board publishes it — or record an oral notification with the people told."""
    return _publication(actor, matter, "resolution_published", title=title, body=body, oral_notice=oral_notice,
                        occurred_at=occurred_at)


def publish_result(actor, matter: Matter, *, title: str = "", body: str = "",
                   occurred_at: datetime.datetime | None = None) -> Matter:
    """公开② (R-WF-11): draft the item that publishes the implementation result."""
    return _publication(actor, matter, "result_published", title=title, body=body, oral_notice=None,
                        occurred_at=occurred_at)


def publication_published(item: DisclosureItem) -> None:
    """Called in the transaction that publishes `item`: complete the matter's publication step it belongs to."""
    matter = Matter.objects.filter(resolution_item=item).first() or Matter.objects.filter(result_item=item).first()
    if matter is None:
        return
    matter = _locked(matter)
    step = "resolution_published" if matter.resolution_item_id == item.pk else "result_published"
    _check_order(matter, step, item.published_at)
    data = {"disclosure": item.pk, "title": item.title, "published_at": item.published_at,
            "sha256": item.content_sha256}
    if step == "resolution_published":
        due = check(r.RESOLUTION_PUBLISHED, area=matter.community, on=timezone.localdate(matter.resolved_at),
                    event_on=timezone.localdate(matter.resolved_at)).value
        data.update(due_on=due, on_time=timezone.localdate(item.published_at) <= due)
        reminders.cancel_resolution_publication(matter)
    else:
        check(r.RESULT_PUBLISHED, area=matter.community, on=timezone.localdate(item.published_at),
              disclosure=item.pk, board=item.board)
    _complete(item.published_by, matter, step, item.published_at, item=item, data=data)


# Implementation ----------------------------------------------------------------------------------------

def _is_council_member(actor, matter: Matter, on: datetime.date) -> bool:
    account = getattr(actor, "account", None)
    if account is None or account.person_id is None:
        return False
    return Membership.objects.on(on).filter(person_id=account.person_id, body__kind=Body.Kind.DELIBERATION_COUNCIL,
                                            body__area__path__startswith=matter.community.path).exists()


def add_progress(actor, matter: Matter, *, kind: str, text: str, responds_to: Progress | None = None,
                 done: bool = False, occurred_at: datetime.datetime | None = None) -> Progress:
    """Implementation (R-WF-10): progress updates by the community, supervision remarks by council members, and
    the response each remark needs. An update marked `done` completes implementation once every remark has its
    response."""
    at = _when(occurred_at)
    check(r.PROGRESS_RESPONSE, area=matter.community, on=timezone.localdate(at), text=(text or "").strip())
    if kind not in Progress.Kind.values:
        raise _invalid("kind", "类型须为进展、监督意见或处理回复。", "kind is update, remark or response.")
    with transaction.atomic():
        matter = _locked(matter)
        on = timezone.localdate(at)
        if "resolution_published" not in done_steps(matter):
            _judge(r.ORDERS[matter.template], matter, on, done=done_steps(matter), step="implementation")
        if kind == Progress.Kind.REMARK:
            if not _is_council_member(actor, matter, on):
                raise PermissionDenied(*r.PROGRESS_RESPONSE.cited(
                    "监督意见由议事会成员提出", "Supervision remarks come from council members"),
                    code="not_council_member", rule=r.PROGRESS_RESPONSE.id)
        else:
            _require(actor, matter.community)
        if kind == Progress.Kind.RESPONSE:
            if responds_to is None or responds_to.matter_id != matter.pk or responds_to.kind != Progress.Kind.REMARK \
                    or Progress.objects.filter(responds_to=responds_to).exists():
                raise _invalid("responds_to", "请选择一条尚未回复的监督意见。", "Choose a remark without a response.")
        progress = Progress.objects.create(matter=matter, kind=kind, text=text.strip(), occurred_at=at,
                                           responds_to=responds_to if kind == Progress.Kind.RESPONSE else None,
                                           recorded_by=actor, done=bool(done) and kind == Progress.Kind.UPDATE)
        record_event(actor, f"decisions.progress_{kind}", matter, area=matter.community, occurred_at=at,
                     after={"progress": progress.pk, "done": progress.done})
        _file(actor, matter, f"progress_{kind}", Progress.Kind(kind).label, at,
              {"kind": kind, "text": progress.text, "responds_to": progress.responds_to_id, "done": progress.done})
        if progress.done:
            open_remarks = matter.progress.filter(kind=Progress.Kind.REMARK, response__isnull=True).count()
            if open_remarks:
                raise Conflict(*r.PROGRESS_RESPONSE.cited(
                    f"还有{open_remarks}条监督意见未回复，不能确认实施完成",
                    f"{open_remarks} supervision remark(s) still need a response"),
                    code="remark_unanswered", rule=r.PROGRESS_RESPONSE.id)
            _check_order(matter, "implementation", at)
            _complete(actor, matter, "implementation", at, note=progress.text,
                      data={"updates": matter.progress.count()})
        return progress


# Closing -----------------------------------------------------------------------------------------------

def missing_records(matter: Matter) -> list[str]:
    """The archive items of the template not yet in the dossier (R-WF-12, R-ARCH-05), in the archive's order."""
    filed = set(matter.dossier.records.values_list("kind", flat=True))
    steps = [s for s in STEPS[matter.template] if s != "closed"]
    return [r.ARCHIVE_ITEMS[s] for s in steps if f"matter.{s}" not in filed]


def close_matter(actor, matter: Matter, *, occurred_at: datetime.datetime | None = None) -> Matter:
    at = _when(occurred_at)
    with transaction.atomic():
        matter = _locked(matter)
        _require(actor, matter.community)
        on = timezone.localdate(at)
        missing = missing_records(matter)  # lists the result publication too while it is missing (R-WF-11)
        _judge(r.DOSSIER_COMPLETE, matter, on, satisfied=not missing, missing=missing)
        _check_order(matter, "closed", at)
        matter.status = Matter.Status.CLOSED
        matter = _complete(actor, matter, "closed", at, data={"records": matter.dossier.records.count() + 1})
        archives.close_dossier(actor, matter.dossier, closed_on=on)
        return matter
