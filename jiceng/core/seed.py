"""`jiceng seed`: a district at city scale through bulk paths (issue #7 point 1).

Where `jiceng demo` builds three communities through the services (every row audited, every rule judged), the
seed writes rows directly with `bulk_create`, one transaction per street, so a thousand communities load in
minutes. Derived fields are filled by the services' own helpers (`orgs.services.normalise_person`,
`archives.services.canonical_json`/`digest`, `disclosure.services.snapshot`/`content_digest`), party
organisations take the form their member count fits (R-ORG-03), archive records carry their true SHA-256, and each
street gets a single "seed.loaded" audit event, so `jiceng verify` passes afterwards.

The data has the usual gaps of real offices: dues published late or not at all, messages past their reply
deadline, a committee meeting skipped, matters at every stage, so the compliance scan has something to find.
"""

from __future__ import annotations

import calendar
import datetime
import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from jiceng.accounts.models import Account, RoleAssignment
from jiceng.accounts.roles import AccessRole
from jiceng.archives import services as archives
from jiceng.archives.models import Dossier, Record
from jiceng.audit.services import record_event
from jiceng.core.demo import COMMUNITY_BODIES, GIVEN, STREET_BODIES, SURNAMES
from jiceng.decisions.models import Matter, Opinion, Solicitation, StepRecord
from jiceng.disclosure import feedback as feedback_codes
from jiceng.disclosure import services as disclosure
from jiceng.disclosure.models import Attachment, DisclosureItem, Feedback
from jiceng.meetings.models import AgendaItem, Attendance, Kind, Meeting
from jiceng.orgs import idcard
from jiceng.orgs.models import Area, AreaChange, Body, Household, Membership, Person, Role
from jiceng.orgs.services import normalise_person
from jiceng.rules import org as org_rules
from jiceng.rules.decisions import URBAN_STEPS, VILLAGE_STEPS

__all__ = ["SeedOptions", "seed"]

COMMUNITIES_PER_STREET = 20
GRIDS = 4
BUILDINGS_PER_GRID = 4
BATCH = 2000
FOUNDED = datetime.date(2015, 1, 1)
DEFAULT_DISTRICT = "419001"
ROAD = "长江黄河泰山华山嵩山衡山恒山珠江淮河汉水洛河伊河瀍河涧河洛阳开元定鼎九都中州景华天津南昌青岛武汉"


@dataclass
class SeedOptions:
    communities: int
    years: int = 1
    residents: int = 1000
    district: str | None = None
    scan: bool = True
    seed: int = 7


@dataclass
class _Street:
    """The objects of one street, built in memory and written model by model."""

    rows: dict[type, list] = field(default_factory=lambda: defaultdict(list))

    def add(self, obj):
        self.rows[type(obj)].append(obj)
        return obj


