"""The demo's disclosure boards: each step done by the person whose office it is, through the services.

长春路 publishes on time on both boards, corrects one item and answers its mail; 青岛路 publishes late and has
a message past its reply deadline; 南昌路 has published nothing this autumn, so the street dashboard shows who
is behind."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from jiceng.disclosure import feedback, services
from jiceng.meetings.models import AgendaItem, Kind
from jiceng.orgs.models import Area

from .demo_meetings import TZ, YEAR


def at(month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(YEAR, month, day, hour, tzinfo=TZ)


def _decision(community: Area, kind: str, month: int) -> AgendaItem:
    """The passed agenda item of that month's deciding meeting (built by demo_meetings)."""
    return (AgendaItem.objects.filter(meeting__body__area=community, meeting__kind=kind, status="passed",
                                      meeting__held_at__month=month, meeting__held_at__year=YEAR)
            .select_related("meeting").first())


def _dues_table(people, month: str) -> list[dict]:
    rows = [{"member": p.name, "amount": f"{10 + (p.pk % 5) * 4}.00"} for p in people]
    total = sum(int(r["amount"].split(".")[0]) for r in rows)
    return [{"kind": "dues", "month": month, "rows": rows, "total": f"{total}.00"}]


def _party(officer, secretary, community: Area, *, title: str, category: str = "P07",
           timing: str = "routine_periodic", body: str = "", tables=None, period=None, published: datetime.datetime,
           decided_in: int):
    item = services.create_item(officer, community=community, board="party", category=category, timing_class=timing,
                                title=title, body=body, tables=tables, period_start=period[0] if period else None,
                                period_end=period[1] if period else None, occurred_at=published - datetime.timedelta(
                                    days=3))
    services.record_decision(officer, item, agenda_item=_decision(community, Kind.PARTY_ORG_COMMITTEE_MEETING,
                                                                  decided_in))
    services.sign(secretary, item, occurred_at=published - datetime.timedelta(hours=2))
    return services.publish(officer, item, published_at=published)


def _residents(drafter, supervisor, community: Area, *, title: str, category: str, body: str, tables=None,
               period=None, published: datetime.datetime, decided_in: int, timing: str = "routine_periodic"):
    item = services.create_item(drafter, community=community, board="residents", category=category,
                                timing_class=timing, title=title, body=body, tables=tables,
                                period_start=period[0] if period else None, period_end=period[1] if period else None,
                                occurred_at=published - datetime.timedelta(days=6))
    services.review(supervisor, item, approved=True, note="已核对原始凭证，内容属实。",
                    occurred_at=published - datetime.timedelta(days=4))
    services.record_decision(drafter, item, agenda_item=_decision(community, Kind.TWO_COMMITTEES_JOINT_MEETING,
                                                                  decided_in))
    return services.publish(drafter, item, published_at=published)


def _month(month: int) -> tuple[datetime.date, datetime.date]:
    end = datetime.date(YEAR + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
    return datetime.date(YEAR, month, 1), end


def build_disclosure(communities: list[dict]) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__contains="_")}
    changchun, qingdao = communities[0], communities[1]
    _changchun(users, changchun)
    _qingdao(users, qingdao)


