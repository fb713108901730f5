"""SMS gateways. settings.JICENG_SMS_GATEWAY names the class (a dotted path); empty turns SMS off.

A provider's gateway subclasses `SmsGateway` and implements `send`; it raises `SmsError` (or any
exception) when the provider refuses, and `notify` records the failure on the notification.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod

from django.conf import settings
from django.utils.module_loading import import_string

from jiceng.core.masking import mask_phone

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway could not send the message."""


class SmsGateway(ABC):
    @abstractmethod
    def send(self, phone: str, text: str) -> None:
        """Send `text` to the mainland mobile number `phone`; raise SmsError if the provider refuses."""


class ConsoleSmsGateway(SmsGateway):
    """Development: writes the message to the log instead of sending it, with the number masked."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(phone), text)


def gateway() -> SmsGateway | None:
    """The configured gateway, or None when SMS is turned off."""
    path = getattr(settings, "JICENG_SMS_GATEWAY", "")
    return import_string(path)() if path else None
