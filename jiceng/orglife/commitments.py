"""Service commitments, 党员服务承诺 「一定、二审、三公开」 (rules-core §2.18 R-COMMIT-02..09).

一定: a member (or the branch) drafts the commitment in one of the areas of its committer type (R-COMMIT-02/03).
二审: it is posted in the community for public review (R-COMMIT-04), then reviewed by the organisation — the
branch committee for a member's commitment, the street working committee for the branch's (R-COMMIT-05) — and a
member's commitment is confirmed when at least half of those present at a held party members' assembly agree
(R-COMMIT-05, 半数以上 inclusive, C-16). 三公开: at the assembly, in writing and by public posting; all three make it
published (R-COMMIT-06). Then quarterly publicity (a party-affairs disclosure item of category P04, which the
disclosure app already tracks per quarter), half-year reviews (R-COMMIT-07) and the yearly appraisal in the order
self → mutual → branch assembly with the four grades of E-06 (R-COMMIT-08).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, IllegalTransition, PermissionDenied, RuleViolation, ValidationFailed
from jiceng.disclosure import services as disclosure
from jiceng.meetings.models import Attendance, Kind, Meeting
from jiceng.meetings.schedules import period_bounds
from jiceng.orgs.models import Body, Person
from jiceng.rules import orglife as r
from jiceng.rules.base import check

from . import access
from .models import Commitment, CommitmentStep

Status = Commitment.Status
DISCLOSURE_CATEGORY = "P04"  # E-01 P04; R-COMMIT-07 quarterly, tracked by jiceng/disclosure/obligations.py
ASSEMBLY_KINDS = (Kind.PARTY_MEMBERS_ASSEMBLY,)


def _invalid(field: str, zh: str, en: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(zh, en, code=code, facts={"field": field})


def _judge(rule, commitment: Commitment, on: datetime.date, **facts):
    judged = check(rule, area=commitment.party_org.area, on=on, **facts)
    commitment.rulebook_version = judged.version
    return judged.value


def _locked(commitment: Commitment) -> Commitment:
    return Commitment.objects.select_for_update(of=("self",)).select_related("party_org__area").get(pk=commitment.pk)


def _step(actor, commitment: Commitment, kind: str, on: datetime.date, *, channel: str = "", grade: str = "",
          note: str = "", period_start: datetime.date | None = None, data: dict | None = None) -> CommitmentStep:
    step = CommitmentStep.objects.create(commitment=commitment, kind=kind, channel=channel, occurred_on=on,
                                         grade=grade, note=note.strip(), period_start=period_start,
                                         data=data or {}, recorded_by=actor)
    record_event(actor, f"orglife.commitment_{kind}", commitment, area=commitment.party_org.area,
                 after={"status": commitment.status, "channel": channel, "grade": grade, "on": on,
                        **(data or {})})
    return step


def _not_future(on: datetime.date, field: str) -> None:
    if on > timezone.localdate():
        raise _invalid(field, "日期不能晚于今天。", "The date cannot be in the future.")


def _require_committee(actor, commitment: Commitment, on: datetime.date, doing_zh: str, doing_en: str) -> None:
    if not access.on_branch_committee(actor, commitment.party_org, on):
        raise access.refuse_office(r.COMMIT_REVIEWER, "not_branch_committee", f"只有支部委员会成员可以{doing_zh}",
                                   f"Only the branch committee may {doing_en}")


# 一定 ------------------------------------------------------------------------------------------------------

def draft_commitment(actor, *, party_org: Body, year: int, committer_type: str, area: str, title: str,
                     content: str, person: Person | None = None,
                     drafted_on: datetime.date | None = None) -> Commitment:
    """一定 (R-COMMIT-03): the member drafts, or staff enter it for them. A member's commitment names a member of
    the organisation on the day (R-COMMIT-01); the area must be one of the committer type's (R-COMMIT-02)."""
    access.require_party_org(party_org)
    on = drafted_on or timezone.localdate()
    _not_future(on, "drafted_on")
    is_self = person is not None and access.person_id_of(actor) == person.pk
    if not (is_self or scope.has_perm(actor, Perm.RUN_MEETINGS, party_org.area)):
        raise PermissionDenied("只有党员本人或社区工作人员可以拟定承诺。",
                               "Only the member or community staff draft a commitment.")
    check(r.COMMIT_AREA, area=party_org.area, on=on, committer_type=committer_type, content_area=area)
    if committer_type == "branch":
        person = None
    elif person is None or person.pk not in access.members_on(party_org, on):
        raise _invalid("person", "承诺党员须是该党组织的党员。", "The committer must be a member of the organisation.",
                       code="not_a_member")
    title, content = (title or "").strip(), (content or "").strip()
    if not title or len(title) > 200 or not content:
        raise _invalid("title", "请填写承诺事项（200字以内）和承诺内容。",
                       "A title (≤ 200) and the content are required.")
    with transaction.atomic():
        commitment = Commitment(party_org=party_org, year=year, committer_type=committer_type, person=person,
                                area=area, title=title, content=content, drafted_on=on, created_by=actor)
        commitment.rulebook_version = check(r.COMMIT_AREA, area=party_org.area, on=on,
                                            committer_type=committer_type, content_area=area).version
        if person is not None:
            # R-COMMIT-09 (WARN): one or two practical things a year; a third is allowed and noted.
            count = (Commitment.objects.filter(party_org=party_org, person=person, year=year)
                     .exclude(status=Status.WITHDRAWN).count() + 1)
            warning = check(r.COMMIT_PER_YEAR, area=party_org.area, on=on, count=count).value
            if warning is not None:
                commitment.warnings = [warning.as_dict()]
        commitment.save()
        _step(actor, commitment, CommitmentStep.Kind.DRAFTED, on, data={"title": title})
        return commitment


