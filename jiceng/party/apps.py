from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "jiceng.party"
    label = "party"
    verbose_name = _("党员管理")

    def ready(self):
        from jiceng.rules import party  # noqa: F401  (registers the R-DEV, R-DUES and R-MOB rule objects)

        from . import checks, reminders  # noqa: F401  (registers the scan checks and the reminders tick)
