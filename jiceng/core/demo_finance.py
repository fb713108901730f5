"""The demo's finance: posts, claims at every band, journals and a published monthly statement, all through the
services so each claim has its route, signatures, vouchers and audit trail.

长春路 (一肩挑: the secretary also directs the residents committee, so the deputy director signs as third person,
A-FIN-04): claims of 80, 300 and 800 yuan from August to October, paid from the cash and bank journals, a refused
one, a pending one, the September and October statements, October's published on the residents' board.
天津路街道: a 4 800 printing claim co-signed and approved, the director's own 300 taxi claim approved by the party
secretary (A-FIN-39), a 6 000 repair waiting for every leadership member, a 12 000 fixed asset linked to the
November working-committee decision (A-FIN-35).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from jiceng.accounts import services as accounts
from jiceng.accounts.roles import AccessRole
from jiceng.disclosure import services as disclosure
from jiceng.finance import posts, services
from jiceng.meetings.models import AgendaItem, Kind
from jiceng.orgs.models import Area, Body, Membership, Person, Role

from .demo_meetings import TZ, YEAR

VOUCHER = b"%PDF-1.4\n% demo voucher\n"
START = datetime.date(YEAR, 1, 1)


def at(month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(YEAR, month, day, hour, tzinfo=TZ)


def d(month: int, day: int) -> datetime.date:
    return datetime.date(YEAR, month, day)


def _holder(area: Area, role: str) -> Person:
    return Membership.objects.filter(body__area=area, role=role).select_related("person").first().person


def build_finance(admin, street: Area, communities: list[dict]) -> list[dict]:
    """Returns the logins it creates, for demo-logins.json."""
    from jiceng.core.demo import DEMO_PASSWORD

    logins: list[dict] = []
    users = {u.username: u for u in get_user_model().objects.filter(username__contains="_")}

    def login(username: str, role: str, area: Area, person: Person, label: str):
        user = accounts.create_account(admin, username=username, password=DEMO_PASSWORD, area=area, person=person)
        accounts.assign_role(admin, user=user, role=role, area=area, start_on=START)
        logins.append({"username": username, "password": DEMO_PASSWORD, "role": role,
                       "scope": f"{area.name}（{label}）"})
        return user

    c = communities[0]
    area = c["area"]
    workers = list(Membership.objects.filter(body__area=area, role=Role.COMMUNITY_WORKER)
                   .select_related("person").order_by("pk"))
    accountant, cashier = workers[0].person, workers[1].person
    services.assign_post(admin, person=accountant, area=area, post="accountant", start_on=START)
    services.assign_post(admin, person=cashier, area=area, post="cashier", start_on=START)
    deputy = _holder(area, Role.RC_DEPUTY_DIRECTOR)
    u = {"secretary": users["changchun_shuji"], "worker": users["changchun_shequ"],
         "supervisor": users["changchun_jiandu"], "party_secretary": users["pwc_shuji"],
         "deputy": login("changchun_fuzhuren", AccessRole.COMMUNITY_WORKER, area, deputy, "居委会副主任"),
         "accountant": login("changchun_kuaiji", AccessRole.COMMUNITY_WORKER, area, accountant, "会计"),
         "cashier": login("changchun_chuna", AccessRole.COMMUNITY_WORKER, area, cashier, "出纳")}

    # The street office's finance posts: section head, discipline secretary and accountant in the posts table;
    # director, party secretary, deputy director and the working committee come from their memberships.
    director = _holder(street, Role.STREET_OFFICE_DIRECTOR)
    leader = _holder(street, Role.STREET_OFFICE_DEPUTY_DIRECTOR)
    clerk = _holder(street, Role.AGENCY_STAFF)
    pwc_members = [m.person for m in Membership.objects.filter(body__area=street, role=Role.PWC_MEMBER)
                   .select_related("person").order_by("pk")]
    supervising = set(Membership.objects.filter(body__area=street, role=Role.SUPERVISING_LEADER)
                      .values_list("person_id", flat=True))
    discipline = next(p for p in pwc_members if p.pk != leader.pk and p.pk not in supervising)
    section_head = [p for p in communities[1]["people"] if p.political_status == "masses"][-1]
    street_accountant = [p for p in communities[2]["people"] if p.political_status == "masses"][-1]
    services.assign_post(admin, person=discipline, area=street, post="discipline_secretary", start_on=START)
    services.assign_post(admin, person=section_head, area=street, post="section_head", start_on=START)
    services.assign_post(admin, person=street_accountant, area=street, post="accountant", start_on=START)
    s = {"director": login("jiedao_zhuren", AccessRole.STREET_STAFF, street, director, "办事处主任"),
         "leader": login("jiedao_fenguan", AccessRole.STREET_STAFF, street, leader, "分管副主任"),
         "section_head": login("jiedao_kezhang", AccessRole.STREET_STAFF, street, section_head, "科室负责人"),
         "discipline": login("jiedao_jiwei", AccessRole.STREET_STAFF, street, discipline, "纪工委书记"),
         "accountant": login("jiedao_kuaiji", AccessRole.STREET_STAFF, street, street_accountant, "街道会计"),
         "clerk": login("jiedao_banshi", AccessRole.STREET_STAFF, street, clerk, "办事员")}

    _community(u, s, area)
    _street(u, s, street, clerk, director)
    return logins


def _claim(actor, area, amount, purpose, claimant, day, *, kind="ordinary", voucher="invoice"):
    claim = services.create_claim(actor, area=area, amount=amount, purpose=purpose, claimant=claimant,
                                  kind=kind, claimed_on=day)
    if voucher:
        services.add_voucher(actor, area=area, claim=claim, kind=voucher, name=f"{purpose}发票.pdf", content=VOUCHER)
    return claim


def _sign(claim, signers, first: datetime.datetime):
    for i, user in enumerate(signers):
        claim = services.approve(user, claim, occurred_at=first + datetime.timedelta(hours=i))
    return claim


def _community(u, s, area: Area) -> None:
    worker = u["worker"]
    handler = worker.account.person
    cash = services.open_ledger(u["cashier"], area=area, kind="cash", opened_on=START, opening="2000.00")
    bank = services.open_ledger(u["cashier"], area=area, kind="bank", opened_on=START, opening="36500.00")
    receipt = services.add_voucher(u["cashier"], area=area, kind="bank_slip", name="区财政拨款回单.pdf",
                                   content=VOUCHER)
    services.post_entry(u["cashier"], bank, occurred_on=d(8, 3), direction="in", amount="30000.00",
                        summary="区财政拨付下半年社区办公经费", category="经费拨款", vouchers=[receipt])
    services.post_entry(u["cashier"], cash, occurred_on=d(8, 5), direction="in", amount="500.00",
                        summary="社区活动室场地服务收入", category="服务收入",
                        vouchers=[services.add_voucher(u["cashier"], area=area, kind="admin_receipt",
                                                       name="收据0801.pdf", content=VOUCHER)])
    sign = [u["secretary"], u["deputy"]]  # 一肩挑: director-and-secretary signs once, the deputy is the third person
    small = _sign(_claim(worker, area, "80.00", "购买复印纸和墨盒", handler, d(8, 10)), sign, at(8, 11))
    services.pay_claim(u["cashier"], small, ledger=cash, occurred_on=d(8, 12))
    middle = _claim(worker, area, "300.00", "重阳节慰问老人水果", handler, d(9, 5))
    middle = _sign(middle, [*sign, s["leader"]], at(9, 6))  # the street's leader in charge consents
    services.pay_claim(u["cashier"], middle, ledger=cash, occurred_on=d(9, 8))
    large = _claim(worker, area, "800.00", "社区活动室空调维修", handler, d(10, 9))
    services.record_decision(u["secretary"], large, decided_on=d(10, 10),
                             reference="长春路社区成员代表大会临时会议记录（2026年第3次）")
    large = _sign(large, [*sign, s["leader"]], at(10, 12))
    services.pay_claim(u["cashier"], large, ledger=bank, occurred_on=d(10, 20))
    heating = services.add_voucher(u["cashier"], area=area, kind="invoice", name="供暖费发票.pdf", content=VOUCHER)
    services.post_entry(u["cashier"], bank, occurred_on=d(10, 28), direction="out", amount="1260.40",
                        summary="社区办公用房供暖费", category="水电暖费", vouchers=[heating])
    refused = _claim(worker, area, "45.00", "餐费", handler, d(10, 15), voucher="")
    services.reject(u["accountant"], refused, reason="事由不明确，未附正规发票（A-FIN-37）")
    _claim(worker, area, "120.00", "网格员工作证制作", handler, d(11, 20))
    services.draw_up_statement(u["accountant"], area=area, year=YEAR, month=9)
    october = services.draw_up_statement(u["accountant"], area=area, year=YEAR, month=10)
    item = services.publish_statement(u["secretary"], october)
    disclosure.review(u["supervisor"], item, approved=True, note="已逐笔核对凭证，收支属实。")
    decision = (AgendaItem.objects.filter(meeting__body__area=area, meeting__kind=Kind.TWO_COMMITTEES_JOINT_MEETING,
                                          status="passed", meeting__held_at__month=11).first())
    disclosure.record_decision(u["secretary"], item, agenda_item=decision)
    disclosure.publish(u["secretary"], item)
    services.set_budget(u["accountant"], area=area, year=YEAR, amount="60000.00", note="社区办公经费")


def _street(u, s, street: Area, clerk: Person, director: Person) -> None:
    cosign = [s["section_head"], s["leader"], s["discipline"]]
    bank = services.open_ledger(s["accountant"], area=street, kind="bank", opened_on=START, opening="480000.00")
    printing = _claim(s["clerk"], street, "4800.00", "印制创建宣传材料", clerk, d(10, 8))
    printing = _sign(printing, [*cosign, s["director"]], at(10, 9))
    services.pay_claim(s["accountant"], printing, ledger=bank, occurred_on=d(10, 16))
    taxi = _claim(s["director"], street, "300.00", "主任赴区开会市内交通费", director, d(11, 3), voucher="receipt")
    _sign(taxi, [*cosign, u["party_secretary"]], at(11, 4))  # A-FIN-39: the director's own claim
    repair = _claim(s["clerk"], street, "6000.00", "办事处三楼会议室屋面维修", clerk, d(11, 10), kind="building_repair")
    services.add_voucher(s["clerk"], area=street, claim=repair, kind="repair_audit_report", name="维修审计报告.pdf",
                         content=VOUCHER)
    _sign(repair, [*cosign, s["director"], u["party_secretary"]], at(11, 11))  # the other leaders still to sign
    asset = _claim(s["clerk"], street, "12000.00", "购置会议室音响设备", clerk, d(11, 13), kind="fixed_asset")
    budget_item = (AgendaItem.objects.filter(meeting__body__area=street, meeting__kind=Kind.PWC_MEETING,
                                             status="passed", meeting__held_at__month=11)
                   .exclude(meeting__body__kind=Body.Kind.COMMUNITY_PARTY_ORG).order_by("-pk").first())
    if budget_item is not None:
        services.record_decision(u["party_secretary"], asset, agenda_item=budget_item)
    services.set_budget(s["accountant"], area=street, year=YEAR, amount="1200000.00", note="街道行政经费")
    assert posts.holders("leader_in_charge", street, d(11, 1))
