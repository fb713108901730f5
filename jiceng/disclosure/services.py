"""Every change to a disclosure item: draft, supervision review, collective decision, signature, publication,
withdrawal and correction (rules-core §2.10–§2.11, rules-admin A-OPEN-08).

Party affairs (R-PDISC-05–09): the designated person drafts → a party-organisation meeting decides → the
head signs → published. Residents' affairs (R-RDISC-03–05): the residents committee drafts the plan → the
supervision committee reviews it → a meeting of the party organisation and the residents committee decides →
published. Each step takes the acting user, checks that the user's person holds the office the step needs on
that day, judges the rule, writes in one transaction, appends an audit event and files a snapshot into the
board's yearly archive dossier. Published content never changes: `correct` opens a new version.
"""

from __future__ import annotations

import datetime
import hashlib

from django.db import transaction
from django.utils import timezone

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.archives import services as archives
from jiceng.archives.models import Dossier
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, IllegalTransition, PermissionDenied, ValidationFailed
from jiceng.meetings.models import AgendaItem, Kind, Meeting
from jiceng.orgs.models import Area, Body, Membership, Role
from jiceng.rules import disclosure as r
from jiceng.rules.base import check

from . import cache, reminders, tables
from .models import Board, DisclosureItem, TimingClass
from .signals import item_published

Status = DisclosureItem.Status

# Offices that act on each board. The party organisation's head signs (R-PDISC-07); the designated person
# collects (R-PDISC-05); any member of the residents committee drafts and publishes its plans (R-RDISC-03/05).
PARTY_HEADS = (Role.COMMUNITY_PARTY_SECRETARY,)
PARTY_STAFF = (Role.PARTY_DISCLOSURE_OFFICER, Role.COMMUNITY_PARTY_SECRETARY, Role.COMMUNITY_PARTY_DEPUTY_SECRETARY)
# Meetings whose passed item counts as the collective decision of each board.
PARTY_DECIDING_KINDS = (Kind.PARTY_ORG_COMMITTEE_MEETING, Kind.PARTY_MEMBERS_ASSEMBLY,
                        Kind.TWO_COMMITTEES_JOINT_MEETING)
RESIDENTS_DECIDING_KINDS = (Kind.TWO_COMMITTEES_JOINT_MEETING,)  # party organisation and RC together
STEPS = {Board.PARTY: (Status.DECIDED, Status.SIGNED), Board.RESIDENTS: (Status.REVIEWED, Status.DECIDED)}
EDITABLE = (Status.DRAFT, Status.RETURNED)
SERIES = {Board.PARTY: Dossier.Series.PARTY_DISCLOSURE, Board.RESIDENTS: Dossier.Series.RESIDENTS_DISCLOSURE}
CONTENT_FIELDS = ("category", "timing_class", "title", "body", "tables", "period_start", "period_end", "withdraw_on")


# Who may act -------------------------------------------------------------------------------------------

def _person_id(actor) -> int | None:
    account = getattr(actor, "account", None)
    return account.person_id if account is not None else None


def community_body(community: Area, kind: str, on: datetime.date) -> Body | None:
    return Body.objects.active(on).filter(area=community, kind=kind).order_by("pk").first()


def holds(actor, community: Area, body_kind: str, on: datetime.date, roles=None) -> bool:
    """Whether the actor's person holds an office (one of `roles`, or any) in the community's body on `on`."""
    person_id = _person_id(actor)
    if person_id is None:
        return False
    memberships = Membership.objects.on(on).filter(person_id=person_id, body__area=community, body__kind=body_kind)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return memberships.exists()


def board_staff(actor, community: Area, board: str, on: datetime.date) -> bool:
    """Who works a board: the party officers for the party board, the residents committee for the other."""
    if board == Board.PARTY:
        return holds(actor, community, Body.Kind.COMMUNITY_PARTY_ORG, on, PARTY_STAFF)
    return holds(actor, community, Body.Kind.RESIDENTS_COMMITTEE, on)


