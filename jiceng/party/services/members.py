"""Registration, profile and the development pipeline (R-DEV)."""


from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict
from jiceng.meetings.models import AgendaItem, Kind
from jiceng.orgs import services as orgs
from jiceng.orgs.models import Area, Body, Household, Membership, Person, Role
from jiceng.rules import party as r
from jiceng.rules.base import check

from ..models import (
    DevelopmentPlan,
    Notice,
    PartyMember,
    Sponsorship,
    Step,
)
from .common import (
    MEMBER_ROLES,
    STAGES,
    S,
    _check_group,
    _fen,
    _holds_pwc,
    _invalid,
    _join,
    _judge,
    _leave,
    _locked,
    _not_future,
    _person_id,
    _require_officer,
    _set_political_status,
    _step,
    party_org_of,
)

# Registration ------------------------------------------------------------------------------------------

@transaction.atomic
def register(actor, *, person: Person, community: Area, status: str = S.APPLICANT, applied_on: datetime.date,
             admitted_on: datetime.date | None = None, full_on: datetime.date | None = None,
             group: Body | None = None, in_service: bool = False, work_unit: str = "", unit_party_org: str = "",
             reported_on: datetime.date | None = None, incoming: bool = False, dues: Decimal | str | None = None,
             education: str = PartyMember.Education.RESIDENT, arrived_on: datetime.date | None = None,
             dues_from: datetime.date | None = None) -> PartyMember:
    """Open the party file of `person` in `community`: a new applicant, or a member already admitted (an incoming
    member, or the roll taken over from paper) with the dates of his admission and confirmation. A member is made
    to hold PARTY_MEMBER / PROBATIONARY_MEMBER in the community party organisation (and group) from those dates."""
    _require_officer(actor, community, doing_zh="登记党员", doing_en="register members")
    party_org = party_org_of(community)
    if party_org is None:
        raise _invalid("community", "该社区尚未建立党组织。", "The community has no party organisation.")
    if status not in (S.APPLICANT, S.PROBATIONARY_MEMBER, S.FULL_MEMBER):
        raise _invalid("status", "只能登记入党申请人、预备党员或正式党员。",
                       "Register an applicant, a probationary or a full member.")
    _not_future(applied_on, "applied_on")
    if status != S.APPLICANT and admitted_on is None:
        raise _invalid("admitted_on", "请填写批准为预备党员的日期。", "Give the date admitted as probationary.")
    if status == S.FULL_MEMBER and full_on is None:
        raise _invalid("full_on", "请填写转为正式党员的日期。", "Give the date confirmed as full member.")
    if status == S.PROBATIONARY_MEMBER:
        full_on = None
    if status == S.APPLICANT:
        admitted_on = full_on = None
    dates = [d for d in (applied_on, admitted_on, full_on) if d]
    if dates != sorted(dates) or any(d > scope.today() for d in dates):
        raise _invalid("admitted_on", "各阶段日期须依次在后且不晚于今天。",
                       "Stage dates must be in order and not in the future.")
    if PartyMember.objects.filter(person=person).exists():
        raise Conflict(f"{person.name}已有党员档案。", "This person already has a party file.",
                       code="already_registered")
    _check_group(group, party_org)
    member = PartyMember.objects.create(
        person=person, community=community, party_org=party_org, group=group, status=status, applied_on=applied_on,
        admitted_on=admitted_on, full_on=full_on, in_service=in_service, work_unit=work_unit.strip(),
        unit_party_org=unit_party_org.strip()[:120],
        reported_on=reported_on, incoming=incoming, dues_fen=_fen(dues, "dues") if dues is not None else 0,
        education=education, dues_from=r.month_start(dues_from or arrived_on) if (dues_from or arrived_on) else None)
    _judge(r.IN_SERVICE, member, applied_on, in_service=in_service, work_unit=member.work_unit)
    if arrived_on is not None:
        _not_future(arrived_on, "arrived_on")
    if status == S.PROBATIONARY_MEMBER:
        _join(actor, member, Role.PROBATIONARY_MEMBER, max(admitted_on, arrived_on or admitted_on))
        _set_political_status(actor, person, Person.PoliticalStatus.PROBATIONARY_MEMBER)
    elif status == S.FULL_MEMBER:
        _join(actor, member, Role.PARTY_MEMBER, max(full_on, arrived_on or full_on))
        _set_political_status(actor, person, Person.PoliticalStatus.PARTY_MEMBER)
    _step(actor, member, Step.Kind.REGISTERED, applied_on if status == S.APPLICANT else (full_on or admitted_on),
          data={"status": status, "incoming": incoming, "in_service": in_service})
    return member


