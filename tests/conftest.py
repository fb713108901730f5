from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection

from jiceng.audit import triggers
from jiceng.orgs.models import Area

from . import builders


def _marker_kwargs(request) -> dict | None:
    marker = request.node.get_closest_marker("django_db")
    return None if marker is None else marker.kwargs


@pytest.fixture(autouse=True)
def _append_only_audit_across_flushes(request, django_db_blocker):
    """A transactional test ends with a flush, which on SQLite is a DELETE that the append-only audit
    triggers refuse. Lift them just for that flush, and make sure every test that touches the database
    starts with them in place."""
    marker = _marker_kwargs(request)
    names = set(request.fixturenames)
    transactional = bool({"transactional_db", "live_server"} & names) or bool(marker and marker.get("transaction"))
    if not (transactional or marker is not None or "db" in names):
        yield
        return
    if transactional:
        request.getfixturevalue("transactional_db")  # set up first, so our teardown runs before its flush
    with django_db_blocker.unblock():
        if not triggers.installed(connection):
            triggers.install(connection)
    yield
    if transactional and connection.vendor == "sqlite":
        with django_db_blocker.unblock():
            triggers.drop(connection)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached pages and stamps are keyed by row ids, which a later test
    may reuse."""
    yield
    cache.clear()


@pytest.fixture
def root(db):
    return builders.superuser()


@pytest.fixture
def world(root):
    """One district and street with communities A and B, a worker in each, and residents."""
    district = builders.make_area(root, "涧西区", Area.Level.DISTRICT, None)
    street = builders.make_area(root, "天津路街道", Area.Level.STREET, district)
    a = builders.make_area(root, "长春路社区", Area.Level.COMMUNITY, street)
    b = builders.make_area(root, "青岛路社区", Area.Level.COMMUNITY, street)
    grid_a = builders.make_area(root, "第一网格", Area.Level.GRID, a)
    building_a = builders.make_area(root, "1号楼", Area.Level.BUILDING, grid_a)
    grid_b = builders.make_area(root, "第一网格", Area.Level.GRID, b)
    building_b = builders.make_area(root, "8号楼", Area.Level.BUILDING, grid_b)
    zhang = builders.make_person(root, building_a, "张三", phone="13812341234", unit="2", room="301")
    li = builders.make_person(root, building_b, "李四", gender="female", phone="13956785678", unit="1", room="101")
    worker_a = builders.make_user(root, "worker_a", "community_worker", a)
    worker_b = builders.make_user(root, "worker_b", "community_worker", b)
    street_admin = builders.make_user(root, "street_admin", "street_admin", street)
    return SimpleNamespace(
        root=root, district=district, street=street, a=a, b=b, grid_a=grid_a, grid_b=grid_b,
        building_a=building_a, building_b=building_b, zhang=zhang, li=li, worker_a=worker_a,
        worker_b=worker_b, street_admin=street_admin, today=datetime.date.today(),
    )


@pytest.fixture
def api(client):
    """`api(user).get(path)`: a client that sends a fresh bearer token for `user`."""
    from jiceng.accounts.services import issue_token

    class Caller:
        def __init__(self, user):
            self.headers = {"Authorization": f"Bearer {issue_token(user, user)}"}

        def get(self, path, **params):
            return client.get(path, params, headers=self.headers)

        def post(self, path, data=None):
            return client.post(path, data or {}, content_type="application/json", headers=self.headers)

        def patch(self, path, data=None):
            return client.patch(path, data or {}, content_type="application/json", headers=self.headers)

    return Caller


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every fixture creates logins; PBKDF2's deliberate slowness would dominate the suite's time. Production keeps
    Django's default hashers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Tasks run inside the test, as a worker would run them (STYLE §7). Tasks enqueued on commit run when a
    test commits or uses `django_capture_on_commit_callbacks(execute=True)`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
