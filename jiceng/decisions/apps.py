from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "jiceng.decisions"
    label = "decisions"
    verbose_name = _("一征三议两公开")

    def ready(self):
        from . import documents, receivers  # noqa: F401  (documents: the dossier export's file provider;
        # receivers: complete publication steps when their items are published)
