from django.utils import translation


class UserLanguageMiddleware:
    """Activate the language a logged-in user chose (zh-hans by default); LocaleMiddleware runs after."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.session.get("language") if hasattr(request, "session") else None
        if language:
            request.META["HTTP_ACCEPT_LANGUAGE"] = language
            translation.activate(language)
        return self.get_response(request)
