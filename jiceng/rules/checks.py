from django.core.checks import Error, register

from .base import REGISTRY


@register()
def rulebook_is_complete(app_configs, **kwargs):
    return [Error(f"{rule.id} lacks a citation, a summary or a decide function (or part_of)", id="rules.E001")
            for rule in REGISTRY.values()
            if not (rule.citation.article and rule.summary_zh and rule.summary_en and (rule.decide or rule.part_of))]
