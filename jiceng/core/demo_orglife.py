"""The demo's organisational life, run through the services of jiceng.orglife.

- 民主评议党员: 长春路 and 青岛路 finished their 2025 rounds (青岛路 with participation below 95%, so the scan flags
  it, R-DEMEV-03); 长春路's 2026 round is open with grades being proposed, and 南昌路 has just opened its 2026 round
  (and, having no 2025 round, is flagged by the scan, R-DEMEV-01).
- 党员服务承诺 in 长春路 in every state: drafted, posted for review, reviewed by the branch, confirmed by the
  September members' assembly, published three ways with a half-year review, appraised, and the branch's own
  commitment reviewed by the street working committee.
- 三会一课: the participation page reads the demo meetings; 长春路 logs e-education screenings from the street's
  approved catalogue.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from jiceng.meetings.models import Kind, Meeting
from jiceng.orglife import commitments, evaluation, screenings
from jiceng.orglife.models import MemberEvaluation
from jiceng.orgs.models import Body, Role

from .demo_meetings import YEAR, _members

D = datetime.date
LAST = YEAR - 1


def build_orglife(communities: list[dict]) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__contains="_")}
    orgs = [Body.objects.get(area=c["area"], kind=Body.Kind.COMMUNITY_PARTY_ORG) for c in communities]
    changchun, qingdao, nanchang = orgs
    _finished_round(users, changchun, users["changchun_shuji"], participation_gap=1)
    _finished_round(users, qingdao, users["qingdao_shuji"], participation_gap=5)
    _open_round(users["changchun_shuji"], changchun)
    evaluation.open_round(users["nanchang_shequ"], party_org=nanchang, year=YEAR, evaluated_on=D(YEAR, 11, 20),
                          envoy_name="")
    _commitments(users, communities[0], changchun)
    _screenings(users, communities[0], changchun)


def _finished_round(users, org: Body, secretary, *, participation_gap: int) -> None:
    """A closed round of LAST: everyone but `participation_gap` members took part; one excellent member commended,
    one unqualified member given a deadline to correct."""
    rnd = evaluation.open_round(secretary, party_org=org, year=LAST, evaluated_on=D(LAST, 12, 18),
                                envoy_name="街道党工委组织委员 周建国")
    rows = list(rnd.evaluations.select_related("person").order_by("pk"))
    took_part = rows[: len(rows) - participation_gap]
    for e in rows[len(took_part):]:
        evaluation.record_member(secretary, e, participated=False, outgoing=True)
    for i, e in enumerate(took_part):
        evaluation.record_member(secretary, e, participated=True,
                                 self=f"{e.person.name}：按党员标准对照检查，全年参加组织生活。",
                                 peer="同志们认为能发挥先锋模范作用。", residents="群众满意。",
                                 organisation="支部认为表现良好。")
        grade = "excellent" if i == 0 else ("unqualified" if i == 1 else "qualified")
        evaluation.propose_grade(secretary, e, grade=grade)
    evaluation.submit_round(secretary, rnd)
    for e in MemberEvaluation.objects.filter(round=rnd).exclude(proposed_grade=""):
        evaluation.approve_grade(users["pwc_shuji"], e, note="同意支部意见")
    excellent, unqualified = took_part[0], took_part[1]
    evaluation.record_decision(secretary, excellent, kind="commendation", decided_on=D(LAST, 12, 28),
                               decided_by_body=f"{org.name}党员大会", note="授予年度优秀党员称号")
    evaluation.record_decision(secretary, unqualified, kind="measure", measure="correct_within_deadline",
                               decided_on=D(LAST, 12, 28), decided_by_body=f"{org.name}支部委员会",
                               note="限期三个月改正，按时参加组织生活")
    evaluation.close_round(secretary, rnd, summary=f"{LAST}年度民主评议工作已完成，党员普遍受到教育。",
                           rectification="加强外出党员联系；落实“三会一课”；对限期改正党员跟踪帮扶。")


def _open_round(secretary, org: Body) -> None:
    rnd = evaluation.open_round(secretary, party_org=org, year=YEAR, evaluated_on=D(YEAR, 11, 20))
    for i, e in enumerate(rnd.evaluations.select_related("person").order_by("pk")[:12]):
        evaluation.record_member(secretary, e, participated=True, self=f"{e.person.name}本年度自评材料。")
        if i < 6:
            evaluation.propose_grade(secretary, e, grade="excellent" if i == 0 else "qualified")


def _commitments(users, c: dict, org: Body) -> None:
    worker, secretary, pwc = users["changchun_shequ"], users["changchun_shuji"], users["pwc_shuji"]
    members = _members(org, [Role.PARTY_MEMBER], on=D(YEAR, 3, 1))[8:16]
    plan = [("清扫楼道", "sanitation"), ("调解邻里纠纷", "civil_mediation"), ("夜间治安巡逻", "public_order"),
            ("宣传垃圾分类", "cultural_publicity"), ("辅导青少年学习", "ideological_education"),
            ("组织文艺演出", "cultural_publicity")]
    made = []
    for person, (title, area) in zip(members, plan, strict=False):
        made.append(commitments.draft_commitment(
            worker, party_org=org, year=YEAR, committer_type="member_without_post", area=area, title=title,
            content=f"{person.name}承诺：{title}，每月至少两次。", person=person, drafted_on=D(YEAR, 3, 1)))
    drafted, posted, reviewed, *rest = made
    for commitment in [posted, reviewed, *rest]:
        commitments.post_for_review(worker, commitment, posted_on=D(YEAR, 3, 5), note="社区党务公开栏公示七天")
    for commitment in [reviewed, *rest]:
        commitments.review(secretary, commitment, reviewed_on=D(YEAR, 3, 15), note="内容切合实际，同意提交党员大会")
    assembly = Meeting.objects.filter(body=org, kind=Kind.PARTY_MEMBERS_ASSEMBLY).order_by("held_at").first()
    if assembly is None:
        return
    present = assembly.attendance.filter(status="present").count()
    for commitment in rest:
        commitments.record_assembly_vote(secretary, commitment, meeting=assembly, yes=present - 1)
    published = rest[1:]
    for commitment in published:
        for channel in ("assembly", "written", "posting"):
            commitments.record_publication(worker, commitment, channel=channel, occurred_on=D(YEAR, 9, 28))
    for commitment in published:
        commitments.record_half_year_review(secretary, commitment, occurred_on=D(YEAR, 11, 20),
                                            comment="按承诺开展服务，群众反映良好。")
    appraised = published[-1]
    for step in ("self", "mutual"):
        commitments.record_appraisal(secretary, appraised, step=step, occurred_on=D(YEAR, 11, 22))
    commitments.record_appraisal(secretary, appraised, step="assembly", occurred_on=D(YEAR, 11, 22),
                                 grade="satisfied", meeting=assembly)
    branch = commitments.draft_commitment(worker, party_org=org, year=YEAR, committer_type="branch",
                                          area="five_goods", title="创建“五个好”社区党组织",
                                          content="领导班子好、党员干部队伍好、工作机制好、工作业绩好、群众反映好。",
                                          drafted_on=D(YEAR, 2, 20))
    commitments.post_for_review(worker, branch, posted_on=D(YEAR, 2, 22))
    commitments.review(pwc, branch, reviewed_on=D(YEAR, 3, 2), note="街道党工委审查同意")


def _screenings(users, c: dict, org: Body) -> None:
    street = c["area"].parent
    pwc_office = users["pwc_shuji"]  # street staff approve the catalogue
    films = [screenings.add_film(pwc_office, area=street, title=title, approved_on=D(LAST, 12, 1))
             for title in ("榜样的力量", "基层治理条例解读", "初心如磐")]
    chair = _members(org, [Role.COMMUNITY_PARTY_SECRETARY], on=D(YEAR, 1, 1))[0]
    watchers = [p.pk for p in _members(org, [Role.PARTY_MEMBER], on=D(YEAR, 1, 1))]
    projectionist = _members(org, [Role.DESIGNATED_RECORDER], on=D(YEAR, 1, 1))[0]
    screenings.appoint_projectionist(users["changchun_shequ"], party_org=org, person=projectionist,
                                     start_on=D(YEAR, 1, 1))
    for month in range(1, 11):
        if month == 7:
            continue  # July was missed: the participation page shows it
        screenings.record_screening(users["changchun_shequ"], party_org=org, held_on=D(YEAR, month, 18),
                                    film=films[month % len(films)], chair=chair,
                                    attendees=watchers[: 10 + month], note="集中收看，做好收看记录")
