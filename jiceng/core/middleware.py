"""Refuse NUL bytes in the path, the query string or a posted form: PostgreSQL cannot store or compare them, and
no real person types one. A 400 at the door beats a database error deep in a view (brief: never a 500)."""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse

NUL = "\x00"


def _has_nul(request) -> bool:
    if NUL in request.path:
        return True
    if any(NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()):
        return True
    if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                              "multipart/form-data"):
        return any(NUL in key or any(NUL in value for value in values) for key, values in request.POST.lists())
    return False


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            if request.path.startswith("/api/"):
                error = {"code": "invalid", "rule": None, "message": "请求包含无法处理的字符（NUL）。",
                         "message_en": "The request contains a NUL character.", "facts": {}}
                return JsonResponse({"error": error}, status=400, json_dumps_params={"ensure_ascii": False})
            return HttpResponseBadRequest("The request contains a NUL character.")
        return self.get_response(request)
