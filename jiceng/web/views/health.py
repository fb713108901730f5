"""Liveness and readiness for load balancers and process managers (issue #7 point 4).

/healthz answers as long as the process serves requests; /readyz also needs the database, the cache and every
migration applied, and says which one failed with 503 — a new process joins the pool only when it is ready."""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _migrations() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return "ok" if not pending else f"{len(pending)} pending"


def _cache() -> str:
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    ok = cache.get(key) == value
    cache.delete(key)
    return "ok" if ok else "cannot read back"


@require_GET
@never_cache
def readyz(request):
    checks = {}
    for name, probe in (("database", _database), ("migrations", _migrations), ("cache", _cache)):
        try:
            checks[name] = probe()
        except Exception as exc:  # noqa: BLE001  (any failure means not ready; the type names what failed)
            checks[name] = type(exc).__name__
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
