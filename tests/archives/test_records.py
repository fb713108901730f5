"""Archive records are append-only (R-ARCH-02): the database refuses changes, `jiceng verify` finds tampering."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jiceng.archives import services
from jiceng.archives.models import Dossier, Record
from jiceng.audit import triggers


@pytest.fixture
def record(world):
    dossier = services.yearly_dossier(world.a, Dossier.Series.PARTY_DISCLOSURE, 2026)
    assert dossier.title == "长春路社区党务公开档案（2026年）"
    return services.file_record(world.root, dossier, kind="test.filed", title="公开内容", data={"text": "原文"},
                                source=world.a, occurred_at=timezone.now())


def test_records_are_numbered_and_hashed(world, record):
    second = services.file_record(world.root, record.dossier, kind="test.filed", title="第二件", data={"b": 1, "a": 2},
                                  source=world.a, occurred_at=timezone.now())
    assert (record.sequence, second.sequence) == (1, 2)
    assert second.content == '{"a":2,"b":1}' and second.sha256 == services.digest(second.content)
    assert list(services.records_of(world.a)) == [record, second]


def test_the_database_refuses_to_change_or_delete_a_record(record):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Record.objects.filter(pk=record.pk).update(content="改写")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Record.objects.filter(pk=record.pk).delete()


def test_verify_reports_an_altered_record(record, capsys):
    call_command("verify")
    with triggers.suspended(connection):
        Record.objects.filter(pk=record.pk).update(content='{"text":"篡改"}')
    with pytest.raises(CommandError, match="1 altered archive record"):
        call_command("verify")
    assert f"archive record {record.pk}" in capsys.readouterr().err