@transaction.atomic
def update_profile(actor, member: PartyMember, *, in_service: bool | None = None, work_unit: str | None = None,
                   unit_party_org: str | None = None,
                   reported_on: datetime.date | None = None, education: str | None = None,
                   households: list[Household] | None = None) -> PartyMember:
    """在职党员回社区报到 (work unit, report date; A-PARTY-14), education category (R-MOB-09) and liaison households
    (党员联系户, A-PARTY-13)."""
    member = _locked(member)
    _require_officer(actor, member.community, doing_zh="维护党员信息", doing_en="edit member records")
    before = {"in_service": member.in_service, "work_unit": member.work_unit, "education": member.education}
    if in_service is not None:
        member.in_service = in_service
    if work_unit is not None:
        member.work_unit = work_unit.strip()[:120]
    if unit_party_org is not None:
        member.unit_party_org = unit_party_org.strip()[:120]
    if reported_on is not None:
        member.reported_on = _not_future(reported_on, "reported_on")
    if education is not None:
        if education not in PartyMember.Education.values:
            raise _invalid("education", "未知的教育类别。", "Unknown education category.")
        member.education = education
    _judge(r.IN_SERVICE, member, scope.today(), in_service=member.in_service, work_unit=member.work_unit)
    member.save()
    if households is not None:
        outside = [h for h in households if not h.area.path.startswith(member.community.path)]
        if outside:
            raise _invalid("households", "联系户须为本社区的住户。", "Liaison households must be in the community.")
        member.households.set(households)
    record_event(actor, "party.profile_updated", member, area=member.community, before=before,
                 after={"in_service": member.in_service, "work_unit": member.work_unit,
                        "education": member.education,
                        "households": [h.number for h in households] if households is not None else None})
    return member


@transaction.atomic
def place_in_group(actor, member: PartyMember, *, group: Body, on: datetime.date) -> PartyMember:
    """Put a member into a party group (R-MOB-08 for incoming members): his membership of the old group ends the
    day before, the new one starts on `on`."""
    member = _locked(member)
    _require_officer(actor, member.community, doing_zh="编入党小组", doing_en="place members in groups")
    _not_future(on)
    _check_group(group, member.party_org)
    if member.group_id == group.pk:
        return member
    role = {S.PROBATIONARY_MEMBER: Role.PROBATIONARY_MEMBER, S.FULL_MEMBER: Role.PARTY_MEMBER}.get(member.status)
    if member.group_id and role:
        for membership in Membership.objects.filter(person=member.person, body_id=member.group_id,
                                                    role__in=MEMBER_ROLES, end_on__isnull=True):
            orgs.end_membership(actor, membership, end_on=max(on - datetime.timedelta(days=1), membership.start_on))
    old = member.group.name if member.group else None
    member.group = group
    member.save(update_fields=["group", "updated_at"])
    held = Membership.objects.on(on).filter(person=member.person, body=group, role=role).exists()
    if role and not held:
        orgs.add_membership(actor, person=member.person, body=group, role=role, start_on=on)
    _step(actor, member, Step.Kind.GROUP, on, data={"from": old, "to": group.name})
    return member


# R-DEV: the pipeline -----------------------------------------------------------------------------------

@transaction.atomic
def make_activist(actor, member: PartyMember, *, on: datetime.date, sponsors: list[PartyMember]) -> PartyMember:
    """Applicant → activist with exactly two full-member sponsors on `on` (R-DEV-03)."""
    member = _locked(member)
    _require_officer(actor, member.community, doing_zh="确定入党积极分子", doing_en="register activists")
    _not_future(on)
    member.move_to(S.ACTIVIST)
    if member.applied_on and on < member.applied_on:
        raise _invalid("on", "确定日期早于申请日期。", "The date is before the application.")
    # A sponsor counts as a full member only if he was one on that day in this community (not probationary,
    # not yet confirmed, not gone); the activist cannot sponsor himself.
    statuses = [S.FULL_MEMBER if s.pk != member.pk and s.community_id == member.community_id and s.is_full_on(on)
                else "not_full_on_date" for s in sponsors]
    judged = _judge(r.SPONSORS, member, on, statuses=statuses, distinct=len({s.pk for s in sponsors}))
    member.activist_on = on
    member.save()
    Sponsorship.objects.bulk_create(Sponsorship(member=member, sponsor=s, assigned_on=on) for s in sponsors)
    _step(actor, member, Step.Kind.ACTIVIST, on, data={"sponsors": [s.person.name for s in sponsors]},
          version=judged.version)
    return member


