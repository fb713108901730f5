from django.apps import AppConfig
from django.core.checks import Error, register
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "jiceng.notify"
    label = "notify"
    verbose_name = _("通知与提醒")

    def ready(self) -> None:
        # Registers the reminder job with `jiceng tick` (jiceng.core.ticking).
        from . import tasks  # noqa: F401


@register()
def sms_gateway_is_usable(app_configs, **kwargs):
    """A mistyped JICENG_SMS_GATEWAY fails at startup, not at the first reminder."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    from .sms import SmsGateway

    path = getattr(settings, "JICENG_SMS_GATEWAY", "")
    if not path:
        return []
    try:
        gateway = import_string(path)
    except ImportError as exc:
        return [Error(f"JICENG_SMS_GATEWAY {path!r} cannot be imported: {exc}", id="notify.E001")]
    if not (isinstance(gateway, type) and issubclass(gateway, SmsGateway)):
        return [Error(f"JICENG_SMS_GATEWAY {path!r} is not a subclass of jiceng.notify.sms.SmsGateway",
                      id="notify.E002")]
    return []
