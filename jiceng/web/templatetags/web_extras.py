"""Small template filters of the staff UI."""

from __future__ import annotations

import datetime

from django import template

register = template.Library()


@register.filter
def minutes(value: datetime.timedelta | None) -> int | str:
    """Whole minutes of a duration (the lockout cool-off), or "" when there is none."""
    if not isinstance(value, datetime.timedelta):
        return ""
    return int(value.total_seconds() // 60)
