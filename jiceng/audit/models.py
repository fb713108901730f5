"""The audit log: append-only events, hash-chained per street (ARCHITECTURE §4).

Each event stores the hash of the one before it in its chain, and its own hash over every stored field,
so changing, removing or inserting an event breaks the chain at that point (`jiceng verify`). The
database itself refuses UPDATE and DELETE on events (`triggers.py`, installed by migration 0002).
Events are written only by `services.record_event`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The prev_hash of the first event of every chain.
GENESIS_HASH = "0" * 64


def _utc_iso(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Events about areas where `user` may read the audit log; system events only for superusers."""
        from jiceng.accounts import scope
        from jiceng.accounts.roles import Perm

        return self.filter(scope.area_q(user, "area__path", Perm.VIEW_AUDIT))

    def about(self, obj: models.Model):
        """The history of one object."""
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEvent(models.Model):
    chain = models.CharField(_("链"), max_length=40)
    seq = models.PositiveBigIntegerField(_("序号"))
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"))
    # A copy, so the log still reads right if the account is renamed.
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=100, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    # The (area, recorded_at) index below leads with area, so the FK needs no index of its own.
    area = models.ForeignKey("orgs.Area", models.PROTECT, null=True, blank=True, related_name="+",
                             db_index=False, verbose_name=_("区域"))
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"))
    recorded_at = models.DateTimeField(_("记录时间"))

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        constraints = [
            # Also the (chain, seq) index that verification and appends walk.
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_event_object_idx"),
            models.Index(fields=["area", "recorded_at"], name="audit_event_area_recorded_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"

    def hashed_content(self) -> dict[str, Any]:
        """Every stored field except `id` and `hash`, as it reads back from the database."""
        return {
            "chain": self.chain,
            "seq": self.seq,
            "prev_hash": self.prev_hash,
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "area": self.area_id,
            "before": self.before,
            "after": self.after,
            "occurred_at": _utc_iso(self.occurred_at),
            "recorded_at": _utc_iso(self.recorded_at),
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(self.hashed_content(), sort_keys=True, ensure_ascii=False,
                               separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class AuditChain(models.Model):
    """The head of one chain: the row `record_event` locks so that appends to a chain queue up."""

    key = models.CharField(max_length=40, unique=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("审计链")
        verbose_name_plural = _("审计链")

    def __str__(self) -> str:
        return f"{self.key}@{self.last_seq}"
