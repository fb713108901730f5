from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZongzhiConfig(AppConfig):
    name = "jiceng.zongzhi"
    label = "zongzhi"
    verbose_name = _("综治办")

    def ready(self):
        # The rule objects register on import; the scan checks register with the compliance scan.
        from jiceng.rules import zongzhi  # noqa: F401

        from . import checks  # noqa: F401
