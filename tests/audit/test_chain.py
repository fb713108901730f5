"""The audit log is append-only and hash-chained per street; `jiceng verify` finds every kind of forgery."""

from __future__ import annotations

import datetime
import io
import threading
import time
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from jiceng.audit import triggers
from jiceng.audit.chain import verify_chains
from jiceng.audit.models import GENESIS_HASH, AuditChain, AuditEvent
from jiceng.audit.services import chain_key_for, record_event
from jiceng.orgs.models import Area, Household

BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def make_area(code: str, level: str, parent: Area | None) -> Area:
    area = Area.objects.create(code=code, name=code, level=level, parent=parent, path="")
    area.path = f"{parent.path if parent else '/'}{area.pk}/"
    area.save()
    return area


def build_tree() -> SimpleNamespace:
    district = make_area("D1", Area.Level.DISTRICT, None)
    street = make_area("S1", Area.Level.STREET, district)
    other_street = make_area("S2", Area.Level.STREET, district)
    community = make_area("C1", Area.Level.COMMUNITY, street)
    grid = make_area("G1", Area.Level.GRID, community)
    building = make_area("B1", Area.Level.BUILDING, grid)
    return SimpleNamespace(district=district, street=street, other_street=other_street, community=community,
                           building=building, user=get_user_model().objects.create_user("clerk"))


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def three(tree):
    """Three events on the street chain of community C1."""
    return [record_event(tree.user, "tests.thing_done", tree.community, after={"step": n}) for n in (1, 2, 3)]


def forge(sql: str, params: list) -> None:
    with triggers.suspended(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify_command() -> tuple[bool, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify", stdout=out, stderr=err)
    except CommandError as exc:
        return False, err.getvalue() + str(exc)
    return True, out.getvalue()


# Intact chains


def test_three_events_form_an_intact_chain(tree, three):
    assert [e.seq for e in three] == [1, 2, 3]
    assert {e.chain for e in three} == {f"street:{tree.street.pk}"}
    assert three[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in three[1:]] == [e.hash for e in three[:2]]
    head = AuditChain.objects.get(key=f"street:{tree.street.pk}")
    assert (head.last_seq, head.last_hash) == (3, three[2].hash)
    assert verify_chains() == []
    ok, output = verify_command()
    assert ok, output
    assert "verified 3 audit events in 1 chains" in output


def test_stored_event_reads_back_with_the_hash_it_was_written_with(tree):
    event = record_event(
        tree.user, "tests.thing_done", tree.community,
        before={"名称": "长春路社区", "amount": Decimal("12.30"), "on": datetime.date(2026, 3, 1)},
        after={"big": 1e20, "huge": 1.7976931348623157e308, "tiny": 1e-7, "zero": -0.0, "ratio": 0.1,
               "at": datetime.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC),
               "list": [1, "二", None]},
        occurred_at=datetime.datetime(2026, 3, 1, 17, 0, tzinfo=BEIJING),
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.before == event.before
    assert stored.after == event.after
    assert stored.before["amount"] == "12.30"
    assert stored.compute_hash() == stored.hash == event.hash
    assert verify_chains() == []


def test_the_hash_covers_every_stored_field_but_id_and_hash(three):
    stored = {f.name for f in AuditEvent._meta.concrete_fields} - {"id", "hash"}
    assert set(three[0].hashed_content()) == stored


def test_events_on_two_streets_form_two_chains(tree):
    first = record_event(tree.user, "tests.thing_done", tree.building)
    second = record_event(tree.user, "tests.thing_done", tree.other_street)
    assert (first.chain, first.seq) == (f"street:{tree.street.pk}", 1)
    assert (second.chain, second.seq) == (f"street:{tree.other_street.pk}", 1)
    assert first.prev_hash == second.prev_hash == GENESIS_HASH
    assert verify_chains() == []
    assert "in 2 chains" in verify_command()[1]


def test_chain_keys_by_level(tree):
    assert chain_key_for(tree.building) == f"street:{tree.street.pk}"
    assert chain_key_for(tree.street) == f"street:{tree.street.pk}"
    assert chain_key_for(tree.district) == f"area:{tree.district.pk}"
    assert chain_key_for(None) == "system"


def test_area_comes_from_the_object(tree):
    household = Household.objects.create(number="H-1", area=tree.building)
    event = record_event(tree.user, "tests.household_seen", household)
    assert event.area == tree.building
    assert event.chain == f"street:{tree.street.pk}"
    assert (event.object_type, event.object_id, event.object_repr) == (
        "orgs.household", str(household.pk), "H-1")
    assert record_event(None, "tests.tick").chain == "system"


def test_event_rolled_back_with_its_transaction_leaves_no_trace(tree):
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(tree.user, "tests.thing_done", tree.community)
        raise RuntimeError("the change it recorded failed")
    assert not AuditEvent.objects.exists()
    assert record_event(tree.user, "tests.thing_done", tree.community).seq == 1


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"after": ["not", "a", "dict"]}, TypeError),
    ({"after": {"x": float("nan")}}, ValueError),
    ({"occurred_at": datetime.datetime(2026, 1, 1, 8, 0)}, ValueError),
])
def test_record_event_refuses_malformed_input(tree, kwargs, error):
    with pytest.raises(error):
        record_event(tree.user, "tests.thing_done", tree.community, **kwargs)
    assert not AuditEvent.objects.exists()


