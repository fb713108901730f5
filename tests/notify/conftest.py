from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests import builders

from .support import RecordingSmsGateway


@pytest.fixture
def sms_outbox(settings):
    """What the SMS gateway was asked to send, as (phone, text)."""
    settings.JICENG_SMS_GATEWAY = "tests.notify.support.RecordingSmsGateway"
    RecordingSmsGateway.sent = []
    return RecordingSmsGateway.sent


@pytest.fixture
def people(world):
    """The world, plus: worker_a has an e-mail address; zhang_user's person (张三) has a mobile number."""
    get_user_model().objects.filter(pk=world.worker_a.pk).update(email="worker_a@example.org")
    world.worker_a.refresh_from_db()
    world.zhang_user = builders.make_user(world.root, "zhang_user", "community_worker", world.a, person=world.zhang)
    return world
