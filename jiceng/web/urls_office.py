"""Staff pages of the street office (issue #9): leave, letters and visits, duty roster, document register."""

from django.urls import path

from .views import office as views

urlpatterns: list = [
    path("", views.index, name="office_index"),
    path("leave/", views.leave_list, name="office_leave"),
    path("leave/inbox/", views.leave_inbox, name="office_leave_inbox"),
    path("leave/<int:pk>/", views.leave_detail, name="office_leave_detail"),
    path("leave/<int:pk>/<str:action>/", views.leave_action, name="office_leave_action"),
    path("petitions/", views.petition_list, name="office_petitions"),
    path("petitions/<int:pk>/", views.petition_detail, name="office_petition_detail"),
    path("petitions/<int:pk>/<str:stage>/", views.petition_stage, name="office_petition_stage"),
    path("duty/", views.duty_roster, name="office_duty"),
    path("documents/", views.document_list, name="office_documents"),
]
