"""The DomainError family: every refusal a service can give, with what the API and UI need to show it.

The API maps each class to its HTTP status in one handler (jiceng/api/errors.py); the web views show
`message` (Chinese) or `message_en` by the user's language. A refusal that comes from a rule always
carries the rule ID and the article it cites.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 422
    code = "domain_error"

    def __init__(self, message: str, message_en: str, *, code: str | None = None,
                 rule: str | None = None, facts: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.message_en = message_en
        if code:
            self.code = code
        self.rule = rule
        self.facts = facts or {}

    def localized(self, language: str | None) -> str:
        return self.message_en if (language or "").startswith("en") else self.message

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "rule": self.rule, "message": self.message,
                "message_en": self.message_en, "facts": self.facts}


class RuleViolation(DomainError):
    """A rule of the rulebook refuses the action (422). Messages cite the rule ID and its article."""

    status = 422
    code = "rule_violation"

    def __init__(self, rule_id: str, message: str, message_en: str, facts: dict[str, Any] | None = None,
                 *, code: str | None = None):
        super().__init__(message, message_en, code=code, rule=rule_id, facts=facts)
        self.rule_id = rule_id


class ValidationFailed(DomainError):
    """Malformed input (400), with per-field errors in `facts["fields"]`."""

    status = 400
    code = "invalid"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"

    def __init__(self, message: str = "您无权执行此操作。", message_en: str = "You may not do this.", **kw):
        super().__init__(message, message_en, **kw)


class NotFound(DomainError):
    status = 404
    code = "not_found"

    def __init__(self, message: str = "未找到，或不在您的权限范围内。",
                 message_en: str = "Not found, or outside your scope.", **kw):
        super().__init__(message, message_en, **kw)


class IllegalTransition(DomainError):
    """A status change not declared for the current state (409); names the current state."""

    status = 409
    code = "illegal_transition"

    def __init__(self, obj: object, *, current: str, wanted: str):
        super().__init__(
            f"{obj} 当前状态为「{current}」，不能变更为「{wanted}」。",
            f"{obj} is '{current}' and cannot become '{wanted}'.",
            facts={"current": str(current), "wanted": str(wanted)},
        )


class Conflict(DomainError):
    """The request clashes with existing data (409), e.g. a duplicate ID number."""

    status = 409
    code = "conflict"


class RateLimited(DomainError):
    """Too many requests from one client in the window (429), e.g. the public feedback box."""

    status = 429
    code = "rate_limited"