def _changchun(users, c: dict) -> None:
    area, officer, secretary = c["area"], users["changchun_shequ"], users["changchun_shuji"]
    supervisor = users["changchun_jiandu"]
    members = [p for p in c["people"] if p.political_status == "party_member"][:12]
    _party(officer, secretary, area, title="中共长春路社区委员会设置及主要职责", timing="fixed_permanent",
           body="社区党委设书记1名、副书记1名、委员3名；下设3个网格党支部。主要职责：宣传贯彻党的路线方针政策，"
                "领导社区居委会和各类组织，做好党员教育管理服务。", published=at(9, 9), decided_in=9)
    for month, decided_in, published in ((9, 10, at(10, 9)), (10, 11, at(11, 9))):
        _party(officer, secretary, area, title=f"{YEAR}年{month}月党费收缴情况",
               body=f"{month}月应交党费党员{len(members)}名，均已按时足额交纳。",
               tables=_dues_table(members, f"{YEAR}-{month:02d}"), period=_month(month), published=published,
               decided_in=decided_in)
    _party(officer, secretary, area, category="P04", title=f"{YEAR}年第三季度党员承诺践诺情况",
           body="全体党员围绕“五个好”目标作出承诺，第三季度共办理为民实事37件，居民满意率96%。",
           period=(datetime.date(YEAR, 7, 1), datetime.date(YEAR, 9, 30)), published=at(10, 10), decided_in=10)
    finance = [{"kind": "finance", "total_income": "186400.00", "total_expense": "172950.50", "rows": [
        {"item": "上级拨付社区工作经费", "income": "120000.00", "expense": "0.00"},
        {"item": "为民服务专项资金", "income": "60000.00", "expense": "0.00"},
        {"item": "社会捐赠（加装电梯）", "income": "6400.00", "expense": "0.00"},
        {"item": "办公及水电费", "income": "0.00", "expense": "38620.50"},
        {"item": "为民服务项目（楼院照明改造）", "income": "0.00", "expense": "58330.00"},
        {"item": "社区文化活动", "income": "0.00", "expense": "16000.00"},
        {"item": "网格员及志愿者补贴", "income": "0.00", "expense": "60000.00"}]}]
    # In 长春路 the party secretary also directs the residents committee (一肩挑), so drafts its plans.
    first_half = _residents(secretary, supervisor, area,
                            category="R02", title=f"{YEAR}年上半年社区收支情况", body="上半年社区各项收支明细如下，"
                            "欢迎居民监督。", tables=finance, period=(datetime.date(YEAR, 1, 1),
                                                                       datetime.date(YEAR, 6, 30)),
                            published=at(10, 16), decided_in=10)
    relief = [{"kind": "distribution", "total": "2370.00", "rows": [
        {"recipient": c["people"][40].name, "id_number": c["people"][40].id_number, "building": "2号楼",
         "amount": "790.00", "note": "城市低保"},
        {"recipient": c["people"][41].name, "id_number": c["people"][41].id_number, "building": "5号楼",
         "amount": "790.00", "note": "城市低保"},
        {"recipient": c["people"][42].name, "id_number": c["people"][42].id_number, "building": "7号楼",
         "amount": "790.00", "note": "城市低保"}]}]
    _residents(secretary, supervisor, area, category="R04", title=f"{YEAR}年11月居民低保金发放情况",
               body="经入户调查、民主评议和街道审核，本月发放城市低保金3户。", tables=relief, period=_month(11),
               published=at(11, 16), decided_in=11)
    tasks = {10: "老旧小区加装电梯意见征集、国庆期间安全稳定", 11: "秋冬季消防安全检查、流感疫苗接种宣传"}
    for month, work in tasks.items():
        _residents(secretary, supervisor, area, category="R06", title=f"{YEAR}年{month}月落实上级部署工作任务情况",
                   body=f"本月完成{work}等街道部署的工作任务，具体进度见社区党群服务中心公示。",
                   published=at(month, 16, 11), decided_in=month)
    # A correction: the first-half finances named a wrong amount for office costs.
    corrected = services.correct(secretary, first_half, reason="办公及水电费金额录入有误，经监委会核对更正。",
                                 tables=[{**finance[0], "total_expense": "172900.50",
                                          "rows": [*finance[0]["rows"][:3],
                                                   {**finance[0]["rows"][3], "expense": "38570.50"},
                                                   *finance[0]["rows"][4:]]}])
    services.review(supervisor, corrected, approved=True, note="已核对发票，更正无误。")
    services.record_decision(secretary, corrected,
                             agenda_item=_decision(area, Kind.TWO_COMMITTEES_JOINT_MEETING, 11))
    corrected = services.publish(secretary, corrected, published_at=at(11, 17))
    dues = services.DisclosureItem.objects.get(community=area, category="P07", period_start=_month(10)[0])
    question = feedback.submit(community=area, board="party", item=dues, kind="question",
                               text="退休党员的党费基数怎么计算？", received_at=at(11, 12), recorded_by=officer)
    feedback.reply(officer, question, text="退休党员以基本退休费为基数，5000元以下（含）按0.5%交纳。",
                   replied_at=at(11, 14))
    feedback.submit(community=area, board="residents", item=corrected, kind="opinion",
                    text="建议收支表按月公布，方便大家监督。", received_at=at(11, 20), recorded_by=secretary)


def _qingdao(users, c: dict) -> None:
    """Late and behind: September's dues published in November, a question left unanswered past its deadline."""
    area, officer, secretary = c["area"], users["qingdao_shequ"], users["qingdao_shuji"]
    members = [p for p in c["people"] if p.political_status == "party_member"][:8]
    dues = _party(officer, secretary, area, title=f"{YEAR}年9月党费收缴情况",
                  body=f"9月应交党费党员{len(members)}名，实交{len(members) - 1}名，1名外出务工党员已补交。",
                  tables=_dues_table(members, f"{YEAR}-09"), period=_month(9), published=at(11, 9),
                  decided_in=11)
    feedback.submit(community=area, board="party", item=dues, kind="question", text="外出务工党员怎样补交党费？",
                    received_at=at(11, 9, 16), recorded_by=officer)
