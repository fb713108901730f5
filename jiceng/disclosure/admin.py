from django.contrib import admin

from jiceng.web.adminkit import ReadOnlyAdmin

from .models import DisclosureItem, Feedback


@admin.register(DisclosureItem)
class DisclosureItemAdmin(ReadOnlyAdmin):
    """Items change only through the workflow (services), so the admin only reads them."""

    list_display = ["title", "community", "board", "category", "status", "version", "published_at"]
    list_filter = ["board", "status", "category"]
    search_fields = ["title"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "community", "board", "kind", "status", "received_at", "due_on"]
    list_filter = ["board", "kind", "status"]
    exclude = ["name", "phone", "household_digest"]  # contact details stay in the masked staff views