# The rule that names each board's officers (R-PDISC-05/07: the designated person and the head; R-RDISC-03/05: the
# residents committee); refusals of "not this board's officer" cite it.
BOARD_RULES = {Board.PARTY: r.PARTY_SIGNED, Board.RESIDENTS: r.RESIDENTS_PUBLISHED}


def require_board_staff(actor, community: Area, board: str, on: datetime.date, *, doing_zh: str, doing_en: str,
                        code: str = "not_board_staff") -> None:
    """Refuse (403) an actor who is not one of the board's officers on `on`, citing the board's rule."""
    if not board_staff(actor, community, board, on):
        rule = BOARD_RULES[board]
        zh, en = rule.cited(f"只有本公开栏的经办人员可以{doing_zh}", f"Only the board's own officers {doing_en}")
        raise PermissionDenied(zh, en, code=code, rule=rule.id, facts={"board": board})


def require_view(actor, community: Area) -> None:
    if not scope.has_perm(actor, Perm.VIEW, community):
        raise PermissionDenied(f"您无权处理「{community}」的公开事项。",
                               f"You may not handle disclosures of {community.code}.",
                               facts={"community": community.code})


def _judge(rule, item_or_community, on: datetime.date, **facts):
    community = item_or_community.community if isinstance(item_or_community, DisclosureItem) else item_or_community
    return check(rule, area=community, on=on, **facts).value


# Validation --------------------------------------------------------------------------------------------

