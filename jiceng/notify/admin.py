"""Notifications and reminders in the admin: read-only, for operators checking what was sent and when.
Changes go through jiceng.notify.services, never through the admin."""

from django.contrib import admin

from .models import Notification, Reminder


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False
    ordering = ("-pk",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "title", "rule_id", "read_at", "delivered_at", "channel_results")
    list_select_related = ("recipient",)
    list_filter = ("rule_id",)
    search_fields = ("=recipient__username", "title")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("key", "due_at", "rule_id", "deadline_on", "deadline_at", "enqueued_at", "sent_at",
                    "cancelled_at")
    list_filter = ("rule_id",)
    search_fields = ("key",)
