"""The Jiceng WSGI app plus one benchmark-only page, `/bench-constant`, for `bench/run.py` (issue #7 point 2b).

The constant page goes through Django's handler and the full middleware stack, like every other page, so its
requests/s is the ceiling the real pages are compared with. Only the URLconf differs: this module's
`urlpatterns` put `/bench-constant` in front of Jiceng's own. With BENCH_NO_CACHE=1 the cache is Django's
DummyCache, so every public page is rendered on every request (the "uncached" measurements).
Serve with: gunicorn --pythonpath bench constant_app:application
"""

import os

from django.urls import path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402

BODY = b"<!doctype html><html lang=zh><title>bench</title><p>" + b"x" * 2000 + b"</p></html>\n"


def constant(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


settings.ROOT_URLCONF = __name__
if os.environ.get("BENCH_NO_CACHE") == "1":
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

application = get_wsgi_application()

from jiceng.urls import urlpatterns as _jiceng_urls  # noqa: E402

urlpatterns = [path("bench-constant", constant), *_jiceng_urls]
