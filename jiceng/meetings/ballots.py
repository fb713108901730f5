"""Anonymous ballots (R-EVAL-10, issue #3 point 4): codes printed and handed out at a held meeting, cast
from a phone without an account, counted live from the table.

How R-EVAL-10 「无记名测评」 and AT-09 ("no table or log links a ballot to a person") are kept:
- a code is random (`secrets`) and stored only as a keyed digest (HMAC-SHA256 under SECRET_KEY), so the
  database cannot give it back;
- the meeting's BallotBatch lists who received a code, so nobody receives two, but never which code;
- a Ballot row holds no person and no time of its own; the meeting's uncast ballots are inserted again in a
  fresh random order whenever codes are issued, so neither ids nor row order tell who got which code, even
  for a latecomer issued a code alone;
- casting audits the meeting and a running count only; the code is never logged (the log filter in
  jiceng.core.masking masks it in request paths) nor audited.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jiceng.orgs.models import Body, Role
from jiceng.rules.base import Citation
from jiceng.rules.meetings import S000A

from . import services
from .kinds import SPECS
from .models import AgendaItem, Attendance, Ballot, BallotBatch, Kind, Meeting, NamedVote

# Base32 without 0/O/1/I: a code read aloud or typed from paper is never in doubt. 10 characters = 50 bits.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
RECEIPT_LENGTH = 12
_DIGEST_SALT = "jiceng.meetings.ballots.code"
_shuffle = secrets.SystemRandom().shuffle

ANONYMOUS_RULE = "R-EVAL-10"
ANONYMOUS_CITATION = Citation(S000A, "第十八条(二)3")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    label_en: str


@dataclass(frozen=True)
class Line:
    """One line of the ballot form: a subject (or an agenda item) and the choices for it."""

    key: str
    label: str
    label_en: str
    choices: tuple[Choice, ...]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)


# E-07 (000-A 第十七条): 评议等次 and 考核等次.
SATISFACTION = (Choice("satisfied", "满意", "Satisfied"),
                Choice("basically_satisfied", "基本满意", "Basically satisfied"),
                Choice("dissatisfied", "不满意", "Dissatisfied"))
COMPETENCE = (Choice("excellent", "优秀", "Excellent"), Choice("competent", "称职", "Competent"),
              Choice("basically_competent", "基本称职", "Basically competent"),
              Choice("incompetent", "不称职", "Incompetent"))

# R-EVAL-03 (000-A 第十四条, 第十六条): nine subject lines — the overall work, the four bodies, the four heads.
# Which scale judges which line is INFERRED (R-EVAL-10, C-11): 评议等次 for the work, 考核等次 for the heads.
EVALUATION_LINES: tuple[Line, ...] = (
    Line("overall", "社区整体工作", "The community's overall work", SATISFACTION),
    Line(f"body:{Body.Kind.COMMUNITY_PARTY_ORG}", "社区党组织工作", "The community party organisation", SATISFACTION),
    Line(f"body:{Body.Kind.RESIDENTS_COMMITTEE}", "社区居委会工作", "The residents committee", SATISFACTION),
    Line(f"body:{Body.Kind.COMMUNITY_WORKSTATION}", "社区工作站工作", "The community workstation", SATISFACTION),
    Line(f"body:{Body.Kind.COMPREHENSIVE_GOVERNANCE_OFFICE}", "社区综治办工作",
         "The comprehensive governance office", SATISFACTION),
    Line(f"head:{Role.COMMUNITY_PARTY_SECRETARY}", "社区党组织书记", "The community party secretary", COMPETENCE),
    Line(f"head:{Role.RC_DIRECTOR}", "居委会主任", "The residents committee director", COMPETENCE),
    Line(f"head:{Role.WORKSTATION_HEAD}", "工作站站长", "The workstation head", COMPETENCE),
    Line(f"head:{Role.CGO_DIRECTOR}", "综治办主任", "The governance office director", COMPETENCE),
)

VOTE_CHOICES = (Choice(NamedVote.Choice.YES.value, "赞成", "Yes"), Choice(NamedVote.Choice.NO.value, "反对", "No"),
                Choice(NamedVote.Choice.ABSTAIN.value, "弃权", "Abstain"))


# Codes -----------------------------------------------------------------------------------------------

def normalize_code(code: str) -> str:
    """What the voter typed, as stored: upper case, without the spaces and dashes of the printed form."""
    return "".join(ch for ch in str(code or "").upper() if ch not in " -\t")


def format_code(code: str) -> str:
    """The printed form: two groups of five ("ABCDE FGHJK"), easier to read out and type."""
    return f"{code[:5]} {code[5:]}"


def _digest(code: str, secret: str) -> str:
    return salted_hmac(_DIGEST_SALT, code, secret=secret, algorithm="sha256").hexdigest()


def _digests(code: str) -> list[str]:
    """The digests `code` may be stored under: the current key's and, after a key rotation, the old keys'."""
    code = normalize_code(code)
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return []
    return [_digest(code, key) for key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]]


def _random_string(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def _fresh_codes(count: int) -> dict[str, str]:
    """`count` new codes with their digests, none already in use (a clash of 50-bit codes is merely unlikely)."""
    codes: dict[str, str] = {}
    while len(codes) < count:
        batch = {code: _digest(code, settings.SECRET_KEY) for code in
                 {_random_string(CODE_LENGTH) for _ in range(count - len(codes))} - set(codes)}
        taken = set(Ballot.objects.filter(digest__in=batch.values()).values_list("digest", flat=True))
        codes.update({code: digest for code, digest in batch.items() if digest not in taken})
    return codes


# The ballot form -------------------------------------------------------------------------------------

def item_key(item: AgendaItem) -> str:
    return f"item:{item.pk}"


def accepts_ballots(meeting: Meeting) -> bool:
    """Evaluation meetings vote by anonymous ballot (R-EVAL-10); a meeting that votes on items may put its
    pending items to a secret ballot (R-PWC-12 requires it for major and cadre items)."""
    spec = SPECS[meeting.kind]
    if spec.anonymous:
        return True
    return spec.passing is not None and meeting.items.filter(status=AgendaItem.Status.PENDING).exists()


def ballot_lines(meeting: Meeting) -> list[Line]:
    """The lines a ballot may answer now: the nine subjects of an evaluation, else the items still pending."""
    if meeting.kind == Kind.EVALUATION_MEETING:
        return list(EVALUATION_LINES)
    items = meeting.items.filter(status=AgendaItem.Status.PENDING).order_by("order", "pk")
    return [Line(item_key(i), i.title, i.title, VOTE_CHOICES) for i in items]


def _result_lines(meeting: Meeting) -> list[Line]:
    if meeting.kind == Kind.EVALUATION_MEETING:
        return list(EVALUATION_LINES)
    items = meeting.items.filter(Q(status=AgendaItem.Status.PENDING) | Q(method=AgendaItem.Method.BALLOT))
    return [Line(item_key(i), i.title, i.title, VOTE_CHOICES) for i in items.order_by("order", "pk")]


def _rule(meeting: Meeting) -> str | None:
    return ANONYMOUS_RULE if meeting.kind == Kind.EVALUATION_MEETING else None


def _cite(meeting: Meeting) -> tuple[str, str]:
    if meeting.kind != Kind.EVALUATION_MEETING:
        return "", ""
    return f"（{ANONYMOUS_RULE}，{ANONYMOUS_CITATION}）", f" ({ANONYMOUS_RULE}, {ANONYMOUS_CITATION})"


def _require_run(actor, meeting: Meeting) -> None:
    area = meeting.body.area
    if not scope.has_perm(actor, Perm.RUN_MEETINGS, area):
        raise PermissionDenied(f"您在「{area}」没有「{Perm.RUN_MEETINGS.label}」权限。",
                               f"You lack the '{Perm.RUN_MEETINGS}' permission on {area.code}.",
                               facts={"permission": Perm.RUN_MEETINGS.value, "area": area.code})


def _require_open(meeting: Meeting) -> None:
    """Voting runs while the meeting is held; closing the meeting closes it."""
    if meeting.status != Meeting.Status.HELD:
        raise Conflict(f"会议{meeting.get_status_display()}，不在投票时间内。",
                       f"The meeting is {meeting.status}; voting is not open.", code="voting_closed",
                       rule=_rule(meeting), facts={"meeting": meeting.pk, "status": meeting.status})


# Issuing ---------------------------------------------------------------------------------------------

def issue_status(meeting: Meeting) -> dict:
    """For the slips page: who may vote (present voting participants), how many codes are out, how many cast."""
    eligible = meeting.attendance.filter(expected=True, voting=True, status=Attendance.Status.PRESENT).count()
    row = Ballot.objects.filter(meeting=meeting).aggregate(n_issued=Count("pk"),
                                                           n_cast=Count("pk", filter=Q(cast=True)))
    return {"eligible": eligible, "issued": row["n_issued"], "cast": row["n_cast"]}


@transaction.atomic
def issue_ballots(actor, meeting: Meeting) -> list[str]:
    """Issue one code to each present voting participant who has none yet, and return the new codes in
    random order. For an evaluation meeting these are the approved participants who came (R-EVAL-07/10).

    The codes are shown once, to be printed and handed out; only their digests are kept. Raises
    PermissionDenied without Perm.RUN_MEETINGS on the body's area, Conflict `voting_closed` unless the
    meeting is held, Conflict `no_ballot_form` for a meeting with nothing to vote on by ballot."""
    meeting = Meeting.objects.select_for_update().select_related("body__area").get(pk=meeting.pk)
    _require_run(actor, meeting)
    _require_open(meeting)
    if not accepts_ballots(meeting):
        raise Conflict(f"{Kind(meeting.kind).label}没有待表决的议题，无需发放选票。",
                       f"A {meeting.kind} has nothing to vote on by ballot.", code="no_ballot_form",
                       facts={"meeting": meeting.pk})
    eligible = set(meeting.attendance.filter(expected=True, voting=True, status=Attendance.Status.PRESENT)
                   .values_list("person_id", flat=True))
    # One batch per meeting, growing: a batch per issue would tie a latecomer's lone ballot to the one
    # recipient of that batch.
    batch = meeting.ballot_batches.first()
    served = set(batch.recipients.values_list("pk", flat=True)) if batch else set()
    new = sorted(eligible - served)
    if not new:
        return []
    codes = _fresh_codes(len(new))
    now = timezone.now()
    if batch is None:
        batch = BallotBatch.objects.create(meeting=meeting, issued_at=now, count=0)
    # Re-insert the ballots not yet cast together with the new ones, in one random order: a latecomer's
    # ballot gets no id of its own time and hides among all the uncast ones.
    waiting = Ballot.objects.filter(meeting=meeting, cast=False)
    digests = [*waiting.values_list("digest", flat=True), *codes.values()]
    waiting.delete()
    _shuffle(digests)
    Ballot.objects.bulk_create([Ballot(batch=batch, meeting=meeting, digest=d) for d in digests])
    batch.recipients.add(*new)
    batch.count, batch.issued_at = len(served) + len(new), now
    batch.save(update_fields=["count", "issued_at"])
    record_event(actor, "meetings.ballots_issued", meeting, area=meeting.body.area, after={"count": len(new)})
    issued = list(codes)
    _shuffle(issued)
    return issued


# Casting ---------------------------------------------------------------------------------------------

def _unknown_code() -> NotFound:
    return NotFound("选票码无效，请核对后重新输入。", "Unknown ballot code; check it and type it again.",
                    code="unknown_ballot_code")


def _normalized_answers(answers) -> dict[str, str]:
    """The answers as stored: a line left empty (missing, null or "") is blank and left out."""
    if not isinstance(answers, dict):
        raise ValidationFailed("选票内容格式有误。", "The answers must be an object of line: choice.",
                               code="invalid_answers", facts={"field": "answers"})
    given = {}
    for key, value in answers.items():
        if not isinstance(key, str) or not isinstance(value, str | None):
            raise ValidationFailed("选票内容格式有误。", "Each answer is a line key and a choice, both text.",
                                   code="invalid_answers", facts={"field": "answers"})
        if (value or "").strip():
            given[key] = value.strip()
    return given


def _validate(meeting: Meeting, given: dict[str, str]) -> None:
    lines = {line.key: line for line in ballot_lines(meeting)}
    if not lines:
        raise Conflict("本次会议已没有待表决的议题。", "No item of this meeting is open for a vote.",
                       code="voting_closed", facts={"meeting": meeting.pk})
    zh, en = _cite(meeting)
    for key, value in given.items():
        line = lines.get(key)
        if line is None:
            item_id = key.removeprefix("item:")
            if key.startswith("item:") and item_id.isdigit() and meeting.items.filter(pk=int(item_id)).exists():
                raise Conflict(f"议题已表决结束：{key}。", f"That item has been decided: {key}.",
                               code="item_already_decided", facts={"line": key})
            raise ValidationFailed(f"选票上没有这一项：{key}{zh}。", f"The ballot has no line {key}{en}.",
                                   code="unknown_ballot_line", rule=_rule(meeting),
                                   facts={"field": "answers", "line": key})
        if value not in line.values:
            allowed = "、".join(c.label for c in line.choices)
            raise ValidationFailed(f"「{line.label}」只能选择：{allowed}{zh}。",
                                   f"'{line.label_en}' takes one of {list(line.values)}{en}.",
                                   code="invalid_choice", rule=_rule(meeting),
                                   facts={"field": "answers", "line": key, "value": value,
                                          "allowed": list(line.values)})


def _already_cast(meeting: Meeting, ballot: Ballot, given: dict[str, str]) -> dict:
    """A retry of the same answers gets the same receipt; other answers are refused: each code votes once."""
    if ballot.answers == given:
        return {"receipt": ballot.receipt, "meeting": meeting.pk}
    zh, en = _cite(meeting)
    raise Conflict(f"这张选票已经投出，不能更改{zh}。", f"This ballot has already been cast and cannot change{en}.",
                   code="ballot_already_cast", rule=_rule(meeting), facts={"meeting": meeting.pk})


def _share_meeting_lock(meeting_id: int) -> None:
    """Order a cast after a concurrent issue, tally or close of the meeting (they lock it FOR UPDATE), while
    casts of one meeting run side by side: a shared lock on PostgreSQL. SQLite runs one writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(Meeting._meta.db_table)} WHERE id = %s FOR SHARE",
                           [meeting_id])


