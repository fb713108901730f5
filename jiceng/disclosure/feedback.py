"""The feedback box (R-PDISC-03/08, R-RDISC-02/06, A-OPEN-23): residents write without an account and get a
tracking code; the board's officers answer within the deadline; objections to a residents'-affairs item are
counted once per household, and when the district's "overwhelming majority" is reached the item is flagged
for correction."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import unicodedata

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiceng.archives import services as archives
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, ValidationFailed
from jiceng.orgs.models import Area, Household, Person
from jiceng.rules import disclosure as r
from jiceng.rules.base import check, params_for
from jiceng.rules.thresholds import Base

from . import cache, reminders, services
from .models import Board, DisclosureItem, Feedback

TEXT_LIMIT = 2000
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
CODE_LENGTH = 10


def _invalid(field: str, zh: str, en: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(zh, en, code=code, facts={"field": field})


def household_digest(community: Area, household: str) -> str:
    """A keyed digest of the address a resident gives, so objections count once per household without the
    address being stored."""
    normal = "".join(unicodedata.normalize("NFKC", household).lower().split())
    if not normal:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{community.pk}:{normal}".encode(), hashlib.sha256).hexdigest()


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def by_tracking_code(code: str):
    """The message with this tracking code (case and spaces ignored), or None for anything that is not one."""
    code = (code or "").strip().upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return Feedback.objects.select_related("community", "item").filter(tracking_code=code).first()


def submit(*, community: Area, board: str, kind: str, text: str, item: DisclosureItem | None = None,
           name: str = "", phone: str = "", household: str = "", received_at: datetime.datetime | None = None,
           recorded_by=None) -> Feedback:
    """Receive one message; return it with its tracking code and reply deadline (A-OPEN-23).

    Online messages arrive now. Slips from the physical box (检举、意见箱) are entered by the board's officers
    (`recorded_by`) with the day the box was opened (`received_at`), from which the deadline runs."""
    if board not in Board.values:
        raise _invalid("board", "公开栏须为 party 或 residents。", "board is 'party' or 'residents'.")
    if kind not in Feedback.Kind.values:
        raise _invalid("kind", "类型须为询问、意见建议、不赞成或检举。",
                       "kind is question, opinion, objection or report.")
    text = (text or "").strip()
    if not text or len(text) > TEXT_LIMIT:
        raise _invalid("text", f"内容不能为空，且不超过{TEXT_LIMIT}字。", f"Write 1 to {TEXT_LIMIT} characters.")
    name, phone, household = (name or "").strip()[:50], (phone or "").strip()[:20], (household or "").strip()[:100]
    if phone and not phone.replace("-", "").isdigit():
        raise _invalid("phone", "联系电话只能包含数字。", "A phone number has digits only.")
    if item is not None and (item.community_id != community.pk or item.board != board or item.published_at is None):
        raise _invalid("item", "该公开事项不在此公开栏上。", "That item is not on this board.")
    digest = household_digest(community, household)
    if kind == Feedback.Kind.OBJECTION:
        if item is None or board != Board.RESIDENTS:
            raise _invalid("kind", "“不赞成”针对某一项居务公开内容提出。",
                           "An objection is made against one residents'-affairs item.")
        if not digest:
            raise _invalid("household", "请填写楼栋和房号：每户只计一次不赞成意见。",
                           "Give your building and room: each household's objection counts once.")
    if recorded_by is not None:
        services.require_view(recorded_by, community)
        services.require_board_staff(recorded_by, community, board, timezone.localdate(),
                                     doing_zh="登记意见箱来信", doing_en="enter slips from the box")
    now = services.when_happened(received_at) if recorded_by is not None else timezone.now()
    due = check(r.REPLY_DEADLINE, area=community, on=timezone.localdate(now), event_on=timezone.localdate(now)).value
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                community=community, board=board, item=item, kind=kind, text=text, name=name, phone=phone,
                household_digest=digest, tracking_code=new_tracking_code(), received_at=now, due_on=due)
            record_event(recorded_by, "disclosure.feedback_received", feedback, area=community, occurred_at=now,
                         after={"kind": kind, "item": item.pk if item else None, "named": bool(name), "due_on": due,
                                "from_box": recorded_by is not None})
            reminders.schedule_reply_reminders(feedback)
            if item is not None and board == Board.RESIDENTS and digest:
                _judge_objections(item)
    except IntegrityError:
        raise Conflict(*r.OBJECTION_MAJORITY.cited(
            "本户已对该事项提出过不赞成意见，每户计一次",
            "This household has already objected to this item; each household counts once"),
            code="objection_already_recorded", rule=r.OBJECTION_MAJORITY.id) from None
    return feedback


def objection_base(item: DisclosureItem, base: str) -> int:
    community = item.community
    if base == Base.RESIDENTS:
        return Person.objects.filter(area__path__startswith=community.path).count()
    if base == Base.RESPONDERS:
        return (Feedback.objects.filter(item=item).exclude(household_digest="")
                .values("household_digest").distinct().count())
    return Household.objects.filter(area__path__startswith=community.path).count()


def objection_status(item: DisclosureItem) -> r.ObjectionJudgement:
    """The objections counted against the base the district chose (R-RDISC-06), and what that means."""
    on = timezone.localdate()
    params, _version = params_for(r.OBJECTION_MAJORITY, item.community, on)
    objections = Feedback.objects.filter(item=item, kind=Feedback.Kind.OBJECTION).count()
    return check(r.OBJECTION_MAJORITY, area=item.community, on=on, objections=objections,
                 base_count=objection_base(item, params.threshold.base)).value


def _judge_objections(item: DisclosureItem) -> None:
    """Set or lift the correction flag as the count stands. Against a fixed base (households, residents) the
    flag only ever rises; against "those who responded" each new response can move it either way."""
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
    judged = objection_status(item)
    required = bool(judged.correction_required)
    if required == (item.correction_required_at is not None):
        return
    item.correction_required_at = timezone.now() if required else None
    item.save(update_fields=["correction_required_at"])
    record_event(None, "disclosure.correction_required" if required else "disclosure.correction_flag_lifted", item,
                 area=item.community, after={"arithmetic": judged.arithmetic_zh, "rule": r.OBJECTION_MAJORITY.id})
    if required:
        reminders.correction_required(item, judged)
    cache.touch(item.community)


def reply(actor, feedback: Feedback, *, text: str, public: bool = True, face_to_face_on: datetime.date | None = None,
          replied_at: datetime.datetime | None = None) -> Feedback:
    """Answer a message (R-PDISC-08, A-OPEN-23). Reports (检举) are never answered in public; a named
    suggestion needs the date it was answered face to face."""
    text = (text or "").strip()
    if not text or len(text) > TEXT_LIMIT:
        raise _invalid("text", f"答复不能为空，且不超过{TEXT_LIMIT}字。", f"A reply has 1 to {TEXT_LIMIT} characters.")
    at = services.when_happened(replied_at)
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().select_related("community").get(pk=feedback.pk)
        community = feedback.community
        services.require_view(actor, community)
        on = timezone.localdate(at)
        services.require_board_staff(actor, community, feedback.board, on, doing_zh="答复", doing_en="reply")
        if feedback.status == Feedback.Status.ANSWERED:
            raise Conflict("该反馈已答复。", "This message has been answered.", code="already_answered")
        if feedback.name:
            check(r.NAMED_FACE_TO_FACE, area=community, on=on, satisfied=face_to_face_on is not None,
                  tracking_code=feedback.tracking_code)
        feedback.status, feedback.reply = Feedback.Status.ANSWERED, text
        feedback.replied_at, feedback.replied_by = at, actor
        feedback.reply_public = bool(public) and feedback.kind != Feedback.Kind.REPORT
        feedback.face_to_face_on = face_to_face_on
        feedback.save()
        on_time = on <= feedback.due_on
        record_event(actor, "disclosure.feedback_answered", feedback, area=community, occurred_at=at,
                     after={"public": feedback.reply_public, "on_time": on_time})
        dossier = archives.yearly_dossier(community, services.SERIES[feedback.board], timezone.localtime(at).year)
        archives.file_record(actor, dossier, kind="disclosure.feedback_reply",
                             title=f"意见答复（查询码{feedback.tracking_code}）", source=feedback, occurred_at=at,
                             data={"kind": feedback.kind, "item": feedback.item_id, "text": feedback.text,
                                   "received_at": feedback.received_at, "due_on": feedback.due_on, "reply": text,
                                   "replied_at": at, "public": feedback.reply_public, "on_time": on_time,
                                   "face_to_face_on": face_to_face_on})
        reminders.cancel_reply_reminders(feedback)
        if feedback.reply_public:
            cache.touch(community)
        return feedback