def test_an_actor_with_events_cannot_be_deleted(three, tree):
    with pytest.raises(ProtectedError):
        tree.user.delete()


# The database refuses changes


def test_update_is_refused_by_the_database(three):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=three[1].pk).update(after={"step": 99})
    three[1].after = {"step": 99}
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        three[1].save()
    assert AuditEvent.objects.get(pk=three[1].pk).after == {"step": 2}


def test_delete_is_refused_by_the_database(three):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=three[1].pk).delete()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        three[2].delete()
    assert AuditEvent.objects.count() == 3


def test_verify_fails_while_the_triggers_are_missing(three):
    with triggers.suspended(connection):
        assert not triggers.installed(connection)
        ok, output = verify_command()
    assert not ok
    assert "triggers" in output
    assert triggers.installed(connection)
    assert verify_command()[0]


# Forgers


def test_changed_content_breaks_the_chain_at_that_event(tree, three):
    forge("UPDATE audit_auditevent SET after = %s WHERE id = %s", ['{"step": 20}', three[1].pk])
    [found] = verify_chains()
    assert (found.chain, found.seq, found.event_id, found.reason) == (
        f"street:{tree.street.pk}", 2, three[1].pk, "hash mismatch")
    ok, output = verify_command()
    assert not ok
    assert f"chain street:{tree.street.pk} broken at seq 2 (event {three[1].pk}): hash mismatch" in output


def test_changed_content_with_a_fresh_hash_breaks_the_next_link(three):
    forged = AuditEvent.objects.get(pk=three[1].pk)
    forged.after = {"step": 20}
    forge("UPDATE audit_auditevent SET after = %s, hash = %s WHERE id = %s",
          ['{"step": 20}', forged.compute_hash(), forged.pk])
    [found] = verify_chains()
    assert (found.seq, found.event_id) == (3, three[2].pk)
    assert "prev_hash" in found.reason


def test_inserted_event_with_a_wrong_prev_hash_is_caught(tree, three):
    forged = AuditEvent(chain=three[0].chain, seq=4, prev_hash="f" * 64, actor=tree.user, actor_name="clerk",
                        action="tests.thing_done", area=tree.community, occurred_at=three[2].occurred_at,
                        recorded_at=three[2].recorded_at)
    forged.hash = forged.compute_hash()  # a forger can hash; what he cannot is link to the real chain
    forged.save(force_insert=True)
    [found] = verify_chains()
    assert (found.seq, found.event_id) == (4, forged.pk)
    assert "prev_hash" in found.reason
    assert not verify_command()[0]


