"""A believable street office for `jiceng demo`: every record goes through the services, so the demo
shows the audit chain, scope and rules working as they would for real users."""

from __future__ import annotations

import datetime
import json
import random
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from jiceng.accounts import services as accounts
from jiceng.accounts.roles import AccessRole
from jiceng.core.demo_accountability import build_accountability
from jiceng.core.demo_decisions import build_decisions
from jiceng.core.demo_disclosure import build_disclosure
from jiceng.core.demo_finance import build_finance
from jiceng.core.demo_meetings import build_meetings
from jiceng.core.demo_office import build_office
from jiceng.core.demo_orglife import build_orglife
from jiceng.core.demo_party import build_party
from jiceng.core.demo_zongzhi import build_zongzhi
from jiceng.orgs import idcard
from jiceng.orgs import services as orgs
from jiceng.orgs.models import Area, Body, Person, Role

DISTRICT_CODE = "410305"
DEMO_PASSWORD = "Jiceng@2026"
FOUNDED = datetime.date(2015, 1, 1)
TERM_START = datetime.date(2024, 1, 1)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强丹玉梅红梅鹏飞晓燕文博思远雨涵子轩"
    "欣怡浩然佳琪宇航梓涵俊杰海燕春梅国庆卫东秀珍凤英桂芝"
)


@dataclass(frozen=True)
class CommunityPlan:
    name: str
    residents: int
    party_members: int
    org_type: str
    grids: int
    kind: str = Area.CommunityKind.URBAN


# Three sizes so that the three party-organisation forms of R-ORG-03 all appear.
COMMUNITIES = [
    CommunityPlan("长春路社区", 300, 32, Body.OrgType.PARTY_BRANCH, 3),
    CommunityPlan("青岛路社区", 480, 68, Body.OrgType.GENERAL_PARTY_BRANCH, 4),
    CommunityPlan("南昌路社区", 720, 124, Body.OrgType.PARTY_COMMITTEE, 5, Area.CommunityKind.VILLAGE_TO_RESIDENTIAL),
]

COMMUNITY_BODIES = [
    (Body.Kind.RESIDENTS_COMMITTEE, "居民委员会"),
    (Body.Kind.COMMUNITY_WORKSTATION, "工作站"),
    (Body.Kind.COMPREHENSIVE_GOVERNANCE_OFFICE, "综治办"),
    (Body.Kind.SUPERVISION_COMMITTEE, "居务监督委员会"),
    (Body.Kind.DELIBERATION_COUNCIL, "议事会"),
    (Body.Kind.RESIDENT_REPRESENTATIVES_MEETING, "居民代表会议"),
    (Body.Kind.RESIDENTS_ASSEMBLY, "居民会议"),
    (Body.Kind.COMMUNITY_MEMBER_REPRESENTATIVES_ASSEMBLY, "社区成员代表大会"),
    (Body.Kind.PARTY_MEMBERS_ASSEMBLY, "党员大会"),
    (Body.Kind.VOLUNTEER_TEAM, "志愿者队伍"),
    (Body.Kind.COMMUNITY_PATROL_TEAM, "巡防队"),
]

STREET_BODIES = [
    (Body.Kind.STREET_OFFICE, "天津路街道办事处"),
    (Body.Kind.PARTY_WORKING_COMMITTEE, "中共天津路街道工作委员会"),
    (Body.Kind.STREET_DISCIPLINE_WORKING_COMMITTEE, "天津路街道纪工委"),
    (Body.Kind.PWC_OFFICE, "天津路街道党办"),
    (Body.Kind.GENERAL_OFFICE, "天津路街道党政办公室"),
    (Body.Kind.FINANCE_OFFICE, "天津路街道财务室"),
    (Body.Kind.ARCHIVES_ROOM, "天津路街道档案室"),
    (Body.Kind.STREET_ZZ_CENTER, "天津路街道综治信访维稳中心"),
]

DISTRICT_BODIES = [
    (Body.Kind.DISTRICT_PARTY_COMMITTEE, "中共涧西区委"),
    (Body.Kind.DISTRICT_GOVERNMENT, "涧西区人民政府"),
    (Body.Kind.DISTRICT_ORGANIZATION_DEPARTMENT, "中共涧西区委组织部"),
    (Body.Kind.DISTRICT_DISCIPLINE_COMMISSION, "涧西区纪委监委"),
]


