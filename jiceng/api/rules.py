import datetime

from ninja import Router

from jiceng.accounts import scope
from jiceng.orgs.models import Area
from jiceng.orgs.services import get_visible
from jiceng.rules.presenters import rules_in_force

router = Router(tags=["rules"])


@router.get("/rules", summary="The rules in force", description="For the district of `area` (default: your first "
            "scope) on `on` (default today): ID, article cited, summary in Chinese and English, parameters and the "
            "rulebook version they come from.")
def list_rules(request, area: int | None = None, on: datetime.date | None = None):
    where = get_visible(Area, request.auth, area) if area is not None else scope.root_areas(request.auth).first()
    return {"area": where.pk if where else None, "on": on or scope.today(),
            "rules": rules_in_force(where, on or scope.today())}
