"""Query discipline (issue #7 point 3): every list page and list endpoint runs the same number of queries when
the data doubles — a second street of communities with their people, meetings, boards, matters, findings and
dossiers — because lists are paginated and related rows come in batches, never one query per row."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiceng.orgs.models import Area
from tests import builders

PAGES = [
    "/", "/people/", "/meetings/", "/disclosure/", "/disclosure/feedback/", "/disclosure/obligations/",
    "/disclosure/status/", "/matters/", "/matters/board/", "/accountability/", "/accountability/findings/",
    "/accountability/cases/", "/archives/", "/party-orgs/drift/", "/obligations/overdue/", "/inbox/",
    "/api/v1/people?q=a", "/api/v1/meetings", "/api/v1/disclosures", "/api/v1/feedback", "/api/v1/matters",
    "/api/v1/dossiers", "/api/v1/findings", "/api/v1/cases", "/api/v1/areas", "/api/v1/bodies",
    "/api/v1/disclosure-obligations?community={community}", "/api/v1/disclosure-status?street={street}",
    "/api/v1/notifications", "/areas/{street}/", "/areas/{community}/", "/disclosure/status/?street={street}",
    "/accountability/?area={street}", "/gongkai/{community}/", "/gongkai/{community}/party/",
    "/gongkai/{community}/residents/",
]


def _seed(**kw) -> None:
    call_command("seed", communities=2, years=1, residents_per_community=20, stdout=io.StringIO(), **kw)


def _counts(client, ids: dict) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        url = page.format(**ids)
        cache.clear()  # public pages are cached whole: count what rendering them costs
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[page] = len(queries)
    return counts


@pytest.fixture
def staff_client(client, db):
    client.force_login(builders.superuser())
    return client


def test_list_pages_cost_the_same_when_the_data_doubles(staff_client):
    _seed()
    district = Area.objects.get(level=Area.Level.DISTRICT)
    first = Area.objects.filter(level=Area.Level.COMMUNITY).order_by("pk").first()
    ids = {"community": first.pk, "street": first.parent_id}
    small = _counts(staff_client, ids)
    _seed(district=district.code, seed=8)
    assert Area.objects.filter(level=Area.Level.COMMUNITY).count() == 4
    large = _counts(staff_client, ids)
    grew = {url: (small[url], large[url]) for url in PAGES if large[url] != small[url]}
    assert grew == {}
