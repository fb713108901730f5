"""Admin for areas, bodies, households, people and memberships.

Every save calls `orgs.services` (validation, permission, audit); a field that no service changes is
read-only once the object exists. Lists show only what the staff user may see.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.core.errors import ValidationFailed
from jiceng.web.adminkit import ReadOnlyAdmin, ServiceAdmin, changed

from . import services
from .models import Area, AreaChange, Body, Household, Membership, Person


class ScopedAdmin(ServiceAdmin):
    """Lists and foreign-key choices limited to the staff user's scope."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model in (Area, Body, Household, Person):
            kwargs["queryset"] = db_field.related_model.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AreaForm(forms.ModelForm):
    reason = forms.CharField(label=_("变更原因"), required=False, max_length=500,
                             help_text=_("更名、调整隶属或撤销时记入沿革"))

    class Meta:
        model = Area
        fields = ["code", "name", "level", "parent", "community_kind", "opened_on", "closed_on"]


@admin.register(Area)
class AreaAdmin(ScopedAdmin):
    form = AreaForm
    list_display = ["name", "code", "level", "parent", "opened_on", "closed_on"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]

    def get_fields(self, request, obj=None):
        fields = ["code", "name", "level", "parent", "community_kind", "opened_on"]
        return [*fields, "closed_on", "path", "reason"] if obj else fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Code, level, kind and opening date are fixed at creation; a district has no parent to change,
        # and a closed area stays closed.
        fixed = ["code", "level", "community_kind", "opened_on", "path"]
        if obj.parent_id is None:
            fixed.append("parent")
        if obj.closed_on is not None:
            fixed.append("closed_on")
        return fixed

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        today = scope.today()
        if not change:
            saved = services.create_area(request.user, code=data["code"], name=data["name"],
                                         level=data["level"], parent=data.get("parent"),
                                         community_kind=data.get("community_kind") or "",
                                         opened_on=data.get("opened_on"))
        else:
            edits = changed(form, ["name", "parent", "closed_on"])
            saved = Area.objects.get(pk=obj.pk)
            reason = data.get("reason") or ""
            if "name" in edits:
                saved = services.rename_area(request.user, saved, name=edits["name"], occurred_on=today,
                                             reason=reason)
            if "parent" in edits:
                if edits["parent"] is None:
                    raise ValidationFailed("上级区域不能为空。", "A parent area is required.",
                                           facts={"field": "parent"})
                saved = services.move_area(request.user, saved, new_parent=edits["parent"], occurred_on=today,
                                           reason=reason)
            if edits.get("closed_on"):
                saved = services.close_area(request.user, saved, closed_on=edits["closed_on"], reason=reason)
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(AreaChange)
class AreaChangeAdmin(ReadOnlyAdmin):
    list_display = ["area", "kind", "occurred_on", "old_name", "new_name", "old_parent", "new_parent", "actor",
                    "recorded_at"]
    list_filter = ["kind"]
    search_fields = ["area__name", "area__code", "old_name", "new_name"]
    list_select_related = ["area", "old_parent", "new_parent", "actor"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(scope.area_q(request.user, "area__path"))


@admin.register(Body)
class BodyAdmin(ScopedAdmin):
    list_display = ["name", "kind", "org_type", "area", "opened_on", "closed_on"]
    list_filter = ["kind", "org_type"]
    search_fields = ["name", "area__name"]
    list_select_related = ["area"]
    fields = ["name", "kind", "area", "org_type", "establishment_mode", "parent_body", "led_by",
              "form_approval_ref", "form_approval_on", "form_approval_grounds", "opened_on", "closed_on"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        editable = {"closed_on"} if obj.closed_on is None else set()
        if obj.kind in Body.PARTY_ORG_KINDS and obj.closed_on is None:
            # The form changes only together with its approval on record (R-ORG-03/04).
            editable |= {"org_type", "form_approval_ref", "form_approval_on", "form_approval_grounds"}
        return [name for name in self.fields if name not in editable]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            saved = services.create_body(
                request.user, name=data["name"], kind=data["kind"], area=data["area"],
                org_type=data.get("org_type") or "", establishment_mode=data.get("establishment_mode") or "",
                parent_body=data.get("parent_body"), led_by=data.get("led_by"), opened_on=data.get("opened_on"),
                form_approval_ref=data.get("form_approval_ref") or "",
                form_approval_on=data.get("form_approval_on"),
                form_approval_grounds=data.get("form_approval_grounds") or "")
        else:
            saved = Body.objects.get(pk=obj.pk)
            form_fields = changed(form, ["org_type", "form_approval_ref", "form_approval_on",
                                         "form_approval_grounds"])
            if form_fields:
                saved = services.change_party_org_form(
                    request.user, saved, org_type=data["org_type"], on=scope.today(),
                    approval_ref=data.get("form_approval_ref") or "", approval_on=data.get("form_approval_on"),
                    grounds=data.get("form_approval_grounds") or "")
            closing = changed(form, ["closed_on"]).get("closed_on")
            if closing:
                saved = services.close_body(request.user, saved, closed_on=closing)
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    list_display = ["number", "area", "unit", "room"]
    search_fields = ["number"]
    list_select_related = ["area"]
    fields = ["number", "area", "unit", "room"]

    def get_readonly_fields(self, request, obj=None):
        # No service edits a household once registered.
        return self.fields if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        saved = services.create_household(request.user, number=data["number"], area=data["area"],
                                          unit=data.get("unit") or "", room=data.get("room") or "")
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["name", "gender", "area", "political_status", "updated_at"]
    list_filter = ["gender", "political_status"]
    search_fields = ["name", "name_pinyin", "name_initials", "=phone_tail", "=id_tail"]
    list_select_related = ["area"]
    fields = [*services.PERSON_FIELDS, "birth_date", "name_pinyin", "name_initials", "id_tail", "phone_tail",
              "created_at", "updated_at"]
    # Derived by services from the name, ID number and phone.
    readonly_fields = ["birth_date", "name_pinyin", "name_initials", "id_tail", "phone_tail", "created_at",
                       "updated_at"]

    def get_queryset(self, request):
        # The admin shows ID numbers and phones in full, so only people whose personal data the user
        # may see: residents of the scope, not members living elsewhere (ARCHITECTURE §5).
        return (Person.objects.filter(scope.area_q(request.user, "area__path", Perm.VIEW_PERSONAL_DATA))
                .select_related("area"))

    def save_model(self, request, obj, form, change):
        if change:
            edits = changed(form, services.PERSON_FIELDS)
            if edits:
                services.update_person(request.user, Person.objects.get(pk=obj.pk), **edits)
        else:
            data = {name: form.cleaned_data.get(name) for name in services.PERSON_FIELDS}
            obj.pk = services.create_person(request.user, **data).pk
        obj.refresh_from_db()


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["person", "role", "body", "start_on", "end_on"]
    list_filter = ["role"]
    search_fields = ["person__name", "person__name_pinyin", "person__name_initials", "body__name"]
    list_select_related = ["person", "body"]
    fields = ["person", "body", "role", "start_on", "end_on"]
    autocomplete_fields = ["person", "body"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Only the end date moves, and only through end_membership.
        return ["person", "body", "role", "start_on"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            end_on = changed(form, ["end_on"]).get("end_on")
            if end_on:
                services.end_membership(request.user, Membership.objects.get(pk=obj.pk), end_on=end_on)
        else:
            obj.pk = services.add_membership(request.user, person=data["person"], body=data["body"],
                                             role=data["role"], start_on=data["start_on"],
                                             end_on=data.get("end_on")).pk
        obj.refresh_from_db()
