"""Staff pages of the 「一征三议两公开」 matter (issue #5): list, intake, the matter page with its step actions,
and the dashboard."""

from django.urls import path

from .views import matters as views

urlpatterns: list = [
    path("", views.matter_list, name="matter_list"),
    path("new/", views.matter_new, name="matter_new"),
    path("board/", views.board, name="matter_board"),
    path("<int:pk>/", views.matter_detail, name="matter_detail"),
    path("<int:pk>/solicitation/", views.open_solicitation, name="matter_solicitation"),
    path("<int:pk>/opinions/", views.add_opinion, name="matter_opinion"),
    path("<int:pk>/solicitation/close/", views.close_solicitation, name="matter_solicitation_close"),
    path("<int:pk>/link/", views.link_step, name="matter_link"),
    path("<int:pk>/publish-resolution/", views.publish_resolution, name="matter_publish_resolution"),
    path("<int:pk>/progress/", views.add_progress, name="matter_progress"),
    path("<int:pk>/documents/", views.add_document, name="matter_document_add"),
    path("<int:pk>/documents/<int:document_pk>/", views.document, name="matter_document"),
    path("<int:pk>/publish-result/", views.publish_result, name="matter_publish_result"),
    path("<int:pk>/close/", views.close, name="matter_close"),
]
