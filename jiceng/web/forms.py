"""Forms of the staff UI: they parse what a user sends; services decide what it means."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from jiceng.orgs.search import MAX_QUERY_LENGTH

# Primary keys are 64-bit: a larger number in a filter is not a row, and must not reach the database (a 500).
MAX_ROW_ID = 2**63 - 1


def row_id_field(**kwargs) -> forms.IntegerField:
    """An optional reference to a row by its id, bounded to what the database can hold."""
    return forms.IntegerField(required=False, min_value=1, max_value=MAX_ROW_ID, **kwargs)


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("用户名"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username",
                                                             "autocapitalize": "none"}))
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名、拼音、首字母、手机尾号或身份证尾号"), required=False,
                        max_length=MAX_QUERY_LENGTH)
    area = row_id_field(widget=forms.HiddenInput)
    after = row_id_field(widget=forms.HiddenInput)


class AsOfForm(forms.Form):
    on = forms.DateField(label=_("查询日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=2000)


class RosterImportForm(forms.Form):
    """The area a roster goes into, and the roster. roster.js first sends only the file's name (to record
    the job) and then the file to the run endpoint; without JavaScript the file comes with this form."""

    area = forms.IntegerField(label=_("导入到"), min_value=1, widget=forms.Select)
    file = forms.FileField(label=_("花名册文件（.xlsx）"), required=False, widget=forms.FileInput(
        attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "required": True}))
    file_name = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)

    def __init__(self, *args, areas=(), file_later: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_later = file_later  # roster.js: the name now, the file to the run endpoint
        choices = [(area.pk, f"{area.name} · {area.get_level_display()}") for area in areas]
        if len(choices) > 1:
            choices.insert(0, ("", _("请选择街道或社区")))
        self.fields["area"].widget.choices = choices

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not (self.file_later and cleaned.get("file_name")):
            self.add_error("file", _("请选择要导入的花名册文件。"))
        return cleaned
