"""The district's public list of closed accountability cases (R-ACC-10), readable without an account."""

from django.urls import path

from .views import public_accountability as views

urlpatterns: list = [
    path("<int:district_id>/", views.district_cases, name="public_accountability"),
]
