from ninja import Router, Schema

from jiceng.accounts import scope

from .common import area_ref

router = Router(tags=["me"])


class RoleOut(Schema):
    role: str
    area: dict
    body: int | None
    start_on: str
    end_on: str | None
    permissions: list[str]


class MeOut(Schema):
    id: int
    username: str
    name: str
    person: int | None
    language: str
    roles: list[RoleOut]


@router.get("/me", response=MeOut, summary="The logged-in user, their roles and scope")
def me(request):
    from jiceng.accounts.models import Account, RoleAssignment
    from jiceng.accounts.roles import PERMISSIONS

    user = request.auth
    account = Account.objects.filter(user=user).first()
    assignments = RoleAssignment.objects.on(scope.today()).filter(user=user).select_related("area")
    return {
        "id": user.pk, "username": user.username, "name": user.get_full_name() or user.username,
        "person": account.person_id if account else None,
        "language": account.language if account else "zh-hans",
        "roles": [{"role": a.role, "area": area_ref(a.area), "body": a.body_id, "start_on": a.start_on.isoformat(),
                   "end_on": a.end_on.isoformat() if a.end_on else None,
                   "permissions": sorted(PERMISSIONS.get(a.role, ()))} for a in assignments],
    }
