from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrglifeConfig(AppConfig):
    name = "jiceng.orglife"
    label = "orglife"
    verbose_name = _("组织生活")

    def ready(self):
        from jiceng.rules import orglife  # noqa: F401  (register the rules)

        from . import checks, reminders  # noqa: F401  (the compliance scan's checks; the tick's reminders)
