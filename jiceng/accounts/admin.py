"""Admin for account profiles, role assignments and API tokens.

Role assignments are granted and ended through `accounts.services` (permission check and audit);
profiles and tokens are only shown here. A token's digest is never displayed.
"""

from __future__ import annotations

from django.contrib import admin

from jiceng.web.adminkit import ReadOnlyAdmin, ServiceAdmin, changed

from . import scope, services
from .models import Account, ApiToken, RoleAssignment
from .roles import Perm


def _manageable_users(request):
    """Users holding a role in an area where the staff user manages accounts."""
    assignments = RoleAssignment.objects.filter(scope.area_q(request.user, "area__path", Perm.MANAGE_ACCOUNTS))
    return assignments.values("user_id")


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["user", "person", "language"]
    list_filter = ["language"]
    search_fields = ["user__username", "person__name", "person__name_pinyin", "person__name_initials"]
    list_select_related = ["user", "person"]
    fields = ["user", "person", "language"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user_id__in=_manageable_users(request))


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ServiceAdmin):
    list_display = ["user", "role", "area", "body", "start_on", "end_on"]
    list_filter = ["role"]
    search_fields = ["user__username", "area__name", "area__code", "body__name"]
    list_select_related = ["user", "area", "body"]
    fields = ["user", "role", "area", "body", "start_on", "end_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(
            scope.area_q(request.user, "area__path", Perm.MANAGE_ACCOUNTS))

    def get_readonly_fields(self, request, obj=None):
        # A grant is never rewritten: it ends (end_role) and a new one is given.
        return ["user", "role", "area", "body", "start_on"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("area", "body"):
            kwargs["queryset"] = db_field.related_model.objects.filter(
                scope.area_q(request.user, "path" if db_field.name == "area" else "area__path",
                             Perm.MANAGE_ACCOUNTS))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            end_on = changed(form, ["end_on"]).get("end_on")
            if end_on:
                services.end_role(request.user, RoleAssignment.objects.get(pk=obj.pk), end_on=end_on)
        else:
            obj.pk = services.assign_role(request.user, user=data["user"], role=data["role"],
                                          area=data.get("area"), body=data.get("body"),
                                          start_on=data.get("start_on"), end_on=data.get("end_on")).pk
        obj.refresh_from_db()


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "user", "label", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["user__username", "prefix", "label"]
    list_select_related = ["user"]
    # Only the digest of a token is stored; even that stays out of sight.
    fields = ["prefix", "user", "label", "created_at", "last_used_at", "revoked_at"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)
