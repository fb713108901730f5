"""The 综治 world: the street 天津路街道 with its 综治 centre (a centre director and a centre staff member), the
综治办 of communities A (长春路社区) and B (青岛路社区), a mediator in A and one at the street, the community workers
of A and B (first receivers), and a read-only supervisor of A who may not see personal data."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from jiceng.orgs.models import Body
from jiceng.zongzhi import services
from jiceng.zongzhi.models import Post
from tests import builders

D = datetime.date


@pytest.fixture
def zz(world):
    w, root = world, world.root
    centre = builders.make_body(root, Body.Kind.STREET_ZZ_CENTER, w.street, "天津路街道综治信访维稳中心")
    office_a = builders.make_body(root, Body.Kind.COMPREHENSIVE_GOVERNANCE_OFFICE, w.a, "长春路社区综治办")
    office_b = builders.make_body(root, Body.Kind.COMPREHENSIVE_GOVERNANCE_OFFICE, w.b, "青岛路社区综治办")
    mediator_a = builders.make_person(root, w.building_a, "王调解")
    mediator_st = builders.make_person(root, w.building_b, "赵所长")
    director_p = builders.make_person(root, w.building_b, "钱主任")
    staff_p = builders.make_person(root, w.building_b, "孙干事")
    for person, area, kind in ((mediator_a, w.a, Post.Kind.MEDIATOR), (mediator_st, w.street, Post.Kind.MEDIATOR),
                               (mediator_st, w.street, Post.Kind.JUDICIAL_OFFICE_HEAD),
                               (director_p, w.street, Post.Kind.CENTER_DIRECTOR)):
        services.appoint(root, area=area, person=person, kind=kind, start_on=D(2020, 1, 1))
    director = builders.make_user(root, "zz_director", "street_staff", w.street, person=director_p)
    staff = builders.make_user(root, "zz_staff", "street_staff", w.street, person=staff_p)
    supervisor = builders.make_user(root, "supervisor_a", "supervision_member", w.a)
    return SimpleNamespace(**vars(w), centre=centre, office_a=office_a, office_b=office_b, mediator_a=mediator_a,
                           mediator_st=mediator_st, director=director, staff=staff, supervisor=supervisor)


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def register(w, *, actor=None, area=None, level="simple", category="neighbour", ago: float = 0, **kw):
    """A dispute registered `ago` days ago in community A by its worker (the first receiver)."""
    if level == "major":
        kw.setdefault("responsible_unit", "综治科")
        kw.setdefault("responsible_person", "钱主任")
        kw.setdefault("deadline", timezone.localdate(days_ago(ago)) + datetime.timedelta(days=20))
    return services.register_dispute(
        actor or w.worker_a, area=area or w.a, title=kw.pop("title", "楼上漏水纠纷"),
        facts="楼上卫生间漏水致楼下受损。",
        category=category, level=level,
        parties=kw.pop("parties", [{"name": "张三丰", "phone": "13812341234", "id_number": "410305198001011234",
                                    "side": "applicant", "address": "1号楼2单元301"},
                                   {"name": "李四", "side": "respondent"}]),
        occurred_at=days_ago(ago), **kw)


def mediate(w, dispute, *, ago: float = 0):
    services.assign(w.worker_a, dispute, mediator=w.mediator_a, unit="长春路社区调委会", requirements="十日内调结",
                    occurred_at=days_ago(ago))
    return services.record_session(w.worker_a, dispute, mediation_type="people", facts="漏水属实",
                                   parties="张三丰、李四",
                                   process="现场查看后调解", outcome="同意赔偿", held_at=days_ago(ago))
