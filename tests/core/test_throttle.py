"""Whose address the public rate limit counts: the socket's, or behind our proxy the one it appended."""

from django.test import RequestFactory, override_settings

from jiceng.core.throttle import client_key


def test_without_a_proxy_the_socket_address_counts():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_key(request) == "10.0.0.5"  # a client cannot choose its own bucket


@override_settings(JICENG_BEHIND_PROXY=True)
def test_behind_the_proxy_the_last_forwarded_address_counts():
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_key(request) == "203.0.113.9"
