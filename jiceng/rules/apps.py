from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "jiceng.rules"
    label = "rules"
    verbose_name = _("规则库")

    def ready(self):
        # Importing the rule modules registers every rule object.
        from . import (  # noqa: F401
            accountability,
            admin_meetings,
            archives,
            checks,  # noqa: F401
            decisions,
            disclosure,
            meetings,
            org,
            pwc,
        )