@transaction.atomic
def make_target(actor, member: PartyMember, *, on: datetime.date) -> PartyMember:
    """Activist → development target after at least a year of training (R-DEV-04)."""
    member = _locked(member)
    _require_officer(actor, member.community, doing_zh="确定发展对象", doing_en="name development targets")
    _not_future(on)
    member.move_to(S.DEVELOPMENT_TARGET)
    judged = _judge(r.TRAINING, member, on, activist_on=member.activist_on, target_on=on)
    member.target_on = on
    member.save()
    _step(actor, member, Step.Kind.TARGET, on, data={"activist_on": member.activist_on}, version=judged.version)
    return member


@transaction.atomic
def record_vetting(actor, member: PartyMember, *, on: datetime.date, note: str) -> PartyMember:
    """The branch's political vetting of a development target (R-DEV-03)."""
    member = _locked(member)
    _require_officer(actor, member.community, doing_zh="记录政审", doing_en="record vetting")
    _not_future(on)
    if member.status != S.DEVELOPMENT_TARGET:
        raise Conflict("只有发展对象需要政审。", "Only a development target is vetted.", code="not_a_target",
                       facts={"status": member.status})
    if not note.strip():
        raise _invalid("note", "请填写政审结论。", "Give the vetting's conclusion.")
    member.vetted_on, member.vetting_note = on, note.strip()[:500]
    member.save()
    _step(actor, member, Step.Kind.VETTING, on, data={"note": member.vetting_note})
    return member


def _stage_status(stage: str) -> str:
    if stage not in STAGES:
        raise _invalid("stage", "阶段须为 admission（接收预备党员）或 conversion（转正）。",
                       "stage is 'admission' or 'conversion'.")
    return S.DEVELOPMENT_TARGET if stage == "admission" else S.PROBATIONARY_MEMBER


def _require_stage(member: PartyMember, stage: str) -> None:
    wanted = _stage_status(stage)
    if member.status != wanted:
        raise Conflict(f"{member.person.name}当前为「{S(member.status).label}」，不在此阶段。",
                       f"The member is {member.status}, not at this stage.", code="wrong_stage",
                       facts={"status": member.status, "stage": stage})


@transaction.atomic
def start_notice(actor, member: PartyMember, *, stage: str, started_on: datetime.date, publish: bool = False,
                 text: str = "") -> Notice:
    """Post the public notice before admission or conversion (R-DEV-05). With `publish`, a draft is also put on the
    community's party-affairs board (category P05, R-DEV-08) to go through the board's own steps."""
    member = _locked(member)
    _require_officer(actor, member.community, doing_zh="公示", doing_en="post notices")
    _require_stage(member, stage)
    _not_future(started_on, "started_on")
    # The rule's answer for a vote far in the future is the notice's last day under the version in force.
    ends_on = check(r.PUBLIC_NOTICE, area=member.community, on=started_on,
                    started_on=started_on, vote_on=datetime.date.max, feedback_considered=True).value
    item = None
    if publish:
        from jiceng.disclosure import services as disclosure

        label = "拟接收预备党员" if stage == "admission" else "拟转为正式党员"
        category = check(r.PIPELINE_DISCLOSURE, area=member.community, on=started_on).value
        item = disclosure.create_item(
            actor, community=member.community, board="party", category=category, timing_class="phased_by_stage",
            title=f"{label}公示：{member.person.name}",
            body=text or f"{member.person.name}，经支部委员会研究，{label}，现予公示，公示期自{started_on}起"
                         f"不少于{(ends_on - started_on).days}天。", period_start=started_on, period_end=ends_on)
    notice = Notice.objects.create(member=member, stage=stage, started_on=started_on, ends_on=ends_on,
                                   disclosure=item)
    _step(actor, member, Step.Kind.NOTICE, started_on, stage=stage,
          data={"ends_on": ends_on, "disclosure": item.pk if item else None})
    return notice


@transaction.atomic
def record_notice_feedback(actor, notice: Notice, *, feedback: str, considered: bool) -> Notice:
    """Attach what members and residents said during the notice, and whether the branch has dealt with it."""
    notice = (Notice.objects.select_for_update(of=("self",)).select_related("member__community", "member__person")
              .get(pk=notice.pk))
    _require_officer(actor, notice.member.community, doing_zh="处理公示意见", doing_en="handle notice feedback")
    notice.feedback, notice.feedback_considered = feedback.strip(), considered
    notice.save()
    record_event(actor, "party.notice_feedback_recorded", notice.member, area=notice.member.community,
                 after={"notice": notice.pk, "considered": considered, "feedback": notice.feedback[:200]})
    return notice


