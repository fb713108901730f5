"""The public call for opinions of a matter (一征), readable and answerable without an account."""

from django.urls import path

from .views import public_matters as views

urlpatterns: list = [
    path("<int:matter_id>/", views.opinion_page, name="public_matter"),
    path("community/<int:community_id>/", views.community_calls, name="public_matter_calls"),
]
