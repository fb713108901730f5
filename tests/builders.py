"""Small builders for tests: each goes through the services, so tests see what users would create."""

from __future__ import annotations

import datetime
import itertools
import random

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
