"""Database triggers that refuse UPDATE and DELETE on audit events, on SQLite and PostgreSQL.

Migration 0002 installs them. Both vendors raise an integrity error ("audit events are append-only"),
which Django surfaces as django.db.IntegrityError. TRUNCATE is left alone: it is what test teardown
on PostgreSQL uses, and whoever may truncate a table may also drop a trigger; `jiceng verify` catches
what either leaves behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured

TABLE = "audit_auditevent"
MESSAGE = "audit events are append-only"

_SQLITE_TRIGGERS = {
    f"{TABLE}_no_update": "UPDATE",
    f"{TABLE}_no_delete": "DELETE",
}
_PG_FUNCTION = f"{TABLE}_refuse_change"
_PG_TRIGGER = f"{TABLE}_append_only"


def _statements(vendor: str, *, installing: bool) -> list[str]:
    if vendor == "sqlite":
        if not installing:
            return [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS]
        return [
            f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {verb} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
            for name, verb in _SQLITE_TRIGGERS.items()
        ]
    if vendor == "postgresql":
        drop_trigger = f"DROP TRIGGER IF EXISTS {_PG_TRIGGER} ON {TABLE}"
        if not installing:
            return [drop_trigger, f"DROP FUNCTION IF EXISTS {_PG_FUNCTION}()"]
        return [
            f"CREATE OR REPLACE FUNCTION {_PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation'; END; $$",
            drop_trigger,
            f"CREATE TRIGGER {_PG_TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION {_PG_FUNCTION}()",
        ]
    # Fail the migration loudly rather than run with an audit log anyone can rewrite.
    raise ImproperlyConfigured(f"append-only audit triggers are not written for {vendor}")


def install(connection) -> None:
    """Create the triggers (again) on `connection`'s database; safe to repeat."""
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, installing=True):
            cursor.execute(sql)


def drop(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, installing=False):
            cursor.execute(sql)


def installed(connection) -> bool:
    """True when every trigger is present (and, on PostgreSQL, enabled)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
            return set(_SQLITE_TRIGGERS) <= {row[0] for row in cursor.fetchall()}
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgname = %s "
                "AND tgenabled <> 'D'",
                [TABLE, _PG_TRIGGER],
            )
            return cursor.fetchone() is not None
    return False


@contextmanager
def suspended(connection) -> Iterator[None]:
    """Lift the refusal for the block, then restore it: for tests that flush the table or play a forger.

    Inside a transaction (a test's, say) the triggers come back on rollback too, as both vendors
    run DDL transactionally."""
    drop(connection)
    try:
        yield
    finally:
        install(connection)
