"""Staff pages of the disclosure boards (issue #4): items, steps, feedback, obligations."""

from django.urls import path

from .views import disclosure as views

urlpatterns: list = [
    path("", views.item_list, name="disclosure_list"),
    path("new/", views.item_new, name="disclosure_new"),
    path("<int:pk>/", views.item_detail, name="disclosure_item"),
    path("<int:pk>/edit/", views.item_edit, name="disclosure_edit"),
    path("<int:pk>/correct/", views.item_correct, name="disclosure_correct"),
    path("<int:pk>/review/", views.review, name="disclosure_review"),
    path("<int:pk>/decision/", views.decision, name="disclosure_decision"),
    path("<int:pk>/sign/", views.sign, name="disclosure_sign"),
    path("<int:pk>/publish/", views.publish, name="disclosure_publish"),
    path("<int:pk>/withdraw/", views.withdraw, name="disclosure_withdraw"),
    path("<int:pk>/attachments/", views.attach, name="disclosure_attach"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="disclosure_attachment"),
    path("feedback/", views.feedback_list, name="disclosure_feedback"),
    path("feedback/<int:pk>/", views.feedback_detail, name="disclosure_feedback_item"),
    path("feedback/<int:pk>/reply/", views.feedback_reply, name="disclosure_feedback_reply"),
    path("obligations/", views.obligation_list, name="disclosure_obligations"),
    path("status/", views.street_status, name="disclosure_status"),
]
