"""Signal receivers of the web app (connected in `WebConfig.ready`)."""

from __future__ import annotations

from jiceng.accounts.models import Account


def copy_language_to_session(sender, request, user, **kwargs) -> None:
    """After login, the UI speaks the language the user chose before (`UserLanguageMiddleware` reads it)."""
    if request is None or not hasattr(request, "session"):
        return
    language = Account.objects.filter(user=user).values_list("language", flat=True).first()
    if language:
        request.session["language"] = language