def test_appended_event_that_the_chain_head_does_not_count_is_caught(tree, three):
    forged = AuditEvent(chain=three[0].chain, seq=4, prev_hash=three[2].hash, action="tests.thing_done",
                        occurred_at=three[2].occurred_at, recorded_at=three[2].recorded_at)
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)
    [found] = verify_chains()
    assert (found.seq, found.event_id) == (4, forged.pk)
    assert "beyond the chain head" in found.reason


def test_deleted_middle_event_leaves_a_gap(three):
    forge("DELETE FROM audit_auditevent WHERE id = %s", [three[1].pk])
    [found] = verify_chains()
    assert (found.seq, found.event_id, found.reason) == (3, three[2].pk, "seq gap: expected seq 2")
    assert not verify_command()[0]


def test_deleted_last_event_is_caught_by_the_chain_head(three):
    forge("DELETE FROM audit_auditevent WHERE id = %s", [three[2].pk])
    [found] = verify_chains()
    assert (found.seq, found.event_id) == (2, three[1].pk)
    assert "later events are missing" in found.reason


def test_deleted_whole_chain_is_caught_by_the_chain_head(three):
    forge("DELETE FROM audit_auditevent", [])
    [found] = verify_chains()
    assert found.seq == 3
    assert "no events" in found.reason


def test_only_the_first_break_of_each_chain_is_reported(tree, three):
    other = [record_event(tree.user, "tests.thing_done", tree.other_street) for _ in range(2)]
    forge("UPDATE audit_auditevent SET action = %s WHERE id IN (%s, %s, %s)",
          ["tests.forged", three[0].pk, three[2].pk, other[1].pk])
    found = sorted((b.chain, b.seq) for b in verify_chains())
    assert found == sorted([(three[0].chain, 1), (other[0].chain, 2)])


# Concurrent writers


@pytest.fixture
def committed_tree(transactional_db):
    yield build_tree()
    # SQLite empties tables with DELETE at teardown, which the triggers refuse.
    with triggers.suspended(connection):
        AuditEvent.objects.all().delete()


def run_in_threads(*targets) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(target):
        try:
            target()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_to_one_chain_get_consecutive_seqs(committed_tree):
    start = threading.Barrier(4)

    def append(n: int):
        def body():
            start.wait(timeout=30)
            for i in range(5):
                record_event(None, "tests.appended", committed_tree.community, after={"writer": n, "i": i})
        return body

    assert run_in_threads(*(append(n) for n in range(4))) == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 21))
    assert verify_chains() == []


@pytest.mark.django_db(transaction=True)
def test_second_creator_of_a_chain_head_waits_and_appends_after_the_first(committed_tree):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers at BEGIN IMMEDIATE; the race needs row-level concurrency")
    first_inserted, second_waiting = threading.Event(), threading.Event()
    results = {}

    def first():
        with transaction.atomic():
            results["first"] = record_event(None, "tests.first", committed_tree.community)
            first_inserted.set()
            assert second_waiting.wait(timeout=30)

    def second():
        assert first_inserted.wait(timeout=30)
        # The head row is not committed yet: this read finds nothing and the insert queues on the index.
        results["second"] = record_event(None, "tests.second", committed_tree.community)

    def watch():
        deadline = time.monotonic() + 30
        with connection.cursor() as cursor:
            while time.monotonic() < deadline and not second_waiting.is_set():
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                               "AND wait_event_type = 'Lock'")
                if cursor.fetchone()[0]:
                    second_waiting.set()
                time.sleep(0.01)

    assert run_in_threads(first, second, watch) == []
    assert (results["first"].seq, results["second"].seq) == (1, 2)
    assert results["second"].prev_hash == results["first"].hash
    assert verify_chains() == []
