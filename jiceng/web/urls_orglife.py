"""Staff pages of organisational life (issue #8 parts 5–7): evaluation rounds, commitments, participation."""

from django.urls import path

from .views import orglife as views

urlpatterns: list = [
    path("evaluations/", views.round_list, name="orglife_rounds"),
    path("evaluations/open/", views.round_open, name="orglife_round_open"),
    path("evaluations/<int:pk>/", views.round_detail, name="orglife_round"),
    path("evaluations/<int:pk>/results.xlsx", views.round_xlsx, name="orglife_round_xlsx"),
    path("evaluations/<int:pk>/<slug:action>/", views.round_act, name="orglife_round_act"),
    path("commitments/", views.commitment_list, name="orglife_commitments"),
    path("commitments/new/", views.commitment_new, name="orglife_commitment_new"),
    path("commitments/publicity/", views.commitment_publicity, name="orglife_publicity"),
    path("commitments/<int:pk>/", views.commitment_detail, name="orglife_commitment"),
    path("commitments/<int:pk>/<slug:action>/", views.commitment_act, name="orglife_commitment_act"),
    path("participation/", views.participation_page, name="orglife_participation"),
    path("participation.xlsx", views.participation_xlsx, name="orglife_participation_xlsx"),
    path("participation/screenings/", views.screening_record, name="orglife_screening"),
    path("participation/projectionists/", views.projectionist_appoint, name="orglife_projectionist"),
]
