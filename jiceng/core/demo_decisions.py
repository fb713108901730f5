"""The demo's 「一征三议两公开」 matters, run through the services so each has its timeline and dossier.

长春路 (urban): the elevator matter went from the door-to-door solicitation and the September hearing through the
joint meeting, the council and the resident representatives to a published resolution and is being built; the
parking matter has its call for opinions open on the public site. 南昌路 (村改居): the party organisation has
proposed how to share the collective assets' income.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from jiceng.decisions import services
from jiceng.disclosure import services as disclosure
from jiceng.meetings.models import AgendaItem, Kind, Meeting
from jiceng.orgs.models import Body

from .demo_meetings import TZ, YEAR, _members, _run


def at(month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(YEAR, month, day, hour, tzinfo=TZ)


REASONS = {"suggest": "一楼住户少分摊或不分摊", "oppose": "一楼不需要电梯，担心采光"}


def build_decisions(admin, communities: list[dict]) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__contains="_")}
    _elevator(admin, users, communities[0])
    _parking(users, communities[0])
    _assets(admin, users, communities[2])


def _elevator(admin, users, c: dict) -> None:
    area, worker = c["area"], users["changchun_shequ"]
    secretary, supervisor = users["changchun_shuji"], users["changchun_jiandu"]
    matter = services.open_matter(worker, community=area, topic="T4", title="老旧小区3号楼加装电梯",
                                  summary="3号楼（7层，42户）居民联名申请加装电梯一部，费用由财政补贴和住户按楼层分摊。",
                                  initiator="3号楼居民联名", budget="420000.00", occurred_at=at(9, 1))
    solicitation = services.open_solicitation(
        worker, matter, question="是否同意3号楼加装电梯？对费用分摊方案有何意见？", deadline=datetime.date(YEAR, 9, 18),
        occurred_at=at(9, 2))
    positions = ["support"] * 31 + ["suggest"] * 7 + ["oppose"] * 4
    for i, position in enumerate(positions):
        services.give_opinion(solicitation, position=position, channel="door_to_door" if i % 3 else "liaison",
                              text=REASONS.get(position, ""),
                              building="3号楼", recorded_by=worker, received_at=at(9, 3 + i % 14))
    hearing = Meeting.objects.get(body__area=area, kind=Kind.HEARING)
    services.close_solicitation(worker, matter, hearing=hearing, occurred_at=at(9, 25),
                                summary="入户走访42户：赞成31户，建议修改分摊方案7户，反对4户（均为一楼住户）。"
                                        "9月20日听证会倾向于按楼层系数分摊、一楼不分摊。")
    joint = Meeting.objects.get(body__area=area, kind=Kind.TWO_COMMITTEES_JOINT_MEETING, held_at__month=10)
    services.link_step(worker, matter, "proposal", agenda_item=joint.items.get(),
                       note="两委联席会议提议：按听证会倾向性方案实施。")
    council_item = AgendaItem.objects.get(meeting__body__area=area, meeting__kind=Kind.DELIBERATION_COUNCIL,
                                          title="3号楼加装电梯实施方案")
    services.link_step(worker, matter, "consultation", agenda_item=council_item)
    representatives = Body.objects.get(area=area, kind=Body.Kind.RESIDENT_REPRESENTATIVES_MEETING)
    resolution = _run(admin, representatives, Kind.RESIDENT_REPRESENTATIVES_MEETING, "居民代表会议", at(11, 5, 15),
                      notice_days=5, present_share=0.9, recorder=_members(representatives)[0],
                      items=[("3号楼加装电梯实施方案", "ordinary", "T4")], dissent=[(2, 1)])
    services.link_step(worker, matter, "resolution", agenda_item=resolution.items.get(),
                       note="同意3号楼加装电梯；总费用42万元，财政补贴20万元，其余由二至七层住户按楼层系数分摊，一楼不分摊。")
    services.publish_resolution(secretary, matter, occurred_at=at(11, 6),
                                body="居民代表会议11月5日表决通过3号楼加装电梯实施方案，现予公示，公示期7天。")
    matter.refresh_from_db()
    item = matter.resolution_item
    disclosure.review(supervisor, item, approved=True, note="与会议记录核对一致。", occurred_at=at(11, 7))
    disclosure.record_decision(secretary, item, agenda_item=joint.items.get())
    disclosure.publish(secretary, item, published_at=at(11, 8))
    matter.refresh_from_db()
    services.add_progress(worker, matter, kind="update", text="完成施工图设计，确定施工单位（公开比选）。",
                          occurred_at=at(11, 12))
    services.add_progress(worker, matter, kind="update", text="电梯井道基础施工中，预计12月底完工。",
                          occurred_at=at(11, 20))


def _parking(users, c: dict) -> None:
    worker = users["changchun_shequ"]
    matter = services.open_matter(worker, community=c["area"], topic="T4", title="小区停车秩序整治和车位增设",
                                  summary="利用5号楼北侧空地增设停车位60个，实行居民车辆登记和错时停车。",
                                  initiator="社区居委会", budget="80000.00", occurred_at=at(11, 18))
    solicitation = services.open_solicitation(worker, matter, question="是否同意增设车位和错时停车方案？",
                                              deadline=datetime.date(YEAR, 12, 10), occurred_at=at(11, 19))
    for i, position in enumerate(["support"] * 9 + ["suggest"] * 3 + ["oppose"]):
        services.give_opinion(solicitation, position=position, channel="door_to_door", building=f"{5 + i % 3}号楼",
                              recorded_by=worker, received_at=at(11, 20 + i % 4))


def _assets(admin, users, c: dict) -> None:
    worker = users["nanchang_shequ"]
    matter = services.open_matter(worker, community=c["area"], topic="T2", title="集体资产租金收益分配",
                                  summary="原村集体门面房2026年租金收益38万元，拟按户籍户分配并提留公益金。",
                                  initiator="社区党委", budget="380000.00", occurred_at=at(10, 1))
    committee = Meeting.objects.get(body__area=c["area"], kind=Kind.PARTY_ORG_COMMITTEE_MEETING, held_at__month=10)
    services.link_step(worker, matter, "party_proposal", agenda_item=committee.items.get(),
                       note="党委会提议：按户分配80%，提留公益金20%。")
