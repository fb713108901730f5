"""100 simultaneous writes against a multi-threaded server: every one lands exactly once (issue #2 §10)."""

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from jiceng.accounts.services import issue_token
from jiceng.audit.chain import verify_chains
from jiceng.audit.models import AuditEvent
from jiceng.orgs.models import Person
from tests import builders

WRITES = 100


class WideBacklogServer(ThreadedWSGIServer):
    # socketserver's default backlog of 5 makes the kernel reset connections that arrive together,
    # which would test the listener, not the database.
    request_queue_size = 256


class ServerThread(LiveServerThread):
    server_class = WideBacklogServer


@pytest.fixture
def threaded_server(transactional_db):
    """A multi-threaded WSGI server (a thread per request) on the test database."""
    thread = ServerThread("127.0.0.1", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.mark.django_db(transaction=True)
def test_100_concurrent_person_creations_all_land_once(world, threaded_server):
    token = issue_token(world.worker_a, world.worker_a)
    ids = [builders.valid_id() for _ in range(WRITES)]

    def create(i: int) -> int:
        body = json.dumps({"name": f"并发{i:03d}", "id_number": ids[i], "area": world.building_a.pk}).encode()
        request = urllib.request.Request(f"{threaded_server}/api/v1/people", data=body, method="POST",
                                         headers={"Authorization": f"Bearer {token}",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=WRITES) as pool:
        statuses = list(pool.map(create, range(WRITES)))

    assert statuses == [201] * WRITES
    created = Person.objects.filter(name__startswith="并发")
    assert created.count() == WRITES
    assert sorted(created.values_list("name", flat=True)) == [f"并发{i:03d}" for i in range(WRITES)]
    assert AuditEvent.objects.filter(action="orgs.person_created", object_repr__startswith="并发").count() == WRITES
    assert verify_chains() == []  # no two writers took the same place in the chain
