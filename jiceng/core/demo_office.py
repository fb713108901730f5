"""The demo street office of 天津路街道 (issue #9), built through the office services: staff with posts and ranks,
leave in every state (one overdue return), letters and visits in different stages (one overdue), this week's duty
roster with handovers and an incident, numbered documents and a room booking."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jiceng.accounts.roles import AccessRole
from jiceng.office import services
from jiceng.office.models import DutyShift, Room
from jiceng.orgs.models import Area, Body, Membership, Role
from jiceng.rules import office as r

from .demo_meetings import TZ

DAY = datetime.timedelta(days=1)


def _holder(body_kind: str, role: str, street: Area):
    membership = (Membership.objects.filter(body__area=street, body__kind=body_kind, role=role)
                  .select_related("person").order_by("pk").first())
    return membership.person if membership else None


def build_office(admin, street: Area, communities: list[dict], login) -> None:
    """`login(actor, username, role, area, person, label)` is the demo's login maker (it lists the login)."""
    today = timezone.localdate()
    start = today.replace(month=1, day=1) - datetime.timedelta(days=365)
    secretary = _holder(Body.Kind.PARTY_WORKING_COMMITTEE, Role.PWC_SECRETARY, street)
    director = _holder(Body.Kind.STREET_OFFICE, Role.STREET_OFFICE_DIRECTOR, street)
    deputy = _holder(Body.Kind.STREET_OFFICE, Role.STREET_OFFICE_DEPUTY_DIRECTOR, street)
    office_director = _holder(Body.Kind.PWC_OFFICE, Role.PWC_OFFICE_DIRECTOR, street)
    clerk = _holder(Body.Kind.GENERAL_OFFICE, Role.AGENCY_STAFF, street)
    supervising = _holder(Body.Kind.PARTY_WORKING_COMMITTEE, Role.SUPERVISING_LEADER, street)
    posts = [(secretary, r.PARTY_SECRETARY, ""), (director, r.DIRECTOR, ""),
             (deputy, r.DEPUTY_DIRECTOR, "urban_mgmt_section"), (supervising, r.LEADER_IN_CHARGE, "street_zz_center"),
             (office_director, r.OFFICE_DIRECTOR, "general_office"), (office_director, r.SEAL_KEEPER, "general_office"),
             (clerk, r.ORDINARY_STAFF, "general_office")]
    for person, post, section in posts:
        services.appoint_post(admin, person=person, area=street, post=post, start_on=start, section=section,
                              phone=person.phone)
    first = communities[0]
    rc_people = {m.role: m.person for m in Membership.objects.filter(body=first["rc"]).select_related("person")}
    vrc_director = rc_people.get(Role.RC_DIRECTOR)
    vrc_member = rc_people.get(Role.RC_MEMBER) or rc_people.get(Role.RC_DEPUTY_DIRECTOR)
    for person, post in [(first["secretary"], r.VRC_SECRETARY), (vrc_director, r.VRC_DIRECTOR),
                         (vrc_member, r.VRC_MEMBER), (first["worker"], r.COMMUNITY_WORKER)]:
        if person is not None:
            services.appoint_post(admin, person=person, area=first["area"], post=post, start_on=start)
    from django.contrib.auth import get_user_model

    def user(person, username: str, label: str):
        """The person's login (another module of the demo may have made it already), else a new one."""
        existing = get_user_model().objects.filter(account__person=person).first()
        return existing or login(admin, username, AccessRole.STREET_STAFF, street, person, label)

    users = {"director": user(director, "office_zhuren", "办事处主任"),
             "deputy": user(deputy, "office_fuzhuren", "分管副主任"),
             "clerk": user(clerk, "office_ganshi", "党政办干事"),
             "supervising": user(supervising, "office_zongzhi", "分管综治领导"),
             "secretary": user(secretary, "office_shuji", "党工委书记"),
             "office": user(office_director, "office_bangongshi", "党办主任")}
    _leave(users, clerk, deputy, vrc_member, today)
    _duty(users, street, [secretary, director, deputy, supervising], [clerk, office_director], today)
    _petitions(users, street, first["area"], today)
    _documents(users, street, today)
    _reports(users, street, [secretary, director, deputy, supervising, office_director, clerk], today)
    room = Room.objects.create(area=street, name="三楼会议室")
    monday = today - datetime.timedelta(days=today.weekday())
    services.book_room(users["office"], room=room, section="econ_mgmt_section", purpose="经管科月度例会",
                       starts_at=datetime.datetime.combine(monday + 7 * DAY, datetime.time(14), tzinfo=TZ),
                       ends_at=datetime.datetime.combine(monday + 7 * DAY, datetime.time(16), tzinfo=TZ))


