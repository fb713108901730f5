"""Demo party-member affairs (issue #8) for the three demo communities: every party member on file with his group,
dates and dues rate, a few in-service members and liaison households; a development pipeline in every stage; a
year of monthly dues with a few members behind (one past six months, so the scan flags it); mobile members,
including three gone to one city (a temporary branch is due) and an incoming member not yet in a group.

All through `jiceng.party.services`, as the branch would enter it. The district sets what the seeds leave open
(E-20): the assembly's threshold (more than half of the full members entitled) and twelve months of probation, as
the Party Constitution has them.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model

from jiceng.accounts import scope
from jiceng.orgs.models import Body, Household, Membership, Person, Role
from jiceng.party import services
from jiceng.party.models import PartyMember
from jiceng.rules import party as r
from jiceng.rules.models import RulebookVersion
from jiceng.rules.services import adopt_version

WORK_UNITS = ("洛阳轴承集团", "中信重工机械股份有限公司", "洛阳市第一中学", "涧西区人民医院", "洛阳供电公司",
              "中国一拖集团", "涧西区税务局", "洛阳银行涧西支行")
RATES = ("2.00", "3.50", "5.00", "8.00", "12.00", "20.00", "0.20")
ADMISSION = ["入党申请书", "入党志愿书", "政治审查材料", "培养考察材料"]
CONVERSION = ["转正申请书", "预备期考察材料"]
ACTORS = {0: "changchun_shuji", 1: "qingdao_shuji", 2: "nanchang_shequ"}


def build_party(admin, district, pwc: Body, communities: list[dict]) -> None:
    today = scope.today()
    _rulebook(admin, district, today)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ACTORS.values())}
    approver = Membership.objects.filter(body=pwc, role=Role.PWC_SECRETARY).select_related("person").first().person
    rng = random.Random(88)
    for index, c in enumerate(communities):
        _community(rng, users[ACTORS[index]], approver, c, index, today)


def _rulebook(admin, district, today: datetime.date) -> None:
    """Add the party parameters to the district's rulebook, keeping what earlier versions set."""
    latest = RulebookVersion.objects.filter(district=district).order_by("-effective_from").first()
    overrides = dict(latest.overrides) if latest else {}
    overrides["R-DEV-07/assembly_vote"] = {"threshold": {"share": "1/2", "base": "members_total", "strict": True}}
    overrides["R-DEV-07/probation"] = {"months": 12}
    effective = max(datetime.date(2015, 1, 2), (latest.effective_from + datetime.timedelta(days=1)) if latest
                    else datetime.date(2015, 1, 2))
    adopt_version(admin, district=district, effective_from=effective, overrides=overrides,
                  note="区委组织部：党员大会表决和预备期按党章执行")


