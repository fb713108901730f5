"""Who may see and do what, where: the one way every query and permission check learns a user's scope.

A role assignment on an area covers that area and everything below it (ARCHITECTURE §5). Scope is
computed once per user object and day and kept on it, so a request pays one query for it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from .roles import PERMISSIONS, Perm


@dataclass(frozen=True)
class Grant:
    path: str
    role: str
    perms: frozenset[str]
    area_id: int


def today() -> datetime.date:
    return timezone.localdate()


def grants(user, on: datetime.date | None = None) -> list[Grant]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    on = on or today()
    cached = getattr(user, "_jiceng_grants", None)
    if cached and cached[0] == on:
        return cached[1]
    from .models import RoleAssignment

    rows = RoleAssignment.objects.on(on).filter(user=user).select_related("area")
    result = [Grant(a.area.path, a.role, PERMISSIONS.get(a.role, frozenset()), a.area_id) for a in rows]
    user._jiceng_grants = (on, result)
    return result


def paths(user, perm: str = Perm.VIEW) -> list[str]:
    """The roots of the subtrees in which `user` holds `perm`, without nested duplicates."""
    found = sorted({g.path for g in grants(user) if perm in g.perms})
    return [p for i, p in enumerate(found) if not any(p.startswith(q) for q in found[:i])]


def area_q(user, field: str, perm: str = Perm.VIEW) -> Q:
    """A filter on an area path field (`path`, `area__path` …) that keeps what `user` may see."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    roots = paths(user, perm)
    if not roots:
        return Q(pk__in=[])  # deny by default
    q = Q()
    for root in roots:
        q |= Q(**{f"{field}__startswith": root})
    return q


def person_q(user) -> Q:
    """Residents of the user's areas, and members of the bodies in them."""
    from jiceng.orgs.models import Membership

    residents = area_q(user, "area__path")
    if getattr(user, "is_superuser", False) and user.is_active:
        return residents
    members = Membership.objects.filter(area_q(user, "body__area__path")).values("person_id")
    return residents | Q(pk__in=members)


def has_perm(user, perm: str, area) -> bool:
    """True when `user` holds `perm` on `area` or on an area above it."""
    if area is None:
        return False
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(area.path.startswith(root) for root in paths(user, perm))


def can_see_personal_data(user, person) -> bool:
    """Personal data is shown in full only inside the scope that owns the person (their residence)."""
    return has_perm(user, Perm.VIEW_PERSONAL_DATA, person.area)


def root_areas(user):
    """The top areas of a user's scope, for the home page tree."""
    from jiceng.orgs.models import Area

    if getattr(user, "is_superuser", False) and user.is_active:
        return Area.objects.filter(parent__isnull=True)
    return Area.objects.filter(path__in=paths(user))
