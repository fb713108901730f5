"""Adopting a district's own rule parameters (ARCHITECTURE §3)."""

from __future__ import annotations

import datetime

from django.db import transaction

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, PermissionDenied, ValidationFailed
from jiceng.orgs.models import Area

from .base import validate_overrides
from .models import RulebookVersion


@transaction.atomic
def adopt_version(actor, *, district: Area, effective_from: datetime.date, overrides: dict,
                  note: str = "") -> RulebookVersion:
    """A district adopts parameter values from `effective_from`. `overrides` is the complete set for the
    district from that day (rules not named keep the catalogue defaults); decisions before that day stay
    judged under the version then in force."""
    if district.level != Area.Level.DISTRICT:
        raise ValidationFailed("规则参数由区设定。", "Rule parameters are set by a district.",
                               facts={"field": "district"})
    if not scope.has_perm(actor, Perm.MANAGE_RULEBOOK, district):
        raise PermissionDenied("您无权设定本区规则参数。", "You may not set this district's rule parameters.")
    validate_overrides(overrides)
    if RulebookVersion.objects.filter(district=district, effective_from=effective_from).exists():
        raise Conflict(f"{effective_from} 已有生效的规则库版本。",
                       f"A version already takes effect on {effective_from}.",
                       code="duplicate_version")
    version = RulebookVersion.objects.create(district=district, effective_from=effective_from, overrides=overrides,
                                             note=note.strip(), created_by=actor)
    record_event(actor, "rules.version_adopted", version, area=district,
                 after={"effective_from": effective_from, "overrides": overrides})
    return version