def _assembly_item(member: PartyMember, item: AgendaItem) -> tuple[bool, datetime.date, dict]:
    meeting = item.meeting
    if (meeting is None or meeting.held_at is None or meeting.kind != Kind.PARTY_MEMBERS_ASSEMBLY
            or meeting.body.area_id != member.community_id):
        raise _invalid("agenda_item", "须为本社区党员大会已讨论的议题。",
                       "The item must have been taken at this community's party members' assembly.",
                       code="wrong_meeting_kind")
    if item.status not in AgendaItem.DECIDED:
        raise _invalid("agenda_item", "该议题尚未表决。", "The item has not been decided.", code="item_pending")
    return item.status == AgendaItem.Status.PASSED, timezone.localdate(meeting.held_at), {
        "meeting": meeting.pk, "item": item.pk, "yes": item.yes, "no": item.no, "abstain": item.abstain,
        "basis": item.basis}


@transaction.atomic
def record_vote(actor, member: PartyMember, *, stage: str, on: datetime.date | None = None, yes: int | None = None,
                entitled: int | None = None, agenda_item: AgendaItem | None = None,
                materials: list[str] | None = None) -> Step:
    """The party members' assembly's vote on admission or conversion (R-DEV-07), after the public notice has run and
    its feedback been considered (R-DEV-05), the vetting (R-DEV-03, admission), complete materials (R-DEV-06) and,
    for conversion, the end of probation. Either an item of an assembly held through the meetings engine, or a
    recorded vote judged by the district's threshold (E-20). A failed vote is recorded; the status does not move."""
    member = _locked(member)
    _require_officer(actor, member.community, doing_zh="记录党员大会表决", doing_en="record assembly votes")
    _require_stage(member, stage)
    if agenda_item is not None:
        passed, on, data = _assembly_item(member, agenda_item)
    else:
        if on is None or yes is None or entitled is None:
            raise _invalid("yes", "请填写表决日期、赞成票和应到会有表决权的党员人数，或指定党员大会议题。",
                           "Give the date, yes votes and members entitled, or the assembly's agenda item.")
        if yes < 0 or entitled <= 0 or yes > entitled:
            raise _invalid("yes", "票数不合理。", "The counts do not add up.")
        data = {"yes": yes, "entitled": entitled}
    _not_future(on)
    notice = member.notices.filter(stage=stage).order_by("-started_on").first()
    _judge(r.PUBLIC_NOTICE, member, on, started_on=notice.started_on if notice else None, vote_on=on,
           feedback_considered=notice.feedback_considered if notice else True)
    supplied = list(dict.fromkeys([*(member.materials or []), *(materials or [])]))
    if stage == "admission":
        _judge(r.VETTING, member, on, vetted_on=member.vetted_on, vote_on=on)
    else:
        _judge(r.PROBATION, member, on, admitted_on=member.admitted_on, vote_on=on)
    _judge(r.MATERIALS, member, on, stage=stage, supplied=supplied)
    version = ""
    if agenda_item is None:
        judged = _judge(r.ADMISSION_VOTE, member, on, yes=yes, base=entitled)
        passed, version = judged.value.passed, judged.version
        data["arithmetic"] = judged.value.arithmetic_zh
    member.materials = supplied
    member.save(update_fields=["materials", "updated_at"])
    return _step(actor, member, Step.Kind.VOTE, on, stage=stage, passed=passed, data={**data, "notice": notice.pk},
                 version=version)


def last_vote(member: PartyMember, stage: str) -> Step | None:
    return member.steps.filter(kind=Step.Kind.VOTE, stage=stage).order_by("-occurred_on", "-pk").first()


