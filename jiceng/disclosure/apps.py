from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "jiceng.disclosure"
    label = "disclosure"
    verbose_name = _("党务居务公开")

    def ready(self):
        from . import reminders  # noqa: F401  (registers the "disclosure.reminders" tick)
