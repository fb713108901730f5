"""Staff pages of the archives (issue #5, 一事一档): dossiers, loans, handover, print and export."""

from django.urls import path

from .views import archives as views

urlpatterns: list = [
    path("", views.dossier_list, name="archives_list"),
    path("<int:pk>/", views.dossier_detail, name="archives_dossier"),
    path("<int:pk>/print/", views.dossier_print, name="archives_print"),
    path("<int:pk>/export.zip", views.dossier_export, name="archives_export"),
    path("<int:pk>/lend/", views.lend, name="archives_lend"),
    path("<int:pk>/loans/<int:loan>/return/", views.return_loan, name="archives_return"),
    path("<int:pk>/retention/", views.retention, name="archives_retention"),
    path("<int:pk>/handover/", views.handover, name="archives_handover"),
    path("<int:pk>/end-archivist/", views.end_archivist, name="archives_end_archivist"),
]
