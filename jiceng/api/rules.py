import datetime

from ninja import Router, Schema, Status

from jiceng.accounts import scope
from jiceng.orgs.models import Area
from jiceng.orgs.services import get_visible
from jiceng.rules import services
from jiceng.rules.presenters import rules_in_force

router = Router(tags=["rules"])


@router.get("/rules", summary="The rules in force", description="For the district of `area` (default: your first "
            "scope) on `on` (default today): ID, article cited, summary in Chinese and English, parameters and the "
            "rulebook version they come from.")
def list_rules(request, area: int | None = None, on: datetime.date | None = None):
    where = get_visible(Area, request.auth, area) if area is not None else scope.root_areas(request.auth).first()
    return {"area": where.pk if where else None, "on": on or scope.today(),
            "rules": rules_in_force(where, on or scope.today())}


class VersionIn(Schema):
    district: int
    effective_from: datetime.date
    overrides: dict[str, dict]
    note: str = ""


@router.post("/rules/versions", response={201: dict}, summary="A district adopts its own rule parameters",
             description="`overrides` is the district's complete set from `effective_from`, keyed by rule key "
                         "(`R-PWC-04`, `A-COM-32/passing` …), e.g. "
                         "`{\"R-PWC-04\": {\"threshold\": {\"strict\": true}}}`. "
                         "Needs the district administrator's role.")
def adopt_version(request, payload: VersionIn):
    district = get_visible(Area, request.auth, payload.district)
    version = services.adopt_version(request.auth, district=district, effective_from=payload.effective_from,
                                     overrides=payload.overrides, note=payload.note)
    return Status(201, {"id": version.pk, "label": version.label, "effective_from": version.effective_from,
                        "overrides": version.overrides})