def _invalid(field: str, zh: str, en: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(zh, en, code=code, facts={"field": field})


def _community(area: Area) -> Area:
    if area.level != Area.Level.COMMUNITY:
        raise _invalid("community", "公开栏属于社区，请选择一个社区。", "Boards belong to a community; choose one.")
    return area


def _clean(board: str, fields: dict, on: datetime.date, community: Area) -> dict:
    """Check the content fields of a draft; return them normalised."""
    if board not in Board.values:
        raise _invalid("board", "公开栏须为 party（党务）或 residents（居务）。", "board is 'party' or 'residents'.")
    rule = r.PARTY_CATEGORY if board == Board.PARTY else r.RESIDENTS_CATEGORY
    _judge(rule, community, on, category=fields.get("category", ""))
    timing = fields.get("timing_class", "")
    _judge(r.RESIDENTS_TIMING_CLASSES, community, on, satisfied=timing in TimingClass.values, timing_class=timing)
    title = (fields.get("title") or "").strip()
    if not title or len(title) > DisclosureItem._meta.get_field("title").max_length:
        raise _invalid("title", "标题不能为空，且不超过200字。", "A title of 1 to 200 characters is required.")
    start, end = fields.get("period_start"), fields.get("period_end")
    if start and end and end < start:
        raise _invalid("period_end", "所属期间的结束日期早于开始日期。", "The period ends before it starts.")
    withdraw_on = fields.get("withdraw_on")
    if withdraw_on is not None:
        _judge(r.PERMANENT_ITEM, community, on, satisfied=timing != r.PERMANENT, timing_class=timing)
    return {**fields, "title": title, "body": (fields.get("body") or "").strip(),
            "tables": tables.clean_tables(fields["category"], fields.get("tables"))}


def _check_results_of(meeting: Meeting | None, community: Area, board: str, on: datetime.date) -> None:
    if meeting is None:
        return
    if meeting.body.area_id != community.pk:
        raise _invalid("results_of", "该会议不属于本社区。", "The meeting is not this community's.")
    _judge(r.RESULTS_BOARD, community, on, meeting_kind=meeting.kind, board=board)


# Filing and auditing -----------------------------------------------------------------------------------

def snapshot(item: DisclosureItem) -> dict:
    """What gets filed and hashed: the content and the steps, with who and when."""
    return {
        "id": item.pk, "version": item.version, "supersedes": item.supersedes_id, "community": item.community.code,
        "board": item.board, "category": item.category, "timing_class": item.timing_class, "title": item.title,
        "body": item.body, "tables": item.tables, "period_start": item.period_start, "period_end": item.period_end,
        "withdraw_on": item.withdraw_on, "status": item.status, "results_of": item.results_of_id,
        "review_note": item.review_note, "decision": item.decision_id, "signed_by": item.signed_by_id,
        "signed_at": item.signed_at, "published_at": item.published_at, "correction_reason": item.correction_reason,
        "attachments": [{"name": a.name, "sha256": a.sha256, "size": a.size} for a in item.attachments.all()],
    }


def content_digest(item: DisclosureItem) -> str:
    content = {name: getattr(item, name) for name in CONTENT_FIELDS}
    content["attachments"] = sorted(a.sha256 for a in item.attachments.all())
    return hashlib.sha256(archives.canonical_json(content).encode()).hexdigest()


def _file(actor, item: DisclosureItem, step: str, title: str, at: datetime.datetime) -> None:
    dossier = archives.yearly_dossier(item.community, SERIES[item.board], timezone.localtime(at).year)
    archives.file_record(actor, dossier, kind=f"disclosure.{step}", title=f"{title}：{item.title}",
                         data=snapshot(item), source=item, occurred_at=at)


def _done(actor, item: DisclosureItem, step: str, title: str, at: datetime.datetime, **after) -> DisclosureItem:
    record_event(actor, f"disclosure.{step}", item, area=item.community, occurred_at=at,
                 after={"status": item.status, **after})
    _file(actor, item, step, title, at)
    return item


def when_happened(value: datetime.datetime | None) -> datetime.datetime:
    if value is None:
        return timezone.now()
    if timezone.is_naive(value):
        raise _invalid("occurred_at", "时间须带时区。", "Times must carry a time zone.")
    if value > timezone.now() + datetime.timedelta(minutes=5):
        raise _invalid("occurred_at", "不能记录将来发生的事。", "A step cannot be recorded as happening in the future.")
    return value


def _locked(item: DisclosureItem) -> DisclosureItem:
    return DisclosureItem.objects.select_for_update().select_related("community").get(pk=item.pk)


def _transition(item: DisclosureItem, allowed, wanted: str) -> None:
    if item.status not in allowed:
        raise IllegalTransition(item, current=Status(item.status).label, wanted=Status(wanted).label)


# Drafting ----------------------------------------------------------------------------------------------

def _check_drafter(actor, community: Area, board: str, on: datetime.date) -> None:
    if board == Board.PARTY:
        _judge(r.COLLECTOR, community, on, satisfied=holds(actor, community, Body.Kind.COMMUNITY_PARTY_ORG, on,
                                                           PARTY_STAFF), user=actor.get_username())
    else:
        _judge(r.RC_PLANS, community, on, satisfied=holds(actor, community, Body.Kind.RESIDENTS_COMMITTEE, on),
               user=actor.get_username())


def create_item(actor, *, community: Area, board: str, category: str, timing_class: str, title: str,
                body: str = "", tables: list | None = None, period_start: datetime.date | None = None,
                period_end: datetime.date | None = None, withdraw_on: datetime.date | None = None,
                results_of: Meeting | None = None, occurred_at: datetime.datetime | None = None,
                supersedes: DisclosureItem | None = None, correction_reason: str = "") -> DisclosureItem:
    """A new draft (R-PDISC-05: the designated person; R-RDISC-03: the residents committee)."""
    community = _community(community)
    require_view(actor, community)
    at = when_happened(occurred_at)
    on = timezone.localdate(at)
    fields = _clean(board, {"category": category, "timing_class": timing_class, "title": title, "body": body,
                            "tables": tables, "period_start": period_start, "period_end": period_end,
                            "withdraw_on": withdraw_on}, on, community)
    _check_drafter(actor, community, board, on)
    _check_results_of(results_of, community, board, on)
    with transaction.atomic():
        item = DisclosureItem.objects.create(
            community=community, board=board, results_of=results_of, created_by=actor, supersedes=supersedes,
            version=supersedes.version + 1 if supersedes else 1, correction_reason=correction_reason, **fields)
        return _done(actor, item, "drafted", "拟公开事项" if board == Board.PARTY else "居务公开方案", at,
                     category=category, supersedes=supersedes.pk if supersedes else None)


def update_draft(actor, item: DisclosureItem, **changes) -> DisclosureItem:
    """Edit a draft or a plan returned by the supervision committee; published content is refused."""
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise _invalid(sorted(unknown)[0], "这些字段不能修改。", f"These fields cannot be changed: {sorted(unknown)}.")
    with transaction.atomic():
        item = _locked(item)
        require_view(actor, item.community)
        if item.status not in EDITABLE:
            raise Conflict("已进入审核或已公开的事项不能修改；已公开内容如需更正，请发布更正版本。",
                           "Only drafts can be edited; a published item is corrected by a new version.",
                           code="item_immutable", facts={"status": item.status})
        on = timezone.localdate()
        _check_drafter(actor, item.community, item.board, on)
        before = {name: getattr(item, name) for name in changes}
        fields = _clean(item.board, {**{n: getattr(item, n) for n in CONTENT_FIELDS}, **changes}, on, item.community)
        for name, value in fields.items():
            setattr(item, name, value)
        item.save()
        record_event(actor, "disclosure.draft_edited", item, area=item.community, before=before,
                     after={name: getattr(item, name) for name in changes})
        return item


# The steps ---------------------------------------------------------------------------------------------

def review(actor, item: DisclosureItem, *, approved: bool, note: str = "",
           occurred_at: datetime.datetime | None = None) -> DisclosureItem:
    """The supervision committee reviews a residents'-affairs plan (R-RDISC-04): approved, or returned to the
    residents committee with its note. Party-affairs items have no such step."""
    at = when_happened(occurred_at)
    with transaction.atomic():
        item = _locked(item)
        require_view(actor, item.community)
        if item.board != Board.RESIDENTS:
            raise Conflict("党务公开无需居务监督委员会审查；请由党组织集体研究后由负责人签字。",
                           "Party-affairs items have no supervision review; the party organisation decides and its "
                           "head signs.", code="step_not_in_workflow", facts={"board": item.board})
        _transition(item, EDITABLE, Status.REVIEWED)
        on = timezone.localdate(at)
        _judge(r.SUPERVISION_REVIEWER, item, on, user=actor.get_username(),
               satisfied=holds(actor, item.community, Body.Kind.SUPERVISION_COMMITTEE, on))
        note = (note or "").strip()
        if not approved and not note:
            raise _invalid("note", "退回时请写明审查意见。", "Say why the plan is returned.")
        item.status = Status.REVIEWED if approved else Status.RETURNED
        item.reviewed_by, item.reviewed_at, item.review_note = actor, at, note
        item.save()
        return _done(actor, item, "reviewed" if approved else "returned",
                     "监委会审查意见" if approved else "监委会退回意见", at, note=note)


def _deciding(item: DisclosureItem, agenda_item: AgendaItem) -> bool:
    meeting = agenda_item.meeting
    if meeting is None or agenda_item.status != AgendaItem.Status.PASSED or meeting.body.area_id != item.community_id:
        return False
    kinds = PARTY_DECIDING_KINDS if item.board == Board.PARTY else RESIDENTS_DECIDING_KINDS
    return meeting.kind in kinds


def record_decision(actor, item: DisclosureItem, *, agenda_item: AgendaItem) -> DisclosureItem:
    """Link the passed agenda item that decided the item collectively (R-PDISC-06; R-RDISC-04, A-OPEN-08).

    Residents'-affairs plans need the supervision review first (`supervision_review_missing`)."""
    with transaction.atomic():
        item = _locked(item)
        require_view(actor, item.community)
        if item.board == Board.RESIDENTS and item.status in EDITABLE:
            _judge(r.SUPERVISION_REVIEWED, item, timezone.localdate(), satisfied=False, status=item.status)
        _transition(item, EDITABLE if item.board == Board.PARTY else (Status.REVIEWED,), Status.DECIDED)
        meeting = agenda_item.meeting
        on = meeting.occurred_on if meeting is not None else timezone.localdate()
        rule = r.PARTY_DECIDED if item.board == Board.PARTY else r.RESIDENTS_DECIDED
        _judge(rule, item, on, satisfied=_deciding(item, agenda_item), agenda_item=agenda_item.pk,
               agenda_status=agenda_item.status, meeting_kind=meeting.kind if meeting else None)
        require_board_staff(actor, item.community, item.board, timezone.localdate(),
                            doing_zh="登记集体研究决定", doing_en="record the collective decision")
        item.status, item.decision = Status.DECIDED, agenda_item
        item.save()
        at = meeting.held_at or timezone.now()
        return _done(actor, item, "decided", "集体研究决定", at, agenda_item=agenda_item.pk, meeting=meeting.pk)


def sign(actor, item: DisclosureItem, *, occurred_at: datetime.datetime | None = None) -> DisclosureItem:
    """The party organisation's head reviews and signs the checklist (R-PDISC-07)."""
    at = when_happened(occurred_at)
    with transaction.atomic():
        item = _locked(item)
        require_view(actor, item.community)
        if item.board != Board.PARTY:
            raise Conflict("居务公开由两委集体讨论确定后公布，无需负责人签字。",
                           "Residents'-affairs plans are published after the collective decision; no signature.",
                           code="step_not_in_workflow", facts={"board": item.board})
        if item.status in EDITABLE:
            _judge(r.PARTY_DECIDED, item, timezone.localdate(at), satisfied=False, status=item.status)
        _transition(item, (Status.DECIDED,), Status.SIGNED)
        on = timezone.localdate(at)
        _judge(r.PARTY_SIGNER, item, on, user=actor.get_username(),
               satisfied=holds(actor, item.community, Body.Kind.COMMUNITY_PARTY_ORG, on, PARTY_HEADS))
        item.status, item.signed_by, item.signed_at = Status.SIGNED, actor, at
        item.save()
        return _done(actor, item, "signed", "党务公开报告清单（负责人签字）", at)


def _publishable(item: DisclosureItem, on: datetime.date) -> None:
    """Refuse publication until the board's steps are done, naming the first missing one."""
    if item.board == Board.PARTY:
        if item.status in EDITABLE:
            _judge(r.PARTY_DECIDED, item, on, satisfied=False, status=item.status)
        if item.status == Status.DECIDED:
            _judge(r.PARTY_SIGNED, item, on, satisfied=False, status=item.status)
        _transition(item, (Status.SIGNED,), Status.PUBLISHED)
    else:
        if item.status in EDITABLE:
            _judge(r.SUPERVISION_REVIEWED, item, on, satisfied=False, status=item.status)
        if item.status == Status.REVIEWED:
            _judge(r.RESIDENTS_DECIDED, item, on, satisfied=False, status=item.status)
        _transition(item, (Status.DECIDED,), Status.PUBLISHED)


def publish(actor, item: DisclosureItem, *, published_at: datetime.datetime | None = None,
            withdraw_on: datetime.date | None = None) -> DisclosureItem:
    """Put the item on its board, hash its content and file it (R-PDISC-07/09, R-RDISC-05, A-OPEN-08).

    A correction takes the place of the version it supersedes, which stays readable as superseded. Results
    of a hearing or an evaluation meeting are recorded on the meeting (R-HEAR-15, R-EVAL-12)."""
    at = when_happened(published_at)
    on = timezone.localdate(at)
    with transaction.atomic():
        item = _locked(item)
        require_view(actor, item.community)
        _publishable(item, on)
        if item.board == Board.PARTY:
            require_board_staff(actor, item.community, Board.PARTY, on, doing_zh="公布党务公开事项",
                                doing_en="publish party-affairs items", code="wrong_publisher")
        else:
            _judge(r.RESIDENTS_PUBLISHED, item, on, user=actor.get_username(),
                   satisfied=board_staff(actor, item.community, Board.RESIDENTS, on))
        decided_on = item.decision.meeting.occurred_on
        _judge(r.PARTY_FIRST, item, on, satisfied=decided_on <= on, decided_on=decided_on.isoformat(),
               published_on=on.isoformat())
        if withdraw_on is not None:
            _judge(r.PERMANENT_ITEM, item, on, satisfied=item.timing_class != r.PERMANENT,
                   timing_class=item.timing_class)
            if withdraw_on <= on:
                raise _invalid("withdraw_on", "撤下日期须晚于公开日期。",
                               "The withdrawal date must follow publication.")
            item.withdraw_on = withdraw_on
        item.status, item.published_by, item.published_at = Status.PUBLISHED, actor, at
        item.content_sha256 = content_digest(item)
        item.save()
        old = item.supersedes
        if old is not None:
            old = _locked(old)
            old.status = Status.SUPERSEDED
            old.save(update_fields=["status"])
            record_event(actor, "disclosure.superseded", old, area=old.community, occurred_at=at,
                         after={"status": old.status, "by": item.pk, "reason": item.correction_reason})
        if item.results_of_id is not None:
            from jiceng.meetings import services as meetings

            meetings.record_results_published(actor, item.results_of, published_on=on)
        cache.touch(item.community)
        reminders.obligation_met(item)
        item_published.send(sender=DisclosureItem, item=item)
        return _done(actor, item, "published", "公开内容", at, sha256=item.content_sha256)


def withdraw(actor, item: DisclosureItem, *, reason: str,
             withdrawn_at: datetime.datetime | None = None) -> DisclosureItem:
    """Take an item off the board at the end of its display period; it stays in the archive."""
    at = when_happened(withdrawn_at)
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", "请写明撤下原因。", "Give the reason for withdrawing.")
    with transaction.atomic():
        item = _locked(item)
        require_view(actor, item.community)
        _transition(item, (Status.PUBLISHED,), Status.WITHDRAWN)
        on = timezone.localdate(at)
        _judge(r.PERMANENT_ITEM, item, on, satisfied=item.timing_class != r.PERMANENT, timing_class=item.timing_class)
        require_board_staff(actor, item.community, item.board, on, doing_zh="撤下公开内容", doing_en="withdraw items")
        item.status, item.withdrawn_at, item.withdraw_reason = Status.WITHDRAWN, at, reason
        item.save()
        cache.touch(item.community)
        return _done(actor, item, "withdrawn", "撤下记录", at, reason=reason)


def correct(actor, item: DisclosureItem, *, reason: str, **changes) -> DisclosureItem:
    """Open a corrected version of a published item (R-PDISC-08, R-RDISC-06). It goes through the board's
    steps again; when it is published the old version is marked superseded with this reason."""
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", "请写明更正原因。", "Give the reason for the correction.")
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise _invalid(sorted(unknown)[0], "这些字段不能更正。",
                       f"These fields cannot be corrected: {sorted(unknown)}.")
    with transaction.atomic():
        old = _locked(item)
        if old.status not in (Status.PUBLISHED, Status.WITHDRAWN):
            raise Conflict("只能更正已公开的事项；草稿请直接修改。", "Only published items are corrected; edit drafts.",
                           code="not_published", facts={"status": old.status})
        if DisclosureItem.objects.filter(supersedes=old).exists():
            raise Conflict("该事项已有更正版本。", "This item already has a correction.", code="correction_exists")
        fields = {name: getattr(old, name) for name in CONTENT_FIELDS}
        fields.update(changes)
        fields.pop("withdraw_on", None)
        return create_item(actor, community=old.community, board=old.board, results_of=None, supersedes=old,
                           correction_reason=reason, **fields)


def attach(actor, item: DisclosureItem, *, name: str, content: bytes) -> DisclosureItem:
    """Attach a file to a draft: type and size checked, stored under its SHA-256 (attachments.py)."""
    from . import attachments

    with transaction.atomic():
        item = _locked(item)
        require_view(actor, item.community)
        if item.status not in EDITABLE:
            raise Conflict("只能为草稿添加附件。", "Attachments are added to drafts only.", code="item_immutable")
        _check_drafter(actor, item.community, item.board, timezone.localdate())
        attachment = attachments.store(actor, item, name=name, content=content)
        record_event(actor, "disclosure.attached", item, area=item.community,
                     after={"name": attachment.name, "sha256": attachment.sha256, "size": attachment.size})
        return item
