from django.contrib import admin

from jiceng.web.adminkit import ReadOnlyAdmin

from .models import Dossier, ExportApproval, Handover, Loan, Record


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ["title", "area", "series", "key", "created_at"]
    list_filter = ["series"]


@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "sequence", "title", "kind", "occurred_at", "filed_at"]
    list_filter = ["kind"]
    search_fields = ["title"]


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "borrower_name", "borrower_unit", "lent_on", "due_on", "returned_on"]
    list_filter = ["external"]


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["community", "outgoing", "successor", "item_count", "handed_over_on"]


@admin.register(ExportApproval)
class ExportApprovalAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "recipient", "approved_by", "approved_on"]
