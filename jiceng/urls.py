from django.contrib import admin
from django.urls import include, path

from jiceng.api.api import api
from jiceng.web.views import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("jiceng.web.urls")),
]
