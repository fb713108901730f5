from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    name = "jiceng.archives"
    label = "archives"
    verbose_name = _("档案")

    def ready(self):
        # Registers the disclosure attachment provider for exports and the "archives.retention" tick.
        from . import providers, reminders  # noqa: F401
