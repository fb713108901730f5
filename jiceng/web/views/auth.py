"""Logging in and out, and the UI language."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from jiceng.accounts import services as accounts
from jiceng.core.errors import DomainError

from ..forms import LanguageForm, LoginForm


class LoginView(auth_views.LoginView):
    # django-axes counts failures through authenticate(request=…), which AuthenticationForm passes;
    # the session language is set by the user_logged_in receiver (web/signals.py).
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


logout = auth_views.LogoutView.as_view()


@require_POST
@login_required
def set_language(request):
    form = LanguageForm(request.POST)
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "web:home"
    if form.is_valid():
        try:
            accounts.set_language(request.user, form.cleaned_data["language"])
        except DomainError as exc:
            messages.error(request, exc.localized(get_language()))
        else:
            request.session["language"] = form.cleaned_data["language"]
    return redirect(target)
