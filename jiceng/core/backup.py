"""Backups a street office can restore (issue #7 point 4): the database and the files of the data dir's media/
(attachments, documents), with a manifest of checksums, so that a damaged or partial backup is refused before
anything is written.

PostgreSQL goes through `pg_dump --format=custom` and `pg_restore --single-transaction`; SQLite through its online
backup API. A restore only ever writes into an empty database and an empty media directory: it never merges
into, or overwrites, live data. `jiceng verify` then proves the audit chains and archive records came back intact.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_FILE = "media.tar.gz"
DUMP_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """Why a backup or restore was refused; nothing has been written when it is raised."""


@dataclass
class Summary:
    engine: str
    audit_events: int
    archive_records: int
    media_files: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGHOST": db.get("HOST") or "", "PGPORT": str(db.get("PORT") or ""),
           "PGUSER": db.get("USER") or ""}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {done.stderr.strip()[-500:]}")


def _counts() -> tuple[int, int]:
    from jiceng.archives.models import Record
    from jiceng.audit.models import AuditEvent

    return AuditEvent.objects.count(), Record.objects.count()


def _applied_migrations() -> list[list[str]]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted([app, name] for app, name in loader.applied_migrations)


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def create(target: Path) -> Summary:
    """Write a backup into `target`, a new or empty directory."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; back up into a new directory")
    target.mkdir(parents=True, exist_ok=True)
    engine = connection.vendor
    if engine not in DUMP_FILES:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {engine}")
    dump = target / DUMP_FILES[engine]
    audit_events, archive_records = _counts()
    if engine == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump)])
    else:
        connection.ensure_connection()
        copy = sqlite3.connect(dump)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    media_files = 0
    with tarfile.open(target / MEDIA_FILE, "w:gz") as tar:
        root = _media_root()
        if root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                tar.add(path, arcname=str(path.relative_to(root)))
                media_files += 1
    manifest = {
        "format": FORMAT, "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "engine": engine, "database_file": dump.name, "media_file": MEDIA_FILE,
        "sha256": {dump.name: _sha256(dump), MEDIA_FILE: _sha256(target / MEDIA_FILE)},
        "migrations": _applied_migrations(),
        "counts": {"audit_events": audit_events, "archive_records": archive_records, "media_files": media_files},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return Summary(engine, audit_events, archive_records, media_files)


def read_manifest(source: Path) -> dict:
    """The manifest, once every file it names matches its checksum and this code knows its migrations."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} has no readable {MANIFEST}: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for name, expected in manifest["sha256"].items():
        path = source / name
        if not path.is_file() or _sha256(path) != expected:
            raise BackupError(f"{name} is missing or does not match the checksum in the manifest; the backup is "
                              "damaged")
    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in loader.disk_migrations]
    if unknown:
        raise BackupError("the backup was taken by a newer version of Jiceng (unknown migrations: "
                          f"{', '.join(unknown[:5])}); install that version to restore it")
    return manifest


def _require_empty_target(engine: str) -> None:
    if connection.vendor != engine:
        raise BackupError(f"the backup is of a {engine} database but DATABASE_URL points at {connection.vendor}")
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(f"the target database already has {len(tables)} tables; restore only into an empty "
                          "database (createdb a new one, or a new SQLite path)")
    root = _media_root()
    if root.is_dir() and any(root.iterdir()):
        raise BackupError(f"{root} is not empty; restore into a data dir without media files")


def restore(source: Path) -> dict:
    """Restore the backup in `source` into the (empty) configured database and media directory."""
    manifest = read_manifest(source)
    engine = manifest["engine"]
    _require_empty_target(engine)
    dump = source / manifest["database_file"]
    with tarfile.open(source / manifest["media_file"]) as tar:  # read fully before touching the database
        members = tar.getmembers()
    if engine == "postgresql":
        _run(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
              "--dbname", connection.settings_dict["NAME"], str(dump)])
    else:
        path = Path(connection.settings_dict["NAME"])
        connection.close()
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        shutil.copyfile(dump, path)
    root = _media_root()
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / manifest["media_file"]) as tar:
        tar.extractall(root, members=members, filter="data")
    connection.close()
    return manifest
