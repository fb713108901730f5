"""One place maps every refusal to the JSON error body of ARCHITECTURE §6."""

from __future__ import annotations

from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from jiceng.core.errors import DomainError


def error_body(code: str, message: str, message_en: str, *, rule: str | None = None,
               facts: dict | None = None) -> dict:
    return {"error": {"code": code, "rule": rule, "message": message, "message_en": message_en,
                      "facts": facts or {}}}


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return api.create_response(request, {"error": exc.as_dict()}, status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def malformed(request, exc: NinjaValidationError):
        fields = [{"loc": [str(part) for part in e.get("loc", [])], "msg": str(e.get("msg", ""))}
                  for e in exc.errors]
        where = ", ".join(".".join(f["loc"][1:] or f["loc"]) for f in fields)
        return api.create_response(
            request,
            error_body("invalid", f"请求格式有误：{where}", f"Malformed request: {where}",
                       facts={"errors": fields}),
            status=400)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request, error_body("unauthenticated", "请先登录或提供有效的令牌。",
                                "Log in or send a valid bearer token."), status=401)

    @api.exception_handler(DataError)
    def unstorable(request, exc):
        # Input the database cannot take or compare (a NUL byte in a text filter, a number out of range):
        # the request is malformed, not the server broken.
        return api.create_response(
            request, error_body("invalid", "请求包含无法处理的字符或数值。",
                                "The request contains characters or values that cannot be processed."), status=400)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(
            request, error_body("not_found", "未找到，或不在您的权限范围内。",
                                "Not found, or outside your scope."), status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 400:  # e.g. a body that is not JSON
            body = error_body("invalid", f"请求格式有误：{exc}", f"Malformed request: {exc}")
        else:
            body = error_body("http_error", str(exc), str(exc))
        return api.create_response(request, body, status=exc.status_code)
