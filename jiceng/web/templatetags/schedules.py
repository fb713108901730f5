"""The recurring-meeting obligations panel of a body's page (issue #3 point 6)."""

from __future__ import annotations

import datetime

from django import template

from jiceng.meetings import schedules

register = template.Library()


@register.simple_tag
def body_obligations(body, on: datetime.date | None = None) -> list[schedules.Obligation]:
    """`{% body_obligations body on as obligations %}`: what `body` owes in the periods containing `on`
    (empty for a body without recurring meetings). The view has already checked that the user sees `body`."""
    from jiceng.accounts import scope

    return schedules.obligations(body, on or scope.today())