# 二审 ------------------------------------------------------------------------------------------------------

def post_for_review(actor, commitment: Commitment, *, posted_on: datetime.date, note: str = "") -> Commitment:
    """二审 (1): posted in the community for public review (R-COMMIT-04). Duration NOT IN SOURCE (E-20)."""
    _not_future(posted_on, "posted_on")
    with transaction.atomic():
        commitment = _locked(commitment)
        access.require_run(actor, commitment.party_org)
        if posted_on < commitment.drafted_on:
            raise _invalid("posted_on", "公示日期早于拟定日期。", "Posted before it was drafted.")
        commitment.move_to(Status.PUBLICLY_REVIEWED)
        commitment.posted_on = posted_on
        commitment.save()
        _step(actor, commitment, CommitmentStep.Kind.POSTED, posted_on, note=note)
        return commitment


def review(actor, commitment: Commitment, *, reviewed_on: datetime.date, note: str = "") -> Commitment:
    """二审 (2): organisational review (R-COMMIT-05), only after the public posting (R-COMMIT-04). The branch's
    commitment is reviewed by the street working committee and is then confirmed; a member's is reviewed by the
    branch committee and goes to the members' assembly."""
    _not_future(reviewed_on, "reviewed_on")
    with transaction.atomic():
        commitment = _locked(commitment)
        access.require_view(actor, commitment.party_org)
        posted = commitment.posted_on is not None and commitment.posted_on <= reviewed_on
        if commitment.status == Status.DRAFTED or not posted:
            _judge(r.COMMIT_PUBLIC_REVIEW, commitment, reviewed_on, satisfied=False, status=commitment.status,
                   posted_on=commitment.posted_on.isoformat() if commitment.posted_on else None)
        branch = commitment.committer_type == "branch"
        reviewer_ok = (access.on_pwc(actor, commitment.party_org, reviewed_on) if branch
                       else access.on_branch_committee(actor, commitment.party_org, reviewed_on))
        if not reviewer_ok:
            zh = "党支部的承诺由街道党工委审查" if branch else "党员个人承诺由党支部委员会审查"
            raise access.refuse_office(r.COMMIT_REVIEWER, "wrong_reviewer", zh,
                                       "The superior reviews the branch's commitment; the branch committee a member's",
                                       committer_type=commitment.committer_type)
        commitment.move_to(Status.CONFIRMED if branch else Status.ORGANISATIONALLY_REVIEWED)
        commitment.reviewed_on, commitment.reviewed_by = reviewed_on, actor
        if branch:
            commitment.confirmed_on = reviewed_on
        commitment.save()
        _step(actor, commitment, CommitmentStep.Kind.REVIEWED, reviewed_on, note=note)
        return commitment


def assembly_present(meeting: Meeting) -> int:
    return meeting.attendance.filter(status=Attendance.Status.PRESENT).count()


