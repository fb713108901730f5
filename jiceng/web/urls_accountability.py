"""Staff pages of accountability (issue #6): the dashboard, findings, cases and their actions."""

from django.urls import path

from .views import accountability as views

urlpatterns: list = [
    path("", views.dashboard, name="acc_dashboard"),
    path("scan/", views.scan, name="acc_scan"),
    path("findings/", views.finding_list, name="acc_findings"),
    path("findings/<int:pk>/", views.finding_detail, name="acc_finding"),
    path("cases/", views.case_list, name="acc_cases"),
    path("cases/open/", views.case_open, name="acc_case_open"),
    path("cases/<int:pk>/", views.case_detail, name="acc_case"),
    path("cases/<int:pk>/classify/", views.case_classify, name="acc_case_classify"),
    path("cases/<int:pk>/measures/", views.case_measure, name="acc_case_measure"),
    path("cases/<int:pk>/close/", views.case_close, name="acc_case_close"),
]