class Seeder:
    def __init__(self, options: SeedOptions, log: Callable[[str], None] = print):
        self.o = options
        self.log = log
        self.rng = random.Random(options.seed)
        self.totals: Counter[str] = Counter()
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.tz = timezone.get_current_timezone()
        self.password = make_password(uuid.uuid4().hex)  # hashed once, reused: logins are set up by an admin
        self.first_month = _add_months(self.today.replace(day=1), -12 * options.years)
        self.retention: dict[tuple[str, int | None], tuple[str, datetime.date | None]] = {}

    # Helpers ----------------------------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int = 9) -> datetime.datetime:
        return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=self.tz)

    def write(self, street: _Street, model: type, **kwargs) -> None:
        objs = street.rows.pop(model, [])
        if objs:
            model.objects.bulk_create(objs, batch_size=BATCH, **kwargs)
            self.totals[model._meta.label] += len(objs)

    def months(self):
        month = self.first_month
        while month <= self.today:
            yield month
            month = _add_months(month, 1)

    # District and ID numbers ------------------------------------------------------------------------

    def district(self) -> Area:
        if self.o.district:
            district = Area.objects.filter(code=self.o.district, level=Area.Level.DISTRICT).first()
            if district is None:
                raise ValueError(f"no district with code {self.o.district}")
        else:
            code = int(DEFAULT_DISTRICT)
            while Area.objects.filter(code=str(code)).exists():
                code += 1
            district = Area.objects.create(code=str(code), name=f"示范{code % 1000}区", level=Area.Level.DISTRICT,
                                           path="", opened_on=FOUNDED)
            district.path = f"/{district.pk}/"
            district.save(update_fields=["path"])
            AreaChange.objects.create(area=district, kind=AreaChange.Kind.CREATED, occurred_on=FOUNDED,
                                      new_name=district.name)
            self.totals["orgs.Area"] += 1
        region = district.code if len(district.code) == 6 and district.code.isdigit() else DEFAULT_DISTRICT
        if region[:2] not in idcard.PROVINCE_CODES:
            region = DEFAULT_DISTRICT
        self.region = region
        # Order codes already used in the region, so a second run never repeats a number.
        self.sequences: Counter[tuple[str, str]] = Counter()
        for number in Person.objects.filter(id_number__startswith=region).values_list("id_number", flat=True):
            key = (number[6:14], "male" if int(number[16]) % 2 else "female")
            self.sequences[key] = max(self.sequences[key], int(number[14:17]) // 2 + 1)
        return district

    def id_number(self, gender: str) -> tuple[str, datetime.date]:
        while True:
            birth = datetime.date(self.today.year - self.rng.randint(18, 88), self.rng.randint(1, 12),
                                  self.rng.randint(1, 28))
            key = (birth.strftime("%Y%m%d"), gender)
            sequence = self.sequences[key]
            if sequence < 500:
                self.sequences[key] = sequence + 1
                return idcard.generate(self.rng, region=self.region, birth_date=birth, gender=gender,
                                       sequence=sequence), birth

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.choice((1, 2))))

    # One street -------------------------------------------------------------------------------------

    def run(self) -> dict:
        started = time.monotonic()
        district = self.district()
        existing = Area.objects.filter(parent=district).count()
        pwc_parent = Body.objects.filter(area=district, kind=Body.Kind.DISTRICT_PARTY_COMMITTEE).first()
        left, index = self.o.communities, existing
        while left > 0:
            index += 1
            size = min(COMMUNITIES_PER_STREET, left)
            t0 = time.monotonic()
            with transaction.atomic():
                street = self.street(district, index, size, pwc_parent)
            left -= size
            self.log(f"街道 {street.code} {street.name}: {size} 个社区 / communities, "
                     f"{time.monotonic() - t0:.1f}s (剩余 / left {left})")
        scan = None
        if self.o.scan:
            from jiceng.accountability.scan import run_scan

            t0 = time.monotonic()
            scan = run_scan(district)
            self.log(f"合规扫描 / compliance scan: {scan.get('opened', 0)} findings opened, "
                     f"{time.monotonic() - t0:.1f}s")
        return {"district": district, "seconds": time.monotonic() - started, "rows": dict(self.totals),
                "scan": scan}

    def street(self, district: Area, index: int, size: int, pwc_parent: Body | None) -> Area:
        s = _Street()
        road = ROAD[(index - 1) * 2 % len(ROAD):][:2] or "新华"
        street = Area.objects.create(code=f"{district.code}{index:03d}", name=f"{road}路{index}街道",
                                     level=Area.Level.STREET, parent=district, path="", opened_on=FOUNDED)
        street.path = f"{district.path}{street.pk}/"
        street.save(update_fields=["path"])
        s.add(AreaChange(area=street, kind=AreaChange.Kind.CREATED, occurred_on=FOUNDED, new_parent=district,
                         new_name=street.name))
        self.totals["orgs.Area"] += 1
        street_bodies = {}
        for kind, label in STREET_BODIES:
            parent = pwc_parent if kind == Body.Kind.PARTY_WORKING_COMMITTEE else None
            street_bodies[kind] = s.add(Body(name=label.replace("天津路街道", street.name), kind=kind, area=street,
                                             opened_on=FOUNDED, parent_body=parent))
        pwc = street_bodies[Body.Kind.PARTY_WORKING_COMMITTEE]
        plans = [self.areas(s, street, c) for c in range(1, size + 1)]
        self.write_areas(s, street, plans)
        self.write(s, AreaChange)
        self.write(s, Body)  # street bodies
        for plan in plans:
            self.people(s, plan)
        self.write(s, Household)
        self.write(s, Person)
        for plan in plans:
            self.structure(s, plan, pwc)
        # Party organisations first: the other bodies point at them (led_by, parent_body).
        bodies = s.rows.pop(Body)
        s.rows[Body] = [b for b in bodies if b.kind == Body.Kind.COMMUNITY_PARTY_ORG]
        self.write(s, Body)
        s.rows[Body] = [b for b in bodies if b.kind != Body.Kind.COMMUNITY_PARTY_ORG]
        self.write(s, Body)
        self.write(s, Membership)
        self.street_leaders(s, plans, street_bodies)
        self.write(s, Membership)
        for plan in plans:
            self.login(s, plan)
        User = get_user_model()
        self.write(s, User)
        self.write(s, Account)
        self.write(s, RoleAssignment)
        for plan in plans:
            self.meetings(s, plan)
        self.write(s, Meeting)
        self.write(s, Attendance)
        self.write(s, AgendaItem)
        for plan in plans:
            self.boards(s, plan)
            self.matters(s, plan)
        self.write(s, Dossier)
        items = s.rows.get(DisclosureItem, [])
        self.write(s, DisclosureItem)
        for item in items:
            # No attachments in seed data; the cache saves content_digest and snapshot a query each.
            item._prefetched_objects_cache = {"attachments": Attachment.objects.none()}
            item.content_sha256 = disclosure.content_digest(item)
        DisclosureItem.objects.bulk_update(items, ["content_sha256"], batch_size=500)
        self.write(s, Feedback)
        self.write(s, Matter)
        self.write(s, StepRecord)
        self.write(s, Solicitation)
        self.write(s, Opinion)
        self.records(s, plans)
        self.write(s, Record)
        record_event(None, "seed.loaded", street, after={"communities": size, "residents": self.o.residents,
                                                         "years": self.o.years})
        return street

    # Areas ------------------------------------------------------------------------------------------

    def areas(self, s: _Street, street: Area, c: int) -> dict:
        kind = Area.CommunityKind.VILLAGE_TO_RESIDENTIAL if self.rng.random() < 0.15 else Area.CommunityKind.URBAN
        community = Area(code=f"{street.code}{c:03d}", name=f"{street.name.removesuffix('街道')}第{c}社区",
                         level=Area.Level.COMMUNITY, parent=street, community_kind=kind, opened_on=FOUNDED)
        grids, buildings = [], []
        for g in range(1, GRIDS + 1):
            grid = Area(code=f"{community.code}{g:02d}", name=f"第{g}网格", level=Area.Level.GRID,
                        parent=community, opened_on=FOUNDED)
            grids.append(grid)
            for b in range(1, BUILDINGS_PER_GRID + 1):
                buildings.append(Area(code=f"{grid.code}{b:02d}", name=f"{(g - 1) * BUILDINGS_PER_GRID + b}号楼",
                                      level=Area.Level.BUILDING, parent=grid, opened_on=FOUNDED))
        return {"area": community, "grids": grids, "buildings": buildings}

    def write_areas(self, s: _Street, street: Area, plans: list[dict]) -> None:
        """Level by level: the materialised path needs the row's own id, so it is set right after the insert."""
        for level in ("area", "grids", "buildings"):
            rows = [a for p in plans for a in (p[level] if level != "area" else [p[level]])]
            for area in rows:
                area.path = ""
            Area.objects.bulk_create(rows, batch_size=BATCH)
            for area in rows:
                area.path = f"{area.parent.path}{area.pk}/"
                s.add(AreaChange(area=area, kind=AreaChange.Kind.CREATED, occurred_on=FOUNDED, new_parent=area.parent,
                                 new_name=area.name))
            Area.objects.bulk_update(rows, ["path"], batch_size=500)
            self.totals["orgs.Area"] += len(rows)

    # People -----------------------------------------------------------------------------------------

    def people(self, s: _Street, plan: dict) -> None:
        residents = max(self.o.residents, 20)
        # Party members between 4 % and 14 % of residents: all three forms of R-ORG-03 appear at 1,000.
        target = max(6, round(residents * self.rng.uniform(0.04, 0.14)))
        buildings = plan["buildings"]
        people: list[Person] = []
        household_no = 0
        while len(people) < residents:
            building = buildings[len(people) * len(buildings) // residents]
            household_no += 1
            unit, room = str(self.rng.randint(1, 4)), f"{self.rng.randint(1, 18)}0{self.rng.randint(1, 4)}"
            household = s.add(Household(number=f"{building.code}-{household_no:04d}", area=building, unit=unit,
                                        room=room))
            for member in range(min(self.rng.randint(1, 4), residents - len(people))):
                gender = self.rng.choice(("male", "female"))
                number, _birth = self.id_number(gender)
                values = normalise_person({
                    "name": self.name(), "gender": gender, "id_number": number,
                    "phone": f"1{self.rng.choice('35789')}{self.rng.randint(0, 999999999):09d}", "area": building,
                    "unit": unit, "room": room, "household": household,
                    "household_relation": "户主" if member == 0 else self.rng.choice(("配偶", "子女", "父母")),
                    "political_status": Person.PoliticalStatus.NONE})
                people.append(s.add(Person(**values)))
        for person in self.rng.sample(people, min(target, len(people))):
            person.political_status = Person.PoliticalStatus.PARTY_MEMBER
        plan["people"] = people
        plan["members"] = [p for p in people if p.political_status == Person.PoliticalStatus.PARTY_MEMBER]
        plan["others"] = [p for p in people if p.political_status != Person.PoliticalStatus.PARTY_MEMBER]

    # Bodies and memberships ---------------------------------------------------------------------------

    def structure(self, s: _Street, plan: dict, pwc: Body) -> None:
        community, members, others = plan["area"], plan["members"], plan["others"]
        forms = org_rules.fitting_forms(org_rules.ORG_FORM.params, len(members))
        org_type = forms[0]
        label = Body.OrgType(org_type).label
        party_org = s.add(Body(name=f"中共{community.name}{label}", kind=Body.Kind.COMMUNITY_PARTY_ORG, area=community,
                               org_type=org_type, establishment_mode=Body.EstablishmentMode.STANDALONE,
                               parent_body=pwc, opened_on=FOUNDED))
        bodies = {kind: s.add(Body(name=f"{community.name}{name}", kind=kind, area=community, led_by=party_org,
                                   opened_on=FOUNDED))
                  for kind, name in COMMUNITY_BODIES}
        term = FOUNDED

        def member(person, body, role):
            s.add(Membership(person=person, body=body, role=role, start_on=term))

        secretary, deputy, *committee = members[:5]
        recorder = members[5]
        for person in members:
            member(person, party_org, Role.PARTY_MEMBER)
            member(person, bodies[Body.Kind.PARTY_MEMBERS_ASSEMBLY], Role.PARTY_MEMBER)
        member(secretary, party_org, Role.COMMUNITY_PARTY_SECRETARY)
        member(deputy, party_org, Role.COMMUNITY_PARTY_DEPUTY_SECRETARY)
        for person in committee:
            member(person, party_org, Role.PARTY_ORG_COMMITTEE_MEMBER)
        member(recorder, party_org, Role.DESIGNATED_RECORDER)
        member(recorder, party_org, Role.PARTY_DISCLOSURE_OFFICER)
        pick = _Picker(others)
        rc = bodies[Body.Kind.RESIDENTS_COMMITTEE]
        # 一肩挑 (R-ORG-08): the secretary directs the residents committee.
        member(secretary, rc, Role.RC_DIRECTOR)
        member(deputy, rc, Role.RC_DEPUTY_DIRECTOR)
        rc_members = pick(3)
        for person in rc_members:
            member(person, rc, Role.RC_MEMBER)
        workstation = bodies[Body.Kind.COMMUNITY_WORKSTATION]
        member(pick(1)[0], workstation, Role.WORKSTATION_HEAD)
        for person in pick(3):
            member(person, workstation, Role.COMMUNITY_WORKER)
        member(pick(1)[0], workstation, Role.ARCHIVIST)
        member(pick(1)[0], bodies[Body.Kind.COMPREHENSIVE_GOVERNANCE_OFFICE], Role.CGO_DIRECTOR)
        supervisors = pick(3)
        for person in supervisors:
            member(person, bodies[Body.Kind.SUPERVISION_COMMITTEE], Role.SUPERVISION_COMMITTEE_MEMBER)
        representatives = pick(max(9, len(plan["people"]) // 40))
        for person in representatives:
            member(person, bodies[Body.Kind.RESIDENT_REPRESENTATIVES_MEETING], Role.RESIDENT_REPRESENTATIVE)
        council = bodies[Body.Kind.DELIBERATION_COUNCIL]
        for person in dict.fromkeys([secretary, *representatives[:5], supervisors[0]]):
            member(person, council, Role.MEMBER)
        member(pick(1)[0], bodies[Body.Kind.VOLUNTEER_TEAM], Role.MEMBER)
        member(pick(1)[0], bodies[Body.Kind.COMMUNITY_PATROL_TEAM], Role.MEMBER)
        by_building: dict[int, list[Person]] = defaultdict(list)
        for person in plan["people"]:
            by_building[id(person.area)].append(person)
        for grid in plan["grids"]:
            grid_council = s.add(Body(name=f"{community.name}{grid.name}议事会", kind=Body.Kind.DELIBERATION_COUNCIL,
                                      area=grid, opened_on=FOUNDED))
            group = s.add(Body(name=f"{community.name}{grid.name}党小组", kind=Body.Kind.GRID_PARTY_GROUP, area=grid,
                               parent_body=party_org, opened_on=FOUNDED))
            inside = [p for b in plan["buildings"] if b.parent is grid for p in by_building[id(b)]]
            if inside:
                member(inside[0], grid_council, Role.GRID_WORKER)
                for person in inside[1:6]:
                    member(person, grid_council, Role.MEMBER)
            grid_members = [p for p in inside if p.political_status == Person.PoliticalStatus.PARTY_MEMBER]
            for n, person in enumerate(grid_members):
                member(person, group, Role.PARTY_GROUP_LEADER if n == 0 else Role.PARTY_MEMBER)
            for building in (b for b in plan["buildings"] if b.parent is grid):
                residents = by_building[id(building)]
                if not residents:
                    continue
                member(residents[-1], grid_council, Role.BUILDING_HEAD)
                leader = next((p for p in residents if p.political_status == Person.PoliticalStatus.PARTY_MEMBER), None)
                if leader:
                    building_group = s.add(Body(name=f"{community.name}{building.name}楼栋党小组",
                                                kind=Body.Kind.BUILDING_PARTY_GROUP, area=building,
                                                parent_body=party_org, opened_on=FOUNDED))
                    member(leader, building_group, Role.BUILDING_PARTY_GROUP_LEADER)
        plan.update(party_org=party_org, bodies=bodies, secretary=secretary, deputy=deputy, committee=committee,
                    recorder=recorder, rc_members=rc_members, supervisors=supervisors, representatives=representatives)

    def street_leaders(self, s: _Street, plans: list[dict], bodies: dict) -> None:
        pool = [p for plan in plans for p in plan["members"][6:8]]
        pwc = bodies[Body.Kind.PARTY_WORKING_COMMITTEE]
        roles = [Role.PWC_SECRETARY, Role.PWC_DEPUTY_SECRETARY, Role.PWC_DEPUTY_SECRETARY, Role.PWC_MEMBER,
                 Role.PWC_MEMBER, Role.PWC_MEMBER]
        for person, role in zip(pool, roles, strict=False):
            s.add(Membership(person=person, body=pwc, role=role, start_on=FOUNDED))
        if len(pool) > 2:
            s.add(Membership(person=pool[2], body=bodies[Body.Kind.STREET_OFFICE], role=Role.STREET_OFFICE_DIRECTOR,
                             start_on=FOUNDED))

    def login(self, s: _Street, plan: dict) -> None:
        """One community worker per community (the party disclosure officer), with a shared precomputed hash."""
        User = get_user_model()
        user = s.add(User(username=f"sq{plan['area'].code}", password=self.password, is_active=True))
        s.add(Account(user=user, person=plan["recorder"]))
        s.add(RoleAssignment(user=user, role=AccessRole.COMMUNITY_WORKER, area=plan["area"], start_on=FOUNDED))
        plan["user"] = user

    # Meetings ---------------------------------------------------------------------------------------

    def meeting(self, s: _Street, plan: dict, *, kind: str, body: Body, title: str, day: datetime.date,
                people: list[Person], items: list[tuple[str, str]]) -> tuple[Meeting, list[AgendaItem]] | None:
        held = self.at(day, 9)
        if held >= self.now:
            return None
        people = list(dict.fromkeys(people))
        meeting = s.add(Meeting(kind=kind, body=body, title=title, location="社区党群服务中心会议室",
                                scheduled_at=held, status=Meeting.Status.CLOSED,
                                notice_published_at=held - datetime.timedelta(days=3),
                                notice_text=f"定于{day:%m月%d日}召开{title}。", held_at=held,
                                closed_at=held + datetime.timedelta(hours=2), chair=plan["secretary"],
                                recorder=plan["recorder"], created_by=plan["user"]))
        present = 0
        for n, person in enumerate(people):
            away = n > 1 and self.rng.random() < 0.08
            present += not away
            s.add(Attendance(meeting=meeting, person=person,
                             status=Attendance.Status.LEAVE if away else Attendance.Status.PRESENT,
                             leave_requested_at=held - datetime.timedelta(days=1) if away else None,
                             checked_in_at=None if away else held - datetime.timedelta(minutes=10)))
        agenda = []
        for order, (item_title, item_kind) in enumerate(items, 1):
            no = self.rng.choice((0, 0, 0, 1, 2)) if present > 4 else 0
            abstain = self.rng.choice((0, 0, 1)) if present > 4 else 0
            yes = present - no - abstain
            # Passed when more than half of those present say yes.
            status = AgendaItem.Status.PASSED if yes * 2 > present else AgendaItem.Status.REJECTED
            agenda.append(s.add(AgendaItem(body=body, meeting=meeting, order=order, title=item_title, kind=item_kind,
                                           status=status, method=AgendaItem.Method.SHOW_OF_HANDS, yes=yes, no=no,
                                           abstain=abstain, decided_at=held + datetime.timedelta(minutes=30 * order),
                                           basis={"present": present, "expected": len(people)})))
        return meeting, agenda

    def meetings(self, s: _Street, plan: dict) -> None:
        party_org, bodies = plan["party_org"], plan["bodies"]
        committee = [plan["secretary"], plan["deputy"], *plan["committee"]]
        rc = [plan["secretary"], plan["deputy"], *plan["rc_members"]]
        council = [plan["secretary"], *plan["representatives"][:5], plan["supervisors"][0]]
        skip = self.rng.random() < 0.15  # this office missed last month's committee meeting
        last_month = _add_months(self.today.replace(day=1), -1)
        plan["decisions"] = {}
        for month in self.months():
            if not (skip and month == last_month):
                held = self.meeting(s, plan, kind=Kind.PARTY_ORG_COMMITTEE_MEETING, body=party_org,
                                    title=f"{month:%Y年%m月}支委会", day=month.replace(day=self.rng.randint(3, 8)),
                                    people=committee, items=[(f"{month:%Y年%m月}党费收缴及党务公开事项", "ordinary"),
                                                             ("发展党员及党员教育管理工作", "ordinary")])
                if held:
                    plan["decisions"][(month, "party")] = held[1][0]
            if month.month % 3 == 1:
                held = self.meeting(s, plan, kind=Kind.TWO_COMMITTEES_JOINT_MEETING, body=party_org,
                                    title=f"{month:%Y年%m月}两委联席会议",
                                    day=month.replace(day=self.rng.randint(9, 12)),
                                    people=committee + rc, items=[("社区收支及居务公开事项", "ordinary"),
                                                                  ("为民服务项目资金使用方案", "major"),
                                                                  ("社区环境整治工作安排", "ordinary")])
                if held:
                    for m in range(3):
                        plan["decisions"][(_add_months(month, m), "residents")] = held[1][0]
            if month.month in (4, 10):
                self.meeting(s, plan, kind=Kind.DELIBERATION_COUNCIL, body=bodies[Body.Kind.DELIBERATION_COUNCIL],
                             title=f"{month:%Y年%m月}社区议事会", day=month.replace(day=15), people=council,
                             items=[("老旧小区改造意见", "ordinary")])
            if month.month == 6:
                self.meeting(s, plan, kind=Kind.HEARING, body=bodies[Body.Kind.RESIDENTS_COMMITTEE],
                             title=f"{month:%Y年}停车收费听证会", day=month.replace(day=18),
                             people=rc + plan["representatives"], items=[("停车收费标准调整方案", "major")])

    # Boards, feedback and archives ------------------------------------------------------------------

    def dossier(self, s: _Street, plan: dict, series: str, year: int) -> Dossier:
        cache = plan.setdefault("dossiers", {})
        if (series, year) not in cache:
            retention, until = self.judged(plan["area"], series, year)
            cache[(series, year)] = s.add(Dossier(area=plan["area"], series=series, key=str(year),
                                                  title=f"{plan['area'].name}{Dossier.Series(series).label}（{year}年）",
                                                  retention=retention, retention_until=until))
        return cache[(series, year)]

    def judged(self, area: Area, series: str, year: int | None) -> tuple[str, datetime.date | None]:
        """The retention class and last day the rulebook gives a file of `series` (A-ARC-11), judged once."""
        if (series, year) not in self.retention:
            draft = Dossier(area=area, series=series, key=str(year) if year else "matter-draft")
            judged = archives.judge_retention(draft, None, self.today)
            self.retention[(series, year)] = (judged.retention, judged.until)
        return self.retention[(series, year)]

    def publish(self, s: _Street, plan: dict, *, board: str, category: str, title: str, body: str,
                start: datetime.date, end: datetime.date, published: datetime.date, tables=None) -> None:
        at = self.at(published, 10)
        if at >= self.now:
            return
        user = plan["user"]
        decision = plan["decisions"].get((start.replace(day=1), board)) or plan["decisions"].get(
            (_add_months(start.replace(day=1), 1), board))
        item = s.add(DisclosureItem(
            community=plan["area"], board=board, category=category, timing_class="routine_periodic", title=title,
            body=body, tables=tables or [], period_start=start, period_end=end, status=DisclosureItem.Status.PUBLISHED,
            created_by=user, decision=decision, signed_by=user if board == "party" else None,
            signed_at=at - datetime.timedelta(hours=2) if board == "party" else None,
            reviewed_by=user if board == "residents" else None,
            reviewed_at=at - datetime.timedelta(days=2) if board == "residents" else None,
            review_note="已核对原始凭证，内容属实。" if board == "residents" else "",
            published_by=user, published_at=at))
        series = disclosure.SERIES[board]
        plan.setdefault("filed", []).append((self.dossier(s, plan, series, at.year), item, at))
        plan.setdefault("published", []).append(item)

    def boards(self, s: _Street, plan: dict) -> None:
        members = plan["members"]
        dues_rows = [{"member": p.name, "amount": f"{10 + n % 5 * 4}.00"} for n, p in enumerate(members[:12])]
        total = sum(int(r["amount"].split(".")[0]) for r in dues_rows)
        sloppy = self.rng.random() < 0.2  # an office that publishes late and forgets
        for month in self.months():
            end = _add_months(month, 1) - datetime.timedelta(days=1)
            if end >= self.today:
                continue
            roll = self.rng.random()
            if not (sloppy and roll < 0.1):
                # Dues by the end of the next month (R-DUES-04); a sloppy office sometimes two months later.
                late = sloppy and roll < 0.3
                published = _add_months(month, 2 if late else 1).replace(day=self.rng.randint(10, 20))
                self.publish(s, plan, board="party", category="P07", title=f"{month:%Y年%m月}党费收缴情况",
                             body=f"应交党费党员{len(members)}名，均已按时足额交纳。", start=month, end=end,
                             published=published, tables=[{"kind": "dues", "month": f"{month:%Y-%m}",
                                                           "rows": dues_rows, "total": f"{total}.00"}])
            if not (sloppy and roll > 0.85):
                self.publish(s, plan, board="residents", category="R06",
                             title=f"{month:%Y年%m月}落实上级部署工作任务情况",
                             body="本月完成街道部署的各项工作任务，具体进度见社区党群服务中心公示。",
                             start=month, end=end,
                             published=end - datetime.timedelta(days=self.rng.randint(0, 4)))
            if month.month in (6, 12):
                half = month.replace(month=month.month - 5)
                income, expense = self.rng.randint(80, 200) * 1000, self.rng.randint(60, 190) * 1000
                self.publish(s, plan, board="residents", category="R02",
                             title=f"{month.year}年{'上' if month.month == 6 else '下'}半年社区收支情况",
                             body="社区各项收支明细如下，欢迎居民监督。", start=half, end=end,
                             published=end - datetime.timedelta(days=self.rng.randint(0, 3)),
                             tables=[{"kind": "finance", "total_income": f"{income}.00",
                                      "total_expense": f"{expense}.00",
                                      "rows": [{"item": "上级拨付社区工作经费", "income": f"{income}.00",
                                                "expense": "0.00"},
                                               {"item": "办公及为民服务支出", "income": "0.00",
                                                "expense": f"{expense}.00"}]}])
        self.feedback(s, plan)

    def feedback(self, s: _Street, plan: dict) -> None:
        published = plan.get("published", [])
        count = max(3, 4 * self.o.years)
        for n in range(count):
            item = self.rng.choice(published) if published else None
            received = self.now - datetime.timedelta(days=self.rng.randint(1, 365 * self.o.years))
            due = timezone.localdate(received) + datetime.timedelta(days=10)
            # Most are answered; some are still open within their time, some past it (A-OPEN-23).
            answered = n % 4 != 3 and due < self.today
            s.add(Feedback(community=plan["area"], board=item.board if item else "residents", item=item,
                           kind=self.rng.choice(("question", "opinion")), text="请问公开的数据怎么核对？",
                           tracking_code=feedback_codes.new_tracking_code(), received_at=received, due_on=due,
                           status=Feedback.Status.ANSWERED if answered else Feedback.Status.OPEN,
                           reply="已在社区党群服务中心当面说明，欢迎继续监督。" if answered else "",
                           replied_at=received + datetime.timedelta(days=3) if answered else None,
                           replied_by=plan["user"] if answered else None))

    def matters(self, s: _Street, plan: dict) -> None:
        community, user = plan["area"], plan["user"]
        village = community.community_kind == Area.CommunityKind.VILLAGE_TO_RESIDENTIAL
        steps = VILLAGE_STEPS if village else URBAN_STEPS
        for n in range(3 * self.o.years):
            opened = self.now - datetime.timedelta(days=self.rng.randint(20, 365 * self.o.years))
            done = steps[:1 + (n * 3 + self.rng.randint(0, 2)) % len(steps)]
            retention, until = self.judged(community, Dossier.Series.MATTER, None)
            title = self.rng.choice(("加装电梯", "楼院照明改造", "停车位划设", "垃圾分类亭建设", "困难群众救助"))
            dossier = s.add(Dossier(area=community, series=Dossier.Series.MATTER, key=f"matter-{uuid.uuid4().hex[:16]}",
                                    title=f"{community.name}决策事项档案：{title}", retention=retention,
                                    retention_until=until))
            closed = done[-1] == "closed"
            matter = s.add(Matter(
                community=community, template="village" if village else "urban", topic=self.rng.choice(("T3", "T4")),
                title=title, summary=f"{title}事项，由居民提出，按“一征三议两公开”办理。",
                budget=self.rng.randint(2, 80) * 1000, initiator="社区居委会", dossier=dossier, created_by=user,
                status=Matter.Status.CLOSED if closed else Matter.Status.OPEN, step=done[-1],
                resolution="经居民代表会议表决通过。" if "resolution" in done else "",
                resolved_at=opened + datetime.timedelta(days=8) if "resolution" in done else None))
            for k, step in enumerate(done):
                occurred = min(opened + datetime.timedelta(days=2 * k), self.now)
                s.add(StepRecord(matter=matter, step=step, occurred_at=occurred, recorded_by=user,
                                 note=f"{step} 已完成"))
                plan.setdefault("matter_steps", []).append((dossier, matter, step, occurred))
            if "solicitation" in done:
                solicitation = s.add(Solicitation(matter=matter, question=f"关于{title}，请提出您的意见。",
                                                  opened_at=opened,
                                                  deadline=timezone.localdate(opened) + datetime.timedelta(days=7),
                                                  closed_at=opened + datetime.timedelta(days=7),
                                                  summary="多数居民赞成，部分建议调整施工时间。"))
                for _ in range(self.rng.randint(3, 8)):
                    s.add(Opinion(solicitation=solicitation,
                                  position=self.rng.choice(("support", "support", "oppose", "suggest")),
                                  text="同意，建议避开休息时间施工。",
                                  channel=self.rng.choice(("online", "door_to_door", "box")),
                                  received_at=opened + datetime.timedelta(days=self.rng.randint(0, 6))))

    def records(self, s: _Street, plans: list[dict]) -> None:
        """One record per publication and per matter step, each with the SHA-256 of its canonical JSON."""
        sequences: Counter[int] = Counter()

        def add(dossier, kind, title, data, source_type, source_id, occurred_at, user):
            content = archives.canonical_json(data)
            sequences[dossier.pk] += 1
            s.add(Record(dossier=dossier, sequence=sequences[dossier.pk], kind=kind, title=title[:300], content=content,
                         sha256=archives.digest(content), source_type=source_type, source_id=source_id,
                         occurred_at=occurred_at, filed_by=user))

        for plan in plans:
            for dossier, item, at in plan.get("filed", []):
                add(dossier, "disclosure.published", f"公开内容：{item.title}", disclosure.snapshot(item),
                    "disclosure.disclosureitem", item.pk, at, plan["user"])
            for dossier, matter, step, at in plan.get("matter_steps", []):
                add(dossier, f"matter.{step}", f"{matter.title}：{step}",
                    {"matter": matter.pk, "title": matter.title, "step": step, "occurred_at": at},
                    "decisions.matter", matter.pk, at, plan["user"])
            for key in ("filed", "matter_steps", "published", "people", "others"):
                plan.pop(key, None)


class _Picker:
    """Hands out distinct people in turn, starting over when everyone has had a post (small communities)."""

    def __init__(self, people: list[Person]):
        self.people, self.next = people, 0

    def __call__(self, n: int) -> list[Person]:
        picked = [self.people[(self.next + k) % len(self.people)] for k in range(n)]
        self.next += n
        return picked


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def seed(options: SeedOptions, log: Callable[[str], None] = print) -> dict:
    """Seed a district; returns {"district", "seconds", "rows": {model label: count}, "scan"}."""
    return Seeder(options, log).run()