def _leave(users, clerk, deputy, vrc_member, today) -> None:
    done = services.request_leave(users["clerk"], person=clerk, start_on=today - 30 * DAY, days=2,
                                  reason="家中老人就医")
    services.approve_leave(users["director"], done, note="同意，注意交接工作")
    services.record_return(users["clerk"], done, returned_on=done.return_due_on)
    services.request_leave(users["clerk"], person=clerk, start_on=today + 14 * DAY, days=5, reason="回老家探亲")
    overdue = services.request_leave(users["deputy"], person=deputy, start_on=today - 10 * DAY, days=1,
                                     reason="参加区里培训后处理私事")
    services.approve_leave(users["secretary"], overdue, note="同意")
    if vrc_member is not None:
        services.request_leave(users["office"], person=vrc_member, start_on=today + 3 * DAY, days=2,
                               reason="孩子开家长会")


def _duty(users, street, leaders, officers, today) -> None:
    monday = today - datetime.timedelta(days=today.weekday())
    for i in range(7):
        day = monday + i * DAY
        leader = leaders[i % len(leaders)]
        services.set_roster(users["office"], street=street, day=day, leaders=[(leader, leader.phone or "13900000000")],
                            officers=[(officers[i % 2], officers[i % 2].phone or "13900000001")])
    for shift in DutyShift.objects.filter(area=street, day__gte=monday, day__lt=today).order_by("day"):
        successor = officers[(shift.day - monday).days % 2 - 1]
        late = 15 if shift.day == monday else 0
        arrived = datetime.datetime.combine(shift.day + DAY, datetime.time(8, 30 + late), tzinfo=TZ)
        if arrived > timezone.now():
            continue  # last night's shift is handed over this morning, not yet in the small hours
        services.record_handover(users["office"], shift, successor=successor, arrived_at=arrived,
                                 notes="值班期间无异常，钥匙、值班记录本已交接。")
    shift = DutyShift.objects.filter(area=street, day__lt=today).order_by("-day").first()
    if shift is not None:
        occurred = datetime.datetime.combine(shift.day, datetime.time(21, 40), tzinfo=TZ)
        incident = services.report_incident(users["office"], shift, occurred_at=occurred, place="长春路社区3号楼",
                                            description="居民反映楼道电线冒烟",
                                            measures="已通知供电抢修，社区人员到场疏散",
                                            severity="general")
        services.report_upward(users["office"], incident, reported_at=occurred + datetime.timedelta(minutes=40))


def _petitions(users, street, community, today) -> None:
    staff = users["clerk"]
    closed = services.register_petition(staff, area=street, petitioner_name="刘桂兰", received_on=today - 20 * DAY,
                                        issue="小区路灯长期不亮，夜间出行不便", request="尽快修复路灯",
                                        petitioner_phone="13703790001", channel="visit")
    services.instruct(users["deputy"], closed, text="请城管科三日内核实修复")
    services.assign(users["office"], closed, section="urban_mgmt_section")
    services.conclude(users["office"], closed, outcome="resolved", result="已更换灯具6盏")
    services.reply(users["office"], closed, text="已电话告知路灯修复情况", channel="phone", satisfaction="satisfied")
    working = services.register_petition(staff, area=community, petitioner_name="王建国", received_on=today - 6 * DAY,
                                         issue="楼下餐馆油烟扰民", request="督促餐馆安装油烟净化设施",
                                         petitioner_phone="13903790002", kind="important")
    services.instruct(users["director"], working, text="请城管科会同社区调查处理，赵主任包案")
    services.assign(users["office"], working, section="urban_mgmt_section")
    services.set_case_leader(users["director"], working, leader=users["director"].account.person)
    overdue = services.register_petition(staff, area=street, petitioner_name="张秀英", received_on=today - 40 * DAY,
                                         issue="老旧小区雨水管堵塞，雨天积水", request="疏通并改造雨水管",
                                         petitioner_phone="13603790003")
    services.instruct(users["deputy"], overdue, text="请城管科办理")
    services.assign(users["office"], overdue, section="urban_mgmt_section")
    services.register_petition(staff, area=street, petitioner_name="陈明", received_on=today,
                               issue="对社区养老服务站收费标准有疑问", request="公开收费依据", channel="letter")


