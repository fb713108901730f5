from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "jiceng.accountability"
    label = "accountability"
    verbose_name = _("责任追究")

    def ready(self):
        from . import checks, tasks  # noqa: F401  (register the scan's checks and its daily tick)