def cast_ballot(code: str, answers: dict) -> dict:
    """Cast the ballot of `code` with `answers` ({line key: choice}; a line left out is blank) and return
    {"receipt", "meeting"}. No account is needed: the code is the credential, and it is never logged.

    Once only: the first cast stores the answers and a random receipt; the same answers again return the same
    receipt. Raises NotFound for an unknown code, Conflict `ballot_already_cast` for other answers after a
    cast, Conflict `voting_closed` once the meeting is closed, ValidationFailed for an unknown line or choice."""
    digests = _digests(code)
    meeting_id = Ballot.objects.filter(digest__in=digests).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise _unknown_code()
    given = _normalized_answers(answers)
    with transaction.atomic():
        _share_meeting_lock(meeting_id)
        meeting = Meeting.objects.select_related("body__area").get(pk=meeting_id)
        ballot = Ballot.objects.select_for_update().filter(digest__in=digests).first()
        if ballot is None:
            raise _unknown_code()
        if ballot.cast:
            return _already_cast(meeting, ballot, given)
        _require_open(meeting)
        _validate(meeting, given)
        receipt = _random_string(RECEIPT_LENGTH)
        # Conditional: of two casts of one code at once, exactly one finds the ballot uncast.
        if not Ballot.objects.filter(pk=ballot.pk, cast=False).update(cast=True, answers=given, receipt=receipt):
            ballot.refresh_from_db()
            return _already_cast(meeting, ballot, given)
        cast_count = Ballot.objects.filter(meeting=meeting, cast=True).count()
        record_event(None, "meetings.ballot_cast", meeting, area=meeting.body.area, after={"cast": cast_count})
    return {"receipt": receipt, "meeting": meeting.pk}


