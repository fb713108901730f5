"""`jiceng backup` and `jiceng restore` (issue #7 point 4): a backup restores into an empty database and data dir
and `jiceng verify` passes there; a damaged backup or a non-empty target is refused before anything is written."""

import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from jiceng.archives.models import Record
from jiceng.audit.models import AuditEvent


def _target(tmp_path: Path, name: str):
    """A new empty database of the engine under test: (its DATABASE_URL, a cleanup function)."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / name}.sqlite3", lambda: None
    import psycopg
    from psycopg import sql

    db = connection.settings_dict
    database = f"jiceng_restore_{name}_{uuid.uuid4().hex[:8]}"
    server = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))

    def drop():
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))

    return f"{server}/{database}", drop


def _jiceng(*args: str, url: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "JICENG_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "jiceng.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def backed_up(transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    attachment = settings.MEDIA_ROOT / "disclosure" / "2026" / "附件.pdf"
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes(b"%PDF-1.4 the minutes")
    call_command("seed", communities=1, years=1, residents_per_community=20, no_scan=True, stdout=io.StringIO())
    out = io.StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=out)
    assert "1 media files" in out.getvalue()
    return tmp_path / "backup", AuditEvent.objects.count(), Record.objects.count()


def test_restore_onto_an_empty_database_then_verify_passes(backed_up, tmp_path):
    source, events, records = backed_up
    assert events > 0 and records > 0
    url, drop = _target(tmp_path, "fresh")
    try:
        done = _jiceng("restore", str(source), url=url, data_dir=tmp_path / "restored")
        assert done.returncode == 0, done.stderr
        assert f"{events} audit events" in done.stdout and f"{records} archive records" in done.stdout
        assert "intact" in done.stdout
        assert (tmp_path / "restored" / "media" / "disclosure" / "2026" / "附件.pdf").read_bytes() == \
            b"%PDF-1.4 the minutes"
        verified = _jiceng("verify", url=url, data_dir=tmp_path / "restored")
        assert verified.returncode == 0 and f"verified {events} audit events" in verified.stdout

        again = _jiceng("restore", str(source), url=url, data_dir=tmp_path / "restored")
        assert again.returncode != 0 and "already has" in again.stderr
    finally:
        drop()


def test_a_damaged_backup_is_refused_before_anything_is_written(backed_up, tmp_path):
    source, _, _ = backed_up
    media = source / "media.tar.gz"
    data = bytearray(media.read_bytes())
    data[-5] ^= 0xFF
    media.write_bytes(bytes(data))
    url, drop = _target(tmp_path, "damaged")
    try:
        done = _jiceng("restore", str(source), url=url, data_dir=tmp_path / "restored")
        assert done.returncode != 0 and "damaged" in done.stderr
        assert not (tmp_path / "restored" / "media").exists()
        listed = _jiceng("showmigrations", "--list", "audit", url=url, data_dir=tmp_path / "restored")
        assert "[X]" not in listed.stdout  # the target database is still empty
    finally:
        drop()


def test_backup_refuses_a_directory_that_is_not_empty(db, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")
    with pytest.raises(Exception, match="not empty"):
        call_command("backup", str(tmp_path / "old"))
