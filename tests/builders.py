"""Small builders for tests: each goes through the services, so tests see what users would create."""

from __future__ import annotations

import datetime
import itertools
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from jiceng.accounts import services as accounts
from jiceng.orgs import idcard
from jiceng.orgs import services as orgs
from jiceng.orgs.models import Area, Person

PASSWORD = "Jiceng-Test-2026"
_codes = itertools.count(1)
_rng = random.Random(2026)


def superuser(username: str = "root"):
    user = get_user_model().objects.create_superuser(username, password=PASSWORD)
    return user


def make_area(actor, name: str, level: str, parent: Area | None, **kw) -> Area:
    return orgs.create_area(actor, code=f"T{next(_codes):06d}", name=name, level=level, parent=parent,
                            opened_on=kw.pop("opened_on", datetime.date(2020, 1, 1)), **kw)


def valid_id(gender: str = "male", birth: datetime.date | None = None) -> str:
    """A valid ID number, unique across a test run (birth dates spread over 50 years)."""
    birth = birth or datetime.date(1950, 1, 1) + datetime.timedelta(days=_rng.randrange(50 * 365))
    return idcard.generate(_rng, region="410305", birth_date=birth, gender=gender)


def make_person(actor, area: Area, name: str = "张三", **kw) -> Person:
    gender = kw.pop("gender", "male")
    id_number = kw.pop("id_number", None) or valid_id(gender, kw.pop("birth", None))
    return orgs.create_person(actor, name=name, gender=gender, id_number=id_number, area=area, **kw)


def make_user(actor, username: str, role: str, area: Area, person: Person | None = None):
    user = accounts.create_account(actor, username=username, password=PASSWORD, area=area, person=person)
    accounts.assign_role(actor, user=user, role=role, area=area, start_on=datetime.date(2020, 1, 1))
    return user


def make_body(actor, kind: str, area: Area, name: str | None = None, **kw):
    return orgs.create_body(actor, name=name or f"{area.name}{kind}", kind=kind, area=area,
                            opened_on=kw.pop("opened_on", datetime.date(2020, 1, 1)), **kw)


def make_members(actor, body, roles: list[str], area: Area, start_on=datetime.date(2020, 1, 1)) -> list[Person]:
    """One new resident of `area` per role, each holding that role in `body`."""
    people = []
    for i, role in enumerate(roles):
        person = make_person(actor, area, f"{body.name[:4]}成员{i + 1}", political_status="party_member")
        orgs.add_membership(actor, person=person, body=body, role=role, start_on=start_on)
        people.append(person)
    return people


def held_evaluation_meeting(sw, *, evaluators: int = 52, present: int = 50, title: str = "年度评议会"):
    """An evaluation meeting of community A in `sw` (tests/meetings/conftest.py `street_world`), held yesterday:
    `evaluators` approved participants (R-EVAL-05: at least 50) of whom the first `present` came, the four duty
    reports (R-EVAL-06) and the street liaison leader in the chair (R-EVAL-08). Returns (meeting, people, day)."""
    from jiceng.meetings import services as meetings
    from jiceng.meetings.models import Meeting
    from jiceng.orgs.models import Role

    staff = sw.street_staff
    day = sw.today - datetime.timedelta(days=1)
    people = [make_person(sw.root, sw.building_a, f"评议代表{i:02d}") for i in range(evaluators)]
    liaison = make_person(sw.root, sw.building_a, "分包领导", political_status="party_member")
    orgs.add_membership(sw.root, person=liaison, body=sw.rc, role=Role.STREET_LIAISON_LEADER,
                        start_on=datetime.date(2020, 1, 1))
    when = datetime.datetime.combine(day, datetime.time(9), tzinfo=ZoneInfo("Asia/Shanghai"))
    meeting = meetings.create_meeting(staff, kind="evaluation_meeting", body=sw.party_org, title=title,
                                      scheduled_at=when, expected=[p.pk for p in people])
    meetings.approve_participants(staff, meeting)
    for role, person in zip(meetings.EVALUATION_REPORT_ROLES, people, strict=False):
        meetings.add_duty_report(staff, meeting, role=role, person=person, work_completed="完成年度目标",
                                 performance="履职尽责", next_steps="明年打算")
    meetings.publish_notice(staff, meeting, published_at=when - datetime.timedelta(days=3))
    meetings.hold(staff, meeting, held_at=when, present=[p.pk for p in people[:present]], chair=liaison)
    return Meeting.objects.get(pk=meeting.pk), people, day


# One full answer sheet of an evaluation ballot (R-EVAL-03: the overall work, four bodies and four heads).
FULL_EVALUATION_BALLOT = {
    "overall": "satisfied", "body:community_party_org": "satisfied", "body:residents_committee": "dissatisfied",
    "body:community_workstation": "basically_satisfied", "body:comprehensive_governance_office": "satisfied",
    "head:community_party_secretary": "excellent", "head:rc_director": "competent",
    "head:workstation_head": "basically_competent", "head:cgo_director": "incompetent"}
