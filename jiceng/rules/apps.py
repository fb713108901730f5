from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "jiceng.rules"
    label = "rules"
    verbose_name = _("规则库")

    def ready(self):
        # Importing the rule modules registers every rule object.
        from . import (  # noqa: F401
            checks,  # noqa: F401
            meetings,
            org,
        )
