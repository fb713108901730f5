"""The rulebook as people read it: every rule in force for an area on a date, with its parameters."""

from __future__ import annotations

import dataclasses
import datetime
from fractions import Fraction

from .base import REGISTRY, params_for
from .thresholds import Threshold


def plain(value):
    """Parameters as JSON: fractions as "2/3", thresholds as {share, base, strict}."""
    if isinstance(value, Threshold):
        return {"share": None if value.share is None else str(value.share), "base": value.base, "strict": value.strict}
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, datetime.date):
        return None if value == datetime.date.min else value.isoformat()
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def rules_in_force(area=None, on: datetime.date | None = None) -> list[dict]:
    rows = []
    for key, rule in sorted(REGISTRY.items()):
        params, version = params_for(rule, area, on)
        rows.append({"id": rule.id, "key": key, "citation": str(rule.citation), "document": rule.citation.document,
                     "article": rule.citation.article, "summary_zh": rule.summary_zh, "summary_en": rule.summary_en,
                     "action": rule.action, "part_of": rule.part_of,
                     "params": plain(params) if params is not None else None, "version": version})
    return rows
