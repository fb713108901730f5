"""Staff pages of the 综治办 (issue #9 part 7): the dispute register, a dispute with its actions, screening rounds,
the ledgers and the reports upward."""

from django.urls import path

from .views import zongzhi as views

urlpatterns: list = [
    path("", views.dispute_list, name="zz_disputes"),
    path("disputes/new/", views.dispute_new, name="zz_dispute_new"),
    path("disputes/<int:pk>/", views.dispute_detail, name="zz_dispute"),
    path("disputes/<int:pk>/agreement.docx", views.agreement_docx, name="zz_agreement_docx"),
    path("disputes/<int:pk>/<str:action>/", views.dispute_action, name="zz_dispute_action"),
    path("screening/", views.screening_list, name="zz_screening"),
    path("screening/new/", views.screening_new, name="zz_screening_new"),
    path("ledgers/", views.ledger_page, name="zz_ledgers"),
    path("reports/", views.report_page, name="zz_reports"),
    path("reports/download.<str:fmt>", views.report_download, name="zz_report_download"),
    path("cases/", views.case_page, name="zz_cases"),
    path("cases/<int:pk>/progress/", views.case_progress, name="zz_case_progress"),
]
