"""The rule object: an ID from ../shared/spec, the article it cites, typed parameters and a pure decision.

Rule functions take plain facts (counts, dates, kinds) and never read the database; services gather the
facts, call `check`, and let a `RuleViolation` travel up to the API (422) or the form.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Generic, TypeVar

from jiceng.core.errors import RuleViolation, ValidationFailed

from .thresholds import Threshold, parse_fraction

P = TypeVar("P")


@dataclass(frozen=True)
class Citation:
    document: str  # 《…》 title, or the seed sub-document
    article: str   # 第四条, 000-A 第七条(一)3 …

    def __str__(self) -> str:
        return f"{self.document}{self.article}"


@dataclass(eq=False)
class Rule(Generic[P]):
    id: str
    citation: Citation
    summary_zh: str
    summary_en: str
    params: P
    decide: Callable[..., Any] | None = field(default=None, repr=False)
    # rules-core §0.1: "enforce" refuses; "enforce_o" refuses unless an authorised user records an override
    # reason; "warn", "remind", "record", "publish", "escalate" describe the other duties a rule gives.
    action: str = "enforce"
    # A rule judged inside another rule's decision (R-ORG-04 inside R-ORG-03's) names that rule here.
    part_of: str = ""
    # One article can hold two numbers (A-COM-32: quorum and majority); each is its own rule object,
    # told apart by `variant`, and both cite the same ID.
    variant: str = ""

    def __post_init__(self) -> None:
        if self.key in REGISTRY:
            raise ValueError(f"rule {self.key} is defined twice")
        REGISTRY[self.key] = self

    @property
    def key(self) -> str:
        return f"{self.id}/{self.variant}" if self.variant else self.id

    def decides(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        self.decide = fn
        return fn

    def cited(self, message_zh: str, message_en: str) -> tuple[str, str]:
        """The two messages with the rule ID and its article appended, for every refusal that rests on a rule."""
        return f"{message_zh}（{self.id}，{self.citation}）", f"{message_en} ({self.id}, {self.citation})"

    def violation(self, code: str, message_zh: str, message_en: str, facts: dict[str, Any]) -> RuleViolation:
        """A refusal that names the rule ID and the article, in both languages."""
        return RuleViolation(self.id, *self.cited(message_zh, message_en), facts, code=code)


REGISTRY: dict[str, Rule] = {}
DEFAULT_VERSION = "default"


@dataclass(frozen=True)
class Judged:
    value: Any
    version: str  # the rulebook version the decision was taken under, kept on the record


def version_in_force(area, on: datetime.date):
    """The district's RulebookVersion in force on `on`, or None for the catalogue defaults."""
    from .models import RulebookVersion

    if area is None or not area.path:
        return None
    return (RulebookVersion.objects.filter(district_id=area.ancestor_ids[0], effective_from__lte=on)
            .order_by("-effective_from").first())


def apply_overrides(params: Any, data: dict) -> Any:
    """A copy of `params` with the district's values; thresholds, fractions and numbers keep their types."""
    changes = {}
    for name, value in data.items():
        current = getattr(params, name)
        if isinstance(current, Threshold):
            changes[name] = current.with_overrides(value)
        elif isinstance(current, Fraction):
            changes[name] = parse_fraction(value)
        elif isinstance(current, bool):
            changes[name] = bool(value)
        elif isinstance(current, int) and not isinstance(current, bool):
            changes[name] = int(value)
        elif isinstance(current, datetime.date):
            changes[name] = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
        else:
            changes[name] = value
    return dataclasses.replace(params, **changes)


def validate_overrides(overrides: dict) -> None:
    """Refuse a version that names an unknown rule or parameter, or a value of the wrong kind."""
    for rule_id, data in overrides.items():
        rule = REGISTRY.get(rule_id)  # keyed by Rule.key: "R-PWC-04", "A-COM-32/passing" …
        if rule is None or not dataclasses.is_dataclass(rule.params) or not isinstance(data, dict):
            raise ValidationFailed(f"规则 {rule_id} 没有可调整的参数。",
                                   f"Rule {rule_id} has no adjustable parameters.",
                                   code="unknown_rule_parameter", facts={"rule": rule_id})
        names = {f.name for f in dataclasses.fields(rule.params)}
        unknown = set(data) - names
        if unknown:
            raise ValidationFailed(f"规则 {rule_id} 没有参数 {sorted(unknown)}。",
                                   f"Rule {rule_id} has no parameter {sorted(unknown)}.",
                                   code="unknown_rule_parameter", facts={"rule": rule_id, "params": sorted(unknown)})
        try:
            apply_overrides(rule.params, data)
        except (TypeError, ValueError, ZeroDivisionError, KeyError, AttributeError) as exc:
            raise ValidationFailed(f"规则 {rule_id} 的参数值无效：{exc}", f"Invalid value for {rule_id}: {exc}",
                                   code="invalid_rule_parameter", facts={"rule": rule_id}) from None


def params_for(rule: Rule, area=None, on: datetime.date | None = None) -> tuple[Any, str]:
    """The parameters of `rule` in force for `area`'s district on `on`, and the version's label."""
    version = version_in_force(area, on) if on is not None else None
    if version is None:
        return rule.params, DEFAULT_VERSION
    data = version.overrides.get(rule.key)
    return (apply_overrides(rule.params, data) if data else rule.params), version.label


class Rulebook:
    """`params_for` for many areas and dates with each district's versions read once (list pages, schedules,
    the compliance figures): the version in force on a day is the latest one effective on or before it."""

    def __init__(self, district_ids):
        from .models import RulebookVersion

        self.versions: dict[int, list] = {}
        for version in (RulebookVersion.objects.filter(district_id__in=set(district_ids))
                        .order_by("-effective_from")):
            self.versions.setdefault(version.district_id, []).append(version)

    @classmethod
    def for_areas(cls, areas) -> Rulebook:
        return cls(a.ancestor_ids[0] if a.ancestor_ids else a.pk for a in areas)

    def params(self, rule: Rule, area, on: datetime.date) -> tuple[Any, str]:
        district_id = (area.ancestor_ids[0] if area.ancestor_ids else area.pk) if area is not None else None
        version = next((v for v in self.versions.get(district_id, ()) if v.effective_from <= on), None)
        if version is None:
            return rule.params, DEFAULT_VERSION
        data = version.overrides.get(rule.key)
        return (apply_overrides(rule.params, data) if data else rule.params), version.label


def check(rule: Rule, *, area=None, on: datetime.date | None = None, **facts: Any) -> Judged:
    """Apply `rule` to `facts` under the rulebook version in force for `area` on `on`.

    Raises RuleViolation when the rule refuses; otherwise returns what the rule decided and the version."""
    params, version = params_for(rule, area, on)
    return Judged(rule.decide(params, **facts), version)