def _day(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _community(rng, actor, approver: Person, c: dict, index: int, today: datetime.date) -> None:
    area = c["area"]
    party_org = Body.objects.get(area=area, kind=Body.Kind.COMMUNITY_PARTY_ORG)
    groups = {m.person_id: m.body for m in Membership.objects.filter(
        body__parent_body=party_org, body__kind=Body.Kind.GRID_PARTY_GROUP).select_related("body")}
    people = [p for p in c["people"] if p.political_status == Person.PoliticalStatus.PARTY_MEMBER]
    full = []
    for i, person in enumerate(people):
        full_on = _day(rng, datetime.date(1978, 7, 1), datetime.date(2023, 6, 30))
        admitted = full_on - datetime.timedelta(days=365)
        in_service = i % 7 == 3
        unit = rng.choice(WORK_UNITS) if in_service else ""
        age = today.year - person.birth_date.year
        member = services.register(
            actor, person=person, community=area, status="full_member", applied_on=admitted - datetime.timedelta(
                days=rng.randint(400, 900)), admitted_on=admitted, full_on=full_on, group=groups.get(person.pk),
            in_service=in_service, work_unit=unit, unit_party_org=f"{unit}党委" if unit else "",
            reported_on=_day(rng, datetime.date(2021, 1, 1), today) if in_service else None,
            dues=rng.choice(RATES), dues_from=r.add_months(r.month_start(today), -12),
            education=PartyMember.Education.RETIRED if age >= 60 else PartyMember.Education.RESIDENT)
        full.append(member)
    households = list(Household.objects.filter(area__path__startswith=area.path).order_by("pk")[:12])
    for k, member in enumerate(full[:4]):
        services.update_profile(actor, member, households=households[k * 3:k * 3 + 3])
    young = [p for p in c["people"] if p.political_status == Person.PoliticalStatus.NONE
             and 20 <= today.year - p.birth_date.year <= 45 and not hasattr(p, "party_file")]
    rng.shuffle(young)
    newcomers = _pipeline(rng, actor, approver, area, full, young, today, index)
    _dues(rng, actor, [*full, *newcomers], today, index)
    _mobile(rng, actor, area, full, young[12:], today, index)
    services.set_yearly_plan(actor, community=area, year=today.year, admit=3 if index == 2 else 2,
                             activists=4)
    if index == 0:
        last = r.add_months(r.month_start(today), -1)
        services.publish_dues_summary(actor, community=area, month=last)


def _ago(today: datetime.date, months: int, day: int = 0) -> datetime.date:
    return r.add_months(today, -months) + datetime.timedelta(days=day)


def _pipeline(rng, actor, approver, area, full, young, today, index) -> list[PartyMember]:
    """Two applicants, three activists in training, one ready to be named a target, one target under notice, one
    admitted this year, one probationary member due for (or, in the first community, through) conversion."""
    entitled = len(full)
    pool = iter(young)

    def applicant(applied_on):
        return services.register(actor, person=next(pool), community=area, applied_on=applied_on)

    def activist(applied_on, on):
        member = applicant(applied_on)
        services.make_activist(actor, member, on=on, sponsors=rng.sample(full, 2))
        return member

    def target(activist_on, target_on, vetted_on):
        member = activist(activist_on - datetime.timedelta(days=120), activist_on)
        services.make_target(actor, member, on=target_on)
        services.record_vetting(actor, member, on=vetted_on, note="经政治审查，历史清白，现实表现良好，政审合格。")
        return member

    def admit(member, notice_on):
        services.start_notice(actor, member, stage="admission", started_on=notice_on)
        services.record_vote(actor, member, stage="admission", on=notice_on + datetime.timedelta(days=9),
                             yes=entitled - 1, entitled=entitled, materials=ADMISSION)
        services.approve(actor, member, stage="admission", approved_on=notice_on + datetime.timedelta(days=20),
                         approval_ref=f"天工发〔{notice_on.year}〕{10 + index}号", approver=approver)
        member.refresh_from_db()
        return member

    for k in range(2):
        applicant(_ago(today, 2 + k))
    for k in range(3):
        activist(_ago(today, 10 + k), _ago(today, 7 + k))
    activist(_ago(today, 17), _ago(today, 13))  # a year of training done: ready to be named a target
    under_notice = target(_ago(today, 26), _ago(today, 4), _ago(today, 3))
    services.start_notice(actor, under_notice, stage="admission", started_on=today - datetime.timedelta(days=3),
                          publish=True)
    admitted = admit(target(_ago(today, 30), _ago(today, 16), _ago(today, 15)), _ago(today, 7))
    senior = admit(target(_ago(today, 40), _ago(today, 27), _ago(today, 26)), _ago(today, 14))
    services.set_dues(actor, admitted, amount="5.00")
    services.set_dues(actor, senior, amount="8.00")
    if index == 0:
        conversion_on = r.add_months(senior.admitted_on, 12)
        services.start_notice(actor, senior, stage="conversion", started_on=conversion_on - datetime.timedelta(days=8))
        services.record_vote(actor, senior, stage="conversion", on=conversion_on, yes=entitled, entitled=entitled,
                             materials=CONVERSION)
        services.approve(actor, senior, stage="conversion", approved_on=conversion_on + datetime.timedelta(days=10),
                         approval_ref=f"天工发〔{conversion_on.year}〕31号", approver=approver)
        senior.refresh_from_db()
    return [admitted, senior]


def _dues(rng, actor, members, today, index) -> None:
    """A year of monthly payments on the 10th; two members a couple of months behind, one (in each of the larger
    communities) past six months, one paying by proxy and one paying back with the branch's consent."""
    start = r.add_months(r.month_start(today), -12)
    behind = {members[5].pk: 2, members[9].pk: 1}
    if index > 0:
        behind[members[11].pk] = 7
    proxy_for, back_payer = members[3], members[7]
    for member in members:
        member.refresh_from_db()
        if member.status not in PartyMember.MEMBERS:
            continue
        months = [m for m in r.months_between(start, today) if m >= r.month_start(member.admitted_on)]
        skip = behind.get(member.pk, 0)
        if skip:
            months = months[:-(skip + 1)]  # the current month unpaid too
        elif today.day < 10:
            months = months[:-1]  # early in the month: not paid yet
        if member == back_payer:
            for m in months[:-3]:
                services.pay_dues(actor, member, paid_on=m + datetime.timedelta(days=9), first_month=m)
            services.pay_dues(actor, member, paid_on=min(today, months[-1] + datetime.timedelta(days=5)),
                              first_month=months[-3], months=3, consent="支部委员会同意补交（外出探亲）")
            continue
        for m in months:
            if member == proxy_for and m.month % 2 == 0:
                services.pay_dues(actor, member, paid_on=min(today, m + datetime.timedelta(days=9)), first_month=m,
                                  payer=members[4].person, consent="支部同意委托代交（行动不便）")
            else:
                services.pay_dues(actor, member, paid_on=min(today, m + datetime.timedelta(days=rng.randint(3, 20))),
                                  first_month=m)


def _mobile(rng, actor, area, full, young, today, index) -> None:
    base = {"reason": "外出务工", "place_known": True}
    if index == 0:
        episode = services.register_departure(
            actor, full[12], left_on=_ago(today, 2), return_on=_ago(today, -3), place="深圳市南山区",
            contact="13903790000", disposition="certificate", document_no="涧证〔2026〕3号", **base)
        services.report_in(actor, episode, on=_ago(today, 2, 10), inflow_org="深圳市南山区粤海街道党工委")
    if index == 1:
        for k, member in enumerate(full[14:17]):
            services.register_departure(actor, member, left_on=_ago(today, 3), return_on=_ago(today, -2),
                                        place="苏州工业园区", contact=f"1380379000{k}",
                                        disposition="certificate", document_no=f"涧证〔2026〕1{k}号", **base)
    if index == 2:
        services.register_departure(actor, full[20], left_on=_ago(today, 5), return_on=None, place="",
                                    contact="13603790111", disposition="card", document_no="流动证0021",
                                    **{**base, "reason": "外出经商", "place_known": False})
        back = services.register_departure(actor, full[21], left_on=_ago(today, 8), return_on=_ago(today, 3),
                                           place="郑州市金水区", contact="13603790222", disposition="certificate",
                                           **base)
        services.record_return(actor, back, returned_on=_ago(today, 3, 2),
                               check_note="查验《党员证明信》回执，流入地党组织反映其按时参加组织生活、交纳党费，表现良好。")
        incoming = services.register(actor, person=young[0], community=area, status="full_member",
                                     applied_on=datetime.date(2012, 3, 1), admitted_on=datetime.date(2014, 7, 1),
                                     full_on=datetime.date(2015, 7, 1), incoming=True, dues="6.00",
                                     arrived_on=_ago(today, 1), work_unit="")
        services.pay_dues(actor, incoming, paid_on=today.replace(day=1), first_month=today.replace(day=1))
