from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RulebookVersion(models.Model):
    """A district's own values for rule parameters, in force from a date (ARCHITECTURE §3).

    `overrides` is the complete set for the district from `effective_from` on: {"R-PWC-04": {"threshold":
    {"strict": true}}, "R-MTG-08": {"count": 1}}. Anything not named keeps the catalogue default.
    """

    district = models.ForeignKey("orgs.Area", models.PROTECT, related_name="rulebook_versions",
                                 verbose_name=_("区"))
    effective_from = models.DateField(_("生效日期"))
    overrides = models.JSONField(_("参数"), default=dict, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("规则库版本")
        verbose_name_plural = _("规则库版本")
        constraints = [models.UniqueConstraint(fields=["district", "effective_from"],
                                               name="one_rulebook_version_per_day")]
        ordering = ["district", "-effective_from"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.district.code}@{self.effective_from.isoformat()}"
