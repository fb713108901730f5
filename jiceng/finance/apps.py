from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "jiceng.finance"
    label = "finance"
    verbose_name = _("财务")

    def ready(self):
        from jiceng.rules import finance  # noqa: F401  (registers the A-FIN rules)

        from . import checks  # noqa: F401  (the compliance scan's finance checks)
