"""The decisions world plus a district organisation department with one member who may decide cases."""

from __future__ import annotations

import pytest

from jiceng.orgs.models import Body, Role
from tests import builders
from tests.decisions.conftest import dec_world, disc_world  # noqa: F401  (shared fixtures)


@pytest.fixture
def acc_world(dec_world):  # noqa: F811
    w = dec_world
    department = builders.make_body(w.root, Body.Kind.DISTRICT_ORGANIZATION_DEPARTMENT, w.district, "区委组织部")
    (officer,) = builders.make_members(w.root, department, [Role.MEMBER], w.building_b)
    w.decider = builders.make_user(w.root, "zuzhibu", "viewer", w.district, person=officer)
    return w