def record_assembly_vote(actor, commitment: Commitment, *, meeting: Meeting, yes: int) -> Commitment:
    """Confirm a member's commitment at a held party members' assembly of its organisation: at least half of those
    present agree (R-COMMIT-05: `2 × yes ≥ present`; 15 of 30 passes, 14 of 30 and 15 of 31 do not). A vote
    short of that is refused with `commitment_not_approved` and changes nothing."""
    with transaction.atomic():
        commitment = _locked(commitment)
        if commitment.committer_type == "branch":
            raise Conflict("党支部的承诺由街道党工委审查确定，不经党员大会表决。",
                           "The branch's commitment is confirmed by the superior, not by the assembly.",
                           code="step_not_in_workflow")
        if commitment.status != Status.ORGANISATIONALLY_REVIEWED:
            # Only after the branch's review: name the current state (409).
            raise IllegalTransition(commitment, current=commitment.get_status_display(), wanted=Status.CONFIRMED.label)
        meeting = Meeting.objects.select_related("body").get(pk=meeting.pk)
        on = meeting.occurred_on
        _require_committee(actor, commitment, on, "登记党员大会表决结果", "record the assembly's vote")
        ok_meeting = (meeting.kind in ASSEMBLY_KINDS and meeting.held_at is not None
                      and meeting.status in (Meeting.Status.HELD, Meeting.Status.CLOSED)
                      and (meeting.body_id == commitment.party_org_id
                           or meeting.body.area_id == commitment.party_org.area_id))
        if not ok_meeting:
            raise _invalid("meeting", "请选择本党组织已召开的党员大会。",
                           "Choose a held members' assembly of the branch.",
                           code="not_a_held_assembly")
        if commitment.reviewed_on and on < commitment.reviewed_on:
            raise _invalid("meeting", "党员大会早于组织审查。", "The assembly was held before the review.")
        present = assembly_present(meeting)
        if yes < 0 or yes > present:
            raise _invalid("yes", f"同意人数须在0至{present}之间。", f"yes lies between 0 and {present}.")
        outcome = _judge(r.COMMIT_APPROVAL, commitment, on, yes=yes, base=present)
        if not outcome.passed:
            zh, en = r.COMMIT_APPROVAL.cited(f"承诺未获通过：{outcome.arithmetic_zh}",
                                             f"Not confirmed: {outcome.arithmetic_en}")
            raise RuleViolation(r.COMMIT_APPROVAL.id, zh, en, outcome.basis, code="commitment_not_approved")
        commitment.move_to(Status.CONFIRMED)
        commitment.assembly, commitment.assembly_yes, commitment.assembly_present = meeting, yes, present
        commitment.approval_basis = {**outcome.basis, "arithmetic": outcome.arithmetic_zh}
        commitment.confirmed_on = on
        commitment.save()
        _step(actor, commitment, CommitmentStep.Kind.ASSEMBLY_VOTE, on,
              data={"meeting": meeting.pk, "yes": yes, "present": present, "arithmetic": outcome.arithmetic_zh})
        return commitment


# 三公开 ----------------------------------------------------------------------------------------------------

def channels_done(commitment: Commitment) -> set[str]:
    return {s.channel for s in commitment.steps.all() if s.kind == CommitmentStep.Kind.PUBLISHED}


def record_publication(actor, commitment: Commitment, *, channel: str, occurred_on: datetime.date,
                       note: str = "") -> Commitment:
    """One of 三公开 (R-COMMIT-06): assembly, written or posting. The third makes the commitment published."""
    _not_future(occurred_on, "occurred_on")
    if channel not in r.CHANNEL_LABELS:
        raise _invalid("channel", "公开方式为 assembly（大会）、written（书面）或 posting（公示）。",
                       "channel is assembly, written or posting.")
    with transaction.atomic():
        commitment = _locked(commitment)
        access.require_run(actor, commitment.party_org)
        if commitment.status != Status.CONFIRMED:
            raise Conflict(f"承诺当前为「{commitment.get_status_display()}」，确定后方可公开。",
                           "Only a confirmed commitment is published.", code="not_confirmed",
                           facts={"status": commitment.status})
        if commitment.confirmed_on and occurred_on < commitment.confirmed_on:
            raise _invalid("occurred_on", "公开日期早于承诺确定日期。", "Published before it was confirmed.")
        done = channels_done(commitment)
        if channel in done:
            raise Conflict("该公开方式已经登记。", "This channel is recorded already.", code="channel_recorded")
        done.add(channel)
        if done == set(r.CHANNEL_LABELS):
            _judge(r.COMMIT_THREE_CHANNELS, commitment, occurred_on, satisfied=True)
            commitment.move_to(Status.PUBLISHED)
            commitment.published_on = occurred_on
            commitment.save()
        _step(actor, commitment, CommitmentStep.Kind.PUBLISHED, occurred_on, channel=channel, note=note)
        return commitment


# Monitoring (R-COMMIT-07/08) -------------------------------------------------------------------------------

def record_half_year_review(actor, commitment: Commitment, *, occurred_on: datetime.date, comment: str) -> Commitment:
    """半年一点评 (R-COMMIT-07): the branch committee's comment on a published commitment, once per half-year."""
    _not_future(occurred_on, "occurred_on")
    if not comment.strip():
        raise _invalid("comment", "请填写点评意见。", "A comment is required.")
    with transaction.atomic():
        commitment = _locked(commitment)
        _require_committee(actor, commitment, occurred_on, "点评承诺", "review commitments")
        if commitment.status not in (Status.PUBLISHED, Status.APPRAISED):
            raise Conflict("只有已公开的承诺需要点评。", "Only published commitments are reviewed.",
                           code="not_published", facts={"status": commitment.status})
        start, _end = period_bounds("half_year", occurred_on)
        if commitment.steps.filter(kind=CommitmentStep.Kind.HALF_YEAR_REVIEW, period_start=start).exists():
            raise Conflict("本半年已经点评。", "This half-year is reviewed already.", code="already_reviewed")
        _step(actor, commitment, CommitmentStep.Kind.HALF_YEAR_REVIEW, occurred_on, period_start=start, note=comment)
        return commitment