def ballot_for_code(code: str) -> dict:
    """What the voter's phone shows for `code`: the meeting, the lines to answer, and whether it was cast.
    Raises NotFound for an unknown code and Conflict `voting_closed` when voting has ended."""
    digests = _digests(code)
    ballot = Ballot.objects.filter(digest__in=digests).select_related("meeting").first()
    if ballot is None:
        raise _unknown_code()
    meeting = ballot.meeting
    if not ballot.cast:
        _require_open(meeting)
    return {"meeting": meeting, "lines": ballot_lines(meeting), "cast": ballot.cast,
            "code": normalize_code(code)}


# Counting --------------------------------------------------------------------------------------------

def results(meeting: Meeting) -> dict:
    """Live results: per line the count of each choice, the lines left blank, ballots issued and cast.
    For an evaluation meeting also the publication deadline (R-EVAL-12) and the date published.
    One aggregate query over the ballots, whatever their number."""
    lines = _result_lines(meeting)
    counts = {"n_issued": Count("pk"), "n_cast": Count("pk", filter=Q(cast=True))}
    for i, line in enumerate(lines):
        for j, choice in enumerate(line.choices):
            counts[f"l{i}c{j}"] = Count("pk", filter=Q(cast=True, **{f"answers__{line.key}": choice.value}))
    row = Ballot.objects.filter(meeting=meeting).aggregate(**counts)
    out_lines = []
    for i, line in enumerate(lines):
        per_choice = {c.value: row[f"l{i}c{j}"] for j, c in enumerate(line.choices)}
        answered = sum(per_choice.values())
        out_lines.append({"key": line.key, "label": line.label, "label_en": line.label_en, "counts": per_choice,
                          "choices": [{"value": c.value, "label": c.label, "label_en": c.label_en}
                                      for c in line.choices],
                          "answered": answered, "blank": row["n_cast"] - answered})
    out = {"meeting": meeting.pk, "kind": meeting.kind, "status": meeting.status, "issued": row["n_issued"],
           "cast": row["n_cast"], "lines": out_lines}
    if meeting.kind == Kind.EVALUATION_MEETING:
        out.update(rule=ANONYMOUS_RULE, publish_due_on=services.results_due_on(meeting),
                   published_on=meeting.results_published_on)
    return out


