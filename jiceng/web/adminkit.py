"""What every Jiceng admin page shares: saves go through services, never a raw `.save()` (STYLE §4).

A `ServiceAdmin` subclass implements `save_model` by calling the app's service functions. When a service
refuses (a `DomainError`: a rule, a permission, a duplicate), the admin's transaction rolls back, the
refusal is shown as an error message and the user is sent back to the form: nothing is written.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.translation import get_language

from jiceng.core.errors import DomainError


class ServiceAdmin(admin.ModelAdmin):
    # Models are never deleted through the admin: history stays, closing has its own service.
    actions = None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            # Django runs a POST inside transaction.atomic(), so the refusal leaves no trace.
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.localized(get_language()), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        # Every admin of a domain model overrides this with a service call; reaching here is a wiring bug.
        raise ImproperlyConfigured(f"{type(self).__name__} must save through a service")

    def delete_model(self, request, obj):
        raise PermissionDenied("objects are closed or ended through services, never deleted")


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records only services write (history, tokens): viewable, never edited here."""

    actions = None

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def changed(form, fields) -> dict:
    """The cleaned values of those of `fields` the user changed in `form`."""
    return {name: form.cleaned_data[name] for name in fields if name in form.changed_data}
