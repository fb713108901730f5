from django.contrib import admin

from jiceng.web.adminkit import ReadOnlyAdmin

from .models import RulebookVersion


@admin.register(RulebookVersion)
class RulebookVersionAdmin(ReadOnlyAdmin):
    """Versions are adopted through the API or `rules.services.adopt_version`, which validates every value."""

    list_display = ("district", "effective_from", "note", "created_by", "created_at")
    list_filter = ("district",)
