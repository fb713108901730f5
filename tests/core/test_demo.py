"""`jiceng demo --no-serve` builds the believable street office the README promises."""

import datetime
import json

import pytest
from django.core.management import call_command

from jiceng.audit.chain import verify_chains
from jiceng.meetings.models import Meeting
from jiceng.orgs import idcard
from jiceng.orgs.models import Area, Body, Person
from jiceng.orgs.queries import drifted_party_orgs


@pytest.mark.django_db
def test_demo_builds_a_street_office_with_logins(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("demo", no_serve=True)

    communities = Area.objects.filter(level=Area.Level.COMMUNITY)
    assert communities.count() == 3
    forms = sorted(Body.objects.filter(kind=Body.Kind.COMMUNITY_PARTY_ORG).values_list("org_type", flat=True))
    assert forms == ["general_party_branch", "party_branch", "party_committee"]
    assert drifted_party_orgs(Body.objects.all(), datetime.date(2026, 11, 25)) == []
    assert 1400 <= Person.objects.count() <= 1600
    for number in Person.objects.values_list("id_number", flat=True)[:200]:
        idcard.parse(number)
    logins = json.loads((tmp_path / "demo-logins.json").read_text())
    assert {"username", "password", "role", "scope"} <= set(logins[0])
    assert logins[0]["username"] == "admin"
    assert len({login["role"] for login in logins}) >= 8
    assert Meeting.objects.filter(status=Meeting.Status.CLOSED).exists()
    assert Meeting.objects.filter(kind="evaluation_meeting", ballots__cast=True).exists()
    assert verify_chains() == []