@transaction.atomic
def tally_item_from_ballots(actor, item: AgendaItem) -> AgendaItem:
    """Decide a secret-ballot item from the ballots cast: their yes/no/abstain counts go to
    services.record_vote(method="ballot"), which applies the kind's quorum and passing rules and audits.

    Raises Conflict `item_not_scheduled` / `no_ballots_issued`, and whatever record_vote raises."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.meeting_id is None:
        raise Conflict("该议题尚未列入会议议程。", "The item is not on a meeting's agenda.", code="item_not_scheduled")
    # Lock the meeting (after the item, as record_vote does): no cast lands between counting and recording.
    meeting = Meeting.objects.select_for_update().select_related("body__area").get(pk=item.meeting_id)
    _require_run(actor, meeting)
    key = item_key(item)
    row = Ballot.objects.filter(meeting=meeting).aggregate(
        issued=Count("pk"), **{c.value: Count("pk", filter=Q(cast=True, **{f"answers__{key}": c.value}))
                               for c in VOTE_CHOICES})
    if not row.pop("issued"):
        raise Conflict("本次会议尚未发放选票。", "No ballots were issued for this meeting.", code="no_ballots_issued",
                       facts={"meeting": meeting.pk})
    return services.record_vote(actor, item, method=AgendaItem.Method.BALLOT, **row)