@transaction.atomic
def approve(actor, member: PartyMember, *, stage: str, approved_on: datetime.date, approval_ref: str,
            approver: Person | None = None) -> PartyMember:
    """The street party working committee's approval (R-DEV-07): the status moves on the approval date —
    development target → probationary member (dues owed from that month, R-DUES-05), probationary → full member —
    and the orgs memberships follow. Recorded by a PWC officer, or by a branch officer entering the PWC's written
    approval with the PWC officer who signed it."""
    member = _locked(member)
    _require_stage(member, stage)
    _not_future(approved_on, "approved_on")
    own = Person.objects.filter(pk=_person_id(actor)).first() if _person_id(actor) else None
    if _holds_pwc(own, member.community, approved_on) and scope.has_perm(actor, Perm.VIEW, member.community):
        approver = approver or own
    else:
        _require_officer(actor, member.community, doing_zh="录入上级审批", doing_en="enter the superior's approval")
    vote = last_vote(member, stage)
    judged = _judge(r.SUPERIOR_APPROVAL, member, approved_on, vote_passed=bool(vote and vote.passed),
                    vote_on=vote.occurred_on if vote else None,
                    approved_on=approved_on if approval_ref.strip() else None,
                    by_superior=_holds_pwc(approver, member.community, approved_on))
    if stage == "admission":
        member.move_to(S.PROBATIONARY_MEMBER)
        member.admitted_on = approved_on
        member.save()
        _join(actor, member, Role.PROBATIONARY_MEMBER, approved_on)
        _set_political_status(actor, member.person, Person.PoliticalStatus.PROBATIONARY_MEMBER)
    else:
        member.move_to(S.FULL_MEMBER)
        member.full_on = approved_on
        member.save()
        _leave(actor, member, approved_on - datetime.timedelta(days=1), roles=(Role.PROBATIONARY_MEMBER,))
        _join(actor, member, Role.PARTY_MEMBER, approved_on)
        _set_political_status(actor, member.person, Person.PoliticalStatus.PARTY_MEMBER)
    _step(actor, member, Step.Kind.APPROVAL, approved_on, stage=stage, passed=True,
          data={"approval_ref": approval_ref.strip(), "approver": approver.name}, version=judged.version)
    return member


@transaction.atomic
def reject(actor, member: PartyMember, *, on: datetime.date, reason: str) -> PartyMember:
    """Stop a member's development (or, for a probationary member, cancel the probationary status)."""
    member = _locked(member)
    _require_officer(actor, member.community, doing_zh="作出不予接收的决定", doing_en="reject")
    _not_future(on)
    if not reason.strip():
        raise _invalid("reason", "请写明理由。", "Give the reason.")
    was_probationary = member.status == S.PROBATIONARY_MEMBER
    member.move_to(S.REJECTED)
    member.left_on, member.left_note = on, reason.strip()[:500]
    member.save()
    if was_probationary:
        _leave(actor, member, on)
        _set_political_status(actor, member.person, Person.PoliticalStatus.NONE)
    _step(actor, member, Step.Kind.REJECTED, on, data={"reason": member.left_note})
    return member


@transaction.atomic
def transfer_out(actor, member: PartyMember, *, on: datetime.date, destination: str) -> PartyMember:
    """The organisational relation moves to another organisation (R-MOB-02 transfer, or a move): memberships end."""
    member = _locked(member)
    _require_officer(actor, member.community, doing_zh="转出组织关系", doing_en="transfer members out")
    _not_future(on)
    return _transfer(actor, member, on, destination)


def _transfer(actor, member: PartyMember, on: datetime.date, destination: str) -> PartyMember:
    if not destination.strip():
        raise _invalid("destination", "请填写转入的党组织。", "Give the receiving organisation.")
    member.move_to(S.TRANSFERRED_OUT)
    member.left_on, member.left_note = on, f"转至{destination.strip()}"[:500]
    member.save()
    _leave(actor, member, on)
    _step(actor, member, Step.Kind.TRANSFER_OUT, on, data={"destination": destination.strip()})
    return member


@transaction.atomic
def set_yearly_plan(actor, *, community: Area, year: int, admit: int, activists: int) -> DevelopmentPlan:
    """R-DEV-02: the branch's plan for the year; outside 1–2 admissions or 3–5 activists it is kept with warnings."""
    _require_officer(actor, community, doing_zh="制定发展党员计划", doing_en="set the yearly plan")
    party_org = party_org_of(community)
    if party_org is None:
        raise _invalid("community", "该社区尚未建立党组织。", "The community has no party organisation.")
    warnings = check(r.YEARLY_PLAN, area=community, on=datetime.date(year, 1, 1), admitted=admit,
                     activists=activists).value
    plan, _ = DevelopmentPlan.objects.update_or_create(
        party_org=party_org, year=year, defaults={"admit": admit, "activists": activists, "warnings": warnings})
    record_event(actor, "party.plan_set", party_org, area=community,
                 after={"year": year, "admit": admit, "activists": activists, "warnings": len(warnings)})
    return plan


