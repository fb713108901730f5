"""Staff pages of party-member affairs (issue #8)."""

from django.urls import path

from .views import party as views

urlpatterns: list = [
    path("", views.roster, name="party_roster"),
    path("members/<int:pk>/", views.member, name="party_member"),
    path("members/<int:pk>/pay/", views.pay, name="party_pay"),
    path("members/<int:pk>/steps/<str:step>/", views.step, name="party_step"),
    path("members/<int:pk>/feedback-slip/", views.feedback_slip, name="party_feedback_slip"),
    path("month/", views.month, name="party_month"),
    path("month/dues-summary/", views.dues_summary, name="party_dues_summary"),
    path("ledger.xlsx", views.ledger_xlsx, name="party_ledger_xlsx"),
]
