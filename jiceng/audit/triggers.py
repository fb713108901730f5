"""Database triggers that refuse UPDATE and DELETE on append-only tables, on SQLite and PostgreSQL.

Two tables are append-only: audit events (installed by audit migration 0002) and archive records (archives
migration 0002, R-ARCH-02). Both vendors raise an integrity error ("… append-only"), which Django surfaces as
django.db.IntegrityError. TRUNCATE is left alone: it is what test teardown on PostgreSQL uses, and whoever may
truncate a table may also drop a trigger; `jiceng verify` catches what either leaves behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured

TABLE = "audit_auditevent"
ARCHIVE_TABLE = "archives_record"
MESSAGES = {TABLE: "audit events are append-only", ARCHIVE_TABLE: "archive records are append-only"}
APPEND_ONLY = tuple(MESSAGES)


def _sqlite_triggers(table: str) -> dict[str, str]:
    return {f"{table}_no_update": "UPDATE", f"{table}_no_delete": "DELETE"}


def _pg_names(table: str) -> tuple[str, str]:
    return f"{table}_refuse_change", f"{table}_append_only"


def _statements(vendor: str, table: str, *, installing: bool) -> list[str]:
    message = MESSAGES[table]
    if vendor == "sqlite":
        if not installing:
            return [f"DROP TRIGGER IF EXISTS {name}" for name in _sqlite_triggers(table)]
        return [
            f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END;"
            for name, verb in _sqlite_triggers(table).items()
        ]
    if vendor == "postgresql":
        function, trigger = _pg_names(table)
        drop_trigger = f"DROP TRIGGER IF EXISTS {trigger} ON {table}"
        if not installing:
            return [drop_trigger, f"DROP FUNCTION IF EXISTS {function}()"]
        return [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation'; END; $$",
            drop_trigger,
            f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        ]
    # Fail the migration loudly rather than run with an audit log anyone can rewrite.
    raise ImproperlyConfigured(f"append-only triggers are not written for {vendor}")


def install(connection, tables: Iterable[str] = APPEND_ONLY) -> None:
    """Create the triggers (again) on `connection`'s database; safe to repeat."""
    with connection.cursor() as cursor:
        for table in tables:
            for sql in _statements(connection.vendor, table, installing=True):
                cursor.execute(sql)


def drop(connection, tables: Iterable[str] = APPEND_ONLY) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            for sql in _statements(connection.vendor, table, installing=False):
                cursor.execute(sql)


def installed(connection, tables: Iterable[str] = APPEND_ONLY) -> bool:
    """True when every trigger is present (and, on PostgreSQL, enabled)."""
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
                if not set(_sqlite_triggers(table)) <= {row[0] for row in cursor.fetchall()}:
                    return False
            elif connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgname = %s "
                    "AND tgenabled <> 'D'",
                    [table, _pg_names(table)[1]],
                )
                if cursor.fetchone() is None:
                    return False
            else:
                return False
    return True


@contextmanager
def suspended(connection) -> Iterator[None]:
    """Lift the refusal for the block, then restore it: for tests that flush the tables or play a forger.

    Inside a transaction (a test's, say) the triggers come back on rollback too, as both vendors
    run DDL transactionally."""
    drop(connection)
    try:
        yield
    finally:
        install(connection)
