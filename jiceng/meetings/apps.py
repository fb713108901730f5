from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "jiceng.meetings"
    label = "meetings"
    verbose_name = _("会议")

    def ready(self) -> None:
        # Registers the recurring-meeting reminders with `jiceng tick` (jiceng.core.ticking).
        from . import schedules  # noqa: F401
