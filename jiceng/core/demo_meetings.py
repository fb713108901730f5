"""The demo's meetings: a season of a street's and its communities' meetings, run through the services, so
the calendar, the live meeting page, the outcomes with their arithmetic and the schedules show real data.

Dates are fixed in the autumn of the demo year; one community is left behind on its November committee
meeting so the schedule panel has something to warn about."""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from jiceng.meetings import ballots, minutes
from jiceng.meetings import services as meetings
from jiceng.meetings.models import Kind, Meeting
from jiceng.orgs.models import Body, Membership, Role
from jiceng.rules.services import adopt_version

TZ = ZoneInfo("Asia/Shanghai")
YEAR = 2026


def at(month: int, day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(YEAR, month, day, hour, tzinfo=TZ)


def _members(body: Body, roles=None, on=datetime.date(YEAR, 9, 1)) -> list:
    rows = Membership.objects.on(on).filter(body=body).select_related("person").order_by("pk")
    if roles is not None:
        rows = rows.filter(role__in=roles)
    return list(dict.fromkeys(m.person for m in rows))


def _run(actor, body: Body, kind: str, title: str, when: datetime.datetime, *, notice_days: int, present_share=1.0,
         items=(), chair=None, recorder=None, dissent=(), expected=None, location="社区党群服务中心会议室",
         subject_category="", confirm=None) -> Meeting:
    """Convene, notice, hold and vote one meeting. `dissent` gives (no, abstain) per item; everyone else
    present votes yes."""
    meeting = meetings.create_meeting(actor, kind=kind, body=body, title=title, scheduled_at=when, location=location,
                                      expected=[p.pk for p in expected] if expected else None,
                                      subject_category=subject_category)
    agenda = [meetings.add_item(actor, meeting, title=t, kind=k, topic=topic) for t, k, topic in items]
    for party in confirm or ():
        meetings.confirm_participants(actor, meeting, party=party)
    meetings.publish_notice(actor, meeting, published_at=when - datetime.timedelta(days=notice_days))
    expected_ids = list(meeting.attendance.filter(expected=True).values_list("person_id", flat=True))
    # The chair and the recorder are among those present; the rest fill up to the share.
    first = [p.pk for p in (chair, recorder) if p is not None and p.pk in expected_ids]
    ordered = list(dict.fromkeys(first + expected_ids))
    present = ordered[: max(1, round(len(ordered) * present_share))]
    meetings.hold(actor, meeting, held_at=when, present=present, chair=chair, recorder=recorder)
    for item, (no, abstain) in zip(agenda, dissent, strict=False):
        method = "ballot" if item.kind in ("major", "cadre") and kind == Kind.PWC_MEETING else "show_of_hands"
        meetings.record_vote(actor, item, method=method, yes=len(present) - no - abstain, no=no, abstain=abstain)
    return meeting


def build_meetings(admin, district, pwc: Body, communities: list[dict]) -> None:
    # R-WF-08 leaves the residents' meetings' numbers to the district (E-20); the demo district adopts the
    # member congress's reading (A-COM-32) for them.
    adopt_version(admin, district=district, effective_from=datetime.date(2024, 1, 1), note="区委组织部〔2024〕1号",
                  overrides={"R-WF-08": {"threshold": {"share": "1/2", "base": "expected", "strict": True}},
                             "R-WF-08/passing": {"threshold": {"share": "1/2", "base": "present", "strict": True}},
                             # The district keeps its boards here from October; earlier periods are on paper.
                             "R-PDISC-02": {"since": f"{YEAR}-10-01"}, "A-OPEN-06": {"since": f"{YEAR}-10-01"},
                             # "绝大多数" (R-RDISC-06) has no number in the seeds: this district says two thirds
                             # of the community's households.
                             "R-RDISC-06": {"threshold": {"share": "2/3", "base": "households", "strict": False}}})
    pwc_people = _members(pwc)
    secretary = _members(pwc, [Role.PWC_SECRETARY])[0]
    agenda = {9: ("中秋国庆期间安全稳定工作部署", "major", ""), 10: ("社区工作者招聘方案", "ordinary", ""),
              11: ("2027年度经费预算", "major", "")}
    for month, extra in agenda.items():
        _run(admin, pwc, Kind.PWC_MEETING, f"{YEAR}年{month}月党工委会议", at(month, 12), notice_days=4,
             present_share=0.8, chair=secretary, recorder=pwc_people[-1],
             location="街道办事处三楼会议室",
             items=[("传达学习上级会议精神", "ordinary", ""), extra],
             dissent=[(0, 0), (1, 0)])
    # Noticed and waiting: next month's meeting with its agenda.
    upcoming = meetings.create_meeting(admin, kind=Kind.PWC_MEETING, body=pwc, title=f"{YEAR}年12月党工委会议",
                                       scheduled_at=at(12, 3), location="街道办事处三楼会议室")
    meetings.add_item(admin, upcoming, title="年终考核工作安排")
    meetings.publish_notice(admin, upcoming, published_at=at(11, 26))

    for index, c in enumerate(communities):
        org = Body.objects.get(area=c["area"], kind=Body.Kind.COMMUNITY_PARTY_ORG)
        rc = Body.objects.get(area=c["area"], kind=Body.Kind.RESIDENTS_COMMITTEE)
        council = Body.objects.get(area=c["area"], kind=Body.Kind.DELIBERATION_COUNCIL)
        recorder = _members(org, [Role.DESIGNATED_RECORDER])[0]
        months = (9, 10) if index == 2 else (9, 10, 11)  # 南昌路 is behind on November's committee meeting
        for month in months:
            _run(admin, org, Kind.PARTY_ORG_COMMITTEE_MEETING, f"{month}月支委会", at(month, 8, 15), notice_days=2,
                 chair=c["secretary"], recorder=recorder, items=[("研究本月党员发展和党费收缴", "ordinary", "")],
                 dissent=[(0, 0)])
        for month in (10, 11):
            _run(admin, org, Kind.TWO_COMMITTEES_JOINT_MEETING, f"{month}月两委联席会议", at(month, 15, 15),
                 notice_days=3, present_share=0.9, chair=c["secretary"], recorder=recorder,
                 items=[("老旧小区加装电梯意见征集情况", "major", "T4")], dissent=[(1, 0)])
        council_members = _members(council)
        topics = [("楼院停车秩序整治方案", "ordinary", "T4")]
        if index == 0:  # the elevator matter's consultation (demo_decisions)
            topics.append(("3号楼加装电梯实施方案", "ordinary", "T4"))
        _run(admin, council, Kind.DELIBERATION_COUNCIL, "10月社区议事会", at(10, 22, 15), notice_days=5,
             recorder=council_members[0], items=topics, dissent=[(1, 0), (1, 0)])
        if index == 0:
            _keep_up(admin, c, org)
            _grid_escalation(admin, c)
            _hearing(admin, c, rc)
            _evaluation(admin, c, org, rc)
    _close_september_and_october(admin, pwc)


def _close_september_and_october(admin, pwc: Body) -> None:
    """Minutes generated, signed and the meetings closed; November's still wait for their minutes.
    The working committee's minutes are signed by its secretary (R-DOC-04)."""
    secretary = get_user_model().objects.get(username="pwc_shuji")
    done = Meeting.objects.filter(status=Meeting.Status.HELD, held_at__lt=at(11, 1)).exclude(kind=Kind.HEARING)
    for meeting in done.order_by("held_at"):
        record = minutes.generate_minutes(admin, meeting)
        minutes.sign_minutes(secretary if meeting.body_id == pwc.pk else admin, record)
        meetings.close_meeting(admin, meeting)


def _evaluation(admin, c: dict, org: Body, rc: Body) -> None:
    """Last year's 四报告一评议: 56 approved evaluators, four duty reports, chaired by the street leader
    assigned to the community, anonymous ballots on the nine lines, results published within 7 days."""
    rng = random.Random(7)
    when = datetime.datetime(YEAR - 1, 12, 18, 14, tzinfo=TZ)
    evaluators = [p for p in c["people"] if p.birth_date.year < YEAR - 20][:56]
    meeting = meetings.create_meeting(admin, kind=Kind.EVALUATION_MEETING, body=org,
                                      title=f"{YEAR - 1}年度四报告一评议会", scheduled_at=when,
                                      location="社区党群服务中心大会议室",
                                      expected=[p.pk for p in evaluators], evaluation_form="comprehensive")
    meetings.approve_participants(admin, meeting)
    heads = {Role.COMMUNITY_PARTY_SECRETARY: org, Role.RC_DIRECTOR: rc,
             Role.WORKSTATION_HEAD: Body.objects.get(area=org.area, kind=Body.Kind.COMMUNITY_WORKSTATION),
             Role.CGO_DIRECTOR: Body.objects.get(area=org.area, kind=Body.Kind.COMPREHENSIVE_GOVERNANCE_OFFICE)}
    for role, body in heads.items():
        person = _members(body, [role])[0]
        meetings.add_duty_report(admin, meeting, role=role, person=person,
                                 work_completed="全年完成街道下达的各项目标任务，加装电梯、停车整治等实事按期推进。",
                                 performance="认真履行岗位职责，落实“一征三议两公开”工作法，廉洁自律。",
                                 next_steps="围绕居民急难愁盼问题，完善议事协商，推进老旧小区改造。")
    meetings.publish_notice(admin, meeting, published_at=when - datetime.timedelta(days=7))
    liaison = _members(rc, [Role.STREET_LIAISON_LEADER])[0]
    present = [p.pk for p in evaluators[:53]]
    meetings.hold(admin, meeting, held_at=when, present=present, chair=liaison, recorder=_members(org)[0])
    for code in ballots.issue_ballots(admin, meeting)[:51]:
        answers = {line.key: rng.choices(line.values, weights=(80, 15, 5, 0)[:len(line.values)])[0]
                   for line in ballots.EVALUATION_LINES}
        ballots.cast_ballot(code, answers)
    meetings.record_results_published(admin, meeting, published_on=(when + datetime.timedelta(days=3)).date())


def _keep_up(admin, c: dict, org: Body) -> None:
    """长春路 keeps its 三会一课 (R-MTG): every party group met in October, the members' assembly, the party lecture
    and the community joint work meeting were held in the third quarter — so its schedules show as met."""
    groups = Body.objects.filter(area__path__startswith=c["area"].path,
                                 kind__in=[Body.Kind.PARTY_GROUP, Body.Kind.GRID_PARTY_GROUP,
                                           Body.Kind.BUILDING_PARTY_GROUP]).order_by("pk")
    for group in groups:
        members = _members(group, on=datetime.date(YEAR, 10, 1))
        if members:
            _run(admin, group, Kind.PARTY_GROUP_MEETING, "10月党小组会", at(10, 20, 19), notice_days=2,
                 recorder=members[0], location="楼栋党员活动室")
    recorder = _members(org, [Role.DESIGNATED_RECORDER])[0]
    _run(admin, org, Kind.PARTY_MEMBERS_ASSEMBLY, "第三季度党员大会", at(9, 26, 15), notice_days=5,
         chair=c["secretary"], recorder=recorder, location="社区党群服务中心大会议室")
    _run(admin, org, Kind.PARTY_LECTURE, "党课：学习贯彻基层治理条例", at(9, 26, 16), notice_days=5,
         chair=c["secretary"], recorder=recorder, location="社区党群服务中心大会议室")
    _run(admin, org, Kind.COMMUNITY_WORK_JOINT_MEETING, "第三季度社区工作联席会", at(9, 28, 15), notice_days=3,
         chair=c["secretary"], recorder=recorder)


def _grid_escalation(admin, c: dict) -> None:
    """A grid council that could not agree: the topic goes to the community council (R-DELIB-09)."""
    grid = c["grids"][0]
    council = Body.objects.get(area=grid, kind=Body.Kind.DELIBERATION_COUNCIL)
    members = _members(council)
    _run(admin, council, Kind.DELIBERATION_COUNCIL, f"{grid.name}议事会", at(11, 5, 19), notice_days=4,
         recorder=members[0], location=f"{grid.name}网格服务站", items=[("3号楼前空地改建健身场地", "ordinary", "T4")],
         dissent=[(len(members) // 2, 0)])


def _hearing(admin, c: dict, rc: Body) -> None:
    """R-HEAR: a hearing on the elevator plan with 21 agreed participants, held and its results published."""
    invitees = _members(Body.objects.get(area=c["area"], kind=Body.Kind.RESIDENT_REPRESENTATIVES_MEETING))
    invitees = (invitees + [p for p in c["people"] if p not in invitees])[:21]
    meeting = _run(admin, rc, Kind.HEARING, "老旧小区加装电梯听证会", at(9, 20, 9), notice_days=4, present_share=0.75,
                   expected=invitees, subject_category="H2", items=[("加装电梯费用分摊方案", "ordinary", "T4")],
                   dissent=[(2, 1)], confirm=("street_office", "party_org", "residents_committee"))
    meetings.record_results_published(admin, meeting, published_on=datetime.date(YEAR, 9, 24))
