"""The inbox page and the unread badge in the top bar."""

from __future__ import annotations

from jiceng.notify import services
from jiceng.notify.models import Notification
from jiceng.notify.queries import PAGE_SIZE


def login(client, user):
    client.force_login(user)
    return client


def test_inbox_shows_only_your_own_notifications(client, world):
    services.notify(recipients=[world.worker_a], title="给A的通知", body="A的内容")
    services.notify(recipients=[world.worker_b], title="给B的通知", body="B的内容")
    html = login(client, world.worker_a).get("/inbox/").content.decode()
    assert "给A的通知" in html and "A的内容" in html
    assert "给B的通知" not in html


def test_top_bar_counts_unread_notifications(client, world):
    services.notify(recipients=[world.worker_a], title="通知一", body="内容")
    services.notify(recipients=[world.worker_a], title="通知二", body="内容")
    response = login(client, world.worker_a).get("/help/")
    assert str(response.context["unread_notifications"]) == "2"
    assert 'title="未读消息">2</span>' in response.content.decode()


def test_mark_read_from_the_inbox(client, world):
    [row] = services.notify(recipients=[world.worker_a], title="通知", body="内容")
    response = login(client, world.worker_a).post(f"/inbox/{row.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_open_marks_read_and_follows_the_link(client, world):
    [row] = services.notify(recipients=[world.worker_a], title="通知", body="内容", link="/help/")
    response = login(client, world.worker_a).post(f"/inbox/{row.pk}/read/", {"open": "1"})
    assert response["Location"] == "/help/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_someone_elses_notification_is_a_404(client, world):
    [row] = services.notify(recipients=[world.worker_a], title="通知", body="内容")
    assert login(client, world.worker_b).post(f"/inbox/{row.pk}/read/").status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_all_read_from_the_inbox(client, world):
    services.notify(recipients=[world.worker_a], title="通知", body="内容")
    services.notify(recipients=[world.worker_b], title="通知", body="内容")
    login(client, world.worker_a).post("/inbox/read-all/")
    assert Notification.objects.unread().get().recipient == world.worker_b


def test_inbox_is_paged_with_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for i in range(PAGE_SIZE + 5):
        services.notify(recipients=[world.worker_a], title=f"通知{i}", body="内容")
    login(client, world.worker_a)
    with django_assert_max_num_queries(8):
        first = client.get("/inbox/")
    assert len(first.context["notifications"]) == PAGE_SIZE
    with django_assert_max_num_queries(8):
        second = client.get("/inbox/", {"after": first.context["next_after"]})
    assert len(second.context["notifications"]) == 5
    assert not {n.pk for n in first.context["notifications"]} & {n.pk for n in second.context["notifications"]}


def test_a_cursor_edited_by_hand_shows_the_first_page(client, world):
    services.notify(recipients=[world.worker_a], title="通知", body="内容")
    response = login(client, world.worker_a).get("/inbox/", {"after": "u1; drop table"})
    assert response.status_code == 200 and len(response.context["notifications"]) == 1


def test_inbox_needs_a_login(client, db):
    assert client.get("/inbox/").status_code == 302
