"""Health and readiness endpoints for load balancers (no login, no caching)."""

from unittest import mock

from django.db.migrations.executor import MigrationExecutor


def test_healthz_answers_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_database_migrations_and_cache(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "cache": "ok"}


def test_readyz_is_unavailable_with_pending_migrations(client, db):
    with mock.patch.object(MigrationExecutor, "migration_plan", return_value=[("x", False)]):
        response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["migrations"] == "1 pending"
