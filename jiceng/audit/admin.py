"""The audit log in the admin: read-only, and only what the user's scope allows."""

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("recorded_at", "occurred_at", "action", "object_type", "object_id", "object_repr",
                    "actor_name", "area", "chain", "seq")
    list_filter = ("action", "chain")
    list_select_related = ("area",)
    search_fields = ("=object_id", "=actor_name")
    ordering = ("-pk",)
    # The table only grows; counting it for every page would cost more than the page.
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
