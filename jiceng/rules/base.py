"""The rule object: an ID from ../shared/spec, the article it cites, typed parameters and a pure decision.

Rule functions take plain facts (counts, dates, kinds) and never read the database; services gather the
facts, call `check`, and let a `RuleViolation` travel up to the API (422) or the form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from jiceng.core.errors import RuleViolation

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

    def decides(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        self.decide = fn
        REGISTRY[self.id] = self
        return fn

    def violation(self, code: str, message_zh: str, message_en: str, facts: dict[str, Any]) -> RuleViolation:
        """A refusal that names the rule ID and the article, in both languages."""
        return RuleViolation(
            self.id,
            f"{message_zh}（{self.id}，{self.citation}）",
            f"{message_en} ({self.id}, {self.citation})",
            facts,
            code=code,
        )


REGISTRY: dict[str, Rule] = {}


def check(rule: Rule, **facts: Any) -> Any:
    """Apply `rule` to `facts` with the rule's parameters; raises RuleViolation when it refuses."""
    return rule.decide(rule.params, **facts)
