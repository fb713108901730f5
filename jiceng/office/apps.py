from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "jiceng.office"
    label = "office"
    verbose_name = _("街道机关事务")

    def ready(self):
        # The rule objects (jiceng/rules/office.py), the compliance checks and the reminder tick register at import.
        from jiceng.rules import office as _rules  # noqa: F401

        from . import checks  # noqa: F401
