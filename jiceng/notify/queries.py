"""Reading a user's inbox, for the web page, the API and the unread badge."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Notification

PAGE_SIZE = 30
BADGE_CAP = 100  # the badge shows "99+" beyond this, so counting never reads more rows


def parse_cursor(after: str) -> tuple[str, int | None]:
    """("unread" | "read", last id shown) from a cursor: "u123" / "r45", or "r" for the read ones from the
    top; ("unread", None) for the first page. Raises ValueError for anything else."""
    if not after:
        return "unread", None
    phase, digits = after[:1], after[1:]
    if phase not in {"u", "r"} or (digits and not (digits.isdigit() and len(digits) <= 18)):
        raise ValueError(f"not an inbox cursor: {after!r}")
    return ("unread" if phase == "u" else "read"), (int(digits) if digits else None)


def inbox(user, *, after: str = "", limit: int = PAGE_SIZE) -> tuple[list[Notification], str | None]:
    """One page of `user`'s notifications, unread first, newest first within each; and the next cursor.

    Keyset pages (a cursor names the phase and the last id shown): at most two indexed queries per page,
    however long the inbox. Raises ValueError for a malformed cursor."""
    phase, last = parse_cursor(after)
    mine = Notification.objects.visible_to(user)
    rows: list[Notification] = []
    if phase == "unread":
        unread = mine.filter(read_at__isnull=True)
        if last is not None:
            unread = unread.filter(pk__lt=last)
        rows = list(unread.order_by("-pk")[: limit + 1])
        if len(rows) > limit:
            return rows[:limit], f"u{rows[limit - 1].pk}"
        last = None
    read = mine.filter(read_at__isnull=False)
    if last is not None:
        read = read.filter(pk__lt=last)
    room = limit - len(rows)
    more = list(read.order_by("-pk")[: room + 1])
    if len(more) > room:
        # A page that ends exactly where the unread ones end continues with the read ones from the top.
        return rows + more[:room], (f"r{more[room - 1].pk}" if room else "r")
    return rows + more, None


@dataclass(frozen=True)
class UnreadBadge:
    count: int

    def __bool__(self) -> bool:
        return self.count > 0

    def __str__(self) -> str:
        return f"{BADGE_CAP - 1}+" if self.count >= BADGE_CAP else str(self.count)


def unread_badge(user) -> UnreadBadge:
    """How many unread notifications `user` has, counted up to BADGE_CAP: one query on a partial index."""
    if not getattr(user, "is_authenticated", False):
        return UnreadBadge(0)
    return UnreadBadge(Notification.objects.visible_to(user).unread()[:BADGE_CAP].count())
