"""Horizontal scale (issue #7 point 5): two app processes on different ports, one PostgreSQL database and one
Redis, serve the same state — a ballot cast through either is counted by both, and a withdrawal made through one
leaves the public board of the other at once, though both had the board cached."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager

import pytest
from django.db import connection

from jiceng.accounts.services import issue_token
from jiceng.meetings import ballots
from tests import builders
from tests.disclosure.conftest import disc_world, published_party  # noqa: F401  (fixture)
from tests.meetings.conftest import street_world  # noqa: F401  (fixture)

REDIS_URL = "redis://127.0.0.1:6379/13"


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


needs_shared_services = pytest.mark.skipif(
    connection.vendor != "postgresql" or not _redis_up(),
    reason="two processes need one PostgreSQL database and Redis (CI's PostgreSQL run has both)")
pytestmark = [pytest.mark.django_db(transaction=True), needs_shared_services]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_process():
    """A Jiceng web process on its own port against the test database and the shared Redis."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "JICENG_CACHE_URL": REDIS_URL, "JICENG_DEBUG": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "jiceng.cli", "runserver", f"127.0.0.1:{port}", "--noreload"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=2):
                    break
            except (OSError, urllib.error.HTTPError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"app process did not start: {proc.stderr.read()[-2000:]}") from None
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _call(base: str, path: str, *, body: dict | None = None, token: str = "") -> tuple[int, str]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def two_apps():
    with ExitStack() as stack:
        yield stack.enter_context(app_process()), stack.enter_context(app_process())


def test_a_ballot_cast_through_one_process_is_counted_by_the_other(street_world, two_apps):  # noqa: F811
    meeting, _, _ = builders.held_evaluation_meeting(street_world, evaluators=52, present=50)
    codes = ballots.issue_ballots(street_world.street_staff, meeting)
    answers = {line.key: line.choices[0].value for line in ballots.ballot_lines(meeting)}
    other = {line.key: line.choices[1].value for line in ballots.ballot_lines(meeting)}
    token = issue_token(street_world.street_staff, street_world.street_staff)
    one, two = two_apps

    status, _ = _call(one, f"/api/v1/ballots/{codes[0]}", body={"answers": answers})
    assert status == 200
    status, text = _call(two, f"/api/v1/meetings/{meeting.pk}/results", token=token)
    assert status == 200 and json.loads(text)["cast"] == 1

    status, _ = _call(two, f"/api/v1/ballots/{codes[1]}", body={"answers": answers})
    assert status == 200
    status, text = _call(two, f"/api/v1/ballots/{codes[0]}", body={"answers": other})
    assert status == 409 and "ballot_already_cast" in text  # cast through the first process
    status, text = _call(one, f"/api/v1/meetings/{meeting.pk}/results", token=token)
    assert json.loads(text)["cast"] == 2


def test_a_withdrawal_through_one_process_leaves_the_cached_board_of_the_other(disc_world, two_apps):  # noqa: F811
    item = published_party(disc_world, title="2026年10月党费收缴情况（双进程）")
    token = issue_token(disc_world.u.officer, disc_world.u.officer)
    one, two = two_apps
    board = f"/gongkai/{disc_world.a.pk}/party/"
    for base in (one, two, one, two):  # both render it, then both serve it from the cache
        status, page = _call(base, board)
        assert status == 200 and item.title in page

    status, text = _call(one, f"/api/v1/disclosures/{item.pk}/withdraw", body={"reason": "数据有误，核对后重新公开"},
                         token=token)
    assert status == 200, text
    for base in (two, one):
        status, page = _call(base, board)
        assert status == 200 and item.title not in page