BODY = ("一、总体要求\n各社区要坚持人民至上、生命至上，压实防汛责任。\n"
        "二、工作安排\n（一）开展隐患排查\n各社区于本月底前完成辖区低洼地带、危旧房屋排查。\n"
        "（二）落实值班值守\n汛期实行24小时值班和领导带班制度。")


def _documents(users, street, today) -> None:
    for issuer, code, kind, title, signer in [
        (r.PARTY_WC, "天街党工发", "通知", "关于做好冬季安全生产工作的通知", "secretary"),
        (r.STREET_OFFICE, "天街办发", "通知", "关于开展冬季消防安全检查的通知", "director"),
        (r.STREET_OFFICE, "天街办发", "通知", "关于做好元旦春节期间值班工作的通知", "director"),
    ]:
        doc = services.draft_document(users["office"], street=street, issuer=issuer, kind=kind, issuer_code=code,
                                      title=title, recipients="各社区、机关各科室", body=BODY,
                                      section="general_office")
        services.advance(users["office"], doc, step="checked")
        services.review(users["deputy"], doc)
        services.sign_off(users[signer], doc)
        for step in ("rechecked", "proofread", "printed", "sealed"):
            services.advance(users["office"], doc, step=step)
        services.register(users["office"], doc, on=today)
    services.draft_document(users["office"], street=street, issuer=r.STREET_OFFICE, kind="请示",
                            issuer_code="天街办发", title="关于申请老旧小区改造资金的请示", recipients="区政府",
                            body="一、基本情况\n辖区老旧小区12个。", section="urban_mgmt_section")


def _reports(users, street, people, today) -> None:
    """A-RPT: the summaries and the quarterly reports are in; the Wednesday study was held every week but one."""
    for year in (today.year - 1, today.year):
        services.submit_report(users["office"], street=street, kind="half_year_summary",
                               period_start=datetime.date(year, 1, 1), title=f"天津路街道{year}年上半年工作小结",
                               submitted_on=datetime.date(year, 7, 8))
    services.submit_report(users["office"], street=street, kind="year_summary",
                           period_start=datetime.date(today.year - 1, 1, 1),
                           title=f"天津路街道{today.year - 1}年工作总结", submitted_on=datetime.date(today.year, 1, 8))
    quarter_start, _ = r.quarter_of(r.QUARTERLY_REPORT.params, day=today)
    previous, end = r.quarter_of(r.QUARTERLY_REPORT.params, day=quarter_start - DAY)
    services.submit_report(users["office"], street=street, kind="quarterly_to_pwc", period_start=previous,
                           title=f"{previous.year}年第{(previous.month - 1) // 3 + 1}季度行政工作汇报",
                           submitted_on=end - 3 * DAY)
    monday = today - datetime.timedelta(days=today.weekday())
    for weeks_ago in range(1, 9):
        if weeks_ago == 3:
            continue  # one week without a study record: a finding on the accountability dashboard
        wednesday = monday - datetime.timedelta(weeks=weeks_ago) + 2 * DAY
        services.record_study(users["office"], street=street, held_on=wednesday,
                              topic="学习《中国共产党机构编制工作条例》", attendees=people)
