"""Helpers shared by the views."""

from __future__ import annotations

from django.http import Http404

from jiceng.core.errors import NotFound
from jiceng.orgs import services


def visible_or_404(model, user, pk):
    """The object if `user` may see it; the same 404 for 'absent' and 'not yours', so existence never leaks."""
    try:
        return services.get_visible(model, user, pk)
    except NotFound:
        raise Http404 from None


def form_error(form) -> str:
    """A bound form's errors as one line for the refusal box: "字段：错误；…"."""
    parts = [str(e) for e in form.non_field_errors()]
    parts += [f"{form.fields[name].label or name}：{e}" for name, errs in form.errors.items() if name != "__all__"
              for e in errs]
    return "；".join(parts)
