"""People: search, detail, create, update. Personal data is masked outside the owning scope."""

from __future__ import annotations

from ninja import Query, Router, Schema, Status

from jiceng.orgs import services
from jiceng.orgs.models import Area, Household, Person
from jiceng.orgs.presenters import person_public_dict
from jiceng.orgs.search import person_search_q

from .common import PAGE_MAX, keyset

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: str | None
    id_number: str
    phone: str
    area: dict | None
    unit: str
    room: str
    household: str | None
    household_relation: str
    political_status: str
    masked: bool


class PersonIn(Schema):
    name: str
    id_number: str
    gender: Person.Gender | None = None
    phone: str = ""
    area: int
    unit: str = ""
    room: str = ""
    household: int | None = None
    household_relation: str = ""
    political_status: Person.PoliticalStatus = Person.PoliticalStatus.NONE


class PersonPatch(Schema):
    name: str | None = None
    id_number: str | None = None
    gender: Person.Gender | None = None
    phone: str | None = None
    area: int | None = None
    unit: str | None = None
    room: str | None = None
    household: int | None = None
    household_relation: str | None = None
    political_status: Person.PoliticalStatus | None = None


@router.get("/people", summary="Search people in your scope",
            description="`q`: name (张三), full pinyin (zhangsan), initials (zs), phone tail (4 digits) or ID tail. "
                        "`area` keeps residents of that area and below.")
def list_people(request, q: str = Query("", max_length=50), area: int | None = None, after: int | None = None,
                limit: int = Query(50, ge=1, le=PAGE_MAX)):
    qs = Person.objects.visible_to(request.auth).select_related("area", "household")
    if q.strip():
        qs = qs.filter(person_search_q(q))
    if area is not None:
        qs = qs.filter(area__path__startswith=services.get_visible(Area, request.auth, area).path)
    rows, nxt = keyset(qs, after=after, limit=limit)
    return {"items": [person_public_dict(p, request.auth) for p in rows], "next_after": nxt}


@router.get("/people/{int:person_id}", response=PersonOut)
def get_person(request, person_id: int):
    return person_public_dict(services.get_visible(Person, request.auth, person_id), request.auth)


def _resolve(request, data: dict) -> dict:
    if data.get("area") is not None:
        data["area"] = services.get_visible(Area, request.auth, data["area"])
    if data.get("household") is not None:
        data["household"] = services.get_visible(Household, request.auth, data["household"])
    return data


@router.post("/people", response={201: PersonOut})
def create_person(request, payload: PersonIn):
    person = services.create_person(request.auth, **_resolve(request, payload.dict()))
    return Status(201, person_public_dict(person, request.auth))


@router.patch("/people/{int:person_id}", response=PersonOut)
def update_person(request, person_id: int, payload: PersonPatch):
    person = services.get_visible(Person, request.auth, person_id)
    changes = _resolve(request, payload.dict(exclude_unset=True))
    return person_public_dict(services.update_person(request.auth, person, **changes), request.auth)
