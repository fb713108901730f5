"""Staff pages of finance (issue #9 part 5): claims, the approver's inbox, journals and monthly statements."""

from django.urls import path

from .views import finance as views

urlpatterns: list = [
    path("", views.claim_list, name="finance_claims"),
    path("inbox/", views.inbox, name="finance_inbox"),
    path("new/", views.claim_new, name="finance_claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="finance_claim"),
    path("claims/<int:pk>/approve/", views.claim_approve, name="finance_claim_approve"),
    path("claims/<int:pk>/reject/", views.claim_reject, name="finance_claim_reject"),
    path("claims/<int:pk>/decision/", views.claim_decision, name="finance_claim_decision"),
    path("claims/<int:pk>/vouchers/", views.claim_voucher, name="finance_claim_voucher"),
    path("claims/<int:pk>/pay/", views.claim_pay, name="finance_claim_pay"),
    path("ledgers/", views.ledgers, name="finance_ledgers"),
    path("ledgers/<int:pk>/", views.ledger, name="finance_ledger"),
    path("statements/", views.statements, name="finance_statements"),
    path("statements/<int:pk>/", views.statement, name="finance_statement"),
    path("statements/<int:pk>/print/", views.statement_print, name="finance_statement_print"),
    path("statements/<int:pk>/statement.xlsx", views.statement_xlsx, name="finance_statement_xlsx"),
    path("statements/<int:pk>/publish/", views.statement_publish, name="finance_statement_publish"),
]
