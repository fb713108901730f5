from django.contrib import admin

from jiceng.web.adminkit import ReadOnlyAdmin

from .models import Claim, FinancePost, Ledger, Statement


@admin.register(FinancePost)
class FinancePostAdmin(ReadOnlyAdmin):
    """Posts are assigned through services.assign_post (A-FIN-01 is judged there), so the admin only reads."""

    list_display = ["person", "post", "area", "start_on", "end_on"]
    list_filter = ["post"]


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["pk", "area", "level", "amount_fen", "status", "claimed_on"]
    list_filter = ["level", "status"]
    search_fields = ["purpose"]


@admin.register(Ledger)
class LedgerAdmin(ReadOnlyAdmin):
    list_display = ["area", "kind", "balance_fen", "entry_count"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["area", "year", "month", "sha256"]
