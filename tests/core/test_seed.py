"""`jiceng seed`: bulk data that still passes the checks the services guarantee (issue #7 point 1)."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from jiceng.accountability.models import Finding
from jiceng.accountability.scan import run_scan
from jiceng.archives.models import Record
from jiceng.archives.services import broken_records
from jiceng.audit.chain import verify_chains
from jiceng.audit.models import AuditEvent
from jiceng.decisions.models import Matter, StepRecord
from jiceng.disclosure.models import DisclosureItem, Feedback
from jiceng.meetings.models import AgendaItem, Meeting
from jiceng.orgs import idcard
from jiceng.orgs.models import Area, Body, Household, Person
from jiceng.orgs.queries import drifted_party_orgs
from jiceng.orgs.search import search_keys


@pytest.fixture
def seeded(db):
    out = io.StringIO()
    call_command("seed", communities=2, years=1, residents_per_community=30, no_scan=True, stdout=out)
    return out.getvalue()


def test_seed_fills_every_table_with_consistent_rows(seeded):
    assert "orgs.Person" in seeded and "seconds" in seeded
    assert Area.objects.filter(level=Area.Level.COMMUNITY).count() == 2
    assert Area.objects.filter(level=Area.Level.BUILDING).count() == 2 * 16
    for area in Area.objects.exclude(parent=None).select_related("parent"):
        assert area.path == f"{area.parent.path}{area.pk}/"
    assert Person.objects.count() == 60
    assert Household.objects.count() >= 60 // 4
    for person in Person.objects.all():
        parsed = idcard.parse(person.id_number)
        assert (person.birth_date, person.gender, person.id_tail) == (parsed.birth_date, parsed.gender, parsed.tail)
        assert (person.name_pinyin, person.name_initials) == search_keys(person.name)
    assert Body.objects.filter(kind=Body.Kind.COMMUNITY_PARTY_ORG).count() == 2
    assert drifted_party_orgs(Body.objects.all(), timezone.localdate()) == []
    assert Meeting.objects.filter(kind="party_org_committee_meeting").count() >= 2 * 11
    for item in AgendaItem.objects.exclude(yes=None).select_related("meeting"):
        assert item.yes + item.no + item.abstain == item.basis["present"]
        assert (item.status == "passed") == (item.yes * 2 > item.basis["present"])
    assert DisclosureItem.objects.filter(status="published").count() > 2 * 12
    assert Matter.objects.count() == 6 and StepRecord.objects.count() >= 6
    assert Feedback.objects.filter(status="open", due_on__lt=timezone.localdate()).exists()
    assert Record.objects.count() > 0
    assert AuditEvent.objects.filter(action="seed.loaded").count() == 1
    assert verify_chains() == []
    assert list(broken_records()) == []


def test_seeded_boards_are_public_and_the_scan_finds_gaps(seeded, client):
    community = Area.objects.filter(level=Area.Level.COMMUNITY).first()
    response = client.get(f"/api/v1/public/communities/{community.pk}/boards/party")
    assert response.status_code == 200
    assert len(response.json()["items"]) >= 10
    counts = run_scan(None, timezone.now())
    assert counts.get("opened", 0) > 0
    assert Finding.objects.filter(check_name="disclosure.feedback_unanswered").exists()


def test_a_second_run_adds_a_street_with_fresh_id_numbers(seeded):
    district = Area.objects.get(level=Area.Level.DISTRICT)
    call_command("seed", communities=1, years=1, residents_per_community=20, district=district.code, no_scan=True,
                 stdout=io.StringIO())
    assert Area.objects.filter(level=Area.Level.STREET, parent=district).count() == 2
    assert Person.objects.count() == 80
    assert Person.objects.values("id_number").distinct().count() == 80
    assert verify_chains() == []
