"""Accounts, role assignments and API tokens. Every change is audited."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, PermissionDenied, ValidationFailed
from jiceng.orgs.models import Area, Body, Person

from . import scope
from .models import Account, ApiToken, RoleAssignment
from .roles import AccessRole, Perm

User = get_user_model()


def _require_manage(actor, area: Area) -> None:
    if not scope.has_perm(actor, Perm.MANAGE_ACCOUNTS, area):
        raise PermissionDenied(f"您在「{area}」没有管理账号的权限。",
                               f"You may not manage accounts in {area.code}.")


def _check_password(password: str, user=None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        messages = " ".join(exc.messages)
        raise ValidationFailed(f"密码不符合要求：{messages}", f"The password is too weak: {messages}",
                               code="weak_password", facts={"field": "password"}) from None


@transaction.atomic
def create_account(actor, *, username: str, password: str, area: Area, person: Person | None = None,
                   language: str = "zh-hans", is_superuser: bool = False) -> User:
    """Create a login for a person; `area` is where the creator must hold MANAGE_ACCOUNTS."""
    _require_manage(actor, area)
    username = username.strip()
    if not username:
        raise ValidationFailed("用户名不能为空。", "A username is required.", facts={"field": "username"})
    if User.objects.filter(username=username).exists():
        raise Conflict(f"用户名 {username} 已存在。", f"Username {username} is taken.", code="duplicate_username")
    if is_superuser and not getattr(actor, "is_superuser", False):
        raise PermissionDenied("只有系统管理员可以创建系统管理员。", "Only a superuser may create a superuser.")
    user = User(username=username, is_staff=is_superuser, is_superuser=is_superuser)
    if person is not None:
        user.first_name = person.name
    _check_password(password, user)
    user.set_password(password)
    user.save()
    Account.objects.create(user=user, person=person, language=language)
    record_event(actor, "accounts.account_created", user, area=area,
                 after={"username": username, "person": person and person.pk, "superuser": is_superuser})
    return user


@transaction.atomic
def assign_role(actor, *, user, role: str, area: Area | None = None, body: Body | None = None,
                start_on: datetime.date | None = None, end_on: datetime.date | None = None) -> RoleAssignment:
    """Grant an access role on an area (and all below it) or on one body (scoped to the body's area)."""
    if role not in AccessRole.values:
        raise ValidationFailed(f"未知的角色 {role}。", f"Unknown role {role}.", facts={"field": "role"})
    if body is not None:
        area = body.area
    if area is None:
        raise ValidationFailed("须指定区域或机构。", "An area or a body is required.", facts={"field": "area"})
    _require_manage(actor, area)
    start_on = start_on or scope.today()
    if end_on is not None and end_on < start_on:
        raise ValidationFailed("结束日期早于开始日期。", "The end date is before the start date.",
                               facts={"field": "end_on"})
    assignment = RoleAssignment.objects.create(user=user, role=role, area=area, body=body, start_on=start_on,
                                               end_on=end_on)
    record_event(actor, "accounts.role_assigned", assignment, area=area,
                 after={"user": user.username, "role": role, "area": area.code, "body": body and body.pk,
                        "start_on": start_on, "end_on": end_on})
    return assignment


@transaction.atomic
def end_role(actor, assignment: RoleAssignment, *, end_on: datetime.date) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().select_related("area").get(pk=assignment.pk)
    _require_manage(actor, assignment.area)
    before = {"end_on": assignment.end_on}
    assignment.end_on = max(end_on, assignment.start_on)
    assignment.save(update_fields=["end_on"])
    record_event(actor, "accounts.role_ended", assignment, area=assignment.area, before=before,
                 after={"end_on": assignment.end_on})
    return assignment


@transaction.atomic
def issue_token(actor, user, *, label: str = "") -> str:
    """Create an API token for `user` and return it; only its digest is kept."""
    if actor is not None and actor != user and not getattr(actor, "is_superuser", False):
        raise PermissionDenied("只能为自己签发令牌。", "You may only issue tokens for yourself.")
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(user=user, digest=ApiToken.digest_of(raw), prefix=raw[3:9], label=label)
    record_event(actor, "accounts.token_issued", token, after={"user": user.username, "prefix": token.prefix})
    return raw


def user_for_token(raw: str):
    """The active user a bearer token belongs to, or None. Marks the token used (at most once a minute)."""
    if not raw or len(raw) > 200:
        return None
    token = (ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw),
                                                            revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def set_language(actor, language: str) -> None:
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(f"不支持的语言 {language}。", f"Unsupported language {language}.",
                               facts={"field": "language"})
    account, _ = Account.objects.get_or_create(user=actor)
    before = {"language": account.language}
    account.language = language
    account.save(update_fields=["language"])
    record_event(actor, "accounts.language_changed", account, before=before, after={"language": language})
