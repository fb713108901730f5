"""Community A with an archivist (and a successor), the street's office director and a party working committee
member (each with a login), and a yearly dossier of A with two records."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from jiceng.archives import services
from jiceng.archives.models import Dossier
from jiceng.orgs import services as orgs
from jiceng.orgs.models import Body, Role
from tests import builders

START = datetime.date(2020, 1, 1)


@pytest.fixture
def arc(world):
    root = world.root
    rc = builders.make_body(root, Body.Kind.RESIDENTS_COMMITTEE, world.a, "长春路社区居委会")
    archivist = builders.make_person(root, world.building_a, "赵档案")
    successor = builders.make_person(root, world.building_a, "钱接任")
    post = orgs.add_membership(root, person=archivist, body=rc, role=Role.ARCHIVIST, start_on=START)
    orgs.add_membership(root, person=successor, body=rc, role=Role.COMMUNITY_WORKER, start_on=START)
    office = builders.make_body(root, Body.Kind.STREET_OFFICE, world.street, "天津路街道办事处")
    pwc = builders.make_body(root, Body.Kind.PARTY_WORKING_COMMITTEE, world.street, "天津路街道党工委")
    director = builders.make_person(root, world.building_a, "孙主任")
    orgs.add_membership(root, person=director, body=office, role=Role.STREET_OFFICE_DIRECTOR, start_on=START)
    pwc_member = builders.make_person(root, world.building_a, "周委员")
    orgs.add_membership(root, person=pwc_member, body=pwc, role=Role.PWC_MEMBER, start_on=START)
    users = SimpleNamespace(
        archivist=builders.make_user(root, "dangan", "community_worker", world.a, person=archivist),
        director=builders.make_user(root, "zhuren_jd", "street_staff", world.street, person=director),
        pwc_member=builders.make_user(root, "weiyuan", "street_staff", world.street, person=pwc_member),
    )
    dossier = services.yearly_dossier(world.a, Dossier.Series.RESIDENTS_DISCLOSURE, 2026)
    for title, data in (("第一件", {"title": "收支公开", "body": "收入100元"}), ("第二件", {"amount": "12.50"})):
        services.file_record(world.worker_a, dossier, kind="test.filed", title=title, data=data, source=world.a,
                             occurred_at=timezone.now())
    return SimpleNamespace(**vars(world), rc=rc, archivist=archivist, successor=successor, post=post, office=office,
                           pwc=pwc, director=director, pwc_member=pwc_member, u=users, dossier=dossier)
