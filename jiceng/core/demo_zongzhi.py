"""The demo's 综治 work, run through jiceng.zongzhi.services so every case has its timeline, audit trail and archive
records: mediators in each community and at the street, the street centre's director (the 党办 login "jiedao"),
disputes in every stage across 长春路, 青岛路 and 南昌路 (one escalated to the street, one overdue), weekly screening
rounds of the communities and monthly ones of the street for the last months (青岛路 missed one week), a 包案 item,
ledger entries and last months' reports upward.

Dates are relative to the day the demo is built, so the reminders and the compliance scan have something to show.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from jiceng.zongzhi import services
from jiceng.zongzhi.models import Post

WEEKS = 8


def _ago(days: float, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=int(days))
    # Never later than now: "today at 10:00" is still ahead in the small hours.
    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), timezone.now())


def build_zongzhi(admin, street, communities: list[dict]) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__contains="_")}
    users["jiedao"] = get_user_model().objects.get(username="jiedao")
    founded = datetime.date(2015, 1, 1)
    director = users["jiedao"].account.person
    services.appoint(admin, area=street, person=director, kind=Post.Kind.CENTER_DIRECTOR, start_on=founded)
    judicial = communities[1]["people"][-3]
    services.appoint(admin, area=street, person=judicial, kind=Post.Kind.JUDICIAL_OFFICE_HEAD, start_on=founded)
    services.appoint(admin, area=street, person=judicial, kind=Post.Kind.MEDIATOR, start_on=founded)
    mediators = []
    for c in communities:
        person = c["people"][-2]
        services.appoint(admin, area=c["area"], person=person, kind=Post.Kind.MEDIATOR, start_on=founded)
        mediators.append(person)
    prefixes = ["changchun", "qingdao", "nanchang"]
    workers = [users[f"{p}_shequ"] for p in prefixes]
    staff = users["jiedao"]
    _screenings(workers, staff, street, communities)
    _cases(workers, staff, communities, mediators, judicial, users["pwc_shuji"])
    _reports(staff, street)
    services.list_case_item(staff, area=street, kind="petition", title="某小区业主反复集体上访（物业费）",
                            person_or_matter="长春路社区某小区业主委员会", leaders=[director])
    services.add_ledger_entry(staff, area=street, ledger="safe_building", occurred_on=timezone.localdate(_ago(20)),
                              title="平安社区创建推进会", content="三个社区汇报平安创建进展，部署年底检查。")
    services.add_ledger_entry(staff, area=street, ledger="released_prisoner_resettlement",
                              occurred_on=timezone.localdate(_ago(12)), title="刑满释放人员走访帮教",
                              content="走访一人，落实就业帮扶。")


def _screenings(workers, staff, street, communities) -> None:
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    for index, (worker, c) in enumerate(zip(workers, communities, strict=True)):
        for week in range(1, WEEKS + 1):
            if index == 1 and week == 3:
                continue  # 青岛路 missed a week: the scan shows it (A-ZZ-66)
            held = monday - datetime.timedelta(days=7 * week - 1)  # the Tuesday of that week
            findings = []
            if week == 2:
                findings = [{"description": "楼道堆放杂物，存在消防隐患", "category": "fire_hazard",
                             "location": f"{c['area'].name}3号楼"}]
            services.record_round(worker, area=c["area"], held_on=held, findings=findings,
                                  scope_note="网格员入户走访、楼栋长报告")
    start = today.replace(day=1)
    for back in range(1, 4):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
        findings = [{"description": "某建筑工地拖欠农民工工资", "category": "labour", "location": "天津路12号",
                     "level": "general"}] if back == 1 else []
        services.record_round(staff, area=street, held_on=start + datetime.timedelta(days=9), findings=findings,
                              scope_note="街道综治中心组织各成员单位排查")


def _cases(workers, staff, communities, mediators, judicial, secretary) -> None:
    a, b, c = (x["area"] for x in communities)
    wa, wb, wc = workers
    ma, mb, mc = mediators
    party = [{"name": "赵建国", "phone": "13812345678", "side": "applicant"},
             {"name": "钱卫东", "phone": "13987654321", "side": "respondent"}]

    def new(worker, area, title, *, days, category="neighbour", level="simple", **kw):
        return services.register_dispute(worker, area=area, title=title, facts=kw.pop("facts", title + "。"),
                                         category=category, level=level, parties=party, occurred_at=_ago(days), **kw)

    def assign(worker, d, mediator, days, unit="社区人民调解委员会"):
        services.assign(worker, d, mediator=mediator, unit=unit, requirements="查明事实，依法依规调处",
                        occurred_at=_ago(days))

    def session(worker, d, days, outcome="双方达成一致"):
        services.record_session(worker, d, mediation_type="people", facts="事实清楚", parties="双方当事人到场",
                                process="分别听取陈述后释法说理", outcome=outcome, held_at=_ago(days))

    # 长春路: registered today; in mediation; closed with agreement and follow-up.
    new(wa, a, "楼上装修噪音扰民", days=0)
    d = new(wa, a, "楼上卫生间漏水致楼下受损", days=6, category="compensation")
    assign(wa, d, ma, 5)
    session(wa, d, 3, outcome="初步同意赔偿，金额待定")
    d = new(wa, a, "相邻车位占用纠纷", days=50)
    assign(wa, d, ma, 49)
    session(wa, d, 45)
    services.record_agreement(wa, d, terms="钱卫东不再占用赵建国车位。\n双方互相谅解。",
                              performance="自签订之日起履行。", signed_on=timezone.localdate(_ago(45)))
    services.report_closed(wa, d, outcome="resolved", result="达成调解协议", occurred_at=_ago(44))
    services.record_follow_up(wa, d, visited_on=timezone.localdate(_ago(14)), situation="协议已履行，双方关系缓和")
    services.close(staff, d, occurred_at=_ago(13))
    # 青岛路: assigned; reported closed awaiting follow-up (due soon); escalated to the street.
    d = new(wb, b, "物业费收取争议", days=4, category="property_management", level="general")
    assign(wb, d, mb, 3, unit="社会事务科")
    d = new(wb, b, "婚姻家庭矛盾", days=35, category="marriage_family")
    assign(wb, d, mb, 34)
    session(wb, d, 30)
    services.report_closed(wb, d, outcome="resolved", result="双方和好", occurred_at=_ago(28))
    d = new(wb, b, "小区围墙违章加建", days=15, category="illegal_building", level="general",
            facts="业主在小区围墙外违章加建棚屋，邻居多次投诉。")
    assign(wb, d, mb, 14, unit="综合执法队")
    session(wb, d, 10, outcome="业主拒绝拆除，调解不成")
    services.escalate(wb, d, reason="当事人拒绝拆除，社区调解不成，需街道综合执法队依法处理", occurred_at=_ago(9))
    # 南昌路: overdue (past its 30 days, two chasers); major dispute led by the street with unit, person, deadline.
    d = new(wc, c, "宅基地界址纠纷", days=40)
    assign(wc, d, mc, 38)
    session(wc, d, 30, outcome="双方分歧较大，约定再次调解")
    services.chase(staff, d, note="已超过办结时限，请尽快调结")
    services.chase(staff, d, note="第二次催办")
    d = new(wc, c, "村改居集体资产分红群体性争议", days=8, category="major_dispute", level="major",
            responsible_unit="街道综治科", responsible_person=judicial.name,
            deadline=timezone.localdate(_ago(8)) + datetime.timedelta(days=20), collective=True)
    assign(staff, d, judicial, 7, unit="街道综治科")
    services.record_leader_handling(secretary, d, occurred_at=_ago(6),
                                    handling="党工委书记亲自接待居民代表，召开协调会，明确分红方案公示程序。")


def _reports(staff, street) -> None:
    month = timezone.localdate().replace(day=1)
    last = (month - datetime.timedelta(days=1)).replace(day=1)
    before = (last - datetime.timedelta(days=1)).replace(day=1)
    services.submit_report(staff, area=street, period="month", period_start=before,
                           analysis="辖区社会治安总体平稳，矛盾纠纷以邻里、物业纠纷为主。")
    if timezone.localdate().day > 5:
        services.submit_report(staff, area=street, period="month", period_start=last,
                               analysis="辖区社会治安总体平稳，劳资纠纷有所增加。")
