"""/api/v1/notifications: your own inbox, unread first, keyset pages; marking read."""

from __future__ import annotations

import pytest

from jiceng.notify import services
from jiceng.notify.models import Notification


def inbox_of(user, n: int, **kw) -> list[Notification]:
    return [services.notify(recipients=[user], title=f"通知{i}", body="内容", **kw)[0] for i in range(n)]


def test_list_shows_only_your_notifications_unread_first(api, world):
    old, new = inbox_of(world.worker_a, 2)
    services.mark_read(world.worker_a, new)
    inbox_of(world.worker_b, 1)
    data = api(world.worker_a).get("/api/v1/notifications").json()
    assert [item["id"] for item in data["items"]] == [old.pk, new.pk]
    assert data["items"][1]["read_at"] is not None
    assert data["unread"] == 1 and data["next_after"] is None


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 5, 6])
def test_list_pages_by_keyset_through_unread_then_read(api, world, limit):
    rows = inbox_of(world.worker_a, 5)
    for row in rows[:2]:
        services.mark_read(world.worker_a, row)
    caller = api(world.worker_a)
    seen, after = [], ""
    while True:
        data = caller.get("/api/v1/notifications", limit=limit, after=after).json()
        assert len(data["items"]) <= limit
        seen += [item["id"] for item in data["items"]]
        after = data["next_after"]
        if after is None:
            break
    unread, read = [r.pk for r in rows[2:]], [r.pk for r in rows[:2]]
    assert seen == sorted(unread, reverse=True) + sorted(read, reverse=True)


def test_malformed_cursor_is_a_400(api, world):
    response = api(world.worker_a).get("/api/v1/notifications", after="x1")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_mark_read(api, world):
    [row] = inbox_of(world.worker_a, 1)
    response = api(world.worker_a).post(f"/api/v1/notifications/{row.pk}/read")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    row.refresh_from_db()
    assert row.read_at is not None


def test_someone_elses_notification_is_a_404(api, world):
    [row] = inbox_of(world.worker_a, 1)
    response = api(world.worker_b).post(f"/api/v1/notifications/{row.pk}/read")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_all_read(api, world):
    inbox_of(world.worker_a, 3)
    inbox_of(world.worker_b, 1)
    assert api(world.worker_a).post("/api/v1/notifications/read-all").json() == {"marked": 3}
    assert Notification.objects.unread().get().recipient == world.worker_b


def test_notifications_need_a_login(client, db):
    assert client.get("/api/v1/notifications").status_code == 401