def record_appraisal(actor, commitment: Commitment, *, step: str, occurred_on: datetime.date, note: str = "",
                     grade: str = "", meeting: Meeting | None = None) -> Commitment:
    """年终一考核 (R-COMMIT-08): self-assessment, mutual assessment, then adoption by the branch assembly with one
    of the four grades of E-06. The order is enforced; the assembly step makes the commitment appraised. The
    assembly's adoption threshold is not in the seeds (E-20), so the adoption is recorded, not counted."""
    _not_future(occurred_on, "occurred_on")
    with transaction.atomic():
        commitment = _locked(commitment)
        _require_committee(actor, commitment, occurred_on, "登记年度考评", "record the appraisal")
        if commitment.status != Status.PUBLISHED:
            raise IllegalTransition(commitment, current=commitment.get_status_display(), wanted=Status.APPRAISED.label)
        done = [s.channel for s in commitment.steps.all() if s.kind == CommitmentStep.Kind.APPRAISAL]
        if step not in r.APPRAISAL_STEPS or step in done:
            raise _invalid("step", "考评步骤为 self（自评）、mutual（互评）、assembly（支部大会），每步一次。",
                           "step is self, mutual or assembly, each once.")
        # What has been done so far must be a prefix of the prescribed order, and so must it with this step.
        expected = list(r.APPRAISAL_STEPS[: len(done) + 1])
        if done + [step] != expected:
            raise r.COMMIT_APPRAISAL.violation(
                "appraisal_out_of_order", f"考评程序应为：{' → '.join(r.APPRAISAL_STEPS)}",
                f"The appraisal follows {' → '.join(r.APPRAISAL_STEPS)}", {"done": done, "step": step})
        data = {}
        if step == "assembly":
            if grade not in r.APPRAISAL_GRADES:
                raise _invalid("grade", "考评档次为满意、较满意、一般、不满意。", "grade is one of E-06.")
            if meeting is not None:
                data["meeting"] = meeting.pk
            commitment.move_to(Status.APPRAISED)
            commitment.appraisal_grade = grade
            commitment.save()
        _step(actor, commitment, CommitmentStep.Kind.APPRAISAL, occurred_on, channel=step, grade=grade, note=note,
              data=data)
        return commitment


def withdraw(actor, commitment: Commitment, *, reason: str) -> Commitment:
    """The committer withdraws a commitment that is not yet confirmed."""
    with transaction.atomic():
        commitment = _locked(commitment)
        access.require_run(actor, commitment.party_org)
        commitment.move_to(Status.WITHDRAWN)
        commitment.save()
        _step(actor, commitment, CommitmentStep.Kind.WITHDRAWN, timezone.localdate(), note=reason)
        return commitment


def draft_publicity(actor, *, party_org: Body, period_start: datetime.date, appraisal: bool = False):
    """Draft the party-affairs disclosure item of the quarter containing `period_start` (一季一公示, R-COMMIT-07),
    or of the year's appraisal results (R-COMMIT-08 考评结果应予公开), listing the organisation's commitments. The
    disclosure app tracks the quarterly obligation of category P04 and takes the item through decision, signature
    and publication. Raises what disclosure.create_item raises (R-PDISC-05: drafted by the party officers)."""
    access.require_party_org(party_org)
    if appraisal:
        start, end = datetime.date(period_start.year, 1, 1), datetime.date(period_start.year, 12, 31)
        rows = Commitment.objects.filter(party_org=party_org, year=start.year, status=Status.APPRAISED)
        title = f"{start.year}年度党员服务承诺考评结果"
    else:
        start, end = period_bounds("quarter", period_start)
        rows = Commitment.objects.filter(party_org=party_org, year=start.year,
                                         status__in=(Status.PUBLISHED, Status.APPRAISED))
        title = f"{start.year}年第{(start.month - 1) // 3 + 1}季度党员承诺践诺情况"
    lines = []
    for c in rows.select_related("person").order_by("pk"):
        grade = f"（考评：{r.APPRAISAL_GRADES[c.appraisal_grade][0]}）" if c.appraisal_grade else ""
        lines.append(f"{c.committer_label}：{c.title}{grade}")
    body = "\n".join(lines) or "本期无已公开的承诺。"
    return disclosure.create_item(actor, community=party_org.area, board="party", category=DISCLOSURE_CATEGORY,
                                  timing_class="routine_periodic", title=title, body=body, period_start=start,
                                  period_end=end)