class DemoBuilder:
    def __init__(self, seed: int = 2026):
        self.rng = random.Random(seed)
        self.used_names: set[str] = set()
        self.household_seq = 0
        self.logins: list[dict] = []

    # People ---------------------------------------------------------------------------------------

    def _name(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.choice((1, 2))))
            if name not in self.used_names or len(self.used_names) > 5000:
                self.used_names.add(name)
                return name

    def _person(self, actor, building: Area, unit: str, room: str, household, relation: str,
                status: str, age_range=(18, 85)) -> Person:
        gender = self.rng.choice(("male", "female"))
        age = self.rng.randint(*age_range)
        birth = datetime.date(2026 - age, self.rng.randint(1, 12), self.rng.randint(1, 28))
        return orgs.create_person(
            actor, name=self._name(), gender=gender,
            id_number=idcard.generate(self.rng, region=DISTRICT_CODE, birth_date=birth, gender=gender),
            phone=f"1{self.rng.choice('35789')}{self.rng.randint(0, 999999999):09d}", area=building, unit=unit,
            room=room, household=household, household_relation=relation, political_status=status)

    def _residents(self, actor, plan: CommunityPlan, buildings: list[Area]) -> list[Person]:
        people: list[Person] = []
        party_left = plan.party_members
        while len(people) < plan.residents:
            building = self.rng.choice(buildings)
            unit, room = str(self.rng.randint(1, 4)), f"{self.rng.randint(1, 18)}0{self.rng.randint(1, 4)}"
            self.household_seq += 1
            household = orgs.create_household(actor, number=f"{building.code}-{self.household_seq:05d}",
                                              area=building, unit=unit, room=room)
            for index in range(min(self.rng.randint(1, 4), plan.residents - len(people))):
                status = Person.PoliticalStatus.NONE
                if party_left and self.rng.random() < plan.party_members / plan.residents * 1.6:
                    status, party_left = Person.PoliticalStatus.PARTY_MEMBER, party_left - 1
                relation = "户主" if index == 0 else self.rng.choice(("配偶", "子女", "父母"))
                people.append(self._person(actor, building, unit, room, household, relation, status))
        # Top up so the community has exactly its planned party members.
        for person in self.rng.sample([p for p in people if p.political_status == "masses"], party_left):
            orgs.update_person(actor, person, political_status=Person.PoliticalStatus.PARTY_MEMBER)
            person.political_status = Person.PoliticalStatus.PARTY_MEMBER
        return people

    # Structure ------------------------------------------------------------------------------------

    def _member(self, actor, person: Person, body: Body, role: str) -> None:
        orgs.add_membership(actor, person=person, body=body, role=role, start_on=TERM_START)

    def _login(self, actor, username: str, role: str, area: Area, person: Person | None, label: str):
        user = accounts.create_account(actor, username=username, password=DEMO_PASSWORD, area=area, person=person)
        accounts.assign_role(actor, user=user, role=role, area=area, start_on=FOUNDED)
        self.logins.append({"username": username, "password": DEMO_PASSWORD, "role": role,
                            "scope": f"{area.name}（{label}）" if label else area.name})
        return user

    def _community(self, actor, street: Area, pwc: Body, index: int, plan: CommunityPlan) -> dict:
        community = orgs.create_area(actor, code=f"{street.code}{index:03d}", name=plan.name,
                                     level=Area.Level.COMMUNITY, parent=street, community_kind=plan.kind,
                                     opened_on=FOUNDED)
        grids, buildings = [], []
        for g in range(1, plan.grids + 1):
            grid = orgs.create_area(actor, code=f"{community.code}{g:02d}", name=f"第{g}网格",
                                    level=Area.Level.GRID, parent=community, opened_on=FOUNDED)
            grids.append(grid)
            for b in range(1, self.rng.randint(3, 4) + 1):
                buildings.append(orgs.create_area(actor, code=f"{grid.code}{b:02d}", name=f"{(g - 1) * 4 + b}号楼",
                                                  level=Area.Level.BUILDING, parent=grid, opened_on=FOUNDED))
        people = self._residents(actor, plan, buildings)
        members = [p for p in people if p.political_status == Person.PoliticalStatus.PARTY_MEMBER]
        short = plan.name.removesuffix("社区")
        org_label = Body.OrgType(plan.org_type).label
        approval = {}
        if plan.org_type == Body.OrgType.PARTY_COMMITTEE and len(members) <= 100:
            approval = {"form_approval_ref": "天工发〔2023〕12号", "form_approval_on": FOUNDED}
        party_org = orgs.create_body(actor, name=f"中共{plan.name}{org_label}", kind=Body.Kind.COMMUNITY_PARTY_ORG,
                                     area=community, org_type=plan.org_type, parent_body=pwc, members=members,
                                     opened_on=FOUNDED, **approval)
        bodies = {kind: orgs.create_body(actor, name=f"{plan.name}{label}", kind=kind, area=community,
                                         led_by=party_org, opened_on=FOUNDED)
                  for kind, label in COMMUNITY_BODIES}
        others = [p for p in people if p.political_status != Person.PoliticalStatus.PARTY_MEMBER]
        secretary, deputy, *committee = members[:7]
        self._member(actor, secretary, party_org, Role.COMMUNITY_PARTY_SECRETARY)
        self._member(actor, deputy, party_org, Role.COMMUNITY_PARTY_DEPUTY_SECRETARY)
        for person in committee[:3]:
            self._member(actor, person, party_org, Role.PARTY_ORG_COMMITTEE_MEMBER)
        rc = bodies[Body.Kind.RESIDENTS_COMMITTEE]
        # 一肩挑 (R-ORG-08) in the first community: the secretary also directs the residents committee.
        rc_director = secretary if index == 1 else committee[3]
        self._member(actor, rc_director, rc, Role.RC_DIRECTOR)
        self._member(actor, committee[4], rc, Role.RC_DEPUTY_DIRECTOR)
        for person in [deputy, *others[:3]]:
            self._member(actor, person, rc, Role.RC_MEMBER)
        self._member(actor, others[3], bodies[Body.Kind.COMMUNITY_WORKSTATION], Role.WORKSTATION_HEAD)
        for person in others[4:7]:
            self._member(actor, person, bodies[Body.Kind.COMMUNITY_WORKSTATION], Role.COMMUNITY_WORKER)
        self._member(actor, others[7], bodies[Body.Kind.COMPREHENSIVE_GOVERNANCE_OFFICE], Role.CGO_DIRECTOR)
        supervisors = others[8:11]
        for person in supervisors:
            self._member(actor, person, bodies[Body.Kind.SUPERVISION_COMMITTEE], Role.SUPERVISION_COMMITTEE_MEMBER)
        representatives = others[11:11 + max(9, plan.residents // 40)]
        for person in representatives:
            self._member(actor, person, bodies[Body.Kind.RESIDENT_REPRESENTATIVES_MEETING],
                         Role.RESIDENT_REPRESENTATIVE)
        council = bodies[Body.Kind.DELIBERATION_COUNCIL]
        for person in dict.fromkeys([secretary, rc_director, *representatives[:5], *supervisors[:1]]):
            self._member(actor, person, council, Role.MEMBER)
        for person in members:
            self._member(actor, person, bodies[Body.Kind.PARTY_MEMBERS_ASSEMBLY], Role.PARTY_MEMBER)
        self._member(actor, others[11], bodies[Body.Kind.VOLUNTEER_TEAM], Role.MEMBER)
        self._member(actor, others[12], bodies[Body.Kind.COMMUNITY_PATROL_TEAM], Role.MEMBER)
        self._member(actor, members[7], party_org, Role.DESIGNATED_RECORDER)
        # The party worker who keeps the records is also the designated person for disclosure (R-PDISC-05).
        self._member(actor, members[7], party_org, Role.PARTY_DISCLOSURE_OFFICER)
        self._member(actor, others[13], bodies[Body.Kind.COMMUNITY_WORKSTATION], Role.ARCHIVIST)
        grid_workers = self._grids(actor, community, grids, party_org, people, members)
        return {"area": community, "grids": grids, "buildings": buildings, "secretary": secretary,
                "supervisor": supervisors[0], "worker": members[7], "grid_workers": grid_workers, "short": short,
                "people": people, "rc": rc}

    def _grids(self, actor, community: Area, grids: list[Area], party_org: Body, people: list[Person],
               members: list[Person]) -> list[tuple[Area, Person, Area, Person]]:
        result = []
        by_area: dict[int, list[Person]] = {}
        for person in people:
            by_area.setdefault(person.area_id, []).append(person)
        for grid in grids:
            council = orgs.create_body(actor, name=f"{community.name}{grid.name}议事会",
                                       kind=Body.Kind.DELIBERATION_COUNCIL, area=grid, opened_on=FOUNDED)
            group = orgs.create_body(actor, name=f"{community.name}{grid.name}党小组", kind=Body.Kind.GRID_PARTY_GROUP,
                                     area=grid, parent_body=party_org, opened_on=FOUNDED)
            residents = [p for b in grid.children.all() for p in by_area.get(b.pk, [])]
            grid_members = [p for p in residents if p in members]
            worker = residents[0]
            self._member(actor, worker, council, Role.GRID_WORKER)
            for person in residents[1:6]:
                self._member(actor, person, council, Role.MEMBER)
            if grid_members:
                self._member(actor, grid_members[0], group, Role.PARTY_GROUP_LEADER)
                for person in grid_members[1:]:
                    self._member(actor, person, group, Role.PARTY_MEMBER)
            building_head = None
            for building in grid.children.all():
                inside = by_area.get(building.pk, [])
                if not inside:
                    continue
                head = inside[-1]
                building_head = building_head or (building, head)
                group_body = orgs.create_body(actor, name=f"{community.name}{building.name}楼栋党小组",
                                              kind=Body.Kind.BUILDING_PARTY_GROUP, area=building,
                                              parent_body=party_org, opened_on=FOUNDED)
                self._member(actor, head, council, Role.BUILDING_HEAD)
                leader = next((p for p in inside if p in members), None)
                if leader:
                    self._member(actor, leader, group_body, Role.BUILDING_PARTY_GROUP_LEADER)
            result.append((grid, worker, *building_head))
        return result

    def build(self, admin) -> list[dict]:
        district = orgs.create_area(admin, code=DISTRICT_CODE, name="涧西区", level=Area.Level.DISTRICT,
                                    parent=None, opened_on=FOUNDED)
        street = orgs.create_area(admin, code=f"{DISTRICT_CODE}001", name="天津路街道", level=Area.Level.STREET,
                                  parent=district, opened_on=FOUNDED)
        accounts.assign_role(admin, user=admin, role=AccessRole.DISTRICT_ADMIN, area=district, start_on=FOUNDED)
        self.logins.append({"username": admin.username, "password": DEMO_PASSWORD, "role": AccessRole.DISTRICT_ADMIN,
                            "scope": district.name})
        district_bodies = {kind: orgs.create_body(admin, name=name, kind=kind, area=district, opened_on=FOUNDED)
                           for kind, name in DISTRICT_BODIES}
        street_bodies = {kind: orgs.create_body(admin, name=name, kind=kind, area=street, opened_on=FOUNDED,
                                                parent_body=district_bodies[Body.Kind.DISTRICT_PARTY_COMMITTEE]
                                                if kind == Body.Kind.PARTY_WORKING_COMMITTEE else None)
                         for kind, name in STREET_BODIES}
        pwc = street_bodies[Body.Kind.PARTY_WORKING_COMMITTEE]
        communities = [self._community(admin, street, pwc, i, plan) for i, plan in enumerate(COMMUNITIES, 1)]
        self._street_leadership(admin, street, street_bodies, communities)
        self._community_logins(admin, communities)
        build_meetings(admin, district, pwc, communities)
        build_disclosure(communities)
        build_decisions(admin, communities)
        build_orglife(communities)
        build_zongzhi(admin, street, communities)
        self.logins += build_finance(admin, street, communities)
        build_office(admin, street, communities, self._login)
        # R-ACC-12: cases are decided by the district organisation department; one of its members has a login.
        officer = [p for p in communities[0]["people"] if p.political_status == Person.PoliticalStatus.PARTY_MEMBER][20]
        self._member(admin, officer, district_bodies[Body.Kind.DISTRICT_ORGANIZATION_DEPARTMENT], Role.MEMBER)
        decider = self._login(admin, "quwei_zuzhibu", AccessRole.VIEWER, district, officer, "区委组织部")
        build_party(admin, district, pwc, communities)
        build_accountability(district, street, communities, decider)
        return self.logins

    def _street_leadership(self, admin, street: Area, bodies: dict, communities: list[dict]) -> None:
        pool = [p for c in communities for p in c["people"]
                if p.political_status == Person.PoliticalStatus.PARTY_MEMBER][-12:]
        pwc = bodies[Body.Kind.PARTY_WORKING_COMMITTEE]
        secretary, deputy, director, *members = pool
        self._member(admin, secretary, pwc, Role.PWC_SECRETARY)
        self._member(admin, deputy, pwc, Role.PWC_DEPUTY_SECRETARY)
        # R-ORG-07: the office director, a party member, sits in the PWC as deputy secretary.
        self._member(admin, director, pwc, Role.PWC_DEPUTY_SECRETARY)
        self._member(admin, director, bodies[Body.Kind.STREET_OFFICE], Role.STREET_OFFICE_DIRECTOR)
        for person in members[:5]:
            self._member(admin, person, pwc, Role.PWC_MEMBER)
        self._member(admin, members[0], bodies[Body.Kind.STREET_OFFICE], Role.STREET_OFFICE_DEPUTY_DIRECTOR)
        self._member(admin, members[1], pwc, Role.SUPERVISING_LEADER)
        self._member(admin, members[5], bodies[Body.Kind.PWC_OFFICE], Role.PWC_OFFICE_DIRECTOR)
        # Each community has a street leader assigned to it (分包社区领导), recorded on its residents committee.
        for community, liaison in zip(communities, members[2:5], strict=True):
            self._member(admin, liaison, community["rc"], Role.STREET_LIAISON_LEADER)
        self._member(admin, members[6], bodies[Body.Kind.GENERAL_OFFICE], Role.AGENCY_STAFF)
        self._login(admin, "jiedao", AccessRole.STREET_ADMIN, street, members[5], "街道党办")
        self._login(admin, "pwc_shuji", AccessRole.STREET_STAFF, street, secretary, "党工委书记")

    def _community_logins(self, admin, communities: list[dict]) -> None:
        pinyin = {"长春路": "changchun", "青岛路": "qingdao", "南昌路": "nanchang"}
        for c in communities:
            prefix = pinyin[c["short"]]
            self._login(admin, f"{prefix}_shequ", AccessRole.COMMUNITY_WORKER, c["area"], c["worker"],
                        "社区工作者·党务公开专人")
        first, second = communities[0], communities[1]
        self._login(admin, f"{pinyin[second['short']]}_shuji", AccessRole.COMMUNITY_ADMIN, second["area"],
                    second["secretary"], "社区党组织书记")
        prefix = pinyin[first["short"]]
        grid, grid_worker, building, building_head = first["grid_workers"][0]
        self._login(admin, f"{prefix}_shuji", AccessRole.COMMUNITY_ADMIN, first["area"], first["secretary"],
                    "社区党组织书记")
        self._login(admin, f"{prefix}_jiandu", AccessRole.SUPERVISION_MEMBER, first["area"], first["supervisor"],
                    "居务监督委员会")
        self._login(admin, f"{prefix}_wangge", AccessRole.GRID_WORKER, grid, grid_worker, "网格员")
        self._login(admin, f"{prefix}_loudong", AccessRole.BUILDING_HEAD, building, building_head, "楼栋长")


def demo_exists() -> bool:
    return Area.objects.filter(code=DISTRICT_CODE).exists()


def build_demo(data_dir: Path) -> list[dict]:
    """Build the demo street office in one transaction and write demo-logins.json into `data_dir`."""
    User = get_user_model()
    with transaction.atomic():
        admin = User.objects.create_superuser("admin", password=DEMO_PASSWORD)
        logins = DemoBuilder().build(admin)
    (data_dir / "demo-logins.json").write_text(json.dumps(logins, ensure_ascii=False, indent=2))
    return logins
