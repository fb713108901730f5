"""Forms of the staff UI: they parse what a user sends; services decide what it means."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from jiceng.orgs.search import MAX_QUERY_LENGTH


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("用户名"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username",
                                                             "autocapitalize": "none"}))
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名、拼音、首字母、手机尾号或身份证尾号"), required=False,
                        max_length=MAX_QUERY_LENGTH)
    area = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class AsOfForm(forms.Form):
    on = forms.DateField(label=_("查询日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=2000)
